"""The example config for real servers stays valid as the config schema evolves."""

from __future__ import annotations

from pathlib import Path

from mecrouter.config import load_config
from mecrouter.types import ComputeTier

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "real-servers.yaml"


def test_real_servers_example_loads_and_points_device_and_mec_at_http() -> None:
    config = load_config(EXAMPLE)
    http = [ep for ep in config.endpoints if ep.backend == "openai_http"]
    assert {ep.tier for ep in http} == {ComputeTier.DEVICE, ComputeTier.MEC}
    assert all(ep.base_url and ep.base_url.endswith("/v1") for ep in http)
