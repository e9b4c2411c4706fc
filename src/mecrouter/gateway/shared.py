"""What the gateway's replicas share through Redis: rate limits, spend, circuits, revocations.

One gateway process keeps all of this in its memory. Run two behind a load balancer and, without
sharing, a key gets twice its rate limit, a budget is spent twice, and one replica keeps sending
to a tier the other has found dead. With `state.url` (or `mecrouter serve --state redis://...`):

* **rate limits**: one token bucket per key, a Redis hash taken by one Lua script, so two replicas
  cannot both take the last token; the script reads Redis's clock (``TIME``), so the replicas'
  clocks need not agree;
* **spend**: a float per key (``INCRBYFLOAT``), seeded the first time from the key file's spend
  (``SET NX``), read by the same script as the bucket: a budget counts every replica's spend
  within one round trip. The key file still gets each replica's own spend, as before, so a
  Redis restart loses at most the last second of it (the next charge re-seeds the counter);
* **circuits**: a replica whose breaker opens writes ``circuit:<endpoint>`` = the wall-clock
  time it stays open until (expiring then); each replica reads them every `sync_interval_ms`
  and opens its own breaker for the rest of that time, then probes on its own;
* **revocations**: a set of revoked key ids, added to by ``mecrouter keys revoke --state`` and by
  any replica whose key file shows a revoked key; read with the circuits;
* **the exact response cache**: after a local miss a replica asks Redis (``cache:<key>``), and
  every fresh answer is written there for the cache's TTL. Only public answers: a shared cache
  keeps no private one, and Redis may sit outside the device and the MEC node;
* **what replicas learn**: each one's latency and error observations per endpoint and its users'
  judged answers go, batched every `sync_interval_ms`, to an ``observations`` stream (trimmed to
  about 10,000 entries), and every replica folds the others' into its own latency estimates and
  feedback calibration, so each learns from all the traffic.

Redis slow (over `timeout_ms`) or away: the call is given up and the local state answers (the
process's own bucket, the key file's spend), the failure is counted and shown in ``/readyz``
and ``/metrics``, and Redis is asked again only after `retry_after_s`, so an outage costs one
timeout per second, not one per request. Spend counted meanwhile is added to Redis when it
answers again. Nothing here blocks the event loop: every call is `redis.asyncio`'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypeVar

import orjson

from mecrouter.agents.response_cache import CachedResponse
from mecrouter.breaker import CircuitBreaker
from mecrouter.config import SharedStateConfig
from mecrouter.types import CircuitState, ComputeTier

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from mecrouter.agents.learning import QualityBeliefs
    from mecrouter.agents.resource import ResourceAgent
    from mecrouter.pipeline import Router

__all__ = ["Admission", "SharedState", "connect_redis"]

_MAX_OBSERVED: Final = 10_000  # observations waiting to be sent
_STREAM_ENTRIES: Final = 10_000  # the observations stream is trimmed to about this many

log = logging.getLogger(__name__)
T = TypeVar("T")

_BUCKET_TTL_S: Final = 120  # a bucket idle this long is full again: Redis may drop it
# KEYS: the bucket, the spend counter. ARGV: requests per minute (0: no limit). Returns the
# seconds to wait for a token ("0": taken) and the spend counter (false when unset).
_ADMIT_LUA: Final = """
local wait = 0
local capacity = tonumber(ARGV[1])
if capacity > 0 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
  local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
  local tokens, at = tonumber(held[1]), tonumber(held[2])
  if tokens == nil or at == nil then tokens, at = capacity, now end
  local rate = capacity / 60
  tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
  if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
