"""Everything random about a run's requests, drawn once per (workload, seed).

`build_requests` draws arrivals and token counts from the request trace, devices, prompts,
per-request service-time quantiles and failure draws. Every policy then replays exactly those
requests in its own fresh world (common random numbers), so differences between policies come
from their decisions only. Same seed, same requests, bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from mecrouter.config import Config, load_config
from mecrouter.sim.results import FaultWindow
from mecrouter.sim.traces import load_requests
from mecrouter.sim.truth import LabelledPrompts, labelled_prompts
from mecrouter.sim.workloads import Workload
from mecrouter.types import DeviceInfo, NetworkType, PrivacyLevel

__all__ = ["NETWORK_TYPES", "Requests", "build_requests", "request_kinds"]

NETWORK_TYPES = {"5g": NetworkType.FIVE_G, "lte": NetworkType.LTE, "wifi": NetworkType.WIFI}
F64 = npt.NDArray[np.float64]


@dataclass(slots=True)
class Requests:
    """Everything random about a run's requests, drawn once and shared by every policy."""

    arrival_s: F64
    prompt_tokens: npt.NDArray[np.int32]
    output_tokens: npt.NDArray[np.int32]
    use_case: list[str]
    prompt: list[str]
    device: npt.NDArray[np.int32]
    # Uniform in [0, 1): the quantile of the measured service times this request's calls get,
    # on whichever endpoint serves it (the world's `service_ms`).
    service_draw: F64
    failure_draw: F64  # compared with the endpoint's failure rate
    devices: list[DeviceInfo]
    device_network: list[str]
    device_phase_s: F64
    faults: list[FaultWindow]
    feedback_rate: float = 0.0  # share of served answers the user scores
    feedback_draw: F64 | None = None  # compared with feedback_rate
    correct_draw: F64 | None = None  # compared with the true quality: the user's verdict
    # A labelled workload's prompts with each endpoint's recorded outcome, and per request the
    # row of its prompt (None: the use cases' own prompts, judged on the capability yardstick).
    labels: LabelledPrompts | None = None
    label_row: list[int] | None = None
    # Per request, the true privacy level of its prompt: the privacy corpus's label for a
    # personal prompt, public for the use cases' own prompts (which carry no personal data).
    privacy_truth: list[PrivacyLevel] | None = None

    def __len__(self) -> int:
        return len(self.arrival_s)

    @property
    def yardstick(self) -> str:
        """What answer quality is judged on (a key of `sim.truth.YARDSTICKS`)."""
        return "capability" if self.labels is None else "labelled"


def build_requests(
    wl: Workload, n: int, seed: int, data: Path | None = None, config: Config | None = None
) -> Requests:
    """The workload's `n` requests under `seed` (deterministic). A labelled workload draws its
    prompts from the test splits, with the outcomes of `config`'s endpoints' benchmark models
    (the shipped config when None)."""
    rng = np.random.default_rng(seed)
    arrival, prompt_tokens, output_tokens = load_requests(wl.trace, data).sample(
        rng, n, wl.rate_per_s
    )
    scale_in, scale_out = wl.token_scale
    prompt_tokens = np.maximum(1, np.rint(prompt_tokens * scale_in)).astype(np.int32)
    output_tokens = np.maximum(1, np.rint(output_tokens * scale_out)).astype(np.int32)
    names = [name for name, _ in wl.use_cases]
    shares = np.array([share for _, share in wl.use_cases])
    use_case = [names[k] for k in rng.choice(len(names), size=n, p=shares / shares.sum())]
    labels, label_row = None, None
    if wl.prompts_from == "routerbench-test":
        labels = labelled_prompts(config or load_config(), data)
        label_row = rng.integers(0, len(labels.prompts), size=n).tolist()
        prompt = [labels.prompts[r] for r in label_row]
    else:
        prompt = [_pick(rng, wl.prompts(uc)) for uc in use_case]
    devices, networks = _devices(wl, rng)
    duration = float(arrival[-1]) if n else 0.0
    faults = [
        FaultWindow(f.kind, f.target, f.start * duration, f.end * duration, f.factor)
        for f in wl.faults
    ]
    reqs = Requests(
        arrival_s=arrival,
        prompt_tokens=prompt_tokens,
        output_tokens=output_tokens,
        use_case=use_case,
        prompt=prompt,
        device=rng.integers(0, len(devices), size=n).astype(np.int32),
        service_draw=rng.random(n),
        failure_draw=rng.random(n),
        devices=devices,
        device_network=networks,
        device_phase_s=rng.uniform(0.0, 3600.0, size=len(devices)),
        faults=faults,
        feedback_rate=wl.feedback_rate,
        # drawn last, so every earlier stream is the same with or without feedback
        feedback_draw=rng.random(n),
        correct_draw=rng.random(n),
        labels=labels,
        label_row=label_row,
    )
    # drawn after everything else, so the other streams are those of a run without it
    reqs.privacy_truth = _personal(wl, use_case, prompt, rng, data)
    return reqs


def _personal(
    wl: Workload,
    use_case: Sequence[str],
    prompt: list[str],
    rng: np.random.Generator,
    data: Path | None,
) -> list[PrivacyLevel]:
    """Swap the prompts of the requests that carry personal data (`Workload.personal`) for the
    privacy corpus's, in place, and return every request's true privacy level."""
    truth = [PrivacyLevel.PUBLIC] * len(prompt)
    present = set(use_case)
    shares = {uc: s for uc, s in wl.personal.items() if s > 0.0 and uc in present}
    if not shares or wl.prompts_from != "seed":
        return truth
    from mecrouter.datadir import data_dir
    from mecrouter.sim.privacy_truth import personal_prompts

    folder = data_dir(data)
    draw, pick = rng.random(len(prompt)), rng.random(len(prompt))
    for i, uc in enumerate(use_case):
        share = shares.get(uc)
        if share is not None and draw[i] < share:
            pool = personal_prompts(folder, uc)
            prompt[i], truth[i] = pool[int(pick[i] * len(pool))]
    return truth


def _pick(rng: np.random.Generator, options: Sequence[str]) -> str:
    return options[int(rng.integers(0, len(options)))]


def request_kinds(reqs: Requests) -> tuple[list[int], list[tuple[str, str]]]:
    """Per request, the index of its (prompt, use case) among the run's distinct ones."""
    index: dict[tuple[str, str], int] = {}
    kind = [
        index.setdefault(key, len(index)) for key in zip(reqs.prompt, reqs.use_case, strict=True)
    ]
    return kind, list(index)


def _devices(wl: Workload, rng: np.random.Generator) -> tuple[list[DeviceInfo], list[str]]:
    mix = wl.devices
    model_sets = [m for m, _ in mix.local_models]
    model_p = np.array([p for _, p in mix.local_models])
    nets = [n for n, _ in mix.networks]
    net_p = np.array([p for _, p in mix.networks])
    devices, networks = [], []
    for i in range(mix.count):
        net = nets[int(rng.choice(len(nets), p=net_p / net_p.sum()))]
        devices.append(
            DeviceInfo(
                device_id=f"{wl.name}-dev-{i}",
                memory_mb=8192,
                battery_pct=round(float(rng.uniform(*mix.battery_pct)), 1),
                local_models=model_sets[
                    int(rng.choice(len(model_sets), p=model_p / model_p.sum()))
                ],
                network_type=NETWORK_TYPES[net],
            )
        )
        networks.append(net)
    return devices, networks
