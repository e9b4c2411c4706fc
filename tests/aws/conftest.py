"""The AWS tests' fixtures (`moto`: moto's server on 127.0.0.1, reset per test, with dummy
credentials; `aws_env`) live in tests/moto_fixtures.py, a plugin tests/conftest.py loads for the
whole suite (the store contract tests use them too)."""
