"""A closed browser tab stops its jobs after a grace period; a reconnect within it keeps them running."""

import time

from playground.core.specs import Experiment, NetworkSpec, TrainConfig, layer
from playground.jobs import sessions
from playground.training.run import TrainingRun

LONG = Experiment(NetworkSpec((layer("Flatten"), layer("Dense", units=10, activation="softmax"))),
                  TrainConfig(epochs=100, batch_size=16))


def started_run() -> TrainingRun:
    run = TrainingRun(LONG, name="long")
    run.start()
    return run


def test_jobs_of_a_session_that_stays_away_are_stopped():
    run = started_run()
    sessions.register("gone", run)
    sessions.session_released("gone", grace_seconds=0.2)
    assert run.wait(30) and run.status == "stopped"
    assert sessions.jobs_of("gone") == []


def test_a_session_that_reconnects_in_time_keeps_its_jobs():
    run = started_run()
    sessions.register("blip", run)
    sessions.session_released("blip", grace_seconds=0.3)
    sessions.session_returned("blip")  # what the page does when the browser comes back
    time.sleep(0.6)
    assert run.working and sessions.jobs_of("blip") == [run]
    run.stop()
    run.wait(30)
