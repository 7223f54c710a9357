"""Magnitude pruning: zero the smallest weights to an exact sparsity, then fine-tune with them kept at zero.

Keras 3 has no pruning API of its own, and the TensorFlow Model Optimization toolkit (tfmot.sparsity) works only
with tf.keras from Keras 2, not with Keras 3. So the masks are written here, small and tested: a mask per Dense
or Conv2D kernel (biases and BatchNormalization are a few hundred numbers: they stay), and a Keras constraint that
multiplies the kernel by its mask after every optimizer step, so a pruned weight stays exactly zero while the
remaining ones learn to make up for it.
"""

from __future__ import annotations

import functools
import io
import math
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from playground.jobs.base import Job
from playground.jobs.callbacks import progress_callback_class

SPARSITY_RANGE = (0.1, 0.95)
SWEEP = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
FINE_TUNE_RATE = 1e-3  # measured on the shipped CNN at 80%: 2 epochs at 1e-3 recover 99.39% (3e-4: 99.16%)
BATCH_SIZE = 128


def prunable(model: Any) -> list[Any]:
    """The layers whose kernels are pruned: Dense and Conv2D (they hold nearly all the weights)."""
    import keras

    return [layer for layer in model.layers if isinstance(layer, (keras.layers.Dense, keras.layers.Conv2D))]


def magnitude_mask(kernel: np.ndarray, sparsity: float) -> np.ndarray:
    """1 for the weights kept, 0 for the round(sparsity × size) smallest in magnitude (ties: the earlier goes)."""
    return magnitude_masks_of([np.asarray(kernel)], sparsity)[0]


def magnitude_masks_of(kernels: list[np.ndarray], sparsity: float) -> list[np.ndarray]:
    """Masks that zero the round(sparsity × all weights) smallest weights of all the kernels together.

    One threshold for the whole network (global magnitude pruning), not the same fraction of every layer: a
    layer of 200,000 redundant weights gives up most of them, while a first convolution of 288 weights, each of
    which matters, keeps nearly all of its own. The count is exact, ties broken by position.
    """
    if not 0.0 <= sparsity < 1.0:
        raise ValueError(f"Sparsity must be in [0, 1), got {sparsity}.")
    flat = np.concatenate([np.abs(np.asarray(k, dtype=np.float64)).ravel() for k in kernels]) if kernels \
        else np.zeros(0)
    keep = np.ones(flat.size, dtype=np.float32)
    keep[np.argsort(flat, kind="stable")[:round(sparsity * flat.size)]] = 0.0
    bounds = np.cumsum([0, *(np.size(k) for k in kernels)])
    return [keep[a:b].reshape(np.shape(k)) for k, a, b in zip(kernels, bounds[:-1], bounds[1:])]


def magnitude_masks(model: Any, sparsity: float) -> dict[str, np.ndarray]:
    """One mask per prunable layer, by layer name, pruning the network as a whole to `sparsity`."""
    layers = prunable(model)
    return dict(zip([layer.name for layer in layers],
                    magnitude_masks_of([layer.kernel.numpy() for layer in layers], sparsity)))


def apply_masks(model: Any, masks: dict[str, np.ndarray]) -> None:
    """Zero the masked weights in place."""
    for layer in prunable(model):
        if layer.name in masks:
            layer.kernel.assign(layer.kernel.numpy() * masks[layer.name])


def sparsity_of(model: Any) -> float:
    """The fraction of exactly-zero weights in the prunable kernels."""
    kernels = [layer.kernel.numpy() for layer in prunable(model)]
    total = sum(k.size for k in kernels)
    return float(sum(np.count_nonzero(k == 0) for k in kernels) / total) if total else 0.0


@functools.cache
def mask_constraint_class() -> type:
    """keras.constraints.Constraint that keeps a kernel's pruned weights at zero (made on first use)."""
    import keras

    class KeepPruned(keras.constraints.Constraint):
        """The optimizer applies a variable's constraint after every update: w ← w × mask."""

        def __init__(self, mask: np.ndarray) -> None:
            self.mask = keras.ops.convert_to_tensor(mask)

        def __call__(self, w: Any) -> Any:
            return w * keras.ops.cast(self.mask, w.dtype)

    return KeepPruned


def keep_pruned(model: Any, masks: dict[str, np.ndarray]) -> None:
    """Attach the masks as constraints, so training never brings a pruned weight back."""
    for layer in prunable(model):
        if layer.name in masks:
            layer.kernel.constraint = mask_constraint_class()(masks[layer.name])


def zipped_size(model: Any) -> int:
    """Bytes of the model's .keras file zipped (deflate, level 9): zeros compress, so pruning shows here.

    A .keras file stores its weights uncompressed, so its own size does not change when weights become zero.
    """
    from playground.shrink.quantize import model_bytes

    return zipped(model_bytes(model))


