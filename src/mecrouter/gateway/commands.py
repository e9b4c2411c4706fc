"""`mecrouter serve` and `mecrouter keys create|list|revoke`: the gateway's command line.

FastAPI and uvicorn are imported inside the commands, so `mecrouter route` stays quick to start.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from mecrouter.config import Config, SharedStateConfig

__all__ = [
    "DbOpt", "StateOpt", "StoreOpt", "check_state_url", "check_store_url", "keys_app", "serve",
    "store_option",
]  # fmt: skip

_console = Console()
_err = Console(stderr=True)

KeysDbOpt = Annotated[
    Path, typer.Option("--keys-db", help="SQLite file holding the API keys (hashed)")
]
_DEFAULT_KEYS_DB = Path("mecrouter-keys.sqlite3")
MetricsAuthOpt = Annotated[
    bool, typer.Option("--metrics-auth", help="Require an API key for /metrics and /openapi.json")
]


def check_store_url(url: str | None) -> str | None:
    """A bad --store is a usage error (exit 2) naming the accepted forms, before anything runs."""
    from mecrouter.errors import ConfigError
    from mecrouter.stores import parse_store_url

    if url is not None:
        try:
            parse_store_url(url)
        except ConfigError as exc:
            raise typer.BadParameter(exc.message) from None
    return url


StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        metavar="URL",
        callback=check_store_url,
        help="Where decision records go: sqlite:///relative/path.db, sqlite:////absolute/path.db, "
        "memory:// or dynamodb://table-prefix?region=R (overrides the config's store: section)",
    ),
]


def check_state_url(url: str | None) -> str | None:
    """A bad --state is a usage error (exit 2) naming the accepted forms."""
    import pydantic

    from mecrouter.config import SharedStateConfig

    if url is not None:
        try:
            SharedStateConfig(url=url)
        except pydantic.ValidationError as exc:
            message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
            raise typer.BadParameter(message) from None
    return url


StateOpt = Annotated[
    str | None,
    typer.Option(
        "--state",
        metavar="URL",
        callback=check_state_url,
        help="Share rate limits, spend, circuits and revocations with the other replicas through "
        "Redis: redis://host:6379/0 (overrides the config's state: section)",
    ),
]
DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db", metavar="PATH", help="SQLite file for the decision records: --store sqlite:///PATH"
    ),
]


def store_option(store: str | None, db: Path | None) -> str | None:
    """The store URL that --store or its alias --db gives (None: the config's section)."""
    if db is None:
        return store
    if store is not None:
        raise typer.BadParameter("give --store or --db, not both", param_hint="--db")
    from mecrouter.stores import sqlite_url

    return check_store_url(sqlite_url(db))


keys_app = typer.Typer(help="Create, list and revoke the gateway's API keys.", no_args_is_help=True)


def serve(
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="YAML config (default: the shipped one)")
    ] = None,
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8080,
    store: StoreOpt = None,
    db: DbOpt = None,
    keys_db: KeysDbOpt = _DEFAULT_KEYS_DB,
    no_auth: Annotated[
        bool, typer.Option("--no-auth", help="Accept requests without an API key (local dev only)")
    ] = False,
    max_body_bytes: Annotated[
        int, typer.Option(min=1024, help="Largest request body accepted (413 above)")
    ] = 1_048_576,
    access_log: Annotated[bool, typer.Option(help="Log every request line")] = False,
    header_timeout_s: Annotated[
        float, typer.Option(min=0.1, help="Time for a request's head to arrive (408 after)")
    ] = 10.0,
    body_timeout_s: Annotated[
        float, typer.Option(min=0.1, help="Time for a request's body to arrive (408 after)")
    ] = 30.0,
    max_header_bytes: Annotated[
        int, typer.Option(min=1024, help="Largest request head accepted (431 above)")
    ] = 65_536,
    max_headers: Annotated[
        int, typer.Option(min=8, help="Most header lines accepted (431 above)")
    ] = 100,
    keep_alive_s: Annotated[
        int, typer.Option(min=1, help="An idle keep-alive connection is closed after this")
    ] = 5,
    metrics_auth: MetricsAuthOpt = False,
    state: StateOpt = None,
    workers: Annotated[
        int, typer.Option(min=1, max=256, help="Processes sharing the port (one per core)")
    ] = 1,
    drain_s: Annotated[
        float, typer.Option(min=0.0, help="On SIGTERM, time for requests in flight to finish")
    ] = 30.0,
) -> None:
    """Run the OpenAI-compatible gateway (POST /v1/chat/completions with model "auto")."""
    from mecrouter.gateway.app import GatewaySettings, create_app
    from mecrouter.gateway.server_limits import BodyTimeout, ServerLimits, limited_protocol
    from mecrouter.gateway.workers import serve_app

    store_url = store_option(store, db)
    settings = GatewaySettings(
        config_path=config, store_url=store_url, state_url=state, keys_db=keys_db,
        auth=not no_auth, max_body_bytes=max_body_bytes, metrics_auth=metrics_auth,
    )  # fmt: skip
    _check_and_announce(host, port, config, store_url, state, keys_db, no_auth, workers)
    limits = ServerLimits(header_timeout_s, max_header_bytes, max_headers)
    options = {"loop": "uvloop", "http": limited_protocol(limits), "log_level": "warning",
               "access_log": access_log, "timeout_keep_alive": keep_alive_s}  # fmt: skip
    code = serve_app(
        lambda: BodyTimeout(create_app(settings), body_timeout_s),
        host=host, port=port, workers=workers, drain_s=drain_s, server_options=options,
    )  # fmt: skip
    raise typer.Exit(code)


