"""The CDK app: `cdk synth` and `cdk deploy` run this (cdk.json); `make synth` runs it offline.

Parameters come from the context (cdk.json, or `cdk deploy -c mecrouter:region=eu-west-2`), see
mecrouter_infra/params.py. No AWS credentials are needed to synthesise.
"""

from __future__ import annotations

import os

import aws_cdk as cdk
from mecrouter_infra import build

app = cdk.App(outdir=os.environ.get("CDK_OUTDIR", "cdk.out"))
build(app)
app.synth()
