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
    "predicted_total_ms",
    "predicted_ttft_ms",
    "required_capability",
]

_FIT_STEEPNESS = 20.0  # how sharply the fit falls as capability drops below what is needed


def predicted_ttft_ms(
    ttft_ms: float, ref_tokens: int, prefill_ms_per_token: float, input_tokens: int
) -> float:
    """Service-side time to first token for a prompt of `input_tokens`: the endpoint's measured
    `ttft_ms` (at `ref_tokens` of prompt), plus `prefill_ms_per_token` for each token past it."""
    extra = input_tokens - ref_tokens
    return ttft_ms + (prefill_ms_per_token * extra if extra > 0 else 0.0)


def predicted_total_ms(ttft_ms: float, output_tokens: int, decode_tokens_per_s: float) -> float:
    """Time to the last token: the time to the first, then `output_tokens` at the decode rate."""
    return ttft_ms + output_tokens * 1000.0 / decode_tokens_per_s


def required_capability(complexity: float) -> float:
    """The model capability a request of this complexity needs (the prior used when no quality
    predictor speaks for the endpoint's model): 0.3 for the simplest, 0.85 for the hardest."""
    return 0.3 + 0.55 * complexity


def capability_fit(capability: float, required: float) -> float:
    """Probability-like chance that a model of `capability` answers a request needing
    `required` (see `required_capability`) well: 0.5 when they are equal, logistic around it."""
    return 1.0 / (1.0 + math.exp((required - capability) * _FIT_STEEPNESS))
