"""The simulated world's service times, from measurements (never from the router's profile).

Each endpoint stands for one measured source, named by `EndpointConfig.service_trace`
(or, when unset, by `default_service_trace` from its tier and model size):

- ``llmperf/<provider>_<size>``: the 150 individual requests of one LLMPerf run
  (``compute/llmperf/*.json``: hosted Llama-2 chat, 550-token prompts, 5 concurrent, Dec 2023).
  Each record gives a TTFT and a per-token decode time, ``(end_to_end - ttft) /
  (output_tokens - 1)``; records with no timing (a failed call reports zeros) are left out.
  A request's draw picks the record at that quantile of TTFT, so both its TTFT and its decode
  time are a measured pair, and the variance and tails are the run's own.
- ``device/<model>``: Qualcomm AI Hub figures (``compute/device/<model>_perf.yaml``, Snapdragon
  8 Elite QRD, w4a16). They give a TTFT *range* and one decode rate, no per-request spread:
  the TTFT is the range's minimum at a prompt of up to 128 tokens, rising linearly to its
  maximum at the 4,096-token context (ASSUMED reading of the range), and the decode rate is
  fixed. A device's service time therefore varies only with its prompt.

Prompt length: an LLMPerf TTFT was measured at 550 prompt tokens; a request's own prompt adds
(or removes) the prefill time the Splitwise performance model measured between the two sizes
(``compute/splitwise_perf_model.csv``, Llama-2-70B on 8 H100s at batch 1, the median of the
repeats at each prompt size, linear between sizes and past the largest). That curve stands for
every GPU endpoint (ASSUMED: a 7B-13B model on one GPU carries about as many parameters per GPU).

Batching: on a MEC node the decode time per token grows with the calls in service as the
same Splitwise model's per-token time grows with the batch (median at each batch size,
relative to batch 1, linear between sizes and past the largest).
"""

from __future__ import annotations

import csv
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from mecrouter.config import EndpointConfig
from mecrouter.datadir import data_dir
from mecrouter.errors import ConfigError
from mecrouter.types import ComputeTier, ModelSize

__all__ = [
    "PREFILL_STEP_TOKENS",
    "MeasuredService",
    "batch_slowdown",
    "default_service_trace",
    "known_service_traces",
    "load_service",
    "service_trace_of",
]

PREFILL_STEP_TOKENS = 32  # the prefill curve is tabulated per 32 prompt tokens (a power of 2)
_SPLITWISE_FILE = "compute/splitwise_perf_model.csv"
_SPLITWISE_SETUP = ("llama2-70b", "h100-80gb", "8")  # model, hardware, tensor parallel
_LLMPERF_DIR = "compute/llmperf"
_DEVICE_DIR = "compute/device"
_DEVICE_CHIP, _DEVICE_PRECISION = "Snapdragon 8 Elite QRD", "w4a16"
_DEVICE_SHORT_TOKENS, _DEVICE_CONTEXT_TOKENS = 128, 4096  # ASSUMED ends of the TTFT range

# The measured source an endpoint stands for when its config names none (tier, model size).
_DEFAULT_TRACES: dict[tuple[ComputeTier, ModelSize], str] = {
    (ComputeTier.DEVICE, ModelSize.TINY): "device/llama_v3_2_1b_instruct",
    (ComputeTier.DEVICE, ModelSize.SMALL): "device/llama_v3_1_8b_instruct",
    (ComputeTier.DEVICE, ModelSize.MEDIUM): "device/llama_v3_1_8b_instruct",
    (ComputeTier.DEVICE, ModelSize.LARGE): "device/llama_v3_1_8b_instruct",
    (ComputeTier.DEVICE, ModelSize.FRONTIER): "device/llama_v3_1_8b_instruct",
    (ComputeTier.MEC, ModelSize.TINY): "llmperf/anyscale_7b",
    (ComputeTier.MEC, ModelSize.SMALL): "llmperf/anyscale_7b",
    (ComputeTier.MEC, ModelSize.MEDIUM): "llmperf/anyscale_13b",
    (ComputeTier.MEC, ModelSize.LARGE): "llmperf/anyscale_70b",
    (ComputeTier.MEC, ModelSize.FRONTIER): "llmperf/anyscale_70b",
    (ComputeTier.CLOUD, ModelSize.TINY): "llmperf/bedrock_13b",
    (ComputeTier.CLOUD, ModelSize.SMALL): "llmperf/bedrock_13b",
    (ComputeTier.CLOUD, ModelSize.MEDIUM): "llmperf/bedrock_13b",
    (ComputeTier.CLOUD, ModelSize.LARGE): "llmperf/bedrock_13b",
    (ComputeTier.CLOUD, ModelSize.FRONTIER): "llmperf/bedrock_70b",
}


