"""What a run knows about each of its requests, and what only the oracle may ask of the world.

`RequestFacts` holds a run's per-request values as Python lists (a NumPy scalar read costs
several times a list's, and the run reads them on its hot path), the real ContextAgent's
judgement of each distinct (prompt, use case), the world's ground truth of answer quality, and
what a device measures of its network. `true_latencies_ms` is the oracle's probe: the true
outcome of the current request on each endpoint if it were sent now.
"""

from __future__ import annotations

from collections.abc import Sequence

from mecrouter.agents.cache import CacheAgent
from mecrouter.agents.context import ContextAgent
from mecrouter.config import Config
from mecrouter.sim.calls import model_load_ms
from mecrouter.sim.requests import NETWORK_TYPES, Requests, request_kinds
from mecrouter.sim.truth import capability_truth
from mecrouter.sim.world import World
from mecrouter.types import (
    ComputeTier,
    ContextAnalysis,
    InferenceRequest,
    NetworkMetrics,
    PrivacyLevel,
)

__all__ = ["RequestFacts"]

_MEC, _DEVICE = ComputeTier.MEC, ComputeTier.DEVICE


class RequestFacts:
    """One run's requests as the run and its oracle see them (the probe a policy is given)."""

    def __init__(self, config: Config, reqs: Requests, world: World, cache: CacheAgent) -> None:
        self.reqs, self.world, self.cache = reqs, world, cache
        self.context_agent = ContextAgent(config)
        self._endpoints = config.endpoints
        self._quality_drops = any(f.kind == "quality_drop" for f in reqs.faults)
        self.current = 0  # the request the oracle's probe is about
        self.arrival_s: list[float] = reqs.arrival_s.tolist()
        self.device: list[int] = reqs.device.tolist()
        self.prompt_tokens: list[int] = reqs.prompt_tokens.tolist()
        self.output_tokens: list[int] = reqs.output_tokens.tolist()
        self.service_draw: list[float] = reqs.service_draw.tolist()
        self._phase_s: list[float] = reqs.device_phase_s.tolist()
        self.kind, self._kinds = request_kinds(reqs)
        self._judged: list[ContextAnalysis | None] = [None] * len(self._kinds)
        self._truths: list[dict[str, float] | None] = [None] * len(self._kinds)

    def judged(self, i: int) -> ContextAnalysis:
        """The real ContextAgent's judgement of the request's prompt, memoised per distinct
        prompt and use case (the agent is pure: same input, same analysis)."""
        k = self.kind[i]
        base = self._judged[k]
        if base is None:
            prompt, use_case = self._kinds[k]
            base = self._judged[k] = self.context_agent.analyze_request(
                InferenceRequest(content=prompt, use_case=use_case)
            )
        return base

    def truth(self, i: int) -> dict[str, float]:
        """The true chance that each endpoint answers request `i` well, before any quality
        drop: 1 or 0 from the recorded outcome of a labelled prompt, else the capability
        yardstick for the complexity the ContextAgent judged (`sim.truth`)."""
        k = self.kind[i]
        t = self._truths[k]
        if t is None:
            labels, rows = self.reqs.labels, self.reqs.label_row
            if labels is not None and rows is not None:
                t = labels.truth(rows[i])
            else:
                t = capability_truth(self._endpoints, self.judged(i).complexity_score)
            self._truths[k] = t
        return t

    def privacy_truth(self, i: int) -> PrivacyLevel:
        """The true privacy level of request `i`'s prompt (`Requests.privacy_truth`), before
        its use case's floor; never the ContextAgent's judgement."""
        truth = self.reqs.privacy_truth
        return PrivacyLevel.PUBLIC if truth is None else truth[i]

    def context(self, i: int) -> ContextAnalysis:
        """This request's analysis: the judgement of its prompt with the trace's token counts."""
        b = self.judged(i)
        return ContextAnalysis(
            b.complexity_score,
            self.prompt_tokens[i],
            b.required_model_size,
            b.latency_requirement,
            b.privacy_level,
            b.geographic_region,
            self.output_tokens[i],
            b.use_case,
            b.privacy_findings,
            b.task_type,
            b.quality,
            b.quality_support,
        )

    def network(self, device: int, now: float) -> NetworkMetrics:
        """What the device measures at `now`: its current RTTs (and that it is online)."""
        net = self.reqs.device_network[device]
        phase = self._phase_s[device] + now
        model = self.world.networks[net]
        mec, cloud = model.mec.at(phase), model.cloud.at(phase)
        if self.world.slow_links:  # the device measures what its links do now
            mec *= self.world.rtt_factor("mec", now)
            cloud *= self.world.rtt_factor("cloud", now)
        return NetworkMetrics(NETWORK_TYPES[net], True, mec, cloud, 0.0)

    # ---------------------------------------------------------------- the oracle's probe

    def true_latencies_ms(self, endpoint_ids: Sequence[str]) -> list[tuple[float, float, float]]:
        """(time to first token, total, quality) of the current request on each endpoint if sent
        now: the real queue, RTT, fault, this request's own service time (inf if it would fail)
        and its true quality there (`truth`, times any quality drop in force)."""
        i, world = self.current, self.world
        now = world.env.now
        device = self.device[i]
        prompt, output = self.prompt_tokens[i], self.output_tokens[i]
        draw = self.service_draw[i]
        faults, drops, stations = world.faults, self._quality_drops, world.stations
        fails = (float("inf"), float("inf"), 0.0)
        truth = self.truth(i)
        rtts: dict[ComputeTier, float] = {}  # one trace read per tier, not per endpoint
        out = []
        slow = 1.0
        for endpoint_id in endpoint_ids:
            ep = world.endpoints[endpoint_id]
            if faults:
                fault, slow = world.fault(ep, now)
                if fault:
                    out.append(fails)
                    continue
            station = world.station(ep, device) if ep.tier is _DEVICE else stations[endpoint_id]
            slots = station.slots
            if slots.count + len(slots.queue) < slots.capacity:
                wait = 0.0
            else:
                wait = station.expected_wait_s(now, ep.typical_service_ms / 1000.0) * 1000.0
            ttft, decode = world.service_ms(ep, slots.count + 1, prompt, output, draw, slow)
            rtt = rtts.get(ep.tier)
            if rtt is None:
                rtt = rtts[ep.tier] = world.rtt_ms(ep, device, now)
            load = model_load_ms(self.cache, ep) if ep.tier is _MEC else 0.0
            first = rtt + wait + load + ttft
            quality = truth[endpoint_id]
            if drops:
                quality *= world.quality_factor(ep, now)
            out.append((first, first + decode, quality))
        return out
