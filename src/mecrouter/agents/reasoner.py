"""The advisor's pure part: when to ask it, what to ask, how to read its answer, and what its
verdict does to a decision. No I/O: `pipeline.advisor` makes the call, the simulator models it.

The advisor (`routing.reasoner`) is consulted only on a close call: the decision's best two
options (the selected endpoint and the best-scored one of its fallback chain, so either can
serve) lie within `margin` of utility, and the request's SLO leaves room for the call: its SLO
minus the slower option's predicted SLO latency (TTFT or total, per use case) is at least the
advisor's expected latency. Its answer must be exactly a JSON object
``{"choice": "<endpoint id>", "reasoning": "..."}`` naming one of the two; anything else is
unparsable and the learned pick stands.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from mecrouter.agents.policies import Candidate
from mecrouter.types import ComputeTier, ContextAnalysis, RoutingDecision

__all__ = [
    "AGREED",
    "CIRCUIT_OPEN",
    "ERROR",
    "OVERRULED",
    "SKIPPED_BUDGET",
    "SKIPPED_MARGIN",
    "TIMEOUT",
    "UNPARSABLE",
    "VERDICTS",
    "Option",
    "Verdict",
    "close_pair",
    "options_of",
    "overrule",
    "parse_verdict",
    "prompt_messages",
    "slack_ms",
    "verdict_schema",
]

AGREED: Final = "agreed"
OVERRULED: Final = "overruled"
SKIPPED_MARGIN: Final = "skipped_margin"  # the best two were not close: not asked
SKIPPED_BUDGET: Final = "skipped_budget"  # close, but the SLO slack cannot afford the call
CIRCUIT_OPEN: Final = "circuit_open"  # close, but the advisor's breaker is open
TIMEOUT: Final = "timeout"
ERROR: Final = "error"
UNPARSABLE: Final = "unparsable"
VERDICTS: Final = (
    AGREED, OVERRULED, SKIPPED_MARGIN, SKIPPED_BUDGET, CIRCUIT_OPEN, TIMEOUT, ERROR, UNPARSABLE,
)  # fmt: skip
MAX_REASONING_CHARS: Final = 500  # what is kept of the advisor's reasoning on the record

_SYSTEM: Final = (
    "You advise an LLM request router. Two endpoints can serve the request below and the "
    "router's utility finds them close. Pick the one that better serves the request's needs "
    "(answer quality first when both meet the latency target, then latency, then cost). "
    'Answer with JSON only: {"choice": "<endpoint id>", "reasoning": "<one sentence>"}.'
)


@dataclass(frozen=True, slots=True)
class Option:
    """One of the options put to the advisor, with the router's predictions for it."""

    endpoint: str
    tier: ComputeTier
    model: str
    utility: float
    latency_ms: float  # predicted, to the last token
    slo_latency_ms: float  # predicted, on the use case's SLO metric (TTFT or total)
    quality: float  # predicted P(good answer)
    cost_usd: float


@dataclass(frozen=True, slots=True)
class Verdict:
    choice: str
    reasoning: str


def close_pair(decision: RoutingDecision, margin: float) -> tuple[str, str] | None:
    """The selected endpoint and its closest rival in the fallback chain when their utilities
    differ by at most `margin`; None when there is no rival or the call is not close."""
    scores, best = decision.scores, decision.selected_endpoint
    rivals = [e for e in decision.fallback_endpoints if e in scores]
    if best not in scores or not rivals:
        return None
    rival = max(rivals, key=lambda e: scores[e])
    return (best, rival) if scores[best] - scores[rival] <= margin else None


def options_of(
    pair: Sequence[str], candidates: Sequence[Candidate], scores: Mapping[str, float]
) -> list[Option]:
    """The usable candidates named by `pair`, in its order, as options with their utility from
    `scores` (the decision's; a candidate from `RouterAgent.evaluate` carries none)."""
    by_id = {c.endpoint.id: c for c in candidates}
    chosen = [by_id.get(e) for e in pair]
    return [
        _option(c, scores.get(c.endpoint.id, 0.0)) for c in chosen if c is not None and c.usable
    ]


