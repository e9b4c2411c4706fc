"""The RouterAgent's decision record with its reasoning text formatted on first read.

It lives apart from `router`, so that `router` can be compiled (`make fast`): mypyc compiles
no property setter on a subclass of an interpreted dataclass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mecrouter.types import RoutingDecision

__all__ = ["DeferredReasoning"]

_REASONING_SLOT: Any = RoutingDecision.__dict__["reasoning"]  # the dataclass slot's descriptor


class DeferredReasoning(RoutingDecision):
    """A RoutingDecision whose `reasoning` text is formatted on first read, from the numbers the
    decision was made with (the same text eager formatting gives).

    Formatting those numbers costs about a sixth of a decision, and nothing reads the text before
    the request is dispatched: the CLI, the decision log and `/v1/decisions` read it afterwards.
    """

    __slots__ = ("_render",)
    _render: Callable[[], str] | None

    @property
    def reasoning(self) -> str:
        render = self._render
        if render is not None:
            self._render = None
            _REASONING_SLOT.__set__(self, render())
        text: str = _REASONING_SLOT.__get__(self)
        return text

    @reasoning.setter
    def reasoning(self, text: str) -> None:
        self._render = None
        _REASONING_SLOT.__set__(self, text)
