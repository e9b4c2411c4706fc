"""Live: requests/s, tier mix, p50/p95 latency per tier against each use case's SLO, success
and fallback rates, spend, and the circuits, redrawn every `refresh_s` seconds by a fragment (so
only these charts refresh, not the page or its controls)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

import streamlit as st

from mecrouter.dashboard.summary import LIVE_COLUMNS, gateway_totals, live_summary, tier_latency
from mecrouter.dashboard.views.charts import latency_chart, stacked_over_time, tier_mix_chart
from mecrouter.dashboard.views.context import NO_DECISIONS, Context, explained, window_end

__all__ = ["WINDOWS", "draw"]

WINDOWS: Final = {"last minute": 60.0, "last 5 minutes": 300.0, "last 15 minutes": 900.0,
                  "last hour": 3600.0}  # fmt: skip
_BUCKETS: Final = 30  # points on the requests-over-time chart


def draw(ctx: Context) -> None:
    st.title("Live")
    label = st.segmented_control("Window", list(WINDOWS), default="last 5 minutes", key="live_w")
    window_s = WINDOWS[label or "last 5 minutes"]

    @st.fragment(run_every=ctx.refresh_s)
    def refreshed() -> None:
        with explained():
            _draw_window(ctx, window_s)
        with explained():
            _draw_circuits(ctx)

    refreshed()


def _draw_window(ctx: Context, window_s: float) -> None:
    source = ctx.source()
    end, live = window_end(source, window_s)
    window = source.window(end - window_s, end, LIVE_COLUMNS)
    if not window.rows:
        st.info(NO_DECISIONS)
        return
    when = datetime.fromtimestamp(end, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    st.caption(
        f"{source.label} · window ending {'now' if live else 'at the newest decision'}, {when}"
        + (" · the newest 200,000 decisions of the window" if window.capped else "")
    )
    s = live_summary(window.rows, window_s)
    cols = st.columns(6)
    cols[0].metric("Requests/s", f"{s.requests_per_s:,.2f}", help=f"{s.requests:,} decisions")
    cols[1].metric("Success", f"{s.success_rate:.1%}")
    cols[2].metric("Fallbacks", f"{s.fallback_rate:.1%}")
    cols[3].metric("SLO met", f"{s.slo_rate:.1%}")
    cols[4].metric("Spend", f"${s.spend_usd:,.4f}")
    cols[5].metric("Decisions", f"{s.requests:,}")
    left, right = st.columns([1, 2])
    left.altair_chart(tier_mix_chart(s.tier_mix), width="stretch")
    right.altair_chart(
        stacked_over_time(_per_bucket(window.rows, end - window_s, window_s), "requests_per_s",
                          "Requests per second by tier", "tier"),
        width="stretch",
    )  # fmt: skip
    latency = [vars_of(t) for t in tier_latency(window.rows)]
    if latency:
        st.altair_chart(latency_chart(latency))
        st.table(latency_table(latency))


def latency_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latency rows as the page prints them (a static table: the interactive grid's
    script costs the first load about half a second)."""
    return [
        {"use case": r["use_case"], "tier": r["tier"], "answers": r["requests"],
         "p50 ms": round(r["p50_ms"]), "p95 ms": round(r["p95_ms"]), "SLO ms": round(r["slo_ms"])}
        for r in rows
    ]  # fmt: skip


def vars_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


def _per_bucket(rows: list[dict[str, Any]], since: float, window_s: float) -> list[dict[str, Any]]:
    width = window_s / _BUCKETS
    counts: dict[tuple[int, str], int] = {}
    for r in rows:
        key = (min(_BUCKETS - 1, int((r["timestamp"] - since) // width)), str(r["tier"]))
        counts[key] = counts.get(key, 0) + 1
    tiers = sorted({tier for _, tier in counts})
    return [
        {
            "time": datetime.fromtimestamp(since + (b + 0.5) * width, UTC),
            "group": tier,
            "requests_per_s": counts.get((b, tier), 0) / width,
        }
        for b in range(_BUCKETS)
        for tier in tiers
    ]


def _draw_circuits(ctx: Context) -> None:
    gateway = ctx.gateway()
    if gateway is None:
        st.caption("Circuits: start the dashboard with `--gateway URL` to see each endpoint's.")
        return
    totals = gateway_totals(gateway.metrics())
    st.subheader("The gateway since it started")
    cols = st.columns(6)
    cols[0].metric("Served", f"{totals.requests:,.0f}", help="inference requests, any outcome")
    cols[1].metric("Failed", f"{totals.failed:,.0f}")
    cols[2].metric("Failovers", f"{totals.fallbacks:,.0f}")
    cols[3].metric("Cache hits", f"{totals.cache_hits:,.0f}")
    cols[4].metric("HTTP errors", f"{totals.http_errors:,.0f}")
    cols[5].metric("Spent", f"${totals.spend_usd:,.4f}")
    circuits: dict[str, str] = gateway.insights()["circuits"]
    st.subheader("Circuits")
    st.dataframe(
        [{"endpoint": ep, "state": state} for ep, state in circuits.items()],
        hide_index=True,
        width="stretch",
    )
