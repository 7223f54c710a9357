"""Loss landscape of a tiny trained network: the slice's centre is the model's loss, filter normalization, PCA path."""

import time

import numpy as np
import pytest

from playground.core.specs import from_json
from playground.training.landscape import (
    LandscapeJob,
    compute_slice,
    evaluation_batch,
    filter_normalized,
    flatten,
    pca_directions,
)
from playground.training.run import TrainingRun

TINY = ('{"network":{"layers":[{"kind":"Flatten"},{"kind":"Dense","units":8,"activation":"relu"},'
        '{"kind":"Dense","units":10,"activation":"softmax"}]},"config":{"dataset":"mnist","epochs":%d,'
        '"batch_size":32,"train_samples":300}}')


def train_tiny(epochs: int, name: str = "tiny") -> TrainingRun:
    """A finished run of a 784-8-10 MLP on 300 MNIST images: a checkpoint per epoch, in a few seconds."""
    training = TrainingRun(from_json(TINY % epochs), name=name)
    training.start()
    training.wait()
    assert training.status == "finished" and sorted(training.checkpoints) == list(range(epochs + 1))
    return training


@pytest.fixture(scope="module")
def run():
    return train_tiny(3)


def test_filter_normalization_gives_each_filter_its_weights_norm_and_skips_biases():
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(6, 4)), rng.normal(size=4), rng.normal(size=(3, 3, 2, 5))]
    direction = filter_normalized([rng.normal(size=w.shape) for w in weights], weights)
    np.testing.assert_allclose(np.linalg.norm(direction[0], axis=0), np.linalg.norm(weights[0], axis=0))
    np.testing.assert_array_equal(direction[1], 0)
    np.testing.assert_allclose(np.linalg.norm(direction[2].reshape(-1, 5), axis=0),
                               np.linalg.norm(weights[2].reshape(-1, 5), axis=0))


def test_pca_recovers_a_path_that_lies_in_a_plane():
    rng = np.random.default_rng(1)
    u, v = np.linalg.qr(rng.normal(size=(40, 2)))[0].T
    a, b = rng.normal(size=6), rng.normal(size=6) * 0.3
    a[-1] = b[-1] = 0  # the path ends at the final weights
    path = 5.0 + np.outer(a, u) + np.outer(b, v)
    d1, d2, coordinates, explained = pca_directions(path)
    assert d1 @ d1 == pytest.approx(1) and d2 @ d2 == pytest.approx(1) and d1 @ d2 == pytest.approx(0, abs=1e-9)
    np.testing.assert_allclose(coordinates[-1], 0, atol=1e-12)
    true = np.linalg.norm(path[:, None] - path[None], axis=-1)
    seen = np.linalg.norm(coordinates[:, None] - coordinates[None], axis=-1)
    np.testing.assert_allclose(seen, true, atol=1e-9)  # nothing of a planar path is lost in the projection
    assert sum(explained) == pytest.approx(1) and explained[0] >= explained[1]
    with pytest.raises(ValueError, match="line"):
        pca_directions(np.outer([2.0, 1.0, 0.0], u))


def test_slice_centre_is_the_models_loss_and_the_model_is_untouched(run):
    before = [w.copy() for w in run.model.get_weights()]
    piece = compute_slice(run.model, run.checkpoints, run.experiment, "random", grid=5, samples=200, seed=0)
    x, y = evaluation_batch(run.experiment, 200, seed=0)
    loss, _ = run.model.evaluate(x, y, verbose=0)
    assert piece.center_loss == pytest.approx(loss, rel=1e-5)
    assert piece.losses[2, 2] == pytest.approx(loss, rel=1e-5)  # (0, 0) is the grid's middle
    np.testing.assert_array_equal(piece.alphas, np.linspace(-1, 1, 5))
    assert piece.losses.shape == (5, 5) and np.isfinite(piece.losses).all() and piece.losses.min() <= loss + 1e-6
    for old, new in zip(before, run.model.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_training_path_is_projected_onto_the_slice_directions(run):
    piece = compute_slice(run.model, run.checkpoints, run.experiment, "pca", grid=5, samples=200)
    assert piece.epochs == (0, 1, 2, 3) and piece.trajectory.shape == (4, 2)
    np.testing.assert_allclose(piece.trajectory[-1], 0, atol=1e-9)
    # Projections never lengthen a step, and the grid spans the whole path.
    weights = [flatten([w for w in run.checkpoints[e] if w.ndim]) for e in piece.epochs]
    for i, j in ((0, 3), (1, 3), (0, 1)):
        projected = np.linalg.norm(piece.trajectory[i] - piece.trajectory[j])
        assert projected <= np.linalg.norm(weights[i] - weights[j]) + 1e-6
    assert np.all(np.abs(piece.trajectory[:, 0]) <= piece.alphas.max())
    assert np.all(np.abs(piece.trajectory[:, 1]) <= piece.betas.max())
    assert piece.trajectory_losses[-1] == pytest.approx(piece.center_loss, rel=1e-6)
    assert piece.trajectory_losses[0] > piece.trajectory_losses[-1]  # training lowered the loss
    assert 0.5 < sum(piece.explained) <= 1 + 1e-9


def test_job_reports_progress_in_a_worker_thread_and_can_be_stopped(run):
    job = LandscapeJob(run.model, run.checkpoints, run.experiment, "random", grid=3, samples=100)
    job.start()
    deadline = time.monotonic() + 120
    while not job.done:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job.status == "finished" and job.fraction == 1.0 and job.result.losses.shape == (3, 3)
    stopped = LandscapeJob(run.model, run.checkpoints, run.experiment, "random", grid=3, samples=100)
    stopped.stop()
    stopped.start()
    while not stopped.done:
        time.sleep(0.1)
    assert stopped.status == "stopped" and stopped.result is None
