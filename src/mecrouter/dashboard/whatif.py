"""The What-if page's runs: `mecrouter simulate` for one scenario, in a background thread, with
its progress readable while it runs and its report written where `simulate --out` would write
it. The same scenario, policies, request count, seed and fault give the same numbers as the
command (the simulator is deterministic per seed; the command's worker processes change only
how long it takes).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from mecrouter.dashboard.source import DashboardError

__all__ = ["MAX_REQUESTS", "WhatIf", "WhatIfRun", "check", "policy_choices", "start_run"]

MAX_REQUESTS: Final = 200_000  # per policy: a few minutes on 2 cores


@dataclass(frozen=True, slots=True)
class WhatIf:
    """One run's arguments, as `mecrouter simulate` takes them."""

    scenario: str
    policies: tuple[str, ...] = ()  # empty: the scenario's own (or the default set)
    requests: int = 2_000
    seed: int = 1
    fault: str = "scenario"

    def command(self, out: Path) -> str:
        """The command line giving the same report."""
        policies = f" --policies {','.join(self.policies)}" if self.policies else ""
        return (
            f"mecrouter simulate --scenario {self.scenario} --requests {self.requests}"
            f" --seed {self.seed} --fault {self.fault}{policies} --out {out}"
        )


@dataclass(slots=True)
class WhatIfRun:
    """A run in progress or done: `done` of `total` policies, then `report` or `error`."""

    args: WhatIf
    out_dir: Path
    total: int
    done: int = 0
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    report: Path | None = None
    error: str | None = None
    thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self.finished is None

    @property
    def progress(self) -> float:
        return self.done / self.total if self.total else 0.0


def check(args: WhatIf) -> None:
    """A clear `DashboardError` for arguments `simulate` would refuse."""
    from mecrouter.sim.workloads import FAULTS, WORKLOADS

    if args.scenario not in WORKLOADS:
        raise DashboardError(f"unknown scenario {args.scenario!r}; known: {', '.join(WORKLOADS)}")
    known = policy_choices(args.scenario)
    unknown = [p for p in args.policies if p not in known]
    if unknown:
        raise DashboardError(f"unknown policy {unknown[0]!r}; known: {', '.join(known)}")
    if args.fault not in FAULTS:
        raise DashboardError(f"unknown fault {args.fault!r}; known: {', '.join(FAULTS)}")
    if not 1 <= args.requests <= MAX_REQUESTS:
        raise DashboardError(f"requests must be between 1 and {MAX_REQUESTS:,}")


def policy_choices(scenario: str) -> tuple[str, ...]:
    """The policies the page offers for `scenario`: its own, then the default set."""
    from mecrouter.sim.engine import DEFAULT_POLICIES, scenario_policies
    from mecrouter.sim.workloads import workload

    own = scenario_policies(workload(scenario))
    return own + tuple(p for p in DEFAULT_POLICIES if p not in own)


def start_run(args: WhatIf, out_dir: Path) -> WhatIfRun:
    """Start `args` in a thread; poll the returned run for its progress and report."""
    from mecrouter.sim.engine import scenario_policies
    from mecrouter.sim.workloads import workload

    check(args)
    policies = scenario_policies(workload(args.scenario), args.policies)
    run = WhatIfRun(args, out_dir, total=len(policies))
    run.thread = threading.Thread(
        target=_run, args=(run, policies), name=f"whatif-{args.scenario}", daemon=True
    )
    run.thread.start()
    return run


def _run(run: WhatIfRun, policies: tuple[str, ...]) -> None:
    from mecrouter.config import load_config
    from mecrouter.datadir import data_dir
    from mecrouter.sim.engine import run_scenario
    from mecrouter.sim.report import write_report
    from mecrouter.sim.workloads import with_fault, workload

    def advance(_policy: str) -> None:
        run.done += 1

    args = run.args
    try:
        result = run_scenario(
            with_fault(workload(args.scenario), args.fault),
            n=args.requests,
            seed=args.seed,
            policies=policies,
            config=load_config(None),
            data=data_dir(None),
            workers=1,
            on_policy_done=advance,
        )
        run.report = write_report([result], run.out_dir)
    except Exception as exc:  # noqa: BLE001 - shown on the page, never a traceback there
        run.error = f"{type(exc).__name__}: {exc}"
    finally:
        run.finished = time.monotonic()
