"""Placement & health: hot/warm models per MEC node, the MonitorAgent's anomalies and
recommendations, and what the learning changed per task type and model, all from the gateway's
`/v1/insights` (the agents live in the gateway; the dashboard only asks)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from mecrouter.dashboard.views.context import Context

__all__ = ["draw", "learning_rows", "placement_rows"]


def placement_rows(placement: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [{"node": node, **model} for node, models in placement.items() for model in models]


def learning_rows(learning: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    rows = []
    for key, belief in learning.items():
        task, _, model = key.partition("/")
        rows.append({"task_type": task, "model": model, **belief})
    return sorted(rows, key=lambda r: abs(r.get("factor", 1.0) - 1.0), reverse=True)


def draw(ctx: Context) -> None:
    st.title("Placement & health")
    gateway = ctx.gateway()
    if gateway is None:
        st.info(
            "Placement, anomalies, recommendations and learning live in the gateway's agents:"
            " open the dashboard with `--gateway http://127.0.0.1:8080` (the URL of"
            " `mecrouter serve`)."
        )
        return
    insights = gateway.insights()
    models = gateway.models()
    st.caption("The gateway serves: " + ", ".join(f"`{m}`" for m in models))
    st.subheader("Models per MEC node")
    rows = placement_rows(insights["placement"])
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.caption("The config has no MEC node.")
    left, right = st.columns(2)
    left.subheader("Anomalies")
    if insights["anomalies"]:
        left.dataframe(insights["anomalies"], hide_index=True, width="stretch")
    else:
        left.caption("None: every endpoint's latency and error rate are in their normal range.")
    right.subheader("Recommendations")
    if insights["recommendations"]:
        right.dataframe(
            [{k: r[k] for k in ("kind", "target", "message")} for r in insights["recommendations"]],
            hide_index=True, width="stretch",
        )  # fmt: skip
    else:
        right.caption("None yet: they follow from misses, errors and SLO breaches.")
    st.subheader("What the learning changed")
    learned = learning_rows(insights["learning"])
    if learned:
        st.caption("Per task type and model: answers judged good against expected, and the"
                   " factor now applied to the predicted quality (1 = unchanged).")  # fmt: skip
        st.dataframe(learned, hide_index=True, width="stretch")
    else:
        st.caption("Nothing yet: the learning starts with the first feedback (`/v1/feedback`).")
