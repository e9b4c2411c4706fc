"""`run_app`: the dashboard's navigation, one page per module."""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from mecrouter.dashboard.views import cost, decisions, live, placement, whatif_page
from mecrouter.dashboard.views.context import Context, context_from_args, guarded

__all__ = ["PAGES", "run_app"]

PAGES: tuple[tuple[str, str, Callable[[Context], None]], ...] = (
    ("Live", ":material/monitoring:", live.draw),
    ("Decisions", ":material/list_alt:", decisions.draw),
    ("Cost & savings", ":material/savings:", cost.draw),
    ("Placement & health", ":material/dns:", placement.draw),
    ("What-if", ":material/science:", whatif_page.draw),
)


def run_app(argv: list[str]) -> None:
    st.set_page_config(page_title="mecrouter", page_icon=":material/hub:", layout="wide")
    ctx = context_from_args(argv)
    pages = [
        st.Page(_page(draw, ctx), title=title, icon=icon, url_path=_slug(title))
        for title, icon, draw in PAGES
    ]
    with st.sidebar:
        st.markdown("**mecrouter** · operator's dashboard")
        st.caption(f"store: `{ctx.store_url}`")
        st.caption(f"gateway: `{ctx.gateway_url or '— (--gateway URL)'}`")
    st.navigation(pages).run()


def _page(draw: Callable[[Context], None], ctx: Context) -> Callable[[], None]:
    def page() -> None:
        guarded(draw, ctx)

    page.__name__ = draw.__module__.rsplit(".", 1)[-1]
    return page


def _slug(title: str) -> str:
    """`Cost & savings` -> `cost-savings`: each run of other characters becomes one dash."""
    return "-".join(re.findall(r"[a-z0-9]+", title.lower()))
