"""Tests talk to 127.0.0.1 only: any other connection attempt fails the test loudly. And
`opened_files`: every path a test opens (to prove held-out `*_test.csv` files stay unread)."""

from __future__ import annotations

import builtins
import io
import ipaddress
import pathlib
import socket
from collections.abc import Iterator
from typing import Any

import pytest

pytest_plugins = ["moto_fixtures"]  # `moto`: AWS services over HTTP on 127.0.0.1


class NetworkForbidden(RuntimeError):
    """Not an OSError on purpose, so no client library mistakes it for a refused connection."""


def _check_loopback(address: Any) -> None:
    if not isinstance(address, tuple):
        return  # AF_UNIX paths stay on this machine
    host = str(address[0])
    try:
        loopback = ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise NetworkForbidden(f"tests may not connect to {address!r}")


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> None:
        _check_loopback(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check_loopback(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield


@pytest.fixture
def opened_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every path opened through open()/io.open()/Path.open() while the test runs."""
    opened: list[str] = []
    real_open, real_path_open = builtins.open, pathlib.Path.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_path_open(self: pathlib.Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(self))
        return real_path_open(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(pathlib.Path, "open", spy_path_open)
    yield opened


@pytest.fixture(scope="session")
def measured_data() -> pathlib.Path:
    """The project's own measured data (``data/``, or ``$MECROUTER_DATA``): never skipped for."""
    from mecrouter.datadir import data_dir

    return data_dir()
