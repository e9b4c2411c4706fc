"""S3 for mecrouter: a report folder uploaded under a prefix, and an object read once into a
local cache (a quality model named ``s3://bucket/key.npz``).

Uploads go through boto3's S3 transfer manager (`s3transfer`: concurrent, multipart above 8 MB,
its own retries), each file with its content type. A download is keyed by the object's ETag:
``HeadObject`` says which version is current, and only a version not yet in the cache is fetched
(``download_file``, which writes to a temporary name and renames, so a concurrent reader never
sees half a file). When S3 cannot be reached, the newest cached copy of the object is used, with a
warning; a missing object, bucket or credentials is an error.

Every failure is a `ConfigError` naming the option or config field the URL came from
(``--out``, ``quality.model_path``) and saying what went wrong, never a boto3 type. Needs the
``aws`` extra; callers import this module only when a URL is ``s3://``.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from boto3.exceptions import Boto3Error
from boto3.s3.transfer import TransferConfig, create_transfer_manager
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

__all__ = [
    "CACHE_ENV_VAR",
    "S3Url",
    "UploadedFile",
    "cached_download",
    "check_bucket",
    "content_type",
    "default_cache_dir",
    "is_s3_url",
    "parse_s3_url",
    "upload_folder",
]

logger = logging.getLogger(__name__)

CACHE_ENV_VAR: Final = "MECROUTER_CACHE_DIR"
_SCHEME: Final = "s3://"
# Bucket naming rules (general purpose buckets): 3-63 lowercase letters, digits, dots, hyphens.
_BUCKET: Final = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_UPLOAD_THREADS: Final = 8
# The report's own kinds first: the platform's MIME table differs between machines.
_CONTENT_TYPES: Final = {
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".jsonl": "application/x-ndjson",
    ".png": "image/png",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".npz": "application/octet-stream",
}
_UNREACHABLE: Final = (EndpointConnectionError, ConnectTimeoutError)


@dataclass(frozen=True)
class S3Url:
    """``s3://bucket/key``; ``key`` may be empty (the bucket's root) for a prefix."""

    bucket: str
    key: str

    def __str__(self) -> str:
        return f"{_SCHEME}{self.bucket}/{self.key}"

    def child(self, relative: str) -> S3Url:
        """The object ``relative`` (a POSIX path) under this prefix."""
        prefix = self.key.rstrip("/")
        return S3Url(self.bucket, f"{prefix}/{relative}" if prefix else relative)


@dataclass(frozen=True)
class UploadedFile:
    path: Path
    url: S3Url
    size_bytes: int
    content_type: str


def is_s3_url(text: str | os.PathLike[str]) -> bool:
    return str(text).lower().startswith(_SCHEME)


def parse_s3_url(text: str, *, field: str, object_key: bool = False) -> S3Url:
    """``s3://bucket[/key]``, checked; ``object_key``: the URL must name an object, not a
    prefix. A malformed URL is a `ConfigError` naming ``field``."""
    if not is_s3_url(text):
        raise ConfigError(field, f"{text!r} is not an s3:// URL")
    bucket, _, key = text[len(_SCHEME) :].partition("/")
    if not _BUCKET.match(bucket) or ".." in bucket:
        raise ConfigError(
            field,
            f"{text!r}: {bucket!r} is not a bucket name (3-63 lowercase letters, digits, dots "
            "and hyphens); write s3://bucket/prefix",
        )
    if any(c in key for c in "?#\x00") or "//" in key:
        raise ConfigError(field, f"{text!r}: the key may not contain '?', '#' or '//'")
    if object_key and (not key or key.endswith("/")):
        raise ConfigError(field, f"{text!r} names a prefix; give an object, s3://bucket/key")
    return S3Url(bucket, key)


def content_type(path: Path) -> str:
    """The Content-Type an uploaded file is given (so a browser shows report.md as text)."""
    known = _CONTENT_TYPES.get(path.suffix.lower())
    if known is not None:
        return known
    guessed, _ = mimetypes.MimeTypes().guess_type(path.name)  # Python's table, not the OS's
    return guessed or "application/octet-stream"


def default_cache_dir() -> Path:
    """``$MECROUTER_CACHE_DIR``, else ``$XDG_CACHE_HOME/mecrouter``, else ``~/.cache/mecrouter``."""
    if os.environ.get(CACHE_ENV_VAR):
        return Path(os.environ[CACHE_ENV_VAR])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mecrouter"


def s3_client(max_connections: int = _UPLOAD_THREADS) -> Any:
    """An S3 client from `aws_client` (region and endpoint from boto3's chain and
    ``AWS_ENDPOINT_URL``), with a connection per transfer thread."""
    return aws_client("s3", max_pool_connections=max_connections)


# ------------------------------------------------------------------------------ upload


def check_bucket(url: S3Url, *, field: str, client: Any = None) -> None:
    """Fail early (before a long run) if the bucket does not exist, S3 cannot be reached or there
    are no credentials. A 403 passes: HeadBucket needs s3:ListBucket, which an uploader that may
    only put objects lacks, and the upload itself will say if it is refused."""
    try:
        (client or s3_client(1)).head_bucket(Bucket=url.bucket)
    except ClientError as exc:
        if _status(exc) == 403:
            return
        raise ConfigError(field, _explain(exc, url, "check")) from exc
    except BotoCoreError as exc:
        raise ConfigError(field, _explain(exc, url, "check")) from exc


