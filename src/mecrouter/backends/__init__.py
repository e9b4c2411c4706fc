"""Where inference runs, chosen by name from the config (``endpoints[].backend``).

Each name maps to a factory in ``BACKENDS``; a factory imports its module only when called, so a
deployment that never uses a backend never pays for (or needs) its dependencies. To add a backend,
write a module implementing ``Backend`` (see ``base.py``) and one factory here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Protocol

from mecrouter.backends.base import Backend, GenerationRequest
from mecrouter.config import EndpointConfig
from mecrouter.errors import ConfigError

__all__ = ["BACKENDS", "Backend", "BackendFactory", "GenerationRequest", "create_backend"]


class BackendFactory(Protocol):
    """Builds the backend for one endpoint; ignores the options that do not apply to it."""

    def __call__(self, endpoint: EndpointConfig, *, seed: int, time_scale: float) -> Backend: ...


def _emulated(endpoint: EndpointConfig, *, seed: int, time_scale: float) -> Backend:
    from mecrouter.backends.emulated import EmulatedBackend

    return EmulatedBackend(endpoint, seed=seed, time_scale=time_scale)


def _openai_http(endpoint: EndpointConfig, *, seed: int, time_scale: float) -> Backend:
    from mecrouter.backends.openai_http import OpenAIHTTPBackend

    return OpenAIHTTPBackend(endpoint)


def _bedrock(endpoint: EndpointConfig, *, seed: int, time_scale: float) -> Backend:
    try:
        from mecrouter.backends.bedrock import BedrockBackend
    except ImportError as exc:  # boto3 is the optional `aws` extra
        raise ConfigError(
            f"endpoints.{endpoint.id}.backend",
            "the bedrock backend needs boto3: pip install 'mecrouter[aws]'",
        ) from exc
    return BedrockBackend(endpoint)


BACKENDS: Mapping[str, BackendFactory] = MappingProxyType(
    {
        "emulated": _emulated,
        "openai_http": _openai_http,
        "bedrock": _bedrock,
    }
)


def create_backend(endpoint: EndpointConfig, *, seed: int = 0, time_scale: float = 1.0) -> Backend:
    """The backend named by ``endpoint.backend``; ``seed``/``time_scale`` reach the emulator."""
    factory = BACKENDS.get(endpoint.backend)
    if factory is None:
        known = ", ".join(sorted(BACKENDS))
        raise ConfigError(
            f"endpoints.{endpoint.id}.backend",
            f"unknown backend {endpoint.backend!r} (known: {known})",
        )
    return factory(endpoint, seed=seed, time_scale=time_scale)
