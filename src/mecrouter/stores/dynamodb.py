"""DynamoDB record store (``store: dynamodb``): the tables of `dynamodb_tables`, through boto3.

boto3 blocks, so every call runs in a pool of ``max_concurrency`` threads sharing one client
(pooled connections, botocore's adaptive retries), never on the event loop. Needs ``pip install
'mecrouter[aws]'``; `mecrouter.stores` imports this module only when a config names it.

- **Never overwritten:** a decision is put with ``attribute_not_exists(request_id)``; a record
  already there stays as it was (the first write wins), so a record shipped again after a crash
  is harmless. Metrics go in ``BatchWriteItem`` calls of 25, their unprocessed items retried with
  backoff until a budget is spent.
- **Feedback** is a conditional update (``feedback_score < 0``): the first score wins.
- **Reads**: a user's decisions through the user index; the newest of all users through the day
  index when a window of at most `MAX_DAY_QUERIES` days is given, otherwise a scan (its cost grows
  with the table); pages follow botocore's paginators. Indexes are eventually consistent: on AWS a
  record may reach them a moment after its write (the outbox store answers from its own file
  first).
- **Expiry**: records carry TTL attributes, so DynamoDB deletes them at no charge;
  ``purge_expired`` also deletes them at once (a scan: an operator's command, not the hot path).

Every failure raises ``StoreError`` naming the table and AWS's error code, never a boto3 type.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final, TypeVar

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from mecrouter.aws.clients import aws_client
from mecrouter.errors import StoreError
from mecrouter.stores.dynamodb_tables import (
    DAY_INDEX,
    DECISION_INDEX,
    DECISIONS,
    METRICS,
    USER_INDEX,
    day_of,
    table_definitions,
    table_names,
)
from mecrouter.types import DecisionRecord, ResourceMetric

__all__ = ["MAX_DAY_QUERIES", "DynamoDBStore"]

logger = logging.getLogger(__name__)
T = TypeVar("T")

MAX_DAY_QUERIES: Final = 62
"""Beyond this many days in a window, the newest decisions of all users come from a scan."""

_SECONDS_PER_DAY: Final = 86_400.0
_BATCH: Final = 25  # BatchWriteItem's limit
_NAMES: Final = {"#ts": "timestamp"}  # a reserved word in DynamoDB expressions
_NEVER_OVERWRITE: Final = "attribute_not_exists(request_id)"


class DynamoDBStore:
    """The ``Store`` on two DynamoDB tables. Construction does no I/O; `ensure_tables` creates
    missing tables (``store.create_tables``)."""

    def __init__(
        self,
        *,
        table_prefix: str = "",
        region: str | None = None,
        endpoint_url: str | None = None,
        retention_days: float = 30.0,
        max_concurrency: int = 16,
        batch_retry_budget_s: float = 30.0,
        create_tables: bool = False,
        client: Any = None,
    ) -> None:
        self.decisions_table, self.metrics_table = table_names(table_prefix)
        self.table_prefix = table_prefix
        self.retention_s = retention_days * _SECONDS_PER_DAY
        self._batch_retry_budget_s = batch_retry_budget_s
        self._pool = ThreadPoolExecutor(max_concurrency, thread_name_prefix="dynamodb")
        self._client = client or aws_client(
            "dynamodb",
            region=region,
            endpoint_url=endpoint_url,
            max_pool_connections=max_concurrency,
            read_timeout_s=10.0,
        )
        self._closed = False
        self._tables_ready = not create_tables
        self._tables_lock = asyncio.Lock()

    # -- writes ---------------------------------------------------------------------------------

    async def write_decisions(self, records: Sequence[DecisionRecord]) -> None:
        """Put each record unless its key is taken (then the stored one stays); concurrently,
        raising once all have been tried if any could not be written."""
        items = [self._decision_item(r) for r in records]  # encoded before leaving the loop
        results = await asyncio.gather(
            *(self._call(self._put_new, item) for item in items), return_exceptions=True
        )
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            if not all(isinstance(f, StoreError) for f in failures):
                raise failures[0]
            raise StoreError(
                f"{len(failures)} of {len(items)} decisions not written: {failures[0]}"
            )

    async def write_metrics(self, metrics: Sequence[ResourceMetric]) -> None:
        unique = {(m.tier_id, m.timestamp): m for m in metrics}  # a batch may not repeat a key
        requests = [{"PutRequest": {"Item": METRICS.encode(m)}} for m in unique.values()]
        for start in range(0, len(requests), _BATCH):
            chunk = requests[start : start + _BATCH]
            await self._call(self._batch_write, self.metrics_table, chunk)

    async def set_feedback(self, decision_id: str, score: float) -> bool:
        record = await self.get_decision(decision_id)
        if record is None:
            return False
        return await self.set_feedback_at(record.request_id, record.timestamp, score)

    async def set_feedback_at(self, request_id: str, timestamp: float, score: float) -> bool:
        """The score on the record with this key, unless it has one (or there is no record)."""
        key = DECISIONS.key_of_values(request_id, timestamp)
        arguments = {
            "TableName": self.decisions_table,
            "Key": key,
            "UpdateExpression": "SET feedback_score = :score",
            "ConditionExpression": "attribute_exists(request_id) AND feedback_score < :none",
            "ExpressionAttributeValues": {
                ":score": {"N": repr(float(score))},
                ":none": {"N": "0"},
            },
        }
        return await self._call(self._conditional_update, arguments)

    # -- reads ----------------------------------------------------------------------------------

    async def get_decision(self, decision_id: str) -> DecisionRecord | None:
        if not decision_id:
            return None
        pages = self._pages(
            "query",
            TableName=self.decisions_table,
            IndexName=DECISION_INDEX,
            KeyConditionExpression="decision_id = :id",
            ExpressionAttributeValues={":id": {"S": decision_id}},
            ScanIndexForward=False,
        )
        items = await self._call(lambda: list(pages()))
        rows = [DECISIONS.decode(item) for item in items]
        return max(rows, key=_newest_key, default=None)

    async def query_decisions(
        self,
        *,
        user_id: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = 1000,
    ) -> list[DecisionRecord]:
        """Newest first (ties by request_id, descending); a limit <= 0 returns nothing."""
        if limit <= 0:
            return []
        if user_id is not None:
            queries = [self._window_query(USER_INDEX, "user_id", user_id, since, until)]
        elif since is not None and _days(since, until) <= MAX_DAY_QUERIES:
            days = _day_keys(since, until)
            queries = [self._window_query(DAY_INDEX, "day", d, since, until) for d in days]
        else:
            return await self._call(self._scan_newest, since, until, limit)
        return await self._call(_newest_of_queries, queries, until, limit)

    async def count_decisions(self) -> int:
        pages = self._pages("scan", TableName=self.decisions_table, Select="COUNT", raw=True)
        return await self._call(lambda: sum(int(page["Count"]) for page in pages()))

    async def query_metrics(
        self, tier_id: str, *, since: float | None = None, limit: int = 1000
    ) -> list[ResourceMetric]:
        """Newest first; a limit <= 0 returns nothing."""
        if limit <= 0:
            return []
        condition, values = "tier_id = :tier", {":tier": {"S": tier_id}}
        if since is not None:
            condition += " AND #ts >= :since"
            values[":since"] = {"N": repr(float(since))}
        names: dict[str, Any] = {"ExpressionAttributeNames": _NAMES} if since is not None else {}
        pages = self._pages(
            "query",
            TableName=self.metrics_table,
            KeyConditionExpression=condition,
            ExpressionAttributeValues=values,
            ScanIndexForward=False,
            **names,
        )

        def first(n: int) -> list[ResourceMetric]:
            return [METRICS.decode(item) for _, item in zip(range(n), pages(), strict=False)]

        return await self._call(first, limit)

    # -- upkeep ---------------------------------------------------------------------------------

    async def purge_expired(self, now: float) -> int:
        """Delete metrics with ttl < now and decisions past the retention; return the count."""
        cut = now - self.retention_s
        jobs = (
            (self.metrics_table, METRICS.key, "#ttl < :now", {"#ttl": "ttl"}, now),
            (self.decisions_table, DECISIONS.key, "#ts < :now", _NAMES, cut),
        )
        deleted = 0
        for table, key, condition, names, bound in jobs:
            deleted += await self._call(self._delete_where, table, key, condition, names, bound)
        return deleted

    async def ensure_tables(self) -> None:
        """Create the tables that do not exist (on-demand, with their indexes and TTL)."""
        async with self._tables_lock:
            await self._run(self._create_missing_tables)
            self._tables_ready = True

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._pool.shutdown(wait=True)
        with contextlib.suppress(Exception):
            self._client.close()

    # -- in the pool ----------------------------------------------------------------------------

    def _decision_item(self, record: DecisionRecord) -> dict[str, Any]:
        expires = int(record.timestamp + self.retention_s)
        return DECISIONS.encode(record, {"day": day_of(record.timestamp), "expires_at": expires})

    def _put_new(self, item: dict[str, Any]) -> None:
        try:
            self._client.put_item(
                TableName=self.decisions_table, Item=item, ConditionExpression=_NEVER_OVERWRITE
            )
        except ClientError as exc:
            if _code(exc) != "ConditionalCheckFailedException":
                raise
            logger.debug("decision %s was already stored; kept", item["request_id"])

    def _conditional_update(self, arguments: dict[str, Any]) -> bool:
        try:
            self._client.update_item(**arguments)
        except ClientError as exc:
            if _code(exc) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _batch_write(self, table: str, requests: list[dict[str, Any]]) -> None:
        """One BatchWriteItem, then its unprocessed items again with backoff and jitter."""
        deadline = time.monotonic() + self._batch_retry_budget_s
        pending, delay = requests, 0.05
        while pending:
            response = self._client.batch_write_item(RequestItems={table: pending})
            pending = response.get("UnprocessedItems", {}).get(table, [])
            if not pending:
                return
            if time.monotonic() + delay > deadline:
                raise StoreError(
                    f"dynamodb store {table}: {len(pending)} items still unprocessed after"
                    f" {self._batch_retry_budget_s:g} s of retries (throttled)"
                )
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 2.0)

    def _window_query(
        self, index: str, partition: str, value: str, since: float | None, until: float | None
    ) -> Callable[[], Iterator[dict[str, Any]]]:
        condition = f"{partition} = :p"
        values: dict[str, Any] = {":p": {"S": value}}
        if since is not None and until is not None:
            condition += " AND #ts BETWEEN :since AND :until"  # inclusive: until dropped later
        elif since is not None:
            condition += " AND #ts >= :since"
        elif until is not None:
            condition += " AND #ts < :until"
        if since is not None:
            values[":since"] = {"N": repr(float(since))}
        if until is not None:
            values[":until"] = {"N": repr(float(until))}
        names: dict[str, Any] = {"ExpressionAttributeNames": _NAMES} if "#ts" in condition else {}
        return self._pages(
            "query",
            TableName=self.decisions_table,
            IndexName=index,
            KeyConditionExpression=condition,
            ExpressionAttributeValues=values,
            ScanIndexForward=False,
            **names,
        )

    def _scan_newest(
        self, since: float | None, until: float | None, limit: int
    ) -> list[DecisionRecord]:
        filters, values = [], {}
        if since is not None:
            filters.append("#ts >= :since")
            values[":since"] = {"N": repr(float(since))}
        if until is not None:
            filters.append("#ts < :until")
            values[":until"] = {"N": repr(float(until))}
        arguments: dict[str, Any] = {"TableName": self.decisions_table}
        if filters:
            arguments.update(
                FilterExpression=" AND ".join(filters),
                ExpressionAttributeNames=_NAMES,
                ExpressionAttributeValues=values,
            )
        rows = (DECISIONS.decode(item) for item in self._pages("scan", **arguments)())
        return heapq.nlargest(limit, rows, key=_newest_key)

    def _delete_where(
        self,
        table: str,
        key: tuple[str, str],
        condition: str,
        names: dict[str, str],
        bound: float,
    ) -> int:
        pages = self._pages(
            "scan",
            TableName=table,
            FilterExpression=condition,
            ProjectionExpression=", ".join(f"#k{i}" for i in range(len(key))),
            ExpressionAttributeNames={**names, **{f"#k{i}": k for i, k in enumerate(key)}},
            ExpressionAttributeValues={":now": {"N": repr(float(bound))}},
        )
        keys = [{"DeleteRequest": {"Key": item}} for item in pages()]
        for start in range(0, len(keys), _BATCH):
            self._batch_write(table, keys[start : start + _BATCH])
        return len(keys)

    def _create_missing_tables(self) -> None:
        ttl_attribute = {self.decisions_table: "expires_at", self.metrics_table: "ttl"}
        for definition in table_definitions(self.table_prefix):
            name = definition["TableName"]
            try:
                self._client.create_table(**definition)
            except ClientError as exc:
                if _code(exc) != "ResourceInUseException":
                    raise
                continue
            self._client.get_waiter("table_exists").wait(
                TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
            )
            self._client.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attribute[name]},
            )
            logger.info("created DynamoDB table %s", name)

    def _pages(self, operation: str, *, raw: bool = False, **arguments: Any) -> Callable[[], Any]:
        """A function iterating the items (or, ``raw``, the pages) of a paginated call."""
        paginator = self._client.get_paginator(operation)

        def pages() -> Iterator[Any]:
            for page in paginator.paginate(**arguments):
                if raw:
                    yield page
                else:
                    yield from page.get("Items", ())

        return pages

    async def _call(self, work: Callable[..., T], *arguments: Any) -> T:
        if not self._tables_ready:
            await self.ensure_tables()
        return await self._run(work, *arguments)

    async def _run(self, work: Callable[..., T], *arguments: Any) -> T:
        if self._closed:
            raise StoreError(f"dynamodb store {self.decisions_table} is closed")
        loop = asyncio.get_running_loop()
        with self._translate():
            return await loop.run_in_executor(self._pool, lambda: work(*arguments))

    @contextlib.contextmanager
    def _translate(self) -> Iterator[None]:
        where = f"dynamodb store {self.decisions_table}/{self.metrics_table}"
        try:
            yield
        except ClientError as exc:
            message = str(exc.response.get("Error", {}).get("Message", ""))
            hint = ""
            if _code(exc) == "ResourceNotFoundException":
                hint = " (create the tables: store.create_tables: true, or the CDK app)"
            raise StoreError(f"{where}: {_code(exc)}: {message}{hint}") from exc
        except NoCredentialsError as exc:
            raise StoreError(f"{where}: no AWS credentials (environment, profile or role)") from exc
        except BotoCoreError as exc:
            raise StoreError(f"{where}: {type(exc).__name__}: {exc}") from exc


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _newest_key(record: DecisionRecord) -> tuple[float, str]:
    return record.timestamp, record.request_id


def _window_end(since: float, until: float | None) -> float:
    """Where a window without an end stops: a day past now (clocks differ), or past ``since``."""
    return max(time.time(), since) + _SECONDS_PER_DAY if until is None else until


def _days(since: float, until: float | None) -> int:
    return int((_window_end(since, until) - since) // _SECONDS_PER_DAY) + 1


def _day_keys(since: float, until: float | None) -> list[str]:
    """The day partitions a window covers, newest first."""
    end = _window_end(since, until)
    days: list[str] = []
    t = end
    while t >= since - _SECONDS_PER_DAY:
        day = day_of(t)
        if day_of(since) <= day and (not days or days[-1] != day):
            days.append(day)
        t -= _SECONDS_PER_DAY
    return days


def _newest_of_queries(
    queries: Iterable[Callable[[], Iterator[dict[str, Any]]]], until: float | None, limit: int
) -> list[DecisionRecord]:
    """The newest ``limit`` decisions of queries that each yield newest first, the later ones
    older than the earlier (days in descending order): stop once ``limit`` are in hand and the
    next would be older than the last kept (so ties at the cut all compete)."""
    kept: list[DecisionRecord] = []
    for query in queries:
        for item in query():
            record = DECISIONS.decode(item)
            if until is not None and record.timestamp >= until:
                continue
            if len(kept) >= limit and record.timestamp < kept[-1].timestamp:
                break
            kept.append(record)
        if len(kept) >= limit:
            break
    kept.sort(key=_newest_key, reverse=True)
    return kept[:limit]
