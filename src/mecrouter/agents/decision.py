"""The RouterAgent's decision record with its reasoning text formatted on first read, and the
text itself (`reasoning_text`), formatted from the candidates the decision was made with."""

from __future__ import annotations

from collections.abc import Callable

from mecrouter.agents.policies import Candidate
from mecrouter.types import ComputeTier, ContextAnalysis, RoutingDecision

__all__ = ["DeferredReasoning", "reasoning_text"]


class DeferredReasoning(RoutingDecision):
    """A RoutingDecision whose `reasoning` is formatted on first read by `render` (the same text
    eager formatting gives).

    Formatting the numbers costs about a third of a decision, and nothing reads the text before
    the request is dispatched: the recorder, the CLI and `/v1/decisions` read it afterwards. The
    text lives in the instance's `__dict__` (this subclass has no slots), not in the base's slot.
    """

    _render: Callable[[], str] | None
    _text: str

    @property
    def reasoning(self) -> str:
        if self._render is not None:
            self._text, self._render = self._render(), None
        return self._text

    @reasoning.setter
    def reasoning(self, text: str) -> None:
        self._render, self._text = None, text


def reasoning_text(
    best: Candidate,
    runner_up: Candidate | None,
    candidates: list[Candidate],
    context: ContextAnalysis,
    policy: str,
    *,
    redacted: bool = False,
) -> str:
    """Why ``best`` won: its tier, model and endpoint, SLO, quality and cost, the runner-up's
    utility, and the hard constraints that ruled whole tiers out. `redacted`: ``best`` may take
    the request only because its identifiers are replaced before it is sent."""
    slo = context.latency_requirement
    ep = best.endpoint
    text = (
        f"{policy}: {ep.tier.value}/{ep.model} on {ep.id}; "
        f"{'meets' if best.slo_latency_ms <= slo else 'misses'} {slo} ms SLO "
        f"(est {best.slo_latency_ms:.0f} ms); "
        + (
            f"predicted P(good answer) {best.quality:.2f} ({context.task_type}"
            + (
                f", predictor support {context.quality_support:.2f}, shrunk toward capability); "
                if context.quality_support < 1.0
                else "); "
            )
            if context.quality and ep.quality_model
            else f"quality {best.quality:.2f} for complexity {context.complexity_score:.2f}; "
        )
        + f"cost ${best.cost_usd:.6f}"
    )
    if redacted:
        text += f"; {context.privacy_level.value} data redacted for cloud"
    if runner_up is not None:
        text += f"; beat {runner_up.endpoint.id} ({best.utility:.3f} vs {runner_up.utility:.3f})"
    excluded = _exclusions_by_tier(candidates)
    return f"{text}; ruled out: {', '.join(excluded)}" if excluded else text


def _exclusions_by_tier(candidates: list[Candidate]) -> list[str]:
    """One reason per tier whose endpoints were all ruled out (the deciding hard constraints)."""
    reasons: dict[ComputeTier, str] = {}
    usable_tiers = set()
    for c in candidates:
        tier = c.status.tier
        if not c.blocked and not c.excluded:
            usable_tiers.add(tier)
        elif tier not in reasons:
            reasons[tier] = c.blocked or c.excluded
    return [f"{t.value} ({why})" for t, why in reasons.items() if t not in usable_tiers]
