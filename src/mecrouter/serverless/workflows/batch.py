"""The batch routing workflow's Lambda handlers: ValidateBatch, RouteChunk, WriteReport and
RecordFailure (`definitions.batch_routing_definition` calls them in that order).

Between states travel keys, byte ranges and counts, never the file: ValidateBatch reads the
object once, checks every line and cuts the file into chunks of whole lines, each a byte range;
RouteChunk reads its range of the version ValidateBatch saw (``If-Match`` on the ETag, so a file
replaced mid-run fails the run instead of mixing two files), routes its requests through
`Router.complete` a few at a time and writes one JSONL file of results; WriteReport merges those
files into ``report.json``. A line that is not a request is a failed result naming its line
number, never a failed run.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from mecrouter.config import Config
from mecrouter.errors import InvalidRequestError, MecrouterError, StoreError
from mecrouter.pipeline import Router
from mecrouter.serverless.workflows.lines import BatchLine, parse_line
from mecrouter.serverless.workflows.runtime import (
    WorkflowInputError,
    client,
    get_bytes,
    mapping,
    open_workflow_store,
    put_bytes,
    put_json,
    reports_bucket,
    time_scale,
    translated,
    workflow_config,
)

__all__ = [
    "DEFAULT_CHUNK_LINES",
    "MAX_BATCH_BYTES",
    "MAX_CHUNKS",
    "chunk_key",
    "record_failure",
    "route_chunk",
    "validate_batch",
    "write_report",
]

DEFAULT_CHUNK_LINES: Final = 50
MAX_CHUNK_LINES: Final = 1000
MAX_CHUNKS: Final = 500
"""A larger file gets longer chunks: the chunk list stays under ~50 KB of state, and a run under
Standard's 25,000 history events (about seven per Map iteration)."""
MAX_BATCH_BYTES: Final = 64 * 1024 * 1024
CHUNK_CONCURRENCY: Final = 8
"""Requests of one chunk in flight at once (times the Map's concurrency for the whole batch)."""
_REPORTED_INVALID: Final = 20  # bad lines ValidateBatch names in its (small) result
_REPORTED_FAILURES: Final = 1000  # failed lines report.json lists one by one


@dataclass(frozen=True)
class _Line:
    number: int
    start: int  # byte offset in the file
    end: int  # exclusive, after the newline
    raw: bytes


def chunk_key(output_prefix: str, index: int) -> str:
    return f"{output_prefix}/chunks/{index:05d}.jsonl"


def _split(body: bytes, first_number: int = 1, offset: int = 0) -> Iterator[_Line]:
    """The non-blank lines of ``body``, numbered from ``first_number`` (blank lines count)."""
    position = 0
    for number, raw in enumerate(body.splitlines(keepends=True), start=first_number):
        start, position = position, position + len(raw)
        if raw.strip():
            yield _Line(number, offset + start, offset + position, raw)


def _text(event: dict[str, Any], name: str) -> str:
    value = event.get(name)
    if not isinstance(value, str) or not value.strip("/"):
        raise WorkflowInputError(f"the input needs {name!r}, a non-empty string")
    return value


def _request_id(execution: str, line: int) -> str:
    return f"{execution[:100]}-L{line}"


# --------------------------------------------------------------------------- ValidateBatch


