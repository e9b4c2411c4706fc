"""AWS Step Functions workflows and their Lambda task handlers: batch routing of a JSONL file,
and the scheduled optimisation loop of the MEC placement.

Importing this package loads only the definitions (`definitions`: standard library only), so the
CDK app can build the state machines from `batch_routing_definition`, `optimisation_definition`
and the `TaskSpec` of each task (`BATCH_TASKS`, `OPTIMISATION_TASKS`: state name, handler's
dotted path, the permissions in `NEEDS` its role must grant). Each Task invokes its Lambda
function directly (``Resource`` is the function's ARN), not through
``arn:aws:states:::lambda:invoke``.

**Batch routing: a Standard workflow.** A file of thousands of requests takes longer than an
Express workflow's five minutes; Standard runs exactly once, keeps each execution's history for a
year (which line failed, and why, can be looked up), and its inline Map routes the chunks
``MAP_MAX_CONCURRENCY`` at a time. ValidateBatch caps a file at ``MAX_CHUNKS`` chunks, so that
the chunk list stays far below the 256 KB state limit and a run below Standard's 25,000 history
events. Input ``{"bucket", "key", "output_prefix"}`` (``chunk_lines`` optional); the results are
``<output_prefix>/chunks/NNNNN.jsonl`` (one line per request: decision id, tier, model, latency,
cost, the answer, or the error with its line number) and ``<output_prefix>/report.json``; a
failed run leaves ``<output_prefix>/failure.json``. Results are written to the input's bucket,
which is therefore the reports bucket the roles are granted (``reports:*``).

**Optimisation loop: an Express workflow.** It reads an hour of decisions, plans and publishes,
in seconds, well inside Express's five minutes; it runs on a schedule, where Express costs a
fraction of Standard, and its at-least-once start is harmless: a run is keyed by its execution
name and its events are desired states, each with an ``action_id`` to de-duplicate. Express keeps
no history of its own, so the CDK app should give it a CloudWatch Logs destination
(``logs: level ALL``). The placement events (source ``mecrouter``, detail-type
``mecrouter.placement``, detail ``action`` ``load`` or ``evict``, ``node_id``, ``model``,
``uses``, ``run_id``, ``action_id``) go to the default bus for the MEC nodes' own agents: the
MEC runtimes have no remote load/unload API this account could call, so the loop publishes what
each node should do and each node acts on it. The plan starts from the config's hot models per
node (there is no API to ask a node what it holds). Each run is recorded in the reports bucket
as ``optimisation/YYYY/MM/DD/HHMMSSZ-<execution>.json``; a failed run leaves
``optimisation/failures/YYYY/MM/DD/<execution>.json``.

**Environment** the handlers read (the CDK app sets them on every function):

* ``MECROUTER_STORE_URL``: the decision store, ``dynamodb://prefix?region=...`` (RouteChunk
  writes its records there, AnalyseMonitor reads them); Lambda's disk does not outlive it, so the
  handlers always write straight to DynamoDB (a URL's ``outbox`` is ignored). Unset: RouteChunk
  keeps no records and AnalyseMonitor fails.
* ``MECROUTER_REPORTS_BUCKET``: the optimisation loop's records, and the batch failures whose
  input named no bucket.
* ``MECROUTER_CONFIG``: the config, a path or an ``s3://`` URL read once (optional; the
  packaged default config otherwise).
* ``MECROUTER_EVENT_BUS``: the bus of the placement events (optional; ``default``).
* ``MECROUTER_TIME_SCALE``: the emulated backends' time scale (optional; 1.0).
* ``AWS_REGION`` (Lambda sets it); ``AWS_ENDPOINT_URL`` and ``AWS_ENDPOINT_URL_<SERVICE>`` point
  the clients (made by `mecrouter.aws.clients`) at a VPC endpoint, or at moto in the tests.
"""

from mecrouter.serverless.workflows.definitions import (
    BATCH_TASKS,
    LAMBDA_ERRORS,
    MAP_MAX_CONCURRENCY,
    NEEDS,
    OPTIMISATION_TASKS,
    TRANSIENT_ERROR,
    TaskSpec,
    batch_routing_definition,
    optimisation_definition,
)

__all__ = [
    "BATCH_TASKS",
    "LAMBDA_ERRORS",
    "MAP_MAX_CONCURRENCY",
    "NEEDS",
    "OPTIMISATION_TASKS",
    "TRANSIENT_ERROR",
    "TaskSpec",
    "batch_routing_definition",
    "optimisation_definition",
]
