"""The OpenAI-compatible gateway: `create_app(settings)` builds the FastAPI app.

Every inference request goes through the same `Router` pipeline as the library (context →
resources → cache → route → execute with failover → monitor), so an OpenAI client gets tier-aware
routing without changing a line. What the gateway adds is the HTTP boundary: API keys, per-key
rate limits and budgets, size limits, OpenAI-shaped errors (never a stack trace), response headers
that say where a request went, Prometheus metrics, and cancelling the upstream call when the
client goes away.

This module builds the app and owns its lifetime; `routes` holds the handlers, `admission`
what a request must pass, `responses` the OpenAI-shaped answers, `state` what they share.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pydantic
from fastapi import FastAPI, Request

from mecrouter.config import load_config
from mecrouter.errors import StoreError
from mecrouter.gateway.auth import KeyStore
from mecrouter.gateway.errors import BodyLimit, add_error_handlers
from mecrouter.gateway.metrics import GatewayMetrics
from mecrouter.gateway.openapi import install as install_openapi
from mecrouter.gateway.outbox_metrics import OutboxCollector, SharedStateCollector, store_status
from mecrouter.gateway.routes import SHORT_ROUTES, add_routes, openapi_with_key
from mecrouter.gateway.shared import SharedState
from mecrouter.gateway.short_routes import ShortRoutes
from mecrouter.gateway.state import GatewayState, circuit_states
from mecrouter.pipeline import Router
from mecrouter.stores import open_store, resolve_store, start_store
from mecrouter.types import CircuitState

if TYPE_CHECKING:
    from mecrouter.aws.cloudwatch import CloudWatchPublisher
    from mecrouter.aws.eventbridge import EventBridgePublisher

__all__ = ["GatewaySettings", "create_app"]

log = logging.getLogger(__name__)
_SPEND_FLUSH_S: Final = 1.0


class GatewaySettings(pydantic.BaseModel):
    """How a gateway runs; `mecrouter serve` fills it from its options."""

    model_config = pydantic.ConfigDict(frozen=True, extra="forbid")
    config_path: Path | None = None
    # Where decision records go, as a store URL (`mecrouter.stores.parse_store_url`); None: the
    # config's `store:` section.
    store_url: str | None = None
    # The Redis through which replicas share limits, spend, circuits, revocations, the exact
    # cache and what they learn (`gateway.shared`); None: the config's `state.url`, and
    # without one each process keeps its own.
    state_url: str | None = None
    keys_db: Path = Path("mecrouter-keys.sqlite3")
    auth: bool = True
    max_body_bytes: int = pydantic.Field(default=1_048_576, gt=0)
    metrics_auth: bool = False  # /metrics and /openapi.json need an API key too


def create_app(
    settings: GatewaySettings,
    *,
    router: Router | None = None,
    keys: KeyStore | None = None,
) -> FastAPI:
    """The gateway. A `router`/`keys` passed in are used (and closed) instead of building them
    from `settings` (tests pass an emulated router)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = _build_state(settings, router, keys)
        app.state.gw = state
        await start_store(state.router.store)
        background = [
            asyncio.create_task(_flush_spend_forever(state.keys)),
            asyncio.create_task(state.router.recover_forever()),
        ]
        try:
            async with _publish_to_aws(state.router), _share_state(state):
                _freeze_startup_heap()
                yield
        finally:
            for task in background:
                task.cancel()
            await asyncio.wait(background)
            await state.router.aclose()
            await state.router.store.aclose()
            if state.keys is not None:
                await asyncio.to_thread(state.keys.close)

    app = FastAPI(
        title="mecrouter",
        summary="OpenAI-compatible gateway routing across device, MEC and cloud",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None if settings.metrics_auth else "/openapi.json",
    )
    on_error = add_error_handlers(app, _count_error)
    add_routes(app)
    install_openapi(app)
    if settings.metrics_auth:
        app.add_api_route("/openapi.json", openapi_with_key, include_in_schema=False)
    app.add_middleware(ShortRoutes, routes=SHORT_ROUTES, on_error=on_error)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)  # outside: limits both ways
    return app


def _freeze_startup_heap() -> None:
    """Move what start-up built (models, lexicons, config: long-lived) out of the cyclic
    collector's sight, so its collections walk only what requests make. Measured under the
    gateway bench's concurrency-32 load: collections took about a tenth of the worker's CPU
    (perf), and freezing cut its CPU per request by 11%."""
    gc.collect()
    gc.freeze()


def _count_error(request: Request, status: int, code: str | None) -> None:
    state: GatewayState | None = getattr(request.app.state, "gw", None)
    if state is not None:
        state.metrics.error(status, code)


