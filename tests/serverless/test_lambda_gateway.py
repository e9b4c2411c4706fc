"""The gateway's Lambda handler, invoked in-process with API Gateway HTTP API events (payload
format 2.0), decisions written to DynamoDB on moto's server over HTTP; and the API's key
authorizer against a Secrets Manager secret on the same server."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from mecrouter.config import load_config
from mecrouter.gateway.app import GatewaySettings
from mecrouter.gateway.auth import hash_secret
from mecrouter.pipeline import Router
from mecrouter.serverless import authorizer
from mecrouter.serverless.gateway import Started, build_handler
from mecrouter.stores import open_store, resolve_store
from moto_fixtures import REGION, Moto

PREFIX = "lambda-test-"
CHAT = {"model": "auto", "messages": [{"role": "user", "content": "What is MEC, in a line?"}]}


def http_event(
    path: str, body: dict[str, Any] | None = None, *, key_id: str | None = "team-a"
) -> dict[str, Any]:
    """An HTTP API v2 event as API Gateway sends it (after the authorizer, when `key_id`)."""
    context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "api1",
        "domainName": "api1.execute-api.eu-west-2.amazonaws.com",
        "http": {
            "method": "POST" if body is not None else "GET",
            "path": path,
            "protocol": "HTTP/1.1",
            "sourceIp": "192.0.2.10",
            "userAgent": "openai-python",
        },
        "requestId": "req-1",
        "routeKey": "$default",
        "stage": "$default",
        "time": "07/Dec/2026:01:00:00 +0000",
        "timeEpoch": 1796605200000,
    }
    if key_id is not None:
        context["authorizer"] = {"lambda": {"key_id": key_id}}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json", "host": context["domainName"]},
        "requestContext": context,
        "isBase64Encoded": False,
    }
    if body is not None:
        event["body"] = json.dumps(body)
    return event


def body_of(response: dict[str, Any]) -> str:
    raw = response.get("body") or ""
    return base64.b64decode(raw).decode() if response.get("isBase64Encoded") else str(raw)


@pytest.fixture
def gateway(moto: Moto) -> Iterator[Started]:
    """The handler over emulated tiers at 1/100 of their real latencies (the app is the same)."""
    query = f"region={REGION}&endpoint_url={moto.url}&outbox=none&create_tables=true"
    url = f"dynamodb://{PREFIX}?{query}"
    config = load_config()
    router = Router.from_config(
        config, store=open_store(resolve_store(config.store, url)), time_scale=0.01
    )
    started = build_handler(GatewaySettings(store_url=url, auth=False), router)
    try:
        yield started
    finally:
        started.stop()


def _decisions(moto: Moto) -> list[dict[str, Any]]:
    """The decision items in DynamoDB (none before the store's first write creates its table)."""
    client = boto3.client("dynamodb", endpoint_url=moto.url, region_name=REGION)
    try:
        items: list[dict[str, Any]] = client.scan(TableName=f"{PREFIX}RoutingDecisions")["Items"]
    except client.exceptions.ResourceNotFoundException:
        return []
    return items


def test_a_chat_completion_is_answered_and_recorded(gateway: Started, moto: Moto) -> None:
    response = gateway(http_event("/v1/chat/completions", CHAT), None)
    assert response["statusCode"] == 200, body_of(response)
    answer = json.loads(body_of(response))
    assert answer["object"] == "chat.completion"
    assert answer["choices"][0]["message"]["content"]
    headers = {k.lower(): v for k, v in response["headers"].items()}
    assert headers["x-mecrouter-tier"] in ("device", "mec", "cloud")
    items = _decisions(moto)
    assert len(items) == 1  # durable before the answer: in DynamoDB when the handler returns


def test_a_second_event_reuses_the_started_app(gateway: Started, moto: Moto) -> None:
    for n in range(3):
        chat = {**CHAT, "messages": [{"role": "user", "content": f"question {n}"}]}
        assert gateway(http_event("/v1/chat/completions", chat), None)["statusCode"] == 200
    assert len(_decisions(moto)) == 3


def test_a_bad_request_is_a_400_naming_the_field(gateway: Started) -> None:
    response = gateway(http_event("/v1/chat/completions", {"model": "auto"}), None)
    assert response["statusCode"] == 400
    error = json.loads(body_of(response))["error"]
    assert error["param"] == "messages"


def test_an_event_that_passed_no_authorizer_is_a_401(gateway: Started, moto: Moto) -> None:
    response = gateway(http_event("/v1/chat/completions", CHAT, key_id=None), None)
    assert response["statusCode"] == 401
    assert json.loads(body_of(response))["error"]["code"] == "invalid_api_key"
    assert _decisions(moto) == []
    health = gateway(http_event("/healthz", key_id=None), None)
    assert health["statusCode"] == 200


def test_a_streamed_request_gets_its_whole_sse_body(gateway: Started) -> None:
    response = gateway(http_event("/v1/chat/completions", {**CHAT, "stream": True}), None)
    assert response["statusCode"] == 200
    lines = [ln for ln in body_of(response).splitlines() if ln.startswith("data: ")]
    assert lines[-1] == "data: [DONE]"
    assert json.loads(lines[0][len("data: ") :])["object"] == "chat.completion.chunk"


# ---------------------------------------------------------------- the authorizer


@pytest.fixture
def keys_secret(moto: Moto, monkeypatch: pytest.MonkeyPatch) -> str:
    client = boto3.client("secretsmanager", endpoint_url=moto.url, region_name=REGION)
    hashes = {"team-a": hash_secret("sk-right"), "team-b": hash_secret("sk-other")}
    arn: str = client.create_secret(Name="mecrouter/keys", SecretString=json.dumps(hashes))["ARN"]
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto.url)
    monkeypatch.setenv("MECROUTER_KEYS_SECRET", arn)
    monkeypatch.setattr(authorizer, "_keys", None)
    return arn


def _auth_event(value: str | None) -> dict[str, Any]:
    headers = {} if value is None else {"Authorization": value}
    return {"version": "2.0", "type": "REQUEST", "headers": headers}


def test_the_authorizer_passes_a_known_key_with_its_id(keys_secret: str) -> None:
    assert authorizer.handler(_auth_event("Bearer sk-right"), None) == {
        "isAuthorized": True,
        "context": {"key_id": "team-a"},
    }
    answer = authorizer.handler(_auth_event("bearer sk-other"), None)
    assert answer["context"]["key_id"] == "team-b"


@pytest.mark.parametrize("value", [None, "", "Bearer ", "Basic c2stcmlnaHQ=", "Bearer sk-wrong"])
def test_the_authorizer_refuses_anything_else(keys_secret: str, value: str | None) -> None:
    assert authorizer.handler(_auth_event(value), None) == {"isAuthorized": False}


def test_the_authorizer_fails_closed_when_the_secret_cannot_be_read(
    moto: Moto, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto.url)
    monkeypatch.setenv("MECROUTER_KEYS_SECRET", "mecrouter/no-such-secret")
    monkeypatch.setattr(authorizer, "_keys", None)
    assert authorizer.handler(_auth_event("Bearer sk-right"), None) == {"isAuthorized": False}
