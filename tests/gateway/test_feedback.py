"""POST /v1/feedback: stored once on the decision, learned per (task type, model), owner only."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_gateway import _client, chat, error_of

from mecrouter.config import Config, load_config


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


async def test_feedback_is_stored_learned_and_only_taken_once(
    config: Config, tmp_path: Path
) -> None:
    async with _client(config, tmp_path, auth=False) as (client, router, _):
        r = await client.post(
            "/v1/chat/completions", json=chat("Write a function to reverse a list.")
        )
        decision_id = r.headers["x-mecrouter-decision-id"]
        model = r.headers["x-mecrouter-model"]
        fb = await client.post("/v1/feedback", json={"decision_id": decision_id, "score": 0})
        assert fb.status_code == 200, fb.text
        body = fb.json()
        assert body["model"] == model and body["task_type"] == "code"
        learned = body["learned"]
        assert learned["observations"] == 1 and learned["good"] == 0.0
        assert 0.0 < learned["expected"] <= 1.0 and learned["factor"] < 1.0  # a bad answer
        record = await router.store.get_decision(decision_id)
        assert record is not None and record.feedback_score == 0.0
        again = await client.post("/v1/feedback", json={"decision_id": decision_id, "score": 1})
        assert again.status_code == 409 and error_of(again)["code"] == "feedback_conflict"
        assert router.beliefs is not None and len(router.beliefs) == 1  # not learned twice


@pytest.mark.parametrize(
    ("payload", "param"),
    [
        ({"decision_id": "x", "score": 1.5}, "score"),
        ({"decision_id": "x", "score": "good"}, "score"),
        ({"score": 1}, "decision_id"),
        ({"decision_id": "x", "score": 1, "extra": 1}, "extra"),
    ],
)
async def test_bad_feedback_is_a_400_naming_the_field(
    config: Config, tmp_path: Path, payload: dict[str, object], param: str
) -> None:
    async with _client(config, tmp_path, auth=False) as (client, _, _):
        r = await client.post("/v1/feedback", json=payload)
        assert r.status_code == 400 and error_of(r)["param"] == param


async def test_unknown_or_foreign_decisions_are_404(config: Config, tmp_path: Path) -> None:
    async with _client(config, tmp_path, auth=True) as (client, _, keys):
        assert keys is not None
        alice = {"authorization": f"Bearer {keys.create('alice')[0]}"}
        bob = {"authorization": f"Bearer {keys.create('bob')[0]}"}
        r = await client.post("/v1/chat/completions", json=chat(), headers=alice)
        decision_id = r.headers["x-mecrouter-decision-id"]
        payload = {"decision_id": decision_id, "score": 1}
        foreign = await client.post("/v1/feedback", json=payload, headers=bob)
        assert foreign.status_code == 404 and error_of(foreign)["code"] == "decision_not_found"
        missing = await client.post(
            "/v1/feedback", json={"decision_id": "nope", "score": 1}, headers=alice
        )
        assert missing.status_code == 404
        assert (await client.post("/v1/feedback", json=payload, headers=alice)).status_code == 200


async def test_feedback_adds_to_the_calibration_the_gateway_starts_from(
    config: Config, tmp_path: Path
) -> None:
    from mecrouter.agents.learning import QualityBeliefs

    seeded = QualityBeliefs.from_config(config.quality)
    seeded.restore([("code", ep.model, 2.0, 8.0, 10) for ep in config.endpoints])
    seeded.save(tmp_path / "calibration.json")
    quality = config.quality.model_copy(update={"calibration_path": str(tmp_path / "cal.json")})
    (tmp_path / "calibration.json").rename(tmp_path / "cal.json")
    calibrated = config.model_copy(update={"quality": quality})
    async with _client(calibrated, tmp_path, auth=False) as (client, router, _):
        assert router.beliefs is not None and router.beliefs.factor("code", "x") == 1.0
        r = await client.post(
            "/v1/chat/completions", json=chat("Write a function to reverse a list.")
        )
        decision_id = r.headers["x-mecrouter-decision-id"]
        fb = await client.post("/v1/feedback", json={"decision_id": decision_id, "score": 1})
        assert fb.status_code == 200, fb.text
        learned = fb.json()["learned"]
        assert learned["observations"] == 11  # the file's 10, then this one
        assert learned["good"] == pytest.approx(2.0 * config.quality.forgetting + 1.0)
