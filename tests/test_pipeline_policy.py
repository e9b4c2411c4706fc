"""The pipeline's routing policy comes from the config (`routing.policy`), for A/B tests."""

from __future__ import annotations

import pytest

from mecrouter.config import Config, load_config
from mecrouter.errors import ConfigError
from mecrouter.pipeline import Router
from mecrouter.types import ComputeTier

PROMPT = {"content": "Summarise the match report in two lines.", "use_case": "default"}


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


def with_policy(config: Config, policy: str) -> Config:
    return config.model_copy(
        update={"routing": config.routing.model_copy(update={"policy": policy})}
    )


async def test_the_config_names_the_policy_the_router_decides_with(config: Config) -> None:
    router = Router.from_config(with_policy(config, "cloud-only"))
    try:
        decision = await router.route(PROMPT)
    finally:
        await router.aclose()
    assert decision.policy == "cloud-only" and decision.selected_tier is ComputeTier.CLOUD
    assert router.beliefs is None  # a baseline does not learn from feedback


async def test_the_default_policy_is_mecrouter(config: Config) -> None:
    router = Router.from_config(config)
    try:
        assert (await router.route(PROMPT)).policy == "mecrouter"
    finally:
        await router.aclose()


def test_an_unknown_policy_is_a_config_error_listing_the_known_ones(config: Config) -> None:
    with pytest.raises(ConfigError, match=r"routing\.policy: unknown policy 'fastest'; known: "):
        Router.from_config(with_policy(config, "fastest"))


def test_the_gateway_refuses_the_oracle_by_name(config: Config) -> None:
    with pytest.raises(ConfigError, match="policy 'oracle' needs the world's true latencies"):
        Router.from_config(with_policy(config, "oracle"))


def test_routing_policy_is_read_from_yaml() -> None:
    base = load_config().model_dump(mode="json")
    assert load_config({**base, "routing": {"policy": "random"}}).routing.policy == "random"
