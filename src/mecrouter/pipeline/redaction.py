"""Redaction for the cloud: identifiers replaced by placeholders on the way out, restored on the
way back.

With `privacy.redact_for_cloud` on, a SENSITIVE request may go to an endpoint whose ceiling is
below it (the cloud) once every identifier the privacy detector finds
(`agents.privacy.identifier_spans`: emails, phone numbers, card numbers...) is replaced by a
placeholder such as ``[EMAIL_1]``. One value gets one placeholder throughout the request: in the
system prompt, user, assistant and tool turns and in tool-call arguments. `RedactingBackend`
wraps the attempt's backend, so the failover loop redacts per endpoint: a fallback to the cloud
is redacted, one to a MEC node or the device gets the original. The answer's text and tool-call
arguments have the placeholders we issued put back; one the model makes up stays as it is.

A stream is restored chunk by chunk (`StreamRestorer`): a chunk that ends in what may be the
start of a placeholder (``[EMA``) keeps that tail back until the next chunk says what it is; no
other text waits.

A text with identifiers and characters outside ASCII is sent in the detector's form
(`detection_text`: NFKC, digits in ASCII, invisible characters removed), since that is what the
offsets of its identifiers point into; restored values are in that form too.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from mecrouter.agents.privacy import detection_text, identifier_spans
from mecrouter.backends.base import Backend, Chunk, GenerationRequest
from mecrouter.types import Generation, Message, StreamDelta

__all__ = ["RedactingBackend", "Redaction", "StreamRestorer"]

_PLACEHOLDER_RE = re.compile(r"\[[A-Z][A-Z0-9_]*_[0-9]+\]")


class _Book:
    """The placeholders of one request: one per distinct value, numbered per kind, never one
    that the request's own text already contains (it would be 'restored' to a value)."""

    def __init__(self, texts: list[str]) -> None:
        self._texts = texts
        self._seen: str | None = None  # the request's text, joined when first needed
        self.by_value: dict[str, str] = {}
        self.originals: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def placeholder(self, value: str, kind: str) -> str:
        found = self.by_value.get(value)
        if found is not None:
            return found
        if self._seen is None:
            self._seen = "\n".join(self._texts)
        label, n = kind.upper(), self._counts.get(kind, 0)
        while True:
            n += 1
            name = f"[{label}_{n}]"
            if name not in self._seen:
                break
        self._counts[kind] = n
        self.by_value[value], self.originals[name] = name, value
        return name

    def redact(self, text: str) -> str:
        spans = identifier_spans(text)
        if not spans:
            return text
        base, last = detection_text(text), 0
        parts: list[str] = []
        for start, end, kind in spans:
            parts += (base[last:start], self.placeholder(base[start:end], kind))
            last = end
        parts.append(base[last:])
        return "".join(parts)


def _texts(prompt: str, messages: tuple[Message, ...]) -> list[str]:
    out = [prompt]
    for m in messages:
        out.append(m.content)
        out.extend(a for a in map(_arguments, m.tool_calls) if a is not None)
    return out


def _arguments(call: dict[str, Any]) -> str | None:
    function = call.get("function")
    args = function.get("arguments") if isinstance(function, dict) else None
    return args if isinstance(args, str) else None


def _with_arguments(call: dict[str, Any], args: str) -> dict[str, Any]:
    return {**call, "function": {**call["function"], "arguments": args}}


