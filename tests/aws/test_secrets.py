"""Secrets Manager over real HTTP (moto's server on 127.0.0.1): an upstream API key read at
startup, cached, refreshed so a rotation is picked up, kept through a failed refresh, never logged,
and sent by the openai_http backend as its bearer token."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from mecrouter.aws.clients import aws_client
from mecrouter.aws.secrets import RefreshingSecret, SecretRef
from mecrouter.backends import GenerationRequest, create_backend
from mecrouter.config import EndpointConfig, load_config
from mecrouter.errors import ConfigError
from moto_fixtures import Moto

FIELD = "endpoints.mec-vllm.api_key_secret"


class Clock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now_s = 1_000.0

    def __call__(self) -> float:
        return self.now_s


def secrets_client(moto: Moto, *, max_attempts: int = 3) -> Any:
    return aws_client("secretsmanager", endpoint_url=moto.url, max_attempts=max_attempts)


def count_fetches(client: Any) -> list[str]:
    calls: list[str] = []
    client.meta.events.register(
        "before-call.secrets-manager.GetSecretValue", lambda **_: calls.append("get")
    )
    return calls


def make_secret(client: Any, value: str, name: str = "prod/vllm") -> str:
    """Create the secret; its ARN."""
    return str(client.create_secret(Name=name, SecretString=value)["ARN"])


async def until(predicate: Any, timeout_s: float = 5.0) -> None:
    """Let the event loop run (background refreshes) until ``predicate()`` holds."""
    async with asyncio.timeout(timeout_s):
        while not predicate():
            await asyncio.sleep(0.01)


# ------------------------------------------------------------------------------ the cache


async def test_a_secret_is_read_once_and_served_from_memory_until_due(moto: Moto) -> None:
    client = secrets_client(moto)
    make_secret(client, "sk-one")
    fetches, clock = count_fetches(client), Clock()
    secret = RefreshingSecret("prod/vllm", field=FIELD, client=client, clock=clock)
    assert secret.load() == "sk-one"
    clock.now_s += 299.0
    for _ in range(50):
        assert secret.current() == "sk-one"
    await asyncio.sleep(0.05)
    assert fetches == ["get"]
    await secret.aclose()


async def test_a_rotated_key_is_picked_up_after_the_refresh_interval(moto: Moto) -> None:
    client = secrets_client(moto)
    arn = make_secret(client, "sk-one")
    fetches, clock = count_fetches(client), Clock()
    secret = RefreshingSecret(arn, field=FIELD, refresh_s=300.0, client=client, clock=clock)
    secret.load()
    client.put_secret_value(SecretId=arn, SecretString="sk-two")  # rotation
    assert secret.current() == "sk-one"  # not due yet
    clock.now_s += 301.0
    assert secret.current() == "sk-one"  # due: the fetch starts, this use does not wait for it
    assert [secret.current() for _ in range(20)] == ["sk-one"] * 20  # one fetch in flight
    await until(lambda: secret.current() == "sk-two")
    assert fetches == ["get", "get"]
    await secret.aclose()


async def test_a_failed_refresh_keeps_the_old_key_logs_and_retries_later(
    moto: Moto, caplog: pytest.LogCaptureFixture
) -> None:
    client = secrets_client(moto, max_attempts=1)
    make_secret(client, "sk-one")
    clock = Clock()
    secret = RefreshingSecret(
        "prod/vllm", field=FIELD, refresh_s=300.0, retry_s=30.0, client=client, clock=clock
    )
    secret.load()
    clock.now_s += 301.0
    with moto.down(), caplog.at_level(logging.WARNING, logger="mecrouter.aws.secrets"):
        assert secret.current() == "sk-one"
        await until(lambda: "keeping the value" in caplog.text)
    assert secret.current() == "sk-one"
    assert FIELD in caplog.text and "cannot reach Secrets Manager" in caplog.text
    assert "sk-one" not in caplog.text
    client.put_secret_value(SecretId="prod/vllm", SecretString="sk-two")
    clock.now_s += 29.0
    await asyncio.sleep(0.05)
    assert secret.current() == "sk-one"  # the retry waits retry_s
    clock.now_s += 2.0
    secret.current()
    await until(lambda: secret.current() == "sk-two")
    await secret.aclose()


def test_no_value_at_startup_is_a_config_error_naming_the_field(moto: Moto) -> None:
    client = secrets_client(moto, max_attempts=1)
    with pytest.raises(ConfigError) as info:
        RefreshingSecret("prod/absent", field=FIELD, client=client).load()
    assert info.value.field == FIELD
    assert "no secret 'prod/absent' in Secrets Manager" in info.value.message
    make_secret(client, "sk-one")
    with moto.down(), pytest.raises(ConfigError, match="cannot reach Secrets Manager"):
        RefreshingSecret("prod/vllm", field=FIELD, client=client).load()


def test_a_json_secret_needs_a_key_and_never_quotes_the_value(moto: Moto) -> None:
    client = secrets_client(moto)
    make_secret(client, json.dumps({"api_key": "sk-json", "org": "o-1"}))
    keyed = RefreshingSecret("prod/vllm#api_key", field=FIELD, client=client)
    assert keyed.load() == "sk-json"
    with pytest.raises(ConfigError) as whole:
        RefreshingSecret("prod/vllm", field=FIELD, client=client).load()
    assert "name a key, prod/vllm#KEY (keys: api_key, org)" in whole.value.message
    with pytest.raises(ConfigError) as missing:
        RefreshingSecret("prod/vllm#token", field=FIELD, client=client).load()
    assert "no string key 'token'" in missing.value.message
    for error in (whole.value, missing.value):
        assert "sk-json" not in str(error)
    assert "sk-json" not in repr(keyed)


def test_the_value_never_reaches_the_logs_even_at_debug(
    moto: Moto, caplog: pytest.LogCaptureFixture
) -> None:
    client = secrets_client(moto)
    make_secret(client, "sk-very-secret")
    with caplog.at_level(logging.DEBUG):
        assert RefreshingSecret("prod/vllm", field=FIELD, client=client).load() == "sk-very-secret"
    assert "Response headers" in caplog.text  # botocore's DEBUG records were captured ...
    assert "sk-very-secret" not in caplog.text  # ... but not the body with the secret


def test_an_arn_names_the_region_a_name_does_not() -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/vllm-AbCdEf"
    assert SecretRef.parse(f"{arn}#api_key", field=FIELD) == SecretRef(arn, "api_key")
    assert SecretRef.parse(arn, field=FIELD).region == "us-east-1"
    assert SecretRef.parse("prod/vllm", field=FIELD).region is None
    with pytest.raises(ConfigError):
        SecretRef.parse("prod/vllm#", field=FIELD)


# ------------------------------------------------------------------------------ the config


def _config_with(endpoint_fields: dict[str, Any]) -> dict[str, Any]:
    raw = load_config().model_dump(mode="json")
    raw["endpoints"][0] |= endpoint_fields
    return raw


def test_api_key_env_and_api_key_secret_together_are_a_config_error() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(_config_with({"api_key_env": "VLLM_KEY", "api_key_secret": "prod/vllm"}))
    assert info.value.field == "endpoints.0.api_key_secret"
    assert "not both" in info.value.message
    for fine in ({"api_key_secret": "prod/vllm#api_key"}, {"api_key_env": "VLLM_KEY"}):
        assert load_config(_config_with(fine)).endpoints[0].api_key_secret == fine.get(
            "api_key_secret"
        )


# ------------------------------------------------------------------------------ the backend


class Upstream(ThreadingHTTPServer):
    daemon_threads = True
    authorization: list[str | None]


class Handler(BaseHTTPRequestHandler):
    server: Upstream

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.authorization.append(self.headers.get("Authorization"))
        payload = json.dumps(
            {"model": "m", "choices": [{"message": {"content": "hi"}, "finish_reason": "stop"}]}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    httpd = Upstream(("127.0.0.1", 0), Handler)
    httpd.authorization = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def _endpoint(upstream: Upstream, **fields: Any) -> EndpointConfig:
    return EndpointConfig(
        id="mec-vllm", tier="mec", model="m", model_size="small", capability=0.5,
        backend="openai_http", base_url=f"http://127.0.0.1:{upstream.server_address[1]}/v1",
        ttft_ms=100.0, decode_tokens_per_s=50.0, **fields,
    )  # fmt: skip


async def test_the_backend_sends_the_secret_as_bearer_and_follows_a_rotation(
    moto: Moto, upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = secrets_client(moto)
    arn = make_secret(client, json.dumps({"api_key": "sk-one"}))
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto.url)
    endpoint = _endpoint(upstream, api_key_secret=f"{arn}#api_key", api_key_refresh_s=0.1)
    backend = create_backend(endpoint)
    request = GenerationRequest(request_id="r1", prompt="hello", model="m", max_tokens=8)
    try:
        await backend.generate(request)
        assert upstream.authorization == ["Bearer sk-one"]
        client.put_secret_value(SecretId=arn, SecretString=json.dumps({"api_key": "sk-two"}))
        await asyncio.sleep(0.15)

        async def sent_new_key() -> bool:
            await backend.generate(request)
            return upstream.authorization[-1] == "Bearer sk-two"

        async with asyncio.timeout(5.0):
            while not await sent_new_key():
                await asyncio.sleep(0.02)
    finally:
        await backend.aclose()
    assert set(upstream.authorization) == {"Bearer sk-one", "Bearer sk-two"}


def test_the_backend_refuses_to_start_without_its_secret(
    moto: Moto, upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto.url)
    with pytest.raises(ConfigError) as info:
        create_backend(_endpoint(upstream, api_key_secret="prod/absent"))
    assert info.value.field == FIELD and "no secret 'prod/absent'" in info.value.message
    assert upstream.authorization == []
