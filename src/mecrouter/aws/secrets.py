"""Secrets Manager: an upstream API key read with ``GetSecretValue``, kept in memory and refreshed,
so a rotated key is picked up without a restart.

The reference is a secret's name or ARN, optionally followed by ``#`` and a key of the JSON
object the secret holds (``prod/vllm#api_key``): ``#`` cannot occur in a secret's name, so the
reference stays one string. Without ``#key`` the secret's whole ``SecretString`` is the value.

- **Startup**: `RefreshingSecret.load` reads the secret once, blocking; no value is a
  `ConfigError` naming the config field, so a gateway never starts without its key.
- **Refresh on use**: once ``refresh_s`` has passed, the next use starts one fetch in a thread
  and goes on with the value it has (a request never waits for Secrets Manager); the fetch
  replaces the value when it succeeds. A failed fetch keeps the old value, logs a warning and is
  tried again after ``retry_s``. An idle process makes no calls.
- **Never logged**: the value is in no message, ``repr`` or exception of ours, and botocore's
  DEBUG dump of response bodies is filtered for Secrets Manager's (`_HideSecretBodies`).

Needs the ``aws`` extra; the openai_http backend imports this module only for an endpoint with
``api_key_secret``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
)

from mecrouter.aws.clients import aws_client
from mecrouter.errors import ConfigError

__all__ = ["DEFAULT_REFRESH_S", "RefreshingSecret", "SecretRef"]

logger = logging.getLogger(__name__)

DEFAULT_REFRESH_S: Final = 300.0
_ARN_PREFIX: Final = "arn:"


@dataclass(frozen=True)
class SecretRef:
    """Which secret, and which key of its JSON object (None: the whole string)."""

    secret_id: str
    json_key: str | None = None

    @classmethod
    def parse(cls, text: str, *, field: str) -> SecretRef:
        secret_id, hashed, json_key = text.partition("#")
        if not secret_id.strip() or (hashed and not json_key.strip()) or "#" in json_key:
            raise ConfigError(field, f"{text!r}: write a secret name or ARN, then optionally #key")
        return cls(secret_id.strip(), json_key.strip() if hashed else None)

    @property
    def region(self) -> str | None:
        """The region an ARN names (``arn:aws:secretsmanager:REGION:...``); None for a name."""
        parts = self.secret_id.split(":")
        if not self.secret_id.startswith(_ARN_PREFIX) or len(parts) < 4:
            return None
        return parts[3] or None

    def __str__(self) -> str:
        return self.secret_id + (f"#{self.json_key}" if self.json_key is not None else "")


class RefreshingSecret:
    """One secret's value, read at startup and refreshed on use (see the module's docstring).

    ``field`` names the config field in errors and logs; ``clock`` (monotonic seconds) and
    ``client`` (a boto3 ``secretsmanager`` client) are for tests and sharing."""

    def __init__(
        self,
        reference: str | SecretRef,
        *,
        field: str,
        refresh_s: float = DEFAULT_REFRESH_S,
        retry_s: float = 30.0,
        client: Any = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ref = reference if isinstance(reference, SecretRef) else SecretRef.parse(
            reference, field=field
        )  # fmt: skip
        self.field = field
        self.refresh_s = refresh_s
        self.retry_s = min(retry_s, refresh_s)
        self._client = client or aws_client("secretsmanager", region=self.ref.region)
        self._clock = clock
        self._value: str | None = None
        self._fetched_at = 0.0
        self._next_fetch = 0.0
        self._refreshing: asyncio.Task[None] | None = None
        _HideSecretBodies.install()

    def __repr__(self) -> str:
        return f"RefreshingSecret({str(self.ref)!r}, field={self.field!r})"  # never the value

    def load(self) -> str:
        """Read the secret now (blocking: at startup, off any event loop's hot path)."""
        self._store(self._fetch())
        return self.current()

    def current(self) -> str:
        """The value; when it is due for a refresh and an event loop runs, start one fetch in the
        background (this call returns the value it has either way)."""
        if self._value is None:
            raise ConfigError(self.field, f"secret {self.ref} was never read (call load first)")
        if self._clock() >= self._next_fetch and self._refreshing is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return self._value
            self._refreshing = loop.create_task(self.refresh(), name=f"refresh {self.field}")
        return self._value

    async def refresh(self) -> None:
        """Fetch the secret in a thread; keep the old value (and log) if that fails."""
        try:
            value = await asyncio.to_thread(self._fetch)
        except ConfigError as exc:
            self._next_fetch = self._clock() + self.retry_s
            if self._value is None:
                raise
            age_s = self._clock() - self._fetched_at
            logger.warning("%s; keeping the value read %.0f s ago", exc, age_s)
        else:
            self._store(value)
        finally:
            if self._refreshing is asyncio.current_task():
                self._refreshing = None

    async def aclose(self) -> None:
        """Cancel a fetch in flight (its thread finishes its call; the answer is dropped)."""
        task, self._refreshing = self._refreshing, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def _store(self, value: str) -> None:
        self._value = value
        self._fetched_at = self._clock()
        self._next_fetch = self._fetched_at + self.refresh_s

    def _fetch(self) -> str:
        """GetSecretValue, then the value it holds; every failure a `ConfigError`."""
        try:
            answer = self._client.get_secret_value(SecretId=self.ref.secret_id)
        except (ClientError, BotoCoreError) as exc:
            raise ConfigError(self.field, _explain(exc, self.ref)) from exc
        secret = answer.get("SecretString")
        if secret is None:
            raise ConfigError(self.field, f"secret {self.ref} holds binary data, not a string")
        return _value_of(secret, self.ref, self.field)


def _value_of(secret: str, ref: SecretRef, field: str) -> str:
    """The whole string, or its JSON object's ``ref.json_key``; never quotes the secret."""
    parsed: Any = None
    if secret.lstrip().startswith("{"):
        try:
            parsed = json.loads(secret)
        except ValueError:
            parsed = None
    if ref.json_key is None:
        if isinstance(parsed, dict):
            keys = ", ".join(sorted(map(str, parsed))) or "none"
            raise ConfigError(
                field, f"secret {ref} is a JSON object: name a key, {ref}#KEY (keys: {keys})"
            )
        value = secret
    elif not isinstance(parsed, dict):
        raise ConfigError(field, f"secret {ref.secret_id} is not a JSON object; drop #key")
    else:
        found = parsed.get(ref.json_key)
        if not isinstance(found, str):
            raise ConfigError(field, f"secret {ref.secret_id} has no string key {ref.json_key!r}")
        value = found
    if not value.strip():
        raise ConfigError(field, f"secret {ref} is empty")
    return value.strip()


def _explain(exc: Exception, ref: SecretRef) -> str:
    """One line on why the secret could not be read (Secrets Manager's own message included:
    it names the secret, never its value)."""
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return f"no AWS credentials to read secret {ref} (environment, profile or role)"
    if isinstance(exc, EndpointConnectionError | ConnectTimeoutError):
        return f"cannot reach Secrets Manager to read secret {ref}: {exc}"
    if not isinstance(exc, ClientError):
        return f"cannot read secret {ref}: {type(exc).__name__}: {exc}"
    error = exc.response.get("Error", {})
    code, text = str(error.get("Code", "")), str(error.get("Message", ""))
    if code == "ResourceNotFoundException":
        return f"no secret {ref.secret_id!r} in Secrets Manager (check the name and region)"
    if code in ("AccessDeniedException", "AccessDenied"):
        return (
            f"access denied to secret {ref.secret_id!r} (the IAM policy needs "
            "secretsmanager:GetSecretValue on it, and kms:Decrypt for a customer-managed key)"
        )
    return f"cannot read secret {ref}: {code}: {text}"


class _HideSecretBodies(logging.Filter):
    """Drops botocore's DEBUG record of a response body that carries a secret, so turning on
    DEBUG logging never writes a key to the logs. Installed once, on first use."""

    LOGGER: Final = "botocore.parsers"

    def filter(self, record: logging.LogRecord) -> bool:
        body = str(record.msg).startswith("Response body")
        return not (body and "SecretString" in repr(record.args))

    @classmethod
    def install(cls) -> None:
        target = logging.getLogger(cls.LOGGER)
        if not any(isinstance(f, cls) for f in target.filters):
            target.addFilter(cls())
