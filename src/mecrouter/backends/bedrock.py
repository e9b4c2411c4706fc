"""Amazon Bedrock through the Converse API (``backend: bedrock``), mapped to and from the
gateway's OpenAI shapes. Needs ``pip install 'mecrouter[aws]'`` (boto3); nothing else imports it.

The endpoint's ``model`` is the Bedrock model id (``amazon.nova-micro-v1:0``, an inference profile
such as ``us.amazon.nova-pro-v1:0``, or any other), ``region`` its AWS region and ``base_url``, if
set, an ``endpoint_url`` (a VPC endpoint, or ``mecrouter emulate --api bedrock``). Credentials
come from boto3's default chain (environment, profile, instance or task role).

boto3 blocks, so each call runs in a thread pool of the endpoint's ``max_concurrency`` threads
(its connection pool has as many connections), never on the event loop; a stream is read one
event per hop. botocore's adaptive retry mode absorbs throttling (three attempts) before the error
reaches the breaker and the failover loop like any other endpoint's.

Mapping: system messages become ``system`` blocks; user and assistant turns become ``messages``
(an assistant's tool calls ``toolUse`` blocks, a ``tool`` message a ``toolResult`` in a user turn);
``max_tokens``, ``temperature``, ``top_p`` and ``stop`` go to ``inferenceConfig``; OpenAI
``tools`` and ``tool_choice`` to ``toolConfig``, and ``response_format`` (JSON) to a tool it must
call, whose input comes back as the answer's text. Back: text and ``toolUse`` blocks become the
answer and its tool calls, ``stopReason`` a finish reason, ``usage`` the token counts. Errors, at
this boundary: throttling -> status 429, a model not ready or the service unavailable ->
unavailable, a model timeout or read timeout -> timeout, validation -> 400 with Bedrock's message
(which names the field), access denied, an unknown model or no credentials -> 502 with a message
saying so.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final, TypeVar, cast

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

from mecrouter.backends.base import Chunk, GenerationRequest
from mecrouter.config import EndpointConfig
from mecrouter.errors import BackendError, BackendStatusError, BackendTimeout, BackendUnavailable
from mecrouter.types import Generation, Message, StreamDelta

__all__ = [
    "IAM_ACTIONS", "BedrockBackend", "converse_arguments", "generation_of", "iam_policy",
    "json_tool_of",
]  # fmt: skip

T = TypeVar("T")

_FINISH: Final = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "guardrail_intervened": "content_filter",
    "content_filtered": "content_filter",
}
_UNAVAILABLE: Final = frozenset(
    {"ServiceUnavailableException", "ModelNotReadyException", "InternalServerException"}
)
_NOT_USABLE: Final = frozenset(
    {"AccessDeniedException", "ResourceNotFoundException", "UnrecognizedClientException"}
)
_END: Final = object()
_JSON_TOOL: Final = "json_answer"
# The bedrock-runtime operations this module calls, and the IAM action each needs (Converse is
# authorised as InvokeModel, ConverseStream as InvokeModelWithResponseStream).
IAM_ACTIONS: Final = {
    "converse": "bedrock:InvokeModel",
    "converse_stream": "bedrock:InvokeModelWithResponseStream",
}


def iam_policy(model_ids: list[str], region: str, account: str = "*") -> dict[str, Any]:
    """The least-privilege IAM policy for these models: the two invoke actions, on the
    foundation models named (inference profiles, ``us.``/``eu.`` ids, also need the profile)."""
    resources = []
    for model in model_ids:
        if model.split(".", 1)[0] in ("us", "eu", "apac", "global"):
            resources.append(f"arn:aws:bedrock:{region}:{account}:inference-profile/{model}")
            resources.append(f"arn:aws:bedrock:*::foundation-model/{model.split('.', 1)[1]}")
        else:
            resources.append(f"arn:aws:bedrock:{region}::foundation-model/{model}")
    statement = {
        "Sid": "MecrouterBedrockInvoke",
        "Effect": "Allow",
        "Action": sorted(IAM_ACTIONS.values()),
        "Resource": resources,
    }
    return {"Version": "2012-10-17", "Statement": [statement]}


class BedrockBackend:
    """Chat through Bedrock's Converse and ConverseStream for one endpoint."""

    def __init__(self, endpoint: EndpointConfig, *, client: Any = None) -> None:
        self._endpoint = endpoint
        threads = endpoint.max_concurrency
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix=f"bedrock-{endpoint.id}")
        if client is None:
            config = BotoConfig(
                retries={"mode": "adaptive", "max_attempts": 3},
                max_pool_connections=threads,
                connect_timeout=5,
                read_timeout=120,
            )
            client = boto3.session.Session().client(
                "bedrock-runtime",
                region_name=None if endpoint.region == "local" else endpoint.region,
                endpoint_url=endpoint.base_url,
                config=config,
            )
        self._client = client
        self._closed = False

    @property
    def endpoint(self) -> EndpointConfig:
        return self._endpoint

    async def generate(self, request: GenerationRequest) -> Generation:
        self._check_open()
        arguments = converse_arguments(request, self._endpoint.model)
        started = time.perf_counter()
        response = await self._in_pool(lambda: self._client.converse(**arguments))
        latency_ms = (time.perf_counter() - started) * 1000.0
        return generation_of(response, self._endpoint.model, latency_ms, json_tool_of(request))

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        """Text deltas as ``str``; tool-call fragments and a non-``stop`` finish reason as a
        `StreamDelta`, in OpenAI's streaming shapes."""
        self._check_open()
        arguments = converse_arguments(request, self._endpoint.model)
        response = await self._in_pool(lambda: self._client.converse_stream(**arguments))
        events = response["stream"]
        iterator = iter(events)
        tool_index, json_tool = -1, json_tool_of(request)
        try:
            while (event := await self._in_pool(lambda: next(iterator, _END))) is not _END:
                chunk, tool_index = _chunk_of(cast(dict[str, Any], event), tool_index, json_tool)
                if chunk:
                    yield chunk
        finally:
            with contextlib.suppress(Exception):
                events.close()

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def _in_pool(self, call: Callable[[], T]) -> T:
        """Run a blocking boto3 call in the pool, its errors translated at this boundary."""
        loop = asyncio.get_running_loop()
        with self._translate_errors():
            return await loop.run_in_executor(self._pool, call)

    def _check_open(self) -> None:
        if self._closed:
            raise BackendUnavailable(
                "backend is closed", tier=self._endpoint.tier.value, endpoint=self._endpoint.id
            )

    @contextlib.contextmanager
    def _translate_errors(self) -> Iterator[None]:
        tier, endpoint, model = self._endpoint.tier.value, self._endpoint.id, self._endpoint.model
        try:
            yield
        except BackendError:
            raise
        except ClientError as exc:
            raise _client_error(exc, tier, endpoint, model) from exc
        except (ReadTimeoutError, ConnectTimeoutError) as exc:
            raise BackendTimeout(f"timed out: {exc}", tier=tier, endpoint=endpoint) from exc
        except EndpointConnectionError as exc:
            raise BackendUnavailable(str(exc), tier=tier, endpoint=endpoint) from exc
        except NoCredentialsError as exc:
            message = "no AWS credentials found (environment, profile or role) for Bedrock"
            raise BackendStatusError(message, tier=tier, endpoint=endpoint, status=502) from exc
        except BotoCoreError as exc:
            message = f"{type(exc).__name__}: {exc}"
            raise BackendUnavailable(message, tier=tier, endpoint=endpoint) from exc


