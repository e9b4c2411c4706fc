"""Schemathesis against the in-process gateway: every operation of the served OpenAPI document,
fed bodies, parameters and headers generated from it (valid and invalid), never answers 5xx,
and answers only the statuses and content types the document declares.

Bounded (a few examples per operation, seeded, no shrinking) so it stays well under a minute;
the emulated tiers run at a tiny time scale.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.python.asgi import ASGIClient
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mecrouter.config import load_config
from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.gateway.auth import KeyStore
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore

TIME_SCALE = 0.0005
SEED = 16
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# The document alone (building the app starts nothing); each test gets a running gateway.
schema = schemathesis.openapi.from_dict(
    create_app(GatewaySettings(auth=False)).openapi(),
    config=schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"mode": "all", "no-shrink": True},
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        }
    ),
)


@schema.hook
def map_body(context: schemathesis.HookContext, body: Any) -> Any:
    """Half the bodies naming a model name `auto`, so they reach the router and its hints (any
    other generated name is a 404 before that)."""
    if isinstance(body, dict) and isinstance(body.get("model"), str) and len(body["model"]) % 2:
        return {**body, "model": "auto"}
    return body


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[tuple[ASGIClient, dict[str, str]]]:
    """A client of a gateway with keys on (its lifespan ends with the test), and a valid key."""
    keys = KeyStore(tmp_path / "keys.sqlite3")
    secret, _ = keys.create("schemathesis", rpm_limit=1_000_000)
    router = Router.from_config(load_config(), store=MemoryStore(), time_scale=TIME_SCALE)
    app = create_app(
        GatewaySettings(auth=True, keys_db=tmp_path / "keys.sqlite3"), router=router, keys=keys
    )
    with asgi.get_client(app) as client:
        yield client, {"authorization": f"Bearer {secret}"}


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error_or_an_undocumented_status(
    case: schemathesis.Case, gateway: tuple[ASGIClient, dict[str, str]]
) -> None:
    client, auth = gateway
    case.call_and_validate(base_url=client.base_url, session=client, headers=auth, checks=CHECKS)
