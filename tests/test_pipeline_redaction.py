"""Redaction for the cloud: placeholders out, values back, streamed placeholders split anywhere,
and the failover loop redacting per endpoint (MEC gets the original, the cloud placeholders)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from echo_backend import Echo
from mecrouter.backends.base import Chunk, GenerationRequest
from mecrouter.config import Config, load_config
from mecrouter.errors import BackendUnavailable
from mecrouter.pipeline import Router
from mecrouter.pipeline.redaction import RedactingBackend, Redaction, StreamRestorer
from mecrouter.stores.memory import MemoryStore
from mecrouter.types import Generation, Message

EMAIL = "jane.doe@example.com"
OTHER_EMAIL = "bob@example.org"
PHONE = "+44 20 7946 0958"
DEVICE = {"device_id": "phone-r", "memory_mb": 8192, "local_models": ["llama-3.2-1b-instruct"]}


def user(content: str) -> Message:
    return Message(role="user", content=content)


def redaction_of(*messages: Message) -> Redaction:
    return Redaction.of("\n".join(m.content for m in messages), messages)


def test_each_value_gets_one_placeholder_in_every_message() -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "send", "arguments": ""}}
    call["function"]["arguments"] = json.dumps({"to": EMAIL})
    r = redaction_of(
        Message(role="system", content=f"You answer for {EMAIL}."),
        user(f"Mail {EMAIL} and {OTHER_EMAIL}, or call {PHONE}."),
        Message(role="assistant", content="Sending.", tool_calls=(call,)),
        Message(role="tool", content=f"sent to {EMAIL}", tool_call_id="c1"),
    )
    system, asked, assistant, tool = r.messages
    assert system.content == "You answer for [EMAIL_1]."
    assert asked.content == "Mail [EMAIL_1] and [EMAIL_2], or call [PHONE_1]."
    assert json.loads(assistant.tool_calls[0]["function"]["arguments"]) == {"to": "[EMAIL_1]"}
    assert tool.content == "sent to [EMAIL_1]" and tool.tool_call_id == "c1"
    assert EMAIL not in r.prompt and PHONE not in r.prompt and "[PHONE_1]" in r.prompt
    assert r.count == 3
    assert r.originals == {"[EMAIL_1]": EMAIL, "[EMAIL_2]": OTHER_EMAIL, "[PHONE_1]": PHONE}


def test_placeholders_are_stable_for_the_same_request() -> None:
    first = redaction_of(user(f"{OTHER_EMAIL} then {EMAIL}"))
    again = redaction_of(user(f"{OTHER_EMAIL} then {EMAIL}"))
    assert first.messages == again.messages and first.originals == again.originals


def test_no_identifiers_means_no_change() -> None:
    messages = (user("Describe the storm over the harbour [EMAIL_1]."),)
    r = redaction_of(*messages)
    assert r.count == 0 and r.messages[0] is messages[0]
    request = GenerationRequest("r", messages[0].content, "m", 10, messages)
    assert r.apply(request) is request
    assert r.restore("[EMAIL_1]") == "[EMAIL_1]"


def test_a_placeholder_already_in_the_text_is_never_issued() -> None:
    r = redaction_of(user(f"Template [EMAIL_1] goes to {EMAIL}."))
    assert r.messages[0].content == "Template [EMAIL_1] goes to [EMAIL_2]."
    assert r.restore("[EMAIL_1] [EMAIL_2]") == f"[EMAIL_1] {EMAIL}"


def test_restore_puts_back_ours_and_leaves_invented_ones() -> None:
    r = redaction_of(user(f"Write to {EMAIL}."))
    assert r.restore("To [EMAIL_1], cc [EMAIL_9] and [PHONE_1].") == (
        f"To {EMAIL}, cc [EMAIL_9] and [PHONE_1]."
    )


def test_a_whole_answer_is_restored_with_its_tool_calls_and_choices() -> None:
    r = redaction_of(user(f"Write to {EMAIL}."))
    call = {"id": "c", "type": "function", "function": {"name": "send", "arguments": ""}}
    call["function"]["arguments"] = '{"to": "[EMAIL_1]"}'
    gen = Generation("Sent to [EMAIL_1].", "m", 1, 1, 1.0, 1.0, tool_calls=(call,))
    restored = r.restore_generation(gen)
    assert restored.text == f"Sent to {EMAIL}."
    assert json.loads(restored.tool_calls[0]["function"]["arguments"]) == {"to": EMAIL}


ANSWER = "Reply to [EMAIL_1] or [PHONE_1]; [EMAIL_9] is not ours [x]."


@pytest.mark.parametrize("cut", range(len(ANSWER) + 1))
def test_a_placeholder_split_across_chunks_at_any_point_is_restored(cut: int) -> None:
    r = redaction_of(user(f"{EMAIL} {PHONE}"))
    restorer = StreamRestorer(r)
    first = restorer.feed(ANSWER[:cut])
    text = first + restorer.feed(ANSWER[cut:]) + restorer.flush()
    assert text == f"Reply to {EMAIL} or {PHONE}; [EMAIL_9] is not ours [x]."
    sent = ANSWER[:cut]
    tail = sent[sent.rfind("[") :] if "[" in sent else ""
    # held back: only the start of a placeholder we issued; ordinary text is released at once
    held = tail if tail and any(p != tail and p.startswith(tail) for p in r.originals) else ""
    assert first == r.restore(sent[: len(sent) - len(held)])


def test_a_stream_of_single_characters_is_restored() -> None:
    r = redaction_of(user(f"{EMAIL} {PHONE}"))
    restorer = StreamRestorer(r)
    out = [restorer.feed(ch) for ch in ANSWER] + [restorer.flush()]
    assert "".join(out) == f"Reply to {EMAIL} or {PHONE}; [EMAIL_9] is not ours [x]."


def test_an_unfinished_placeholder_at_the_end_is_flushed_as_it_was() -> None:
    r = redaction_of(user(EMAIL))
    restorer = StreamRestorer(r)
    assert restorer.feed("bye [EMAI") == "bye "
    assert restorer.flush() == "[EMAI"


async def test_redacting_backend_streams_restored_text() -> None:
    echo = Echo()
    messages = (user(f"Mail {EMAIL} now"),)
    r = redaction_of(*messages)
    backend = RedactingBackend(echo, r)
    request = GenerationRequest("r", messages[0].content, "m", 10, messages)
    parts = [p async for p in backend.stream(request)]
    assert echo.seen[0].messages[0].content == "Mail [EMAIL_1] now"
    text = "".join(p if isinstance(p, str) else p.content for p in parts)
    assert text == f"Mail {EMAIL} now"
    assert not any("[" in (p if isinstance(p, str) else p.content) for p in parts)


class Down:
    """An endpoint that refuses every call."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint

    async def generate(self, request: GenerationRequest) -> Generation:
        raise BackendUnavailable("down", tier="x", endpoint=self.endpoint)

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        raise BackendUnavailable("down", tier="x", endpoint=self.endpoint)
        yield ""

    async def aclose(self) -> None:
        return None


