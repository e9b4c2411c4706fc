"""Cost & savings: spend per tier, use case or model over time (aggregated in SQL per bucket),
and the saving against a cloud-only counterfactual priced from the recorded token counts, with
its assumptions written beside it."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, Final

import streamlit as st

from mecrouter.config import Config
from mecrouter.dashboard.summary import CloudPrice, cloud_only_savings
from mecrouter.dashboard.views.charts import stacked_over_time
from mecrouter.dashboard.views.context import NO_DECISIONS, Context, window_end
from mecrouter.enums import ComputeTier

__all__ = ["SPANS", "cloud_prices", "draw"]

SPANS: Final = {  # label -> (window, bucket)
    "last hour": (3600.0, 60.0), "last 24 hours": (86_400.0, 3600.0),
    "last 7 days": (604_800.0, 21_600.0), "last 30 days": (2_592_000.0, 86_400.0),
}  # fmt: skip
GROUPS: Final = {"tier": "tier", "use case": "use_case", "model": "model"}


def cloud_prices(config: Config) -> list[CloudPrice]:
    """The config's cloud endpoints with a price, in config order."""
    return [
        CloudPrice(ep.id, ep.model, ep.price.per_1k_input_usd, ep.price.per_1k_output_usd)
        for ep in config.endpoints
        if ep.tier is ComputeTier.CLOUD
    ]


def draw(ctx: Context) -> None:
    st.title("Cost & savings")
    source = ctx.source()
    policies = source.facets()["policy"]
    cols = st.columns([1, 1, 1, 2])
    span = cols[0].selectbox("Time", list(SPANS), index=1, key="cost_span")
    group = cols[1].selectbox("Spend by", list(GROUPS), key="cost_group")
    default = policies.index("mecrouter") if "mecrouter" in policies else 0
    policy = cols[2].selectbox(
        "Policy", policies or ["mecrouter"], index=default, key="cost_policy",
        help="A store may hold baselines' decisions too (the demo's does)",
    )  # fmt: skip
    window_s, bucket_s = SPANS[span]
    end, _ = window_end(source, window_s)
    since = end - window_s
    buckets = source.buckets(since, end, bucket_s, GROUPS[group], policy)
    if not buckets:
        st.info(NO_DECISIONS)
        return
    prices = cloud_prices(ctx.config())
    if not prices:
        st.warning("The config has no cloud endpoint to price a cloud-only counterfactual.")
    else:
        used = source.buckets(since, end, window_s, "model", policy)
        price = cols[3].selectbox(
            "Cloud-only counterfactual: every request to", prices,
            index=_most_used(prices, used), format_func=lambda p: f"{p.endpoint} ({p.model})",
            key="cost_cloud",
        )  # fmt: skip
        _savings(buckets, price)
    _spend(buckets, since, bucket_s, group)


def _most_used(prices: list[CloudPrice], by_model: list[dict[str, Any]]) -> int:
    """The cloud endpoint whose model answered most in the window (the first if none did)."""
    counts: dict[str, int] = {}
    for b in by_model:
        counts[str(b["grp"])] = counts.get(str(b["grp"]), 0) + int(b["requests"])
    best = max(range(len(prices)), key=lambda i: counts.get(prices[i].model, 0))
    return best if counts.get(prices[best].model, 0) > 0 else 0


def _spend(buckets: list[dict[str, Any]], since: float, bucket_s: float, group: str) -> None:
    rows = [
        {"time": _time(since + (b["bucket"] + 0.5) * bucket_s), "group": b["grp"],
         "spend_usd": b["cost_usd"] or 0.0}
        for b in buckets
    ]  # fmt: skip
    chart = stacked_over_time(rows, "spend_usd", f"Spend per {group}", group, mark="bar")
    st.altair_chart(chart, width="stretch")
    totals: dict[str, float] = {}
    for b in buckets:
        totals[str(b["grp"])] = totals.get(str(b["grp"]), 0.0) + (b["cost_usd"] or 0.0)
    st.dataframe(
        [{group: k, "spend_usd": v} for k, v in sorted(totals.items(), key=lambda kv: -kv[1])],
        hide_index=True, width="stretch",
    )  # fmt: skip


def usd(value: float) -> str:
    """Dollars to four places, the sign before the symbol: -$0.0005."""
    return f"-${-value:,.4f}" if value < 0 else f"${value:,.4f}"


def _time(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _savings(buckets: list[dict[str, Any]], price: CloudPrice) -> None:
    s = cloud_only_savings(buckets, price)
    cols = st.columns(4)
    cols[0].metric("Requests", f"{s.requests:,}")
    cols[1].metric("Spent", f"${s.spend_usd:,.4f}")
    cols[2].metric("Cloud-only would cost", f"${s.cloud_only_usd:,.4f}")
    cols[3].metric("Saved", usd(s.saving_usd), f"{s.saving_share:.1%} of cloud-only")
    st.caption(
        f"Assumptions: cloud-only sends every request of the window (of this policy) to"
        f" `{price.endpoint}` at"
        f" ${price.per_1k_input_usd * 1000:,.3f} per million input and"
        f" ${price.per_1k_output_usd * 1000:,.3f} per million output tokens (the config's price"
        " table), with the input and output tokens each request recorded; cache hits and"
        " device answers count their tokens too, as the cloud would have had to answer them."
        " Spent is the recorded cost of each answer (the advisor's calls not included)."
        f" Data as of {time.strftime('%H:%M:%S')}."
    )
