"""The simulator judges privacy by the corpus's labels, never by the detector: personal prompts
come from the privacy corpus's test split with their ground truth, so a detector miss shows up
as a violation of mecrouter itself."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from mecrouter.config import Config, load_config
from mecrouter.privacy_labels import read_corpus
from mecrouter.sim.engine import run_scenario
from mecrouter.sim.requests import build_requests
from mecrouter.sim.workloads import workload
from mecrouter.types import ComputeTier, PrivacyLevel

CORPUS = Path(__file__).resolve().parents[2] / "data" / "privacy" / "test.jsonl"


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


def test_personal_prompts_come_from_the_corpus_with_its_labels() -> None:
    labels = {p.text: p.level for p in read_corpus(CORPUS)}
    reqs = build_requests(workload("healthcare"), 400, seed=1)
    assert reqs.privacy_truth is not None
    personal = [i for i, p in enumerate(reqs.prompt) if p in labels]
    assert 120 < len(personal) < 280  # half of the clinics' prompts, give or take
    for i, (prompt, truth) in enumerate(zip(reqs.prompt, reqs.privacy_truth, strict=True)):
        if i in personal:
            assert truth.value == labels[prompt] and truth >= PrivacyLevel.SENSITIVE
        else:
            assert truth is PrivacyLevel.PUBLIC
            assert "MRN" not in prompt and "@" not in prompt  # the seed's PHI prompts are out
    # the other scenarios' prompts carry no personal data
    gaming = build_requests(workload("gaming"), 200, seed=1)
    assert set(gaming.privacy_truth or ()) == {PrivacyLevel.PUBLIC}


def test_a_detector_miss_is_a_violation_of_mecrouter(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    # General-assistant traffic, half of it personal: the router may send public work to the
    # cloud. A blind detector (everything public) lets personal prompts go there too, and the
    # report must count each of them, judged by the corpus's labels.
    wl = dataclasses.replace(
        workload("drift"),
        use_cases=(("default", 1.0),),
        personal={"default": 0.5},
        faults=(),
        feedback_rate=0.0,
    )
    seeing = run_scenario(wl, n=300, seed=2, policies=("mecrouter",), config=config, workers=1)

    import mecrouter.agents.context as context

    monkeypatch.setattr(context, "detect_privacy", lambda text, folded=None: (
        PrivacyLevel.PUBLIC, ()))  # fmt: skip
    blind = run_scenario(wl, n=300, seed=2, policies=("mecrouter",), config=config, workers=1)
    out = blind.policies["mecrouter"].outcomes
    reqs = build_requests(wl, 300, seed=2, config=config)
    truth = np.array([t > PrivacyLevel.INTERNAL for t in reqs.privacy_truth or ()])
    cloud = np.array([config.endpoint(e).tier is ComputeTier.CLOUD for e in blind.endpoints])
    on_cloud = out.success & cloud[out.endpoint.astype(int)]
    expected = int((on_cloud & truth).sum())
    assert expected > 20  # the blind router did send personal data to the cloud
    assert int(out.privacy_violation.sum()) == expected
    assert blind.policies["mecrouter"].summary["privacy_violations"] == expected
    assert seeing.policies["mecrouter"].summary["privacy_violations"] < expected
