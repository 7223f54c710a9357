"""A live GAN training run: fit() in a worker thread, per-epoch losses, scores and a fixed-noise grid, stop."""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from playground.core.datasets import NUM_CLASSES, load_mnist_arrays
from playground.gan.model import LIVE_SHAPE, GanShape, build_gan, gan_dataset
from playground.gan.sampling import generate, sample_noise, to_uint8
from playground.jobs.base import Job
from playground.jobs.callbacks import progress_callback_class

FULL_SET = 60_000
PREVIEW_ROWS = 4  # the fixed-noise grid: one column per digit, this many rows
PREVIEW_SEED = 7
LIMITS: dict[str, tuple[float, float]] = {
    "train_samples": (100, FULL_SET), "epochs": (1, 100), "batch_size": (8, 1024),
    "d_learning_rate": (1e-6, 0.1), "g_learning_rate": (1e-6, 0.1), "seed": (0, 2**31 - 1),
}


@dataclass(frozen=True)
class GanConfig:
    """The knobs of a live run. train_samples: the first N MNIST training images (60,000 = the full set)."""

    train_samples: int = 10_000
    epochs: int = 10
    batch_size: int = 32  # more updates per epoch than 64: on 10,000 images, 64 leaves each digit a single style
    d_learning_rate: float = 2e-4
    g_learning_rate: float = 2e-4
    seed: int = 0

    def problem(self) -> str | None:
        """What is wrong with these settings, in words, or None when they can train."""
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if not low <= value <= high:
                return f"{name.replace('_', ' ').capitalize()} must be between {low:g} and {high:g}, not {value:g}."
        if self.batch_size > self.train_samples:
            return f"The batch size ({self.batch_size}) is larger than the training set ({self.train_samples} images)."
        return None


@dataclass
class GanRun(Job):
    """One live GAN training run. Create, start(), then read status/history/grids/progress from any thread."""

    resources: ClassVar[dict[str, float]] = {"num_cpus": 1, "num_gpus": 0.25}
    shipped: ClassVar[dict[str, str]] = {**Job.shipped, "history": "list", "grids": "dict", "_kept": "final"}

    config: GanConfig
    shape: GanShape = LIVE_SHAPE
    history: list[dict[str, float]] = field(default_factory=list)
    grids: dict[int, np.ndarray] = field(default_factory=dict)  # epoch -> uint8 fixed-noise images; 0 = untrained
    gan: Any = None  # the ConditionalGAN once built
    _kept: list[np.ndarray] = field(default_factory=list, repr=False)  # generator weights of the last full epoch

    def __post_init__(self) -> None:
        problem = self.config.problem()
        if problem:
            raise ValueError(problem)

    @property
    def generator(self) -> Any:
        """The trained generator once the run has ended with at least one epoch, else None."""
        return self.gan.generator if self.done and self.history and self.gan is not None else None

    def preview_digits(self) -> np.ndarray:
        return np.tile(np.arange(NUM_CLASSES), PREVIEW_ROWS)

    def recipe(self) -> dict[str, Any]:
        return {"config": self.config, "shape": self.shape, "name": self.name}

    def rebuild_locally(self) -> None:
        """The generator of the last full epoch, built here from the shape and its shipped weights."""
        if self._kept:
            config = self.config
            self.gan = build_gan(self.shape, config.seed, config.d_learning_rate, config.g_learning_rate)
            self.gan.generator.set_weights(self._kept)

    def batch_problem(self, logs: dict) -> str | None:
        losses = [float(logs[key]) for key in ("d_loss", "g_loss") if key in logs]
        if all(math.isfinite(loss) for loss in losses):
            return None
        return "A loss became NaN: the weights blew up. Try smaller learning rates; the generator of the last full " \
               "epoch is kept."

    def work(self) -> None:
        self.status = "preparing"
        config = self.config
        raw = load_mnist_arrays()
        images = raw["x_train"][:config.train_samples].astype(np.float32) / 255.0
        self.gan = build_gan(self.shape, config.seed, config.d_learning_rate, config.g_learning_rate)
        self._noise = sample_noise(PREVIEW_ROWS * NUM_CLASSES, self.shape.latent_dim, PREVIEW_SEED)
        self._keep_epoch(0)
        self.progress.samples = len(images)
        self.progress.batches = math.ceil(len(images) / config.batch_size)
        self.status = "running"
        self.gan.fit(gan_dataset(images, raw["y_train"][:config.train_samples], config.batch_size, config.seed),
                     epochs=config.epochs, callbacks=[_live_gan_class()(self, config.batch_size)], shuffle=False,
                     verbose=0)
        self.gan.generator.set_weights(self._kept)  # a partial epoch is not kept: back to the last full one
        final = "finished" if self.status == "running" else self.status
        if final == "finished":
            self.message = f"Finished {len(self.history)} epochs."
        self.status = final  # last: readers treat the run as done from here on

    def _keep_epoch(self, epoch: int) -> None:
        self._kept = self.gan.generator.get_weights()
        self.grids[epoch] = to_uint8(generate(self.gan.generator, self._noise, self.preview_digits()))


@functools.cache
def _live_gan_class() -> type:
    """The Keras callback class, made on first use so that importing this module does not import Keras."""

    class LiveGan(progress_callback_class()):
        """Per-epoch metrics and the fixed-noise grid (batch progress, stop and NaN stop come from the base class)."""

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            run = self.run
            if not self.epoch_complete(epoch, "generator"):
                return
            row = {"epoch": epoch + 1, "seconds": round(time.perf_counter() - self.epoch_start, 3)}
            row.update({key: float(value) for key, value in (logs or {}).items()})
            run._keep_epoch(epoch + 1)
            run.history.append(row)  # after the grid: a reader seeing epoch N also finds its grid

    return LiveGan