@dataclass(frozen=True, slots=True, eq=False)
class MeasuredService:
    """One measured source as the world draws from it: paired samples sorted by TTFT.

    Sample ``k`` is ``(ttft_ms[k], decode_ms_per_token[k])``; a request whose draw is ``u``
    (uniform in [0, 1)) gets sample ``int(u * len(ttft_ms))``: the inverse of the TTFT's
    empirical CDF. ``prefill_base_ms[j] + prefill_slope_ms[j] * p`` is what a ``p``-token
    prompt adds to a TTFT measured at ``ref_prompt_tokens``, for ``j = p // PREFILL_STEP_TOKENS``
    (the last cell for longer prompts: it extends the curve past its largest measured size)."""

    name: str
    ttft_ms: tuple[float, ...]
    decode_ms_per_token: tuple[float, ...]
    ref_prompt_tokens: int
    prefill_base_ms: tuple[float, ...]
    prefill_slope_ms: tuple[float, ...]
    source: str

    @property
    def median_ttft_ms(self) -> float:
        return statistics.median(self.ttft_ms)

    @property
    def median_decode_ms_per_token(self) -> float:
        return statistics.median(self.decode_ms_per_token)


def default_service_trace(ep: EndpointConfig) -> str:
    return _DEFAULT_TRACES[(ep.tier, ep.model_size)]


def service_trace_of(ep: EndpointConfig) -> str:
    """The measured source `ep` stands for: its config's, or the default for its tier/size."""
    return ep.service_trace or default_service_trace(ep)


def known_service_traces(data: Path | None = None) -> list[str]:
    """Every name `load_service` accepts under the data folder."""
    root = data_dir(data)
    llmperf = [f"llmperf/{p.stem}" for p in (root / _LLMPERF_DIR).glob("*.json")]
    device = [f"device/{p.stem.removesuffix('_perf')}" for p in (root / _DEVICE_DIR).glob("*.yaml")]
    return sorted(llmperf + device)


def load_service(
    name: str, data: Path | None = None, field: str = "service_trace"
) -> MeasuredService:
    """The measured source `name` (cached); an unknown name is a `ConfigError` on `field`."""
    root = data_dir(data).resolve()
    kind, _, stem = name.partition("/")
    path = {
        "llmperf": root / _LLMPERF_DIR / f"{stem}.json",
        "device": root / _DEVICE_DIR / f"{stem}_perf.yaml",
    }.get(kind)
    if path is None or not stem or not path.is_file():
        known = ", ".join(known_service_traces(root))
        raise ConfigError(field, f"unknown service trace {name!r}; known: {known}")
    return _load(name, path, root)


@lru_cache(maxsize=32)
def _load(name: str, path: Path, root: Path) -> MeasuredService:
    try:
        if name.startswith("llmperf/"):
            return _llmperf(name, path, _splitwise_prefill(root))
        return _device(name, path)
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise ConfigError("data", f"cannot read {path}: {exc}") from exc


def _llmperf(name: str, path: Path, prefill: tuple[list[int], list[float]]) -> MeasuredService:
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    pairs = sorted(
        (1000.0 * r["ttft_s"], 1000.0 * (r["end_to_end_latency_s"] - r["ttft_s"]) / (out - 1))
        for r in records
        if (out := int(r["number_output_tokens"])) > 1
        and 0 < r["ttft_s"] < r["end_to_end_latency_s"]
    )
    if not pairs:
        raise ValueError("no request with timings")
    ref = int(statistics.median(int(r["number_input_tokens"]) for r in records))
    base, slope = _prefill_table(*prefill, ref)
    return MeasuredService(
        name, tuple(t for t, _ in pairs), tuple(d for _, d in pairs), ref, base, slope,
        f"data/{_LLMPERF_DIR}/{path.name} ({len(pairs)} of {len(records)} requests timed); "
        f"prefill: data/{_SPLITWISE_FILE} {'/'.join(_SPLITWISE_SETUP)}",
    )  # fmt: skip


