"""The optimisation loop's Lambda handlers: AnalyseMonitor, RecommendPlacement, ApplyPlacement,
RecordOptimisation and RecordOptimisationFailure (`definitions.optimisation_definition`).

AnalyseMonitor replays the window's decisions (the last hour by default) into a `MonitorAgent`
that persists nothing and returns its analyses (patterns, anomalies, recommendations) with the
MEC usage per node and model. RecommendPlacement asks a `PlacementBook` of the config which
models each MEC node should hold for that usage (`manage_cache_strategy`): the loads and
evictions are the plan. ApplyPlacement publishes one EventBridge event per action; the MEC
nodes' own agents load or evict (the MEC runtimes have no remote load/unload API to call).
Everything passed between states is bounded by the config's size (its tiers, use cases,
endpoints, nodes and models), not by the traffic.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

from mecrouter.agents.monitor import MonitorAgent
from mecrouter.agents.placement import PlacementBook
from mecrouter.config import Config
from mecrouter.serverless.workflows.runtime import (
    TransientWorkflowError,
    WorkflowInputError,
    client,
    epoch_of,
    event_bus,
    mapping,
    open_workflow_store,
    put_json,
    reports_bucket,
    translated,
    workflow_config,
)
from mecrouter.types import ComputeTier, DecisionRecord

__all__ = [
    "DETAIL_TYPE",
    "MAX_DECISIONS",
    "SOURCE",
    "analyse_monitor",
    "apply_placement",
    "recommend_placement",
    "record_failure",
    "record_key",
]

SOURCE: Final = "mecrouter"
DETAIL_TYPE: Final = "mecrouter.placement"
DEFAULT_WINDOW_S: Final = 3600.0
MAX_WINDOW_S: Final = 7 * 86_400.0
MAX_DECISIONS: Final = 50_000
"""Decisions one run reads at most (the newest of the window); the result says if it stopped."""
_PUT_EVENTS_LIMIT: Final = 10  # entries per PutEvents call
_PUT_ATTEMPTS: Final = 3  # tries of the entries EventBridge reports as failed


def _date_path(epoch_s: float) -> str:
    return datetime.fromtimestamp(epoch_s, UTC).strftime("%Y/%m/%d")


def record_key(window_end: float, execution: str) -> str:
    """Where a run is recorded: ``optimisation/YYYY/MM/DD/HHMMSSZ-<execution>.json``."""
    moment = datetime.fromtimestamp(window_end, UTC)
    return f"optimisation/{moment:%Y/%m/%d/%H%M%S}Z-{execution}.json"


# --------------------------------------------------------------------------- AnalyseMonitor


def analyse_monitor(event: dict[str, Any], context: object) -> dict[str, Any]:
    """The Monitor's analyses of the window's decisions, and the MEC usage in them."""
    trigger = mapping(event.get("trigger"))
    now = trigger.get("now")
    if not isinstance(now, int | float) or isinstance(now, bool):
        now = epoch_of(str(event.get("started", "")))
    window_s = trigger.get("window_s", DEFAULT_WINDOW_S)
    if not isinstance(window_s, int | float) or not 0 < window_s <= MAX_WINDOW_S:
        raise WorkflowInputError(f"window_s must be a number in (0, {MAX_WINDOW_S:.0f}]")
    config = workflow_config()
    with translated("reading the decisions"):
        rows = asyncio.run(_decisions(float(now) - window_s, float(now)))
    monitor = MonitorAgent(None, window=max(1, len(rows)))
    for record in reversed(rows):  # oldest first, as they happened
        monitor.observe(record)
    run = {
        "id": str(event.get("execution", "run")),
        "window_start": float(now) - window_s,
        "window_end": float(now),
        "window_s": float(window_s),
    }
    return {
        "run": run,
        "decisions": len(rows),
        "truncated": len(rows) >= MAX_DECISIONS,
        "stats_by_tier": _plain(monitor.snapshot_stats()),
        "patterns": _plain(monitor.analyze_patterns(window_s, float(now))),
        "anomalies": _plain(monitor.detect_anomalies()),
        "recommendations": _plain(monitor.generate_optimization_recommendations()),
        "usage": _mec_usage(config, rows),
    }


async def _decisions(since: float, until: float) -> list[DecisionRecord]:
    store = open_workflow_store(required=True)
    try:
        return await store.query_decisions(since=since, until=until, limit=MAX_DECISIONS)
    finally:
        await store.aclose()


def _plain(value: Any) -> Any:
    """Dataclasses (and dicts and lists of them) as JSON-ready values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    return value


