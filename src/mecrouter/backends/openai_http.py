"""A backend for any OpenAI-compatible chat server: vLLM, Ollama, llama.cpp, TGI.

One pooled ``aiohttp.ClientSession`` per backend keeps connections alive between calls, because a
TLS or TCP handshake per request would cost more than a MEC node's whole TTFT budget. It is
aiohttp's own API, not httpx's over aiohttp's pool: on the gateway's hot path httpx's request,
response and cookie layers cost about a seventh of the event loop's time (docs/benchmarks.md).
Every client error is translated here, at the boundary, into the ``BackendError`` tree, so the
pipeline never sees a library exception:

- a connection that could not be made (refused, unresolvable, connect timeout)
                                        -> ``BackendUnavailable`` (nothing was sent)
- any other timeout                     -> ``BackendTimeout``
- any other client error (a connection cut mid-answer) -> ``BackendUnavailable``
- an HTTP 4xx/5xx answer                -> ``BackendStatusError`` (``status``, ``retry_after_s``)
- a 2xx answer that is not the expected JSON -> ``BackendStatusError`` with status 502: to our
  caller we are a gateway and the upstream answered badly.
"""

from __future__ import annotations

import contextlib
import email.utils
import os
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import aiohttp
import orjson

from mecrouter.backends.base import Chunk, GenerationRequest
from mecrouter.config import EndpointConfig
from mecrouter.errors import (
    BackendStatusError,
    BackendTimeout,
    BackendUnavailable,
    ConfigError,
)
from mecrouter.types import Choice, ComputeTier, Generation, Message, StreamDelta

if TYPE_CHECKING:
    from mecrouter.aws.secrets import RefreshingSecret

__all__ = ["OpenAIHTTPBackend"]

_CHARS_PER_TOKEN = 4
_BAD_GATEWAY = 502
_ERROR_BODY_CHARS = 200
_KEEPALIVE_S = 30.0


