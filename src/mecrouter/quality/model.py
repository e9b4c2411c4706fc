"""Quality predictors: P(model m answers correctly | prompt) for the models behind each tier.

Two feature paths share one output contract, a float64 vector of probabilities in `models` order:

- `FastQualityModel`: hashed word n-grams and dense counts (`features`), one logistic regression
  per model. Inference gathers the weight rows of the prompt's buckets, sums them, adds the dense
  part and applies the sigmoid: microseconds, no I/O, safe on the event loop.
- `EmbeddingQualityModel`: logistic heads on all-MiniLM-L6-v2 sentence vectors. Encoding costs
  milliseconds of CPU, so `apredict` runs it in the embedder's worker thread (batched with other
  callers); use it only when the request's latency budget allows.

Both are trained with scikit-learn on RouterBench train splits only (`train_fast`,
`train_embedding` refuse rows that came from a ``*_test.csv``) and keep plain numpy arrays for
inference. Files are written as ``.npz`` with fixed zip timestamps, so retraining with the same
data and seed reproduces the file bit for bit.
"""

from __future__ import annotations

import functools
import io
import json
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt

from mecrouter.errors import ConfigError, InvalidRequestError
from mecrouter.quality.data import HeldOutFileError, RouterBenchSplit
from mecrouter.quality.features import DENSE_NAMES, HEAD_CHARS, N_BUCKETS, TAIL_CHARS, featurize
from mecrouter.quality.features import window as _window
from mecrouter.quality.support import Support, support_meta

__all__ = [
    "DEFAULT_C",
    "DEFAULT_TIER_MODELS",
    "EMBED_HEAD_CHARS",
    "EMBED_TAIL_CHARS",
    "SHIPPED_EMBEDDING_MODEL",
    "SHIPPED_FAST_MODEL",
    "TIER_MODELS",
    "EmbeddingQualityModel",
    "FastQualityModel",
    "TextEncoder",
    "default_embedding_model",
    "default_fast_model",
    "design_matrix",
    "embedding_text",
    "train_embedding",
    "train_fast",
]

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]

DEFAULT_TIER_MODELS: Final[dict[str, tuple[str, ...]]] = {
    "device": ("mistralai/mistral-7b-chat",),
    "mec": ("mistralai/mixtral-8x7b-chat", "meta/llama-2-70b-chat"),
    "cloud": ("gpt-4-1106-preview",),
}
TIER_MODELS: Final = tuple(m for models in DEFAULT_TIER_MODELS.values() for m in models)
# L2 strength (inverse) of the per-model logistic regressions. Chosen by 5-fold cross-validation
# on the train splits (log-loss and within-dataset AUC over C in {0.1, 0.3, 1, 3, 10}), never on
# test; see the README's quality section.
DEFAULT_C: Final = 1.0
DEFAULT_EMBED_C: Final = 1.0
EMBED_HEAD_CHARS: Final = 128  # MiniLM reads at most 256 word pieces: keep the head and the
EMBED_TAIL_CHARS: Final = 512  # tail (where a few-shot prompt's question is)
SHIPPED_FAST_MODEL: Final = Path(__file__).with_name("fast_model.npz")
SHIPPED_EMBEDDING_MODEL: Final = Path(__file__).with_name("embedding_model.npz")
_FORMAT: Final = 1


class TextEncoder(Protocol):
    """What `EmbeddingQualityModel` needs of an embedder (`mecrouter.embedding.Embedder`)."""

    def encode(self, texts: Sequence[str]) -> F32: ...

    async def aencode(self, text: str) -> F32: ...


def embedding_text(prompt: str) -> str:
    """The part of a prompt the embedding path encodes."""
    return _window(prompt, EMBED_HEAD_CHARS, EMBED_TAIL_CHARS)


def _sigmoid(z: F64) -> F64:
    out: F64 = 1.0 / (1.0 + np.exp(-z))
    return out


def _expit() -> Callable[..., F64]:
    """scipy's logistic ufunc: one call instead of four numpy ones (~2 us saved per predict)."""
    from scipy.special import expit  # type: ignore[import-untyped]  # no stubs installed

    fn: Callable[..., F64] = expit
    return fn


# --------------------------------------------------------------------------- fast path


