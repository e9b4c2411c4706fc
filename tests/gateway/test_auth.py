"""API keys: secrets never stored, revocation reaches running gateways, spend is never lost."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mecrouter.errors import InvalidRequestError, StoreError
from mecrouter.gateway.auth import (
    KeyStore,
    RateLimiter,
    budget_exceeded,
    hash_secret,
)


class FakeClock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "keys.db"


def test_created_secret_verifies_and_names_its_key(db_path: Path, clock: FakeClock) -> None:
    with KeyStore(db_path, clock=clock) as store:
        secret, key = store.create("ci-bot", rpm_limit=30, budget_usd=5.0)
        assert secret.startswith("mk-")
        assert key.key_id.startswith("mk_")
        assert key.key_id.removeprefix("mk_") in secret
        assert key.created_at == clock.now
        assert key.active
        assert store.verify(secret) == key


def test_admin_role_and_tenant_are_kept_and_listed(db_path: Path) -> None:
    with KeyStore(db_path) as store:
        secret, admin = store.create("ops", admin=True, tenant=" acme ")
        _, plain = store.create("app")
    with KeyStore(db_path) as store:
        verified = store.verify(secret)
        listed = {k.key_id: k for k in store.list()}
    assert verified is not None and (verified.admin, verified.tenant) == (True, "acme")
    assert (listed[admin.key_id].role, listed[plain.key_id].role) == ("admin", "user")
    assert listed[plain.key_id].tenant is None


def test_a_key_file_from_before_roles_gains_them_as_user_keys(db_path: Path) -> None:
    with KeyStore(db_path) as store:
        secret, key = store.create("old")
    conn = sqlite3.connect(db_path)
    conn.execute("ALTER TABLE api_keys DROP COLUMN admin")
    conn.execute("ALTER TABLE api_keys DROP COLUMN tenant")
    conn.close()
    with KeyStore(db_path) as store:
        verified = store.verify(secret)
        _, new_admin = store.create("ops", admin=True)
        assert store.get(new_admin.key_id) == new_admin
    assert verified == key and not verified.admin and verified.tenant is None


def test_only_the_hash_of_a_secret_reaches_the_file(db_path: Path) -> None:
    with KeyStore(db_path) as store:
        secret, key = store.create("ci-bot")
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT key_id, key_hash FROM api_keys").fetchall()
    assert rows == [(key.key_id, hash_secret(secret))]
    stored = b"".join(p.read_bytes() for p in db_path.parent.iterdir())
    assert secret.encode() not in stored
    assert secret.split("-", 2)[2].encode() not in stored  # not even the random part


def test_wrong_malformed_or_unknown_secrets_do_not_verify(db_path: Path) -> None:
    with KeyStore(db_path) as store:
        secret, _ = store.create("ci-bot")
        tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
        for candidate in (tampered, "", "mk-", "mk--x", "Bearer " + secret, secret + "x" * 300):
            assert store.verify(candidate) is None, candidate
        assert store.verify("mk-00000000-" + "a" * 43) is None


def test_listing_never_exposes_secrets_or_hashes(db_path: Path) -> None:
    with KeyStore(db_path) as store:
        created = [store.create(f"key-{i}") for i in range(3)]
        listed = store.list()
    assert [k.key_id for k in listed] == [key.key_id for _, key in created]
    shown = repr(listed) + str(listed)
    for secret, _ in created:
        assert secret not in shown
        assert hash_secret(secret) not in shown
    assert not hasattr(listed[0], "key_hash")


def test_revoked_key_stops_verifying_at_once_in_the_same_store(db_path: Path) -> None:
    with KeyStore(db_path) as store:
        secret, key = store.create("ci-bot")
        revoked = store.revoke(key.key_id)
        assert not revoked.active
        assert store.verify(secret) is None
        assert store.get(key.key_id) == revoked


def test_revocation_by_another_process_reaches_running_gateway_within_a_second(
    db_path: Path, clock: FakeClock
) -> None:
    with KeyStore(db_path, clock=clock) as gateway:
        secret, key = gateway.create("ci-bot")
        assert gateway.verify(secret) is not None
        with KeyStore(db_path, clock=clock) as cli:
            cli.revoke(key.key_id)
        clock.advance(0.5)
        assert gateway.verify(secret) is not None  # served from memory until the next check
        clock.advance(0.6)
        assert gateway.verify(secret) is None


def test_key_created_by_another_process_verifies_after_refresh(
    db_path: Path, clock: FakeClock
) -> None:
    with KeyStore(db_path, clock=clock) as gateway, KeyStore(db_path, clock=clock) as cli:
        secret, key = cli.create("late-comer")
        clock.advance(1.0)
        verified = gateway.verify(secret)
        assert verified is not None
        assert verified.key_id == key.key_id


def test_revoking_twice_keeps_the_first_revocation_time(db_path: Path, clock: FakeClock) -> None:
    with KeyStore(db_path, clock=clock) as store:
        _, key = store.create("ci-bot")
        first = store.revoke(key.key_id)
        clock.advance(10.0)
        assert store.revoke(key.key_id).revoked_at == first.revoked_at == 1_000.0


def test_revoking_an_unknown_key_names_the_key_id(db_path: Path) -> None:
    with KeyStore(db_path) as store, pytest.raises(InvalidRequestError) as info:
        store.revoke("mk_deadbeef")
    assert info.value.field == "key_id"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "ok", "rpm_limit": 0}, "rpm_limit"),
        ({"name": "ok", "rpm_limit": -5}, "rpm_limit"),
        ({"name": "ok", "budget_usd": -0.01}, "budget_usd"),
        ({"name": "ok", "budget_usd": float("nan")}, "budget_usd"),
        ({"name": "ok", "budget_usd": float("inf")}, "budget_usd"),
        ({"name": "ok", "tenant": "  "}, "tenant"),
    ],
)
def test_invalid_create_arguments_name_the_field(
    db_path: Path, kwargs: dict[str, object], field: str
) -> None:
    with KeyStore(db_path) as store:
        with pytest.raises(InvalidRequestError) as info:
            store.create(**kwargs)  # type: ignore[arg-type]
        assert info.value.field == field
        assert store.list() == []


def test_spend_is_visible_at_once_and_survives_reopening(db_path: Path, clock: FakeClock) -> None:
    with KeyStore(db_path, clock=clock) as store:
        secret, key = store.create("ci-bot", budget_usd=10.0)
        for _ in range(3):
            store.add_spend(key.key_id, 0.25)
        assert store.spent_usd(key.key_id) == 0.75
        assert store.get(key.key_id) == dataclasses.replace(key, spent_usd=0.75)
        with sqlite3.connect(db_path) as conn:  # nothing written yet: the clock has not moved
            assert conn.execute("SELECT spent_usd FROM api_keys").fetchone() == (0.0,)
    with KeyStore(db_path, clock=clock) as reopened:
        assert reopened.spent_usd(key.key_id) == 0.75
        verified = reopened.verify(secret)
        assert verified is not None
        assert verified.spent_usd == 0.75


def test_spend_is_written_once_a_second_and_seen_by_other_processes(
    db_path: Path, clock: FakeClock
) -> None:
    with KeyStore(db_path, clock=clock) as worker_a, KeyStore(db_path, clock=clock) as worker_b:
        _, key = worker_a.create("shared", budget_usd=1.0)
        worker_a.add_spend(key.key_id, 0.5)
        clock.advance(1.0)
        worker_b.add_spend(key.key_id, 0.25)  # due: flushes its own pending
        worker_a.add_spend(key.key_id, 0.125)  # due: flushes 0.5 + 0.125
        clock.advance(1.0)
        assert worker_b.spent_usd(key.key_id) == 0.875
        assert worker_a.spent_usd(key.key_id) == 0.875


def test_budget_is_exceeded_once_spend_reaches_it(db_path: Path) -> None:
    with KeyStore(db_path) as store:
        _, key = store.create("capped", budget_usd=1.0)
        _, unlimited = store.create("open")
        store.add_spend(key.key_id, 0.75)
        assert not budget_exceeded(key, store.spent_usd(key.key_id))
        store.add_spend(key.key_id, 0.25)
        assert budget_exceeded(key, store.spent_usd(key.key_id))
        store.add_spend(unlimited.key_id, 1_000.0)
        assert not budget_exceeded(unlimited, store.spent_usd(unlimited.key_id))


def test_zero_budget_is_exhausted_from_the_start(db_path: Path) -> None:
    with KeyStore(db_path) as store:
        _, key = store.create("frozen", budget_usd=0.0)
        assert budget_exceeded(key, store.spent_usd(key.key_id))


def test_bad_spend_is_refused(db_path: Path) -> None:
    with KeyStore(db_path) as store:
        _, key = store.create("ci-bot")
        with pytest.raises(InvalidRequestError) as negative:
            store.add_spend(key.key_id, -1.0)
        with pytest.raises(InvalidRequestError) as unknown:
            store.add_spend("mk_deadbeef", 1.0)
        assert (negative.value.field, unknown.value.field) == ("usd", "key_id")
        assert store.spent_usd(key.key_id) == 0.0


def test_closed_store_refuses_work_with_store_error(db_path: Path) -> None:
    store = KeyStore(db_path)
    store.close()
    store.close()  # again is fine
    with pytest.raises(StoreError):
        store.create("late")


def test_unusable_path_raises_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError):
        KeyStore(blocker / "keys.db")


def test_concurrent_creators_on_one_file_lose_no_key(db_path: Path) -> None:
    threads, keys_per_thread = 8, 10
    start = threading.Barrier(threads)

    def creator(index: int) -> list[str]:
        start.wait()
        with KeyStore(db_path) as store:  # one store each, as separate processes would
            return [store.create(f"t{index}-{i}")[0] for i in range(keys_per_thread)]

    with ThreadPoolExecutor(max_workers=threads) as pool:
        batches = list(pool.map(creator, range(threads)))  # re-raises any thread's error
    secrets = [secret for batch in batches for secret in batch]
    with KeyStore(db_path) as store:
        listed = store.list()
        assert len(listed) == len({k.key_id for k in listed}) == threads * keys_per_thread
        assert {k.name for k in listed} == {
            f"t{t}-{i}" for t in range(threads) for i in range(keys_per_thread)
        }
        assert all(store.verify(secret) is not None for secret in secrets)


def test_rate_limit_allows_a_burst_then_asks_to_retry_later() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock)
    assert all(limiter.check("k", 60) is None for _ in range(60))
    retry_after_s = limiter.check("k", 60)
    assert retry_after_s == pytest.approx(1.0)
    clock.advance(retry_after_s or 0.0)
    assert limiter.check("k", 60) is None
    assert limiter.check("k", 60) is not None


def test_rate_limits_are_per_key() -> None:
    limiter = RateLimiter(FakeClock())
    assert all(limiter.check("a", 2) is None for _ in range(2))
    assert limiter.check("a", 2) is not None
    assert limiter.check("b", 2) is None


def test_no_rate_limit_when_key_has_none() -> None:
    limiter = RateLimiter(FakeClock())
    assert all(limiter.check("k", None) is None for _ in range(10_000))
    assert len(limiter) == 0


def test_refill_never_exceeds_the_burst_size() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock)
    limiter.check("k", 6)
    clock.advance(3_600.0)
    assert sum(limiter.check("k", 6) is None for _ in range(10)) == 6


def test_idle_buckets_are_dropped_without_changing_decisions() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock, max_buckets=3)
    for key_id in ("a", "b", "c"):
        assert limiter.check(key_id, 1) is None
        assert limiter.check(key_id, 1) is not None
    clock.advance(60.0)
    assert limiter.check("d", 1) is None  # sweep: a, b and c are full again, so forgotten
    assert len(limiter) == 1
    assert limiter.check("a", 1) is None  # same answer a kept, refilled bucket would give


def test_non_positive_rpm_limit_is_refused() -> None:
    with pytest.raises(InvalidRequestError) as info:
        RateLimiter(FakeClock()).check("k", 0)
    assert info.value.field == "rpm_limit"
