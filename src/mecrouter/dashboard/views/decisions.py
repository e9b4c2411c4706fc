"""Decisions: filter by time, use case, tier, model, outcome and user; a page of 50 at a time
(newest first); one decision in full: the context the ContextAgent saw, every candidate's scores
(from the gateway, which keeps the newest decisions whole), the reasoning, the fallback chain,
the outcome and the feedback."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, Final

import streamlit as st

from mecrouter.dashboard.source import DecisionFilter
from mecrouter.dashboard.views.context import NO_DECISIONS, Context

__all__ = ["PAGE_SIZE", "SPANS", "draw"]

PAGE_SIZE: Final = 50
SPANS: Final = {"last hour": 3600.0, "last 24 hours": 86_400.0, "last 7 days": 604_800.0,
                "everything": 0.0}  # fmt: skip
OUTCOMES: Final = {"any": "", "succeeded": "success", "failed": "failure",
                   "fell back": "fallback", "from cache": "cache_hit"}  # fmt: skip
_TABLE: Final = (
    "time", "decision_id", "use_case", "tier", "model", "latency_ms", "slo_met", "success",
    "fallbacks_used", "cost_usd", "user_id",
)  # fmt: skip
_CONTEXT: Final = ("privacy_level", "complexity_score", "task_type", "slo_ms", "policy", "use_case")
_OUTCOME: Final = (
    "success", "error", "actual_tier", "actual_model", "actual_endpoint", "latency_ms", "ttft_ms",
    "input_tokens", "output_tokens", "cost_usd", "estimated_cost_usd", "fallbacks_used",
    "cache_hit", "slo_met", "redacted", "redacted_identifiers",
)  # fmt: skip


def draw(ctx: Context) -> None:
    st.title("Decisions")
    source = ctx.source()
    facets = source.facets()
    flt = _filters(facets)
    page = int(st.session_state.get("decisions_page", 0))
    rows = source.page(flt, page * PAGE_SIZE, PAGE_SIZE + 1)
    if not rows and page == 0:
        newest = source.newest_timestamp()
        st.info(NO_DECISIONS if newest is None else "No decision matches these filters.")
        return
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    _pager(page, more, len(rows))
    table = [_table_row(r) for r in rows]
    picked = st.dataframe(
        table, hide_index=True, width="stretch", on_select="rerun",
        selection_mode="single-row", key="decisions_table",
    )  # fmt: skip
    chosen = picked.selection.rows if picked is not None else []
    default = str(table[chosen[0]]["decision_id"]) if chosen else ""
    decision_id = st.text_input("Decision id", value=default, key="decision_id").strip()
    if decision_id:
        _one(ctx, decision_id)


def _filters(facets: dict[str, list[str]]) -> DecisionFilter:
    cols = st.columns([1.2, 1.5, 1, 1.5, 1, 1.2])
    span = cols[0].selectbox("Time", list(SPANS), index=1, key="f_span")
    use_cases = cols[1].multiselect("Use case", facets["use_case"], key="f_use_case")
    tiers = cols[2].multiselect("Tier", facets["tier"], key="f_tier")
    models = cols[3].multiselect("Model", facets["model"], key="f_model")
    outcome = cols[4].selectbox("Outcome", list(OUTCOMES), key="f_outcome")
    user = cols[5].text_input("User", key="f_user").strip()
    since = time.time() - SPANS[span] if SPANS[span] else None
    flt = DecisionFilter(
        since=since, use_cases=tuple(use_cases), tiers=tuple(tiers), models=tuple(models),
        outcome=OUTCOMES[outcome], user_id=user,
    )  # fmt: skip
    if st.session_state.get("decisions_filter") != flt:  # new filters: back to the first page
        st.session_state["decisions_filter"] = flt
        st.session_state["decisions_page"] = 0
    return flt


def _pager(page: int, more: bool, shown: int) -> None:
    left, mid, right = st.columns([1, 3, 1])
    if left.button("← newer", disabled=page == 0, key="newer"):
        st.session_state["decisions_page"] = page - 1
        st.rerun()
    first = page * PAGE_SIZE + 1
    mid.caption(f"decisions {first:,}–{first + shown - 1:,}, newest first")
    if right.button("older →", disabled=not more, key="older"):
        st.session_state["decisions_page"] = page + 1
        st.rerun()


def _table_row(r: dict[str, Any]) -> dict[str, Any]:
    row = {k: r.get(k) for k in _TABLE if k in r}
    row["time"] = _when(r["timestamp"])
    row["tier"] = r.get("actual_tier") or r.get("selected_tier")
    row["model"] = r.get("actual_model") or r.get("selected_model")
    return {k: row[k] for k in _TABLE}


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _one(ctx: Context, decision_id: str) -> None:
    record = ctx.source().decision(decision_id)
    if record is None:
        st.warning(f"No decision {decision_id!r} in the store.")
        return
    st.subheader(f"Decision {decision_id}")
    st.caption(f"{_when(record['timestamp'])} UTC · request {record['request_id']}"
               f" · user {record['user_id'] or '—'}")  # fmt: skip
    left, right = st.columns(2)
    left.markdown("**Context**")
    left.json({k: record[k] for k in _CONTEXT})
    right.markdown("**Outcome**")
    right.json({k: record[k] for k in _OUTCOME})
    st.markdown("**Reasoning**")
    st.text(record["reasoning"] or "—")  # as written: "$" or "*" in it are not Markdown
    tiers = " → ".join(f"`{t}`" for t in record["fallback_options"]) or "none"
    st.markdown(
        f"**Chosen** `{record['selected_endpoint']}`; **then the tiers**, in order: {tiers}"
    )
    score = record["feedback_score"]
    st.markdown("**Feedback**: " + (f"{score:.2f}" if score >= 0 else "none yet"))
    if record.get("advisor_verdict"):
        st.markdown(f"**Advisor**: {record['advisor_verdict']} — {record['advisor_reasoning']}")
    _candidates(ctx, decision_id)


def _candidates(ctx: Context, decision_id: str) -> None:
    st.markdown("**Candidates and their scores**")
    gateway = ctx.gateway()
    if gateway is None:
        st.caption("Every candidate's scores come from the gateway: open with `--gateway URL`.")
        return
    full = gateway.decision(decision_id)
    if full is None or not full.get("scores"):
        st.caption("The gateway no longer holds this decision whole (it keeps the newest).")
        return
    st.dataframe(candidate_rows(full), hide_index=True, width="stretch")


def candidate_rows(decision: dict[str, Any]) -> list[dict[str, Any]]:
    """Every candidate endpoint the router scored, best first, with its predicted latency."""
    latency: dict[str, float] = decision.get("predicted_latency_ms") or {}
    chosen = decision.get("selected_endpoint")
    return [
        {
            "endpoint": endpoint,
            "score": score,
            "predicted_latency_ms": latency.get(endpoint),
            "chosen": endpoint == chosen,
        }
        for endpoint, score in sorted(decision["scores"].items(), key=lambda kv: -kv[1])
    ]
