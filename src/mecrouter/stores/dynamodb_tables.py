"""The DynamoDB tables of DESIGN.md, and records as DynamoDB items.

**RoutingDecisions**: partition ``request_id``, sort ``timestamp``; global secondary indexes on
``user_id`` + ``timestamp`` (a user's decisions in a time window), ``decision_id`` + ``timestamp``
(one decision, for feedback and ``/v1/decisions/{id}``) and ``day`` + ``timestamp`` (the newest
decisions of all users, one UTC day per partition); TTL attribute ``expires_at`` (timestamp +
retention). **ResourceMetrics**: partition ``tier_id``, sort ``timestamp``; TTL attribute ``ttl``.
Both on-demand. `table_definitions` gives the CreateTable arguments, which the CDK app and
``store.create_tables`` share.

Items are encoded with boto3's own ``TypeSerializer``: numbers go as ``Decimal`` (a float through
its shortest repr, so it comes back equal), lists as lists, booleans as booleans. An index key may
not be an empty string, so an empty ``user_id`` or ``decision_id`` is left out of the item (and
read back as ""); NaN and infinities, which DynamoDB cannot hold, are refused naming the field.
"""

from __future__ import annotations

import dataclasses
import time
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Generic, TypeVar

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from mecrouter.errors import StoreError
from mecrouter.types import DecisionRecord, ResourceMetric

__all__ = [
    "DAY_INDEX",
    "DECISIONS",
    "DECISION_INDEX",
    "METRICS",
    "USER_INDEX",
    "ItemCodec",
    "day_of",
    "table_definitions",
    "table_names",
]

R = TypeVar("R", DecisionRecord, ResourceMetric)

USER_INDEX: Final = "user_id-timestamp-index"
DECISION_INDEX: Final = "decision_id-timestamp-index"
DAY_INDEX: Final = "day-timestamp-index"
_INDEX_KEYS: Final = frozenset({"user_id", "decision_id"})  # absent from the item when ""

_SERIALIZER: Final = TypeSerializer()
_DESERIALIZER: Final = TypeDeserializer()


def table_names(prefix: str) -> tuple[str, str]:
    """(RoutingDecisions, ResourceMetrics) with the deployment's prefix."""
    return f"{prefix}RoutingDecisions", f"{prefix}ResourceMetrics"


def day_of(timestamp: float) -> str:
    """The UTC day a timestamp falls in, as the ``day`` index's partition: ``2026-12-06``."""
    return time.strftime("%Y-%m-%d", time.gmtime(timestamp))


def _index(name: str, partition: str) -> dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": [
            {"AttributeName": partition, "KeyType": "HASH"},
            {"AttributeName": "timestamp", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }


def table_definitions(prefix: str) -> list[dict[str, Any]]:
    """``CreateTable`` arguments for both tables (on-demand billing)."""
    decisions, metrics = table_names(prefix)
    return [
        {
            "TableName": decisions,
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [
                {"AttributeName": "request_id", "KeyType": "HASH"},
                {"AttributeName": "timestamp", "KeyType": "RANGE"},
            ],
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": kind}
                for name, kind in (
                    ("request_id", "S"),
                    ("timestamp", "N"),
                    ("user_id", "S"),
                    ("decision_id", "S"),
                    ("day", "S"),
                )
            ],
            "GlobalSecondaryIndexes": [
                _index(USER_INDEX, "user_id"),
                _index(DECISION_INDEX, "decision_id"),
                _index(DAY_INDEX, "day"),
            ],
        },
        {
            "TableName": metrics,
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [
                {"AttributeName": "tier_id", "KeyType": "HASH"},
                {"AttributeName": "timestamp", "KeyType": "RANGE"},
            ],
            "AttributeDefinitions": [
                {"AttributeName": "tier_id", "AttributeType": "S"},
                {"AttributeName": "timestamp", "AttributeType": "N"},
            ],
        },
    ]


def _number(name: str, value: float | int) -> Decimal:
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - repr of a float always parses
        raise StoreError(f"dynamodb store: field {name} = {value!r} is not a number") from exc
    if not number.is_finite():
        raise StoreError(f"dynamodb store: field {name} = {value!r} cannot be stored (not finite)")
    return number


@dataclasses.dataclass(frozen=True)
class ItemCodec(Generic[R]):
    """A record dataclass as DynamoDB items: one attribute per field (and the table's extras)."""

    record_type: type[R]
    key: tuple[str, str]
    kinds: Mapping[str, str]  # field -> "float" | "int" | "bool" | "str" | "list"

    @classmethod
    def of(cls, record_type: type[R], key: tuple[str, str]) -> ItemCodec[R]:
        hints = typing.get_type_hints(record_type)
        kinds: dict[str, str] = {}
        for field in dataclasses.fields(record_type):
            hint = hints[field.name]
            origin = typing.get_origin(hint)
            kinds[field.name] = "list" if origin is list else getattr(hint, "__name__", "str")
        return cls(record_type, key, kinds)

    def encode(self, record: R, extra: Mapping[str, object] | None = None) -> dict[str, Any]:
        """The item in DynamoDB's wire form (``{"S": ...}``, ``{"N": ...}``)."""
        item: dict[str, Any] = {}
        for name, kind in self.kinds.items():
            value = getattr(record, name)
            if kind in ("float", "int"):
                value = _number(name, value)
            elif kind == "list":
                value = list(value)
            elif name in _INDEX_KEYS and value == "":
                continue
            item[name] = _SERIALIZER.serialize(value)
        for name, value in (extra or {}).items():
            number = isinstance(value, float | int) and not isinstance(value, bool)
            item[name] = _SERIALIZER.serialize(_number(name, value) if number else value)  # type: ignore[arg-type]
        return item

    def key_of_values(self, partition: str, sort: float) -> dict[str, Any]:
        """The item key (partition string, sort number) in DynamoDB's wire form."""
        first, second = self.key
        return {
            first: _SERIALIZER.serialize(partition),
            second: _SERIALIZER.serialize(_number(second, sort)),
        }

    def decode(self, item: Mapping[str, Any]) -> R:
        values: dict[str, Any] = {}
        for name, kind in self.kinds.items():
            if name not in item:
                if name in _INDEX_KEYS:
                    values[name] = ""
                continue  # a field added since the item was written: the dataclass default
            value = _DESERIALIZER.deserialize(item[name])
            if kind == "float":
                value = float(value)
            elif kind == "int":
                value = int(value)
            values[name] = value
        return self.record_type(**values)


DECISIONS: Final = ItemCodec.of(DecisionRecord, ("request_id", "timestamp"))
METRICS: Final = ItemCodec.of(ResourceMetric, ("tier_id", "timestamp"))
