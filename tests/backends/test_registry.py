from __future__ import annotations

import socket
from typing import Any

import pytest

from mecrouter.backends import BACKENDS, Backend, GenerationRequest, create_backend
from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.backends.openai_http import OpenAIHTTPBackend
from mecrouter.config import EndpointConfig, load_config
from mecrouter.errors import ConfigError
from mecrouter.types import ComputeTier, ModelSize


def make_endpoint(**overrides: Any) -> EndpointConfig:
    fields: dict[str, Any] = {
        "id": "ep-1",
        "tier": ComputeTier.CLOUD,
        "model": "m",
        "model_size": ModelSize.LARGE,
        "capability": 0.7,
        "ttft_ms": 100.0,
        "decode_tokens_per_s": 50.0,
    }
    fields.update(overrides)
    return EndpointConfig(**fields)


async def test_every_default_config_endpoint_gets_a_backend_that_answers_as_it() -> None:
    endpoints = load_config().endpoints
    assert len({ep.tier for ep in endpoints}) == 3  # device, MEC and cloud endpoints all built
    served = []
    for endpoint in endpoints:
        backend: Backend = create_backend(endpoint, time_scale=1e-4)
        request = GenerationRequest(
            request_id=endpoint.id, prompt="hello", model=endpoint.model, max_tokens=3
        )
        result = await backend.generate(request)
        streamed = "".join([chunk async for chunk in backend.stream(request)])
        await backend.aclose()
        assert (result.model, result.output_tokens) == (endpoint.model, 3)
        assert len(streamed.split()) == 3
        served.append(result.model)
    assert served == [ep.model for ep in endpoints]


async def test_names_map_to_their_backend_classes() -> None:
    emulated = create_backend(make_endpoint(backend="emulated"), seed=3, time_scale=0.5)
    http = create_backend(make_endpoint(backend="openai_http", base_url="http://127.0.0.1:9/v1"))
    assert isinstance(emulated, EmulatedBackend)
    assert isinstance(http, OpenAIHTTPBackend)
    await http.aclose()


def test_unknown_backend_name_is_a_config_error_naming_the_field() -> None:
    with pytest.raises(ConfigError) as info:
        create_backend(make_endpoint(id="cloud-x", backend="nonesuch"))
    assert info.value.field == "endpoints.cloud-x.backend"
    assert "nonesuch" in info.value.message


def test_registry_is_read_only() -> None:
    assert {"emulated", "openai_http"} <= set(BACKENDS)
    with pytest.raises(TypeError):
        BACKENDS["other"] = BACKENDS["emulated"]  # type: ignore[index]


def test_backend_tests_cannot_reach_beyond_loopback() -> None:
    with socket.socket() as sock, pytest.raises(RuntimeError, match="may not connect"):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1: never routable
