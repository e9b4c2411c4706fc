"""The advisor's I/O: ask an LLM (Nova Pro on Bedrock, or an OpenAI-compatible server) to pick
between the two best options of a close call, under a hard timeout and its own circuit breaker.

`Advisor.review` runs after the RouterAgent has decided and before the request is dispatched. It
never raises into the request path: when the call is not close, the SLO slack cannot afford the
advisor, its breaker is open, or its answer is slow, failing or unparsable, the learned decision
stands. Either way the verdict (`agents.reasoner.VERDICTS`) and the advisor's reasoning are set on
the decision (and so on its record). When it overrules, its choice is selected and the learned
pick becomes the first fallback. The timeout of a call is `timeout_ms`, and never more than what
the SLO leaves once the slower option has answered.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import Final

from mecrouter.agents.reasoner import (
    AGREED,
    CIRCUIT_OPEN,
    ERROR,
    OVERRULED,
    SKIPPED_BUDGET,
    SKIPPED_MARGIN,
    TIMEOUT,
    UNPARSABLE,
    Option,
    close_pair,
    options_of,
    overrule,
    parse_verdict,
    prompt_messages,
    slack_ms,
    verdict_schema,
)
from mecrouter.agents.router import RouterAgent
from mecrouter.backends import create_backend
from mecrouter.backends.base import Backend, GenerationOptions, GenerationRequest
from mecrouter.breaker import CircuitBreaker
from mecrouter.config import Config, EndpointConfig, PriceConfig, ReasonerConfig
from mecrouter.errors import BackendError
from mecrouter.resilience import Clock
from mecrouter.types import (
    ComputeTier,
    ContextAnalysis,
    InferenceRequest,
    Message,
    ModelSize,
    ResourceState,
    RoutingDecision,
)

__all__ = ["Advisor", "advisor_endpoint", "advisor_price"]

log = logging.getLogger(__name__)

ADVISOR_ENDPOINT_ID: Final = "routing-reasoner"
_SCHEMA_NAME: Final = "routing_verdict"


def advisor_price(config: Config, model: str) -> PriceConfig:
    """The advisor's price per token: that of the config's endpoint serving the same model (an
    inference profile's geography prefix aside: ``us.amazon.nova-pro-v1:0`` is
    ``amazon.nova-pro-v1:0``), else nothing (an unpriced model costs 0)."""
    bare = model.split(".", 1)[1] if model.count(".") >= 2 else model
    for ep in config.endpoints:
        if ep.model in (model, bare):
            return ep.price
    return PriceConfig()


def advisor_endpoint(settings: ReasonerConfig) -> EndpointConfig:
    """The advisor as an endpoint the backends registry can build (never routed to)."""
    return EndpointConfig(
        id=ADVISOR_ENDPOINT_ID,
        tier=ComputeTier.CLOUD,
        model=settings.model,
        model_size=ModelSize.FRONTIER,
        capability=1.0,
        region=settings.region,
        backend=settings.backend,
        base_url=settings.base_url,
        api_key_env=settings.api_key_env,
        max_concurrency=16,
        ttft_ms=settings.expected_ms,
        decode_tokens_per_s=20.0,  # unused: nothing predicts the advisor from its profile
        max_output_tokens=settings.max_output_tokens,
    )


class Advisor:
    """Reviews close decisions. `outcomes` counts the verdicts given since it was built."""

    def __init__(
        self, config: Config, backend: Backend, router_agent: RouterAgent, clock: Clock
    ) -> None:
        self.settings = s = config.routing.reasoner
        self.backend = backend
        self.router_agent = router_agent
        self.clock = clock
        self.breaker = CircuitBreaker(s.failure_threshold, s.open_seconds, 1)
        self.outcomes: Counter[str] = Counter()
        self._config = config
        self._tiers = {ep.id: ep.tier for ep in config.endpoints}
        self._price = advisor_price(config, s.model)

    @classmethod
    def from_config(cls, config: Config, router_agent: RouterAgent, clock: Clock) -> Advisor | None:
        """The advisor `routing.reasoner` names; None when it is off."""
        settings = config.routing.reasoner
        if settings.backend == "off":
            return None
        return cls(config, create_backend(advisor_endpoint(settings)), router_agent, clock)

    async def review(
        self,
        decision: RoutingDecision,
        context: ContextAnalysis,
        state: ResourceState,
        req: InferenceRequest,
    ) -> None:
        """Consult the advisor on `decision` if it pays, and apply its verdict (never raises)."""
        try:
            verdict, reasoning = await self._review(decision, context, state, req)
        except Exception:  # a failing advisor degrades to the learned answer
            log.exception("advisor failed; the learned decision stands")
            self.breaker.record_failure(self.clock.monotonic())
            verdict, reasoning = ERROR, ""
        decision.advisor_verdict, decision.advisor_reasoning = verdict, reasoning
        self.outcomes[verdict] += 1
        if verdict != SKIPPED_MARGIN:
            said = f": {reasoning}" if reasoning else ""
            decision.reasoning = f"{decision.reasoning}; advisor {verdict}{said}"

    async def _review(
        self,
        decision: RoutingDecision,
        context: ContextAnalysis,
        state: ResourceState,
        req: InferenceRequest,
    ) -> tuple[str, str]:
        s = self.settings
        pair = close_pair(decision, s.margin)
        if pair is None:
            return SKIPPED_MARGIN, ""
        candidates = self.router_agent.evaluate(context, state, req)
        options = options_of(pair, candidates, decision.scores)
        if len(options) < 2:
            return SKIPPED_MARGIN, ""
        slack = slack_ms(options, context.latency_requirement)
        if slack < s.expected_ms:
            return SKIPPED_BUDGET, ""
        # Its own breaker: open, nothing is asked; half-open, one question at a time probes.
        if not self.breaker.allow(self.clock.monotonic()):
            return CIRCUIT_OPEN, ""
        return await self._ask(decision, options, context, req, min(s.timeout_ms, slack))

    async def _ask(
        self,
        decision: RoutingDecision,
        options: list[Option],
        context: ContextAnalysis,
        req: InferenceRequest,
        timeout_ms: float,
    ) -> tuple[str, str]:
        """One call under `timeout_ms`; the breaker learns from it."""
        call = self._request(options, context, req)
        try:
            async with asyncio.timeout(timeout_ms / 1000.0):
                gen = await self.backend.generate(call)
        except TimeoutError:
            self.breaker.record_failure(self.clock.monotonic())
            return TIMEOUT, ""
        except BackendError as exc:  # anything else is caught (and counted) by `review`
            self.breaker.record_failure(self.clock.monotonic())
            log.warning("advisor call failed: %s", exc)
            return ERROR, ""
        # billed whatever it says; a call cut off by the timeout is not counted (no token counts)
        decision.advisor_cost_usd = self._price.cost_usd(gen.input_tokens, gen.output_tokens)
        verdict = parse_verdict(gen.text, [o.endpoint for o in options])
        if verdict is None:
            self.breaker.record_failure(self.clock.monotonic())
            return UNPARSABLE, ""
        self.breaker.record_success(self.clock.monotonic())
        if verdict.choice == decision.selected_endpoint:
            return AGREED, verdict.reasoning
        chosen = next(o for o in options if o.endpoint == verdict.choice)
        overrule(decision, chosen, self._tiers)
        return OVERRULED, verdict.reasoning

    def _request(
        self, options: list[Option], context: ContextAnalysis, req: InferenceRequest
    ) -> GenerationRequest:
        weights = self._config.use_case(context.use_case).weights.model_dump()
        system, user = prompt_messages(options, context, weights)
        schema = {"name": _SCHEMA_NAME, "schema": verdict_schema(options)}
        return GenerationRequest(
            request_id=f"{req.request_id}-advisor",
            prompt=user,
            model=self.settings.model,
            max_tokens=self.settings.max_output_tokens,
            messages=(Message(role="system", content=system), Message(role="user", content=user)),
            temperature=0.0,
            options=GenerationOptions(
                response_format={"type": "json_schema", "json_schema": schema}
            ),
        )

    async def aclose(self) -> None:
        await self.backend.aclose()
