"""What the CloudWatch and EventBridge publishers share: their boto3 client, a background task
that sends what is buffered every ``interval_s``, a last send at close, and which AWS errors
mean "never send this again" (`refused`) rather than "try again later"."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Final

from botocore.exceptions import ClientError, ParamValidationError

from mecrouter.aws.clients import aws_client

__all__ = ["IntervalPublisher", "publisher_client", "refused"]

log = logging.getLogger(__name__)

_THROTTLED: Final = frozenset({"Throttling", "ThrottlingException", "RequestLimitExceeded"})


def publisher_client(service: str, region: str | None, endpoint_url: str | None) -> Any:
    """One connection, short timeouts: a publisher sends a small request every few seconds."""
    return aws_client(
        service,
        region=region,
        endpoint_url=endpoint_url,
        max_pool_connections=1,
        connect_timeout_s=3.0,
        read_timeout_s=10.0,
    )


def refused(exc: BaseException) -> bool:
    """Whether AWS refused the request as it is (a 4xx other than throttling, or parameters
    botocore would not send): sending the same again cannot succeed. Anything else (no
    connection, a timeout, throttling, a 5xx, missing credentials) may pass later."""
    if isinstance(exc, ParamValidationError):
        return True
    if not isinstance(exc, ClientError):
        return False
    error = exc.response.get("Error", {})
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    return 400 <= status < 500 and error.get("Code") not in _THROTTLED


class IntervalPublisher:
    """Sends its buffer every ``interval_s`` in the background (`start`) until `aclose`, which
    lets a send in progress finish, sends once more and logs what is still unsent as lost.
    Subclasses give `flush`, `buffered` and their `service` and `unit` for the log."""

    service: str = ""
    unit: str = "items"

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def buffered(self) -> int:
        raise NotImplementedError

    async def flush(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        """Send every ``interval_s`` in the background until `aclose`."""
        name = f"mecrouter-{self.service.lower()}"
        self._task = asyncio.create_task(self._run(), name=name)

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._stop.wait(), self.interval_s)
                return
            except TimeoutError:
                await self.flush()

    async def aclose(self) -> None:
        """Stop the background task (a send in progress finishes) and send once more; what
        AWS still has not taken is logged as lost."""
        self._stop.set()
        if self._task is not None:
            await self._task
        await self.flush()
        if self.buffered:
            log.warning(
                "%s: %d %s not sent before shutdown, lost", self.service, self.buffered, self.unit
            )
