"""Evaluation and training, apart from the core: nothing that routes a request imports this.

- `quality`: how routers built on the quality predictor are scored (RouteLLM's PGR/APGR/CPT,
  RouterBench's AIQ), on the held-out RouterBench splits only.
- `quality_command`: `mecrouter train-quality` and `mecrouter eval-quality`.
- `cache_pairs`, `cache_study`: `mecrouter eval-cache`, the semantic cache's threshold study.
"""
