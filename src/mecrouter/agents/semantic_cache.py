"""The semantic layer of the response cache: serve an answer to a request that *means* the same.

The exact cache (`CacheAgent.lookup`) answers a repeated prompt; this layer answers a reworded
one. Each stored answer keeps the unit-length embedding of its prompt; a look-up takes the most
similar live entry (cosine = dot product) and serves it when the similarity reaches
``threshold``. The default comes from the study in `mecrouter.eval.cache_study` (train pairs only).

Isolation is structural: entries live in partitions keyed by (namespace, privacy level,
device), and a look-up only ever scans its own partition.

* ``namespace`` is the tenant (an API key id; ``""`` is the default tenant).
* An entry is visible only to requests of the *same* privacy level: a PUBLIC answer is not
  served to an INTERNAL request, nor the other way round.
* SENSITIVE-or-above entries are kept only by a device-local cache (``location="device"``) and
  only shown to the same ``device_id``; a shared cache refuses them, like the exact cache.

Two guards apply when the caller also passes the prompt ``text`` (the text it embedded):

* **answer guard** (`answer_guard`): a fingerprint of what decides the answer besides the
  meaning, the lettered options in order and the numbers. An entry only matches a request with
  the same fingerprint. Embeddings cannot tell a multiple-choice question from the same
  question with its options shuffled (cosine 0.9998 with all-MiniLM-L6-v2) though the right
  letter differs; no threshold separates them, the guard does.
* **small-edit guard**: the nearest entry is refused when its prompt differs from the request's
  in only 1..``max_edit_words`` words ("maximum" -> "minimum", Winogrande's twin sentences).
  Such pairs score 0.95-0.99, *above* most genuine rewordings, and their answers differ, so a
  threshold cannot catch them either. The cost: one-word rewordings ("because" -> "since") miss
  too. Only 32-bit hashes of the normalised words are kept, not the text.

Entries expire ``ttl_s`` after they were added (expired rows are never returned and are
reclaimed by the next look-up or add that meets them); at most ``max_entries`` are kept, least
recently used (added or served) evicted first. Equal similarities are broken by the smallest
key, so the answer never depends on slot layout.

Search is brute force: one float32 matrix per partition (grown by doubling, compacted when
mostly empty) times the query vector. Median look-up on this shared 2-core machine, 384
dimensions (`mecrouter.eval.cache_study.measure_lookup_ms`): 0.07-0.1 ms at 1k entries, 0.26-0.6
ms at 10k (up to 8 ms when OpenBLAS's second thread waits for a busy core), 9-16 ms at 100k,
where reading the 154 MB matrix bounds it. Fine up to ~10^5 entries per partition; beyond
that put an ANN index (HNSW, FAISS) behind the same methods.

Everything is in memory and synchronous; the time is an argument, never read from a clock.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import re
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final

import numpy as np
import numpy.typing as npt

from mecrouter.agents.response_cache import CachedResponse, CacheLocation, normalise_prompt
from mecrouter.errors import InvalidRequestError
from mecrouter.types import PrivacyLevel

__all__ = [
    "DEFAULT_MAX_EDIT_WORDS",
    "DEFAULT_THRESHOLD",
    "SemanticCache",
    "SemanticHit",
    "SemanticStats",
    "answer_guard",
]

# Both chosen by `mecrouter eval-cache --seed 1` (mecrouter.eval.cache_study) on look-up pairs built
# from the RouterBench *_train.csv files only: of the (max_edit_words, threshold) points where at
# most 1% of hard-negative look-ups and at most 1% of all served answers are wrong, the one that
# serves the most rewordings. Train: 83% of rewordings served, 0.24% of negatives and 0.98% of
# served answers wrong; held-out test pairs: 83%, 0.11% and 0.25%. Without the guards no
# threshold in 0.80-0.995 gets below 39% wrong negatives (shuffled options score ~0.9998).
DEFAULT_THRESHOLD: Final = 0.885
DEFAULT_MAX_EDIT_WORDS: Final = 6

F32 = npt.NDArray[np.float32]
_PartitionKey = tuple[str, PrivacyLevel, str]  # (namespace, privacy, device_id or "")
_Words = tuple[int, ...] | None  # crc32 of each normalised word; None when no text was given
_INITIAL_ROWS: Final = 16
_OPTION_LINE = re.compile(r"^\s*\(?([A-Ja-j])[).:]\s+(.*\S)\s*$")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def answer_guard(text: str) -> str:
    """A fingerprint of the answer-deciding details that embeddings blur; "" when none.

    It holds the lettered options in order (``A) ...``, ``(B) ...``, ``C. ...`` lines, letter
    and casefolded text) and the numbers outside them. A rewording keeps both; shuffled options
    or a changed quantity change it.
    """
    options: list[list[str]] = []
    rest: list[str] = []
    for line in text.splitlines():
        match = _OPTION_LINE.match(line)
        if match:
            text_of_option = _SPACES.sub(" ", match.group(2).casefold())
            options.append([match.group(1).upper(), text_of_option])
        else:
            rest.append(line)
    numbers = _NUMBER.findall("\n".join(rest))
    if not options and not numbers:
        return ""
    material = json.dumps([options, numbers], ensure_ascii=False)
    return hashlib.blake2b(material.encode("utf-8"), digest_size=16).hexdigest()


def _guards(text: str | None) -> tuple[int, _Words]:
    """The answer-guard code (0: none) and the word hashes of ``text``."""
    if text is None:
        return 0, None
    words = tuple(zlib.crc32(w.encode("utf-8")) for w in _WORD.findall(normalise_prompt(text)))
    guard = answer_guard(text)
    if not guard:
        return 0, words
    code = int.from_bytes(bytes.fromhex(guard)[:8], "little", signed=True)
    return code or 1, words


def _changed_words(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    """Words replaced, inserted or deleted to turn ``a`` into ``b`` (0: the same words)."""
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


@dataclass(frozen=True, slots=True)
class SemanticHit:
    """A served answer, how similar its prompt was to the request's, and its exact-cache key."""

    response: CachedResponse
    similarity: float
    key: str


