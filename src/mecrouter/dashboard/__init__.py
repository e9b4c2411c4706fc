"""The operator's dashboard (`mecrouter dashboard`): a Streamlit app over the decision store and,
when given, the gateway's `/metrics`, `/v1/models`, `/v1/insights` and `/v1/decisions/{id}`.

It only reads: `source` opens the store read-only and aggregates in SQL, `gateway_client` asks
the gateway over HTTP, `savings` prices a cloud-only counterfactual, `whatif` runs the simulator
in the background; the `views` draw the pages. It never imports the agents.
"""
