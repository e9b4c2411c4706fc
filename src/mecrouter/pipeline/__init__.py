"""One request's workflow: context → resources → cache → route → execute → monitor.

`Router` is the public entry point (library, device, gateway and demo all use it). It owns every
piece of I/O: backends (each behind its endpoint's circuit breaker), the store (through the
MonitorAgent) and health probes; the agents it calls only decide. A failing agent degrades to a
rule-based answer; a failing endpoint hands the request to the next one in the fallback chain
within the request's deadline. Every request, served or not, leaves exactly one DecisionRecord.

Modules: `router` (the facade and the request's steps), `dispatch` (the failover loop, breakers
and deadlines), `streaming` (streamed answers, failover before the first chunk), `recording`
(the records and the monitor), `caching` (the semantic layer, prompt embeddings, answers kept),
`inflight` (a request as the steps hand it on).
"""

from mecrouter.pipeline.recording import Completion
from mecrouter.pipeline.router import Router
from mecrouter.pipeline.streaming import StreamingCompletion

__all__ = ["Completion", "Router", "StreamingCompletion"]
