"""Quantize a trained classifier (float16, Keras 3's int8) and measure it: file size, accuracy, time per image.

int8 is Keras' own `model.quantize("int8")`: each Dense kernel becomes int8 numbers plus one float scale per
output unit (w ≈ q / scale), and the layer's inputs are quantized on the fly. Keras 3.15 quantizes Dense,
EinsumDense and Embedding layers; convolutions stay float32 (in the shipped CNN they hold 8% of the weights).
float16 stores every weight in half precision: half the bytes, about 3 significant digits.
"""

from __future__ import annotations

import functools
import statistics
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from playground.jobs.base import Job

CHECK_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "drawn_digits.npz"
LATENCY_REPEATS = 30


@dataclass(frozen=True)
class Mode:
    """One numeric format a model can be stored and run in."""

    title: str
    bits: int
    explain: str


MODES: dict[str, Mode] = {
    "float32": Mode("float32 (as trained)", 32, "4 bytes per weight: what training produces."),
    "float16": Mode("float16", 16, "2 bytes per weight: every weight rounded to ~3 significant digits."),
    "int8": Mode("int8 (Keras quantize)", 8, "1 byte per Dense weight, plus one float scale per output unit; "
                 "inputs are quantized on the fly."),
}


def _float16_copy(model: Any) -> Any:
    import keras

    last = model.layers[-1]

    def half(layer: Any) -> Any:
        # The output layer stays float32, as Keras' mixed-precision guide advises: a softmax in float16 rounds its
        # probabilities so that they no longer add up to 1 (10 output units: a negligible part of the file).
        dtype = "float32" if layer is last else "float16"
        return type(layer).from_config({**layer.get_config(), "dtype": dtype})

    copy = keras.models.clone_model(model, clone_function=half)
    copy.set_weights([np.asarray(w).astype(v.dtype) for w, v in zip(model.get_weights(), copy.weights)])
    return copy


def _int8_copy(model: Any) -> Any:
    import keras

    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    with warnings.catch_warnings():  # one warning per layer Keras cannot quantize (Conv2D, pooling ...): expected
        warnings.simplefilter("ignore")
        copy.quantize("int8")
    return copy


def quantized_copy(model: Any, mode: str) -> Any:
    """A new model: the same network in `mode` ('float32' gives a plain copy). The input model is not changed."""
    import keras

    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; one of {', '.join(MODES)}.")
    if mode == "float16":
        copy = _float16_copy(model)
    elif mode == "int8":
        copy = _int8_copy(model)
    else:
        copy = keras.models.clone_model(model)
        copy.set_weights(model.get_weights())
    copy.trainable = False
    return copy


def quantized_layers(model: Any) -> list[str]:
    """Names of the layers that run quantized (int8) in this model."""
    return [layer.name for layer in model.layers if getattr(layer, "quantization_mode", None)]


def model_bytes(model: Any) -> bytes:
    """The model as a .keras file (what model.save writes, and what a download gives)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        model.save(path)
        return path.read_bytes()


def ms_per_image(model: Any, repeats: int = LATENCY_REPEATS) -> float:
    """Median time to classify one 28×28 image, in milliseconds (after warm-up calls that build the graph)."""
    image = np.zeros((1, *model.inputs[0].shape[1:]), np.float32)
    for _ in range(3):
        model.predict_on_batch(image)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.predict_on_batch(image)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def drawn_check_set() -> tuple[np.ndarray, np.ndarray]:
    """The drawn-digit check set (images (n, 28, 28) in [0, 1], labels): what tools.build_drawn_digits builds.

    Read here directly, as tools/ is never imported by the app (tests check it matches load_check_set).
    """
    with np.load(CHECK_SET) as data:
        return data["images"].astype(np.float32) / 255.0, data["labels"].astype(np.int64)


@dataclass(frozen=True)
class Measurement:
    """One model in one format: what it costs and how well it still reads digits."""

    mode: str
    size_bytes: int
    mnist_accuracy: float
    drawn_accuracy: float | None
    ms_per_image: float
    quantized_layers: tuple[str, ...] = ()


def measure(model: Any, mode: str, x_test: np.ndarray, y_test: np.ndarray,
            drawn: tuple[np.ndarray, np.ndarray] | None = None, size: int | None = None) -> Measurement:
    """File size (`size` if already known), MNIST test accuracy, drawn-set accuracy and latency of `model`."""
    from playground.digits.classifiers import accuracy

    size = len(model_bytes(model)) if size is None else size
    return Measurement(mode, size, accuracy(model, x_test, y_test),
                       accuracy(model, *drawn) if drawn is not None else None, ms_per_image(model),
                       tuple(quantized_layers(model)))


@dataclass
class QuantizeRun(Job):
    """Quantize one model to each mode and measure every version side by side (results grow as it goes)."""

    failure_text = "Quantizing failed"
    model: Any = None  # the float32 classifier (not changed)
    title: str = "the model"
    modes: tuple[str, ...] = tuple(MODES)
    test_size: int = 10_000
    results: list[Measurement] = field(default_factory=list)
    models: dict[str, Any] = field(default_factory=dict, repr=False)  # mode -> the model in that format
    files: dict[str, bytes] = field(default_factory=dict, repr=False)  # mode -> its .keras file

    def work(self) -> None:
        from playground.core.datasets import load_dataset

        self.status = "preparing"
        data = load_dataset("mnist")
        x_test, y_test = data.x_test[:self.test_size], data.y_test[:self.test_size]
        drawn = drawn_check_set() if CHECK_SET.exists() else None
        self.status = "running"
        self.progress.batches = len(self.modes)
        for number, mode in enumerate(self.modes, start=1):
            if self.stop_event.is_set():
                self.status, self.message = "stopped", f"Stopped after {len(self.results)} formats."
                return
            self.progress.epoch, self.progress.batch = number, number - 1
            version = quantized_copy(self.model, mode)
            self.models[mode], self.files[mode] = version, model_bytes(version)
            self.results.append(measure(version, mode, x_test, y_test, drawn, size=len(self.files[mode])))
            self.progress.batch = number
        self.status, self.message = "finished", f"Measured {self.title} in {len(self.results)} formats."


_shared_lock = threading.Lock()


@functools.cache
def _shared(name: str, mode: str) -> Any:
    from playground.digits.classifiers import load_shipped_model

    model = quantized_copy(load_shipped_model(name), mode)
    model.predict_on_batch(np.zeros((1, *model.inputs[0].shape[1:]), np.float32))
    return model


def shipped_quantized(name: str, mode: str = "int8") -> Any:
    """A shipped classifier in `mode`, made once per process and shared (read-only): the Draw page asks it."""
    with _shared_lock:
        return _shared(name, mode)


def describe_change(base: Measurement, other: Measurement) -> str:
    """One line: size ratio, accuracy change and speed ratio of `other` against `base`."""
    size = other.size_bytes / base.size_bytes
    change = (other.mnist_accuracy - base.mnist_accuracy) * 100
    ratio = base.ms_per_image / other.ms_per_image
    speed = f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:.1f}× slower"
    return f"{MODES[other.mode].title}: {size:.0%} of the file, accuracy {change:+.2f} points, {speed} per image"
