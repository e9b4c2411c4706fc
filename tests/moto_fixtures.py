"""AWS services over real HTTP: moto's server on 127.0.0.1, one per test session (a pytest
plugin, which tests/conftest.py loads).

`moto` serves DynamoDB, CloudWatch, EventBridge, S3 and Secrets Manager with AWS's wire formats, so
botocore's real serialisation, signing, retries and pagination run against it. Each test starts
from empty services (``/moto-api/reset``) and gets dummy credentials and a region in its
environment, so nothing can reach AWS: the loopback guard in tests/conftest.py refuses any other
address, and every client here is given the server's URL.
"""

from __future__ import annotations

import contextlib
import os
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from mecrouter.gateway.topology import free_port

REGION = "eu-west-2"
DUMMY_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}


@dataclass
class Moto:
    """The running server: its URL, and a way to make it unreachable for a while."""

    server: Any  # moto.server.ThreadedMotoServer
    url: str

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass

    @contextlib.contextmanager
    def down(self) -> Iterator[None]:
        """Stop answering (connections refused) inside the block; the data survives."""
        self.server.stop()
        try:
            yield
        finally:
            self.server.start()


@pytest.fixture(scope="session")
def _moto_server() -> Iterator[Moto]:
    pytest.importorskip(
        "boto3", reason="AWS tests need the aws extra: pip install 'mecrouter[aws]'"
    )
    moto_server = pytest.importorskip("moto.server", reason="AWS tests need moto[server] (dev)")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield Moto(server, f"http://127.0.0.1:{port}")
    finally:
        server.stop()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Dummy credentials and the test region, and no profile or config file of the machine's."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    for name, value in DUMMY_ENV.items():
        monkeypatch.setenv(name, value)
    return dict(DUMMY_ENV)


@pytest.fixture
def moto(_moto_server: Moto, aws_env: dict[str, str]) -> Moto:
    """moto's server with every service empty, and dummy AWS credentials in the environment."""
    _moto_server.reset()
    return _moto_server
