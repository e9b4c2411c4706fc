"""The tier emulator's fault admin API: ``/admin/fault`` shows (GET), injects (POST) and clears
(DELETE) the faults of one endpoint, of every endpoint serving a model, or of the whole tier.

It exists for tests and demos and is unauthenticated, which is why the emulator binds loopback
by default.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.responses import Response

from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.gateway.emulator_http import error, json_response, validation_error_response
from mecrouter.types import ComputeTier

__all__ = ["FaultAdmin", "FaultSpec"]


class FaultSpec(BaseModel):
    """The body of ``POST /admin/fault``: see ``EmulatedBackend.set_fault``."""

    model_config = ConfigDict(extra="forbid")
    down: bool = False
    slow_factor: float = Field(default=1.0, gt=0.0, allow_inf_nan=False)
    error_rate: float | None = Field(default=None, ge=0.0, le=1.0)
    hang: bool = False
    stall_after_first_chunk: bool = False
    endpoint: str | None = Field(default=None, min_length=1)


class FaultAdmin:
    """The route handlers of ``/admin/fault`` over one tier's backends (by endpoint id)."""

    def __init__(self, tier: ComputeTier, backends: dict[str, EmulatedBackend]) -> None:
        self.tier = tier
        self.backends = backends

    async def get_faults(self, request: Request) -> Response:
        return json_response(self._fault_state())

    async def set_fault(self, request: Request) -> Response:
        try:
            spec = FaultSpec.model_validate_json(await request.body())
        except ValidationError as exc:
            return validation_error_response(exc)
        targets = self._targets(spec.endpoint)
        if targets is None:
            return _unknown_endpoint(spec.endpoint)
        for backend in targets:
            backend.set_fault(
                down=spec.down,
                slow_factor=spec.slow_factor,
                error_rate=spec.error_rate,
                hang=spec.hang,
                stall_after_first_chunk=spec.stall_after_first_chunk,
            )
        return json_response(self._fault_state())

    async def clear_fault(self, request: Request) -> Response:
        name = request.query_params.get("endpoint")
        targets = self._targets(name)
        if targets is None:
            return _unknown_endpoint(name)
        for backend in targets:
            backend.clear_fault()
        return json_response(self._fault_state())

    def _targets(self, name: str | None) -> list[EmulatedBackend] | None:
        """The endpoints ``name`` (an id or a model) designates; all of them for None."""
        if name is None:
            return list(self.backends.values())
        if name in self.backends:
            return [self.backends[name]]
        matching = [b for b in self.backends.values() if b.endpoint.model == name]
        return matching or None

    def _fault_state(self) -> dict[str, Any]:
        return {
            "tier": self.tier.value,
            "faults": {ep_id: asdict(b.fault) for ep_id, b in self.backends.items()},
        }


def _unknown_endpoint(name: str | None) -> Response:
    return error(
        404, f"no endpoint or model {name!r} here", param="endpoint", code="endpoint_not_found"
    )
