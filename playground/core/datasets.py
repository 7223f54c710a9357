"""Datasets: bundled MNIST and the random-noise set, split into train / validation / test."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ASSETS = Path(__file__).resolve().parents[2] / "assets"
MNIST_PATH = ASSETS / "data" / "mnist.npz"
MNIST_VALIDATION = 5_000  # the last 5,000 of the 60,000 training images, as in the classic TensorFlow tutorial
RANDOM_FEATURES = 100
RANDOM_SPLITS = (8_000, 2_000, 2_000)  # train, validation, test
RANDOM_DATA_SEED = 1234


@dataclass(frozen=True)
class Dataset:
    """Arrays ready for Keras: x float32 scaled to [0, 1], y integer class labels."""

    name: str
    title: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    num_classes: int = 10

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])

    def head(self, train_samples: int | None) -> Dataset:
        """The same dataset with only the first `train_samples` training samples (validation and test unchanged)."""
        if train_samples is None or train_samples >= len(self.x_train):
            return self
        return Dataset(self.name, self.title, self.x_train[:train_samples], self.y_train[:train_samples],
                       self.x_val, self.y_val, self.x_test, self.y_test, self.num_classes)


DATASET_TITLES = {
    "mnist": "MNIST handwritten digits (28×28)",
    "random": "Random noise (100 features, random labels)",
}
# Known without loading any data: the layer table and the checks need them before training.
INPUT_SHAPES: dict[str, tuple[int, ...]] = {"mnist": (28, 28, 1), "random": (RANDOM_FEATURES,)}
TRAIN_SIZES: dict[str, int] = {"mnist": 60_000 - MNIST_VALIDATION, "random": RANDOM_SPLITS[0]}
NUM_CLASSES = 10


@functools.cache
def load_mnist_arrays() -> dict[str, np.ndarray]:
    """The raw uint8 arrays x_train (60000, 28, 28), y_train, x_test (10000, 28, 28), y_test."""
    with np.load(MNIST_PATH) as data:
        return {key: data[key] for key in ("x_train", "y_train", "x_test", "y_test")}


def _scale(images: np.ndarray) -> np.ndarray:
    return (images.astype(np.float32) / 255.0)[..., np.newaxis]


@functools.cache
def load_dataset(name: str) -> Dataset:
    """Load a dataset by name ('mnist' or 'random'); cached, so treat the arrays as read-only."""
    if name == "mnist":
        raw = load_mnist_arrays()
        split = len(raw["x_train"]) - MNIST_VALIDATION
        x, y = _scale(raw["x_train"]), raw["y_train"].astype(np.int32)
        dataset = Dataset("mnist", DATASET_TITLES["mnist"], x[:split], y[:split], x[split:], y[split:],
                          _scale(raw["x_test"]), raw["y_test"].astype(np.int32))
    elif name == "random":
        dataset = random_noise()
    else:
        raise ValueError(f"Unknown dataset {name!r}; known: {', '.join(DATASET_TITLES)}")
    for array in (dataset.x_train, dataset.y_train, dataset.x_val, dataset.y_val, dataset.x_test, dataset.y_test):
        array.setflags(write=False)
    return dataset


def random_noise(seed: int = RANDOM_DATA_SEED) -> Dataset:
    """The lecture's hello world: uniform features with labels drawn at random, so nothing can generalize."""
    rng = np.random.default_rng(seed)
    total = sum(RANDOM_SPLITS)
    x = rng.uniform(0.0, 1.0, size=(total, RANDOM_FEATURES)).astype(np.float32)
    y = rng.integers(0, 10, size=total).astype(np.int32)
    a, b = RANDOM_SPLITS[0], RANDOM_SPLITS[0] + RANDOM_SPLITS[1]
    return Dataset("random", DATASET_TITLES["random"], x[:a], y[:a], x[a:b], y[a:b], x[b:], y[b:])
