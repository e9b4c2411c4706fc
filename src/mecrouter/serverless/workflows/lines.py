"""One line of a batch file: an OpenAI chat completion request, to an `InferenceRequest`.

A line is the body the gateway's ``POST /v1/chat/completions`` accepts (``model`` may be left
out: ``auto``), with mecrouter's routing hints under ``routing``, or an OpenAI Batch API line
(``{"custom_id", "method", "url", "body"}``) around such a body, whose ``custom_id`` is kept in
the results. It is validated and translated by the gateway's own code (`gateway.wire`'s
`ChatCompletionRequest`, `gateway.translate.to_inference_request`), so a line means in a batch
what the same body means over HTTP; a model name pins the request as it does there. Streaming
is refused: a batch's answers go to a file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pydantic

from mecrouter.config import Config
from mecrouter.errors import InvalidRequestError
from mecrouter.gateway.translate import to_inference_request
from mecrouter.gateway.wire import ChatCompletionRequest, validation_error
from mecrouter.types import InferenceRequest

__all__ = ["BatchLine", "parse_line"]

_CHAT_URL: Final = "/v1/chat/completions"
_AUTO: Final = "auto"
_BATCH_USER: Final = "batch"


@dataclass(frozen=True)
class BatchLine:
    """A line that parsed: its number (from 1), the request, and the caller's ``custom_id``."""

    number: int
    request: InferenceRequest
    custom_id: str | None = None


def parse_line(raw: bytes, number: int, config: Config, request_id: str) -> BatchLine:
    """The request on line ``number``; `InvalidRequestError` naming the field if it is not one.
    ``request_id`` is used unless the body names its own (``metadata.request_id``)."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidRequestError("line", f"not JSON ({exc.msg})") from None
    except ValueError:  # bytes that are not UTF-8
        raise InvalidRequestError("line", "not UTF-8 text") from None
    if not isinstance(data, dict):
        raise InvalidRequestError("line", "not a JSON object")
    custom_id: str | None = None
    if "body" in data and "messages" not in data:
        custom_id, data = _batch_api_body(data)
    return BatchLine(number, _request(data, config, request_id), custom_id)


def _batch_api_body(line: Mapping[str, Any]) -> tuple[str | None, dict[str, Any]]:
    url = line.get("url", _CHAT_URL)
    if url != _CHAT_URL:
        raise InvalidRequestError("url", f"{url!r}: a batch routes {_CHAT_URL} requests only")
    body = line["body"]
    if not isinstance(body, dict):
        raise InvalidRequestError("body", "not a JSON object")
    custom_id = line.get("custom_id")
    return (None if custom_id is None else str(custom_id)), body


def _request(body: dict[str, Any], config: Config, request_id: str) -> InferenceRequest:
    if body.get("stream"):
        raise InvalidRequestError("stream", "a batch cannot stream; leave it out or false")
    try:
        chat = ChatCompletionRequest.model_validate({"model": _AUTO, **body})
    except pydantic.ValidationError as exc:
        message, param, _ = validation_error(exc)
        raise InvalidRequestError(param or "line", message) from None
    metadata = body.get("metadata")
    if isinstance(metadata, dict) and metadata.get("request_id"):
        request_id = str(metadata["request_id"])
    return to_inference_request(
        chat,
        {},
        user_id=_BATCH_USER,
        request_id=request_id,
        pinned_model=_pinned(chat.model, config),
        use_cases=config.use_cases,
    )


def _pinned(model: str, config: Config) -> str | None:
    """None for ``auto``; a model or endpoint id of the config pins; anything else is refused,
    as the gateway refuses it."""
    if model == _AUTO:
        return None
    known = {ep.model for ep in config.endpoints} | {ep.id for ep in config.endpoints}
    if model not in known:
        raise InvalidRequestError("model", f"{model!r} does not exist; use 'auto' or a model "
                                  "of the config")  # fmt: skip
    return model
