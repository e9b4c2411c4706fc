"""Routing hints through the real gateway (in-process): unknown values are 400s, case is
normalised, a request never lowers its use case's privacy floor, and disguised identifiers
(full-width digits, zero-width characters) are still seen by the privacy detector."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from mecrouter.config import Config, load_config
from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore
from mecrouter.types import ComputeTier, PrivacyLevel

PHONE = {"device_id": "phone-7", "memory_mb": 8192, "local_models": ["llama-3.2-1b-instruct"]}
# Public to the detector: only the healthcare use case's floor keeps it off the cloud.
DISCHARGE_NOTE = (
    "Discharge note: rest at home for a week, drink plenty of water and come back if the "
    "fever returns. Please rewrite this for the family."
)
PLAIN_SSN = "123-45-6789"


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


@asynccontextmanager
async def _gateway(
    config: Config, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, Router]]:
    router = Router.from_config(config, store=MemoryStore(), time_scale=0.01)
    app = create_app(
        GatewaySettings(auth=False, keys_db=tmp_path / "keys.sqlite3"), router=router, keys=None
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            yield client, router


@pytest.fixture
async def gw(config: Config, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Router]]:
    async with _gateway(config, tmp_path) as pair:
        yield pair


def chat(content: str = "Greet the player at the tavern door.", **kw: Any) -> dict[str, Any]:
    return {"model": "auto", "messages": [{"role": "user", "content": content}], **kw}


def error_of(response: httpx.Response) -> dict[str, Any]:
    assert set(response.json()) == {"error"}, response.text
    err: dict[str, Any] = response.json()["error"]
    assert set(err) == {"message", "type", "param", "code"}
    return err


def cloud_ceiling(config: Config) -> PrivacyLevel:
    """The most private data any cloud endpoint of `config` may see."""
    return max(ep.privacy_ceiling for ep in config.endpoints if ep.tier is ComputeTier.CLOUD)


# --------------------------------------------------------------------------- use case


async def test_a_capitalised_use_case_keeps_its_privacy_floor(
    gw: tuple[httpx.AsyncClient, Router],
) -> None:
    """Issue 16: `Healthcare` became `default` and the cloud answered a discharge note."""
    client, _ = gw
    for use_case in ("healthcare", "Healthcare", "HEALTHCARE", " healthcare "):
        body = chat(DISCHARGE_NOTE, routing={"use_case": use_case, "allowed_tiers": ["cloud"]})
        r = await client.post("/v1/chat/completions", json=body)
        assert r.status_code == 503, (use_case, r.status_code, r.headers.get("x-mecrouter-tier"))
        assert error_of(r)["code"] == "no_route"


async def test_a_capitalised_use_case_header_is_normalised(
    gw: tuple[httpx.AsyncClient, Router],
) -> None:
    client, router = gw
    headers = {"x-mecrouter-use-case": "Healthcare", "x-mecrouter-device": orjson.dumps(PHONE)}
    r = await client.post("/v1/chat/completions", json=chat(DISCHARGE_NOTE), headers=headers)
    assert r.status_code == 200 and r.headers["x-mecrouter-tier"] != "cloud"
    await router.monitor.flush()
    record = await router.store.get_decision(r.headers["x-mecrouter-decision-id"])
    assert record is not None and record.use_case == "healthcare"


@pytest.mark.parametrize(
    ("routing", "headers", "param", "names"),
    [
        ({"use_case": "helthcare"}, {}, "routing.use_case", ("healthcare", "gaming", "default")),
        ({}, {"x-mecrouter-use-case": "hospital"}, "x-mecrouter-use-case", ("healthcare",)),
        ({"privacy": "secret"}, {}, "routing.privacy", ("public", "regulated")),
        ({}, {"x-mecrouter-privacy": "secret"}, "x-mecrouter-privacy", ("public", "regulated")),
        ({"allowed_tiers": ["edge"]}, {}, "routing.allowed_tiers", ("device", "mec", "cloud")),
        ({}, {"x-mecrouter-allowed-tiers": "mec,edge"}, "x-mecrouter-allowed-tiers", ("cloud",)),
        ({"allowed_tiers": []}, {}, "routing.allowed_tiers", ("device", "mec", "cloud")),
        ({"latency_requirement": "asap"}, {}, "routing.latency_requirement", ("realtime",)),
        (
            {},
            {"x-mecrouter-latency-requirement": "asap"},
            "x-mecrouter-latency-requirement",
            ("realtime", "batch"),
        ),
        (
            {"device": {"network_type": "6g"}},
            {},
            "routing.device.network_type",
            ("5g", "lte", "wifi", "offline"),
        ),
        (
            {},
            {"x-mecrouter-device": '{"network_type": "6g"}'},
            "x-mecrouter-device.network_type",
            ("5g", "offline"),
        ),
    ],
)
async def test_unknown_routing_values_are_400s_naming_the_field_and_the_allowed_values(
    gw: tuple[httpx.AsyncClient, Router],
    routing: dict[str, Any],
    headers: dict[str, str],
    param: str,
    names: tuple[str, ...],
) -> None:
    client, _ = gw
    for path in ("/v1/chat/completions", "/v1/route"):
        r = await client.post(path, json=chat(routing=routing), headers=headers)
        assert r.status_code == 400, (path, r.text)
        err = error_of(r)
        assert err["param"] == param and err["code"] == "invalid_value"
        assert all(name in err["message"] for name in names), err["message"]


@pytest.mark.parametrize(
    ("routing", "headers"),
    [
        ({"privacy": "Sensitive", "allowed_tiers": ["MEC", "Device"]}, {}),
        ({"latency_requirement": "Realtime", "device": PHONE | {"network_type": "5G"}}, {}),
        (
            {"device": PHONE},
            {"x-mecrouter-privacy": "SENSITIVE", "x-mecrouter-allowed-tiers": "Device, MEC"},
        ),
    ],
)
async def test_enumerated_hints_are_case_insensitive(
    gw: tuple[httpx.AsyncClient, Router], routing: dict[str, Any], headers: dict[str, str]
) -> None:
    client, _ = gw
    r = await client.post("/v1/chat/completions", json=chat(routing=routing), headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["x-mecrouter-tier"] in {"device", "mec"}


async def test_body_and_header_use_cases_must_agree(gw: tuple[httpx.AsyncClient, Router]) -> None:
    """A proxy's header cannot be overridden by the body to a use case with a lower floor."""
    client, _ = gw
    headers = {"x-mecrouter-use-case": "healthcare"}
    body = chat(DISCHARGE_NOTE, routing={"use_case": "default", "allowed_tiers": ["cloud"]})
    r = await client.post("/v1/chat/completions", json=body, headers=headers)
    assert r.status_code == 400
    err = error_of(r)
    assert err["param"] == "routing.use_case" and "x-mecrouter-use-case" in err["message"]
    body = chat(DISCHARGE_NOTE, routing={"use_case": "HealthCare", "allowed_tiers": ["cloud"]})
    r = await client.post("/v1/chat/completions", json=body, headers=headers)
    assert r.status_code == 503  # the same use case, spelt differently: no conflict


