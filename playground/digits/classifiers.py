"""The shipped MNIST classifiers (MLP and CNN), predictions of any classifier, and a CNN's filters and feature maps."""

from __future__ import annotations

import functools
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from playground.core.datasets import ASSETS
from playground.digits.loading import ModelError, load_model_file

if TYPE_CHECKING:
    import keras

MODELS_DIR = ASSETS / "models"
METRICS_PATH = MODELS_DIR / "metrics.json"


@dataclass(frozen=True)
class ShippedModel:
    """A pretrained classifier that ships with the app: its file and how to talk about it."""

    name: str
    title: str
    path: Path
    description: str


SHIPPED: dict[str, ShippedModel] = {
    "mlp": ShippedModel("mlp", "MLP", MODELS_DIR / "mlp.keras",
                        "A multi-layer perceptron 784-256-128-10 (ReLU), twice as wide as the lecture's: sees 784 "
                        "separate pixels."),
    "cnn": ShippedModel("cnn", "CNN", MODELS_DIR / "cnn.keras",
                        "A small convolutional network: filters slide over the image and find strokes anywhere."),
}


_load_lock = threading.Lock()


@functools.cache
def _load_shipped(name: str) -> keras.Model:
    model = load_model_file(SHIPPED[name].path, limit=None)
    model.trainable = False  # shared by every session: nobody may train it
    model.predict_on_batch(np.zeros((1, *model.inputs[0].shape[1:]), np.float32))  # build its graph once, here
    return model


def load_shipped_model(name: str) -> keras.Model:
    """The shipped 'mlp' or 'cnn' model, loaded once per process and shared (treat it as read-only)."""
    if name not in SHIPPED:
        raise ModelError(f"Unknown shipped model {name!r}; pick one of {', '.join(SHIPPED)}.")
    if not SHIPPED[name].path.exists():
        raise ModelError(f"{SHIPPED[name].path} is missing: rebuild it with "
                         "`python assets/models/build_classifiers.py`.")
    with _load_lock:  # two sessions opening the page at once must not load (and build) the model twice
        return _load_shipped(name)


def shipped_metrics() -> dict:
    """The accuracies recorded beside the shipped models when they were built ({} if not built yet)."""
    try:
        return json.loads(METRICS_PATH.read_text())
    except (OSError, json.JSONDecodeError):
        return {}


def _as_input(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """(n, 28, 28) images in [0, 1] reshaped to whatever the model takes."""
    images = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28)
    return images.reshape((len(images), *tuple(model.inputs[0].shape[1:])))


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def predict_probabilities(model: keras.Model, images: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """Class probabilities (n, 10) for (n, 28, 28) images; logits (a linear output layer) go through softmax."""
    x = _as_input(model, images)
    # predict_on_batch runs a compiled graph (~0.5 ms for one digit); model.predict would add its set-up every call.
    scores = np.concatenate([np.asarray(model.predict_on_batch(x[i:i + batch_size]), dtype=np.float64)
                             for i in range(0, len(x), batch_size)]) if len(x) else np.zeros((0, 10))
    is_distribution = np.all(scores >= 0) and np.allclose(scores.sum(axis=1), 1.0, atol=1e-3)
    return (scores if is_distribution else _softmax(scores)).astype(np.float32)


def accuracy(model: keras.Model, images: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of images whose most probable class is the label."""
    return float(np.mean(predict_probabilities(model, images).argmax(axis=1) == np.asarray(labels)))


def conv_layers(model: keras.Model) -> list:
    """The model's 2-D convolution layers, input to output."""
    import keras

    return [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]


def first_conv_filters(model: keras.Model) -> np.ndarray:
    """The first convolution's learned filters as (k, k, filters), summed over input channels; ModelError if none."""
    layers = conv_layers(model)
    if not layers:
        raise ModelError("This model has no convolution layer, so it has no filters to show.")
    kernel = np.asarray(layers[0].get_weights()[0])  # (k, k, in_channels, filters)
    return kernel.sum(axis=2)


@functools.lru_cache(maxsize=8)
def _feature_model(model: keras.Model) -> keras.Model:
    import keras

    return keras.Model(inputs=model.inputs[0], outputs=[layer.output for layer in conv_layers(model)])


def feature_maps(model: keras.Model, image: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """What each convolution layer outputs for one 28×28 image: [(layer name, (h, w, filters))]."""
    if not conv_layers(model):
        return []
    outputs = _feature_model(model)(_as_input(model, image[np.newaxis]), training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [(layer.name, np.asarray(out)[0]) for layer, out in zip(conv_layers(model), outputs)]
