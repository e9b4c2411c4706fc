"""The world's service times come from the measured sources, never from the router's profile."""

from __future__ import annotations

import csv
import json
import statistics

import numpy as np
import pytest
import simpy

from mecrouter.config import Config, EndpointConfig, load_config
from mecrouter.datadir import data_dir
from mecrouter.errors import ConfigError
from mecrouter.prediction import predicted_ms
from mecrouter.sim.engine import run_scenario
from mecrouter.sim.service import known_service_traces, load_service, service_trace_of
from mecrouter.sim.traces import network_model
from mecrouter.sim.workloads import WORKLOADS
from mecrouter.sim.world import World

DATA = data_dir()
MEC, CLOUD, PHONE = "mec-lon-mistral-7b", "cloud-nova-pro", "device-llama-3.2-1b"


def _world(config: Config) -> World:
    return World(simpy.Environment(), config, network_model(None), ["5g"], np.zeros(1), [])


def _with_endpoint(config: Config, endpoint_id: str, **update: object) -> Config:
    endpoints = tuple(
        ep.model_copy(update=update) if ep.id == endpoint_id else ep for ep in config.endpoints
    )
    return config.model_copy(update={"endpoints": endpoints})


def _llmperf(name: str) -> list[dict[str, float]]:
    rows: list[dict[str, float]] = json.loads((DATA / f"compute/llmperf/{name}.json").read_text())
    return [r for r in rows if r["number_output_tokens"] > 1 and r["ttft_s"] > 0]


def _splitwise(column: str, **match: str) -> dict[int, float]:
    """Median of `column` per prompt size (or batch size) of Llama-2-70B on 8 H100s."""
    key = "batch_size" if "prompt_size" in match else "prompt_size"
    groups: dict[int, list[float]] = {}
    with (DATA / "compute/splitwise_perf_model.csv").open() as fh:
        for r in csv.DictReader(fh):
            if (r["model"], r["hardware"], r["tensor_parallel"]) != (
                "llama2-70b",
                "h100-80gb",
                "8",
            ):
                continue
            if all(r[k] == v for k, v in match.items()):
                groups.setdefault(int(r[key]), []).append(float(r[column]))
    return {size: statistics.median(v) for size, v in groups.items()}


def test_the_router_profile_moves_the_prediction_but_not_the_world() -> None:
    config = load_config()
    slower = _with_endpoint(config, MEC, ttft_ms=2000.0, decode_tokens_per_s=5.0)
    before, after = (next(ep for ep in c.endpoints if ep.id == MEC) for c in (config, slower))
    predicted = [
        predicted_ms(
            ep.ttft_ms, ep.ttft_ref_tokens, ep.prefill_ms_per_1k_tokens / 1000.0,
            ep.decode_tokens_per_s, 550, 100, 0.0, 1.0,
        )[1]
        for ep in (before, after)
    ]  # fmt: skip
    assert predicted[1] > 5 * predicted[0]
    draws = [_world(c).service_ms(_world(c).endpoints[MEC], 1, 550, 100, 0.37, 1.0)
             for c in (config, slower)]  # fmt: skip
    assert draws[0] == draws[1]


def test_ttft_and_decode_follow_the_llmperf_run_quantiles() -> None:
    world = _world(load_config())
    ep = world.endpoints[MEC]  # anyscale_7b, measured at 550 prompt tokens
    records = _llmperf("anyscale_7b")
    ttft = np.array([1000 * r["ttft_s"] for r in records])
    per_token = np.array(
        [1000 * (r["end_to_end_latency_s"] - r["ttft_s"]) / (r["number_output_tokens"] - 1)
         for r in records]
    )  # fmt: skip
    u = (np.arange(3000) + 0.5) / 3000
    drawn = np.array([world.service_ms(ep, 1, 550, 101, float(x), 1.0) for x in u])
    for q in (0.05, 0.5, 0.95, 0.99):
        assert np.quantile(drawn[:, 0], q) == pytest.approx(
            np.quantile(ttft, q, method="inverted_cdf"), rel=0.02
        )
        assert np.quantile(drawn[:, 1] / 100, q) == pytest.approx(
            np.quantile(per_token, q, method="inverted_cdf"), rel=0.05
        )
    assert drawn[:, 0].max() == pytest.approx(ttft.max())  # the tail is the run's own


