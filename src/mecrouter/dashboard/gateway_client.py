"""The gateway, asked over HTTP (httpx) for what the store does not hold: Prometheus metrics
(parsed with prometheus_client's own text parser), the model list, the agents' insights and a
decision's candidates and scores. Every failure is a `DashboardError` saying what to check.
"""

from __future__ import annotations

from typing import Any, Final

import httpx
from prometheus_client.parser import text_string_to_metric_families

from mecrouter.dashboard.source import DashboardError

__all__ = ["GatewayClient", "Sample"]

TIMEOUT_S: Final = 3.0
Sample = tuple[str, dict[str, str], float]  # (name, labels, value)


class GatewayClient:
    """A gateway at `base_url` (`http://127.0.0.1:8080`), with an API key when it needs one."""

    def __init__(self, base_url: str, api_key: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(base_url=self.base_url, headers=headers, timeout=TIMEOUT_S)

    def _get(self, path: str) -> httpx.Response:
        try:
            response = self._http.get(path)
        except httpx.HTTPError as exc:
            raise DashboardError(
                f"the gateway at {self.base_url} does not answer ({type(exc).__name__}): is"
                " `mecrouter serve` running there?"
            ) from exc
        if response.status_code == 401:
            raise DashboardError(f"the gateway at {self.base_url} wants an API key (--api-key)")
        if response.status_code >= 400:
            raise DashboardError(
                f"the gateway answered {response.status_code} to {path}: {_message(response)}"
            )
        return response

    def _json(self, path: str) -> Any:
        response = self._get(path)
        try:
            return response.json()
        except ValueError as exc:
            raise DashboardError(f"the gateway's {path} is not JSON") from exc

    def metrics(self) -> list[Sample]:
        text = self._get("/metrics").text
        try:
            return [
                (s.name, dict(s.labels), float(s.value))
                for family in text_string_to_metric_families(text)
                for s in family.samples
            ]
        except ValueError as exc:
            raise DashboardError(f"the gateway's /metrics could not be read: {exc}") from exc

    def models(self) -> list[str]:
        return [str(m["id"]) for m in self._json("/v1/models").get("data", [])]

    def insights(self) -> dict[str, Any]:
        body: dict[str, Any] = self._json("/v1/insights")
        return body

    def decision(self, decision_id: str) -> dict[str, Any] | None:
        """The decision in full (candidates and their scores), None if the gateway no longer
        holds it (it keeps the newest ones; the store keeps the record)."""
        try:
            body: dict[str, Any] = self._json(f"/v1/decisions/{decision_id}")
        except DashboardError as exc:
            if "answered 404" in str(exc):
                return None
            raise
        return body

    def close(self) -> None:
        self._http.close()


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:200]