@dataclass(slots=True)
class SemanticStats:
    """Counters of the semantic layer; ``misses`` includes refused look-ups."""

    hits: int = 0
    misses: int = 0
    expired: int = 0
    refused_private: int = 0
    refused_edit: int = 0  # the nearest entry was a small edit of the request (see module doc)
    evictions: int = 0

    @property
    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


class _Partition:
    """One (namespace, privacy, device) index: rows [0, used) of a matrix, some of them free."""

    __slots__ = (
        "expires_at",
        "free",
        "guards",
        "keys",
        "occupied",
        "responses",
        "slots",
        "used",
        "vectors",
        "words",
    )

    vectors: F32
    expires_at: npt.NDArray[np.float64]
    guards: npt.NDArray[np.int64]
    occupied: npt.NDArray[np.bool_]

    def __init__(self, dim: int, rows: int = _INITIAL_ROWS) -> None:
        self.keys: list[str] = []
        self.responses: list[CachedResponse | None] = []
        self.words: list[_Words] = []
        self.slots: dict[str, int] = {}
        self.free: list[int] = []  # a heap: the lowest free row is reused first
        self.used = 0
        self._allocate(dim, rows)

    def _allocate(self, dim: int, rows: int) -> None:
        self.vectors: F32 = np.zeros((rows, dim), dtype=np.float32)
        self.expires_at = np.full(rows, -np.inf)
        self.guards = np.zeros(rows, dtype=np.int64)
        self.occupied = np.zeros(rows, dtype=np.bool_)

    def __len__(self) -> int:
        return len(self.slots)

    def put(
        self,
        key: str,
        vector: F32,
        response: CachedResponse,
        expires_at: float,
        guards: tuple[int, _Words],
    ) -> None:
        row = self.slots.get(key)
        if row is None:
            row = self._take_row()
            self.slots[key] = row
        self.vectors[row] = vector
        self.expires_at[row] = expires_at
        self.guards[row], self.words[row] = guards
        self.occupied[row] = True
        self.keys[row] = key
        self.responses[row] = response

    def remove(self, key: str) -> bool:
        row = self.slots.pop(key, None)
        if row is None:
            return False
        self.occupied[row] = False
        self.expires_at[row] = -np.inf
        self.keys[row] = ""
        self.responses[row] = None
        self.words[row] = None
        heapq.heappush(self.free, row)
        if self.used > _INITIAL_ROWS and len(self.slots) * 4 < self.used:
            self._compact()
        return True

    def expired_keys(self, now: float) -> list[str]:
        rows = np.flatnonzero(self.occupied[: self.used] & (self.expires_at[: self.used] <= now))
        return [self.keys[int(r)] for r in rows]

    def nearest(self, query: F32, guard: int, now: float) -> tuple[int, float] | None:
        """The best live row with this guard and its similarity (ties: smallest key)."""
        n = self.used
        scores = self.vectors[:n] @ query
        usable = self.occupied[:n] & (self.expires_at[:n] > now) & (self.guards[:n] == guard)
        if not usable.any():
            return None
        scores = np.where(usable, scores, -np.inf)
        best = float(scores.max())
        tied = [int(r) for r in np.flatnonzero(scores == best)]
        return min(tied, key=self.keys.__getitem__), best

    def _take_row(self) -> int:
        if self.free:
            return heapq.heappop(self.free)
        if self.used == self.vectors.shape[0]:
            self._resize(2 * self.used)
        self.used += 1
        self.keys.append("")
        self.responses.append(None)
        self.words.append(None)
        return self.used - 1

    def _resize(self, rows: int) -> None:
        old = (self.vectors, self.expires_at, self.guards, self.occupied)
        self._allocate(self.vectors.shape[1], rows)
        n = self.used
        self.vectors[:n], self.expires_at[:n], self.guards[:n], self.occupied[:n] = (
            a[:n] for a in old
        )

    def _compact(self) -> None:
        """Pack the live rows to the front (in key order) so look-ups stop scanning holes."""
        rows = sorted(self.slots.items())
        keep = np.array([row for _, row in rows], dtype=np.intp)
        old = (self.vectors, self.expires_at, self.guards, self.occupied)
        responses = [self.responses[row] for _, row in rows]
        words = [self.words[row] for _, row in rows]
        self._allocate(self.vectors.shape[1], max(_INITIAL_ROWS, 2 * len(rows)))
        n = len(rows)
        self.vectors[:n], self.expires_at[:n], self.guards[:n], self.occupied[:n] = (
            a[keep] for a in old
        )
        self.keys = [key for key, _ in rows]
        self.responses = responses
        self.words = words
        self.slots = {key: i for i, (key, _) in enumerate(rows)}
        self.free = []
        self.used = n