class FastQualityModel:
    """Per-model logistic regressions on `features.featurize` output, as numpy arrays.

    ``buckets`` lists the hash buckets that carry weight and ``rows[k]`` their weights, one column
    per model; ``dense_w`` and ``bias`` apply to the raw dense features (standardisation is folded
    in at training time).
    """

    def __init__(
        self,
        models: Sequence[str],
        *,
        buckets: I32,
        rows: F32,
        dense_w: F64,
        bias: F64,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.models: tuple[str, ...] = tuple(models)
        m = len(self.models)
        if rows.shape != (buckets.size, m) or dense_w.shape != (len(DENSE_NAMES), m):
            raise ConfigError("quality", "fast model arrays do not match its model list")
        if bias.shape != (m,) or (
            buckets.size and not 0 <= buckets.min() <= buckets.max() < N_BUCKETS
        ):
            raise ConfigError("quality", "fast model bias or bucket ids out of range")
        self.buckets = np.ascontiguousarray(buckets, dtype=np.int32)
        self.rows = np.ascontiguousarray(rows, dtype=np.float32)
        self.dense_w = np.ascontiguousarray(dense_w, dtype=np.float64)
        self.bias = np.ascontiguousarray(bias, dtype=np.float64)
        self.meta: dict[str, Any] = dict(meta or {})
        # Dense, for one `take` per prompt. One extra column, 1 where training saw the bucket,
        # so the same gather-and-sum also counts the prompt's seen n-grams (its support).
        table = np.zeros((N_BUCKETS, m + 1), dtype=np.float64)
        table[self.buckets, :m] = self.rows
        table[self.buckets, m] = 1.0
        self._table = table
        self._dense_w = np.zeros((len(DENSE_NAMES), m + 1), dtype=np.float64)
        self._dense_w[:, :m] = self.dense_w
        self._bias = np.append(self.bias, 0.0)
        self._m = m
        self._support = Support(self.meta)
        self._expit = _expit()

    def _logits(self, prompt: str) -> tuple[F64, float, F64]:
        """(logit per model then the weighted count of seen n-grams, n-gram weight, dense)."""
        idx, weight, dense = featurize(prompt)
        z: F64 = self._table.take(idx, axis=0).sum(axis=0)
        z *= weight
        z += dense @ self._dense_w
        z += self._bias
        return z, weight, dense

    def predict(self, prompt: str) -> F64:
        """P(correct) per model for one prompt, shape ``(len(models),)``."""
        z = self._logits(prompt)[0][: self._m]
        return self._expit(z, out=z)

    def predict_with_support(self, prompt: str) -> tuple[F64, float]:
        """(P(correct) per model, support): how much the training data backs the estimate, in
        [0, 1] (`quality.support`), 0 for a prompt unlike anything it was trained on."""
        z, weight, dense = self._logits(prompt)
        # seen count x weight, and weight = 1 / sqrt(n-grams): coverage = that x weight
        support = self._support(float(z[self._m]) * weight, dense)
        p = z[: self._m]
        return self._expit(p, out=p), support

    def predict_many(self, prompts: Sequence[str]) -> F64:
        """P(correct), shape ``(len(prompts), len(models))``."""
        out = np.empty((len(prompts), len(self.models)), dtype=np.float64)
        for i, prompt in enumerate(prompts):
            out[i] = self.predict(prompt)
        return out

    def save(self, path: str | Path) -> None:
        meta = {**self.meta, "format": _FORMAT, "kind": "fast", "models": list(self.models)}
        _write_npz(
            Path(path),
            meta,
            buckets=self.buckets,
            rows=self.rows,
            dense_w=self.dense_w,
            bias=self.bias,
        )

    @classmethod
    def load(cls, path: str | Path) -> FastQualityModel:
        meta, arrays = _read_npz(Path(path), "fast", ("buckets", "rows", "dense_w", "bias"))
        featurizer = {"n_buckets": N_BUCKETS, "head_chars": HEAD_CHARS, "tail_chars": TAIL_CHARS}
        if any(meta.get(k) != v for k, v in featurizer.items()):
            raise ConfigError("quality", f"{path} was trained with other features; retrain it")
        return cls(
            meta["models"],
            buckets=arrays["buckets"].astype(np.int32),
            rows=arrays["rows"].astype(np.float32),
            dense_w=arrays["dense_w"].astype(np.float64),
            bias=arrays["bias"].astype(np.float64),
            meta=meta,
        )


@functools.cache
def default_fast_model() -> FastQualityModel:
    """The fast model shipped with mecrouter (``quality/fast_model.npz``), loaded once."""
    return FastQualityModel.load(SHIPPED_FAST_MODEL)


def design_matrix(prompts: Sequence[str]) -> tuple[Any, F64]:
    """The sparse hashed part ``(n, N_BUCKETS)``, a scipy CSR matrix, and the raw dense part
    ``(n, D)`` of `featurize`, row by row."""
    sp = _sparse()
    indptr = np.zeros(len(prompts) + 1, dtype=np.int64)
    indices: list[npt.NDArray[np.int64]] = []
    values: list[F64] = []
    dense = np.empty((len(prompts), len(DENSE_NAMES)), dtype=np.float64)
    for i, prompt in enumerate(prompts):
        idx, weight, dense[i] = featurize(prompt)
        indices.append(idx)
        values.append(np.full(idx.size, weight))
        indptr[i + 1] = indptr[i] + idx.size
    hashed = sp.csr_matrix(
        (
            np.concatenate(values) if values else np.zeros(0),
            np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
            indptr,
        ),
        shape=(len(prompts), N_BUCKETS),
    )
    hashed.sum_duplicates()  # a repeated n-gram counts its weight once per occurrence
    return hashed, dense


def train_fast(
    rows: RouterBenchSplit,
    *,
    seed: int,
    models: Sequence[str] = TIER_MODELS,
    c: float = DEFAULT_C,
) -> FastQualityModel:
    """One L2 logistic regression per model on hashed n-grams + standardised dense features.

    Rows whose correctness cell is empty for a model are left out of that model's fit. The seed
    drives liblinear's coordinate order, so the same rows and seed give the same weights.
    """
    sp = _sparse()
    _refuse_held_out(rows)
    cols = rows.columns(models)
    hashed, dense = design_matrix(rows.prompts)
    mu, sd = _standardiser(dense)
    x = sp.hstack([hashed, sp.csr_matrix((dense - mu) / sd)], format="csr")
    coefs, intercepts, counts = [], [], {}
    for model, col in zip(models, cols, strict=True):
        coef, intercept, n = _fit_logistic(x, rows.correct[:, col], c=c, seed=seed, model=model)
        coefs.append(coef)
        intercepts.append(intercept)
        counts[model] = n
    w = np.column_stack(coefs)  # (N_BUCKETS + D, M)
    hashed_w, dense_std_w = w[:N_BUCKETS], w[N_BUCKETS:]
    dense_w = dense_std_w / sd[:, None]
    bias = np.asarray(intercepts, dtype=np.float64) - mu @ dense_w
    used = np.flatnonzero(np.abs(hashed_w).max(axis=1) > 0).astype(np.int32)
    meta = {
        "seed": seed,
        "c": c,
        "n_buckets": N_BUCKETS,
        "head_chars": HEAD_CHARS,
        "tail_chars": TAIL_CHARS,
        "dense_features": list(DENSE_NAMES),
        **support_meta(dense, mu, sd),
        "trained_on": sorted(p.name for p in rows.files),
        "train_rows": counts,
    }
    return FastQualityModel(
        models,
        buckets=used,
        rows=hashed_w[used].astype(np.float32),
        dense_w=dense_w,
        bias=bias,
        meta=meta,
    )


# --------------------------------------------------------------------------- embedding path


class EmbeddingQualityModel:
    """Logistic heads on all-MiniLM-L6-v2 vectors: ``sigmoid(vectors @ weights + bias)``."""

    def __init__(
        self,
        models: Sequence[str],
        *,
        weights: F64,
        bias: F64,
        meta: Mapping[str, Any] | None = None,
        embedder: TextEncoder | None = None,
    ) -> None:
        from mecrouter.embedding import DIM

        self.models: tuple[str, ...] = tuple(models)
        if weights.shape != (DIM, len(self.models)) or bias.shape != (len(self.models),):
            raise ConfigError("quality", "embedding model arrays do not match its model list")
        self.weights = np.ascontiguousarray(weights, dtype=np.float64)
        self.bias = np.ascontiguousarray(bias, dtype=np.float64)
        self.meta: dict[str, Any] = dict(meta or {})
        self._embedder = embedder

    @property
    def embedder(self) -> TextEncoder:
        """The embedder (the process's shared one unless one was given), loaded on first use."""
        if self._embedder is None:
            from mecrouter.embedding import shared_embedder

            self._embedder = shared_embedder()
        return self._embedder

    def predict_vectors(self, vectors: npt.NDArray[np.floating[Any]]) -> F64:
        """P(correct) for embedded prompts: ``(n, DIM) -> (n, len(models))``."""
        z: F64 = np.asarray(vectors, dtype=np.float64) @ self.weights
        return _sigmoid(z + self.bias)

    async def apredict(self, prompt: str) -> F64:
        """P(correct) per model; the encoding runs off the event loop, batched with others."""
        vector = await self.embedder.aencode(embedding_text(prompt))
        out: F64 = self.predict_vectors(vector[None, :])[0]
        return out

    def encode(self, prompts: Sequence[str]) -> F32:
        """Blocking batch encoding for offline work (training, evaluation); never on the loop."""
        return self.embedder.encode([embedding_text(p) for p in prompts])

    def save(self, path: str | Path) -> None:
        meta = {**self.meta, "format": _FORMAT, "kind": "embedding", "models": list(self.models)}
        _write_npz(Path(path), meta, weights=self.weights, bias=self.bias)

    @classmethod
    def load(
        cls, path: str | Path, *, embedder: TextEncoder | None = None
    ) -> EmbeddingQualityModel:
        meta, arrays = _read_npz(Path(path), "embedding", ("weights", "bias"))
        return cls(
            meta["models"],
            weights=arrays["weights"].astype(np.float64),
            bias=arrays["bias"].astype(np.float64),
            meta=meta,
            embedder=embedder,
        )


@functools.cache
def default_embedding_model() -> EmbeddingQualityModel:
    """The MiniLM heads shipped with mecrouter (``quality/embedding_model.npz``), loaded once;
    the embedder itself loads on the first prediction."""
    return EmbeddingQualityModel.load(SHIPPED_EMBEDDING_MODEL)


def train_embedding(
    rows: RouterBenchSplit,
    *,
    seed: int,
    models: Sequence[str] = TIER_MODELS,
    embedder: TextEncoder | None = None,
    vectors: npt.NDArray[np.floating[Any]] | None = None,
    c: float = DEFAULT_EMBED_C,
) -> EmbeddingQualityModel:
    """One L2 logistic regression per model on the prompts' MiniLM vectors.

    ``vectors`` (one row per prompt, from `EmbeddingQualityModel.encode` or `embedding_text`)
    skips the encoding, e.g. when the caller encodes in chunks to show progress.
    """
    _refuse_held_out(rows)
    cols = rows.columns(models)
    model = EmbeddingQualityModel(
        models,
        weights=np.zeros((_dim(), len(cols))),
        bias=np.zeros(len(cols)),
        embedder=embedder,
    )
    x = model.encode(rows.prompts) if vectors is None else np.asarray(vectors, dtype=np.float64)
    if x.shape[0] != len(rows):
        raise InvalidRequestError("vectors", f"{x.shape[0]} vectors for {len(rows)} prompts")
    counts = {}
    for k, (name, col) in enumerate(zip(models, cols, strict=True)):
        coef, intercept, n = _fit_logistic(x, rows.correct[:, col], c=c, seed=seed, model=name)
        model.weights[:, k] = coef
        model.bias[k] = intercept
        counts[name] = n
    model.meta.update(
        seed=seed,
        c=c,
        head_chars=EMBED_HEAD_CHARS,
        tail_chars=EMBED_TAIL_CHARS,
        trained_on=sorted(p.name for p in rows.files),
        train_rows=counts,
    )
    return model


# --------------------------------------------------------------------------- helpers


def _sparse() -> Any:
    import scipy.sparse  # type: ignore[import-untyped]  # no stubs installed

    return scipy.sparse


def _dim() -> int:
    from mecrouter.embedding import DIM

    return DIM


def _refuse_held_out(rows: RouterBenchSplit) -> None:
    for path in rows.files:
        if path.name.endswith("_test.csv"):
            raise HeldOutFileError(path)


def _standardiser(dense: F64) -> tuple[F64, F64]:
    mu = dense.mean(axis=0)
    sd = dense.std(axis=0)
    sd[sd == 0] = 1.0
    return mu, sd


def _fit_logistic(
    x: Any, labels: F64, *, c: float, seed: int, model: str
) -> tuple[F64, float, int]:
    """(coefficients, intercept, rows used) of an L2 logistic regression, empty labels skipped."""
    from sklearn.linear_model import LogisticRegression

    keep = ~np.isnan(labels)
    y = labels[keep]
    if y.size == 0 or y.min() == y.max():
        raise InvalidRequestError("data", f"{model}: need both correct and wrong answers to train")
    clf = LogisticRegression(
        C=c, solver="liblinear", dual=True, max_iter=10_000, random_state=seed, tol=1e-4
    )
    clf.fit(x[keep], y)
    return np.asarray(clf.coef_[0], dtype=np.float64), float(clf.intercept_[0]), int(y.size)


def _write_npz(path: Path, meta: Mapping[str, Any], **arrays: npt.NDArray[Any]) -> None:
    """An ``np.load``-able .npz whose bytes depend only on the arrays and ``meta``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"meta": np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8)}
    payload.update(arrays)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(payload):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(payload[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue(), compresslevel=9)


def _read_npz(
    path: Path, kind: str, names: Sequence[str]
) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
    try:
        with np.load(path, allow_pickle=False) as npz:
            meta = json.loads(npz["meta"].tobytes().decode())
            arrays = {name: np.array(npz[name]) for name in names}
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ConfigError("quality", f"cannot load quality model {path}: {exc}") from exc
    if meta.get("kind") != kind or meta.get("format") != _FORMAT:
        raise ConfigError("quality", f"{path} is not a format-{_FORMAT} {kind} quality model")
    return meta, arrays
