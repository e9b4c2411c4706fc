"""The commands in README.md and docs/*.md work, so the documentation cannot rot.

The convention (docs/README.md states it for writers):
- a ```sh block is run, line by line, in a fresh working folder per document, with this
  interpreter's bin folder first on PATH; each line must exit 0, or with the code its trailing
  `# exit N` comment names;
- a ```python block is run as a script in that same folder (blocks of one document share it, in
  order); a block that reads MECROUTER_API_KEY gets a `mecrouter serve` started on a free
  127.0.0.1 port, with MECROUTER_URL and MECROUTER_API_KEY set;
- a ```console block shows commands too long or heavy to run here, each on a line starting with
  `$ `: every mecrouter command in it must parse against the real CLI (nothing is run) and
  every make command must name Makefile targets. The same holds for such commands in sh blocks and
  in inline code;
- ```text is output only, ```yaml and ```json must parse; no other kind of block is allowed.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import typer.main
import yaml

from mecrouter.cli import app

ROOT = Path(__file__).resolve().parents[1]
README_MAX_BYTES = 10_240
LANGUAGES = {"sh", "console", "python", "text", "yaml", "json"}
COMMAND_TIMEOUT_S = 120
SHELL_OPERATORS = {"|", "||", "&&", ";", "&", ">", ">>", "<", "2>"}
_FENCE = re.compile(r"^(\s*)(```+)(\S*)\s*$")
_INLINE = re.compile(r"`([^`\n]+)`")
_EXIT = re.compile(r"#\s*exit\s+(\d+)\b")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence, 1-based
    language: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


@dataclass(frozen=True)
class Doc:
    path: Path
    blocks: tuple[Block, ...]
    prose: str  # the text outside the fenced blocks, where inline code and links live


def _read(path: Path) -> Doc:
    blocks: list[Block] = []
    prose: list[str] = []
    lines = path.read_text("utf-8").splitlines()
    i = 0
    while i < len(lines):
        opened = _FENCE.match(lines[i])
        if opened is None:
            prose.append(lines[i])
            i += 1
            continue
        indent, fence, language = opened.groups()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and lines[j].strip() != fence:
            body.append(lines[j].removeprefix(indent))
            j += 1
        assert j < len(lines), f"{path.name}:{i + 1}: fence never closed"
        blocks.append(Block(path, i + 1, language, "\n".join(body) + "\n"))
        i = j + 1
    return Doc(path, tuple(blocks), "\n".join(prose))


def _logical_lines(text: str) -> Iterator[str]:
    """Lines with `\\` continuations joined."""
    pending = ""
    for raw in text.splitlines():
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        yield pending + raw
        pending = ""
    if pending:
        yield pending


def _commands(block: Block) -> list[str]:
    """The command lines a sh or console block shows."""
    found: list[str] = []
    for line in _logical_lines(block.text):
        stripped = line.strip()
        if block.language == "console":
            if stripped.startswith("$ "):
                found.append(stripped[2:])
        elif stripped and not stripped.startswith("#"):
            found.append(stripped)
    return found


def _segments(command: str) -> list[list[str]]:
    """Each simple command of a shell line, without leading VAR=value assignments."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    segments: list[list[str]] = [[]]
    for token in lexer:
        if token in SHELL_OPERATORS:
            segments.append([])
        elif segments[-1] or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", token):
            segments[-1].append(token)
    return [s for s in segments if s]


def _shown_commands(doc: Doc) -> list[tuple[str, list[str]]]:
    """(where, argv) of every `mecrouter`/`make` command a document shows, in blocks or inline."""
    found: list[tuple[str, list[str]]] = []
    for block in doc.blocks:
        if block.language in {"sh", "console"}:
            for command in _commands(block):
                found += [(block.where, seg) for seg in _segments(command)]
    for span in _INLINE.findall(doc.prose):
        if span.startswith(("mecrouter ", "make ")):
            found += [(f"{doc.path.name}: `{span}`", seg) for seg in _segments(span)]
    return [(where, argv) for where, argv in found if argv[0] in {"mecrouter", "make"}]


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text("utf-8")
    return set(re.findall(r"^([A-Za-z][A-Za-z0-9_.-]*)\s*:(?!=)", text, flags=re.MULTILINE))


def _click_of(command: object) -> ModuleType:
    """The click package the CLI is built on (typer may carry its own copy instead of click)."""
    for cls in type(command).__mro__:
        if cls.__name__ == "Command":
            return importlib.import_module(cls.__module__.rpartition(".")[0])
    raise AssertionError(f"{command!r} is not a click command")


def _parse_cli(argv: list[str]) -> None:
    """Parse a `mecrouter` command line as the CLI would, without running it. The command groups
    (`mecrouter`, `mecrouter keys`) take no options of their own but `--help`, only a subcommand."""
    command: Any = typer.main.get_command(app)
    clk = _click_of(command)
    ctx = clk.Context(command, info_name="mecrouter")
    while hasattr(command, "get_command"):  # a group
        if argv == ["--help"]:
            return  # every group prints its help
        assert argv, "a command group needs a subcommand"
        sub = command.get_command(ctx, argv[0])
        assert sub is not None, f"no command {argv[0]!r}"
        command, name, argv = sub, argv[0], argv[1:]
        ctx = clk.Context(command, info_name=name, parent=ctx)
    command.make_context(ctx.info_name, argv, parent=ctx.parent)