def _check_and_announce(
    host: str, port: int, config: Path | None, store_url: str | None, state: str | None,
    keys_db: Path, no_auth: bool, workers: int,
) -> None:  # fmt: skip
    """Load the config once, check what the server will need, and say where it all goes."""
    from mecrouter.config import load_config

    loaded = load_config(config)
    _announce(host, port, _records(loaded, store_url), keys_db, no_auth=no_auth)
    _announce_state(_state_of(loaded.state, state), workers)


def _records(loaded: Config, store_url: str | None) -> str:
    """Where the decision records will go; a bad store fails here, before the server starts."""
    from mecrouter.stores import check_store, describe_store, resolve_store

    settings = resolve_store(loaded.store, store_url)
    check_store(settings)
    if loaded.aws.cloudwatch.enabled or loaded.aws.eventbridge.enabled:
        from mecrouter.aws.clients import require_boto3

        require_boto3("the config's aws: section")  # not at the server's start-up, as a traceback
    return describe_store(settings)


def _announce(host: str, port: int, records: str, keys_db: Path, *, no_auth: bool) -> None:
    """Where the gateway listens, and a warning when it runs without keys."""
    if no_auth:
        _err.print(
            "[bold red]WARNING: authentication is DISABLED (--no-auth). Anyone who can reach "
            f"{host}:{port} can spend your inference budget. Use this for local development "
            "only.[/bold red]"
        )
    elif host not in ("127.0.0.1", "localhost", "::1"):
        _err.print(f"[yellow]listening on {host}: keys are required (--keys-db {keys_db})")
    _err.print(
        f"mecrouter gateway on http://{host}:{port}/v1  (decisions: {records}"
        + ("" if no_auth else f", keys: {keys_db}")
        + ")"
    )


def _state_of(cfg: SharedStateConfig, url: str | None) -> SharedStateConfig:
    """The config's `state:` section, with --state's URL when one is given."""
    return cfg if url is None else cfg.model_copy(update={"url": url})


def _state_config(config: Path | None, url: str | None) -> SharedStateConfig:
    from mecrouter.config import load_config

    return _state_of(load_config(config).state, url)


def _announce_state(cfg: SharedStateConfig, workers: int) -> None:
    """Where shared state lives, and a warning when Redis does not answer (the gateway starts
    anyway, on its own state, and shares once Redis answers) or when workers share nothing."""
    import asyncio

    if cfg.url is None:
        if workers > 1:
            _err.print(
                f"[yellow]{workers} workers without --state: each keeps its own rate limits, "
                "budgets and circuits (give --state redis://... to share them)"
            )
        return
    where = _without_password(cfg.url)
    if asyncio.run(_redis_answers(cfg)):
        _err.print(f"shared state: {where}")
    else:
        _err.print(
            f"[yellow]shared state: {where} does not answer; serving on local state until it does"
        )