def _client_error(exc: ClientError, tier: str, endpoint: str, model: str) -> BackendError:
    error = exc.response.get("Error", {})
    code, text = str(error.get("Code", "")), str(error.get("Message", ""))
    message = f"Bedrock {code} for {model}: {text}"
    if code in ("ThrottlingException", "ServiceQuotaExceededException"):
        return BackendStatusError(message, tier=tier, endpoint=endpoint, status=429)
    if code in _UNAVAILABLE:
        return BackendUnavailable(message, tier=tier, endpoint=endpoint)
    if code == "ModelTimeoutException":
        return BackendTimeout(message, tier=tier, endpoint=endpoint)
    if code == "ValidationException":
        return BackendStatusError(message, tier=tier, endpoint=endpoint, status=400)
    if code in _NOT_USABLE:
        hint = " (check the IAM policy, the model access grant and the region)"
        return BackendStatusError(message + hint, tier=tier, endpoint=endpoint, status=502)
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 502
    return BackendStatusError(message, tier=tier, endpoint=endpoint, status=int(status))


# ------------------------------------------------------------------------------ requests


def converse_arguments(request: GenerationRequest, model_id: str) -> dict[str, Any]:
    """The keyword arguments of ``converse``/``converse_stream`` for `request`."""
    messages = request.messages or (Message(role="user", content=request.prompt),)
    system = [{"text": m.content} for m in messages if m.role in ("system", "developer")]
    turns: list[dict[str, Any]] = []
    for m in messages:
        if m.role in ("system", "developer"):
            continue
        role, blocks = _blocks(m)
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)  # Converse wants user and assistant to alternate
        else:
            turns.append({"role": role, "content": blocks})
    inference: dict[str, Any] = {"maxTokens": request.max_tokens}
    if request.temperature is not None:
        inference["temperature"] = request.temperature
    if request.top_p is not None:
        inference["topP"] = request.top_p
    options = request.options
    if options is not None and options.stop:
        inference["stopSequences"] = list(options.stop)
    arguments: dict[str, Any] = {
        "modelId": request.model or model_id,
        "messages": turns,
        "inferenceConfig": inference,
    }
    if system:
        arguments["system"] = system
    if options is not None and options.tools:
        arguments["toolConfig"] = _tool_config(options.tools, options.tool_choice)
    elif (json_tool := json_tool_of(request)) is not None:
        arguments["toolConfig"] = _json_tool_config(json_tool, request)
    return arguments


