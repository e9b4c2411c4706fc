"""S3 over real HTTP (moto's server on 127.0.0.1): `simulate --out s3://...` uploads its report,
quality models are read from s3:// once per version, and the core never imports boto3."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mecrouter.aws.clients import aws_client
from mecrouter.aws.s3 import S3Url, cached_download, parse_s3_url, upload_folder
from mecrouter.cli import app
from mecrouter.config import load_config
from mecrouter.errors import ConfigError
from mecrouter.quality.model import SHIPPED_FAST_MODEL, FastQualityModel
from moto_fixtures import REGION, Moto

runner = CliRunner()
FIELD = "quality.model_path"


def s3(moto: Moto) -> Any:
    return aws_client("s3", endpoint_url=moto.url)


def make_bucket(client: Any, name: str) -> None:
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})


def objects(client: Any, bucket: str, prefix: str = "") -> dict[str, dict[str, Any]]:
    """key -> HeadObject of every object under ``prefix``."""
    listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return {o["Key"]: client.head_object(Bucket=bucket, Key=o["Key"]) for o in listed}


def count_calls(client: Any, operation: str) -> list[str]:
    """A list that grows by one each time ``client`` sends ``operation``."""
    calls: list[str] = []
    client.meta.events.register(f"before-call.s3.{operation}", lambda **_: calls.append(operation))
    return calls


# ------------------------------------------------------------------------------ simulate --out


def test_simulate_uploads_every_report_file_under_the_prefix(
    moto: Moto, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = s3(moto)
    make_bucket(client, "reports")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto.url)
    result = runner.invoke(
        app,
        ["simulate", "--scenario", "iot", "--requests", "100", "--workers", "1",
         "--policies", "mecrouter,cloud-only", "--out", "s3://reports/runs/7"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    stored = objects(client, "reports")
    assert all(key.startswith("runs/7/") for key in stored)
    names = {key.removeprefix("runs/7/") for key in stored}
    assert {"report.md", "results.json", "iot-latency-cdf.png"} <= names
    assert f"uploaded {len(stored)} files" in result.output
    assert "report: s3://reports/runs/7/report.md" in result.output
    kinds = {key.rsplit(".", 1)[1]: head["ContentType"] for key, head in stored.items()}
    assert kinds == {"md": "text/markdown; charset=utf-8", "json": "application/json",
                     "png": "image/png"}  # fmt: skip
    body = client.get_object(Bucket="reports", Key="runs/7/report.md")["Body"].read()
    assert b"| mecrouter |" in body


def test_upload_folder_keeps_relative_paths_bytes_and_content_types(
    moto: Moto, tmp_path: Path
) -> None:
    client = s3(moto)
    make_bucket(client, "bkt-1")
    (tmp_path / "sub").mkdir()
    files = {"a.md": b"# hi", "b.json": b"{}", "sub/c.png": b"\x89PNG", "d.weird": b"\x00\x01"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    heard: list[str] = []
    done = upload_folder(
        tmp_path, parse_s3_url("s3://bkt-1/p/", field="--out"), field="--out", client=client,
        on_file=lambda f: heard.append(f.url.key),
    )  # fmt: skip
    stored = objects(client, "bkt-1")
    assert sorted(stored) == heard == [f"p/{name}" for name in sorted(files)]
    assert [f.size_bytes for f in done] == [len(files[n]) for n in sorted(files)]
    for name, data in files.items():
        assert client.get_object(Bucket="bkt-1", Key=f"p/{name}")["Body"].read() == data
    assert stored["p/d.weird"]["ContentType"] == "application/octet-stream"
    assert stored["p/sub/c.png"]["ContentType"] == "image/png"


def test_upload_to_a_missing_bucket_is_a_config_error_naming_the_option(
    moto: Moto, tmp_path: Path
) -> None:
    (tmp_path / "report.md").write_text("x")
    with pytest.raises(ConfigError) as info:
        upload_folder(tmp_path, S3Url("no-such-bucket", "x"), field="--out", client=s3(moto))
    assert info.value.field == "--out"
    assert "bucket 'no-such-bucket' does not exist" in info.value.message


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The real entry point in a process (its error handling, exit code and stderr)."""
    command = [sys.executable, "-c", "from mecrouter.cli import main; main()", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("out", "credentials", "message"),
    [
        ("s3://no-such-bucket/runs", True, "S3 bucket 'no-such-bucket' does not exist"),
        ("s3://Bad_Bucket/runs", True, "is not a bucket name"),
        ("s3://reports/runs", False, "no AWS credentials"),
    ],
)
def test_a_bad_s3_destination_exits_2_before_the_run_without_a_traceback(
    moto: Moto, out: str, credentials: bool, message: str
) -> None:
    make_bucket(s3(moto), "reports")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {"AWS_ENDPOINT_URL": moto.url, "AWS_REGION": REGION, "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}  # fmt: skip
    if credentials:
        env |= {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    done = _cli(["simulate", "--scenario", "iot", "--requests", "100", "--out", out], env)
    assert done.returncode == 2, done.stdout + done.stderr
    said = " ".join(done.stderr.split())  # rich wraps long lines
    assert said.startswith("error: invalid config: --out: ") and message in said
    assert "Traceback" not in done.stdout + done.stderr
    assert "simulated requests" not in done.stdout  # it failed before simulating


@pytest.mark.parametrize(
    "url", ["https://bucket/key", "s3://ab/key", "s3://bucket..x/k", "s3://bucket/a//b", "s3://b_b"]
)
def test_malformed_s3_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_s3_url(url, field="--out")
    assert info.value.field == "--out"


# ------------------------------------------------------------------------------ models


def _shifted_model(tmp_path: Path, bias_shift: float) -> Path:
    """The shipped fast model with every logit moved by ``bias_shift`` (distinguishable)."""
    shipped = FastQualityModel.load(SHIPPED_FAST_MODEL)
    shifted = FastQualityModel(
        shipped.models, buckets=shipped.buckets, rows=shipped.rows, dense_w=shipped.dense_w,
        bias=shipped.bias + bias_shift, meta=shipped.meta,
    )  # fmt: skip
    path = tmp_path / f"shifted{bias_shift}.npz"
    shifted.save(path)
    return path


def test_a_model_is_downloaded_once_per_version_then_read_from_the_cache(
    moto: Moto, tmp_path: Path
) -> None:
    client = s3(moto)
    make_bucket(client, "models")
    client.upload_file(str(SHIPPED_FAST_MODEL), "models", "quality/fast.npz")
    gets = count_calls(client, "GetObject")
    cache = tmp_path / "cache"
    first = cached_download("s3://models/quality/fast.npz", field=FIELD, cache_dir=cache,
                            client=client)  # fmt: skip
    second = cached_download("s3://models/quality/fast.npz", field=FIELD, cache_dir=cache,
                             client=client)  # fmt: skip
    assert first == second and first.is_relative_to(cache)
    assert first.read_bytes() == SHIPPED_FAST_MODEL.read_bytes()
    assert len(gets) == 1  # the second load read the cache
    client.upload_file(str(_shifted_model(tmp_path, 1.0)), "models", "quality/fast.npz")
    third = cached_download("s3://models/quality/fast.npz", field=FIELD, cache_dir=cache,
                            client=client)  # fmt: skip
    assert third != first and len(gets) == 2  # a new version (ETag) is fetched
    assert third.read_bytes() == (tmp_path / "shifted1.0.npz").read_bytes()


def test_quality_model_path_on_s3_is_the_model_the_router_uses(
    moto: Moto, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mecrouter.agents.context import quality_predictor

    client = s3(moto)
    make_bucket(client, "models")
    client.upload_file(str(_shifted_model(tmp_path, 4.0)), "models", "fast.npz")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto.url)
    monkeypatch.setenv("MECROUTER_CACHE_DIR", str(tmp_path / "cache"))
    default = load_config()
    from_s3 = default.model_copy(
        update={
            "quality": default.quality.model_copy(update={"model_path": "s3://models/fast.npz"})
        }
    )
    shipped_judge, s3_judge = quality_predictor(default), quality_predictor(from_s3)
    assert shipped_judge is not None and s3_judge is not None
    prompt = "Prove that the square root of two is irrational."
    shipped_p, s3_p = shipped_judge(prompt)[0], s3_judge(prompt)[0]
    assert all(s3_p[m] > shipped_p[m] + 0.05 for m in shipped_p)  # logits +4: the S3 model
    assert len(list((tmp_path / "cache").rglob("*.npz"))) == 1


def test_a_missing_model_object_is_a_config_error_naming_the_field(
    moto: Moto, tmp_path: Path
) -> None:
    client = s3(moto)
    make_bucket(client, "models")
    with pytest.raises(ConfigError) as info:
        cached_download("s3://models/none.npz", field=FIELD, cache_dir=tmp_path, client=client)
    assert info.value.field == FIELD and "no S3 object s3://models/none.npz" in info.value.message
    with pytest.raises(ConfigError, match="names a prefix"):
        cached_download("s3://models/dir/", field=FIELD, cache_dir=tmp_path, client=client)


def test_unreachable_s3_falls_back_to_the_cached_copy_only_if_there_is_one(
    moto: Moto, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = aws_client("s3", endpoint_url=moto.url, max_attempts=1)
    make_bucket(client, "models")
    client.upload_file(str(SHIPPED_FAST_MODEL), "models", "fast.npz")
    cached = cached_download("s3://models/fast.npz", field=FIELD, cache_dir=tmp_path,
                             client=client)  # fmt: skip
    with moto.down(), caplog.at_level(logging.WARNING, logger="mecrouter.aws.s3"):
        offline = cached_download("s3://models/fast.npz", field=FIELD, cache_dir=tmp_path,
                                  client=client)  # fmt: skip
        with pytest.raises(ConfigError, match="cannot reach S3"):
            cached_download("s3://models/other.npz", field=FIELD, cache_dir=tmp_path,
                            client=client)  # fmt: skip
    assert offline == cached
    assert "S3 unreachable" in caplog.text and str(cached) in caplog.text


# ------------------------------------------------------------------------------ no boto3 in core


def _loads_boto3(code: str) -> bool:
    script = f"import sys\n{code}\nprint('boto3' in sys.modules or 'botocore' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=True)  # fmt: skip
    return done.stdout.strip().splitlines()[-1] == "True"


def test_the_core_and_a_local_simulate_never_import_boto3(tmp_path: Path) -> None:
    assert not _loads_boto3("import mecrouter, mecrouter.cli, mecrouter.config")
    local_run = (
        "from typer.testing import CliRunner\nfrom mecrouter.cli import app\n"
        "r = CliRunner().invoke(app, ['simulate', '--scenario', 'iot', '--requests', '100', "
        f"'--workers', '1', '--policies', 'mecrouter', '--out', {str(tmp_path)!r}])\n"
        "assert r.exit_code == 0, r.output"
    )
    assert not _loads_boto3(local_run)
    assert (tmp_path / "report.md").is_file()
    assert _loads_boto3("import mecrouter.aws.s3")  # the probe can see boto3 when it is there


def test_a_failed_upload_keeps_the_local_report_and_says_where(
    moto: Moto, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bucket answers the check before the run and is gone when the report is uploaded."""
    import mecrouter.sim.engine as engine

    client = s3(moto)
    make_bucket(client, "reports")
    real_run = engine.run_scenario

    def run_then_drop_the_bucket(*args: Any, **kwargs: Any) -> Any:
        result = real_run(*args, **kwargs)
        client.delete_bucket(Bucket="reports")
        return result

    monkeypatch.setattr(engine, "run_scenario", run_then_drop_the_bucket)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto.url)
    result = runner.invoke(
        app,
        ["simulate", "--scenario", "iot", "--requests", "100", "--workers", "1",
         "--policies", "mecrouter", "--out", "s3://reports/runs"],
    )  # fmt: skip
    assert isinstance(result.exception, ConfigError), result.output
    assert result.exception.field == "--out"
    assert "S3 bucket 'reports' does not exist" in result.exception.message
    kept = Path(result.exception.message.rsplit("the report is kept in ", 1)[1])
    try:
        assert (kept / "report.md").is_file() and (kept / "results.json").is_file()
    finally:
        shutil.rmtree(kept, ignore_errors=True)