def _build_state(
    settings: GatewaySettings, router: Router | None, keys: KeyStore | None
) -> GatewayState:
    if router is None:
        config = load_config(settings.config_path)
        store = open_store(resolve_store(config.store, settings.store_url))
        router = Router.from_config(config, store=store)
    if keys is None and settings.auth:
        keys = KeyStore(settings.keys_db)
    state = GatewayState(
        config=router.config,
        router=router,
        metrics=GatewayMetrics(lambda: circuit_states(router)),
        keys=keys if settings.auth else None,
        metrics_auth=settings.metrics_auth,
    )
    for ep in router.config.endpoints:
        state.models.setdefault(ep.model, ep.model)
        state.models.setdefault(ep.id, ep.id)
    router.monitor.add_listener(state.metrics.observe)
    state.metrics.registry.register(OutboxCollector(lambda: store_status(router.store)))
    cfg = router.config.state
    if settings.state_url is not None:
        cfg = cfg.model_copy(update={"url": settings.state_url})
    state.shared = SharedState.from_config(cfg)
    if state.shared is not None:
        state.metrics.registry.register(SharedStateCollector(state.shared.status))
    return state


@contextlib.asynccontextmanager
async def _share_state(state: GatewayState) -> AsyncIterator[None]:
    """With shared state: say hello to Redis, publish circuit openings, use the shared exact
    cache, and exchange circuits, revocations and observations in the background; close the
    connections on exit."""
    shared = state.shared
    if shared is None:
        yield
        return
    router, keys = state.router, state.keys
    await shared.start()
    shared.watch(router.breakers, router.clock.time)
    router.shared_cache = shared
    revoked_here = None if keys is None else keys.revoked_ids
    sync = asyncio.create_task(shared.sync_forever(router, revoked_here))
    try:
        yield
    finally:
        sync.cancel()
        await asyncio.wait([sync])
        router.shared_cache = None
        await shared.aclose()


async def _flush_spend_forever(keys: KeyStore | None) -> None:
    if keys is None:
        return
    while True:
        await asyncio.sleep(_SPEND_FLUSH_S)
        try:
            await asyncio.to_thread(keys.flush)
        except StoreError:
            log.warning("could not save API key spend; will retry", exc_info=True)


@contextlib.asynccontextmanager
async def _publish_to_aws(router: Router) -> AsyncIterator[None]:
    """The Monitor's metrics to CloudWatch and circuit changes and anomalies to EventBridge, as
    the config's `aws:` section enables them (boto3 is imported only then); flushed on exit."""
    aws = router.config.aws
    if not (aws.cloudwatch.enabled or aws.eventbridge.enabled):
        yield
        return
    from mecrouter.aws.clients import require_boto3

    require_boto3("the config's aws: section")
    metrics, events = None, None
    if aws.cloudwatch.enabled:
        from mecrouter.aws.cloudwatch import CloudWatchPublisher

        metrics = await asyncio.to_thread(CloudWatchPublisher.from_config, aws)  # boto3 loads
        router.monitor.add_listener(metrics.observe)
    if aws.eventbridge.enabled:
        from mecrouter.aws.eventbridge import EventBridgePublisher

        events = await asyncio.to_thread(EventBridgePublisher.from_config, aws)
    _watch_circuits(router, metrics, events)
    publishers = [p for p in (metrics, events) if p is not None]
    for publisher in publishers:
        publisher.start()
    anomalies = None if events is None else asyncio.create_task(_report_anomalies(router, events))
    try:
        yield
    finally:
        if anomalies is not None:
            anomalies.cancel()
            await asyncio.wait([anomalies])
        for breaker in router.breakers.values():
            breaker.on_change = None
        for publisher in publishers:
            await publisher.aclose()


def _watch_circuits(
    router: Router, metrics: CloudWatchPublisher | None, events: EventBridgePublisher | None
) -> None:
    """Hand every circuit transition to the publishers, as plain data with wall-clock time."""
    for ep_id, state in circuit_states(router).items():
        if metrics is not None:
            metrics.circuit(ep_id, state)
        tier = router.config.endpoint(ep_id).tier.value
        router.breakers[ep_id].on_change = _circuit_listener(router, ep_id, tier, metrics, events)


def _circuit_listener(
    router: Router,
    endpoint: str,
    tier: str,
    metrics: CloudWatchPublisher | None,
    events: EventBridgePublisher | None,
) -> Callable[[CircuitState, CircuitState, float], None]:
    from mecrouter.aws.eventbridge import CircuitChange

    def changed(old: CircuitState, new: CircuitState, at_monotonic_s: float) -> None:
        if metrics is not None:
            metrics.circuit(endpoint, new)
        if events is not None:
            clock = router.clock
            at_s = clock.time() - (clock.monotonic() - at_monotonic_s)
            events.put(CircuitChange(endpoint, tier, old.value, new.value, at_s))

    return changed


async def _report_anomalies(router: Router, events: EventBridgePublisher) -> None:
    """Ask the Monitor for anomalies every `anomaly_check_s`; the publisher sends new ones."""
    from mecrouter.aws.eventbridge import RoutingAnomaly

    tiers = {ep.id: ep.tier.value for ep in router.config.endpoints}
    while True:
        await asyncio.sleep(router.config.aws.eventbridge.anomaly_check_s)
        now_s = router.clock.time()
        events.anomalies(
            RoutingAnomaly(a.endpoint, tiers.get(a.endpoint, "none"), a.metric, a.value,
                           a.baseline, a.score, now_s)
            for a in router.monitor.detect_anomalies()
        )  # fmt: skip