async def test_body_privacy_and_tiers_cannot_loosen_the_headers(
    gw: tuple[httpx.AsyncClient, Router],
) -> None:
    client, router = gw
    headers = {"x-mecrouter-privacy": "sensitive", "x-mecrouter-allowed-tiers": "device,mec"}
    body = chat(routing={"privacy": "public", "allowed_tiers": ["cloud"], "device": PHONE})
    r = await client.post("/v1/chat/completions", json=body, headers=headers)
    assert r.status_code == 400  # {device, mec} & {cloud} leaves no tier
    assert error_of(r)["param"] == "routing.allowed_tiers"
    body = chat(routing={"privacy": "public", "device": PHONE})
    r = await client.post("/v1/chat/completions", json=body, headers=headers)
    assert r.status_code == 200 and r.headers["x-mecrouter-tier"] in {"device", "mec"}
    await router.monitor.flush()
    record = await router.store.get_decision(r.headers["x-mecrouter-decision-id"])
    assert record is not None and record.privacy_level == "sensitive"


# --------------------------------------------------------------------------- privacy floors


def _floored(config: Config) -> list[str]:
    return [n for n, uc in config.use_cases.items() if uc.min_privacy > PrivacyLevel.PUBLIC]


async def test_no_hint_lowers_a_use_cases_privacy_floor(config: Config, tmp_path: Path) -> None:
    """Every use case with a floor, a lower `privacy` in the body or a header, on a public
    prompt: the decision keeps the floor, and the cloud answers only if the floor allows it."""
    floored = _floored(config)
    assert floored, "the shipped config has use cases with a privacy floor"
    ceiling = cloud_ceiling(config)
    async with _gateway(config, tmp_path) as (client, router):
        for use_case in floored:
            floor = config.use_cases[use_case].min_privacy
            for lower in (p for p in PrivacyLevel if p < floor):
                for routing, headers in (
                    ({"use_case": use_case, "privacy": lower.value}, {}),
                    ({}, {"x-mecrouter-use-case": use_case, "x-mecrouter-privacy": lower.value}),
                    ({"use_case": use_case}, {"x-mecrouter-privacy": lower.value.upper()}),
                ):
                    body = chat(routing=routing | {"allowed_tiers": ["cloud"]})
                    r = await client.post("/v1/chat/completions", json=body, headers=headers)
                    case = (use_case, lower, routing, headers)
                    if floor > ceiling:
                        assert r.status_code == 503, case
                        continue
                    assert r.status_code == 200 and r.headers["x-mecrouter-tier"] == "cloud", case
                    await router.monitor.flush()
                    record = await router.store.get_decision(r.headers["x-mecrouter-decision-id"])
                    assert record is not None, case
                    assert PrivacyLevel(record.privacy_level) >= floor, case


# --------------------------------------------------------------------------- Unicode


@pytest.mark.parametrize(
    "disguised",
    [
        "123\u200d-45\u200d-6789",  # zero-width joiners
        "1\u200b2\u200b3-45-6789",  # zero-width spaces
        "\uff11\uff12\uff13-\uff14\uff15-\uff16\uff17\uff18\uff19",  # full-width digits
        "\U0001d7cf\U0001d7d0\U0001d7d1-45-6789",  # mathematical bold digits
        "\u0661\u0662\u0663-\u0664\u0665-\u0666\u0667\u0668\u0669",  # Arabic-Indic digits
        "123\u201145\u20116789",  # non-breaking hyphens
    ],
)
async def test_a_disguised_ssn_never_reaches_the_cloud(
    gw: tuple[httpx.AsyncClient, Router], disguised: str
) -> None:
    """`iot` lets the cloud take public data; an SSN is regulated however it is written."""
    client, _ = gw
    for ssn, status in (
        (f"Tell me about SSN {disguised} please", 503),
        ("Tell me about Rome", 200),
    ):
        body = chat(ssn, routing={"use_case": "iot", "allowed_tiers": ["cloud"]})
        r = await client.post("/v1/chat/completions", json=body)
        assert r.status_code == status, (ssn, r.headers.get("x-mecrouter-tier"))
    body = chat(f"My SSN is {PLAIN_SSN}", routing={"use_case": "iot", "allowed_tiers": ["cloud"]})
    assert (await client.post("/v1/chat/completions", json=body)).status_code == 503