async def _redis_answers(cfg: SharedStateConfig) -> bool:
    from mecrouter.gateway.shared import SharedState

    shared = SharedState.from_config(cfg)
    if shared is None:
        return False
    try:
        await shared.start()
        return shared.health.connected
    finally:
        await shared.aclose()


def _without_password(url: str) -> str:
    """`url` with any user and password left out, fit to print."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}{rest.rpartition('@')[2]}" if "@" in rest else url


@keys_app.command("create")
def create_key(
    name: Annotated[str, typer.Option(help="Who or what the key is for")],
    rpm: Annotated[int | None, typer.Option(help="Requests per minute allowed")] = None,
    budget_usd: Annotated[float | None, typer.Option(help="Total spend allowed, USD")] = None,
    admin: Annotated[
        bool, typer.Option("--admin", help="May read every key's decisions (operators only)")
    ] = False,
    tenant: Annotated[
        str | None, typer.Option(help="Tenant the key belongs to (cache_partition: tenant)")
    ] = None,
    keys_db: KeysDbOpt = _DEFAULT_KEYS_DB,
) -> None:
    """Create a key and print its secret (shown once; only its hash is stored)."""
    from mecrouter.gateway.auth import KeyStore

    with KeyStore(keys_db) as store:
        secret, key = store.create(
            name, rpm_limit=rpm, budget_usd=budget_usd, admin=admin, tenant=tenant
        )
    _err.print(f"created {key.role} key {key.key_id} ({key.name}); the secret is shown once:")
    sys.stdout.write(secret + "\n")


@keys_app.command("list")
def list_keys(keys_db: KeysDbOpt = _DEFAULT_KEYS_DB) -> None:
    """Every key with its limits and spend (never the secrets)."""
    from mecrouter.gateway.auth import KeyStore

    with KeyStore(keys_db) as store:
        keys = store.list()
    tenants = any(k.tenant for k in keys)  # the column only when some key has a tenant
    table = Table()
    table.add_column("key id", no_wrap=True)
    for header in ("name", *(["tenant"] if tenants else [])):
        table.add_column(header, overflow="fold")  # wrapped, never cut short
    for header in ("role", "status"):
        table.add_column(header)
    for header in ("rpm", "budget $", "spent $"):
        table.add_column(header)
    for k in keys:
        table.add_row(
            k.key_id,
            k.name,
            *([k.tenant or "-"] if tenants else []),
            k.role,
            "active" if k.active else "revoked",
            "-" if k.rpm_limit is None else str(k.rpm_limit),
            "-" if k.budget_usd is None else f"{k.budget_usd:.4f}",
            f"{k.spent_usd:.6f}",
        )
    _console.print(table)


@keys_app.command("revoke")
def revoke_key(
    key_id: Annotated[str, typer.Argument(help="The key id, e.g. mk_3f9a1c2b")],
    keys_db: KeysDbOpt = _DEFAULT_KEYS_DB,
    state: StateOpt = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="YAML config whose state: to tell")
    ] = None,
) -> None:
    """Revoke a key; a running gateway refuses it within about a second (every replica, with
    shared state)."""
    import asyncio

    from mecrouter.gateway.auth import KeyStore

    with KeyStore(keys_db) as store:
        key = store.revoke(key_id)
    _err.print(f"revoked {key.key_id} ({key.name})")
    cfg = _state_config(config, state)
    if cfg.url is not None and not asyncio.run(_share_revocation(cfg, key.key_id)):
        _err.print(
            f"[yellow]{_without_password(cfg.url)} did not answer: replicas reading "
            f"{keys_db} refuse the key within a second and share it once Redis answers"
        )


async def _share_revocation(cfg: SharedStateConfig, key_id: str) -> bool:
    from mecrouter.gateway.shared import SharedState

    shared = SharedState.from_config(cfg)
    if shared is None:
        return False
    try:
        return await shared.revoke([key_id])
    finally:
        await shared.aclose()
