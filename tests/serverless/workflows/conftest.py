"""The `aws` fixture of the workflow tests (moto's server, the reports bucket, the store's
tables and the handlers' environment) lives in workflow_env.py with the tests' helpers."""

from workflow_env import aws

__all__ = ["aws"]
