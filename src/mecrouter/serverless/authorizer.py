"""The HTTP API's Lambda authorizer: a request passes when its bearer key is one of the keys whose
SHA-256 is in a Secrets Manager secret.

The secret (named by ``MECROUTER_KEYS_SECRET``) holds a JSON object of key id to the hex SHA-256
of the key, the same hash the gateway's own key file stores (`gateway.auth.hash_secret`): the
keys themselves are never stored. The answer is API Gateway's simple response (payload format
2.0): ``{"isAuthorized": true, "context": {"key_id": ...}}``, and the gateway function reads the
key id from its event. The secret is read once per container and again after
``MECROUTER_KEYS_REFRESH_S`` (default 300 s), so an added or removed key takes effect within that
time plus the API's cache of authorizer answers (``resultsCacheTtl``, set by the CDK app).

A secret that cannot be read refuses every request (and logs why): an authorizer that fails
open would let everyone in.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import time
from dataclasses import dataclass, field
from typing import Any, Final

from mecrouter.aws.clients import aws_client
from mecrouter.gateway.auth import hash_secret

__all__ = ["KeyHashes", "handler"]

log = logging.getLogger(__name__)

_BEARER: Final = "bearer "
_DEFAULT_REFRESH_S: Final = 300.0


@dataclass
class KeyHashes:
    """Key id -> SHA-256 hex, read from the secret and kept for ``refresh_s`` seconds."""

    secret_id: str
    refresh_s: float = _DEFAULT_REFRESH_S
    client: Any = None
    _hashes: dict[str, str] = field(default_factory=dict)
    _read_at: float | None = None

    def key_id(self, presented: str) -> str | None:
        """The id of the key ``presented`` is, or None (every hash compared in constant time)."""
        digest = hash_secret(presented)
        found = None
        for key_id, stored in self._current().items():
            if hmac.compare_digest(digest, stored):
                found = key_id
        return found

    def _current(self) -> dict[str, str]:
        now = time.monotonic()
        if self._read_at is None or now - self._read_at >= self.refresh_s:
            self._hashes = self._read()
            self._read_at = now
        return self._hashes

    def _read(self) -> dict[str, str]:
        client = self.client or aws_client("secretsmanager")
        raw = client.get_secret_value(SecretId=self.secret_id)["SecretString"]
        hashes = json.loads(raw)
        if not isinstance(hashes, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in hashes.items()
        ):
            raise ValueError("the keys secret must be a JSON object of key id to SHA-256 hex")
        return {k: v.lower() for k, v in hashes.items()}


_keys: KeyHashes | None = None


def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    """API Gateway HTTP API authorizer, payload format 2.0, simple response."""
    global _keys
    presented = _bearer(event)
    if presented is None:
        return {"isAuthorized": False}
    if _keys is None:
        refresh_s = float(os.environ.get("MECROUTER_KEYS_REFRESH_S", _DEFAULT_REFRESH_S))
        _keys = KeyHashes(os.environ["MECROUTER_KEYS_SECRET"], refresh_s=refresh_s)
    try:
        key_id = _keys.key_id(presented)
    # Any failure to read or parse the secret refuses the request: fail closed, say why.
    except Exception:
        log.exception("cannot read the API keys secret; refusing the request")
        return {"isAuthorized": False}
    if key_id is None:
        return {"isAuthorized": False}
    return {"isAuthorized": True, "context": {"key_id": key_id}}


def _bearer(event: dict[str, Any]) -> str | None:
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    value = headers.get("authorization", "")
    if not value.lower().startswith(_BEARER):
        return None
    return value[len(_BEARER) :].strip() or None
