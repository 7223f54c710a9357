"""A training run on a tiny slice: live metrics, checkpoints, best epoch, test set, NaN stop, stop, queueing."""

import time

import numpy as np
import pytest

from playground.core.specs import Experiment, NetworkSpec, SpecError, TrainConfig, layer
from playground.jobs.slots import SLOTS
from playground.training import run as training
from playground.training.run import TrainingRun

TINY = NetworkSpec((layer("Flatten"), layer("Dense", units=16), layer("Dense", units=10, activation="softmax")))


def tiny_run(**config) -> TrainingRun:
    settings = {"epochs": 2, "batch_size": 32, "train_samples": 256, **config}
    return TrainingRun(Experiment(TINY, TrainConfig(**settings)), name="test")


def wait_for(condition, seconds=60.0):
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def test_a_short_run_records_every_epoch_checkpoints_and_the_test_set():
    run = tiny_run(epochs=3)
    run.start()
    assert run.wait(120) and run.status == "finished", run.message
    assert [row["epoch"] for row in run.history] == [1, 2, 3]
    assert set(run.history[0]) == {"epoch", "seconds", "loss", "accuracy", "val_loss", "val_accuracy"}
    assert sorted(run.checkpoints) == [0, 1, 2, 3]
    val = [row["val_accuracy"] for row in run.history]
    assert run.best_epoch == val.index(max(val)) + 1
    assert run.history[-1]["loss"] < run.history[0]["loss"]
    assert [t.weights_epoch for t in run.test_results] == [3]
    assert 0.0 <= run.test_results[0].accuracy <= 1.0
    assert run.progress.batches == 8 and run.progress.batch == 8
    summary = run.summary()
    assert summary["best_epoch"] == run.best_epoch and summary["test_accuracy"] == run.test_results[0].accuracy
    assert summary["samples_per_second"] > 0 and summary["device"]


def test_restoring_an_epoch_loads_its_checkpoint():
    run = tiny_run()
    run.start()
    run.wait(120)
    run.restore_epoch(1)
    assert run.weights_epoch == 1
    for current, kept in zip(run.model.get_weights(), run.checkpoints[1]):
        np.testing.assert_array_equal(current, kept)
    assert run.evaluate_test().weights_epoch == 1
    assert len(run.test_results) == 2
    assert run.evaluate_test() is run.test_results[-1]  # evaluated once per weights


def test_a_huge_learning_rate_stops_as_diverged_and_keeps_the_last_good_weights():
    run = tiny_run(optimizer="sgd", learning_rate=50.0, epochs=5)
    run.start()
    assert run.wait(120)
    assert run.status == "diverged"
    assert "learning rate" in run.message and "too high" in run.message
    kept = run.checkpoints[len(run.history)]
    for current, good in zip(run.model.get_weights(), kept):
        np.testing.assert_array_equal(current, good)
    assert all(np.isfinite(w).all() for w in run.model.get_weights())


def test_stop_ends_the_run_after_the_current_batch():
    run = tiny_run(epochs=100, train_samples=55000, batch_size=16)
    run.start()
    wait_for(lambda: run.progress.batch > 5)
    run.stop()
    assert run.wait(60)
    assert run.status == "stopped"
    assert len(run.history) < 100
    assert run.weights_epoch == len(run.history)


def test_a_stopped_run_counts_as_done_only_with_its_weights_rewound_and_its_test_results():
    run = tiny_run(epochs=100, train_samples=4000, batch_size=16)
    run.start()
    wait_for(lambda: len(run.history) >= 1 and run.progress.batch > 5)
    run.stop()
    seen = []
    while not run.done:  # what a polling page sees, as often as it can look
        seen.append((run.status, run.working))
        time.sleep(0.002)
    assert run.test_results and run.test_results[-1].weights_epoch == run.weights_epoch == len(run.history)
    assert all(working for _, working in seen)  # "stopped" already, but still working until the results exist
    run.restore_epoch(1)  # allowed from the first moment the run counts as done


def test_same_seed_same_initial_weights():
    first, second, other = tiny_run(seed=7), tiny_run(seed=7), tiny_run(seed=8)
    for run in (first, second, other):
        run.start()
        run.wait(120)
    for a, b in zip(first.checkpoints[0], second.checkpoints[0]):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first.checkpoints[0][0], other.checkpoints[0][0])


def test_the_batch_order_is_the_runs_own_whatever_global_seed_the_process_has():
    import tensorflow as tf

    from playground.core.batches import shuffled_batches
    from playground.core.datasets import load_dataset

    data = load_dataset("mnist").head(100)

    def labels_per_epoch(pipeline):  # two passes, as Keras makes two epochs
        return [np.concatenate([y.numpy() for _, y in pipeline]) for _ in range(2)]

    alone = labels_per_epoch(shuffled_batches((data.x_train, data.y_train), 32, seed=7))
    try:
        tf.random.set_seed(1234)  # what an exported script run in the same process does
        seeded = labels_per_epoch(shuffled_batches((data.x_train, data.y_train), 32, seed=7))
    finally:
        tf.random.set_seed(None)
    other = labels_per_epoch(shuffled_batches((data.x_train, data.y_train), 32, seed=8))
    assert all(np.array_equal(a, b) for a, b in zip(alone, seeded))
    assert not np.array_equal(alone[0], alone[1])  # a new order every epoch
    assert not np.array_equal(alone[0], other[0])  # and another run seed, another order
    assert sorted(alone[0]) == sorted(data.y_train)  # every example once per epoch


def test_runs_over_the_server_limit_wait_their_turn(monkeypatch):
    monkeypatch.setattr(SLOTS, "limit", 1)
    first = tiny_run(epochs=100, train_samples=55000)
    second = tiny_run()
    first.start()
    wait_for(lambda: first.status == "running")
    second.start()
    time.sleep(0.5)
    assert second.status == "queued"
    first.stop()
    assert second.wait(120) and second.status == "finished"


def test_a_queued_run_can_be_stopped_before_it_starts(monkeypatch):
    monkeypatch.setattr(SLOTS, "limit", 1)
    first = tiny_run(epochs=100, train_samples=55000)
    first.start()
    wait_for(lambda: first.status == "running")
    second = tiny_run()
    second.start()
    second.stop()
    assert second.wait(10) and second.status == "stopped" and second.model is None
    first.stop()
    first.wait(60)


def test_old_checkpoints_are_dropped_beyond_the_budget(monkeypatch):
    monkeypatch.setattr(training, "CHECKPOINT_BUDGET_BYTES", 1)
    run = tiny_run(epochs=4)
    run.start()
    run.wait(120)
    assert set(run.checkpoints) == {0, 4, run.best_epoch}


def test_an_invalid_experiment_never_starts():
    with pytest.raises(SpecError, match="Flatten"):
        TrainingRun(Experiment(NetworkSpec((layer("Dense", units=10, activation="softmax"),)), TrainConfig()))