def json_tool_of(request: GenerationRequest) -> str | None:
    """The name of the forced tool that carries a JSON answer (OpenAI's ``response_format``
    json_object or json_schema, which Converse expresses as a tool it must call); None when the
    request asks for no JSON or brings tools of its own."""
    options = request.options
    if options is None or options.tools or not options.response_format:
        return None
    kind = options.response_format.get("type")
    if kind == "json_schema":
        return str((options.response_format.get("json_schema") or {}).get("name") or _JSON_TOOL)
    return _JSON_TOOL if kind == "json_object" else None


def _json_tool_config(name: str, request: GenerationRequest) -> dict[str, Any]:
    response_format = request.options.response_format if request.options else None
    schema = ((response_format or {}).get("json_schema") or {}).get("schema")
    spec = {
        "name": name,
        "description": "Give the answer as this tool's input.",
        "inputSchema": {"json": schema or {"type": "object"}},
    }
    return {"tools": [{"toolSpec": spec}], "toolChoice": {"tool": {"name": name}}}


def _blocks(m: Message) -> tuple[str, list[dict[str, Any]]]:
    if m.role == "tool":
        result = {"toolUseId": m.tool_call_id or "", "content": [{"text": m.content}]}
        return "user", [{"toolResult": result}]
    blocks: list[dict[str, Any]] = [{"text": m.content}] if m.content else []
    for call in m.tool_calls:
        function = call.get("function", {})
        arguments = json.loads(function.get("arguments") or "{}")
        use = {
            "toolUseId": call.get("id", ""),
            "name": function.get("name", ""),
            "input": arguments,
        }
        blocks.append({"toolUse": use})
    return ("assistant" if m.role == "assistant" else "user"), blocks or [{"text": ""}]


