"""Quality prediction: P(model answers correctly | prompt) for the models behind each tier.

`FastQualityModel` (hashed n-grams, microseconds, on the event loop) and `EmbeddingQualityModel`
(all-MiniLM-L6-v2 vectors, milliseconds, in a worker thread) are trained on RouterBench train
splits (`mecrouter.eval.quality` scores routers built on them on the held-out test splits).
`default_fast_model()` and `default_embedding_model()` load the models shipped in this package.
"""

from mecrouter.quality.model import (
    DEFAULT_TIER_MODELS,
    TIER_MODELS,
    EmbeddingQualityModel,
    FastQualityModel,
    default_embedding_model,
    default_fast_model,
    train_embedding,
    train_fast,
)

__all__ = [
    "DEFAULT_TIER_MODELS",
    "TIER_MODELS",
    "EmbeddingQualityModel",
    "FastQualityModel",
    "default_embedding_model",
    "default_fast_model",
    "train_embedding",
    "train_fast",
]
