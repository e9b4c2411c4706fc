"""An endpoint whose circuit opened comes back once it recovers: the whole system as processes on
127.0.0.1 under steady load, the MEC tier down until its circuits open, then cleared."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx

from mecrouter.config import load_config
from mecrouter.gateway.topology import LocalTopology
from mecrouter.types import ComputeTier

TIME_SCALE = 0.01  # emulated tiers 100x faster than their profiles
PERIOD_S = 0.03  # one request every 30 ms
RECOVERY_LIMIT_S = 5.0
# Patient notes stay on the device or an in-region MEC node. A phone without a local model has
# only MEC (its requests keep failing there while MEC is down, which opens the circuits); a phone
# with one has the device as an alternative, the case where a recovered MEC got no traffic.
MEC_ONLY = {"device_id": "phone-a", "memory_mb": 8192, "local_models": []}
WITH_LOCAL = {"device_id": "phone-b", "memory_mb": 8192, "local_models": ["llama-3.2-1b-instruct"]}


class Load:
    """Steady load on the gateway: (seconds since start, phone, tier that served or None)."""

    def __init__(self, client: httpx.AsyncClient, gateway_url: str) -> None:
        self.client, self.url = client, f"{gateway_url}/v1/chat/completions"
        self.served: list[tuple[float, str, str | None]] = []
        self.started = time.monotonic()
        self.tasks: list[asyncio.Task[None]] = []

    async def run(self, limit: int) -> None:
        for i in range(limit):  # bounded in count; cancelled once the test has what it needs
            self.tasks.append(asyncio.create_task(self._one(i)))
            await asyncio.sleep(PERIOD_S)

    def mec_since(self, t: float, phone: str | None = None) -> list[float]:
        return [
            at
            for at, p, tier in self.served
            if tier == "mec" and at >= t and (phone is None or p == phone)
        ]

    async def _one(self, i: int) -> None:
        phone = MEC_ONLY if i % 2 else WITH_LOCAL
        body = {
            "model": "auto",
            "messages": [{"role": "user", "content": f"Patient note {i}: summarise vitals."}],
            "routing": {"use_case": "healthcare", "device": phone},
        }
        response = await self.client.post(self.url, json=body)
        tier = response.headers.get("x-mecrouter-tier") if response.status_code == 200 else None
        self.served.append((time.monotonic() - self.started, str(phone["device_id"]), tier))


async def _mec_circuits(client: httpx.AsyncClient, gateway_url: str) -> list[float]:
    text = (await client.get(f"{gateway_url}/metrics")).text
    return [
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith('mecrouter_circuit_state{endpoint="mec-')
    ]


async def _until(check: Callable[[], Awaitable[bool]], limit_s: float) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if await check():
            return True
        await asyncio.sleep(0.05)
    return False


def test_mec_takes_traffic_again_within_5_s_after_its_fault_clears() -> None:
    topo = LocalTopology(load_config(), time_scale=TIME_SCALE)

    async def run() -> tuple[float, list[float], list[float]]:
        admin = f"{topo.emulator_url(ComputeTier.MEC)}/admin/fault"
        gw = topo.gateway_url
        async with httpx.AsyncClient(timeout=10.0) as client:
            load = Load(client, gw)
            sender = asyncio.create_task(load.run(limit=1000))  # 30 s at most

            async def served_by_mec() -> bool:
                return len(load.mec_since(0.0)) >= 10

            async def circuits_open() -> bool:
                states = await _mec_circuits(client, gw)
                return bool(states) and all(s > 0 for s in states)  # none closed

            async def mec_again_for_both() -> bool:
                return bool(load.mec_since(cleared, "phone-b") and load.mec_since(cleared))

            assert await _until(served_by_mec, 3.0)
            (await client.post(admin, json={"down": True})).raise_for_status()
            assert await _until(circuits_open, 10.0)
            (await client.delete(admin)).raise_for_status()
            cleared = time.monotonic() - load.started
            await _until(mec_again_for_both, RECOVERY_LIMIT_S + 3.0)
            sender.cancel()
            for task in load.tasks:
                task.cancel()
            await asyncio.wait([sender, *load.tasks])
            return cleared, load.mec_since(cleared), load.mec_since(cleared, "phone-b")

    with topo:
        cleared, mec_after, mec_after_with_local = asyncio.run(run())
    assert mec_after, "MEC served nothing after its fault cleared"
    first = min(mec_after) - cleared
    print(f"first request served by MEC {first:.2f} s after its fault cleared")
    assert first <= RECOVERY_LIMIT_S
    # Requests that have another tier go back to MEC too: its failures are forgotten.
    assert mec_after_with_local
    assert min(mec_after_with_local) - cleared <= RECOVERY_LIMIT_S