def validate_batch(event: dict[str, Any], context: object) -> dict[str, Any]:
    """Read the batch file, check every line, cut it into chunks; the chunks and the counts."""
    bucket, key = _text(event, "bucket"), _text(event, "key")
    prefix = _text(event, "output_prefix").strip("/")
    chunk_lines = event.get("chunk_lines", DEFAULT_CHUNK_LINES)
    if not isinstance(chunk_lines, int) or not 1 <= chunk_lines <= MAX_CHUNK_LINES:
        raise WorkflowInputError(f"chunk_lines must be an integer in 1..{MAX_CHUNK_LINES}")
    with translated(f"reading s3://{bucket}/{key}"):
        head = client("s3").head_object(Bucket=bucket, Key=key)
    if int(head.get("ContentLength", 0)) > MAX_BATCH_BYTES:
        raise WorkflowInputError(f"s3://{bucket}/{key} is over {MAX_BATCH_BYTES} bytes; split it")
    etag = str(head["ETag"])
    body, _ = get_bytes(bucket, key, IfMatch=etag)
    lines = list(_split(body))
    if not lines:
        raise WorkflowInputError(f"s3://{bucket}/{key} holds no requests")
    config = workflow_config()
    invalid: list[dict[str, Any]] = []
    for line in lines:
        try:
            parse_line(line.raw, line.number, config, request_id="validation")
        except InvalidRequestError as exc:
            invalid.append({"line": line.number, "error": str(exc)})
    per_chunk = max(chunk_lines, math.ceil(len(lines) / MAX_CHUNKS))
    starts = range(0, len(lines), per_chunk)
    chunks = [_chunk(i, lines[at : at + per_chunk]) for i, at in enumerate(starts)]
    return {
        "bucket": bucket,
        "key": key,
        "etag": etag,
        "output_prefix": prefix,
        "requests": len(lines),
        "valid_lines": len(lines) - len(invalid),
        "invalid_lines": len(invalid),
        "invalid": invalid[:_REPORTED_INVALID],
        "chunk_lines": per_chunk,
        "chunk_count": len(chunks),
        "chunks": chunks,
    }


def _chunk(index: int, lines: Sequence[_Line]) -> dict[str, int]:
    return {
        "index": index,
        "first_line": lines[0].number,
        "last_line": lines[-1].number,
        "start": lines[0].start,
        "end": lines[-1].end,
    }


# --------------------------------------------------------------------------- RouteChunk


def route_chunk(event: dict[str, Any], context: object) -> dict[str, Any]:
    """Route one chunk's requests and write their results; the chunk's counts."""
    bucket, key, prefix = event["bucket"], event["key"], event["output_prefix"]
    chunk, execution = event["chunk"], str(event.get("execution", "batch"))
    byte_range = f"bytes={chunk['start']}-{chunk['end'] - 1}"
    body, _ = get_bytes(bucket, key, Range=byte_range, IfMatch=event["etag"])
    if len(body) != chunk["end"] - chunk["start"]:
        raise WorkflowInputError(f"s3://{bucket}/{key} is shorter than when it was validated")
    lines = list(_split(body, chunk["first_line"], chunk["start"]))
    config = workflow_config()
    with translated(f"routing chunk {chunk['index']}"):
        rows = asyncio.run(_route_all(config, lines, execution))
    out = chunk_key(prefix, chunk["index"])
    text = "".join(json.dumps(row, allow_nan=False) + "\n" for row in rows)
    put_bytes(bucket, out, text.encode("utf-8"), "application/x-ndjson")
    succeeded = sum(1 for row in rows if row["success"])
    return {
        "index": chunk["index"],
        "key": out,
        "requests": len(rows),
        "succeeded": succeeded,
        "failed": len(rows) - succeeded,
    }


async def _route_all(config: Config, lines: Sequence[_Line], execution: str) -> list[Any]:
    """Each line's result, in line order; at most `CHUNK_CONCURRENCY` requests at once."""
    store = open_workflow_store(required=False)
    router = Router.from_config(config, store=store, time_scale=time_scale())
    gate = asyncio.Semaphore(CHUNK_CONCURRENCY)

    async def one(line: _Line) -> dict[str, Any]:
        async with gate:
            return await _route_one(router, config, line, execution)

    try:
        return list(await asyncio.gather(*(one(line) for line in lines)))
    finally:
        try:
            await router.aclose()
        finally:
            await store.aclose()