class OpenAIHTTPBackend:
    """Chat completions from ``endpoint.base_url`` (e.g. ``http://127.0.0.1:8000/v1``).

    The API key, if any, is read once from the environment variable named by
    ``endpoint.api_key_env``, or from AWS Secrets Manager (``endpoint.api_key_secret``): read at
    construction, then refreshed in the background every ``api_key_refresh_s`` seconds of use
    (`mecrouter.aws.secrets`), so a rotated key is sent without a restart. A ``session`` passed
    in is used as is and left open by ``aclose``; otherwise the backend opens its own on first
    use (a session belongs to the event loop it was made in), sized by ``max_connections``,
    without cookies or proxy settings from the environment. Its only timeout of its own is for
    connecting (``connect_timeout_s``): how long a call may read is the caller's deadline (the
    pipeline's attempt timeouts), never a fixed read timeout that would cut a long answer short
    or outlast a short deadline; ``timeout_s`` sets one anyway.
    """

    def __init__(
        self,
        endpoint: EndpointConfig,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout_s: float | None = None,
        connect_timeout_s: float = 5.0,
        max_connections: int = 100,
    ) -> None:
        if not endpoint.base_url:
            raise ConfigError(
                f"endpoints.{endpoint.id}.base_url", "required by the openai_http backend"
            )
        self._endpoint = endpoint
        self._url = endpoint.base_url.rstrip("/") + "/chat/completions"
        self._headers = {"Content-Type": "application/json", **_auth_headers(endpoint)}
        self._secret = _api_key_secret(endpoint)
        self._session = session
        self._owns_session = session is None
        self._max_connections = max_connections
        self._timeout = aiohttp.ClientTimeout(total=timeout_s, sock_connect=connect_timeout_s)
        self._closed = False

    @property
    def endpoint(self) -> EndpointConfig:
        return self._endpoint

    async def generate(self, request: GenerationRequest) -> Generation:
        self._check_open()
        started_s = time.perf_counter()
        with self._translate_errors():
            async with self._client().post(
                self._url,
                data=self._body(request, stream=False),
                headers=self._call_headers(request),
            ) as response:
                await self._raise_for_status(response)
                raw = await response.read()
        latency_ms = (time.perf_counter() - started_s) * 1000.0
        payload = self._decode_json(raw)
        return self._parse_completion(payload, request, latency_ms)

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        """Delta contents of the server-sent events, until ``data: [DONE]``: text as ``str``,
        tool-call fragments, logprobs and a non-``stop`` finish reason as a `StreamDelta`."""
        self._check_open()
        with self._translate_errors():
            async with self._client().post(
                self._url,
                data=self._body(request, stream=True),
                headers=self._call_headers(request),
            ) as response:
                await self._raise_for_status(response)
                async for line in _lines(response.content):
                    data = _sse_data(line)
                    if data is None:
                        continue
                    if data == b"[DONE]":
                        return
                    delta = self._parse_delta(self._decode_json(data))
                    if delta:
                        yield delta

    async def aclose(self) -> None:
        """Close the session if this backend opened it; calling it again does nothing."""
        if self._closed:
            return
        self._closed = True
        if self._secret is not None:
            await self._secret.aclose()
        if self._owns_session and self._session is not None:
            await self._session.close()

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._max_connections, keepalive_timeout=_KEEPALIVE_S
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=self._timeout,
                cookie_jar=aiohttp.DummyCookieJar(),
                trust_env=False,
            )
        return self._session

    def _call_headers(self, request: GenerationRequest) -> dict[str, str]:
        """The auth headers, plus the request id, and for a device-tier endpoint the device id
        (the device's own runtime serves only that device)."""
        headers = {**self._headers, "x-request-id": request.request_id}
        if self._secret is not None:
            headers["Authorization"] = f"Bearer {self._secret.current()}"
        if self._endpoint.tier is ComputeTier.DEVICE and request.device_id:
            headers["x-mecrouter-device-id"] = request.device_id
        return headers

    def _body(self, request: GenerationRequest, *, stream: bool) -> bytes:
        if request.messages:
            messages = [_message(m) for m in request.messages]
        else:
            messages = [{"role": "user", "content": request.prompt}]
        body: dict[str, Any] = {
            "model": request.model or self._endpoint.model,
            "messages": messages,
            "max_tokens": request.max_tokens,
            "stream": stream,
        }
        if request.temperature is not None:
            body["temperature"] = request.temperature
        if request.top_p is not None:
            body["top_p"] = request.top_p
        if request.options is not None:
            body.update(request.options.openai_fields())
        return orjson.dumps(body)

    def _parse_completion(
        self, payload: Any, request: GenerationRequest, latency_ms: float
    ) -> Generation:
        try:
            choices = [_choice(c) for c in payload["choices"]]
            text, finish_reason = choices[0].text, choices[0].finish_reason
            usage = payload.get("usage") or {}
            model = payload.get("model") or request.model or self._endpoint.model
            input_tokens = usage.get("prompt_tokens")
            output_tokens = usage.get("completion_tokens")
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise self._malformed(f"unexpected completion shape: {exc!r}") from exc
        return Generation(
            text=str(text),
            model=str(model),
            input_tokens=_as_count(input_tokens, _estimate_prompt_tokens(request)),
            output_tokens=_as_count(output_tokens, len(str(text)) // _CHARS_PER_TOKEN),
            latency_ms=latency_ms,
            ttft_ms=latency_ms,
            finish_reason=finish_reason,
            tool_calls=choices[0].tool_calls,
            logprobs=choices[0].logprobs,
            more_choices=tuple(choices[1:]),
        )

    def _parse_delta(self, payload: Any) -> Chunk:
        try:
            if "error" in payload:
                raise self._malformed(f"error event in stream: {payload['error']!r}")
            if not payload["choices"]:
                return ""  # e.g. the usage-only chunk some servers send last
            choice = payload["choices"][0]
            delta = choice.get("delta") or {}
            content = str(delta.get("content") or "")
            tool_calls, logprobs = delta.get("tool_calls"), choice.get("logprobs")
            finish = choice.get("finish_reason")
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise self._malformed(f"unexpected stream chunk shape: {exc!r}") from exc
        if not (tool_calls or logprobs or finish not in (None, "stop")):
            return content  # the common case: text only
        return StreamDelta(content, tuple(tool_calls or ()), logprobs, finish)

    def _decode_json(self, raw: bytes) -> Any:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:  # a ValueError: bad JSON or bad UTF-8
            raise self._malformed(f"response is not JSON: {raw[:_ERROR_BODY_CHARS]!r}") from exc

    async def _raise_for_status(self, response: aiohttp.ClientResponse) -> None:
        if response.status < 400:
            return
        raw = await response.read()
        snippet = raw.decode("utf-8", errors="replace")[:_ERROR_BODY_CHARS]
        raise BackendStatusError(
            f"HTTP {response.status}: {snippet}",
            tier=self._endpoint.tier.value,
            endpoint=self._endpoint.id,
            status=response.status,
            retry_after_s=_retry_after_s(response.headers.get("Retry-After")),
        )

    def _malformed(self, message: str) -> BackendStatusError:
        return BackendStatusError(
            message,
            tier=self._endpoint.tier.value,
            endpoint=self._endpoint.id,
            status=_BAD_GATEWAY,
        )

    def _check_open(self) -> None:
        if self._closed:
            raise BackendUnavailable(
                "backend is closed", tier=self._endpoint.tier.value, endpoint=self._endpoint.id
            )

    @contextlib.contextmanager
    def _translate_errors(self) -> Iterator[None]:
        """aiohttp errors in, ``BackendError``s out; cancellation passes through untouched (a
        caller's own deadline cancels the call: its TimeoutError is raised outside)."""
        tier, endpoint = self._endpoint.tier.value, self._endpoint.id
        try:
            yield
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            # nothing was sent: a connect timeout is as unreachable as a refusal
            message = f"could not connect: {exc}"
            raise BackendUnavailable(message, tier=tier, endpoint=endpoint) from exc
        except TimeoutError as exc:  # aiohttp's read and total timeouts are TimeoutErrors
            message = f"timed out: {type(exc).__name__}"
            raise BackendTimeout(message, tier=tier, endpoint=endpoint) from exc
        except aiohttp.ClientError as exc:
            message = f"{type(exc).__name__}: {exc}"
            raise BackendUnavailable(message, tier=tier, endpoint=endpoint) from exc


def _message(m: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": m.role, "content": m.content}
    if m.tool_calls:
        out["tool_calls"] = list(m.tool_calls)
        out["content"] = m.content or None
    if m.tool_call_id is not None:
        out["tool_call_id"] = m.tool_call_id
    if m.name is not None:
        out["name"] = m.name
    return out


def _choice(raw: Any) -> Choice:
    """One choice of an answer (its shape errors propagate to the caller's translation)."""
    message = raw["message"]
    return Choice(
        text=str(message.get("content") or ""),
        finish_reason=str(raw.get("finish_reason") or "stop"),
        tool_calls=tuple(message.get("tool_calls") or ()),
        logprobs=raw.get("logprobs"),
    )


def _auth_headers(endpoint: EndpointConfig) -> dict[str, str]:
    if not endpoint.api_key_env:
        return {}
    key = os.environ.get(endpoint.api_key_env)
    if not key:
        raise ConfigError(
            f"endpoints.{endpoint.id}.api_key_env",
            f"environment variable {endpoint.api_key_env} is not set",
        )
    return {"Authorization": f"Bearer {key}"}


def _api_key_secret(endpoint: EndpointConfig) -> RefreshingSecret | None:
    """The endpoint's key in Secrets Manager, read now: no value is a `ConfigError`."""
    if not endpoint.api_key_secret:
        return None
    field = f"endpoints.{endpoint.id}.api_key_secret"
    try:
        from mecrouter.aws.secrets import RefreshingSecret
    except ImportError as exc:  # boto3 is the optional `aws` extra
        message = "reading a secret needs boto3: pip install 'mecrouter[aws]'"
        raise ConfigError(field, message) from exc
    secret = RefreshingSecret(
        endpoint.api_key_secret, field=field, refresh_s=endpoint.api_key_refresh_s
    )
    secret.load()
    return secret


async def _lines(content: aiohttp.StreamReader) -> AsyncIterator[bytes]:
    """The body's lines as they arrive, without their ``\n`` or ``\r\n`` (however long: aiohttp's
    own line reader refuses lines over 128 KiB)."""
    pending = b""
    async for chunk in content.iter_any():
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            yield line.removesuffix(b"\r")
    if pending:
        yield pending.removesuffix(b"\r")


def _sse_data(line: bytes) -> bytes | None:
    """The payload of an SSE ``data:`` line; None for blank lines, comments and other fields."""
    if not line.startswith(b"data:"):
        return None
    return line[len(b"data:") :].strip()


def _retry_after_s(value: str | None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _estimate_prompt_tokens(request: GenerationRequest) -> int:
    prompt = request.prompt or "\n".join(m.content for m in request.messages)
    return max(1, len(prompt) // _CHARS_PER_TOKEN)


def _as_count(value: Any, fallback: int) -> int:
    return value if isinstance(value, int) and value >= 0 else fallback
