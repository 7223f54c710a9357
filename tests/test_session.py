"""A closed browser tab stops its jobs after a grace period; a reconnect within it keeps them running."""

import time

from playground.specs import Experiment, NetworkSpec, TrainConfig, layer
from playground.training import TrainingRun
from playground.ui import session

LONG = Experiment(NetworkSpec((layer("Flatten"), layer("Dense", units=10, activation="softmax"))),
                  TrainConfig(epochs=100, batch_size=16))


def started_run() -> TrainingRun:
    run = TrainingRun(LONG, name="long")
    run.start()
    return run


def test_jobs_of_a_session_that_stays_away_are_stopped(monkeypatch):
    monkeypatch.setattr(session, "RECONNECT_GRACE_SECONDS", 0.2)
    run = started_run()
    session._jobs["gone"] = [run]
    session._on_session_released("gone")
    assert run.wait(30) and run.status == "stopped"
    assert "gone" not in session._jobs


def test_a_session_that_reconnects_in_time_keeps_its_jobs(monkeypatch):
    monkeypatch.setattr(session, "RECONNECT_GRACE_SECONDS", 0.3)
    run = started_run()
    session._jobs["blip"] = [run]
    session._on_session_released("blip")
    with session._lock:
        session._released.pop("blip")  # what _session_id() does when the browser comes back
    time.sleep(0.6)
    assert run.training and session._jobs["blip"] == [run]
    run.stop()
    run.wait(30)
