"""cfn-lint passes on every synthesised template, and cdk-nag's AwsSolutions checks gate the
synthesis: the app synthesised (the fixture) with every finding acknowledged beside its
resource, while a stack with a public, unencrypted bucket fails it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from synthesis import Synthesised

# cdk's Lambda functions carry a DependsOn on their role beside the GetAtt of its ARN: redundant
# but harmless, and CDK's choice, not ours.
IGNORED = ("W3005",)


def test_cfn_lint_reports_nothing(synthesised: Synthesised) -> None:
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    templates = [
        str(synthesised.outdir / f"{s.stack_name}.template.json") for s in synthesised.stacks.all()
    ]
    done = subprocess.run(
        [str(cfn_lint), "--ignore-checks", *IGNORED, "--", *templates],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_nag_findings_are_all_acknowledged_with_reasons(synthesised: Synthesised) -> None:
    """The synthesis passed the checks (the fixture); what it acknowledged, each with a reason."""
    import aws_cdk as cdk

    key = cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    acknowledged: list[tuple[str, str, str]] = []
    for stack in synthesised.stacks.all():
        for construct in stack.node.find_all():
            for entry in construct.node.metadata:
                if entry.type != key:
                    continue
                for rule, reason in dict(entry.data).items():  # {"<kind>::<rule id>": reason}
                    acknowledged.append((construct.node.path, rule, str(reason)))
    for path, rule, reason in sorted(acknowledged):
        print(f"{path}: {rule}: {reason}")
    assert acknowledged, "no acknowledgment recorded: the checks cannot have run on these stacks"
    assert all(len(reason) > 20 for _, _, reason in acknowledged)


def test_a_public_unencrypted_bucket_fails_the_synthesis(tmp_path: Path) -> None:
    import aws_cdk as cdk
    from aws_cdk import aws_s3 as s3
    from mecrouter_infra.nag import add_checks

    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "careless")
    s3.CfnBucket(stack, "Open")
    add_checks(app)
    with pytest.raises(RuntimeError, match=r"AwsSolutions-S1\b"):
        app.synth()