def redacting(config: Config, on: bool = True) -> Config:
    return config.model_copy(
        update={"privacy": config.privacy.model_copy(update={"redact_for_cloud": on})}
    )


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


def router_with(config: Config, backends: dict[str, Any], store: MemoryStore) -> Router:
    return Router(config, backends=backends, store=store)


def sensitive(**kw: Any) -> dict[str, Any]:
    content = f"Please draft a short reply to {EMAIL} about the meeting."
    return {"content": content, "messages": [{"role": "user", "content": content}],
            "device_info": DEVICE, **kw}  # fmt: skip


async def test_failover_from_mec_to_cloud_redacts_and_from_cloud_to_mec_does_not(
    config: Config,
) -> None:
    cfg = redacting(config)
    echoes = {ep.id: Echo() for ep in cfg.endpoints}
    store = MemoryStore()
    # Cloud endpoints down, MEC up: a cloud-first chain falls back to MEC with the original.
    backends: dict[str, Any] = {
        ep.id: (Down(ep.id) if ep.tier.value == "cloud" else echoes[ep.id]) for ep in cfg.endpoints
    }
    router = router_with(cfg, backends, store)
    done = await router.complete(sensitive(allowed_tiers=["cloud", "mec"], complexity_hint=1.0))
    await router.aclose()
    assert done.decision.selected_tier.value == "cloud" and done.record.fallbacks_used >= 1
    assert done.record.actual_tier == "mec" and done.text.endswith("about the meeting.")
    assert EMAIL in done.text and not done.record.redacted
    mec_seen = [r for ep, e in echoes.items() if ep.startswith("mec") for r in e.seen]
    assert mec_seen and EMAIL in mec_seen[0].messages[0].content
    # MEC down, cloud up: the fallback to the cloud is redacted, the answer restored.
    echoes = {ep.id: Echo() for ep in cfg.endpoints}
    backends = {
        ep.id: (Down(ep.id) if ep.tier.value == "mec" else echoes[ep.id]) for ep in cfg.endpoints
    }
    store = MemoryStore()
    router = router_with(cfg, backends, store)
    done = await router.complete(sensitive(allowed_tiers=["mec", "cloud"], use_case="gaming"))
    await router.aclose()
    assert done.decision.selected_tier.value == "mec" and done.record.fallbacks_used >= 1
    assert done.record.actual_tier == "cloud", done.record.reasoning
    [cloud_request] = [r for e in echoes.values() for r in e.seen]
    assert EMAIL not in cloud_request.prompt and "[EMAIL_1]" in cloud_request.prompt
    assert cloud_request.messages[0].content.count("[EMAIL_1]") == 1
    assert EMAIL in done.text and "[EMAIL_1]" not in done.text
    assert done.record.redacted and done.record.redacted_identifiers == 1


async def test_a_redacted_cloud_stream_is_restored_and_recorded(config: Config) -> None:
    cfg = redacting(config)
    echo = Echo()
    store = MemoryStore()
    router = router_with(cfg, {ep.id: echo for ep in cfg.endpoints}, store)
    streamed = await router.stream(sensitive(allowed_tiers=["cloud"]))
    text = await streamed.text()
    await router.aclose()
    assert "redacted for cloud" in streamed.decision.reasoning
    assert text == f"Please draft a short reply to {EMAIL} about the meeting."
    assert "[EMAIL_1]" in echo.seen[0].messages[0].content
    [record] = await store.query_decisions()
    assert record.redacted and record.redacted_identifiers == 1


async def test_without_redaction_nothing_changes_on_the_way(config: Config) -> None:
    echo = Echo()
    router = router_with(config, {ep.id: echo for ep in config.endpoints}, MemoryStore())
    done = await router.complete(sensitive(allowed_tiers=["mec"]))
    await router.aclose()
    assert echo.seen[0].messages[0].content == sensitive()["content"]
    assert not done.record.redacted and done.record.redacted_identifiers == 0
