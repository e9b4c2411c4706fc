"""Make a large SQLite decision store, to benchmark an operator's dashboard on it.

    python benchmarks/make_decision_store.py OUT.sqlite --rows 10000000 --days 7 --seed 0

THE VALUES ARE SYNTHETIC, NOT MEASURED: random draws in the project's vocabulary, plausible and
consistent with each other, that say nothing about how mecrouter or any tier performs.

The schema is exactly `SQLiteStore`'s (the file is created by opening it through the store);
the rows are then loaded with sqlite3: the store's secondary indexes dropped, rows inserted in
transactions of ~100k with journal and sync off, the indexes rebuilt from their own SQL, and
the file put back in WAL mode as the store keeps it. Rows are in time order, as in a live store.

Per row: a use case of `SCENARIOS` or ``default`` (SLO, SLO metric, output tokens, privacy floor
from the default config); privacy public, sensitive or regulated, raised to that floor; a tier
by use case, moved down where the privacy rule forbids it (the cloud's ceiling is ``internal``);
an endpoint and model of that tier from the default config, priced as it is; lognormal latency
around 30 ms (device), 150 ms (MEC), 1,500 ms (cloud); ~2 % failures with the pipeline's error
text; ~5 % cache hits (policy ``cache``, as `pipeline.recording` writes them); 1-2 fallbacks now
and then, to another tier; ``fallback_options`` holds tiers, as the store does; ``slo_met`` is
judged on the use case's metric (TTFT, or total latency for ``iot``) as the Recorder does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from rich.console import Console
from rich.progress import TextColumn

from mecrouter.agents.context import TASK_TYPES
from mecrouter.config import Config, PriceConfig, load_config
from mecrouter.progress import progress_bar
from mecrouter.scenarios import SCENARIOS
from mecrouter.stores.sqlite import SQLiteStore
from mecrouter.types import ComputeTier, NetworkType, PrivacyLevel

__all__ = ["CHUNK_ROWS", "Chunk", "Vocabulary", "main", "make_store"]

Array = npt.NDArray[Any]
Columns = dict[str, list[Any]]

CHUNK_ROWS: Final = 100_000
LOAD_PRAGMAS: Final = "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144"
USERS: Final = 5_000
API_KEYS: Final = 12
TIERS: Final = (ComputeTier.DEVICE, ComputeTier.MEC, ComputeTier.CLOUD)
LEVELS: Final = tuple(PrivacyLevel)  # in rank order: public, internal, sensitive, regulated
# Where a request goes when its endpoint fails: other locations first, the device last.
FALLBACK_ORDER: Final = {0: (1, 2), 1: (2, 0), 2: (1, 0)}
TIER_MEDIAN_MS: Final = np.array([30.0, 150.0, 1_500.0])
TIER_SIGMA: Final = np.array([0.5, 0.45, 0.55])
NETWORKS: Final = (NetworkType.FIVE_G, NetworkType.LTE, NetworkType.WIFI)
NETWORK_SHARE: Final = (0.5, 0.3, 0.2)

USE_CASE_SHARE: Final = {"gaming": 0.3, "automotive": 0.15, "healthcare": 0.15, "iot": 0.3}
OTHER_USE_CASE_SHARE: Final = 0.1
# fmt: off
TIER_SHARE: Final = {  # device, MEC, cloud, before the privacy rule moves some down
    "gaming": (0.45, 0.5, 0.05), "automotive": (0.35, 0.6, 0.05),
    "healthcare": (0.3, 0.7, 0.0), "iot": (0.5, 0.3, 0.2),
}
OTHER_TIER_SHARE: Final = (0.15, 0.35, 0.5)
PRIVACY_SHARE: Final = {"healthcare": (0.0, 0.0, 0.55, 0.45)}  # public .. regulated
OTHER_PRIVACY_SHARE: Final = (0.75, 0.0, 0.18, 0.07)
TASK_SHARE: Final = {"chat": 0.55, "code": 0.15, "math": 0.1, "reasoning": 0.2}

P_FAIL: Final = 0.02
P_CACHE: Final = 0.05
P_CANCELLED: Final = 0.1  # of the failures: the client gave up
P_FEEDBACK: Final = 0.05
FALLBACK_SHARE: Final = (0.93, 0.05, 0.02)  # 0, 1, 2 fallbacks (at most the chain's length)
ERRORS: Final = (
    "timed out after {ms:.0f} ms", "unavailable: connection refused",
    "HTTP 503: model overloaded", "circuit open",
)
# fmt: on
CANCELLED: Final = "cancelled by the client"  # `pipeline.dispatch.CANCELLED_BY_CLIENT`

SYNTHETIC_NOTE: Final = (
    "THE VALUES ARE SYNTHETIC, NOT MEASURED: plausible random draws in the project's vocabulary,"
    " to time a dashboard's queries with, never to quote latencies or costs from."
)


def _shares(values: Sequence[float]) -> Array:
    return np.asarray(values, dtype=np.float64) / sum(values)


def _cumulative(rows: Sequence[Sequence[float]]) -> Array:
    return np.cumsum([_shares(row) for row in rows], axis=1)


def _names(values: Sequence[str]) -> Array:
    return np.array(values, dtype=object)


def _unit_prices(price: PriceConfig) -> tuple[float, float]:
    """USD per input and per output token, as `PriceConfig.cost_usd` charges them."""
    if price.instance_hour_usd is not None and price.throughput_tokens_per_s is not None:
        return 0.0, price.instance_hour_usd / 3600.0 / price.throughput_tokens_per_s
    return price.per_1k_input_usd / 1000.0, price.per_1k_output_usd / 1000.0


class Vocabulary:
    """A config (the shipped default unless given) as arrays that rows index into."""

    def __init__(self, config: Config | None = None) -> None:
        config = config if config is not None else load_config(None)
        self.policy = config.routing.policy
        self._use_cases(config)
        self._endpoints(config)
        self._chains()
        users = range(USERS)
        self.user_ids = _names([f"user-{u:05d}" for u in users])
        # Each user calls through one API key; every fifth is a library caller (no key).
        self.owners = _names([f"key-{u % API_KEYS:02d}" if u % 5 else "" for u in users])
        self.user_p = _shares([1.0 / (u + 1) ** 0.8 for u in users])  # a few users ask most
        self.task_types = _names(TASK_TYPES)
        self.levels = _names([level.value for level in LEVELS])
        self.task_p = _shares([TASK_SHARE.get(t, 0.1) for t in TASK_TYPES])

    def _use_cases(self, config: Config) -> None:
        wanted = dict.fromkeys([*(s.use_case for s in SCENARIOS), "default"])
        names = [name for name in wanted if name in config.use_cases]
        presets = [config.use_cases[name] for name in names]
        res = config.resilience
        self.use_cases = _names(names)
        self.use_case_p = _shares([USE_CASE_SHARE.get(n, OTHER_USE_CASE_SHARE) for n in names])
        self.slo_ms = np.array([p.latency_slo_ms for p in presets], dtype=np.float64)
        self.slo_total = np.array([p.slo_metric == "total" for p in presets])  # else on TTFT
        self.output_tokens = np.array([p.output_tokens for p in presets], dtype=np.float64)
        self.deadline_ms = np.maximum(self.slo_ms * res.deadline_slo_multiple, res.min_deadline_ms)
        self.attempt_multiple = res.attempt_timeout_multiple
        self.min_attempt_ms = res.min_attempt_timeout_ms
        self.privacy_cum = _cumulative([PRIVACY_SHARE.get(n, OTHER_PRIVACY_SHARE) for n in names])
        self.floor = np.array([p.min_privacy.rank for p in presets], dtype=np.int64)
        self.tier_cum = _cumulative([TIER_SHARE.get(n, OTHER_TIER_SHARE) for n in names])

    def _endpoints(self, config: Config) -> None:
        eps = config.endpoints
        tier_of = np.array([TIERS.index(ep.tier) for ep in eps], dtype=np.int64)
        self.by_tier = tuple(np.flatnonzero(tier_of == t) for t in range(len(TIERS)))
        if any(members.size == 0 for members in self.by_tier):
            raise ValueError("the config needs at least one endpoint on every tier")
        # The first endpoint of a tier in the config takes the most traffic.
        self.by_tier_p = tuple(_shares([1 / (i + 1) for i in range(m.size)]) for m in self.by_tier)
        # Every endpoint of the tier may see data of the level (tier, level).
        ok = [[all(config.privacy.admits(lv, eps[i].privacy_ceiling) for i in m) for lv in LEVELS]
              for m in self.by_tier]  # fmt: skip
        self.admits = np.array(ok)
        # Names per endpoint, then "" at index -1: a failed request has no actual endpoint.
        self.ids = _names([*(ep.id for ep in eps), ""])
        self.models = _names([*(ep.model for ep in eps), ""])
        self.tier_names = _names([*(ep.tier.value for ep in eps), ""])
        self.capability = np.array([ep.capability for ep in eps], dtype=np.float64)
        prices = np.array([_unit_prices(ep.price) for ep in eps], dtype=np.float64)
        self.usd_in, self.usd_out = prices[:, 0], prices[:, 1]
        profiles = [config.network_profiles[nt] for nt in NETWORKS]
        self.rtt_ms = np.array([[0.0, p.mec_rtt_ms, p.cloud_rtt_ms] for p in profiles])
        prefix = [f"{self.policy}: {ep.tier.value}/{ep.model} on {ep.id}; " for ep in eps]
        self.reason_prefix = _names(prefix)

    def _chains(self) -> None:
        """Per selected tier and privacy level: the fallback tiers the data may go to."""
        shape = (len(TIERS), len(LEVELS))
        self.chain_len = np.zeros(shape, dtype=np.int64)
        self.chain_tier = np.zeros((*shape, 2), dtype=np.int64)
        self.chain_json = np.empty(shape, dtype=object)  # the fallback_options column
        for t in range(len(TIERS)):
            for level in range(len(LEVELS)):
                chain = [f for f in FALLBACK_ORDER[t] if self.admits[f, level]]
                self.chain_len[t, level] = len(chain)
                self.chain_tier[t, level, : len(chain)] = chain
                self.chain_json[t, level] = json.dumps([TIERS[f].value for f in chain])


# --------------------------------------------------------------------------- drawing one chunk


def _categorical(rng: np.random.Generator, cum: Array, rows: Array) -> Array:
    """One draw per row from the cumulative shares `cum[rows]` (each row its own distribution)."""
    picked: Array = (rng.random(rows.size)[:, None] >= cum[rows]).sum(axis=1)
    return picked.clip(max=cum.shape[1] - 1)  # a share sum of 0.9999... is still the last


def _pick_endpoints(rng: np.random.Generator, v: Vocabulary, tiers: Array) -> Array:
    out = np.empty(tiers.size, dtype=np.int64)
    for t, (members, p) in enumerate(zip(v.by_tier, v.by_tier_p, strict=True)):
        mask = tiers == t
        out[mask] = rng.choice(members, int(mask.sum()), p=p)
    return out


class Chunk:
    """Rows of the store drawn column by column: each array has one entry per row."""

    def __init__(self, rng: np.random.Generator, v: Vocabulary, n: int) -> None:
        self.rng, self.v, self.n = rng, v, n
        self._decide()
        self._route()
        self._serve()

    def _decide(self) -> None:
        """Who asked, for what, and where the router sent it (before anything ran)."""
        rng, v, n = self.rng, self.v, self.n
        self.uc = uc = rng.choice(v.use_cases.size, n, p=v.use_case_p)
        self.level = level = np.maximum(_categorical(rng, v.privacy_cum, uc), v.floor[uc])
        self.tier = tier = _categorical(rng, v.tier_cum, uc)
        for t in (2, 1):  # the privacy rule: down to the next tier that may see the data
            tier[(tier == t) & ~v.admits[t, level]] = t - 1
        self.ep = ep = _pick_endpoints(rng, v, tier)
        self.user = rng.choice(USERS, n, p=v.user_p)
        tokens = np.rint(rng.lognormal(math.log(90.0), 0.8, n))
        self.in_tok = in_tok = np.clip(tokens, 4, 8_000).astype(np.int64)
        est = TIER_MEDIAN_MS[tier] * rng.lognormal(0.0, TIER_SIGMA[tier])
        self.est_ms = np.maximum(np.rint(est), 1.0)
        self.est_cost = v.usd_in[ep] * in_tok + v.usd_out[ep] * v.output_tokens[uc]

    def _route(self) -> None:
        """Cache hits, failures, fallbacks and the endpoint that answered (-1: none did)."""
        rng, v, n, tier, level = self.rng, self.v, self.n, self.tier, self.level
        eligible = level <= PrivacyLevel.INTERNAL.rank  # the cache never serves private data
        p_cache = min(1.0, P_CACHE * n / max(1, int(eligible.sum())))
        self.cache = cache = eligible & (rng.random(n) < p_cache)
        self.fail = fail = ~cache & (rng.random(n) < P_FAIL)
        chain_len = v.chain_len[tier, level]
        self.k = k = np.minimum(rng.choice(len(FALLBACK_SHARE), n, p=FALLBACK_SHARE), chain_len)
        k[cache] = 0
        k[fail] = chain_len[fail]  # every endpoint of the chain was tried
        self.actual_tier = at = tier.copy()
        for j in (1, 2):
            m = (k == j) & ~fail
            at[m] = v.chain_tier[tier[m], level[m], j - 1]
        self.actual = actual = self.ep.copy()
        moved = (k > 0) & ~fail
        actual[moved] = _pick_endpoints(rng, v, at[moved])
        actual[fail] = -1

    def _serve(self) -> None:
        """How long it took, what it cost, and whether it met the SLO."""
        rng, v, n, uc, k, at = self.rng, self.v, self.n, self.uc, self.k, self.actual_tier
        cache, fail, actual = self.cache, self.fail, self.actual
        own = TIER_MEDIAN_MS[at] * rng.lognormal(0.0, TIER_SIGMA[at])
        own = np.where(k == 0, self.est_ms * rng.lognormal(0.0, 0.2, n), own)  # as estimated
        self.timeout = np.maximum(v.min_attempt_ms, v.attempt_multiple * self.est_ms)
        penalty = k * self.timeout * rng.uniform(0.05, 1.0, n)  # the attempts that failed
        hit_ms, spent = rng.uniform(0.2, 3.0, n), v.deadline_ms[uc] * rng.uniform(0.1, 1.0, n)
        self.latency = np.where(cache, hit_ms, np.where(fail, spent, own + penalty))
        ttft = penalty + own * rng.uniform(0.2, 0.6, n)
        self.ttft = np.where(cache, hit_ms, np.where(fail, 0.0, ttft))
        out_tok = np.clip(np.rint(v.output_tokens[uc] * rng.lognormal(0.0, 0.45, n)), 1, 4_096)
        self.out_tok = np.where(fail, 0, out_tok).astype(np.int64)
        served = ~(cache | fail)
        self.in_used = np.where(served, self.in_tok, 0)  # a cache hit records no prompt tokens
        price = v.usd_in[actual] * self.in_used + v.usd_out[actual] * self.out_tok
        self.cost = np.where(served, price, 0.0)
        rtt = v.rtt_ms[rng.choice(len(NETWORKS), n, p=NETWORK_SHARE), at]
        self.rtt = np.where(served, rtt * rng.lognormal(0.0, 0.25, n), 0.0)
        met = np.where(v.slo_total[uc], self.latency, self.ttft) <= v.slo_ms[uc]
        self.slo_met = (met | cache) & ~fail
        quality = np.clip(v.capability[actual] * rng.uniform(0.85, 1.1, n), 0.02, 0.99)
        self.quality = np.where(fail, -1.0, quality)
        judged = ~fail & (rng.random(n) < P_FEEDBACK)
        self.feedback = np.where(judged, rng.beta(3.0, 1.5, n), -1.0)

    def _reasoning(self) -> list[str]:
        """The RouterAgent's reasoning, shortened; a cache hit's as `pipeline.recording` has it."""
        v, uc = self.v, self.uc
        est = np.where(v.slo_total[uc], self.est_ms, np.rint(self.est_ms * 0.4))  # SLO metric
        verbs = np.where(est <= v.slo_ms[uc], "meets", "misses").tolist()
        prefixes, slos = v.reason_prefix[self.ep].tolist(), v.slo_ms[uc].tolist()
        text = [
            f"{prefix}{verb} {slo:.0f} ms SLO (est {e:.0f} ms); cost ${c:.6f}"
            for prefix, verb, slo, e, c in zip(
                prefixes, verbs, slos, est.tolist(), self.est_cost.tolist(), strict=True
            )
        ]
        for i in np.flatnonzero(self.cache).tolist():
            text[i] = f"cache hit: answer from {v.ids[self.ep[i]]} replayed"
        return text

    def _errors(self, request_ids: list[str]) -> list[str]:
        """`AllEndpointsFailed`'s text for the failed requests ("" for the rest)."""
        rng, v, out = self.rng, self.v, [""] * self.n
        fail = np.flatnonzero(self.fail)
        tier, level = self.tier[fail], self.level[fail]
        tried = [self.ep[fail]]
        tried += [_pick_endpoints(rng, v, v.chain_tier[tier, level, j]) for j in range(2)]
        kinds = rng.integers(len(ERRORS), size=(3, fail.size))
        cancelled = rng.random(fail.size) < P_CANCELLED
        for row, i in enumerate(fail.tolist()):
            parts = [
                f"{v.ids[tried[j][row]]}: {ERRORS[kinds[j, row]].format(ms=self.timeout[i])}"
                for j in range(int(self.k[i]) + 1)
            ]
            why = f"request {request_ids[i]} failed on every endpoint: {', '.join(parts)}"
            out[i] = CANCELLED if cancelled[row] else why
        return out

    def columns(self, first: int, timestamps: Array) -> Columns:
        """Rows `first`.. as one list per column; redacted* and advisor_* keep their defaults
        (the default config neither redacts for the cloud nor asks the advisor)."""
        v, cache, sel, act = self.v, self.cache, self.ep, self.actual
        numbers = range(first, first + self.n)
        request_ids = [f"req-{i:09d}" for i in numbers]
        arrays: dict[str, Array | list[Any]] = {
            "request_id": request_ids,
            "timestamp": timestamps,
            "user_id": v.user_ids[self.user],
            "decision_id": [f"dec-{i:09d}" for i in numbers],
            "use_case": v.use_cases[self.uc],
            "policy": np.where(cache, "cache", v.policy),
            "selected_tier": v.tier_names[sel],
            "selected_model": v.models[sel],
            "selected_endpoint": v.ids[sel],
            "confidence_score": np.where(cache, 1.0, self.rng.beta(6.0, 2.0, self.n)),
            "reasoning": self._reasoning(),
            "fallback_options": np.where(cache, "[]", v.chain_json[self.tier, self.level]),
            "estimated_latency_ms": np.where(cache, 0.0, self.est_ms),
            "estimated_cost_usd": np.where(cache, 0.0, self.est_cost),
            "slo_ms": v.slo_ms[self.uc],
            "privacy_level": v.levels[self.level],
            "complexity_score": self.rng.beta(2.0, 3.0, self.n),
            "success": ~self.fail,  # bools bind as 1/0, as the store's codec writes them
            "slo_met": self.slo_met,
            "actual_tier": v.tier_names[act],
            "actual_model": v.models[act],
            "actual_endpoint": v.ids[act],
            "latency_ms": self.latency,
            "ttft_ms": self.ttft,
            "input_tokens": self.in_used,
            "output_tokens": self.out_tok,
            "cost_usd": self.cost,
            "fallbacks_used": self.k,
            "cache_hit": cache,
            "network_rtt_ms": self.rtt,
            "error": self._errors(request_ids),
            "task_type": v.task_types[self.rng.choice(v.task_types.size, self.n, p=v.task_p)],
            "predicted_quality": self.quality,
            "feedback_score": self.feedback,
            "owner_id": v.owners[self.user],
        }
        return {k: a.tolist() if isinstance(a, np.ndarray) else a for k, a in arrays.items()}


