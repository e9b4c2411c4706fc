"""The decision store, read-only, as the dashboard asks it: aggregates computed in SQL over a
time window and pages of rows, so a store of ten million decisions opens as fast as a small one.

`open_source` takes the store URL `mecrouter serve --store` takes. A SQLite file is opened with
`mode=ro` (the dashboard never writes; a missing file is an error, not a new empty store) and
every query is bounded: by a time window served by the `timestamp` index, a `LIMIT`, or both.
DynamoDB has no SQL: `StoreSource` asks the store's own paginated time-window query for at most
`MAX_ROWS` rows and aggregates them in Python, and says so on the page.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol, TypeVar
from urllib.parse import quote

from mecrouter.errors import MecrouterError

__all__ = [
    "DEFAULT_RUNS", "DEFAULT_STORE", "MAX_ROWS", "DashboardError", "DecisionFilter",
    "DecisionSource", "SqliteSource", "StoreSource", "Window", "bucket_rows", "matches",
    "open_source",
]  # fmt: skip

T = TypeVar("T")

DEFAULT_STORE: Final = "report/demo/decisions.sqlite3"  # where `make demo` records
DEFAULT_RUNS: Final = "report/dashboard-runs"  # where What-if runs write their reports
MAX_ROWS: Final = 200_000  # rows fetched for percentiles of one window (newest first)
FACET_ROWS: Final = 50_000  # the newest decisions whose values the filters offer
TIER_SQL: Final = "COALESCE(NULLIF(actual_tier, ''), selected_tier)"  # where it was answered
MODEL_SQL: Final = "COALESCE(NULLIF(actual_model, ''), selected_model)"


class DashboardError(MecrouterError):
    """Something the dashboard cannot show, said in one line for the page."""


@dataclass(frozen=True, slots=True)
class DecisionFilter:
    """The Decisions page's filters; empty means any."""

    since: float | None = None
    until: float | None = None
    use_cases: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    outcome: str = ""  # "" | "success" | "failure" | "fallback" | "cache_hit"
    user_id: str = ""

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition and its parameters."""
        parts: list[str] = []
        args: list[Any] = []
        if self.since is not None:
            parts.append("timestamp >= ?")
            args.append(self.since)
        if self.until is not None:
            parts.append("timestamp < ?")
            args.append(self.until)
        for column, values in (
            ("use_case", self.use_cases), (TIER_SQL, self.tiers), (MODEL_SQL, self.models),
        ):  # fmt: skip
            if values:
                parts.append(f"{column} IN ({', '.join('?' for _ in values)})")
                args.extend(values)
        outcome = _OUTCOMES.get(self.outcome)
        if outcome is None:
            known = ", ".join(repr(k) for k in _OUTCOMES)
            raise DashboardError(f"outcome must be one of {known}, not {self.outcome!r}")
        if outcome:
            parts.append(outcome)
        if self.user_id:
            parts.append("user_id = ?")
            args.append(self.user_id)
        return (" AND ".join(parts) or "1"), args


_OUTCOMES: Final = {
    "": "",
    "success": "success = 1",
    "failure": "success = 0",
    "fallback": "fallbacks_used > 0",
    "cache_hit": "cache_hit = 1",
}


@dataclass(slots=True)
class Window:
    """The rows of one time window that the Live and Cost pages draw from."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    capped: bool = False  # more rows than MAX_ROWS were in the window: these are the newest


class DecisionSource(Protocol):
    """What the pages ask of a store."""

    label: str

    def newest_timestamp(self) -> float | None: ...

    def window(self, since: float, until: float, columns: Sequence[str]) -> Window: ...

    def buckets(
        self, since: float, until: float, bucket_s: float, group: str, policy: str | None = None
    ) -> list[dict[str, Any]]:
        """Per time bucket and `group` (tier | use_case | model | policy) of the decisions of
        `policy` (None: all): requests, spend, tokens, successes, fallbacks, latency sum."""
        ...

    def page(self, flt: DecisionFilter, offset: int, limit: int) -> list[dict[str, Any]]: ...

    def decision(self, decision_id: str) -> dict[str, Any] | None: ...

    def facets(self) -> dict[str, list[str]]: ...


def open_source(url: str) -> DecisionSource:
    """The store at `url` (a SQLite path or URL, or `dynamodb://prefix`), opened to read."""
    if url.startswith("dynamodb://"):
        return StoreSource(url)
    path = Path(url.removeprefix("sqlite:///").removeprefix("sqlite://"))
    return SqliteSource(path)