@dataclass(slots=True, frozen=True)
class Redaction:
    """One request's prompt and messages with placeholders, and what each placeholder stands
    for. Build with `Redaction.of`; `count` is how many distinct values were replaced."""

    prompt: str
    messages: tuple[Message, ...]
    originals: dict[str, str]  # placeholder -> the value it replaced

    @classmethod
    def of(cls, prompt: str, messages: tuple[Message, ...]) -> Redaction:
        book = _Book(_texts(prompt, messages))
        redacted = tuple(_redacted_message(m, book) for m in messages)
        joined = [m.content for m in messages if m.content]
        if prompt == "\n".join(joined):  # the prompt is the messages' text: redacted once
            return cls(
                "\n".join(m.content for m in redacted if m.content), redacted, book.originals
            )
        return cls(book.redact(prompt), redacted, book.originals)

    @property
    def count(self) -> int:
        return len(self.originals)

    def apply(self, request: GenerationRequest) -> GenerationRequest:
        """`request` (built from the same prompt and messages) as the endpoint is to see it."""
        if not self.originals:
            return request
        return dataclasses.replace(request, prompt=self.prompt, messages=self.messages)

    def restore(self, text: str) -> str:
        """`text` with every placeholder we issued replaced by its value."""
        if "[" not in text or not self.originals:
            return text
        originals = self.originals
        return _PLACEHOLDER_RE.sub(lambda m: originals.get(m.group(), m.group()), text)

    def may_start(self, tail: str) -> bool:
        """Whether `tail` (from a "[" on) is the start, not the whole, of a placeholder we
        issued: a stream holds such a tail back until the next chunk."""
        return any(len(p) > len(tail) and p.startswith(tail) for p in self.originals)

    def restore_generation(self, gen: Generation) -> Generation:
        """The answer with its text, tool-call arguments and other choices restored."""
        if not self.originals:
            return gen
        more = tuple(
            dataclasses.replace(
                c, text=self.restore(c.text), tool_calls=self._restore_calls(c.tool_calls)
            )
            for c in gen.more_choices
        )
        return dataclasses.replace(
            gen,
            text=self.restore(gen.text),
            tool_calls=self._restore_calls(gen.tool_calls),
            more_choices=more,
        )

    def _restore_calls(self, calls: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
        out = []
        for call in calls:
            args = _arguments(call)
            out.append(call if args is None else _with_arguments(call, self.restore(args)))
        return tuple(out)


def _redacted_message(m: Message, book: _Book) -> Message:
    content = book.redact(m.content)
    calls = m.tool_calls
    if calls:
        calls = tuple(
            call if (a := _arguments(call)) is None else _with_arguments(call, book.redact(a))
            for call in calls
        )
    if content is m.content and all(a is b for a, b in zip(calls, m.tool_calls, strict=True)):
        return m
    return m.model_copy(update={"content": content, "tool_calls": calls})


class StreamRestorer:
    """Restores one stream of text pieces: `feed` each piece, then `flush` at the end."""

    def __init__(self, redaction: Redaction) -> None:
        self._redaction = redaction
        self._held = ""

    def feed(self, piece: str) -> str:
        """What of the text so far can be released, restored; a possible placeholder start at
        its end is held back."""
        text = self._held + piece if self._held else piece
        cut = text.rfind("[")
        if cut >= 0 and self._redaction.may_start(text[cut:]):
            self._held, text = text[cut:], text[:cut]
        else:
            self._held = ""
        return self._redaction.restore(text)

    def flush(self) -> str:
        """What was held back (the start of a placeholder that never came), as it was."""
        held, self._held = self._held, ""
        return held


class RedactingBackend:
    """A backend whose endpoint sees the request redacted, and whose caller sees the answer
    restored (the same interface as the backend it wraps)."""

    def __init__(self, inner: Backend, redaction: Redaction) -> None:
        self.inner, self.redaction = inner, redaction

    async def generate(self, request: GenerationRequest) -> Generation:
        gen = await self.inner.generate(self.redaction.apply(request))
        return self.redaction.restore_generation(gen)

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        chunks = self.inner.stream(self.redaction.apply(request))
        text, calls = StreamRestorer(self.redaction), _CallRestorers(self.redaction)
        try:
            async for part in chunks:
                if not self.redaction.originals:  # nothing was replaced: nothing to restore
                    yield part
                elif isinstance(part, str):
                    if out := text.feed(part):
                        yield out
                else:
                    for delta in _restored_deltas(part, text, calls):
                        yield delta
            if held := text.flush():
                yield held
            for delta in calls.flush():
                yield delta
        finally:
            await chunks.aclose()  # type: ignore[attr-defined]

    async def aclose(self) -> None:
        await self.inner.aclose()


class _CallRestorers:
    """One `StreamRestorer` per streamed tool call (by its index) for its argument fragments."""

    def __init__(self, redaction: Redaction) -> None:
        self._redaction = redaction
        self._by_index: dict[int, StreamRestorer] = {}

    def restore(self, fragment: dict[str, Any]) -> dict[str, Any]:
        args = _arguments(fragment)
        if args is None:
            return fragment
        index = int(fragment.get("index", 0))
        restorer = self._by_index.get(index)
        if restorer is None:
            restorer = self._by_index[index] = StreamRestorer(self._redaction)
        return _with_arguments(fragment, restorer.feed(args))

    def flush(self) -> list[StreamDelta]:
        out = []
        for index, restorer in self._by_index.items():
            held = restorer.flush()
            if held:
                fragment = {"index": index, "function": {"arguments": held}}
                out.append(StreamDelta(tool_calls=(fragment,)))
        return out


def _restored_deltas(
    part: StreamDelta, text: StreamRestorer, calls: _CallRestorers
) -> list[StreamDelta]:
    """`part` restored; before the delta that finishes the answer, the tool-call fragments
    still held back, and its text with the text still held back (nothing may stay held)."""
    content = text.feed(part.content) if part.content else ""
    tool_calls = tuple(calls.restore(f) for f in part.tool_calls)
    if part.finish_reason is None:
        return [dataclasses.replace(part, content=content, tool_calls=tool_calls)]
    content += text.flush()
    return [*calls.flush(), dataclasses.replace(part, content=content, tool_calls=tool_calls)]
