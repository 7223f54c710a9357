"""THE table of datasets (bundled MNIST and Fashion-MNIST, the random-noise set): shapes and sizes, loaders, the exported data code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ASSETS = Path(__file__).resolve().parents[2] / "assets"
MNIST_PATH = ASSETS / "data" / "mnist.npz"
FASHION_PATH = ASSETS / "data" / "fashion_mnist.npz"
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                   "Ankle boot")
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


NUM_CLASSES = 10  # the digits 0-9 (the random set draws its labels from the same ten)


@functools.cache
def load_mnist_arrays() -> dict[str, np.ndarray]:
    """The raw uint8 arrays x_train (60000, 28, 28), y_train, x_test (10000, 28, 28), y_test."""
    with np.load(MNIST_PATH) as data:
        return {key: data[key] for key in ("x_train", "y_train", "x_test", "y_test")}


def _scale(images: np.ndarray) -> np.ndarray:
    return (images.astype(np.float32) / 255.0)[..., np.newaxis]


def mnist() -> Dataset:
    """The official MNIST split, its last 5,000 training images held out for validation."""
    raw = load_mnist_arrays()
    split = len(raw["x_train"]) - MNIST_VALIDATION
    x, y = _scale(raw["x_train"]), raw["y_train"].astype(np.int32)
    return Dataset("mnist", DATASETS["mnist"].title, x[:split], y[:split], x[split:], y[split:],
                   _scale(raw["x_test"]), raw["y_test"].astype(np.int32))


def mnist_rows() -> Dataset:
    """MNIST as sequences for recurrent layers: each image is 28 steps (its rows, top to bottom) of 28 pixels.

    The same arrays as 'mnist' without the channel axis (views: no second copy in memory)."""
    images = load_dataset("mnist")

    def rows(x: np.ndarray) -> np.ndarray:
        return x.reshape(len(x), 28, 28)

    return Dataset("mnist-rows", DATASETS["mnist-rows"].title, rows(images.x_train), images.y_train,
                   rows(images.x_val), images.y_val, rows(images.x_test), images.y_test)


def fashion_mnist() -> Dataset:
    """Fashion-MNIST (Zalando, MIT licence; assets/data/build_fashion_npz.py): clothes in MNIST's format and split."""
    with np.load(FASHION_PATH) as raw:
        x_all, y_all, x_test, y_test = (raw[key] for key in ("x_train", "y_train", "x_test", "y_test"))
    split = len(x_all) - MNIST_VALIDATION
    x, y = _scale(x_all), y_all.astype(np.int32)
    return Dataset("fashion", DATASETS["fashion"].title, x[:split], y[:split], x[split:], y[split:],
                   _scale(x_test), y_test.astype(np.int32))


def random_noise(seed: int = RANDOM_DATA_SEED) -> Dataset:
    """The lecture's hello world: uniform features with labels drawn at random, so nothing can generalize."""
    rng = np.random.default_rng(seed)
    total = sum(RANDOM_SPLITS)
    x = rng.uniform(0.0, 1.0, size=(total, RANDOM_FEATURES)).astype(np.float32)
    y = rng.integers(0, 10, size=total).astype(np.int32)
    a, b = RANDOM_SPLITS[0], RANDOM_SPLITS[0] + RANDOM_SPLITS[1]
    return Dataset("random", DATASETS["random"].title, x[:a], y[:a], x[a:b], y[a:b], x[b:], y[b:])


@dataclass(frozen=True)
class DatasetChoice:
    """One dataset of the menu, known without loading it: the layer table and the checks need these before training.

    `code` is the data-loading part of the exported script: it defines x_train, y_train, x_val, y_val, x_test,
    y_test from numpy (np) and keras, exactly as `load` splits them.
    """

    title: str
    input_shape: tuple[int, ...]
    train_size: int
    num_classes: int
    load: Callable[[], Dataset]
    code: str