end
return {tostring(wait), redis.call('GET', KEYS[2])}
"""


def connect_redis(cfg: SharedStateConfig) -> Redis:
    """A `redis.asyncio` client for `cfg.url` whose calls give up after `cfg.timeout_ms`."""
    from redis.asyncio import Redis

    if cfg.url is None:
        raise ValueError("state.url is not set")
    timeout_s = cfg.timeout_ms / 1000.0
    client: Redis = Redis.from_url(
        cfg.url,
        socket_timeout=timeout_s,
        socket_connect_timeout=timeout_s,
        decode_responses=True,
        health_check_interval=0,
    )
    return client


@dataclass(frozen=True, slots=True)
class Admission:
    """What Redis said of a request: seconds until a token frees (None: taken) and the key's
    spend across replicas (None: Redis does not know it yet)."""

    retry_after_s: float | None
    spent_usd: float | None


@dataclass(slots=True)
class _Health:
    connected: bool = False
    errors: int = 0
    last_error: str | None = None
    down_since: float | None = None  # wall clock
    retry_at: float = 0.0  # monotonic: Redis is not asked before this


@dataclass(slots=True)
class SharedState:
    """A gateway's share of the state every replica sees (see the module's docstring)."""

    cfg: SharedStateConfig
    client: Redis
    health: _Health = field(default_factory=_Health)
    revoked: frozenset[str] = frozenset()
    _unsent_usd: dict[str, float] = field(default_factory=dict)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    _adopting: bool = False
    _admit: Any = None  # the registered Lua script
    replica: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    _observed: list[list[Any]] = field(default_factory=list)
    _last_seen: str | None = None  # the last observations entry read

    @classmethod
    def from_config(cls, cfg: SharedStateConfig) -> SharedState | None:
        return None if cfg.url is None else cls(cfg, connect_redis(cfg))

    async def start(self) -> None:
        """Say hello, so that /readyz knows at once whether Redis answers."""
        await self._call(self.client.ping)

    def key(self, *parts: str) -> str:
        return self.cfg.prefix + ":".join(parts)

    # ------------------------------------------------------------------ calls and health

    async def _call(self, op: Callable[[], Awaitable[T]]) -> T | None:
        """`op`'s answer, or None when Redis is resting after a failure, slow or away."""
        if time.monotonic() < self.health.retry_at:
            return None
        try:
            async with asyncio.timeout(self.cfg.timeout_ms / 1000.0):
                answer = await op()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of Redis means: answer locally
            self._failed(exc)
            return None
        if not self.health.connected:
            self._recovered()
        return answer

    def _failed(self, exc: BaseException) -> None:
        health = self.health
        health.errors += 1
        health.last_error = f"{type(exc).__name__}: {exc}"[:300] or type(exc).__name__
        health.retry_at = time.monotonic() + self.cfg.retry_after_s
        if health.connected or health.down_since is None:
            health.down_since = time.time()
            log.warning("shared state: Redis unavailable, serving on local state (%s)", exc)
        health.connected = False

    def _recovered(self) -> None:
        if self.health.down_since is not None:
            log.warning("shared state: Redis is back; resynchronising")
        self.health.connected, self.health.down_since = True, None
        if self._unsent_usd:
            self._spawn(self._send_unsent())

    def status(self) -> dict[str, Any]:
        """For /readyz: whether Redis answers, and since when it does not."""
        health = self.health
        body: dict[str, Any] = {
            "backend": "redis",
            "connected": health.connected,
            "mode": "shared" if health.connected else "degraded: local state",
            "errors": health.errors,
        }
        if health.down_since is not None:
            body["down_since"] = health.down_since
            body["last_error"] = health.last_error
        if self._unsent_usd:
            body["unsent_spend_keys"] = len(self._unsent_usd)
        return body

    def _spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ------------------------------------------------------------------ keys

    async def admit(self, key_id: str, rpm_limit: int | None) -> Admission | None:
        """Take a token from the key's shared bucket and read its shared spend, in one round
        trip; None when Redis did not answer (the caller uses its local state)."""
        if self._admit is None:
            self._admit = self.client.register_script(_ADMIT_LUA)
        keys = [self.key("bucket", key_id), self.key("spend", key_id)]
        args = [rpm_limit or 0, _BUCKET_TTL_S]
        answer = await self._call(lambda: self._admit(keys=keys, args=args))
        if answer is None:
            return None
        wait, spent = float(answer[0]), answer[1]
        return Admission(wait if wait > 0 else None, None if spent is None else float(spent))

    def add_spend(self, key_id: str, usd: float, seed_usd: float) -> None:
        """Add a served request's cost to the key's shared spend, in the background; the
        counter starts at `seed_usd` (the key file's spend before this cost) when it is new."""
        if usd <= 0:
            return
        self._spawn(self._add_spend(key_id, usd, seed_usd))

    async def _add_spend(self, key_id: str, usd: float, seed_usd: float) -> None:
        name = self.key("spend", key_id)

        async def send() -> bool:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.set(name, repr(seed_usd), nx=True)
                pipe.incrbyfloat(name, usd)
                await pipe.execute()
            return True

        if await self._call(send) is None:
            self._unsent_usd[key_id] = self._unsent_usd.get(key_id, 0.0) + usd

    async def _send_unsent(self) -> None:
        unsent, self._unsent_usd = self._unsent_usd, {}

        async def send() -> bool:
            async with self.client.pipeline(transaction=False) as pipe:
                for key_id, usd in unsent.items():
                    pipe.incrbyfloat(self.key("spend", key_id), usd)
                await pipe.execute()
            return True

        if await self._call(send) is None:
            for key_id, usd in unsent.items():
                self._unsent_usd[key_id] = self._unsent_usd.get(key_id, 0.0) + usd

    async def revoke(self, key_ids: Iterable[str]) -> bool:
        """Tell every replica these keys are revoked; False when Redis did not answer."""
        ids = sorted(set(key_ids))
        if not ids:
            return True
        done = await self._call(lambda: self.client.sadd(self.key("revoked"), *ids))
        if done is not None:
            self.revoked = self.revoked | frozenset(ids)
        return done is not None

    # ------------------------------------------------------------------ exact cache

    async def cache_get(self, key: str) -> CachedResponse | None:
        """A public answer another replica cached under `key` (`pipeline.caching.SharedCache`);
        None when there is none or Redis did not answer."""
        name = self.key("cache", key)
        raw = await self._call(lambda: self.client.get(name))
        if raw is None:
            return None
        try:
            fields = orjson.loads(raw)
            fields["tier"] = ComputeTier(fields["tier"])
            return CachedResponse(**fields)
        except (orjson.JSONDecodeError, TypeError, KeyError, ValueError):
            return None  # written by another version: a miss

    def cache_put(self, key: str, response: CachedResponse, ttl_s: float) -> None:
        """Share a public answer for `ttl_s`, in the background."""
        raw = orjson.dumps(dataclasses.asdict(response))
        ttl_ms = max(1, round(ttl_s * 1000))
        name = self.key("cache", key)
        self._spawn(self._call(lambda: self.client.set(name, raw, px=ttl_ms)))

    # ------------------------------------------------------------------ circuits

    def watch(self, breakers: dict[str, CircuitBreaker], wall: Callable[[], float]) -> None:
        """Publish each breaker's opening; keeps any listener already set."""
        for endpoint, breaker in breakers.items():
            breaker.on_change = self._publisher(endpoint, breaker, wall, breaker.on_change)

    def _publisher(
        self,
        endpoint: str,
        breaker: CircuitBreaker,
        wall: Callable[[], float],
        inner: Callable[[CircuitState, CircuitState, float], None] | None,
    ) -> Callable[[CircuitState, CircuitState, float], None]:
        def changed(old: CircuitState, new: CircuitState, at: float) -> None:
            if inner is not None:
                inner(old, new, at)
            if new is CircuitState.OPEN and not self._adopting:
                with contextlib.suppress(RuntimeError):  # no running loop: nothing to share
                    self._spawn(self._publish_open(endpoint, wall() + breaker.open_seconds))

        return changed

    async def _publish_open(self, endpoint: str, until: float) -> None:
        ttl_ms = max(1, round((until - time.time()) * 1000))
        name = self.key("circuit", endpoint)
        await self._call(lambda: self.client.set(name, repr(until), px=ttl_ms))

    async def sync(
        self,
        breakers: dict[str, CircuitBreaker],
        monotonic: Callable[[], float],
        revoked_here: Callable[[], frozenset[str]] | None,
    ) -> None:
        """Read the shared circuits and revocations once; open local breakers a peer opened,
        and share the revocations this replica's key file shows."""
        names = list(breakers)

        async def read() -> tuple[list[str | None], set[str]]:
            async with self.client.pipeline(transaction=False) as pipe:
                pipe.mget([self.key("circuit", n) for n in names])
                pipe.smembers(self.key("revoked"))
                opened, revoked = await pipe.execute()
            return opened, revoked

        answer = await self._call(read) if names or revoked_here else None
        if answer is None:
            return
        opened, revoked = answer
        self.revoked = frozenset(revoked)
        now_wall, now = time.time(), monotonic()
        for endpoint, until in zip(names, opened, strict=True):
            if until is None or float(until) <= now_wall:
                continue
            breaker = breakers[endpoint]
            if breaker.state(now) is not CircuitState.OPEN:
                self._adopting = True
                try:
                    breaker.trip(now, float(until) - now_wall)
                finally:
                    self._adopting = False
        if revoked_here is not None:
            missing = revoked_here() - self.revoked
            if missing:
                await self.revoke(missing)

    async def sync_forever(
        self, router: Router, revoked_here: Callable[[], frozenset[str]] | None
    ) -> None:
        """`sync` and `exchange` every `sync_interval_ms`, until cancelled."""
        self.learn_from(router.resource_agent, router.beliefs)
        while True:
            try:
                await self.sync(router.breakers, router.clock.monotonic, revoked_here)
                await self.exchange(router.resource_agent, router.beliefs)
            except Exception:  # the loop must outlive any one bad answer
                log.warning("shared state: sync failed; will retry", exc_info=True)
            await asyncio.sleep(self.cfg.sync_interval_ms / 1000.0)

    # ------------------------------------------------------------------ what replicas learn

    def learn_from(self, resources: ResourceAgent, beliefs: QualityBeliefs | None) -> None:
        """Note what this replica observes (latency and errors per endpoint, judged answers),
        to send with the next `exchange`."""
        resources.observer = lambda event: self._note(["r", *event])
        if beliefs is not None:
            beliefs.observer = lambda event: self._note(["q", *event])

    def _note(self, event: list[Any]) -> None:
        if len(self._observed) < _MAX_OBSERVED:  # Redis away a long time: the newest wait
            self._observed.append(event)

    async def exchange(self, resources: ResourceAgent, beliefs: QualityBeliefs | None) -> None:
        """Send this replica's observations since the last exchange as one entry of the
        ``observations`` stream, and fold in the other replicas' new ones: every replica's
        latency estimates and feedback calibration then learn from all the traffic."""
        stream = self.key("observations")
        if self._observed:
            batch, self._observed = self._observed, []
            fields: dict[Any, Any] = {"from": self.replica, "events": orjson.dumps(batch)}
            sent = await self._call(
                lambda: self.client.xadd(stream, fields, maxlen=_STREAM_ENTRIES, approximate=True)
            )
            if sent is None:
                self._observed = (batch + self._observed)[-_MAX_OBSERVED:]
        if self._last_seen is None:  # start from the stream's end: older news is stale
            last: Any = await self._call(lambda: self.client.xrevrange(stream, count=1))
            if last is None:
                return
            self._last_seen = str(last[0][0]) if last else "0-0"
        since: dict[Any, Any] = {stream: self._last_seen}
        got: Any = await self._call(lambda: self.client.xread(since, count=500))
        for _, entries in got or ():
            for entry_id, entry in entries:
                self._last_seen = str(entry_id)
                if entry.get("from") != self.replica:
                    _fold(entry.get("events", "[]"), resources, beliefs)

    async def aclose(self) -> None:
        """Finish what is being sent (bounded by the timeout), then close the connections."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=2 * self.cfg.timeout_ms / 1000.0)
        if self._unsent_usd:
            await self._send_unsent()
        await self.client.aclose()


def _fold(raw: str, resources: ResourceAgent, beliefs: QualityBeliefs | None) -> None:
    """Apply another replica's observations (see `SharedState.exchange`); a malformed one (from
    another version) is skipped."""
    try:
        events = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return
    for event in events:
        try:
            if event[0] == "r" and event[1] == "ok":
                resources.observe_success(event[2], event[3], event[4], remote=True)
            elif event[0] == "r" and event[1] == "fail":
                resources.observe_failure(event[2], remote=True)
            elif event[0] == "q" and beliefs is not None:
                beliefs.observe(event[1], event[2], event[3], event[4], remote=True)
        except (IndexError, TypeError, ValueError):
            continue
