"""The policies the simulator compares: each a production `RouterAgent` with a policy from the
one registry (`agents.policies.POLICIES`), deciding through `RouterAgent.plan`.

The run binds every policy to its `RequestFacts`, the world's truth about the current request;
only the oracle asks it anything. mecrouter learns from simulated user feedback when the
config's `quality.learning` is on; its "mecrouter-static" control and the baselines do not.
"""

from __future__ import annotations

from mecrouter.agents.learning import QualityBeliefs
from mecrouter.agents.policies import OraclePolicy, WorldTruth, make_policy
from mecrouter.agents.router import RouterAgent, WarmLoadProvider
from mecrouter.config import Config

__all__ = ["policy_router", "probes_world"]


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
