"""Sample records shared by the store tests: every field set to a non-default value."""

from __future__ import annotations

from typing import Any

from mecrouter.types import DecisionRecord, ResourceMetric

__all__ = ["decision", "metric"]


def decision(request_id: str = "r1", **overrides: Any) -> DecisionRecord:
    """A record with a non-default value in every field, so a lost field shows."""
    values: dict[str, Any] = {
        "request_id": request_id,
        "timestamp": 1_000.0,
        "user_id": "alice",
        "decision_id": f"d-{request_id}",
        "use_case": "chat",
        "policy": "mecrouter",
        "selected_tier": "mec",
        "selected_model": "llama-3.1-8b",
        "selected_endpoint": "mec-1/llama-3.1-8b",
        "confidence_score": 0.82,
        "reasoning": "meets the 200 ms SLO at the lowest cost",
        "fallback_options": ["cloud", "device"],
        "estimated_latency_ms": 120.5,
        "estimated_cost_usd": 0.0004,
        "slo_ms": 200.0,
        "privacy_level": "internal",
        "complexity_score": 0.4,
        "success": False,
        "slo_met": True,
        "actual_tier": "cloud",
        "actual_model": "gpt-4o-mini",
        "actual_endpoint": "cloud/gpt-4o-mini",
        "latency_ms": 431.25,
        "ttft_ms": 140.5,
        "input_tokens": 512,
        "output_tokens": 128,
        "cost_usd": 0.00042,
        "fallbacks_used": 1,
        "cache_hit": True,
        "network_rtt_ms": 23.5,
        "error": "mec-1 timed out",
        "task_type": "code",
        "predicted_quality": 0.6,
        "feedback_score": 0.75,
        "owner_id": "mk_3f9a1c2b",
        "redacted": True,
        "redacted_identifiers": 2,
        "advisor_verdict": "overruled",
        "advisor_reasoning": "cloud/gpt-4o-mini is the better fit for code",
        "advisor_cost_usd": 0.000408,
    }
    values.update(overrides)
    return DecisionRecord(**values)


def metric(timestamp: float = 1_000.0, **overrides: Any) -> ResourceMetric:
    values: dict[str, Any] = {
        "tier_id": "mec:mec-1/llama",
        "timestamp": timestamp,
        "ttl": timestamp + 3_600.0,
        "healthy": False,
        "in_flight": 3,
        "queue_wait_ms": 12.5,
        "ttft_ms": 80.0,
        "decode_tokens_per_s": 42.0,
        "error_rate": 0.05,
        "circuit_state": "HALF_OPEN",
    }
    values.update(overrides)
    return ResourceMetric(**values)