def _tool_config(tools: tuple[dict[str, Any], ...], choice: Any) -> dict[str, Any]:
    specs = []
    for tool in tools:
        function = tool.get("function", {})
        spec = {
            "name": function.get("name", ""),
            "inputSchema": {"json": function.get("parameters") or {"type": "object"}},
        }
        if function.get("description"):
            spec["description"] = function["description"]
        specs.append({"toolSpec": spec})
    config: dict[str, Any] = {"tools": specs}
    if choice == "required":
        config["toolChoice"] = {"any": {}}
    elif isinstance(choice, dict):
        config["toolChoice"] = {"tool": {"name": choice.get("function", {}).get("name", "")}}
    elif choice == "auto":
        config["toolChoice"] = {"auto": {}}
    return config


# ------------------------------------------------------------------------------ answers


def generation_of(
    response: dict[str, Any], model: str, latency_ms: float, json_tool: str | None = None
) -> Generation:
    """A Converse answer as a `Generation`: its text, tool calls, finish reason and usage; with
    `json_tool`, the forced tool's input is the answer's text (JSON)."""
    content = response.get("output", {}).get("message", {}).get("content", [])
    text = "".join(block.get("text", "") for block in content)
    calls = tuple(_tool_call(block["toolUse"]) for block in content if "toolUse" in block)
    finish = _FINISH.get(str(response.get("stopReason")), "stop")
    if json_tool is not None:
        answers = [c["function"]["arguments"] for c in calls if c["function"]["name"] == json_tool]
        text, calls, finish = (answers[0] if answers else text), (), "stop"
    usage = response.get("usage", {})
    return Generation(
        text=text,
        model=model,
        input_tokens=int(usage.get("inputTokens", 0)),
        output_tokens=int(usage.get("outputTokens", 0)),
        latency_ms=latency_ms,
        ttft_ms=latency_ms,
        finish_reason=finish,
        tool_calls=calls,
    )


def _tool_call(use: dict[str, Any]) -> dict[str, Any]:
    arguments = json.dumps(use.get("input", {}), separators=(",", ":"))
    function = {"name": use.get("name", ""), "arguments": arguments}
    return {"id": use.get("toolUseId", ""), "type": "function", "function": function}


def _chunk_of(
    event: dict[str, Any], tool_index: int, json_tool: str | None = None
) -> tuple[Chunk, int]:
    """One ConverseStream event as a stream chunk ("" for none), and the current tool call's
    index among the answer's tool calls; with `json_tool`, the forced tool's input streams as
    the answer's text."""
    if json_tool is not None:
        delta = event.get("contentBlockDelta", {}).get("delta", {})
        if "toolUse" in delta:
            return str(delta["toolUse"].get("input", "")), tool_index
        if "contentBlockStart" in event or "messageStop" in event:
            return "", tool_index
    if "contentBlockStart" in event:
        use = event["contentBlockStart"].get("start", {}).get("toolUse")
        if use is None:
            return "", tool_index
        tool_index += 1
        call = {
            "index": tool_index,
            "id": use.get("toolUseId", ""),
            "type": "function",
            "function": {"name": use.get("name", ""), "arguments": ""},
        }
        return StreamDelta(tool_calls=(call,)), tool_index
    if "contentBlockDelta" in event:
        delta = event["contentBlockDelta"].get("delta", {})
        if "toolUse" in delta:
            fragment = {"index": tool_index, "function": {"arguments": delta["toolUse"]["input"]}}
            return StreamDelta(tool_calls=(fragment,)), tool_index
        return str(delta.get("text", "")), tool_index
    if "messageStop" in event:
        finish = _FINISH.get(str(event["messageStop"].get("stopReason")), "stop")
        return (StreamDelta(finish_reason=finish) if finish != "stop" else ""), tool_index
    return "", tool_index
