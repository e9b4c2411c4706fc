"""API keys for the HTTP gateway: who may call, how often, and how much they may spend.

``KeyStore`` keeps keys in a SQLite file shared by the gateway workers and the CLI. Every request
verifies its key, so ``verify`` answers from an in-memory mirror of the table and looks at the file
again (``PRAGMA data_version``, one cheap read) at most once a second: a ``revoke`` run by the CLI
takes effect on a running gateway within about a second. Spend is counted in memory at once, so a
budget check sees it immediately, and written in batches, so the hot path does not take the
database's write lock on every request.

Only the SHA-256 of a secret is stored. Passwords need a slow, salted KDF (bcrypt, scrypt,
argon2) because people pick them from a small space an attacker can enumerate. Our secrets are 256
random bits from ``secrets``: finding one from its hash is 2**256 work however fast the hash is,
so a slow KDF buys no safety, while it would cost milliseconds of CPU on every request and hand
attackers a cheap way to burn it. A salt is pointless for the same reason (no precomputed table
can cover random 256-bit values), and an unsalted hash can be looked up by index. This is how
GitHub and Stripe store their tokens; a stolen key file yields no usable key.

A key may be an admin key (``keys create --admin``), which may read every key's decisions, and
may belong to a tenant (``--tenant``), whose keys can share one response-cache partition.

``RateLimiter`` is a token bucket per key; ``budget_exceeded`` compares a key's spend with its
budget. Both are pure in-memory checks, cheap enough for the event loop; `gateway.shared` holds
them across replicas.
"""

from __future__ import annotations

import builtins
import dataclasses
import hashlib
import hmac
import math
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Final, TypeVar

from mecrouter.errors import InvalidRequestError, StoreError
from mecrouter.stores.sqlite_tx import connect_wal, immediate, retry_busy

__all__ = [
    "KEY_ID_PREFIX",
    "SECRET_PREFIX",
    "ApiKey",
    "KeyStore",
    "RateLimiter",
    "budget_exceeded",
    "hash_secret",
]

T = TypeVar("T")

SECRET_PREFIX: Final = "mk-"
"""Every secret starts with this, then the key id's hex part: ``mk-3f9a1c2b-<43 random chars>``."""
KEY_ID_PREFIX: Final = "mk_"
"""Public key ids look like ``mk_3f9a1c2b``; safe to log and list."""
_KEY_ID_HEX_BYTES: Final = 4  # mk_3f9a1c2b: short enough to read, collisions retried
_SECRET_BYTES: Final = 32  # 256 bits; token_urlsafe(32) is 43 characters
_MAX_SECRET_CHARS: Final = 200  # anything longer is not ours: refuse before hashing
_MAX_NAME_CHARS: Final = 100
_NEW_ID_ATTEMPTS: Final = 5
_REFRESH_INTERVAL_S: Final = 1.0
_FLUSH_INTERVAL_S: Final = 1.0
_FULL_REFILL_S: Final = 60.0  # any bucket refills completely within a minute

_SCHEMA: Final = """CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at REAL NOT NULL,
    revoked_at REAL,
    rpm_limit INTEGER,
    budget_usd REAL,
    spent_usd REAL NOT NULL DEFAULT 0,
    admin INTEGER NOT NULL DEFAULT 0,
    tenant TEXT
)"""
# Columns added since the first key files: (name, definition) for ALTER TABLE ADD COLUMN.
_ADDED_COLUMNS: Final = (("admin", "INTEGER NOT NULL DEFAULT 0"), ("tenant", "TEXT"))
_COLUMNS: Final = (
    "key_id, name, created_at, revoked_at, rpm_limit, budget_usd, spent_usd, admin, tenant"
)


