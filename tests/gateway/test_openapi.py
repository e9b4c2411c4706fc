"""`GET /v1/models/{id}` through the official `openai` SDK, and what the served OpenAPI document
says of request bodies and errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from mecrouter.config import load_config
from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.gateway.auth import KeyStore
from mecrouter.gateway.wire import ChatCompletionRequest, FeedbackRequest
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore


@pytest.fixture
async def sdk(tmp_path: Path) -> AsyncIterator[openai.AsyncOpenAI]:
    """The `openai` SDK talking to an in-process gateway with keys on."""
    keys = KeyStore(tmp_path / "keys.sqlite3")
    secret, _ = keys.create("sdk")
    router = Router.from_config(load_config(), store=MemoryStore(), time_scale=0.01)
    app = create_app(
        GatewaySettings(auth=True, keys_db=tmp_path / "keys.sqlite3"), router=router, keys=keys
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
            yield openai.AsyncOpenAI(
                base_url="http://gw/v1", api_key=secret, http_client=http, max_retries=0
            )


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    doc: dict[str, Any] = create_app(GatewaySettings(auth=False)).openapi()
    return doc


async def test_models_retrieve_gives_the_listed_object_and_404_model_not_found(
    sdk: openai.AsyncOpenAI,
) -> None:
    listed = [m async for m in sdk.models.list()]
    assert len(listed) > 1
    for model in listed:
        assert await sdk.models.retrieve(model.id) == model
    with pytest.raises(openai.NotFoundError) as caught:
        await sdk.models.retrieve("gpt-17")
    assert caught.value.code == "model_not_found"
    assert caught.value.body == {
        "message": caught.value.body["message"],  # type: ignore[index]
        "type": "invalid_request_error",
        "param": "model",
        "code": "model_not_found",
    }


async def test_models_retrieve_needs_a_key(sdk: openai.AsyncOpenAI) -> None:
    anonymous = sdk.with_options(api_key="mk-0-wrong")
    with pytest.raises(openai.AuthenticationError):
        await anonymous.models.retrieve("auto")


def test_request_bodies_are_the_wire_models(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    bodies = {
        path: item["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        for path, item in document["paths"].items()
        if "post" in item
    }
    assert bodies == {
        "/v1/chat/completions": "#/components/schemas/ChatCompletionRequest",
        "/v1/completions": "#/components/schemas/CompletionRequest",
        "/v1/route": "#/components/schemas/ChatCompletionRequest",
        "/v1/feedback": "#/components/schemas/FeedbackRequest",
    }
    for model in (ChatCompletionRequest, FeedbackRequest):
        assert set(schemas[model.__name__]["properties"]) == set(model.model_fields)
    completion = schemas["CompletionRequest"]
    assert "messages" not in completion["properties"]
    assert {"model", "prompt"} <= set(completion["required"])


def test_every_reference_resolves_and_errors_have_openai_shape(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    refs = list(_refs(document))
    assert refs
    for ref in refs:
        assert ref.removeprefix("#/components/schemas/") in schemas, ref
    errors = [
        (path, status, response)
        for path, item in document["paths"].items()
        for op in item.values()
        for status, response in op["responses"].items()
        if status >= "400"
    ]
    assert {status for _, status, _ in errors} >= {"400", "401", "404", "429", "503"}
    for path, status, response in errors:
        schema = response["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (path, status)
    statuses = {
        s for item in document["paths"].values() for op in item.values() for s in op["responses"]
    }
    assert "422" not in statuses and "HTTPValidationError" not in schemas


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)