class SemanticCache:
    """Nearest-neighbour answers per tenant and privacy partition, with TTL and an LRU bound.

    ``location="device"`` makes a device-local cache, the only kind that keeps SENSITIVE-or-above
    answers. Vectors are normalised on the way in; their dimension is fixed by the first add.
    ``max_edit_words=0`` turns the small-edit guard off. The layer ignores the requested model
    and sampling parameters: put them in ``namespace`` when answers must not cross them.
    """

    def __init__(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        ttl_s: float,
        max_entries: int,
        location: CacheLocation = "shared",
        max_edit_words: int = DEFAULT_MAX_EDIT_WORDS,
    ) -> None:
        if not -1.0 <= threshold <= 1.0:
            raise InvalidRequestError("threshold", f"must be a cosine in [-1, 1], got {threshold}")
        if ttl_s < 0 or max_entries < 0:
            raise InvalidRequestError("ttl_s/max_entries", "must not be negative")
        self.threshold = threshold
        self.stats = SemanticStats()
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._max_edit_words = max_edit_words
        self._location: CacheLocation = location
        self._dim: int | None = None
        self._partitions: dict[_PartitionKey, _Partition] = {}
        self._by_namespace: dict[str, set[_PartitionKey]] = {}
        self._lru: OrderedDict[tuple[_PartitionKey, str], None] = OrderedDict()

    @property
    def location(self) -> CacheLocation:
        return self._location

    def __len__(self) -> int:
        """Entries held, including expired ones not yet reclaimed."""
        return len(self._lru)

    def lookup(
        self,
        vector: npt.ArrayLike,
        *,
        namespace: str,
        privacy: PrivacyLevel,
        device_id: str,
        now: float,
        text: str | None = None,
    ) -> SemanticHit | None:
        """The live entry most similar to ``vector`` visible to this request, if close enough.

        ``text`` (the prompt that was embedded) switches the guards on; see the module doc.
        """
        pkey = self._partition_key(namespace, privacy, device_id)
        if pkey is None:
            self.stats.refused_private += 1
            self.stats.misses += 1
            return None
        partition = self._partitions.get(pkey)
        query = self._unit(vector) if partition is not None else None
        if partition is None or query is None:
            self.stats.misses += 1
            return None
        self._reclaim(pkey, partition, now)
        code, words = _guards(text)
        found = partition.nearest(query, code, now) if len(partition) else None
        if found is None or found[1] < self.threshold:
            self.stats.misses += 1
            return None
        row, similarity = found
        if self._small_edit(words, partition.words[row]):
            self.stats.refused_edit += 1
            self.stats.misses += 1
            return None
        key = partition.keys[row]
        response = partition.responses[row]
        assert response is not None  # an occupied row always holds its response
        self._lru.move_to_end((pkey, key))
        self.stats.hits += 1
        return SemanticHit(response, min(similarity, 1.0), key)

    def add(
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
        """Keep ``response`` for ``ttl_s`` under ``key``; False when privacy or size forbids it.

        ``text`` is the prompt that was embedded (needed for the guards to protect this entry).
        """
        pkey = self._partition_key(namespace, privacy, device_id)
        if pkey is None:
            self.stats.refused_private += 1
            return False
        unit = self._unit(vector)
        if self._max_entries <= 0 or unit is None:
            return False
        partition = self._partitions.get(pkey)
        if partition is None:
            partition = self._partitions[pkey] = _Partition(unit.size)
            self._by_namespace.setdefault(namespace, set()).add(pkey)
        else:
            self._reclaim(pkey, partition, now)
        lru_key = (pkey, key)
        if lru_key not in self._lru:
            while len(self._lru) >= self._max_entries:
                self._evict_oldest()
        partition.put(key, unit, response, now + self._ttl_s, _guards(text))
        self._lru[lru_key] = None
        self._lru.move_to_end(lru_key)
        return True

    def invalidate(self, key: str, *, namespace: str) -> None:
        """Forget ``key`` in every partition of ``namespace`` (all privacy levels and devices)."""
        for pkey in list(self._by_namespace.get(namespace, ())):
            self._remove(pkey, key)

    # ---------------------------------------------------------------- internals

    def _partition_key(
        self, namespace: str, privacy: PrivacyLevel, device_id: str
    ) -> _PartitionKey | None:
        if privacy < PrivacyLevel.SENSITIVE:
            return (namespace, privacy, "")
        if self._location != "device":
            return None
        return (namespace, privacy, device_id)

    def _small_edit(self, request: _Words, cached: _Words) -> bool:
        if request is None or cached is None or self._max_edit_words <= 0:
            return False
        return 0 < _changed_words(request, cached) <= self._max_edit_words

    def _unit(self, vector: npt.ArrayLike) -> F32 | None:
        """``vector`` as float32 of unit length; None for a zero or non-finite vector."""
        arr = np.asarray(vector, dtype=np.float32).reshape(-1)
        if self._dim is None:
            self._dim = arr.size
        elif arr.size != self._dim:
            raise InvalidRequestError("vector", f"expected {self._dim} dimensions, got {arr.size}")
        norm = float(np.linalg.norm(arr))
        if not np.isfinite(norm) or norm == 0.0:
            return None
        unit: F32 = arr / np.float32(norm)
        return unit

    def _reclaim(self, pkey: _PartitionKey, partition: _Partition, now: float) -> None:
        for key in partition.expired_keys(now):
            self._remove(pkey, key)
            self.stats.expired += 1

    def _evict_oldest(self) -> None:
        pkey, key = next(iter(self._lru))
        self._remove(pkey, key)
        self.stats.evictions += 1

    def _remove(self, pkey: _PartitionKey, key: str) -> None:
        self._lru.pop((pkey, key), None)
        partition = self._partitions.get(pkey)
        if partition is None or not partition.remove(key):
            return
        if not len(partition):
            del self._partitions[pkey]
            keys = self._by_namespace[pkey[0]]
            keys.discard(pkey)
            if not keys:
                del self._by_namespace[pkey[0]]
