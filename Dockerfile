# mecrouter's container images (docs/deploy.md):
#
#   docker build -t mecrouter-edge .                         the gateway for a MEC edge node (`edge`,
#                                                            the last stage, so the default target)
#   docker build --target lambda -t mecrouter-lambda .       the AWS Lambda container image (the CDK
#                                                            app builds this target)
#
# Only the runtime extras go in: `aws` (boto3) and, for the edge image, `dashboard` (Streamlit);
# never `dev`, `embeddings` or `corpus`. Versions come from constraints.txt, as in CI. The measured
# data/ is not copied: the gateway, the emulated tiers and the dashboard's live pages do not read it
# (the simulator and the evaluations do; mount it and set MECROUTER_DATA to use them).
# Needs BuildKit (Docker 23 and later use it by default): the lambda stage uses RUN --mount.

# ---- build: the project and its runtime dependencies in /opt/venv, plus the project's wheel
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY src/ src/
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir -c constraints.txt ".[aws,dashboard]" \
    && /opt/venv/bin/pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# ---- lambda: the gateway as an AWS Lambda function (container image)
# Python 3.12, not 3.11: the python:3.11 Lambda image runs on Amazon Linux 2 (glibc 2.26), and the
# numpy that constraints.txt pins ships no wheel for a glibc that old; python:3.12 runs on Amazon
# Linux 2023 (glibc 2.34). For the same reason the packages are installed here, by this image's own
# pip (wheels for its glibc, architecture and Python), rather than copied from the Debian-based
# build stage: only the project's wheel (pure Python) comes from there. --only-binary: a dependency
# without a fitting wheel fails the build instead of being compiled or copied in broken.
FROM public.ecr.aws/lambda/python:3.12 AS lambda
RUN --mount=type=bind,from=build,source=/wheels,target=/tmp/wheels \
    --mount=type=bind,source=constraints.txt,target=/tmp/constraints.txt \
    pip install --no-cache-dir --only-binary=:all: -c /tmp/constraints.txt \
        --target "${LAMBDA_TASK_ROOT}" "$(echo /tmp/wheels/mecrouter-*.whl)[aws]"
CMD ["mecrouter.serverless.gateway.handler"]

# ---- edge: `mecrouter serve` on a MEC node (the default target)
FROM python:3.11-slim-bookworm AS edge
# The working directory holds the decision records (mecrouter-decisions.sqlite3) and the API keys
# (mecrouter-keys.sqlite3), the defaults of `serve` and `keys`: mount a volume on it to keep them.
ENV PATH=/opt/venv/bin:$PATH \
    HOME=/var/lib/mecrouter \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN groupadd --gid 10001 mecrouter \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /var/lib/mecrouter \
        --shell /usr/sbin/nologin mecrouter \
    && install -d -o 10001 -g 10001 -m 0750 /var/lib/mecrouter
COPY --from=build /opt/venv /opt/venv
WORKDIR /var/lib/mecrouter
USER 10001:10001
EXPOSE 8000
# The gateway drains on SIGTERM for up to --drain-s (30 s): give `docker stop` at least that long
# (`docker run --stop-timeout 35`, compose's stop_grace_period).
STOPSIGNAL SIGTERM
# Ready: 200 from /readyz (503 while every circuit is open). No curl in the slim image: Python's
# urllib (an HTTP error or a refused connection raises, so the exit code is 1).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=3).status != 200)"]
ENTRYPOINT ["mecrouter"]
# API keys are required (create one with `keys create`, docs/deploy.md); the records and keys go to
# the working directory unless a config (--config) or --db/--keys-db says otherwise.
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