def zipped(data: bytes) -> int:
    """Size of `data` once zipped (deflate, level 9)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("model.keras", data)
    return len(buffer.getvalue())


def trainable_copy(model: Any) -> Any:
    """A copy of the model with its weights that can be trained (the shipped models are shared and frozen)."""
    import keras

    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    copy.trainable = True
    return copy


def sweep(model: Any, x: np.ndarray, y: np.ndarray, sparsities: tuple[float, ...] = SWEEP) -> list[tuple[float, float]]:
    """(sparsity, accuracy) of the model pruned to each sparsity without any fine-tuning."""
    from playground.digits.classifiers import accuracy

    work = trainable_copy(model)
    original = model.get_weights()
    points = []
    for sparsity in sparsities:
        work.set_weights(original)
        apply_masks(work, magnitude_masks(work, sparsity))
        points.append((sparsity, accuracy(work, x, y)))
    return points


@dataclass
class PruneRun(Job):
    """Sweep the accuracy over sparsities, prune to one, fine-tune with the zeros kept, measure sizes and accuracy."""

    failure_text = "Pruning failed"
    model: Any = None  # the dense classifier (never changed)
    title: str = "the model"
    sparsity: float = 0.8
    fine_tune_epochs: int = 1
    fine_tune_samples: int = 10_000  # MNIST training images per fine-tune epoch
    eval_size: int = 2_000  # MNIST test images for the sweep and the accuracies
    do_sweep: bool = True
    seed: int = 0
    dense_accuracy: float | None = None
    pruned_accuracy: float | None = None  # right after pruning, before fine-tuning
    tuned_accuracy: float | None = None
    curve: list[tuple[float, float]] = field(default_factory=list)  # the sweep before fine-tuning
    sizes: dict[str, int] = field(default_factory=dict)  # dense / pruned zipped bytes, and the plain .keras
    history: list[dict[str, float]] = field(default_factory=list)
    kernels: dict[str, np.ndarray] = field(default_factory=dict, repr=False)  # "dense" / "pruned": the largest kernel
    pruned_model: Any = None
    pruned_file: bytes = field(default=b"", repr=False)  # the pruned model's .keras file

    def __post_init__(self) -> None:
        low, high = SPARSITY_RANGE
        if not low <= self.sparsity <= high:
            raise ValueError(f"Sparsity must be between {low:.0%} and {high:.0%}.")
        if not 0 <= self.fine_tune_epochs <= 10:
            raise ValueError("Fine-tune for 0 to 10 epochs.")

    def work(self) -> None:
        import keras

        from playground.core.datasets import load_dataset
        from playground.digits.classifiers import accuracy
        from playground.shrink.quantize import model_bytes

        self.status = "preparing"
        data = load_dataset("mnist")
        x_test, y_test = data.x_test[:self.eval_size], data.y_test[:self.eval_size]
        biggest = max(prunable(self.model), key=lambda layer: int(np.prod(layer.kernel.shape))).name
        self.kernels["dense"] = self.model.get_layer(biggest).kernel.numpy()
        self.dense_accuracy = accuracy(self.model, x_test, y_test)
        clean = trainable_copy(self.model)  # uncompiled: a trained model's file would also hold its optimizer
        self.sizes["dense_file"] = len(model_bytes(clean))
        self.sizes["dense_zipped"] = zipped_size(clean)
        if self.do_sweep:
            self.curve = sweep(self.model, x_test, y_test)
        pruned = trainable_copy(self.model)
        masks = magnitude_masks(pruned, self.sparsity)
        apply_masks(pruned, masks)
        self.pruned_accuracy = accuracy(pruned, x_test, y_test)
        self.kernels["pruned"] = pruned.get_layer(biggest).kernel.numpy()
        if self.fine_tune_epochs:
            self._fine_tune(pruned, masks, data, keras)
        if self.stop_event.is_set():
            self.status, self.message = "stopped", "Stopped during the fine-tune; the pruned model was not kept."
            return
        pruned = trainable_copy(pruned)  # without the constraints and the optimizer's state (not part of the model)
        pruned.trainable = False
        self.tuned_accuracy = accuracy(pruned, x_test, y_test) if self.fine_tune_epochs else self.pruned_accuracy
        self.kernels["tuned"] = pruned.get_layer(biggest).kernel.numpy()
        self.pruned_file = model_bytes(pruned)
        self.sizes["pruned_zipped"] = zipped(self.pruned_file)
        self.pruned_model = pruned
        self.status = "finished"
        self.message = (f"Pruned {self.title} to {sparsity_of(pruned):.0%} zeros"
                        + (f" and fine-tuned {self.fine_tune_epochs} epoch(s)." if self.fine_tune_epochs else "."))

    def _fine_tune(self, model: Any, masks: dict[str, np.ndarray], data: Any, keras: Any) -> None:
        for layer in model.layers:  # BatchNormalization keeps its statistics: only the surviving weights adapt
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.trainable = False
        keep_pruned(model, masks)
        model.compile(optimizer=keras.optimizers.Adam(FINE_TUNE_RATE), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], jit_compile=False)
        rng = np.random.default_rng(self.seed)
        samples = min(self.fine_tune_samples, len(data.x_train))
        self.progress.samples, self.progress.batches = samples, math.ceil(samples / BATCH_SIZE)
        self.status = "running"
        callback = _epoch_callback_class()(self, BATCH_SIZE)
        for epoch in range(self.fine_tune_epochs):
            chosen = rng.choice(len(data.x_train), samples, replace=False)
            started = time.perf_counter()
            model.fit(data.x_train[chosen], data.y_train[chosen], batch_size=BATCH_SIZE, initial_epoch=epoch,
                      epochs=epoch + 1, verbose=0, callbacks=[callback])
            if self.status != "running":
                return
            self.history[-1]["seconds"] = round(time.perf_counter() - started, 2)


@functools.cache
def _epoch_callback_class() -> type:
    class EpochCallback(progress_callback_class()):
        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            if self.epoch_complete(epoch, "weights"):
                self.run.history.append({"epoch": epoch + 1, **{k: float(v) for k, v in (logs or {}).items()}})

    return EpochCallback