_GROUPS: Final = {"tier": TIER_SQL, "use_case": "use_case", "model": MODEL_SQL, "policy": "policy"}
_JSON_COLUMNS: Final = frozenset({"fallback_options"})
_BOOL_COLUMNS: Final = frozenset({"success", "slo_met", "cache_hit", "redacted"})


class SqliteSource:
    """A SQLite decision store, opened read-only; each call one bounded query."""

    def __init__(self, path: Path) -> None:
        self.label = f"SQLite {path}"
        if not path.is_file():
            raise DashboardError(
                f"no store at {path}: run `make demo` (it writes one) or pass --store"
            )
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        try:
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("SELECT 1 FROM routing_decisions LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise DashboardError(f"cannot read the store {path}: {exc}") from exc

    def _all(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        try:
            rows = self._conn.execute(sql, tuple(args)).fetchall()
        except sqlite3.Error as exc:
            raise DashboardError(f"the store could not answer: {exc}") from exc
        return [_decoded(dict(row)) for row in rows]

    def newest_timestamp(self) -> float | None:
        row = self._all("SELECT MAX(timestamp) AS t FROM routing_decisions")
        return row[0]["t"] if row else None

    def window(self, since: float, until: float, columns: Sequence[str]) -> Window:
        names = ", ".join(_column(c) for c in columns)
        rows = self._all(
            f"SELECT {names} FROM routing_decisions WHERE timestamp >= ? AND timestamp < ?"
            " ORDER BY timestamp DESC LIMIT ?",
            (since, until, MAX_ROWS + 1),
        )
        return Window(rows[:MAX_ROWS], capped=len(rows) > MAX_ROWS)

    def buckets(
        self, since: float, until: float, bucket_s: float, group: str, policy: str | None = None
    ) -> list[dict[str, Any]]:
        key = _GROUPS.get(group)
        if key is None:
            raise DashboardError(f"group must be one of {', '.join(_GROUPS)}, not {group!r}")
        by_policy = "" if policy is None else " AND policy = ?"
        return self._all(
            f"SELECT CAST((timestamp - ?) / ? AS INTEGER) AS bucket, {key} AS grp,"
            " COUNT(*) AS requests, SUM(cost_usd) AS cost_usd,"
            " SUM(estimated_cost_usd) AS estimated_cost_usd, SUM(input_tokens) AS input_tokens,"
            " SUM(output_tokens) AS output_tokens, SUM(success) AS successes,"
            " SUM(fallbacks_used > 0) AS fallbacks, SUM(latency_ms) AS latency_ms_sum"
            f" FROM routing_decisions WHERE timestamp >= ? AND timestamp < ?{by_policy}"
            " GROUP BY bucket, grp ORDER BY bucket",
            (since, bucket_s, since, until, *(() if policy is None else (policy,))),
        )

    def page(self, flt: DecisionFilter, offset: int, limit: int) -> list[dict[str, Any]]:
        where, args = flt.where()
        return self._all(
            f"SELECT * FROM routing_decisions WHERE {where}"
            " ORDER BY timestamp DESC LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )

    def decision(self, decision_id: str) -> dict[str, Any] | None:
        rows = self._all(
            "SELECT * FROM routing_decisions WHERE decision_id = ? ORDER BY timestamp DESC LIMIT 1",
            (decision_id,),
        )
        return rows[0] if rows else None

    def facets(self) -> dict[str, list[str]]:
        """Values seen among the newest `FACET_ROWS` decisions (bounded on any store)."""
        rows = self._all(
            f"SELECT DISTINCT use_case, {TIER_SQL} AS tier, {MODEL_SQL} AS model, policy FROM"
            " (SELECT * FROM routing_decisions ORDER BY timestamp DESC LIMIT ?)",
            (FACET_ROWS,),
        )
        names = ("use_case", "tier", "model", "policy")
        return {k: sorted({str(r[k]) for r in rows if r[k]}) for k in names}


def _column(name: str) -> str:
    if name == "tier":
        return f"{TIER_SQL} AS tier"
    if name == "model":
        return f"{MODEL_SQL} AS model"
    if name != "*" and not name.isidentifier():
        raise DashboardError(f"not a column: {name!r}")
    return name


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    for name in _JSON_COLUMNS.intersection(row):
        value = row[name]
        row[name] = json.loads(value) if isinstance(value, str) and value else []
    for name in _BOOL_COLUMNS.intersection(row):
        row[name] = bool(row[name])
    return row


class StoreSource:
    """Any `Store` (DynamoDB above all) through its own bounded, paginated queries, on one event
    loop of its own (Streamlit calls from its script threads, one at a time under a lock).

    The store is opened without an outbox and without creating tables: the dashboard only reads.
    """

    def __init__(self, url: str) -> None:
        from mecrouter.stores import open_store
        from mecrouter.stores.url import parse_store_url

        self.label = f"DynamoDB {url}"
        try:
            settings = parse_store_url(url)
            if hasattr(settings, "outbox"):
                settings = settings.model_copy(update={"outbox": None, "create_tables": False})
            self._store = open_store(settings)
        except MecrouterError as exc:
            raise DashboardError(f"cannot open the store {url}: {exc}") from exc
        self._loop = asyncio.new_event_loop()
        self._lock = threading.Lock()

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        with self._lock:
            try:
                return self._loop.run_until_complete(coro)
            except MecrouterError as exc:
                raise DashboardError(f"the store could not answer: {exc}") from exc

    def _records(
        self, since: float | None, until: float | None, limit: int
    ) -> list[dict[str, Any]]:
        records = self._run(self._store.query_decisions(since=since, until=until, limit=limit))
        rows = [r.to_dict() for r in records]
        for row in rows:
            row["tier"] = row["actual_tier"] or row["selected_tier"]
            row["model"] = row["actual_model"] or row["selected_model"]
        return rows

    def newest_timestamp(self) -> float | None:
        rows = self._records(None, None, 1)
        return rows[0]["timestamp"] if rows else None

    def window(self, since: float, until: float, columns: Sequence[str]) -> Window:
        rows = self._records(since, until, MAX_ROWS + 1)
        return Window(rows[:MAX_ROWS], capped=len(rows) > MAX_ROWS)

    def buckets(
        self, since: float, until: float, bucket_s: float, group: str, policy: str | None = None
    ) -> list[dict[str, Any]]:
        rows = self.window(since, until, ()).rows
        mine = [r for r in rows if policy is None or r["policy"] == policy]
        return bucket_rows(mine, since, bucket_s, group)

    def page(self, flt: DecisionFilter, offset: int, limit: int) -> list[dict[str, Any]]:
        rows = self._records(flt.since, flt.until, MAX_ROWS)
        return [r for r in rows if matches(r, flt)][offset : offset + limit]

    def decision(self, decision_id: str) -> dict[str, Any] | None:
        record = self._run(self._store.get_decision(decision_id))
        return record.to_dict() if record is not None else None

    def facets(self) -> dict[str, list[str]]:
        rows = self._records(None, None, FACET_ROWS)
        names = ("use_case", "tier", "model", "policy")
        return {k: sorted({str(r[k]) for r in rows if r[k]}) for k in names}


def matches(row: dict[str, Any], flt: DecisionFilter) -> bool:
    """`flt` on one decision's row (as `DecisionFilter.where` is in SQL)."""
    checks = (
        flt.since is None or row["timestamp"] >= flt.since,
        flt.until is None or row["timestamp"] < flt.until,
        not flt.use_cases or row["use_case"] in flt.use_cases,
        not flt.tiers or row["tier"] in flt.tiers,
        not flt.models or row["model"] in flt.models,
        not flt.user_id or row["user_id"] == flt.user_id,
        _OUTCOME_TESTS[flt.outcome](row),
    )
    return all(checks)


_OUTCOME_TESTS: Final[dict[str, Callable[[dict[str, Any]], bool]]] = {
    "": lambda r: True,
    "success": lambda r: bool(r["success"]),
    "failure": lambda r: not r["success"],
    "fallback": lambda r: r["fallbacks_used"] > 0,
    "cache_hit": lambda r: bool(r["cache_hit"]),
}


def bucket_rows(
    rows: Sequence[dict[str, Any]], since: float, bucket_s: float, group: str
) -> list[dict[str, Any]]:
    """`SqliteSource.buckets`'s result, computed from rows."""
    if group not in _GROUPS:
        raise DashboardError(f"group must be one of {', '.join(_GROUPS)}, not {group!r}")
    out: dict[tuple[int, str], dict[str, Any]] = {}
    for r in rows:
        key = (int((r["timestamp"] - since) // bucket_s), str(r[group]))
        b = out.setdefault(key, {"bucket": key[0], "grp": key[1]} | dict.fromkeys(_SUMS, 0.0))
        b["requests"] += 1
        for name in ("cost_usd", "estimated_cost_usd", "input_tokens", "output_tokens"):
            b[name] += r[name]
        b["successes"] += bool(r["success"])
        b["fallbacks"] += r["fallbacks_used"] > 0
        b["latency_ms_sum"] += r["latency_ms"]
    return [out[k] for k in sorted(out)]


_SUMS: Final = (
    "requests", "cost_usd", "estimated_cost_usd", "input_tokens", "output_tokens", "successes",
    "fallbacks", "latency_ms_sum",
)  # fmt: skip