def hash_secret(secret: str) -> str:
    """SHA-256 hex of a secret: what the key file stores (see the module docstring for why)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclasses.dataclass(frozen=True, slots=True)
class ApiKey:
    """One API key as shown to operators; it holds neither the secret nor its hash.

    ``spent_usd`` includes spend this process has counted but not yet written to the file.
    ``admin`` keys may read every key's decisions; ``tenant`` groups keys (None: its own).
    """

    key_id: str
    name: str
    created_at: float
    revoked_at: float | None
    rpm_limit: int | None
    budget_usd: float | None
    spent_usd: float
    admin: bool = False
    tenant: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def role(self) -> str:
        return "admin" if self.admin else "user"


class KeyStore:
    """API keys in one SQLite file, shared safely by gateway workers and the CLI.

    Methods are synchronous and thread-safe. ``verify``, ``add_spend`` and ``spent_usd`` are
    served from memory (touching the file at most once per second); ``create``, ``revoke``,
    ``list`` and ``get`` go to the file. ``close`` writes pending spend before closing.
    The once-a-second flush in ``add_spend`` may wait for the file's write lock, so an event
    loop should call ``add_spend``/``flush``/``close`` through ``asyncio.to_thread``.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], float] = time.time,
        busy_timeout_s: float = 5.0,
        retry_budget_s: float = 10.0,
    ) -> None:
        self.path = os.fspath(path)
        self._clock = clock
        self._retry_budget_s = retry_budget_s
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[str, ApiKey]] = {}  # key_id -> (key_hash, key)
        self._data_version = -1
        self._pending_usd: dict[str, float] = {}
        self._conn: sqlite3.Connection | None = self._guard(
            lambda: connect_wal(
                self.path,
                label="key store",
                busy_timeout_s=busy_timeout_s,
                retry_budget_s=retry_budget_s,
                setup=_create_schema,
            )
        )
        self._checked_at = self._flushed_at = clock()
        try:
            self._guard(self._reload_if_changed)
        except StoreError:
            self._conn.close()
            raise

    def __enter__(self) -> KeyStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def create(
        self,
        name: str,
        *,
        rpm_limit: int | None = None,
        budget_usd: float | None = None,
        admin: bool = False,
        tenant: str | None = None,
    ) -> tuple[str, ApiKey]:
        """Make a key; return its secret (shown this once, never stored) and its record."""
        _validate(name, rpm_limit, budget_usd)
        tenant = _tenant(tenant)
        with self._lock:
            conn = self._connection()
            draft = ApiKey(
                "", name.strip(), self._clock(), None, rpm_limit, budget_usd, 0.0, admin, tenant
            )
            for _ in range(_NEW_ID_ATTEMPTS):
                created = self._guard(lambda: _insert_new(conn, draft))
                if created is not None:
                    secret, key = created
                    self._cache[key.key_id] = (hash_secret(secret), key)
                    return secret, key
        raise StoreError(f"key store {self.path!r}: no free key id after {_NEW_ID_ATTEMPTS} tries")

    def list(self) -> builtins.list[ApiKey]:
        """Every key, revoked ones included, oldest first."""
        sql = f"SELECT {_COLUMNS} FROM api_keys ORDER BY created_at, key_id"
        with self._lock:
            conn = self._connection()
            rows = self._guard(lambda: conn.execute(sql).fetchall())
            return [self._with_pending(_row_to_key(row)) for row in rows]

    def get(self, key_id: str) -> ApiKey | None:
        sql = f"SELECT {_COLUMNS} FROM api_keys WHERE key_id = ?"
        with self._lock:
            conn = self._connection()
            row = self._guard(lambda: conn.execute(sql, (key_id,)).fetchone())
            return None if row is None else self._with_pending(_row_to_key(row))

    def revoke(self, key_id: str) -> ApiKey:
        """Revoke a key (again is fine: the first revocation time is kept)."""
        with self._lock:
            conn = self._connection()
            found = self._guard(lambda: _revoke(conn, key_id, self._clock()))
            if found is None:
                raise InvalidRequestError("key_id", f"no API key {key_id!r}")
            self._cache[key_id] = found
            return self._with_pending(found[1])

    def verify(self, secret: str) -> ApiKey | None:
        """The active key this secret belongs to, or None (unknown, malformed or revoked)."""
        key_id = _key_id_of(secret)
        if key_id is None:
            return None
        digest = hash_secret(secret)
        with self._lock:
            self._refresh_if_due()
            entry = self._cache.get(key_id)
            if entry is None or not hmac.compare_digest(entry[0], digest):
                return None
            key = entry[1]
            return self._with_pending(key) if key.active else None

    def revoked_ids(self) -> frozenset[str]:
        """The ids of the revoked keys, from memory (refreshed from the file once a second)."""
        with self._lock:
            self._refresh_if_due()
            return frozenset(k for k, (_, key) in self._cache.items() if not key.active)

    def add_spend(self, key_id: str, usd: float, *, autoflush: bool = True) -> None:
        """Count spend now; it reaches the file within a second or at ``close``/``flush``.

        The amount is counted before any write is tried: on ``StoreError`` it stays pending
        and is written by the next flush, so do not add it again. With ``autoflush=False``
        nothing is written here (an event loop calls ``flush`` from a thread instead).
        """
        if not math.isfinite(usd) or usd < 0:
            raise InvalidRequestError("usd", f"must be a finite amount >= 0, got {usd!r}")
        with self._lock:
            if key_id not in self._cache:
                self._guard(self._reload)  # perhaps created by another process a moment ago
            if key_id not in self._cache:
                raise InvalidRequestError("key_id", f"no API key {key_id!r}")
            self._pending_usd[key_id] = self._pending_usd.get(key_id, 0.0) + usd
            if autoflush and _due(self._clock(), self._flushed_at, _FLUSH_INTERVAL_S):
                self._flush_locked()

    def spent_usd(self, key_id: str) -> float:
        """Spend written by every process (as of the last refresh) plus this one's pending."""
        with self._lock:
            self._refresh_if_due()
            entry = self._cache.get(key_id)
            if entry is None:
                raise InvalidRequestError("key_id", f"no API key {key_id!r}")
            return entry[1].spent_usd + self._pending_usd.get(key_id, 0.0)

    def flush(self) -> None:
        """Write pending spend in one transaction."""
        with self._lock:
            self._flush_locked()

    def close(self) -> None:
        """Write pending spend, then close. If that write fails the store stays open."""
        with self._lock:
            if self._conn is None:
                return
            self._flush_locked()
            conn, self._conn = self._conn, None
            self._guard(conn.close)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"key store {self.path!r} is closed")
        return self._conn

    def _guard(self, work: Callable[[], T]) -> T:
        try:
            return retry_busy(work, self._retry_budget_s)
        except sqlite3.Error as exc:
            raise StoreError(f"key store {self.path!r}: {exc}") from exc

    def _with_pending(self, key: ApiKey) -> ApiKey:
        pending = self._pending_usd.get(key.key_id, 0.0)
        return dataclasses.replace(key, spent_usd=key.spent_usd + pending) if pending else key

    def _refresh_if_due(self) -> None:
        now = self._clock()
        if _due(now, self._checked_at, _REFRESH_INTERVAL_S):
            self._checked_at = now
            self._guard(self._reload_if_changed)

    def _reload_if_changed(self) -> None:
        # data_version moves only when *another* connection commits; our own writes update
        # the cache directly.
        version = int(self._connection().execute("PRAGMA data_version").fetchone()[0])
        if version != self._data_version:
            self._reload()
            self._data_version = version

    def _reload(self) -> None:
        sql = f"SELECT key_hash, {_COLUMNS} FROM api_keys"
        rows = self._connection().execute(sql).fetchall()
        self._cache = {row[1]: (str(row[0]), _row_to_key(row[1:])) for row in rows}

    def _flush_locked(self) -> None:
        self._flushed_at = self._clock()  # a failing file is retried once a second, not per call
        if not self._pending_usd:
            return
        items = sorted(self._pending_usd.items())
        conn = self._connection()
        self._guard(lambda: _apply_spend(conn, items))
        self._pending_usd = {}
        for key_id, usd in items:
            if key_id in self._cache:
                key_hash, key = self._cache[key_id]
                key = dataclasses.replace(key, spent_usd=key.spent_usd + usd)
                self._cache[key_id] = (key_hash, key)