def _image_npz_code(about: str, npz: str, keras_name: str, rows: bool = False) -> str:
    """The exported script's loading of 28x28 images shipped as assets/data/<npz> (Keras downloads the same arrays
    elsewhere), scaled to [0, 1], with a channel axis, or as 28 steps of 28 pixels when `rows`; 5,000 for validation."""
    channel, shape = ("", "; shape (n, 28 steps, 28 pixels)") if rows else ("[..., None]", ", add a channel axis")
    scale = (f'x_train = x_train.astype("float32"){channel} / 255.0  # scale pixels to [0, 1]{shape}\n'
             f'x_test = x_test.astype("float32"){channel} / 255.0')
    return f'''{about}
try:
    with np.load("assets/data/{npz}") as data:
        x_train, y_train, x_test, y_test = (data[k] for k in ("x_train", "y_train", "x_test", "y_test"))
except FileNotFoundError:
    (x_train, y_train), (x_test, y_test) = keras.datasets.{keras_name}.load_data()
{scale}
x_train, x_val = x_train[:55000], x_train[55000:]  # hold out the last 5,000 for validation
y_train, y_val = y_train[:55000], y_train[55000:]'''


DATASETS: dict[str, DatasetChoice] = {
    "mnist": DatasetChoice(
        title="MNIST handwritten digits (28×28)", input_shape=(28, 28, 1), train_size=60_000 - MNIST_VALIDATION,
        num_classes=NUM_CLASSES, load=mnist, code=_image_npz_code(
            "# MNIST: 60,000 training and 10,000 test images of 28x28 pixels. The playground ships them in\n"
            "# assets/data/mnist.npz; elsewhere Keras downloads the same arrays.", "mnist.npz", "mnist")),
    "mnist-rows": DatasetChoice(
        title="MNIST as rows: 28 steps of 28 pixels (for recurrent layers)", input_shape=(28, 28),
        train_size=60_000 - MNIST_VALIDATION, num_classes=NUM_CLASSES, load=mnist_rows, code=_image_npz_code(
            "# MNIST read as sequences: each 28x28 image is 28 steps (its rows, top to bottom) of 28 pixels.\n"
            "# The playground ships the images in assets/data/mnist.npz; elsewhere Keras downloads the same arrays.",
            "mnist.npz", "mnist", rows=True)),
    "fashion": DatasetChoice(
        title="Fashion-MNIST clothes (28×28)", input_shape=(28, 28, 1), train_size=60_000 - MNIST_VALIDATION,
        num_classes=NUM_CLASSES, load=fashion_mnist, code=_image_npz_code(
            "# Fashion-MNIST: 70,000 28x28 images of clothes in 10 classes (0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress,\n"
            "# 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot), the same format as MNIST. The playground ships\n"
            "# them in assets/data/fashion_mnist.npz; elsewhere Keras downloads the same arrays.",
            "fashion_mnist.npz", "fashion_mnist")),
    "random": DatasetChoice(
        title="Random noise (100 features, random labels)", input_shape=(RANDOM_FEATURES,),
        train_size=RANDOM_SPLITS[0], num_classes=NUM_CLASSES, load=random_noise, code='''\
# Hello world: 100 random features per sample and a random label 0-9. Nothing here can be learned,
# only memorized: watch training accuracy climb while validation stays at chance (10%).
rng = np.random.default_rng(1234)
x = rng.uniform(0.0, 1.0, size=(12000, 100)).astype("float32")
y = rng.integers(0, 10, size=12000)
x_train, y_train = x[:8000], y[:8000]
x_val, y_val = x[8000:10000], y[8000:10000]
x_test, y_test = x[10000:], y[10000:]'''),
}


@functools.cache
def load_dataset(name: str) -> Dataset:
    """Load a dataset by name (a key of DATASETS); cached, so treat the arrays as read-only."""
    if name not in DATASETS:
        raise ValueError(f"Unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    dataset = DATASETS[name].load()
    for array in (dataset.x_train, dataset.y_train, dataset.x_val, dataset.y_val, dataset.x_test, dataset.y_test):
        array.setflags(write=False)
    return dataset
