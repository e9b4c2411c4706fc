"""The workflows' definitions as the CDK app uses them: valid Amazon States Language (checked by
the `asl-validator` npm package's CLI), the interface of their tasks, and the local interpreter's
refusal of what it does not follow."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from asl_local import LocalStateMachine, UnsupportedAsl, read_path
from workflow_env import arns_of, fake_arn, resolve

from mecrouter.serverless.workflows import (
    BATCH_TASKS,
    LAMBDA_ERRORS,
    NEEDS,
    OPTIMISATION_TASKS,
    TRANSIENT_ERROR,
    TaskSpec,
    batch_routing_definition,
    optimisation_definition,
)
from mecrouter.serverless.workflows.runtime import TransientWorkflowError

ROOT = Path(__file__).resolve().parents[3]
VALIDATOR = ROOT / ".tools" / "asl" / "node_modules" / ".bin" / "asl-validator"
DEFINITIONS = {
    "batch": (batch_routing_definition, BATCH_TASKS),
    "optimisation": (optimisation_definition, OPTIMISATION_TASKS),
}


def _validator() -> Path:
    """The validator installed by `make test`; without it the test is skipped, except in CI."""
    if VALIDATOR.is_file() and shutil.which("node"):
        return VALIDATOR
    reason = (
        f"asl-validator is not installed at {VALIDATOR.relative_to(ROOT)} (or node is missing): "
        "npm install --prefix .tools/asl asl-validator@4.0.0"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_the_definition_is_valid_states_language(name: str, tmp_path: Path) -> None:
    validator = _validator()
    build, tasks = DEFINITIONS[name]
    path = tmp_path / f"{name}.asl.json"
    path.write_text(json.dumps(build(arns_of(tasks)), indent=2), encoding="utf-8")
    done = subprocess.run(
        [str(validator), "--json-path", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is valid" in done.stdout


def test_the_validator_rejects_a_broken_definition(tmp_path: Path) -> None:
    """The check above can fail: a Task without its Resource is refused."""
    validator = _validator()
    broken = batch_routing_definition(arns_of(BATCH_TASKS))
    del broken["States"]["WriteReport"]["Resource"]
    path = tmp_path / "broken.asl.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    done = subprocess.run(
        [str(validator), "--json-path", str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_every_task_is_a_state_invoking_its_arn(name: str) -> None:
    build, tasks = DEFINITIONS[name]
    definition = build(arns_of(tasks))
    resources = dict(_task_resources(definition["States"]))
    assert resources == {spec.name: fake_arn(spec.name) for spec in tasks}


def _task_resources(states: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for state_name, state in states.items():
        if state["Type"] == "Task":
            found.append((state_name, state["Resource"]))
        if state["Type"] == "Map":
            found += _task_resources(state["ItemProcessor"]["States"])
    return found


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_a_missing_arn_is_a_key_error_naming_the_task(name: str) -> None:
    build, tasks = DEFINITIONS[name]
    arns = arns_of(tasks)
    del arns[tasks[-1].name]
    with pytest.raises(KeyError, match=tasks[-1].name):
        build(arns)


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_every_task_retries_and_every_working_task_is_caught(name: str) -> None:
    build, tasks = DEFINITIONS[name]
    states = build(arns_of(tasks))["States"]
    for state_name, state in states.items():
        if state["Type"] not in ("Task", "Map"):
            continue
        if state["Type"] == "Task":
            errors = [e for r in state["Retry"] for e in r["ErrorEquals"]]
            assert set(LAMBDA_ERRORS) | {TRANSIENT_ERROR} <= set(errors), state_name
        if not state_name.startswith("Record") or state_name == "RecordOptimisation":
            (catch,) = state["Catch"]
            assert catch["ErrorEquals"] == ["States.ALL"]
            assert states[catch["Next"]]["Type"] == "Task"
            assert states[states[catch["Next"]]["Next"]]["Type"] == "Fail"


def test_the_tasks_handlers_needs_and_names() -> None:
    assert TransientWorkflowError.__name__ == TRANSIENT_ERROR  # the class the Retry names
    vocabulary = {"reports:read", "reports:write", "decisions:read", "decisions:write"}
    vocabulary |= {"events:put", "bedrock:invoke", "metrics:put", "secrets:read"}
    assert vocabulary == NEEDS
    for spec in BATCH_TASKS + OPTIMISATION_TASKS:
        assert spec.needs <= NEEDS
        assert resolve(spec.handler).__name__ == spec.handler.rpartition(".")[2]
    names = [spec.name for spec in BATCH_TASKS + OPTIMISATION_TASKS]
    assert len(names) == len(set(names))  # one Lambda function per name in one CDK stack
    with pytest.raises(ValueError, match="unknown needs"):
        TaskSpec("X", "m.f", frozenset({"s3:*"}))


def test_the_batch_map_bounds_its_concurrency() -> None:
    states = batch_routing_definition(arns_of(BATCH_TASKS))["States"]
    routing = states["RouteChunks"]
    assert routing["Type"] == "Map" and 1 <= routing["MaxConcurrency"] <= 40
    assert routing["ItemProcessor"]["ProcessorConfig"] == {"Mode": "INLINE"}


# --------------------------------------------------------------------------- the interpreter


def _one_task(**fields: Any) -> dict[str, Any]:
    task = {"Type": "Task", "Resource": "arn:f", "End": True, **fields}
    return {"StartAt": "T", "States": {"T": task}}


def _echo(event: dict[str, Any], context: object) -> dict[str, Any]:
    return event


@pytest.mark.parametrize(
    "definition",
    [
        _one_task(Parameters={"x.$": "States.Format('{}', $.a)"}),  # intrinsic function
        _one_task(InputPath="$.items[*]"),  # a JSONPath beyond reference paths
        _one_task(TimeoutSeconds=5),  # a field it does not follow
        _one_task(Resource="arn:aws:states:::lambda:invoke"),  # no handler for it
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}},
        {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [], "End": True}}},
        {
            "StartAt": "C",
            "States": {
                "C": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.a", "StringMatches": "x*", "Next": "D"}],
                },
                "D": {"Type": "Succeed"},
            },
        },
        {
            "StartAt": "M",
            "States": {
                "M": {
                    "Type": "Map",
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "S",
                        "States": {"S": {"Type": "Succeed"}},
                    },
                    "End": True,
                }
            },
        },
    ],
)
def test_the_interpreter_refuses_what_it_does_not_follow(definition: dict[str, Any]) -> None:
    machine = LocalStateMachine(definition, {"arn:f": _echo})
    with pytest.raises(UnsupportedAsl):
        machine.run({"a": "b", "items": [1]})


def test_the_interpreter_applies_the_paths_in_order() -> None:
    definition = _one_task(
        InputPath="$.in",
        Parameters={"v.$": "$.value", "fixed": 1, "name.$": "$$.Execution.Name"},
        ResultSelector={"got.$": "$.v"},
        ResultPath="$.out",
        OutputPath="$.out",
    )
    run = LocalStateMachine(definition, {"arn:f": _echo}).run({"in": {"value": 7}}, name="n1")
    assert run.status == "SUCCEEDED" and run.output == {"got": 7}
    assert read_path("$$.Execution.Name", {}, {"Execution": {"Name": "n1"}}) == "n1"


def test_the_interpreter_bounds_a_loop() -> None:
    loop = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}
    with pytest.raises(UnsupportedAsl, match="transitions"):
        LocalStateMachine(loop, {}).run({})
