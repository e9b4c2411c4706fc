"""Every error mecrouter raises, in one tree.

    MecrouterError
    ├── InvalidRequestError      bad input; ``field`` names the offending field
    ├── ConfigError              bad configuration; ``field`` is a dotted path into the YAML
    ├── NoRouteError             no endpoint satisfies the request's hard constraints
    ├── BackendError             an inference call failed (``tier``, ``endpoint``)
    │   ├── BackendTimeout       the attempt ran past its deadline
    │   ├── BackendUnavailable   the endpoint cannot be reached / refuses work
    │   ├── BackendStatusError   the endpoint answered with an error status
    │   └── CircuitOpenError     skipped: the endpoint's circuit breaker is open
    ├── AllEndpointsFailed       every endpoint of the fallback chain failed (``errors``)
    └── StoreError               the decision log could not be read or written

Upstream exceptions (httpx, sqlite3, pydantic) are translated at the boundary with
``raise Ours(...) from exc`` so callers only ever need to catch ``MecrouterError``.
"""

from __future__ import annotations

from typing import Self

__all__ = [
    "AllEndpointsFailed",
    "BackendError",
    "BackendStatusError",
    "BackendTimeout",
    "BackendUnavailable",
    "CircuitOpenError",
    "ConfigError",
    "FeedbackError",
    "InvalidRequestError",
    "MecrouterError",
    "NoRouteError",
    "StoreError",
]


class MecrouterError(Exception):
    """Base of every error raised by mecrouter."""


class InvalidRequestError(MecrouterError, ValueError):
    """A request (or CLI/API input) is invalid; ``field`` names what is wrong."""

    MAX_REPORTED = 10  # problems `of_many` names (the count of the rest follows)

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"invalid request: {field}: {message}")

    @classmethod
    def of_many(cls, field: str, problems: list[str], what: str, prefix: str = "") -> Self:
        """One error naming the first `MAX_REPORTED` of `problems` (e.g. "line 3: not JSON"),
        then how many more `what` (e.g. "bad lines") there are."""
        more = len(problems) - cls.MAX_REPORTED
        shown = "; ".join(problems[: cls.MAX_REPORTED]) + (
            f"; and {more} more {what}" if more > 0 else ""
        )
        return cls(field, prefix + shown)


class ConfigError(MecrouterError):
    """The configuration file is missing, unreadable or invalid."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"invalid config: {field}: {message}")


class NoRouteError(MecrouterError):
    """No endpoint can serve the request; ``reasons`` says why each was excluded."""

    def __init__(self, request_id: str, reasons: dict[str, str]) -> None:
        self.request_id = request_id
        self.reasons = reasons
        detail = "; ".join(f"{ep}: {why}" for ep, why in reasons.items()) or "no endpoints"
        super().__init__(f"no feasible route for request {request_id}: {detail}")


class BackendError(MecrouterError):
    """An inference call to one endpoint failed."""

    def __init__(
        self,
        message: str,
        *,
        tier: str = "",
        endpoint: str = "",
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        self.tier = tier
        self.endpoint = endpoint
        self.status = status
        self.retry_after_s = retry_after_s
        super().__init__(f"{endpoint or tier or 'backend'}: {message}")


class BackendTimeout(BackendError):
    """The attempt did not finish before its deadline."""


class BackendUnavailable(BackendError):
    """The endpoint is down, unreachable or refuses new work."""


class BackendStatusError(BackendError):
    """The endpoint answered with an HTTP error status."""


class CircuitOpenError(BackendError):
    """The endpoint was skipped because its circuit breaker is open."""


class AllEndpointsFailed(MecrouterError):
    """Every endpoint tried for a request failed; ``errors`` holds one error per attempt.
    ``deadline_spent``: the failover used up the request's deadline (a caller's retry would
    wait that long again)."""

    def __init__(
        self, request_id: str, errors: list[BackendError], *, deadline_spent: bool = False
    ) -> None:
        self.request_id = request_id
        self.errors = errors
        self.deadline_spent = deadline_spent
        tried = ", ".join(str(e) for e in errors) or "nothing could be tried"
        super().__init__(f"request {request_id} failed on every endpoint: {tried}")

    def as_group(self) -> ExceptionGroup[BackendError]:
        """The attempt errors as an ``ExceptionGroup`` (for ``except*`` handling)."""
        return ExceptionGroup(str(self), self.errors)


class FeedbackError(MecrouterError):
    """Feedback that cannot be taken: `status` 404 (unknown decision) or 409 (already given,
    or nothing was answered)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class StoreError(MecrouterError):
    """The store could not read or write records."""
