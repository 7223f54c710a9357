"""The loss landscape of a trained network: a 2D slice through its weights (Li et al. 2018) and its training path."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from playground.core.datasets import load_dataset
from playground.core.specs import Experiment
from playground.jobs.base import Job

if TYPE_CHECKING:
    import keras

MODES = {
    "pca": "Training path: the two main directions of the checkpoints (PCA)",
    "random": "Two random filter-normalized directions",
}
BATCH = 1024  # samples per forward pass while evaluating one grid point


def _norms(array: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    return np.sqrt(np.sum(np.square(array), axis=axes, keepdims=True))


def filter_normalized(direction: Sequence[np.ndarray], weights: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Li et al.'s filter normalization: rescale each filter of `direction` (a Dense unit's or a Conv2D filter's
    weights: the last axis of a Keras kernel) to the norm of the same filter in `weights`, so that a step of 1
    changes every filter by as much as its own size. Biases and BatchNormalization's vectors (1-D) get no
    direction at all, as in the paper."""
    normalized = []
    for d, w in zip(direction, weights):
        if w.ndim <= 1:
            normalized.append(np.zeros_like(w))
            continue
        axes = tuple(range(w.ndim - 1))  # all but the last: one norm per filter
        scale = _norms(w, axes) / (_norms(d, axes) + 1e-10)
        normalized.append(d * scale)
    return normalized