def _mec_usage(config: Config, rows: Sequence[DecisionRecord]) -> list[dict[str, Any]]:
    """Requests each MEC node served with each model, most used first."""
    nodes = {ep.id: ep.node for ep in config.endpoints if ep.tier is ComputeTier.MEC and ep.node}
    uses: Counter[tuple[str, str]] = Counter(
        (nodes[r.actual_endpoint], r.actual_model)
        for r in rows
        if r.success and r.actual_endpoint in nodes and r.actual_model
    )
    ranked = sorted(uses.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"node_id": node, "model": model, "uses": n} for (node, model), n in ranked]


# --------------------------------------------------------------------------- RecommendPlacement


def recommend_placement(event: dict[str, Any], context: object) -> dict[str, Any]:
    """The loads and evictions that give each MEC node the models its usage asks for, starting
    from the config's hot models (there is no API to ask a node what it holds)."""
    usage: dict[tuple[str, str], int] = {}
    for row in event.get("usage") or []:
        usage[(str(row["node_id"]), str(row["model"]))] = int(row["uses"])
    book = PlacementBook(workflow_config(), now=float(event.get("now", 0.0)))
    strategy = book.manage_cache_strategy(usage)
    actions = [
        {"action": "load", "node_id": node, "model": model, "uses": usage.get((node, model), 0)}
        for node, model in strategy.to_load
    ] + [
        {"action": "evict", "node_id": node, "model": model, "uses": usage.get((node, model), 0)}
        for node, model in strategy.to_evict
    ]
    return {
        "actions": actions,
        "action_count": len(actions),
        "hot": {node: list(models) for node, models in sorted(strategy.hot.items())},
    }


# --------------------------------------------------------------------------- ApplyPlacement


def apply_placement(event: dict[str, Any], context: object) -> dict[str, Any]:
    """One ``mecrouter.placement`` event per action on the bus (``MECROUTER_EVENT_BUS``)."""
    run = mapping(event.get("run"))
    run_id = str(run.get("id", "run"))
    at = datetime.fromtimestamp(float(run.get("window_end", 0.0)), UTC)
    bus = event_bus()
    entries = [
        {
            "Source": SOURCE,
            "DetailType": DETAIL_TYPE,
            "Detail": json.dumps({**action, "run_id": run_id, "action_id": f"{run_id}:{i}"}),
            "EventBusName": bus,
            "Time": at,
        }
        for i, action in enumerate(event.get("actions") or [])
    ]
    event_ids: list[str] = []
    for first in range(0, len(entries), _PUT_EVENTS_LIMIT):
        event_ids.extend(_put_all(entries[first : first + _PUT_EVENTS_LIMIT]))
    return {"published": len(event_ids), "bus": bus}


def _put_all(entries: list[dict[str, Any]]) -> list[str]:
    """Put ``entries``, sending again those EventBridge reports as failed; their event ids."""
    ids: list[str] = []
    pending = entries
    for _ in range(_PUT_ATTEMPTS):
        with translated("publishing placement events"):
            results = client("events").put_events(Entries=pending).get("Entries", [])
        again = []
        for entry, result in zip(pending, results, strict=False):
            if "EventId" in result and "ErrorCode" not in result:
                ids.append(str(result["EventId"]))
            else:
                again.append(entry)
        again.extend(pending[len(results) :])
        if not again:
            return ids
        pending = again
    raise TransientWorkflowError(f"EventBridge refused {len(pending)} placement events")


# --------------------------------------------------------------------------- recording


def record_optimisation(event: dict[str, Any], context: object) -> dict[str, Any]:
    """Write the run's analysis, plan and what was published to the reports bucket."""
    analysis = event["analysis"]
    run = analysis["run"]
    applied = event.get("applied")
    document = {
        "run": run,
        "analysis": {k: v for k, v in analysis.items() if k != "run"},
        "plan": event["plan"],
        "applied": applied,
        "skipped_apply": applied is None,
    }
    key = record_key(float(run["window_end"]), str(run["id"]))
    bucket = reports_bucket()
    put_json(bucket, key, document)
    return {"record_key": key, "bucket": bucket, "actions": event["plan"]["action_count"]}


def record_failure(event: dict[str, Any], context: object) -> dict[str, Any]:
    """Write the error that stopped the run under ``optimisation/failures/``."""
    execution = str(event.get("execution", "unknown"))
    error = mapping(event.get("error"))
    cause = error.get("Cause")
    with contextlib.suppress(ValueError):
        cause = json.loads(cause) if isinstance(cause, str) else cause
    started = str(event.get("started", ""))
    when = epoch_of(started) if started else datetime.now(UTC).timestamp()
    key = f"optimisation/failures/{_date_path(when)}/{execution}.json"
    bucket = reports_bucket()
    document = {"execution": execution, "error": error.get("Error", "unknown"), "cause": cause}
    put_json(bucket, key, {**document, "started": started})
    return {"failure_key": key, "bucket": bucket}
