"""A small local interpreter of the Amazon States Language: it follows a state machine's
definition and calls local Python functions where AWS would invoke Lambda functions.

It knows the JSONPath dialect only (Task, Pass, Choice, Map, Succeed, Fail; InputPath,
Parameters / ItemSelector with ``.$`` paths into the input or the context object ``$$``,
ResultSelector, ResultPath, OutputPath; Retry and Catch), and refuses anything else with
`UnsupportedAsl`, so that a definition growing a feature this file does not follow cannot pass
its tests by being half-run. A Task's ``Resource`` is looked up in the handlers given (ARN ->
function); a handler's exception becomes an error named after its class, with Lambda's JSON
Cause, as a direct Lambda invocation reports it. Retries count attempts and compute each backoff
delay (`Execution.delays`) without sleeping. Map iterations run one after another. Every payload
crosses a JSON round trip and the 256 KB limit, as it would between real states.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

Handler = Callable[[dict[str, Any], object], Any]

MAX_TRANSITIONS: Final = 10_000  # per execution, iterations included: no run loops forever
PAYLOAD_LIMIT: Final = 256 * 1024
_MAX_RETRY_ATTEMPTS: Final = 99
_PATH_STEP: Final = re.compile(r"\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]")
_STATE_FIELDS: Final = {
    "Task": {"Resource", "InputPath", "Parameters", "ResultSelector", "ResultPath",
             "OutputPath", "Retry", "Catch", "Next", "End"},
    "Pass": {"InputPath", "Parameters", "Result", "ResultPath", "OutputPath", "Next", "End"},
    "Choice": {"InputPath", "OutputPath", "Choices", "Default"},
    "Map": {"InputPath", "ItemsPath", "ItemSelector", "Parameters", "ItemProcessor", "Iterator",
            "MaxConcurrency", "ResultSelector", "ResultPath", "OutputPath", "Retry", "Catch",
            "Next", "End"},
    "Succeed": {"InputPath", "OutputPath"},
    "Fail": {"Error", "Cause"},
}  # fmt: skip
_MACHINE_FIELDS: Final = {"StartAt", "States", "Comment", "TimeoutSeconds", "Version"}
_PROCESSOR_FIELDS: Final = {"StartAt", "States", "Comment", "ProcessorConfig"}
_RETRY_FIELDS: Final = {"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
                        "MaxDelaySeconds", "JitterStrategy", "Comment"}  # fmt: skip
_CATCH_FIELDS: Final = {"ErrorEquals", "ResultPath", "Next", "Comment"}
_NOT_ALL: Final = {"States.DataLimitExceeded", "States.Runtime"}  # States.ALL skips these


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


_COMPARISONS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "NumericEquals": lambda a, b: _is_number(a) and a == b,
    "NumericGreaterThan": lambda a, b: _is_number(a) and a > b,
    "NumericGreaterThanEquals": lambda a, b: _is_number(a) and a >= b,
    "NumericLessThan": lambda a, b: _is_number(a) and a < b,
    "NumericLessThanEquals": lambda a, b: _is_number(a) and a <= b,
    "StringEquals": lambda a, b: isinstance(a, str) and a == b,
    "BooleanEquals": lambda a, b: isinstance(a, bool) and a == b,
}


class UnsupportedAsl(Exception):
    """The definition uses something this interpreter does not follow (or is malformed)."""


class StatesError(Exception):
    """An error inside the run, as Step Functions names it (``Error``, ``Cause``)."""

    def __init__(self, error: str, cause: str = "") -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


@dataclass
class Execution:
    """How a run ended, and what it did on the way."""

    status: str = "RUNNING"  # SUCCEEDED | FAILED
    output: Any = None
    error: str = ""
    cause: str = ""
    visited: list[str] = field(default_factory=list)  # state names in the order entered
    attempts: Counter[str] = field(default_factory=Counter)  # Task/Map attempts per state
    caught: list[tuple[str, str]] = field(default_factory=list)  # (state, error) caught
    delays: list[float] = field(default_factory=list)  # retry backoffs, not slept


@dataclass
class _Context:
    execution: dict[str, Any]
    item: dict[str, Any] | None = None  # $$.Map.Item in an iteration
    state: str = ""

    def document(self) -> dict[str, Any]:
        out: dict[str, Any] = {"Execution": self.execution, "State": {"Name": self.state}}
        if self.item is not None:
            out["Map"] = {"Item": self.item}
        return out


# --------------------------------------------------------------------------- paths


def read_path(path: Any, data: Any, context: Mapping[str, Any] | None = None) -> Any:
    """The value at a reference path (``$``, ``$.a.b``, ``$.a[0]``, ``$$.Execution.Name``)."""
    if not isinstance(path, str):
        raise UnsupportedAsl(f"a path must be a string, not {path!r}")
    if path.startswith("$$"):
        root, rest = context, path[2:]
    elif path.startswith("$"):
        root, rest = data, path[1:]
    else:
        raise UnsupportedAsl(f"{path!r} is not a path")
    value: Any = root
    position = 0
    while position < len(rest):
        step = _PATH_STEP.match(rest, position)
        if step is None:
            raise UnsupportedAsl(f"path {path!r}: only .name and [index] steps are supported")
        name, index = step.groups()
        position = step.end()
        try:
            value = value[name] if name is not None else value[int(index)]
        except (KeyError, IndexError, TypeError):
            raise StatesError("States.Runtime", f"the path {path!r} matches nothing") from None
    return value


def _write_path(path: Any, data: Any, value: Any) -> Any:
    """ResultPath: ``data`` with ``value`` at ``path`` (``$`` replaces it; None discards)."""
    if path is None:
        return data
    if path == "$":
        return value
    if not isinstance(path, str) or not re.fullmatch(r"\$(\.[A-Za-z_][A-Za-z0-9_-]*)+", path):
        raise UnsupportedAsl(f"ResultPath {path!r}: only $ and $.a.b paths are supported")
    if not isinstance(data, dict):
        raise StatesError("States.Runtime", f"ResultPath {path!r} needs an object input")
    out = copy.deepcopy(data)
    names = path[2:].split(".")
    target = out
    for name in names[:-1]:
        target = target.setdefault(name, {})
        if not isinstance(target, dict):
            raise StatesError("States.Runtime", f"ResultPath {path!r} crosses a non-object")
    target[names[-1]] = value
    return out


def _template(template: Any, data: Any, context: _Context) -> Any:
    """Parameters, ItemSelector, ResultSelector: ``"name.$"`` fields read a path."""
    if isinstance(template, list):
        return [_template(v, data, context) for v in template]
    if not isinstance(template, dict):
        return template
    out: dict[str, Any] = {}
    for key, value in template.items():
        if not key.endswith(".$"):
            out[key] = _template(value, data, context)
        elif isinstance(value, str) and value.startswith("States."):
            raise UnsupportedAsl(f"{key}: intrinsic functions are not supported ({value})")
        else:
            out[key[:-2]] = read_path(value, data, context.document())
    return out


def _selected(path: Any, data: Any) -> Any:
    """InputPath, OutputPath: None gives ``{}``."""
    return {} if path is None else read_path(path, data)


def _json_round_trip(value: Any, what: str) -> Any:
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StatesError("Runtime.MarshalError", f"{what}: {exc}") from None
    if len(text.encode("utf-8")) > PAYLOAD_LIMIT:
        raise StatesError("States.DataLimitExceeded", f"{what}: over {PAYLOAD_LIMIT} bytes")
    return json.loads(text)


# --------------------------------------------------------------------------- the interpreter


class LocalStateMachine:
    """Runs ``definition`` with ``handlers`` (Lambda ARN -> the local function)."""

    def __init__(self, definition: Mapping[str, Any], handlers: Mapping[str, Handler]) -> None:
        self.definition = definition
        self.handlers = dict(handlers)
        self._transitions = 0
        self._run: Execution = Execution()

    def run(self, payload: Any, name: str = "local-run", start: str = "") -> Execution:
        """One execution from ``payload``: SUCCEEDED with its output, or FAILED with the error."""
        self._transitions = 0
        self._run = Execution()
        execution = {
            "Id": f"arn:aws:states:eu-west-2:123456789012:execution:local:{name}",
            "Name": name,
            "StartTime": start or "2026-01-01T00:00:00.000Z",
            "Input": payload,
        }
        try:
            data = _json_round_trip(payload, "input")
            output = self._machine(self.definition, data, _Context(execution))
        except StatesError as failed:
            self._run.status, self._run.error = "FAILED", failed.error
            self._run.cause = failed.cause
        else:
            self._run.status, self._run.output = "SUCCEEDED", output
        return self._run

    def _machine(
        self, machine: Mapping[str, Any], data: Any, context: _Context, *, inner: bool = False
    ) -> Any:
        _only(machine, _PROCESSOR_FIELDS if inner else _MACHINE_FIELDS, "state machine")
        states = machine["States"]
        current: str | None = machine["StartAt"]
        while current is not None:
            self._transitions += 1
            if self._transitions > MAX_TRANSITIONS:
                raise UnsupportedAsl(f"over {MAX_TRANSITIONS} transitions: a loop?")
            if current not in states:
                raise UnsupportedAsl(f"no state named {current!r}")
            context.state = current
            self._run.visited.append(current)
            data, current = self._state(current, states[current], data, context)
        return data

    def _state(
        self, name: str, state: Mapping[str, Any], data: Any, context: _Context
    ) -> tuple[Any, str | None]:
        kind = state.get("Type")
        if kind not in _STATE_FIELDS:
            raise UnsupportedAsl(f"state {name}: type {kind!r} is not supported")
        _only(state, _STATE_FIELDS[kind] | {"Type", "Comment"}, f"state {name}")
        if kind == "Fail":
            raise StatesError(str(state.get("Error", "States.Fail")), str(state.get("Cause", "")))
        if kind == "Choice":
            effective = _selected(state.get("InputPath", "$"), data)
            chosen = self._choose(name, state, effective)
            return _selected(state.get("OutputPath", "$"), effective), chosen
        if kind == "Succeed":
            effective = _selected(state.get("InputPath", "$"), data)
            return _selected(state.get("OutputPath", "$"), effective), None
        nxt = _next_of(name, state)
        if kind == "Pass":
            return self._pass(state, data, context), nxt
        try:
            output = self._with_retries(name, state, lambda: self._work(state, data, context))
        except StatesError as failed:
            return self._caught(name, state, data, failed)
        return output, nxt

    def _work(self, state: Mapping[str, Any], data: Any, context: _Context) -> Any:
        """A Task's or Map's input processing, work and output processing, once."""
        effective = _selected(state.get("InputPath", "$"), data)
        if state["Type"] == "Map":
            result = self._map(state, effective, context)
        else:
            if "Parameters" in state:
                effective = _template(state["Parameters"], effective, context)
            result = self._invoke(state, effective, context)
        if "ResultSelector" in state:
            result = _template(state["ResultSelector"], result, context)
        output = _write_path(state.get("ResultPath", "$"), data, result)
        return _json_round_trip(_selected(state.get("OutputPath", "$"), output), "output")

    def _invoke(self, state: Mapping[str, Any], payload: Any, context: _Context) -> Any:
        resource = state.get("Resource")
        handler = self.handlers.get(str(resource))
        if handler is None:
            raise UnsupportedAsl(f"state {context.state}: no local handler for {resource!r}")
        event = _json_round_trip(payload, f"{context.state} input")
        try:
            result = handler(event, {"function_name": context.state})
        except Exception as exc:  # what Lambda reports of a handler's exception
            kind = type(exc).__name__
            cause = json.dumps({"errorMessage": str(exc), "errorType": kind})
            raise StatesError(kind, cause) from exc
        return _json_round_trip(result, f"{context.state} result")

    def _map(self, state: Mapping[str, Any], effective: Any, context: _Context) -> list[Any]:
        processor = state.get("ItemProcessor", state.get("Iterator"))
        if not isinstance(processor, dict) or ("ItemSelector" in state and "Parameters" in state):
            raise UnsupportedAsl("a Map needs one ItemProcessor, and not both selectors")
        mode = processor.get("ProcessorConfig", {}).get("Mode", "INLINE")
        if mode != "INLINE":
            raise UnsupportedAsl(f"Map mode {mode!r} is not supported (INLINE only)")
        items = read_path(state.get("ItemsPath", "$"), effective)
        if not isinstance(items, list):
            raise StatesError("States.Runtime", "the Map's ItemsPath is not an array")
        selector = state.get("ItemSelector", state.get("Parameters"))
        results = []
        for index, item in enumerate(items):
            inner = _Context(context.execution, {"Index": index, "Value": item})
            inner.state = context.state
            payload = item if selector is None else _template(selector, effective, inner)
            results.append(self._machine(processor, payload, inner, inner=True))
        return results

    def _pass(self, state: Mapping[str, Any], data: Any, context: _Context) -> Any:
        effective = _selected(state.get("InputPath", "$"), data)
        if "Parameters" in state:
            effective = _template(state["Parameters"], effective, context)
        result = state.get("Result", effective)
        output = _write_path(state.get("ResultPath", "$"), data, result)
        return _selected(state.get("OutputPath", "$"), output)

    # ------------------------------------------------------------------- errors

    def _with_retries(self, name: str, state: Mapping[str, Any], once: Callable[[], Any]) -> Any:
        retriers = state.get("Retry", [])
        _check_error_lists(name, retriers, _RETRY_FIELDS)
        used = [0] * len(retriers)
        while True:
            self._run.attempts[name] += 1
            try:
                return once()
            except StatesError as failed:
                at = _first_match(retriers, failed.error)
                if at is None:
                    raise
                retrier = retriers[at]
                limit = retrier.get("MaxAttempts", 3)
                if not isinstance(limit, int) or not 0 <= limit <= _MAX_RETRY_ATTEMPTS:
                    raise UnsupportedAsl(f"state {name}: MaxAttempts {limit!r}") from None
                if used[at] >= limit:
                    raise
                backoff = retrier.get("BackoffRate", 2.0) ** used[at]
                delay = retrier.get("IntervalSeconds", 1) * backoff
                self._run.delays.append(min(delay, retrier.get("MaxDelaySeconds", delay)))
                used[at] += 1

    def _caught(
        self, name: str, state: Mapping[str, Any], data: Any, failed: StatesError
    ) -> tuple[Any, str | None]:
        catchers = state.get("Catch", [])
        _check_error_lists(name, catchers, _CATCH_FIELDS)
        at = _first_match(catchers, failed.error)
        if at is None:
            raise failed
        catcher = catchers[at]
        self._run.caught.append((name, failed.error))
        error_output = {"Error": failed.error, "Cause": failed.cause}
        return _write_path(catcher.get("ResultPath", "$"), data, error_output), catcher["Next"]

    # ------------------------------------------------------------------- Choice

    def _choose(self, name: str, state: Mapping[str, Any], effective: Any) -> str:
        for rule in state["Choices"]:
            if "Next" not in rule:
                raise UnsupportedAsl(f"state {name}: a top-level choice rule needs Next")
            if _rule_holds({k: v for k, v in rule.items() if k != "Next"}, effective):
                return str(rule["Next"])
        if "Default" not in state:
            raise StatesError("States.NoChoiceMatched", f"state {name}")
        return str(state["Default"])


def _rule_holds(rule: Mapping[str, Any], data: Any) -> bool:
    if set(rule) == {"And"}:
        return all(_rule_holds(r, data) for r in rule["And"])
    if set(rule) == {"Or"}:
        return any(_rule_holds(r, data) for r in rule["Or"])
    if set(rule) == {"Not"}:
        return not _rule_holds(rule["Not"], data)
    operators = set(rule) - {"Variable", "Comment"}
    if "Variable" not in rule or len(operators) != 1:
        raise UnsupportedAsl(f"choice rule {dict(rule)!r}: one Variable and one operator")
    (operator,) = operators
    if operator == "IsPresent":
        try:
            read_path(rule["Variable"], data)
        except StatesError:
            return rule[operator] is False
        return rule[operator] is True
    if operator not in _COMPARISONS:
        raise UnsupportedAsl(f"choice operator {operator!r} is not supported")
    return _COMPARISONS[operator](read_path(rule["Variable"], data), rule[operator])


def _first_match(rules: list[dict[str, Any]], error: str) -> int | None:
    for index, rule in enumerate(rules):
        names = rule["ErrorEquals"]
        if error in names or ("States.ALL" in names and error not in _NOT_ALL):
            return index
        if "States.TaskFailed" in names and error not in _NOT_ALL | {"States.Timeout"}:
            return index
    return None


def _check_error_lists(name: str, rules: Any, allowed: set[str]) -> None:
    if not isinstance(rules, list):
        raise UnsupportedAsl(f"state {name}: Retry and Catch are lists")
    for index, rule in enumerate(rules):
        _only(rule, allowed, f"state {name} rule {index}")
        names = rule.get("ErrorEquals")
        if not isinstance(names, list) or not names:
            raise UnsupportedAsl(f"state {name} rule {index}: ErrorEquals must be a list")
        if "States.ALL" in names and (len(names) > 1 or index != len(rules) - 1):
            raise UnsupportedAsl(f"state {name}: States.ALL must be alone and last")


def _next_of(name: str, state: Mapping[str, Any]) -> str | None:
    if ("Next" in state) == bool(state.get("End")):
        raise UnsupportedAsl(f"state {name}: exactly one of Next and End")
    return None if state.get("End") else str(state["Next"])


def _only(part: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(part) - allowed
    if unknown:
        raise UnsupportedAsl(f"{where}: {sorted(unknown)} not supported here")