# --------------------------------------------------------------------------- writing the file


async def _create_schema(path: Path) -> None:
    store = await SQLiteStore.open(path)
    await store.aclose()


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _secondary_indexes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, SQL) of the indexes the store created on routing_decisions (the primary key's
    automatic index has no SQL and stays)."""
    sql = (
        "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        " AND tbl_name = 'routing_decisions' AND sql IS NOT NULL ORDER BY rowid"
    )
    return [(str(name), str(text)) for name, text in conn.execute(sql)]


def _chunks(rows: int, span_s: float, end: float, seed: int) -> Iterator[Columns]:
    rng = np.random.default_rng(seed)
    v = Vocabulary()
    chunks = max(1, math.ceil(rows / CHUNK_ROWS))
    counts = rng.multinomial(rows, [1.0 / chunks] * chunks)  # rows per equal slice of time
    edges = np.linspace(end - span_s, end, chunks + 1)
    done = 0
    for j, n in enumerate(counts.tolist()):
        if n:
            yield Chunk(rng, v, n).columns(done, np.sort(rng.uniform(edges[j], edges[j + 1], n)))
            done += n


def _load(path: Path, chunks: Iterator[Columns], progress: Callable[[int], None] | None) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        indexes = _secondary_indexes(conn)
        # No journal, no syncing: a load that fails removes the file. 256 MiB of page cache.
        conn.executescript(LOAD_PRAGMAS)
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        done = 0
        for columns in chunks:
            names, marks = ", ".join(columns), ", ".join("?" for _ in columns)
            rows = zip(*columns.values(), strict=True)
            conn.execute("BEGIN")
            conn.executemany(f"INSERT INTO routing_decisions ({names}) VALUES ({marks})", rows)
            conn.execute("COMMIT")
            done += len(columns["request_id"])
            if progress is not None:
                progress(done)
        for _, sql in indexes:
            conn.execute(sql)
        mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
        if mode != "wal":
            raise RuntimeError(f"{path}: cannot put the file back in WAL mode ({mode})")
    finally:
        conn.close()


def make_store(
    path: Path,
    rows: int,
    days: float,
    seed: int,
    end: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """A new store at `path` of `rows` SYNTHETIC decisions, uniform at random over the `days`
    before `end` (default: now); `progress(rows written)` after each chunk. An existing `path`
    is refused (FileExistsError); a half-written file is removed."""
    path = Path(path)
    if rows < 0 or days < 0:
        raise ValueError("rows and days must not be negative")
    if path.exists():
        raise FileExistsError(f"{path} exists")
    end = time.time() if end is None else end
    asyncio.run(_create_schema(path))
    try:
        _load(path, _chunks(rows, days * 86_400.0, end, seed), progress)
    except BaseException:
        _remove(path)
        raise
    return path


# --------------------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make_decision_store.py",
        description="Write a SQLite decision store in SQLiteStore's schema, to benchmark an"
        " operator's dashboard on it. " + SYNTHETIC_NOTE,
    )
    parser.add_argument("out", type=Path, help="the new SQLite file")
    parser.add_argument("--rows", type=int, default=10_000_000, help="decisions (10,000,000)")
    parser.add_argument("--days", type=float, default=7.0, help="days they span, up to --end (7)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument("--end", type=float, default=None, help="newest timestamp (default: now)")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.rows < 0 or args.days < 0:
        parser.error("--rows and --days must not be negative")
    out: Path = args.out
    if out.exists() and not args.force:
        print(f"make_decision_store: {out} exists; pass --force to replace it", file=sys.stderr)
        return 2
    _remove(out)
    console = Console(stderr=True)
    bar = progress_bar(console, label_width=10)
    bar.columns = (*bar.columns, TextColumn("{task.fields[rate]}"))  # rows per second
    started = time.perf_counter()
    with bar:
        task = bar.add_task("writing", total=args.rows, rate="")

        def report(done: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            bar.update(task, completed=done, rate=f"{rate:,.0f} rows/s")
            if done == args.rows:
                bar.update(task, description="indexing")

        make_store(out, args.rows, args.days, args.seed, args.end, report)
    elapsed = time.perf_counter() - started
    size = sum(p.stat().st_size for p in (out, Path(f"{out}-wal")) if p.exists())
    console.print(
        f"{out}: {args.rows:,} synthetic decisions, {size / 1e6:,.1f} MB, {elapsed:,.1f} s"
        f" ({args.rows / elapsed:,.0f} rows/s)",
        soft_wrap=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
