"""The package's face: importing it does nothing but import, and every public name resolves."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mecrouter


def _modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_importing_mecrouter_loads_none_of_its_submodules() -> None:
    loaded = {m for m in _modules_loaded_by("import mecrouter") if m.startswith("mecrouter")}
    assert loaded == {"mecrouter"}


def test_importing_the_data_model_does_not_load_the_pipeline_or_third_party_servers() -> None:
    loaded = _modules_loaded_by("import mecrouter.types")
    assert not {"mecrouter.pipeline", "mecrouter.agents", "fastapi", "numpy", "simpy"} & loaded


def test_importing_mecrouter_writes_nothing_to_stdout_or_stderr() -> None:
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import mecrouter"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""


def test_every_public_name_resolves_to_the_object_of_its_home_module() -> None:
    from mecrouter.pipeline import Router
    from mecrouter.types import InferenceRequest

    resolved = {name: getattr(mecrouter, name) for name in mecrouter.__all__}
    assert {"Router", "InferenceRequest"} <= set(resolved)
    assert [name for name, value in resolved.items() if value is None] == []
    assert mecrouter.Router is Router and mecrouter.InferenceRequest is InferenceRequest


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        _ = mecrouter.NoSuchThing  # type: ignore[attr-defined]