def _device(name: str, path: Path) -> MeasuredService:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    (component,) = doc["precisions"][_DEVICE_PRECISION]["components"].values()
    metrics = component["performance_metrics"][_DEVICE_CHIP]["genie"]["llm_metrics"][0]
    low = float(metrics["time_to_first_token_range_milliseconds"]["min"])
    high = float(metrics["time_to_first_token_range_milliseconds"]["max"])
    knots = [_DEVICE_SHORT_TOKENS, _DEVICE_CONTEXT_TOKENS]
    base, slope = _prefill_table(knots, [low, high], _DEVICE_SHORT_TOKENS)
    return MeasuredService(
        name, (low,), (1000.0 / float(metrics["tokens_per_second"]),), _DEVICE_SHORT_TOKENS,
        base, slope, f"data/{_DEVICE_DIR}/{path.name} ({_DEVICE_CHIP}, {_DEVICE_PRECISION})",
    )  # fmt: skip


def _prefill_table(
    knots: list[int], ms: list[float], ref_tokens: int
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Per 32-token cell, the line ``base + slope * p`` of the prefill curve minus its value at
    `ref_tokens`: flat before the first knot, linear between knots and past the last one.
    Knots must be multiples of the cell size, so each cell lies on one segment."""
    if any(k % PREFILL_STEP_TOKENS for k in knots) or len(knots) < 2:
        raise ValueError(f"prefill knots {knots} are not multiples of {PREFILL_STEP_TOKENS}")
    bases, slopes = [], []
    for j in range(knots[-1] // PREFILL_STEP_TOKENS + 1):
        p = j * PREFILL_STEP_TOKENS
        if p < knots[0]:
            bases.append(ms[0])
            slopes.append(0.0)
            continue
        s = max(1, min(len(knots) - 1, next((i for i, k in enumerate(knots) if k > p), len(knots))))
        slope = (ms[s] - ms[s - 1]) / (knots[s] - knots[s - 1])
        bases.append(ms[s - 1] - slope * knots[s - 1])
        slopes.append(slope)
    at_ref = _curve(knots, ms, ref_tokens)
    return tuple(b - at_ref for b in bases), tuple(slopes)


def _curve(knots: list[int], ms: list[float], p: int) -> float:
    if p <= knots[0]:
        return ms[0]
    s = min(len(knots) - 1, next((i for i, k in enumerate(knots) if k >= p), len(knots)))
    return ms[s - 1] + (ms[s] - ms[s - 1]) * (p - knots[s - 1]) / (knots[s] - knots[s - 1])


def _splitwise_rows(root: Path) -> list[dict[str, str]]:
    path = root / _SPLITWISE_FILE
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ConfigError("data", f"cannot read {path}: {exc}") from exc
    model, hardware, tp = _SPLITWISE_SETUP
    return [
        r for r in rows
        if r["model"] == model and r["hardware"] == hardware and r["tensor_parallel"] == tp
    ]  # fmt: skip


@lru_cache(maxsize=4)
def _splitwise_prefill(root: Path) -> tuple[list[int], list[float]]:
    """(prompt sizes, median prefill ms) at batch 1."""
    by_size: dict[int, list[float]] = defaultdict(list)
    for r in _splitwise_rows(root):
        if r["batch_size"] == "1":
            by_size[int(r["prompt_size"])].append(float(r["prompt_time"]))
    sizes = sorted(by_size)
    return sizes, [statistics.median(by_size[s]) for s in sizes]


@lru_cache(maxsize=4)
def _splitwise_batching(root: Path) -> tuple[list[int], list[float]]:
    """(batch sizes, median per-token decode ms relative to batch 1) at the 512-token prompt."""
    by_batch: dict[int, list[float]] = defaultdict(list)
    for r in _splitwise_rows(root):
        if r["prompt_size"] == "512":
            by_batch[int(r["batch_size"])].append(float(r["token_time"]))
    sizes = sorted(by_batch)
    medians = [statistics.median(by_batch[b]) for b in sizes]
    return sizes, [m / medians[0] for m in medians]


def batch_slowdown(max_busy: int, data: Path | None = None) -> tuple[float, ...]:
    """Per calls in service (index 0 .. `max_busy`), the factor on the decode time per token
    (1 at a batch of one), from the Splitwise model's per-token time against batch size."""
    sizes, factors = _splitwise_batching(data_dir(data).resolve())
    out = []
    for busy in range(max_busy + 1):
        b = max(busy, sizes[0])
        s = min(len(sizes) - 1, next((i for i, k in enumerate(sizes) if k >= b), len(sizes)))
        s = max(s, 1)
        frac = (b - sizes[s - 1]) / (sizes[s] - sizes[s - 1])
        out.append(max(1.0, factors[s - 1] + (factors[s] - factors[s - 1]) * frac))
    return tuple(out)