def budget_exceeded(key: ApiKey, spent_usd: float) -> bool:
    """Whether `spent_usd` (the key file's written plus pending spend, or what every replica
    spent) reaches the key's budget."""
    return key.budget_usd is not None and spent_usd >= key.budget_usd


@dataclasses.dataclass(slots=True)
class _Bucket:
    tokens: float
    updated_at: float


class RateLimiter:
    """A token bucket per key: bursts of up to ``rpm_limit`` requests, refilled at rpm/60 per s.

    A bucket idle for a minute is full again, exactly like a new one, so dropping it changes
    nothing; that is done whenever the table grows past ``max_buckets`` (and past twice its size
    after the last sweep, so sweeps cost O(1) per call on average).
    """

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, *, max_buckets: int = 10_000
    ) -> None:
        self._clock = clock
        self._max_buckets = max_buckets
        self._sweep_above = max_buckets
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many buckets are held."""
        return len(self._buckets)

    def check(self, key_id: str, rpm_limit: int | None) -> float | None:
        """Take a token: None if allowed, else the seconds until one is free (Retry-After)."""
        if rpm_limit is None:
            return None
        if rpm_limit <= 0:
            raise InvalidRequestError("rpm_limit", f"must be > 0, got {rpm_limit}")
        capacity = float(rpm_limit)
        refill_per_s = capacity / 60.0
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key_id)
            if bucket is None:
                self._sweep_if_large(now)
                bucket = self._buckets[key_id] = _Bucket(capacity, now)
            elapsed_s = max(0.0, now - bucket.updated_at)
            bucket.tokens = min(capacity, bucket.tokens + elapsed_s * refill_per_s)
            bucket.updated_at = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return None
            return (1.0 - bucket.tokens) / refill_per_s

    def _sweep_if_large(self, now: float) -> None:
        if len(self._buckets) < self._sweep_above:
            return
        self._buckets = {
            key_id: bucket
            for key_id, bucket in self._buckets.items()
            if now - bucket.updated_at < _FULL_REFILL_S
        }
        self._sweep_above = max(self._max_buckets, 2 * len(self._buckets))


def _due(now: float, last: float, interval_s: float) -> bool:
    return now - last >= interval_s or now < last  # a clock set back counts as due


def _validate(name: str, rpm_limit: int | None, budget_usd: float | None) -> None:
    if not name.strip():
        raise InvalidRequestError("name", "must not be empty")
    if len(name.strip()) > _MAX_NAME_CHARS:
        raise InvalidRequestError("name", f"must be at most {_MAX_NAME_CHARS} characters")
    if rpm_limit is not None and (isinstance(rpm_limit, bool) or rpm_limit <= 0):
        raise InvalidRequestError("rpm_limit", f"must be a whole number > 0, got {rpm_limit!r}")
    if budget_usd is not None and not (math.isfinite(budget_usd) and budget_usd >= 0):
        raise InvalidRequestError("budget_usd", f"must be a finite amount >= 0, got {budget_usd!r}")


def _tenant(tenant: str | None) -> str | None:
    if tenant is None:
        return None
    if not tenant.strip() or len(tenant.strip()) > _MAX_NAME_CHARS:
        raise InvalidRequestError("tenant", f"must be 1 to {_MAX_NAME_CHARS} characters")
    return tenant.strip()


def _key_id_of(secret: str) -> str | None:
    """``mk-<id>-<random>`` -> ``mk_<id>``; None if the secret is not in our format."""
    if len(secret) > _MAX_SECRET_CHARS or not secret.startswith(SECRET_PREFIX):
        return None
    public, sep, rest = secret[len(SECRET_PREFIX) :].partition("-")
    if not (public and sep and rest):
        return None
    return KEY_ID_PREFIX + public


def _row_to_key(row: Sequence[Any]) -> ApiKey:
    key_id, name, created_at, revoked_at, rpm_limit, budget_usd, spent_usd, admin, tenant = row
    return ApiKey(
        key_id=str(key_id),
        name=str(name),
        created_at=float(created_at),
        revoked_at=None if revoked_at is None else float(revoked_at),
        rpm_limit=None if rpm_limit is None else int(rpm_limit),
        budget_usd=None if budget_usd is None else float(budget_usd),
        spent_usd=float(spent_usd),
        admin=bool(admin),
        tenant=None if tenant is None else str(tenant),
    )


def _create_schema(conn: sqlite3.Connection) -> None:
    """The table, and on a file made by an older mecrouter the columns added since."""
    with immediate(conn):
        conn.execute(_SCHEMA)
        present = {row[1] for row in conn.execute("PRAGMA table_info(api_keys)")}
        for name, ddl in _ADDED_COLUMNS:
            if name not in present:
                conn.execute(f"ALTER TABLE api_keys ADD COLUMN {name} {ddl}")


def _insert_new(conn: sqlite3.Connection, draft: ApiKey) -> tuple[str, ApiKey] | None:
    """Insert `draft` under a fresh random id; None if that id is already taken."""
    public = secrets.token_hex(_KEY_ID_HEX_BYTES)
    secret = f"{SECRET_PREFIX}{public}-{secrets.token_urlsafe(_SECRET_BYTES)}"
    key = dataclasses.replace(draft, key_id=KEY_ID_PREFIX + public)
    sql = (
        "INSERT INTO api_keys (key_id, key_hash, name, created_at, rpm_limit, budget_usd, admin,"
        " tenant) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    values = (key.key_id, hash_secret(secret), key.name, key.created_at, key.rpm_limit)
    with immediate(conn):
        try:
            conn.execute(sql, (*values, key.budget_usd, int(key.admin), key.tenant))
        except sqlite3.IntegrityError:
            return None
    return secret, key


def _revoke(conn: sqlite3.Connection, key_id: str, now: float) -> tuple[str, ApiKey] | None:
    update = "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE key_id = ?"
    select = f"SELECT key_hash, {_COLUMNS} FROM api_keys WHERE key_id = ?"
    with immediate(conn):
        conn.execute(update, (now, key_id))
        row = conn.execute(select, (key_id,)).fetchone()
    return None if row is None else (str(row[0]), _row_to_key(row[1:]))


def _apply_spend(conn: sqlite3.Connection, items: Sequence[tuple[str, float]]) -> None:
    sql = "UPDATE api_keys SET spent_usd = spent_usd + ? WHERE key_id = ?"
    with immediate(conn):
        conn.executemany(sql, [(usd, key_id) for key_id, usd in items])
