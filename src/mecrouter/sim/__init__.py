"""A SimPy discrete-event simulator that runs the real agents against simulated tiers.

Devices, MEC nodes, the cloud and the network links between them are simulated, driven by real
measured traces (`traces`); the ContextAgent, ResourceAgent and RouterAgent deciding every
request are the production ones. `run_scenario` compares routing policies on the same requests.
"""