def random_directions(weights: Sequence[np.ndarray], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian directions, filter-normalized, flattened like `flatten(weights)`."""
    rng = np.random.default_rng(seed)
    return tuple(flatten(filter_normalized([rng.standard_normal(w.shape) for w in weights], weights))
                 for _ in range(2))


def flatten(arrays: Sequence[np.ndarray]) -> np.ndarray:
    return np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])


def pca_directions(path: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[float, float]]:
    """The two principal directions of the training path, as in Li et al.'s trajectory plots.

    `path` holds one flat weight vector per checkpoint, the final weights last. PCA of the differences to the
    final weights (centred, as sklearn's PCA) gives two orthonormal directions; returns them, every checkpoint's
    coordinates (n, 2) along them (the final weights at (0, 0)) and the share of the path's variance each
    explains. Computed from the small n × n Gram matrix, so a million weights cost no million × million matrix.
    """
    differences = path - path[-1]
    centred = differences - differences.mean(axis=0)
    gram = centred @ centred.T
    values, vectors = np.linalg.eigh(gram)
    order = np.argsort(values)[::-1][:2]
    if len(order) < 2 or values[order[1]] <= 1e-12 * max(values[order[0]], 1e-300):
        raise ValueError("The checkpoints lie on a line: a plane needs at least three different checkpoints.")
    directions = [centred.T @ vectors[:, k] / np.sqrt(values[k]) for k in order]
    coordinates = np.column_stack([differences @ d for d in directions])
    explained = tuple(float(values[k] / values.sum()) for k in order)
    return directions[0], directions[1], coordinates, explained


def evaluation_batch(experiment: Experiment, samples: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A fixed random sample of the training data the run trained on (the landscape is the training loss)."""
    data = load_dataset(experiment.config.dataset).head(experiment.config.train_samples)
    chosen = np.sort(np.random.default_rng(seed).choice(len(data.x_train), min(samples, len(data.x_train)),
                                                       replace=False))
    return data.x_train[chosen], data.y_train[chosen]


class LossAtWeights:
    """loss(flat trainable weights) on a fixed batch, for a copy of a model: one compiled tf.function writes the
    weights into the copy and runs the forward pass. The user's model is never touched."""

    def __init__(self, model: keras.Model, weights: Sequence[np.ndarray], x: np.ndarray, y: np.ndarray,
                 from_logits: bool) -> None:
        from playground.core.device import configure_tensorflow

        configure_tensorflow()
        import keras
        import tensorflow as tf

        self.copy = keras.models.clone_model(model)
        self.copy.set_weights(list(weights))  # in model.weights order, as TrainingRun.checkpoints keep them
        self.trainable = [i for i, v in enumerate(self.copy.weights) if v.trainable]
        targets = [self.copy.weights[i] for i in self.trainable]
        sizes = [int(np.prod(v.shape)) for v in targets]
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits, reduction="sum")
        batches = [(tf.constant(x[i:i + BATCH]), tf.constant(y[i:i + BATCH])) for i in range(0, len(x), BATCH)]
        count = float(len(x))

        @tf.function(input_signature=[tf.TensorSpec([sum(sizes)], tf.float32)])
        def evaluate(flat: tf.Tensor) -> tf.Tensor:
            for variable, part in zip(targets, tf.split(flat, sizes)):
                variable.assign(tf.reshape(part, variable.shape))
            total = tf.constant(0.0)
            for bx, by in batches:
                total += loss(by, self.copy(bx, training=False))
            return total / count

        self.evaluate = evaluate

    def trainable_of(self, weights: Sequence[np.ndarray]) -> list[np.ndarray]:
        """The trainable arrays of a full weight list (checkpoint order)."""
        return [np.asarray(weights[i]) for i in self.trainable]

    def __call__(self, flat: np.ndarray) -> float:
        return float(self.evaluate(np.asarray(flat, dtype=np.float32)))


@dataclass(frozen=True)
class Slice:
    """Loss on a grid around the final weights: losses[j, i] at final + alphas[i]·d1 + betas[j]·d2."""

    mode: str
    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray
    center_loss: float
    trajectory: np.ndarray | None = None  # (checkpoints, 2) in the same two directions
    epochs: tuple[int, ...] = ()
    trajectory_losses: np.ndarray | None = None  # each checkpoint's own loss (off the plane in general)
    explained: tuple[float, float] | None = None


def compute_slice(model: keras.Model, checkpoints: dict[int, list[np.ndarray]], experiment: Experiment,
                  mode: str = "pca", grid: int = 21, samples: int = 1000, seed: int = 0,
                  on_progress: Callable[[float], None] = lambda fraction: None,
                  stop: threading.Event | None = None) -> Slice | None:
    """Evaluate the slice point by point (reporting progress); None if `stop` was set on the way."""
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; choose from {', '.join(MODES)}.")
    epochs = tuple(sorted(checkpoints))
    final = checkpoints[epochs[-1]]
    x, y = evaluation_batch(experiment, samples, seed)
    loss = LossAtWeights(model, final, x, y, experiment.network.layers[-1].get("activation") == "linear")
    center = flatten(loss.trainable_of(final))
    trajectory = trajectory_losses = explained = None
    if mode == "pca":
        path = np.stack([flatten(loss.trainable_of(checkpoints[e])) for e in epochs])
        d1, d2, trajectory, explained = pca_directions(path)
        trajectory_losses = np.array([loss(point) for point in path])
        reach = np.abs(trajectory).max(axis=0) * 1.25 + 1e-6  # the whole path with a margin
        alphas, betas = np.linspace(-reach[0], reach[0], grid), np.linspace(-reach[1], reach[1], grid)
    else:
        d1, d2 = random_directions(loss.trainable_of(final), seed)
        alphas = betas = np.linspace(-1.0, 1.0, grid)
    losses = np.empty((grid, grid))
    for j, beta in enumerate(betas):
        for i, alpha in enumerate(alphas):
            if stop is not None and stop.is_set():
                return None
            losses[j, i] = loss(center + alpha * d1 + beta * d2)
        on_progress((j + 1) / grid)
    return Slice(mode, alphas, betas, losses, loss(center), trajectory, epochs if mode == "pca" else (),
                 trajectory_losses, explained)


@dataclass
class LandscapeJob(Job):
    """compute_slice as a job: waits for a server-wide slot like a training run; the page polls fraction and result."""

    failure_text: ClassVar[str] = "The landscape could not be computed"
    resources: ClassVar[dict[str, float]] = {"num_cpus": 1, "num_gpus": 0.25}
    shipped: ClassVar[dict[str, str]] = {**Job.shipped, "fraction": "value", "result": "final"}

    model: Any  # only its architecture is used; None: built from the experiment's spec (on a cluster worker)
    checkpoints: dict[int, list[np.ndarray]]
    experiment: Experiment
    mode: str = "pca"
    grid: int = 21
    samples: int = 1000
    seed: int = 0
    fraction: float = 0.0  # of the grid evaluated
    result: Slice | None = None

    def __post_init__(self) -> None:
        self.checkpoints = dict(self.checkpoints)  # a snapshot: the run may still drop old checkpoints

    def recipe(self) -> dict[str, Any]:
        return {"model": None, "checkpoints": self.checkpoints, "experiment": self.experiment, "mode": self.mode,
                "grid": self.grid, "samples": self.samples, "seed": self.seed, "name": self.name}

    def work(self) -> None:
        self.status = "running"
        if self.model is None:
            from playground.core.build import build_model
            from playground.core.datasets import DATASETS

            data = DATASETS[self.experiment.config.dataset]
            self.model = build_model(self.experiment.network, data.input_shape, data.num_classes)
        result = compute_slice(self.model, self.checkpoints, self.experiment, self.mode, self.grid, self.samples,
                               self.seed, self._report, self.stop_event)
        if result is None:
            self.status, self.message = "stopped", "Stopped."
        else:
            self.result, self.status = result, "finished"

    def _report(self, fraction: float) -> None:
        self.fraction = fraction