def upload_folder(
    folder: Path,
    url: S3Url,
    *,
    field: str,
    client: Any = None,
    on_file: Callable[[UploadedFile], None] | None = None,
) -> list[UploadedFile]:
    """Upload every file under ``folder`` to ``url``'s prefix, keeping the relative paths, each
    with its content type; ``on_file`` hears of each as it completes (in path order)."""
    files = [_planned(path, folder, url) for path in _files_under(folder)]
    client = client or s3_client()
    config = TransferConfig(max_concurrency=_UPLOAD_THREADS)
    done: list[UploadedFile] = []
    try:
        with create_transfer_manager(client, config) as manager:
            futures = [
                manager.upload(
                    str(f.path), f.url.bucket, f.url.key, {"ContentType": f.content_type}
                )
                for f in files
            ]
            for planned, future in zip(files, futures, strict=True):
                future.result()
                done.append(planned)
                if on_file is not None:
                    on_file(planned)
    except (ClientError, BotoCoreError, Boto3Error) as exc:
        failed = files[len(done)].url if len(done) < len(files) else url
        raise ConfigError(field, _explain(exc, failed, "upload")) from exc
    return done


def _files_under(folder: Path) -> Iterator[Path]:
    return (p for p in sorted(folder.rglob("*")) if p.is_file())


def _planned(path: Path, folder: Path, url: S3Url) -> UploadedFile:
    return UploadedFile(
        path, url.child(path.relative_to(folder).as_posix()), path.stat().st_size,
        content_type(path),
    )  # fmt: skip


# ------------------------------------------------------------------------------ download


def cached_download(
    url: str | S3Url, *, field: str, cache_dir: Path | None = None, client: Any = None
) -> Path:
    """The local path of the object's current version, downloaded only if the cache lacks it.

    The cache holds ``<cache>/s3/<bucket>/<hash of key>/<ETag><suffix>``; a bucket with
    versioning is read at the version ``HeadObject`` saw. S3 unreachable: the newest cached copy
    (a warning says so), or an error if there is none."""
    where = url if isinstance(url, S3Url) else parse_s3_url(url, field=field, object_key=True)
    folder = _object_cache(cache_dir or default_cache_dir(), where)
    client = client or s3_client(1)
    try:
        head = client.head_object(Bucket=where.bucket, Key=where.key)
    except _UNREACHABLE as exc:
        return _offline_copy(folder, where, field, exc)
    except (ClientError, BotoCoreError) as exc:
        raise ConfigError(field, _explain(exc, where, "read")) from exc
    target = folder / (_etag_name(str(head.get("ETag", ""))) + Path(where.key).suffix)
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    version = head.get("VersionId")
    extra = {"VersionId": version} if version and version != "null" else None
    try:
        client.download_file(where.bucket, where.key, str(target), ExtraArgs=extra)
    except (ClientError, BotoCoreError, Boto3Error) as exc:
        raise ConfigError(field, _explain(exc, where, "read")) from exc
    logger.info("downloaded %s (%d bytes) to %s", where, target.stat().st_size, target)
    return target


def _object_cache(cache_dir: Path, url: S3Url) -> Path:
    digest = hashlib.sha256(url.key.encode("utf-8")).hexdigest()[:24]
    return cache_dir / "s3" / url.bucket / digest


def _etag_name(etag: str) -> str:
    """The ETag as a file name: hex digits and the multipart count (``"abc-3"`` -> ``abc-3``)."""
    cleaned = re.sub(r"[^A-Za-z0-9-]", "", etag)[:80]
    return cleaned or hashlib.sha256(etag.encode("utf-8")).hexdigest()[:32]


def _offline_copy(folder: Path, url: S3Url, field: str, exc: Exception) -> Path:
    """The newest complete cached copy of ``url`` (no temporary file of a download)."""
    final = re.compile(r"^[A-Za-z0-9-]+" + re.escape(Path(url.key).suffix) + "$")
    copies = [p for p in folder.glob("*") if p.is_file() and final.match(p.name)]
    if not copies:
        raise ConfigError(field, _explain(exc, url, "read")) from exc
    newest = max(copies, key=lambda p: p.stat().st_mtime)
    age_h = (time.time() - newest.stat().st_mtime) / 3600.0
    logger.warning(
        "%s: S3 unreachable (%s); using the cached copy %s, downloaded %.1f h ago",
        url, type(exc).__name__, newest, age_h,
    )  # fmt: skip
    return newest


# ------------------------------------------------------------------------------ errors


def _status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)


def _explain(exc: Exception, url: S3Url, doing: str) -> str:
    """One line saying what went wrong, in S3's words where it gave some."""
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return (
            f"no AWS credentials to {doing} {url} (set AWS_PROFILE or AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or run with an instance or task role)"
        )
    if isinstance(exc, _UNREACHABLE):
        return f"cannot reach S3 to {doing} {url}: {exc}"
    if not isinstance(exc, ClientError):
        return f"cannot {doing} {url}: {type(exc).__name__}: {exc}"
    error = exc.response.get("Error", {})
    code, text = str(error.get("Code", "")), str(error.get("Message", ""))
    if code == "NoSuchBucket" or (code == "404" and doing == "check"):
        return f"S3 bucket {url.bucket!r} does not exist (or is in another account)"
    if code == "NoSuchKey":
        return f"no S3 object {url}"
    if code == "404":  # HeadObject's answer has no body to say which is missing
        return f"no S3 object {url} (or no bucket {url.bucket!r})"
    if code in ("AccessDenied", "403", "AllAccessDisabled"):
        action = "s3:PutObject" if doing == "upload" else "s3:GetObject"
        return f"access denied to {url} (the IAM policy needs {action} on it)"
    return f"S3 refused to {doing} {url}: {code} {text}".rstrip()
