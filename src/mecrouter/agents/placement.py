"""The model placement book of the MEC nodes: which model is hot, warm or cold where.

A model is hot on a node when it is loaded in the node's GPU memory, warm when it is deployable
there (costing its ``load_time_s``), cold when it is not deployable (not configured there, or
larger than the node). The book decides loads and evictions from usage. Everything is in memory
and synchronous; the time is always an argument, never read from a clock, so the simulator and the
gateway make the same decisions.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from mecrouter.config import Config, EndpointConfig
from mecrouter.types import ComputeTier

__all__ = [
    "CacheStrategy",
    "DeploymentStatus",
    "ModelState",
    "NodeModel",
    "PlacementBook",
]

NodeModel = tuple[str, str]


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


class PlacementBook:
    """Hot/warm/cold models per MEC node of one config, with their usage, pins and misses.

    ``now`` is the time the configured initial hot set counts as loaded.
    """

    def __init__(self, config: Config, now: float = 0.0) -> None:
        self._nodes = _build_books(config, now)
        self._pinned: set[NodeModel] = set()
        self._uses: Counter[NodeModel] = Counter()
        self._last_used: dict[NodeModel, float] = {}
        self._misses: Counter[NodeModel] = Counter()
        self._clock = now

    # ---------------------------------------------------------------- queries

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

    def snapshot(self) -> dict[str, list[dict[str, object]]]:
        """Per MEC node, each model it may run: its state (hot, warm), memory, uses and misses;
        what an operator's dashboard shows (a model a node cannot run is cold there)."""
        out: dict[str, list[dict[str, object]]] = {}
        for node_id, node in sorted(self._nodes.items()):
            out[node_id] = [
                {
                    "model": model,
                    "state": str(self.model_state(node_id, model)),
                    "memory_gb": spec.memory_gb,
                    "load_time_s": spec.load_time_s,
                    "uses": self._uses[node_id, model],
                    "misses": self._misses[node_id, model],
                }
                for model, spec in sorted(node.deployable.items())
            ]
        return out

    def miss_counts(self) -> dict[NodeModel, int]:
        """Requests that wanted (node, model) hot and found it not loaded."""
        return dict(self._misses)

    def usage_counts(self) -> dict[NodeModel, int]:
        return dict(self._uses)

    # ---------------------------------------------------------------- bookkeeping

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

    # ---------------------------------------------------------------- decisions

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
        time this book has been told.
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
                    _evict(node, model)
                    evicted.append((nid, model))
        return evicted

    # ---------------------------------------------------------------- internals

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
            _evict(node, victim)
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


def _evict(node: _NodeBook, model: str) -> None:
    node.hot.pop(model, None)
    node.ready_at.pop(model, None)


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
