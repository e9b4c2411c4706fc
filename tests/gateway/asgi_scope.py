"""An ASGI scope for driving an app directly (below any HTTP client), so that a test controls
exactly when the body arrives and when the client leaves."""

from __future__ import annotations

from typing import Any


def post_scope(path: str, host: bytes) -> dict[str, Any]:
    """The scope of a JSON `POST path` from a client on 127.0.0.1."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", host)],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
