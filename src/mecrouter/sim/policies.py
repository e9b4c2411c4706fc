"""The policies the simulator compares: each a production `RouterAgent` with a policy from the
one registry (`agents.policies.POLICIES`), deciding through `RouterAgent.plan`.

The run binds every policy to its `RequestFacts`, the world's truth about the current request;
only the oracle asks it anything. mecrouter learns from simulated user feedback when the
config's `quality.learning` is on; its "mecrouter-static" control and the baselines do not.
"""

from __future__ import annotations

from dataclasses import dataclass

from mecrouter.agents.learning import QualityBeliefs
from mecrouter.agents.policies import OraclePolicy, WorldTruth, make_policy
from mecrouter.agents.router import RouterAgent, WarmLoadProvider
from mecrouter.config import Config
from mecrouter.errors import NoRouteError
from mecrouter.types import ContextAnalysis, ResourceState

__all__ = ["Choice", "choose", "policy_router", "probes_world"]


@dataclass(slots=True)
class Choice:
    """The endpoints a request tries, in order (first = chosen), with the latency in ms each is
    predicted to take (for attempt timeouts). Empty when no endpoint may serve."""

    chain: list[str]
    predicted_ms: list[float]


def policy_router(
    config: Config, name: str, world: WorldTruth, warm_load_s: WarmLoadProvider, seed: int
) -> RouterAgent:
    """The RouterAgent that decides for policy `name` in a run of `world`."""
    policy = make_policy(name, world)
    learns = policy.learns and config.quality.learning
    return RouterAgent(
        config,
        policy=policy,
        warm_load_s=warm_load_s,
        seed=seed,
        beliefs=QualityBeliefs.from_config(config.quality, seed) if learns else None,
        reuses_analyses=True,  # the run reuses one analysis per distinct prompt
    )


def probes_world(router: RouterAgent) -> bool:
    """Whether the router's policy asks the world (the run then keeps what that needs)."""
    return isinstance(router.policy, OraclePolicy)


def choose(router: RouterAgent, context: ContextAnalysis, state: ResourceState) -> Choice:
    """The router's chain for this request, or an empty one if no endpoint may serve it."""
    try:
        chain, predicted = router.plan(context, state)
    except NoRouteError:
        return Choice([], [])
    return Choice(chain, predicted)
