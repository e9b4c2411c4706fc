"""What-if: pick a scenario, policies, request count, seed and a fault; the simulator runs in
the background with a progress bar, then the page shows the report's tables and plots, the
same numbers `mecrouter simulate` gives for the command line shown beside them."""

from __future__ import annotations

import re
import time
from pathlib import Path

import streamlit as st

from mecrouter.dashboard.views.context import Context
from mecrouter.dashboard.whatif import MAX_REQUESTS, WhatIf, WhatIfRun, policy_choices, start_run

__all__ = ["draw"]

_RUN_KEY = "whatif_run"


def draw(ctx: Context) -> None:
    from mecrouter.sim.workloads import FAULTS, WORKLOADS

    st.title("What-if")
    st.caption("Runs the simulator on measured traces (`mecrouter simulate`); nothing is sent to"
               " the gateway and the store is not touched.")  # fmt: skip
    run: WhatIfRun | None = st.session_state.get(_RUN_KEY)
    with st.form("whatif"):
        cols = st.columns(5)
        scenario = cols[0].selectbox("Scenario", list(WORKLOADS), key="wi_scenario")
        requests = cols[1].number_input("Requests per policy", 10, MAX_REQUESTS, 2_000, 500,
                                        key="wi_requests")  # fmt: skip
        seed = cols[2].number_input("Seed", 0, 2**31 - 1, 1, key="wi_seed")
        fault = cols[3].selectbox("Fault", list(FAULTS), key="wi_fault")
        policies = cols[4].multiselect("Policies (none: the scenario's)",
                                       policy_choices(scenario), key="wi_policies")  # fmt: skip
        busy = run is not None and run.running
        submitted = st.form_submit_button("Run", disabled=busy, type="primary")
    if submitted:
        args = WhatIf(str(scenario), tuple(policies), int(requests), int(seed), str(fault))
        out = ctx.runs_dir / time.strftime("%Y%m%d-%H%M%S")
        run = start_run(args, out)
        st.session_state[_RUN_KEY] = run
    if run is not None:
        _progress(run)


def _progress(run: WhatIfRun) -> None:
    if run.running:

        @st.fragment(run_every=1.0)
        def shown() -> None:
            if not run.running:
                st.rerun()  # the whole page, once: it draws the report
            elapsed = time.monotonic() - run.started
            st.progress(
                run.progress,
                text=f"{run.args.scenario}: {run.done} of {run.total} policies, {elapsed:.0f} s",
            )

        shown()
        return
    if run.error is not None:
        st.error(f"The run failed: {run.error}")
    elif run.report is not None:
        _report(run, run.report)


_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")


def _report(run: WhatIfRun, report: Path) -> None:
    took = (run.finished or run.started) - run.started
    st.success(f"Done in {took:.1f} s. Report: `{report}`, the same as"
               f" `{run.args.command(run.out_dir)}` writes.")  # fmt: skip
    st.markdown(_IMAGE.sub("", report.read_text(encoding="utf-8")))
    for plot in sorted(run.out_dir.glob("*.png")):
        st.image(str(plot), caption=plot.stem.replace("_", " "))
