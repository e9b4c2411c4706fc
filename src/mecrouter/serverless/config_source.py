"""Where a function's config comes from: ``MECROUTER_CONFIG``, a path or an ``s3://`` URL."""

from __future__ import annotations

from pathlib import Path

__all__ = ["config_path"]


def config_path(value: str | None) -> Path | None:
    """The local path of the config ``value`` names: a path as it is, an ``s3://`` URL fetched
    once into the cache (`mecrouter.aws.s3.cached_download`; ``MECROUTER_CACHE_DIR`` must be
    writable: ``/tmp`` on Lambda); None when unset (the packaged default config)."""
    if not value:
        return None
    from mecrouter.aws.s3 import cached_download, is_s3_url

    if is_s3_url(value):
        return cached_download(value, field="MECROUTER_CONFIG")
    return Path(value)
