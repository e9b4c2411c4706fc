"""A batch line means what the same body means to the gateway: its validation, its hints, its
model pinning (the gateway's own translation, not a copy)."""

from __future__ import annotations

import json

import pytest

from mecrouter.config import load_config
from mecrouter.errors import InvalidRequestError
from mecrouter.serverless.workflows.lines import parse_line

CONFIG = load_config()
HELLO = [{"role": "user", "content": "hello"}]


def line(**body: object) -> bytes:
    return json.dumps({"messages": HELLO, **body}).encode()


def test_a_model_of_the_config_pins_and_auto_does_not() -> None:
    model = CONFIG.endpoints[0].model
    assert parse_line(line(model=model), 1, CONFIG, "r1").request.model == model
    assert parse_line(line(), 1, CONFIG, "r1").request.model is None


def test_an_unknown_model_or_a_bad_value_names_the_field() -> None:
    with pytest.raises(InvalidRequestError) as unknown:
        parse_line(line(model="gpt-nothing"), 2, CONFIG, "r2")
    assert unknown.value.field == "model"
    with pytest.raises(InvalidRequestError) as hot:
        parse_line(line(temperature=5), 3, CONFIG, "r3")
    assert hot.value.field == "temperature"
    with pytest.raises(InvalidRequestError) as hint:
        parse_line(line(routing={"use_case": "no-such-case"}), 4, CONFIG, "r4")
    assert "use_case" in hint.value.field


def test_hints_metadata_and_batch_api_lines() -> None:
    parsed = parse_line(line(routing={"use_case": "gaming"}, metadata={"request_id": "mine"}),
                        5, CONFIG, "r5")  # fmt: skip
    assert (parsed.request.use_case, parsed.request.request_id) == ("gaming", "mine")
    wrapped = {"custom_id": "c-9", "method": "POST", "url": "/v1/chat/completions",
               "body": {"model": "auto", "messages": HELLO}}  # fmt: skip
    batch_api = parse_line(json.dumps(wrapped).encode(), 6, CONFIG, "r6")
    assert (batch_api.custom_id, batch_api.request.request_id) == ("c-9", "r6")
