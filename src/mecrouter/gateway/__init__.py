"""The HTTP faces of mecrouter: the OpenAI-compatible gateway and the tier emulator.

Both are FastAPI apps served by uvicorn; they share the OpenAI wire format in `wire`. Heavy
imports (FastAPI, prometheus_client) live here, never in the agents or the pipeline.
"""
