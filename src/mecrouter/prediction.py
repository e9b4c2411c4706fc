"""What the router predicts before it sends a request: time to first token, total time, and the
capability prior of answer quality. Each formula is written once here and called by the config,
the RouterAgent, the ResourceAgent, the dispatcher, the emulated backend and the simulator.

Units: times in milliseconds, token counts in tokens, rates in tokens per second; capability and
complexity on 0..1.
"""

from __future__ import annotations

import math

__all__ = [
    "capability_fit",
    "predicted_ms",
    "required_capability",
]

_FIT_STEEPNESS = 20.0  # how sharply the fit falls as capability drops below what is needed


def predicted_ms(
    ttft_ms: float,
    ref_tokens: int,
    prefill_ms_per_token: float,
    decode_tokens_per_s: float,
    input_tokens: int,
    output_tokens: int,
    before_ms: float,
    slowdown: float,
) -> tuple[float, float]:
    """(time to first token, time to last token) of one call of `input_tokens` in and
    `output_tokens` out: `before_ms` first (network round trip, queue wait, model load: whatever
    the caller knows of), then the endpoint's measured `ttft_ms` (at `ref_tokens` of prompt) plus
    `prefill_ms_per_token` for each token past it, times `slowdown` (1: the profile as measured);
    then the output at `decode_tokens_per_s`. One call gives both: the router asks for every
    endpoint of every request."""
    extra = input_tokens - ref_tokens
    first = before_ms + (ttft_ms + (prefill_ms_per_token * extra if extra > 0 else 0.0)) * slowdown
    return first, first + output_tokens * 1000.0 / decode_tokens_per_s


def required_capability(complexity: float) -> float:
    """The model capability a request of this complexity needs (the prior used when no quality
    predictor speaks for the endpoint's model): 0.3 for the simplest, 0.85 for the hardest."""
    return 0.3 + 0.55 * complexity


def capability_fit(capability: float, required: float) -> float:
    """Probability-like chance that a model of `capability` answers a request needing
    `required` (see `required_capability`) well: 0.5 when they are equal, logistic around it."""
    return 1.0 / (1.0 + math.exp((required - capability) * _FIT_STEEPNESS))
