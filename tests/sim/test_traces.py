"""The trace loaders against the project's own measured data (``data/``)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mecrouter import datadir
from mecrouter.datadir import data_dir
from mecrouter.errors import ConfigError, InvalidRequestError
from mecrouter.sim import traces
from mecrouter.sim.traces import (
    RequestTrace,
    load_requests,
    load_rtt,
    network_model,
)


@pytest.fixture(scope="module")
def data(measured_data: Path) -> Path:
    return measured_data


@pytest.fixture(scope="module")
def conv(data: Path) -> RequestTrace:
    return load_requests("conv", data)


@pytest.fixture(scope="module")
def code(data: Path) -> RequestTrace:
    return load_requests("code", data)


def _copy_traces(src: Path, dst: Path) -> None:
    shutil.copytree(src / "requests", dst / "requests")
    shutil.copytree(src / "network", dst / "network")


# --------------------------------------------------------------------------- data_dir


def test_data_dir_defaults_to_the_checkouts_own_data_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own = Path(datadir.__file__).resolve().parents[2] / "data"
    monkeypatch.delenv(datadir.ENV_VAR, raising=False)
    found = data_dir()
    assert found.resolve() == own.resolve()
    assert (found / "requests" / "AzureLLMInferenceTrace_conv.csv").is_file()


def test_data_dir_names_every_place_it_looked_when_none_holds_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(datadir.ENV_VAR, raising=False)
    monkeypatch.setattr(datadir, "_PACKAGE", tmp_path / "site" / "mecrouter")
    with pytest.raises(ConfigError) as info:
        data_dir()
    assert info.value.field == "data"
    assert str(tmp_path / "site" / "mecrouter" / "data") in info.value.message
    assert datadir.ENV_VAR in info.value.message


def test_data_dir_raises_config_error_naming_data_for_a_missing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(datadir.ENV_VAR, raising=False)
    missing = tmp_path / "nowhere"
    with pytest.raises(ConfigError) as info:
        data_dir(missing)
    assert info.value.field == "data"
    assert str(missing) in info.value.message


def test_data_dir_env_var_wins_over_the_default_and_is_not_silently_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(datadir.ENV_VAR, str(tmp_path))
    assert data_dir() == tmp_path
    monkeypatch.setenv(datadir.ENV_VAR, str(tmp_path / "gone"))
    with pytest.raises(ConfigError, match=datadir.ENV_VAR):
        data_dir()


def test_explicit_data_dir_wins_over_the_env_var(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(datadir.ENV_VAR, str(tmp_path / "gone"))
    assert data_dir(str(tmp_path)) == tmp_path


def test_loading_from_a_folder_without_traces_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_requests("conv", tmp_path)
    assert info.value.field == "data"


# --------------------------------------------------------------------------- request traces


@pytest.mark.parametrize(
    ("kind", "rows", "rate_per_s", "context_p50", "generated_p50"),
    [("conv", 19_366, 5.53, 1_020, 129), ("code", 8_819, 2.57, 1_469, 13)],
)
def test_request_trace_matches_the_readme_key_facts(
    data: Path, kind: Any, rows: int, rate_per_s: float, context_p50: int, generated_p50: int
) -> None:
    trace = load_requests(kind, data)
    assert len(trace) == rows
    assert trace.context_tokens.size == trace.generated_tokens.size == rows
    assert trace.mean_rate_per_s == pytest.approx(rate_per_s, abs=0.01)
    assert np.median(trace.context_tokens) == pytest.approx(context_p50, abs=5)
    assert np.median(trace.generated_tokens) == pytest.approx(generated_p50, abs=2)
    assert trace.context_tokens.dtype == np.int32
    assert trace.generated_tokens.dtype == np.int32
    assert "AzurePublicDataset@b469a113" in trace.source


def test_interarrival_starts_at_zero_and_keeps_sub_microsecond_timestamps(
    conv: RequestTrace,
) -> None:
    gaps = conv.interarrival_s
    assert gaps.dtype == np.float64
    assert gaps[0] == 0.0
    assert (gaps >= 0).all()
    # rows 1 and 2: 18:15:46.6805900 -> 18:15:50.9951690 (7 fractional digits)
    assert gaps[1] == pytest.approx(4.3145790, abs=1e-7)
    assert np.median(gaps[1:]) == pytest.approx(0.118, abs=0.001)
    assert gaps.sum() == pytest.approx(3_502, abs=1)


def test_loaded_traces_are_cached_and_read_only(data: Path, conv: RequestTrace) -> None:
    assert load_requests("conv", data) is conv
    with pytest.raises(ValueError, match="read-only"):
        conv.context_tokens[0] = 1


def test_a_fresh_path_is_read_from_disk_to_the_same_trace(
    data: Path, tmp_path: Path, conv: RequestTrace
) -> None:
    # How fast this load is: benchmarks/bench_traces.py.
    _copy_traces(data, tmp_path)  # a fresh path, so the cache cannot answer
    trace = load_requests("conv", tmp_path)
    assert trace is not conv and len(trace) == len(conv) == 19_366
    for column in ("interarrival_s", "context_tokens", "generated_tokens"):
        assert np.array_equal(getattr(trace, column), getattr(conv, column)), column
    assert trace.mean_rate_per_s == conv.mean_rate_per_s


def test_unknown_request_kind_is_rejected(data: Path) -> None:
    with pytest.raises(InvalidRequestError):
        load_requests("chat", data)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["conv", "code"])
def test_sample_has_n_rows_starts_at_zero_and_hits_the_requested_rate(
    data: Path, kind: Any
) -> None:
    trace = load_requests(kind, data)
    arrival_s, context, generated = trace.sample(np.random.default_rng(7), 5_000, 20.0)
    assert arrival_s.shape == context.shape == generated.shape == (5_000,)
    assert arrival_s[0] == 0.0
    assert (np.diff(arrival_s) >= 0).all()
    assert (5_000 - 1) / arrival_s[-1] == pytest.approx(20.0, rel=0.10)


def test_sample_reproduces_with_the_same_seed_and_differs_with_another(
    conv: RequestTrace,
) -> None:
    first = conv.sample(np.random.default_rng(42), 300, 3.0)
    again = conv.sample(np.random.default_rng(42), 300, 3.0)
    other = conv.sample(np.random.default_rng(43), 300, 3.0)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[1], other[1])


def test_sample_takes_consecutive_requests_and_wraps_around_the_end(
    code: RequestTrace,
) -> None:
    n = len(code) + 10
    _, context, generated = code.sample(np.random.default_rng(3), n, 2.0)
    start = int(np.random.default_rng(3).integers(len(code)))
    expected = (start + np.arange(n)) % len(code)
    np.testing.assert_array_equal(context, code.context_tokens[expected])
    np.testing.assert_array_equal(generated, code.generated_tokens[expected])


def test_sample_keeps_the_code_trace_burstier_than_the_conversation_trace(
    conv: RequestTrace, code: RequestTrace
) -> None:
    def gap_cv(trace: RequestTrace) -> float:
        arrival_s, _, _ = trace.sample(np.random.default_rng(11), 5_000, 5.0)
        gaps = np.diff(arrival_s)
        return float(gaps.std() / gaps.mean())

    assert gap_cv(code) > 2 * gap_cv(conv)


def test_sample_rejects_a_non_positive_count_or_rate(conv: RequestTrace) -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(InvalidRequestError):
        conv.sample(rng, 0, 1.0)
    with pytest.raises(InvalidRequestError):
        conv.sample(rng, 10, 0.0)


def test_a_single_request_sample_arrives_at_zero(conv: RequestTrace) -> None:
    arrival_s, context, _ = conv.sample(np.random.default_rng(5), 1, 1.0)
    assert arrival_s.tolist() == [0.0]
    assert context.size == 1


# --------------------------------------------------------------------------- RTT traces

PING_MEDIANS_MS = {
    "4g/first-hop": 28.8,
    "4g/us-east": 58.0,
    "4g/us-west": 88.0,
    "5g/first-hop": 25.8,
    "5g/us-east": 53.5,
    "5g/us-west": 80.0,
}
CARRIER_MEDIANS_MS = {
    "5gophers/sprint/us-east": 39.2,
    "5gophers/sprint/us-west": 86.1,
    "5gophers/verizon/us-east": 63.4,
    "5gophers/verizon/us-west": 99.3,
    "5gophers/tmobile/us-east": 82.5,
    "5gophers/tmobile/us-west": 146.6,
}


@pytest.mark.parametrize(
    ("key", "median_ms"), sorted({**PING_MEDIANS_MS, **CARRIER_MEDIANS_MS}.items())
)
def test_5gophers_rtt_medians_match_the_readme(data: Path, key: str, median_ms: float) -> None:
    samples = load_rtt(data).samples[key]
    assert samples.dtype == np.float64
    assert float(np.median(samples)) == pytest.approx(median_ms, abs=0.5)


def test_ping_series_hold_every_probe_of_their_files(data: Path) -> None:
    samples = load_rtt(data).samples
    assert sum(samples[key].size for key in PING_MEDIANS_MS) == 2_054
    assert samples["4g/first-hop"].size == 6 * 60  # files 01, 03, 05, 06, 09, 10
    assert samples["4g/first-hop"][0] == 64.5  # ping-trace-01.log probe 1, in time order
    assert all(samples[key].size == 120 for key in CARRIER_MEDIANS_MS)


def test_wavelength_rows_are_deduplicated_and_the_mislabelled_row_dropped(data: Path) -> None:
    samples = load_rtt(data).samples
    # vf.csv 73 + vf_lon.csv 50; vf_data.csv repeats vf.csv, and its 18.168.5.59 row is dropped
    assert samples["wavelength/lon-wlz"].size == 123
    assert samples["wavelength/man-wlz"].size == 46 + 166
    assert samples["wavelength/region"].size == 72 + 51 + 47 + 169
    assert samples["wavelength/lon-region"].size == 72 + 51
    assert samples["wavelength/man-region"].size == 47 + 169


def test_wavelength_medians_say_the_london_zone_beats_its_region_by_about_3_ms(
    data: Path,
) -> None:
    medians = load_rtt(data).medians_ms()
    assert 42.0 <= medians["wavelength/lon-wlz"] <= 43.5
    assert medians["wavelength/lon-region"] == pytest.approx(46.1, abs=0.5)
    assert 2.5 <= medians["wavelength/lon-region"] - medians["wavelength/lon-wlz"] <= 4.0
    # all region rows mixed: the Manchester campaign's servers were ~15-20 ms closer
    assert medians["wavelength/region"] == pytest.approx(31.6, abs=0.5)
    assert medians["wavelength/man-wlz"] == pytest.approx(28.1, abs=0.5)


def test_wavelength_series_step_at_the_measured_test_interval(data: Path) -> None:
    rtt = load_rtt(data)
    assert rtt.intervals_s["wavelength/lon-wlz"] == pytest.approx(128, abs=3)
    assert rtt.intervals_s["5g/first-hop"] == traces.ASSUMED_PROBE_INTERVAL_S


def test_every_series_names_its_file_and_commit(data: Path) -> None:
    rtt = load_rtt(data)
    assert set(rtt.sources) == set(rtt.samples)
    assert "ping-trace-13.log" in rtt.sources["5g/first-hop"]
    assert "7133b70d7dd75e9234e26d9df3b4896f52a0ea4b" in rtt.sources["5g/first-hop"]
    assert "ping-trace-01.log" not in rtt.sources["5g/first-hop"]
    assert "cb61c176a163ec64117d81bdf443bc3f263b6688" in rtt.sources["wavelength/region"]


def test_rtt_series_at_replays_the_trace_and_repeats_every_period(data: Path) -> None:
    series = load_rtt(data).series("5g/us-east")
    samples = series.samples_ms
    assert series.period_s == samples.size * series.interval_s
    times = np.random.default_rng(1).uniform(0, 5 * series.period_s, 500)
    values = [series.at(t) for t in times]
    assert values == [series.at(t + series.period_s) for t in times]
    assert set(values) <= set(samples.tolist())
    assert [series.at(k * series.interval_s + 0.5) for k in range(5)] == samples[:5].tolist()
    assert series.at(series.period_s) == samples[0]


def test_rtt_series_draw_is_seeded_and_comes_from_the_trace(data: Path) -> None:
    series = load_rtt(data).series("4g/first-hop")
    draws = [series.draw(np.random.default_rng(9)) for _ in range(3)]
    assert len(set(draws)) == 1
    many = {series.draw(np.random.default_rng(seed)) for seed in range(200)}
    assert many <= set(series.samples_ms.tolist())
    assert len(many) > 20


def test_unknown_rtt_series_is_a_config_error(data: Path) -> None:
    with pytest.raises(ConfigError, match="5g/first-hop"):
        load_rtt(data).series("6g/first-hop")


# --------------------------------------------------------------------------- access networks


def test_network_model_maps_each_access_type_to_measured_series(data: Path) -> None:
    model = network_model(data)
    assert set(model) == {"5g", "lte", "wifi"}
    assert model["5g"].mec.name == "5g/first-hop"
    assert model["5g"].cloud.name == "5g/us-east"
    assert model["lte"].medians_ms == pytest.approx((28.8, 58.0), abs=0.5)
    assert model["5g"].medians_ms == pytest.approx((25.8, 53.5), abs=0.5)
    assert model["5g"].mec.median_ms < model["5g"].cloud.median_ms


def test_only_wifi_is_marked_as_an_assumed_stand_in(data: Path) -> None:
    model = network_model(data)
    assert [access for access, net in model.items() if net.assumed] == ["wifi"]
    assert model["wifi"].medians_ms == model["5g"].medians_ms


# --------------------------------------------------------------------------- held-out files


def test_loaders_never_open_a_held_out_test_csv(
    data: Path, tmp_path: Path, opened_files: list[str]
) -> None:
    _copy_traces(data, tmp_path)
    decoy_row = "18.168.5.59, euw2-az2, 999.00ms, 1, 52.0, -0.05, 2023-12-19T10:10:09Z\n"
    (tmp_path / "network" / "wavelength" / "decoy_test.csv").write_text(decoy_row)
    (tmp_path / "requests" / "AzureLLMInferenceTrace_test.csv").write_text("TIMESTAMP\n")
    opened = opened_files
    opened.clear()  # writing the decoys above opened them: count only what the loaders open
    load_requests("conv", tmp_path)
    load_requests("code", tmp_path)
    rtt = load_rtt(tmp_path)
    network_model(tmp_path)

    assert any(name.endswith("AzureLLMInferenceTrace_conv.csv") for name in opened)
    assert any(name.endswith("ee_man.csv") for name in opened)
    assert not [name for name in opened if name.endswith("_test.csv")]
    assert 999.0 not in rtt.samples["wavelength/region"]
