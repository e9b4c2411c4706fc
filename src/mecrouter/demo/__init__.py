"""`mecrouter demo`: the four seed scenarios (`mecrouter.scenarios`), run two ways.

- `inprocess`: every scenario through the full pipeline with each policy (mecrouter and the
  baselines) side by side, on emulated tiers in real time; every request leaves a record.
- `http`: the same requests through real processes on 127.0.0.1 (three emulated tiers and the
  gateway), sent by the `openai` SDK.
- `report`: the tables, the headline against cloud-only, `report.md` and its PNG plot.
- `command`: the `mecrouter demo` command that runs one of them and writes the report.

The public names are re-exported here and imported on first use (PEP 562), so that importing the
in-process demo does not load the HTTP client libraries.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mecrouter.demo.command import demo
    from mecrouter.demo.http import HttpResult, HttpRun, run_http_demo
    from mecrouter.demo.inprocess import DEMO_POLICIES, PolicyResult, run_demo, run_scenario

_EXPORTS = {
    "DEMO_POLICIES": "mecrouter.demo.inprocess",
    "HttpResult": "mecrouter.demo.http",
    "HttpRun": "mecrouter.demo.http",
    "PolicyResult": "mecrouter.demo.inprocess",
    "demo": "mecrouter.demo.command",
    "run_demo": "mecrouter.demo.inprocess",
    "run_http_demo": "mecrouter.demo.http",
    "run_scenario": "mecrouter.demo.inprocess",
}

__all__ = [
    "DEMO_POLICIES",
    "HttpResult",
    "HttpRun",
    "PolicyResult",
    "demo",
    "run_demo",
    "run_http_demo",
    "run_scenario",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mecrouter.demo' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
