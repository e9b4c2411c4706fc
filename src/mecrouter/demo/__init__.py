"""`mecrouter demo`: the four seed scenarios (`mecrouter.scenarios`), run two ways.

- `inprocess`: every scenario through the full pipeline with each policy (mecrouter and the
  baselines) side by side, on emulated tiers in real time; every request leaves a record.
- `http`: the same requests through real processes on 127.0.0.1 (three emulated tiers and the
  gateway), sent by the `openai` SDK.
- `report`: the tables, the headline against cloud-only, `report.md` and its PNG plot.
- `command`: the `mecrouter demo` command that runs one of them and writes the report.

Import from the module you need: nothing is re-exported here, so that importing the command
loads neither the pipeline nor the HTTP client libraries.
"""