async def _route_one(router: Router, config: Config, line: _Line, execution: str) -> dict[str, Any]:
    request_id = _request_id(execution, line.number)
    try:
        parsed: BatchLine = parse_line(line.raw, line.number, config, request_id)
    except InvalidRequestError as exc:
        return _failure(line.number, None, request_id, exc)
    try:
        done = await router.complete(parsed.request)
    except StoreError:
        raise  # the record could not be written: the chunk is retried
    except MecrouterError as exc:
        return _failure(line.number, parsed.custom_id, parsed.request.request_id, exc)
    record = done.record
    return {
        "line": line.number,
        "custom_id": parsed.custom_id,
        "request_id": record.request_id,
        "decision_id": record.decision_id,
        "success": True,
        "tier": record.actual_tier,
        "model": record.actual_model,
        "endpoint": record.actual_endpoint,
        "latency_ms": round(record.latency_ms, 3),
        "cost_usd": record.cost_usd,
        "fallbacks": record.fallbacks_used,
        "answer": done.text,
    }


def _failure(
    number: int, custom_id: str | None, request_id: str, exc: MecrouterError
) -> dict[str, Any]:
    return {
        "line": number,
        "custom_id": custom_id,
        "request_id": request_id,
        "success": False,
        "error_type": type(exc).__name__,
        "error": f"line {number}: {exc}",
    }


# --------------------------------------------------------------------------- WriteReport


def write_report(event: dict[str, Any], context: object) -> dict[str, Any]:
    """Merge the chunks' results into ``report.json``; its key and the totals."""
    batch, execution = event["batch"], str(event.get("execution", ""))
    bucket, prefix = batch["bucket"], batch["output_prefix"]
    tiers: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    failures: list[dict[str, Any]] = []
    requests = succeeded = 0
    cost_usd = latency_ms = 0.0
    for index in range(batch["chunk_count"]):
        body, _ = get_bytes(bucket, chunk_key(prefix, index))
        for row in map(json.loads, body.splitlines()):
            requests += 1
            if row["success"]:
                succeeded += 1
                tiers[row["tier"]] += 1
                cost_usd += row["cost_usd"]
                latency_ms += row["latency_ms"]
            else:
                errors[row["error_type"]] += 1
                if len(failures) < _REPORTED_FAILURES:
                    failures.append({k: row[k] for k in ("line", "custom_id", "error")})
    summary = {
        "requests": requests,
        "succeeded": succeeded,
        "failed": requests - succeeded,
        "invalid_lines": errors["InvalidRequestError"],
        "by_tier": dict(sorted(tiers.items())),
        "cost_usd": round(cost_usd, 10),
    }
    report = {
        **summary,
        "source": f"s3://{bucket}/{batch['key']}",
        "etag": batch["etag"],
        "execution": execution,
        "chunks": batch["chunk_count"],
        "errors_by_type": dict(sorted(errors.items())),
        "mean_latency_ms": round(latency_ms / succeeded, 3) if succeeded else None,
        "failures": failures,
        "failures_listed": len(failures),
    }
    report_key = f"{prefix}/report.json"
    put_json(bucket, report_key, report)
    return {"report_key": report_key, **summary}


# --------------------------------------------------------------------------- RecordFailure


def record_failure(event: dict[str, Any], context: object) -> dict[str, Any]:
    """Write the error that stopped the run to ``<output_prefix>/failure.json`` (or, when the
    input named no usable place, under ``batch/failures/`` in the reports bucket)."""
    state = mapping(event.get("input"))
    execution = str(event.get("execution", "unknown"))
    bucket, prefix = state.get("bucket"), state.get("output_prefix")
    if not (isinstance(bucket, str) and bucket and isinstance(prefix, str) and prefix.strip("/")):
        bucket, prefix = reports_bucket(), f"batch/failures/{execution}"
    error = mapping(state.get("error"))
    document = {
        "execution": execution,
        "error": error.get("Error", "unknown"),
        "cause": _cause(error.get("Cause")),
        "input": {k: state.get(k) for k in ("bucket", "key", "output_prefix")},
        "recorded_at": datetime.now(UTC).isoformat(),
    }
    failure_key = f"{prefix.strip('/')}/failure.json"
    put_json(bucket, failure_key, document)
    return {"failure_key": failure_key, "bucket": bucket}


def _cause(cause: Any) -> Any:
    """A Lambda error's Cause is JSON (``errorMessage``, ``errorType``, ``stackTrace``)."""
    if isinstance(cause, str):
        try:
            return json.loads(cause)
        except ValueError:
            return cause
    return cause
