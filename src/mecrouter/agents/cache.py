"""CacheAgent: the response cache and the model placement book of the MEC nodes.

Two jobs that share one question, "what can be answered without new work?":

* The **response cache** answers a repeated request without inference. Its key is a pure
  function of what shapes the answer (normalised prompt, requested model, temperature,
  max_tokens). Entries expire after ``config.cache_ttl_s`` and the cache holds at most
  ``config.cache_max_entries`` (least recently used goes first). Private data (privacy >=
  SENSITIVE) is only ever kept by a device-local cache, in the requesting device's namespace:
  a shared cache (one gateway, or Redis behind many) refuses it outright.
* The **placement book** tracks which model is hot (in GPU memory), warm (deployable, costing its
  ``load_time_s``) or cold (not deployable: not configured there, or larger than the node) on
  each MEC node, and decides loads and evictions from usage.

Everything is in memory and synchronous; the time is always an argument, never read from a clock,
so the simulator and the gateway make the same decisions. Storage sits behind `CacheStorage`
(get/set/delete) so a Redis implementation can replace `MemoryCacheStorage` later.

An optional semantic layer (`mecrouter.agents.semantic_cache.SemanticCache`) answers reworded
prompts: the caller tries `lookup` (exact) first, then `lookup_similar` with the prompt's
embedding; the agent only delegates and counts.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from mecrouter.config import Config, EndpointConfig
from mecrouter.errors import ConfigError
from mecrouter.types import ComputeTier, Message, PrivacyLevel

if TYPE_CHECKING:
    import numpy.typing as npt

    from mecrouter.agents.semantic_cache import SemanticCache, SemanticHit

__all__ = [
    "CacheAgent",
    "CacheEntry",
    "CacheStats",
    "CacheStorage",
    "CacheStrategy",
    "CachedResponse",
    "DeploymentStatus",
    "MemoryCacheStorage",
    "ModelState",
    "cache_key",
    "normalise_prompt",
]

CacheLocation = Literal["shared", "device"]
NodeModel = tuple[str, str]

_WHITESPACE = re.compile(r"\s+")
_KEY_VERSION = "v1"  # bump when the key recipe changes so old entries are never misread


# --------------------------------------------------------------------------- response cache


def normalise_prompt(text: str) -> str:
    """Casefold, collapse whitespace runs and strip, so trivially different prompts share a key."""
    return _WHITESPACE.sub(" ", text.casefold()).strip()


def cache_key(
    prompt: str | Sequence[Message] | Sequence[Mapping[str, str]],
    model: str = "auto",
    temperature: float | None = None,
    max_tokens: int | None = None,
) -> str:
    """The sha256 key of everything that shapes the answer (pure).

    ``prompt`` is either the prompt text or the chat messages; message roles are kept because the
    same words as system prompt and as user turn are different requests.
    """
    if isinstance(prompt, str):
        body: object = normalise_prompt(prompt)
    else:
        body = [_message_pair(m) for m in prompt]
    material = json.dumps([_KEY_VERSION, body, model, temperature, max_tokens], ensure_ascii=False)
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


# --------------------------------------------------------------------------- placement types


class ModelState(enum.StrEnum):
    HOT = "hot"  # loaded in the node's GPU memory: serves now
    WARM = "warm"  # configured on the node and fits: serves after its load time
    COLD = "cold"  # not deployable on this node: lives in the cloud


@dataclass(slots=True, frozen=True)
class DeploymentStatus:
    """The outcome of a deploy: whether the model is hot now, what it cost and what it displaced.

    ``load_time_s`` is 0 when the model was already hot; ``ready_at`` is when it can serve.
    """

    node_id: str
    model: str
    deployed: bool
    state: ModelState
    load_time_s: float = 0.0
    ready_at: float = 0.0
    evicted: tuple[str, ...] = ()
    reason: str = ""


@dataclass(slots=True, frozen=True)
class CacheStrategy:
    """Which models should be hot per node, and the loads and evictions that get there."""

    hot: dict[str, tuple[str, ...]]
    to_load: tuple[NodeModel, ...] = ()
    to_evict: tuple[NodeModel, ...] = ()


@dataclass(slots=True, frozen=True)
class _Deployable:
    memory_gb: float
    load_time_s: float


@dataclass(slots=True)
class _NodeBook:
    """One node: its capacity, what it may run, and what is loaded (in load order)."""

    memory_gb: float
    deployable: dict[str, _Deployable]
    hot: dict[str, float] = field(default_factory=dict)  # model -> loaded_at
    ready_at: dict[str, float] = field(default_factory=dict)

    def used_gb(self) -> float:
        return sum(self.deployable[m].memory_gb for m in self.hot)


# --------------------------------------------------------------------------- the agent


class CacheAgent:
    """Response cache plus model placement book for the MEC nodes of one config.

    ``location="device"`` makes a device-local cache, the only kind that may keep private
    answers. ``now`` is the time the initial hot set counts as loaded.
    """

    def __init__(
        self,
        config: Config,
        *,
        location: CacheLocation = "shared",
        storage: CacheStorage | None = None,
        now: float = 0.0,
        semantic: SemanticCache | None = None,
    ) -> None:
        if semantic is not None and semantic.location != location:
            raise ConfigError(
                "cache", f"semantic layer location {semantic.location!r} != cache's {location!r}"
            )
        self._semantic = semantic
        self._ttl_s = config.cache_ttl_s
        self._max_entries = config.cache_max_entries
        self._location: CacheLocation = location
        self._storage = storage if storage is not None else MemoryCacheStorage(self._max_entries)
        self.stats = CacheStats()
        self._nodes = _build_books(config, now)
        self._pinned: set[NodeModel] = set()
        self._uses: Counter[NodeModel] = Counter()
        self._last_used: dict[NodeModel, float] = {}
        self._misses: Counter[NodeModel] = Counter()
        self._clock = now

    cache_key = staticmethod(cache_key)

    @property
    def location(self) -> CacheLocation:
        return self._location

    @property
    def semantic(self) -> SemanticCache | None:
        return self._semantic

    # ---------------------------------------------------------------- response cache

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
        """Keep ``response`` for ``cache_ttl_s``; False when privacy or size forbids keeping it."""
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

    def lookup_similar(
        self,
        vector: npt.ArrayLike,
        *,
        namespace: str,
        privacy: PrivacyLevel,
        device_id: str,
        now: float,
        text: str | None = None,
    ) -> SemanticHit | None:
        """The semantic layer's answer for a prompt embedding (None without a semantic layer).

        Pass the embedded prompt as ``text`` so the layer's guards apply (see `SemanticCache`).
        """
        if self._semantic is None:
            return None
        hit = self._semantic.lookup(
            vector, namespace=namespace, privacy=privacy, device_id=device_id, now=now, text=text
        )
        if hit is None:
            self.stats.semantic_misses += 1
        else:
            self.stats.semantic_hits += 1
        return hit

    def store_similar(
        self,
        vector: npt.ArrayLike,
        key: str,
        response: CachedResponse,
        *,
        namespace: str,
        privacy: PrivacyLevel,
        device_id: str,
        now: float,
        text: str | None = None,
    ) -> bool:
        """Index ``response`` under its prompt embedding; False without a layer or when refused."""
        if self._semantic is None:
            return False
        return self._semantic.add(
            vector,
            key,
            response,
            namespace=namespace,
            privacy=privacy,
            device_id=device_id,
            now=now,
            text=text,
        )

    def invalidate_similar(self, key: str, *, namespace: str) -> None:
        """Drop ``key`` from the semantic layer too: a flagged answer must not return reworded."""
        if self._semantic is not None:
            self._semantic.invalidate(key, namespace=namespace)

    def _storage_key(self, key: str, privacy: PrivacyLevel, device_id: str) -> str | None:
        """Private entries: a per-device key in a device cache, no key at all in a shared one."""
        if privacy < PrivacyLevel.SENSITIVE:
            return key
        if self._location != "device":
            return None
        return f"device:{device_id}:{key}"

    # ---------------------------------------------------------------- placement: queries

    def is_hot(self, node_id: str, model: str) -> bool:
        node = self._nodes.get(node_id)
        return node is not None and model in node.hot

    def hot_models(self, node_id: str) -> tuple[str, ...]:
        node = self._nodes.get(node_id)
        return tuple(node.hot) if node is not None else ()

    def model_state(self, node_id: str, model: str) -> ModelState:
        node = self._nodes.get(node_id)
        if node is None or model not in node.deployable:
            return ModelState.COLD
        return ModelState.HOT if model in node.hot else ModelState.WARM

    def load_time_s(self, node_id: str, model: str) -> float | None:
        """Seconds before ``model`` can serve on ``node_id``: 0 hot, load time warm, None cold
        (`model_state`, inlined: the router asks this for every MEC endpoint of every request)."""
        node = self._nodes.get(node_id)
        if node is None:
            return None
        deployable = node.deployable.get(model)
        if deployable is None:
            return None
        return 0.0 if model in node.hot else deployable.load_time_s

    def memory_used_gb(self, node_id: str) -> float:
        node = self._nodes.get(node_id)
        return node.used_gb() if node is not None else 0.0

    def miss_counts(self) -> dict[NodeModel, int]:
        """Requests that wanted (node, model) hot and found it not loaded."""
        return dict(self._misses)

    def usage_counts(self) -> dict[NodeModel, int]:
        return dict(self._uses)

    # ---------------------------------------------------------------- placement: bookkeeping

    def record_use(self, node_id: str, model: str, now: float) -> None:
        self._uses[(node_id, model)] += 1
        self._last_used[(node_id, model)] = now
        self._clock = max(self._clock, now)

    def record_miss(self, node_id: str, model: str) -> None:
        self._misses[(node_id, model)] += 1

    def pin(self, node_id: str, model: str) -> None:
        """Never evict ``model`` from ``node_id`` (it must be loaded explicitly)."""
        self._pinned.add((node_id, model))

    def unpin(self, node_id: str, model: str) -> None:
        self._pinned.discard((node_id, model))

    # ---------------------------------------------------------------- placement: decisions

    def deploy_model(self, model_id: str, node_id: str, now: float) -> DeploymentStatus:
        """Load ``model_id`` on ``node_id``, evicting least-used unpinned hot models if needed."""
        return self._deploy(model_id, node_id, now, protected=frozenset())

    def manage_cache_strategy(self, usage: Mapping[NodeModel, int]) -> CacheStrategy:
        """Plan the hot set per node: pinned models, then the most used that fit (pure).

        A hot model nobody used stays if memory is left over (evicting it buys nothing); a
        warm model nobody used is not loaded.
        """
        hot: dict[str, tuple[str, ...]] = {}
        to_load: list[NodeModel] = []
        to_evict: list[NodeModel] = []
        for node_id, node in self._nodes.items():
            plan = self._plan_node(node_id, node, usage)
            hot[node_id] = plan
            to_load.extend((node_id, m) for m in plan if m not in node.hot)
            to_evict.extend((node_id, m) for m in node.hot if m not in plan)
        return CacheStrategy(hot, tuple(to_load), tuple(to_evict))

    def preload_models(
        self, predictions: Sequence[tuple[str, str, float]], *, now: float | None = None
    ) -> list[DeploymentStatus]:
        """Load predicted models, highest expected demand first (one status per prediction).

        A model loaded or found hot here is protected for the rest of the call, so a less
        demanded prediction never evicts a more demanded one. ``now`` defaults to the latest
        time this agent has been told.
        """
        at = self._clock if now is None else now
        protected: set[NodeModel] = set()
        out: list[DeploymentStatus] = []
        for node_id, model, expected in sorted(predictions, key=lambda p: -p[2]):
            if expected <= 0:
                out.append(self._status(node_id, model, False, reason="no demand predicted"))
                continue
            status = self._deploy(model, node_id, at, protected=frozenset(protected))
            if status.deployed:
                protected.add((node_id, model))
            out.append(status)
        return out

    def cleanup_unused_models(
        self, node_id: str | None, now: float, idle_s: float
    ) -> list[NodeModel]:
        """Evict unpinned hot models unused for ``idle_s`` (on one node, or all when None)."""
        self._clock = max(self._clock, now)
        node_ids = list(self._nodes) if node_id is None else [node_id]
        evicted: list[NodeModel] = []
        for nid in node_ids:
            node = self._nodes.get(nid)
            if node is None:
                continue
            for model, loaded_at in list(node.hot.items()):
                last = max(loaded_at, self._last_used.get((nid, model), loaded_at))
                if (nid, model) not in self._pinned and now - last >= idle_s:
                    self._evict(node, model)
                    evicted.append((nid, model))
        return evicted

    # ---------------------------------------------------------------- placement: internals

    def _deploy(
        self, model: str, node_id: str, now: float, *, protected: frozenset[NodeModel]
    ) -> DeploymentStatus:
        self._clock = max(self._clock, now)
        node = self._nodes.get(node_id)
        if node is None:
            return self._status(node_id, model, False, reason=f"unknown MEC node {node_id!r}")
        spec = node.deployable.get(model)
        if spec is None:
            return self._status(node_id, model, False, reason="cold: not deployable on this node")
        if model in node.hot:
            return self._status(node_id, model, True, ready_at=node.ready_at.get(model, now))
        victims = self._victims(node_id, node, spec.memory_gb, protected)
        if victims is None:
            return self._status(
                node_id, model, False, reason="does not fit: pinned or protected models hold memory"
            )
        for victim in victims:
            self._evict(node, victim)
        node.hot[model] = now
        node.ready_at[model] = now + spec.load_time_s
        return DeploymentStatus(
            node_id,
            model,
            True,
            ModelState.HOT,
            load_time_s=spec.load_time_s,
            ready_at=now + spec.load_time_s,
            evicted=tuple(victims),
        )

    def _victims(
        self, node_id: str, node: _NodeBook, need_gb: float, protected: frozenset[NodeModel]
    ) -> list[str] | None:
        """Least-used evictable hot models whose removal frees ``need_gb``; None if impossible."""
        free_gb = node.memory_gb - node.used_gb()
        candidates = [
            m
            for m in node.hot
            if (node_id, m) not in self._pinned and (node_id, m) not in protected
        ]
        candidates.sort(
            key=lambda m: (self._uses[(node_id, m)], self._last_used.get((node_id, m), -1.0))
        )
        victims: list[str] = []
        for model in candidates:
            if free_gb >= need_gb:
                break
            victims.append(model)
            free_gb += node.deployable[model].memory_gb
        return victims if free_gb >= need_gb else None

    def _plan_node(
        self, node_id: str, node: _NodeBook, usage: Mapping[NodeModel, int]
    ) -> tuple[str, ...]:
        def rank(model: str) -> tuple[bool, int, bool, str]:
            key = (node_id, model)
            return (key not in self._pinned, -usage.get(key, 0), model not in node.hot, model)

        plan: list[str] = []
        free_gb = node.memory_gb
        for model in sorted(node.deployable, key=rank):
            key = (node_id, model)
            wanted = key in self._pinned or usage.get(key, 0) > 0 or model in node.hot
            size = node.deployable[model].memory_gb
            if wanted and size <= free_gb:
                plan.append(model)
                free_gb -= size
        return tuple(plan)

    def _evict(self, node: _NodeBook, model: str) -> None:
        node.hot.pop(model, None)
        node.ready_at.pop(model, None)

    def _status(
        self, node_id: str, model: str, deployed: bool, *, ready_at: float = 0.0, reason: str = ""
    ) -> DeploymentStatus:
        return DeploymentStatus(
            node_id,
            model,
            deployed,
            self.model_state(node_id, model),
            ready_at=ready_at,
            reason=reason,
        )


def _visible(entry: CacheEntry, privacy: PrivacyLevel, device_id: str) -> bool:
    """A private entry is served only to its own device (defence in depth over the key)."""
    if entry.privacy < PrivacyLevel.SENSITIVE:
        return True
    return privacy >= PrivacyLevel.SENSITIVE and entry.device_id == device_id


def _build_books(config: Config, now: float) -> dict[str, _NodeBook]:
    """One book per MEC node: its MEC endpoints that fit are deployable; the configured hot
    models are loaded in order while memory lasts."""
    books: dict[str, _NodeBook] = {}
    for node_cfg in config.mec_nodes:
        deployable = {
            ep.model: _Deployable(ep.memory_gb, ep.load_time_s)
            for ep in _mec_endpoints(config, node_cfg.id)
            if ep.memory_gb <= node_cfg.memory_gb
        }
        book = _NodeBook(node_cfg.memory_gb, deployable)
        for model in node_cfg.hot_models:
            spec = deployable.get(model)
            if spec is not None and book.used_gb() + spec.memory_gb <= book.memory_gb:
                book.hot[model] = now
                book.ready_at[model] = now
        books[node_cfg.id] = book
    return books


def _mec_endpoints(config: Config, node_id: str) -> Iterable[EndpointConfig]:
    return (ep for ep in config.endpoints if ep.tier is ComputeTier.MEC and ep.node == node_id)