def _option(c: Candidate, utility: float) -> Option:
    ep = c.endpoint
    return Option(
        ep.id, ep.tier, ep.model, utility, c.latency_ms, c.slo_latency_ms, c.quality, c.cost_usd
    )


def slack_ms(options: Sequence[Option], slo_ms: float) -> float:
    """What the SLO leaves once the slower option has answered (negative: already missed)."""
    return slo_ms - max(o.slo_latency_ms for o in options)


def verdict_schema(options: Sequence[Option]) -> dict[str, Any]:
    """The JSON schema of an answer (asked for as OpenAI ``response_format``; Bedrock gets it as
    a forced tool)."""
    return {
        "type": "object",
        "properties": {
            "choice": {"type": "string", "enum": [o.endpoint for o in options]},
            "reasoning": {"type": "string"},
        },
        "required": ["choice", "reasoning"],
        "additionalProperties": False,
    }


def prompt_messages(
    options: Sequence[Option], context: ContextAnalysis, use_case_weights: Mapping[str, float]
) -> tuple[str, str]:
    """(system, user) texts: the request's needs and each option's predictions. The prompt
    itself is never sent: only what the router concluded about it."""
    weights = ", ".join(f"{k} {v:g}" for k, v in use_case_weights.items())
    needs = (
        f"Request: use case {context.use_case} (weights {weights}); task {context.task_type}; "
        f"complexity {context.complexity_score:.2f} of 1; about {context.estimated_tokens} "
        f"prompt and {context.estimated_output_tokens} answer tokens; latency target "
        f"{context.latency_requirement} ms; privacy {context.privacy_level.value}."
    )
    lines = [
        f"- {o.endpoint}: {o.tier.value} {o.model}; predicted latency {o.slo_latency_ms:.0f} ms "
        f"on the target's metric ({o.latency_ms:.0f} ms to the last token); predicted P(good "
        f"answer) {o.quality:.2f}; cost ${o.cost_usd:.6f}; router utility {o.utility:.3f}"
        for o in options
    ]
    return _SYSTEM, "\n".join([needs, "Options:", *lines])


def parse_verdict(text: str, allowed: Sequence[str]) -> Verdict | None:
    """The verdict in `text`, or None unless it is exactly one JSON object with a string
    ``choice`` among `allowed` and a string ``reasoning`` (no other keys)."""
    try:
        doc = json.loads(text)
    except (ValueError, TypeError):
        return None
    if not isinstance(doc, dict) or set(doc) != {"choice", "reasoning"}:
        return None
    choice, reasoning = doc["choice"], doc["reasoning"]
    if not isinstance(choice, str) or not isinstance(reasoning, str) or choice not in allowed:
        return None
    return Verdict(choice, " ".join(reasoning.split())[:MAX_REASONING_CHARS])


def overrule(decision: RoutingDecision, choice: Option, tiers: Mapping[str, ComputeTier]) -> None:
    """Make `choice` (one of the decision's fallbacks) the selected endpoint, in place: the
    learned pick becomes the first fallback, the rest of the chain keeps its order. `tiers`:
    each endpoint id's tier (the config's)."""
    learned = decision.selected_endpoint
    rest = [e for e in decision.fallback_endpoints if e != choice.endpoint]
    decision.fallback_endpoints = [learned, *rest]
    decision.selected_endpoint = choice.endpoint
    decision.selected_tier = choice.tier
    decision.selected_model = choice.model
    decision.estimated_latency = round(choice.latency_ms)
    decision.estimated_cost = choice.cost_usd
    fallback_tiers: list[ComputeTier] = []
    for e in decision.fallback_endpoints:
        if tiers[e] not in fallback_tiers:
            fallback_tiers.append(tiers[e])
    decision.fallback_options = fallback_tiers