def test_ttft_grows_with_the_prompt_by_the_measured_prefill_time() -> None:
    world = _world(load_config())
    prefill = _splitwise("prompt_time", batch_size="1")
    at_550 = prefill[512] + (prefill[1024] - prefill[512]) * (550 - 512) / 512
    ep = world.endpoints[CLOUD]
    base, _ = world.service_ms(ep, 1, 550, 2, 0.5, 1.0)
    long, _ = world.service_ms(ep, 1, 4096, 2, 0.5, 1.0)
    assert long - base == pytest.approx(prefill[4096] - at_550)
    phone = world.endpoints[PHONE]  # Qualcomm: 37 ms at <= 128 tokens to 1186 ms at 4,096
    assert world.service_ms(phone, 1, 100, 2, 0.9, 1.0)[0] == pytest.approx(37.0651)
    assert world.service_ms(phone, 1, 4096, 2, 0.1, 1.0)[0] == pytest.approx(1186.0832)


def test_mec_decode_slows_with_the_batch_as_splitwise_measured() -> None:
    world = _world(load_config())
    per_token = _splitwise("token_time", prompt_size="512")
    expected = per_token[8] / per_token[1]
    mec, cloud = world.endpoints[MEC], world.endpoints[CLOUD]
    alone, full = (world.service_ms(mec, busy, 550, 101, 0.5, 1.0)[1] for busy in (1, 8))
    assert full / alone == pytest.approx(expected)
    assert world.service_ms(cloud, 60, 550, 101, 0.5, 1.0) == world.service_ms(
        cloud, 1, 550, 101, 0.5, 1.0
    )  # the cloud scales out


def test_a_slow_down_multiplies_both_phases() -> None:
    world = _world(load_config())
    ep = world.endpoints[MEC]
    ttft, decode = world.service_ms(ep, 1, 700, 50, 0.8, 1.0)
    assert world.service_ms(ep, 1, 700, 50, 0.8, 3.0) == pytest.approx((3 * ttft, 3 * decode))


def test_every_shipped_endpoint_names_a_measured_source() -> None:
    known = known_service_traces()
    for ep in load_config().endpoints:
        assert ep.service_trace in known, ep.id
        assert load_service(service_trace_of(ep)).ttft_ms


def test_an_unknown_service_trace_is_a_config_error_naming_the_endpoint() -> None:
    config = _with_endpoint(load_config(), MEC, service_trace="llmperf/nowhere_7b")
    with pytest.raises(ConfigError, match=rf"endpoints\.{MEC}\.service_trace.*nowhere_7b"):
        _world(config)
    raw = next(ep for ep in load_config().endpoints if ep.id == MEC).model_dump()
    with pytest.raises(ValueError, match="service_trace"):
        EndpointConfig.model_validate({**raw, "service_trace": "traces/../../etc"})


def test_an_endpoint_without_a_trace_takes_its_tier_and_size_default() -> None:
    config = _with_endpoint(load_config(), CLOUD, service_trace=None)
    ep = next(ep for ep in config.endpoints if ep.id == CLOUD)
    assert service_trace_of(ep) == "llmperf/bedrock_70b"  # frontier cloud model
    assert _world(config).endpoints[CLOUD].samples == len(_llmperf("bedrock_70b"))


def test_the_router_is_wrong_in_the_world_and_the_oracle_is_not() -> None:
    result = run_scenario(
        WORKLOADS["mixed"], n=1500, seed=3, policies=["mecrouter", "oracle"], workers=1
    )
    ours, oracle = (result.policies[p].summary for p in ("mecrouter", "oracle"))
    assert ours["cloud_pred_err_p95_pct"] > 10.0  # the measured tails are not in the profile
    assert oracle["cloud_pred_err_p50_pct"] < 1.0  # it asks the world itself
    out = result.policies["mecrouter"].outcomes
    served = out.success
    assert np.isfinite(out.predicted_ms[served]).all()
    assert (out.attempt_ms[served] > 0).all()
