"""Property tests (hypothesis) of the gateway's wire boundary: the request translation and the
server-sent-event framing, over generated inputs rather than chosen examples."""

from __future__ import annotations

import re
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mecrouter.config import load_config
from mecrouter.errors import InvalidRequestError
from mecrouter.gateway.admission import parse_chat
from mecrouter.gateway.errors import ApiError
from mecrouter.gateway.translate import to_inference_request
from mecrouter.gateway.wire import delta_chunk, sse

USE_CASES = tuple(load_config().use_cases)
BOUNDED = settings(max_examples=150, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow])  # fmt: skip

# Any text a model may send: control characters, CR/LF, "data:" prefixes, blank-line look-alikes,
# surrogate-free unicode.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
PARTS = st.lists(
    st.one_of(TEXT, st.sampled_from(["\n\n", "\r\n\r\n", "data: [DONE]", "\r", ": x", "\u2028"])),
    max_size=12,
)


def _parse_sse(stream: bytes) -> list[str]:
    """The data of each event, as the SSE specification parses a stream: lines end at CRLF, LF
    or CR; a blank line ends an event; "data:" lines (one optional space after the colon) join."""
    events, data = [], []
    for line in re.split(r"\r\n|\n|\r", stream.decode("utf-8")):
        if line == "":
            if data:
                events.append("\n".join(data))
            data = []
        elif line.startswith("data:"):
            value = line[5:]
            data.append(value[1:] if value.startswith(" ") else value)
    return events


@BOUNDED
@given(PARTS)
def test_every_streamed_part_arrives_whole_through_sse_framing(parts: list[str]) -> None:
    stream = b"".join(sse(delta_chunk("chatcmpl-1", "m", 0, part)) for part in parts)
    events = _parse_sse(stream)
    assert len(events) == len(parts)
    got = [orjson.loads(e)["choices"][0]["delta"].get("content") for e in events]
    assert got == parts


MESSAGE = st.fixed_dictionaries(
    {"role": st.sampled_from(["system", "user", "assistant"]), "content": TEXT}
)


@BOUNDED
@given(
    messages=st.lists(MESSAGE, min_size=1, max_size=6),
    max_tokens=st.one_of(st.none(), st.integers(-5, 2_000_000)),
    temperature=st.one_of(st.none(), st.floats(-1.0, 3.0, allow_nan=False)),
    use_case=st.one_of(st.none(), st.sampled_from([*USE_CASES, "nonsense", ""])),
    user=st.one_of(
        st.none(), st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=300)
    ),
)
def test_any_body_is_translated_faithfully_or_refused_naming_a_field(
    messages: list[dict[str, Any]],
    max_tokens: int | None,
    temperature: float | None,
    use_case: str | None,
    user: str | None,
) -> None:
    body: dict[str, Any] = {"model": "auto", "messages": messages}
    for name, value in (("max_tokens", max_tokens), ("temperature", temperature), ("user", user)):
        if value is not None:
            body[name] = value
    if use_case is not None:
        body["routing"] = {"use_case": use_case}
    try:
        parsed = parse_chat(orjson.dumps(body))
        req = to_inference_request(
            parsed, {}, user_id="key-owner", request_id=None, pinned_model=None,
            use_cases=USE_CASES,
        )  # fmt: skip
    except ApiError as exc:  # the body's own validation: 400 naming what was wrong
        assert exc.status == 400 and exc.message
        return
    except InvalidRequestError as exc:  # a routing hint or option the router refuses
        assert exc.field and exc.message
        assert use_case not in USE_CASES or exc.field.startswith(("routing", "max_tokens")), exc
        return
    # Messages with text are kept in order, their outer whitespace trimmed (the request types
    # strip it); an empty `user` names no one, so the key's owner stands.
    kept = [(m["role"], m["content"].strip()) for m in messages if m["content"].strip()]
    assert [(m.role, m.content.strip()) for m in req.messages] == kept
    assert req.content.strip() == kept[-1][1]
    assert req.user_id == (user.strip() or "key-owner" if user else "key-owner")
    if max_tokens is not None:
        assert req.max_tokens == max_tokens
    if use_case is not None:
        assert req.use_case == use_case
