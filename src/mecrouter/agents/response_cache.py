"""The exact response cache: answer a repeated request without inference.

Its key is a pure function of what shapes the answer (normalised prompt, requested model,
temperature, max_tokens, and options such as seed, stop, tools or response format) and of the
partition it is kept in (an API key or a tenant: answers never cross partitions). Entries expire
after ``config.cache_ttl_s`` and the cache holds at most ``config.cache_max_entries`` (least
recently used goes first). Private data (privacy >= SENSITIVE) is only ever kept by a
device-local cache, in the requesting device's namespace: a shared cache (one gateway, or Redis
behind many) refuses it outright.

Everything is in memory and synchronous; the time is always an argument, never read from a clock.
Storage sits behind `CacheStorage` (get/set/delete) so a Redis implementation can replace
`MemoryCacheStorage` later. The semantic layer (`mecrouter.agents.semantic_cache`) builds on the
types and the prompt normalisation defined here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from mecrouter.types import ComputeTier, Message, PrivacyLevel

__all__ = [
    "CacheEntry",
    "CacheLocation",
    "CacheStats",
    "CacheStorage",
    "CachedResponse",
    "MemoryCacheStorage",
    "ResponseCache",
    "cache_key",
    "normalise_prompt",
]

CacheLocation = Literal["shared", "device"]

_WHITESPACE = re.compile(r"\s+")
_KEY_VERSION = "v2"  # bump when the key recipe changes so old entries are never misread


def normalise_prompt(text: str) -> str:
    """Casefold, collapse whitespace runs and strip, so trivially different prompts share a key."""
    return _WHITESPACE.sub(" ", text.casefold()).strip()


def cache_key(
    prompt: str | Sequence[Message] | Sequence[Mapping[str, str]],
    model: str = "auto",
    temperature: float | None = None,
    max_tokens: int | None = None,
    *,
    options: Mapping[str, object] | None = None,
    partition: str = "",
) -> str:
    """The sha256 key of everything that shapes the answer, in its partition (pure).

    ``prompt`` is either the prompt text or the chat messages; message roles are kept because the
    same words as system prompt and as user turn are different requests. ``options`` are the
    other answer-shaping fields given (seed, stop, tools, tool_choice, response_format), as JSON
    values; absent and None are the same. ``partition`` names whose entries these are.
    """
    if isinstance(prompt, str):
        body: object = normalise_prompt(prompt)
    else:
        body = [_message_pair(m) for m in prompt]
    given = sorted((k, v) for k, v in (options or {}).items() if v is not None)
    material = json.dumps(
        [_KEY_VERSION, partition, body, model, temperature, max_tokens, given],
        ensure_ascii=False,
        sort_keys=True,
        default=repr,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _message_pair(message: Message | Mapping[str, str]) -> list[str]:
    if isinstance(message, Message):
        return [message.role, normalise_prompt(message.content)]
    return [message.get("role", "user"), normalise_prompt(message.get("content", ""))]


@dataclass(slots=True, frozen=True)
class CachedResponse:
    """An answer worth replaying: what was said, by whom, and what it cost in tokens."""

    text: str
    model: str
    tier: ComputeTier
    endpoint: str
    input_tokens: int
    output_tokens: int
    created_at: float


@dataclass(slots=True, frozen=True)
class CacheEntry:
    """A stored response with its expiry and the privacy namespace it was stored under."""

    response: CachedResponse
    expires_at: float
    privacy: PrivacyLevel
    device_id: str = ""


@dataclass(slots=True)
class CacheStats:
    """Counters of the response cache; ``misses`` includes expired and refused look-ups.

    ``hits``/``misses`` count exact look-ups; ``semantic_hits``/``semantic_misses`` count the
    semantic look-ups that follow an exact miss (their detail is in ``SemanticCache.stats``).
    """

    hits: int = 0
    misses: int = 0
    evictions: int = 0
    expired: int = 0
    refused_private: int = 0
    semantic_hits: int = 0
    semantic_misses: int = 0

    @property
    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


class CacheStorage(Protocol):
    """Where entries live. The in-memory default is below; a Redis one maps get/set/delete to
    GET/SET PX/DEL and leaves LRU to ``maxmemory-policy allkeys-lru``.

    ``get`` counts as a use for LRU purposes. ``set`` returns how many entries it evicted to make
    room (an implementation that cannot tell returns 0).
    """

    def get(self, key: str) -> CacheEntry | None: ...

    def set(self, key: str, entry: CacheEntry) -> int: ...

    def delete(self, key: str) -> None: ...


class MemoryCacheStorage:
    """A bounded LRU map (an ``OrderedDict``: most recently used at the end)."""

    __slots__ = ("_entries", "_max_entries")

    def __init__(self, max_entries: int) -> None:
        self._entries: OrderedDict[str, CacheEntry] = OrderedDict()
        self._max_entries = max_entries

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> CacheEntry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def set(self, key: str, entry: CacheEntry) -> int:
        if self._max_entries <= 0:
            return 0
        self._entries[key] = entry
        self._entries.move_to_end(key)
        evicted = 0
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
            evicted += 1
        return evicted

    def delete(self, key: str) -> None:
        self._entries.pop(key, None)


class ResponseCache:
    """Exact look-ups with expiry, LRU bounds and the privacy namespaces, counted in `stats`.

    ``location="device"`` makes a device-local cache, the only kind that may keep private answers.
    """

    def __init__(
        self,
        *,
        ttl_s: float,
        max_entries: int,
        location: CacheLocation = "shared",
        storage: CacheStorage | None = None,
    ) -> None:
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._location: CacheLocation = location
        self._storage = storage if storage is not None else MemoryCacheStorage(max_entries)
        self.stats = CacheStats()

    @property
    def location(self) -> CacheLocation:
        return self._location

    @property
    def ttl_s(self) -> float:
        return self._ttl_s

    def lookup(
        self, key: str, *, privacy: PrivacyLevel, device_id: str, now: float
    ) -> CachedResponse | None:
        """The live cached answer for ``key`` visible to this request, or None."""
        storage_key = self._storage_key(key, privacy, device_id)
        if storage_key is None:
            self.stats.refused_private += 1
            self.stats.misses += 1
            return None
        entry = self._storage.get(storage_key)
        if entry is not None and entry.expires_at <= now:
            self._storage.delete(storage_key)
            self.stats.expired += 1
            entry = None
        if entry is None or not _visible(entry, privacy, device_id):
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        return entry.response

    def store(
        self,
        key: str,
        response: CachedResponse,
        *,
        privacy: PrivacyLevel,
        device_id: str,
        now: float,
    ) -> bool:
        """Keep ``response`` for ``ttl_s``; False when privacy or size forbids keeping it."""
        storage_key = self._storage_key(key, privacy, device_id)
        if storage_key is None:
            self.stats.refused_private += 1
            return False
        if self._max_entries <= 0:
            return False
        private = privacy >= PrivacyLevel.SENSITIVE
        entry = CacheEntry(response, now + self._ttl_s, privacy, device_id if private else "")
        self.stats.evictions += self._storage.set(storage_key, entry)
        return True

    def invalidate(self, key: str, *, privacy: PrivacyLevel, device_id: str) -> None:
        """Forget the entry this request would see (e.g. after a user flags a bad answer)."""
        storage_key = self._storage_key(key, privacy, device_id)
        if storage_key is not None:
            self._storage.delete(storage_key)

    def _storage_key(self, key: str, privacy: PrivacyLevel, device_id: str) -> str | None:
        """Private entries: a per-device key in a device cache, no key at all in a shared one."""
        if privacy < PrivacyLevel.SENSITIVE:
            return key
        if self._location != "device":
            return None
        return f"device:{device_id}:{key}"


def _visible(entry: CacheEntry, privacy: PrivacyLevel, device_id: str) -> bool:
    """A private entry is served only to its own device (defence in depth over the key)."""
    if entry.privacy < PrivacyLevel.SENSITIVE:
        return True
    return privacy >= PrivacyLevel.SENSITIVE and entry.device_id == device_id