DOCS = [_read(ROOT / "README.md"), *(_read(p) for p in sorted((ROOT / "docs").glob("*.md")))]
BLOCKS = [block for doc in DOCS for block in doc.blocks]
SHOWN = [shown for doc in DOCS for shown in _shown_commands(doc)]
LINKS = sorted(
    {
        (doc.path, target)
        for doc in DOCS
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.prose)
        if "://" not in target
    }
)
RUNNABLE = [doc for doc in DOCS if any(b.language in {"sh", "python"} for b in doc.blocks)]


# ------------------------------------------------------------------------- static checks


def test_readme_fits_in_ten_kilobytes() -> None:
    size = len((ROOT / "README.md").read_bytes())
    assert size <= README_MAX_BYTES, f"README.md is {size} bytes"


def test_readme_opens_with_exactly_the_two_commands() -> None:
    first = DOCS[0].blocks[0]
    assert [shlex.split(c, comments=True) for c in _commands(first)] == [
        ["make", "demo"],
        ["make", "test"],
    ]


def test_the_docs_run_and_check_every_kind_of_example() -> None:
    assert {"sh", "console", "python", "text", "yaml"} <= {b.language for b in BLOCKS}
    assert len(RUNNABLE) >= 5 and len(SHOWN) >= 20 and len(LINKS) >= 10


def test_the_docs_show_every_cli_command() -> None:
    shown = {argv[1] for _, argv in SHOWN if argv[0] == "mecrouter" and len(argv) > 1}
    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert len(commands) >= 9 and commands <= shown, f"not shown: {sorted(commands - shown)}"


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.where)
def test_every_block_is_of_a_known_kind(block: Block) -> None:
    assert block.language in LANGUAGES, f"{block.where}: ```{block.language}"
    if block.language == "console":
        assert _commands(block), f"{block.where}: a console block with no `$ ` command"
    elif block.language == "yaml":
        assert all(doc is not None for doc in yaml.safe_load_all(block.text))  # --- documents
    elif block.language == "json":
        json.loads(block.text)


@pytest.mark.parametrize(("where", "argv"), SHOWN, ids=[f"{w} {' '.join(a)}" for w, a in SHOWN])
def test_every_shown_command_parses_and_every_make_target_exists(
    where: str, argv: list[str]
) -> None:
    if argv[0] == "make":
        wanted = [a for a in argv[1:] if not a.startswith("-") and "=" not in a]
        assert wanted and set(wanted) <= _make_targets(), f"{where}: {shlex.join(argv)}"
        return
    clk = _click_of(typer.main.get_command(app))
    try:
        _parse_cli(argv[1:])
    except clk.ClickException as exc:
        pytest.fail(f"{where}: {shlex.join(argv)}: {exc.format_message()}")


@pytest.mark.parametrize(
    ("path", "target"), LINKS, ids=[f"{p.relative_to(ROOT)}->{t}" for p, t in LINKS]
)
def test_relative_links_point_at_files(path: Path, target: str) -> None:
    assert (path.parent / target).exists(), f"{path.name}: broken link {target}"


# ------------------------------------------------------------------------- runnable blocks


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`mecrouter serve` on a free loopback port with one API key, as a user would start it."""
    folder = tmp_path_factory.mktemp("gateway")
    env = _env()
    created = subprocess.run(
        ["mecrouter", "keys", "create", "--name", "docs", "--keys-db", "keys.sqlite3"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S,
        check=True,
    )  # fmt: skip
    secret = created.stdout.split()[-1]
    assert secret.startswith("mk-"), created.stdout
    port = _free_port()
    log = (folder / "serve.log").open("wb")
    server = subprocess.Popen(
        ["mecrouter", "serve", "--port", str(port), "--db", "decisions.sqlite3",
         "--keys-db", "keys.sqlite3"],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/healthz", server, folder / "serve.log")
        yield {"MECROUTER_URL": f"http://127.0.0.1:{port}/v1", "MECROUTER_API_KEY": secret}
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
        log.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, f"mecrouter serve exited:\n{log.read_text()}"
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        time.sleep(0.1)
    pytest.fail(f"mecrouter serve not healthy after 60 s:\n{log.read_text()}")


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        **(extra or {}),
    }


def _run_sh(block: Block, cwd: Path) -> None:
    commands = _commands(block)
    assert commands, f"{block.where}: a sh block with no command"
    for command in commands:
        expected = _EXIT.search(command)
        done = subprocess.run(
            command, shell=True, cwd=cwd, env=_env(), capture_output=True, text=True,
            timeout=COMMAND_TIMEOUT_S,
        )  # fmt: skip
        want = int(expected.group(1)) if expected else 0
        assert done.returncode == want, (
            f"{block.where}: `{command}` exited {done.returncode}, documented {want}\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )


def _run_python(block: Block, cwd: Path, request: pytest.FixtureRequest) -> None:
    extra = request.getfixturevalue("gateway") if "MECROUTER_API_KEY" in block.text else {}
    script = cwd / f"block_{block.line}.py"
    script.write_text(block.text, "utf-8")
    done = subprocess.run(
        [sys.executable, script.name], cwd=cwd, env=_env(extra), capture_output=True, text=True,
        timeout=COMMAND_TIMEOUT_S,
    )  # fmt: skip
    assert done.returncode == 0, f"{block.where}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"


@pytest.mark.parametrize("doc", RUNNABLE, ids=lambda d: str(d.path.relative_to(ROOT)))
def test_runnable_blocks_succeed(doc: Doc, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Every sh and python block of the document, in order, in one fresh folder."""
    for block in doc.blocks:
        if block.language == "sh":
            _run_sh(block, tmp_path)
        elif block.language == "python":
            _run_python(block, tmp_path, request)
