"""The `mecrouter` command line: `route` (one decision), `demo` (the four seed scenarios),
`serve` (the OpenAI-compatible gateway), `emulate` (one tier over HTTP), `keys`, `simulate`,
`train-quality`, `eval-quality`, `eval-cache`, `quality score` and `dashboard` (the
operator's Streamlit app).

Errors from bad input are printed as one line naming the field, with exit code 2; nothing here
shows a stack trace to the user.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from mecrouter.compiled import warn_if_stale
from mecrouter.dashboard.command import dashboard
from mecrouter.demo.command import demo
from mecrouter.errors import MecrouterError
from mecrouter.eval.cache_command import eval_cache
from mecrouter.eval.privacy_command import eval_privacy, privacy_corpus, privacy_train
from mecrouter.eval.quality_command import eval_quality, train_quality
from mecrouter.eval.score_command import quality_app
from mecrouter.gateway.commands import keys_app, serve
from mecrouter.sim.command import simulate

if TYPE_CHECKING:  # each command imports what it runs when it runs, so the CLI starts quickly
    from mecrouter.config import Config
    from mecrouter.types import RoutingDecision

__all__ = ["app", "main"]

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console(width=None if sys.stdout.isatty() else 150)
err_console = Console(stderr=True)

app.command()(serve)
app.command()(simulate)
app.command()(dashboard)
app.command("eval-quality")(eval_quality)
app.command("train-quality")(train_quality)
app.command("eval-cache")(eval_cache)
app.command("eval-privacy")(eval_privacy)
app.command("privacy-corpus")(privacy_corpus)
app.command("privacy-train")(privacy_train)
app.add_typer(keys_app, name="keys")
app.add_typer(quality_app, name="quality")

ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="YAML config (default: the shipped one)")
]


def main() -> None:
    """Console entry point: run the app, turning mecrouter errors into a clean message."""
    warn_if_stale()  # a module `make fast` compiled is older than its source
    try:
        app()
    except MecrouterError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        sys.exit(2)


@app.command()
def route(
    text: Annotated[str, typer.Argument(help="The prompt to route")],
    use_case: Annotated[
        str, typer.Option(help="gaming | automotive | healthcare | iot | default")
    ] = "default",
    slo_ms: Annotated[int | None, typer.Option(help="Latency target in ms")] = None,
    privacy: Annotated[
        str | None, typer.Option(help="public | internal | sensitive | regulated")
    ] = None,
    region: Annotated[str | None, typer.Option(help="Where the request's data lives")] = None,
    network: Annotated[str, typer.Option(help="5g | lte | wifi | offline")] = "5g",
    battery: Annotated[float, typer.Option(help="Device battery, percent")] = 100.0,
    budget: Annotated[float | None, typer.Option(help="Max cost for this request, USD")] = None,
    local_model: Annotated[
        list[str] | None,
        typer.Option(help="Model present on the device (repeatable; 'none' for no local model)"),
    ] = None,
    memory_mb: Annotated[int, typer.Option(help="Device memory, MB")] = 8192,
    max_tokens: Annotated[int | None, typer.Option(help="Output tokens to plan for")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the decision as one JSON object")
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Decide where one request would go, and why (no inference is run)."""
    from mecrouter.config import load_config
    from mecrouter.types import parse_request

    models = ["llama-3.2-1b-instruct"] if local_model is None else local_model
    data: dict[str, Any] = {
        "content": text,
        "use_case": use_case,
        "latency_slo_ms": slo_ms,
        "privacy": privacy,
        "region": region,
        "cost_budget": budget,
        "max_tokens": max_tokens,
        "device_info": {
            "device_id": "cli",
            "battery_pct": battery,
            "memory_mb": memory_mb,
            "local_models": [m for m in models if m != "none"],
            "network_type": network,
            "connected": network != "offline",
        },
    }
    cfg = load_config(config)
    request = parse_request({k: v for k, v in data.items() if v is not None}, cfg.use_cases)
    decision = asyncio.run(_route_once(cfg, request))
    if as_json:
        typer.echo(json.dumps(decision.to_dict()))
    else:
        _print_decision(decision)


async def _route_once(cfg: Config, request: Any) -> RoutingDecision:
    from mecrouter.pipeline import Router

    router = Router.from_config(cfg)
    try:
        return await router.route(request)
    finally:
        await router.aclose()


def _print_decision(d: RoutingDecision) -> None:
    table = Table(show_header=False, box=None)
    table.add_row("tier", f"[bold]{d.selected_tier.value}[/bold]")
    table.add_row("model", d.selected_model)
    table.add_row("endpoint", d.selected_endpoint)
    table.add_row("confidence", f"{d.confidence_score:.2f}")
    table.add_row("est. latency", f"{d.estimated_latency} ms")
    table.add_row("est. cost", f"${d.estimated_cost:.6f}")
    table.add_row("fallbacks", " → ".join(d.fallback_endpoints) or "none")
    table.add_row("reasoning", d.reasoning)
    console.print(table)


app.command()(demo)


@app.command()
def emulate(
    tier: Annotated[str, typer.Option(help="device | mec | cloud: which tier to emulate")],
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port to listen on")] = 9102,
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default)")] = "127.0.0.1",
    node: Annotated[str | None, typer.Option(help="Only this MEC node's endpoints")] = None,
    rtt_ms: Annotated[
        float, typer.Option(min=0.0, help="Emulated network round trip added to every call, ms")
    ] = 0.0,
    time_scale: Annotated[
        float, typer.Option(min=1e-12, help="Multiply every emulated delay (0.01 = 100x faster)")
    ] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same answers)")] = 0,
    api: Annotated[
        str, typer.Option(help="openai (chat completions) | bedrock (Converse, event stream)")
    ] = "openai",
    config: ConfigOpt = None,
) -> None:
    """Serve one emulated tier over HTTP, as an OpenAI-compatible server or as Amazon Bedrock's
    Converse API (faults via /admin/fault)."""
    from mecrouter.config import load_config
    from mecrouter.gateway.emulator import run_emulator

    run_emulator(
        load_config(config),
        tier=tier,
        host=host,
        port=port,
        node=node,
        rtt_ms=rtt_ms,
        time_scale=time_scale,
        seed=seed,
        api=api,
    )
