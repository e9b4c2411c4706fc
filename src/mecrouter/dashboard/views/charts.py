"""Altair charts the pages share (Vega-Lite through `st.altair_chart`): tiers keep one colour
everywhere, device green, MEC blue, cloud orange."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import altair as alt
import pandas as pd

__all__ = ["TIER_COLOURS", "latency_chart", "stacked_over_time", "tier_mix_chart"]

TIER_COLOURS: Final = {"device": "#2ca02c", "mec": "#1f77b4", "cloud": "#ff7f0e"}


def _tier_scale(tiers: Sequence[str]) -> alt.Scale:
    known = [t for t in TIER_COLOURS if t in tiers] + [t for t in tiers if t not in TIER_COLOURS]
    return alt.Scale(domain=known, range=[TIER_COLOURS.get(t, "#7f7f7f") for t in known])


def tier_mix_chart(mix: Mapping[str, int]) -> alt.Chart:
    frame = pd.DataFrame({"tier": list(mix), "requests": list(mix.values())})
    chart: alt.Chart = (
        alt.Chart(frame, title="Tier mix (where answered)")
        .mark_bar()
        .encode(
            x=alt.X("requests:Q", title="requests"),
            y=alt.Y("tier:N", sort=list(TIER_COLOURS), title=None),
            color=alt.Color("tier:N", scale=_tier_scale(list(mix)), legend=None),
            tooltip=["tier", "requests"],
        )
    )
    return chart


def stacked_over_time(
    rows: Sequence[Mapping[str, Any]], value: str, title: str, group_title: str, mark: str = "area"
) -> alt.Chart:
    """Stacked areas, or bars (`mark="bar"`: one time bucket draws no area), per group over
    time; rows have `time` (datetime), `group` and `value`."""
    frame = pd.DataFrame(rows)
    groups = sorted(frame["group"].unique()) if len(frame) else []
    colour = (
        alt.Color("group:N", scale=_tier_scale(groups), title=group_title)
        if set(groups) <= set(TIER_COLOURS)
        else alt.Color("group:N", title=group_title)
    )
    if mark == "bar":  # one bar per bucket, labelled by its middle (UTC)
        frame["when"] = [t.strftime("%m-%d %H:%M") for t in frame["time"]] if len(frame) else []
        x = alt.X("when:O", title="UTC")
        marked = alt.Chart(frame, title=title).mark_bar(opacity=0.85)
    else:
        x = alt.X("time:T", title=None)
        marked = alt.Chart(frame, title=title).mark_area(opacity=0.85)
    chart: alt.Chart = marked.encode(
        x=x,
        y=alt.Y(f"{value}:Q", stack="zero", title=value.replace("_", " ")),
        color=colour,
        tooltip=["time:T", "group:N", alt.Tooltip(f"{value}:Q", format=",.4g")],
    )
    return chart


def latency_chart(rows: Sequence[Mapping[str, Any]]) -> alt.FacetChart:
    """p50 and p95 per tier as bars, one panel per use case on its own scale, with the use
    case's SLO as a red rule."""
    frame = pd.DataFrame(rows).melt(
        id_vars=["use_case", "tier", "slo_ms"],
        value_vars=["p50_ms", "p95_ms"],
        var_name="percentile",
        value_name="ms",
    )
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X("tier:N", sort=list(TIER_COLOURS), title=None),
            xOffset="percentile:N",
            y=alt.Y("ms:Q", title="latency (ms)"),
            color=alt.Color("percentile:N", title=None),
            tooltip=["use_case", "tier", "percentile", alt.Tooltip("ms:Q", format=",.0f")],
        )
    )
    slo = alt.Chart().mark_rule(color="red", strokeDash=[4, 3]).encode(y="max(slo_ms):Q")
    chart: alt.FacetChart = (
        alt.layer(bars, slo, data=frame)
        .facet(column=alt.Column("use_case:N", title=None))
        .resolve_scale(y="independent")
        .properties(title="p50 / p95 latency per tier against the use case's SLO (red)")
    )
    return chart
