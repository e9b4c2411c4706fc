"""The advisor (`routing.reasoner`) as the simulator models it: the same gates as the gateway's
(`agents.reasoner`: close call, SLO slack, hard timeout), a latency drawn from a measured
profile, and an ASSUMED accuracy in place of an LLM's judgement.

- **When it is asked**: exactly as in the gateway: the decision's best two options within
  `margin` of utility, and the SLO slack (SLO minus the slower option's predicted SLO latency)
  at least `expected_ms`. The call's timeout is `timeout_ms`, never more than the slack.
- **How long it takes**: the device's cloud round trip at the decision, plus one draw from the
  Nova Pro endpoint's measured service trace (its config's `service_trace`: LLMPerf
  `bedrock_70b`, a proxy, Nova itself is not measured here) for an ASSUMED prompt of
  `PROMPT_TOKENS` and answer of `OUTPUT_TOKENS`. A draw past the timeout is a timeout: the
  request waits the timeout and keeps the learned pick.
- **What it answers**: with probability `accuracy` (ASSUMED, not measured: no Nova Pro verdicts
  were judged here) the option the simulator's ground truth (`RequestFacts.truth`, times any
  quality drop in force) says answers better; otherwise the other one. On a tie (both right or
  both wrong) the learned pick counts as the better one.

The request waits for the advisor before its first attempt; its latency counts from arrival as
always. Not modelled: advisor errors and its breaker (no failures), its capacity (Bedrock
on-demand, ASSUMED unconstrained), its price (a few hundred tokens of Nova Pro per call is
reported separately by the study, not added to the request's cost).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import Final

from mecrouter.agents.reasoner import (
    AGREED,
    OVERRULED,
    SKIPPED_BUDGET,
    SKIPPED_MARGIN,
    TIMEOUT,
    close_pair,
    options_of,
    overrule,
    slack_ms,
)
from mecrouter.agents.router import RouterAgent
from mecrouter.config import Config, EndpointConfig, ReasonerConfig
from mecrouter.sim.facts import RequestFacts
from mecrouter.types import ContextAnalysis, NetworkMetrics, ResourceState

__all__ = ["OUTPUT_TOKENS", "PROMPT_TOKENS", "AdvisorModel", "SimAdvisor", "advisor_profile"]

PROMPT_TOKENS: Final = 350  # ASSUMED: the system text, the request's needs and two options
OUTPUT_TOKENS: Final = 40  # ASSUMED: {"choice": ..., "reasoning": "<one sentence>"}
_PROFILE_MODEL: Final = "amazon.nova-pro-v1:0"


@dataclass(frozen=True, slots=True)
class AdvisorModel:
    """What the simulator assumes of the advisor: its accuracy (ASSUMED) and its settings."""

    accuracy: float
    settings: ReasonerConfig


def advisor_profile(config: Config) -> EndpointConfig:
    """The endpoint whose measured service times stand for the advisor's: the config's Nova Pro
    (by model id), else its slowest-decoding cloud endpoint."""
    cloud = [ep for ep in config.endpoints if ep.tier.value == "cloud"]
    for ep in cloud:
        if ep.model.removeprefix("us.") == _PROFILE_MODEL:
            return ep
    return min(cloud or config.endpoints, key=lambda ep: ep.decode_tokens_per_s)


class SimAdvisor:
    """Decides like `RouterAgent.plan`, then consults the modelled advisor on close calls."""

    def __init__(self, model: AdvisorModel, config: Config, facts: RequestFacts, seed: int) -> None:
        self.model, self.facts = model, facts
        self.profile = advisor_profile(config)
        self._tiers = {ep.id: ep.tier for ep in config.endpoints}
        self._rng = random.Random(seed * 7919 + 17)
        self.counts: Counter[str] = Counter()
        self.waited_ms = 0.0  # the advisor time requests spent, summed

    def plan(
        self,
        router: RouterAgent,
        context: ContextAnalysis,
        state: ResourceState,
        i: int,
        network: NetworkMetrics,
    ) -> tuple[list[str], list[float], float]:
        """(chain, predicted ms per endpoint of it, ms the request waits for the advisor)."""
        s = self.model.settings
        decision = router.make_routing_decision(context, state)
        pair = close_pair(decision, s.margin)
        options = (
            []
            if pair is None
            else options_of(pair, router.evaluate(context, state), decision.scores)
        )
        wait_ms, verdict = 0.0, SKIPPED_MARGIN
        if len(options) == 2:
            slack = slack_ms(options, context.latency_requirement)
            if slack < s.expected_ms:
                verdict = SKIPPED_BUDGET
            else:
                took = network.cloud_rtt_ms + self._draw_ms()
                timeout = min(s.timeout_ms, slack)
                wait_ms, verdict = (timeout, TIMEOUT) if took > timeout else (took, AGREED)
        if verdict == AGREED:
            choice = self._choice(options[0].endpoint, options[1].endpoint, i)
            if choice != options[0].endpoint:
                overrule(decision, options[1], self._tiers)
                verdict = OVERRULED
        self.counts[verdict] += 1
        self.waited_ms += wait_ms
        chain = [decision.selected_endpoint, *decision.fallback_endpoints]
        return chain, [decision.predicted_latency_ms[e] for e in chain], wait_ms

    def _draw_ms(self) -> float:
        """One advisor call's service time, as the world times any call to the profile's
        endpoint: a measured (TTFT, decode) sample at the prompt and answer sizes."""
        world = self.facts.world
        ttft, decode = world.service_ms(
            world.endpoints[self.profile.id], 1, PROMPT_TOKENS, OUTPUT_TOKENS,
            self._rng.random(), 1.0,
        )  # fmt: skip
        return ttft + decode

    def _choice(self, learned: str, rival: str, i: int) -> str:
        """The better of the two by the world's truth with probability `accuracy` (ASSUMED)."""
        truth, world = self.facts.truth(i), self.facts.world
        arrived = self.facts.arrival_s[i]
        good = {
            e: truth[e] * world.quality_factor(world.endpoints[e], arrived)
            for e in (learned, rival)
        }
        if good[rival] != good[learned]:  # the headroom: how often the choice matters at all
            self.counts["truth_differs"] += 1
            self.counts["rival_better"] += good[rival] > good[learned]
        better = rival if good[rival] > good[learned] else learned
        worse = learned if better == rival else rival
        return better if self._rng.random() < self.model.accuracy else worse
