"""A live GAN training run: fit() in a worker thread, per-epoch losses, scores and a fixed-noise grid, stop."""

from __future__ import annotations

import contextlib
import functools
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from playground import training
from playground.data import NUM_CLASSES, load_mnist_arrays
from playground.device import configure_tensorflow, describe_device
from playground.gan import LIVE_SHAPE, GanShape, build_gan, gan_dataset, generate, sample_noise, to_uint8
from playground.training import Progress

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


@contextlib.contextmanager
def training_slot(stop_event: threading.Event) -> Iterator[bool]:
    """Hold one of the server-wide training slots of playground.training (False: stopped while waiting)."""
    # Uses training.py's private semaphore so GAN runs and Build & train runs share one limit.
    while not training._slots.acquire(timeout=0.2):
        if stop_event.is_set():
            yield False
            return
    with training._active_lock:
        training._active_runs += 1
    try:
        yield True
    finally:
        with training._active_lock:
            training._active_runs -= 1
        training._slots.release()


@dataclass
class GanRun:
    """One live GAN training run. Create, start(), then read status/history/grids/progress from any thread."""

    config: GanConfig
    name: str = "GAN run"
    shape: GanShape = LIVE_SHAPE
    status: str = "created"  # created, queued, preparing, running, finished, stopped, diverged, failed
    message: str = ""
    history: list[dict[str, float]] = field(default_factory=list)
    grids: dict[int, np.ndarray] = field(default_factory=dict)  # epoch -> uint8 fixed-noise images; 0 = untrained
    progress: Progress = field(default_factory=Progress)
    device: str = ""
    gan: Any = None  # the ConditionalGAN once built
    stop_event: threading.Event = field(default_factory=threading.Event, repr=False)
    _kept: list[np.ndarray] = field(default_factory=list, repr=False)  # generator weights of the last full epoch
    _thread: threading.Thread | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        problem = self.config.problem()
        if problem:
            raise ValueError(problem)

    @property
    def done(self) -> bool:
        return self.status in ("finished", "stopped", "diverged", "failed")

    @property
    def training(self) -> bool:
        return self.status in ("queued", "preparing", "running")

    @property
    def generator(self) -> Any:
        """The trained generator once the run has ended with at least one epoch, else None."""
        return self.gan.generator if self.done and self.history and self.gan is not None else None

    def preview_digits(self) -> np.ndarray:
        return np.tile(np.arange(NUM_CLASSES), PREVIEW_ROWS)

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("A run starts once; create a new GanRun to train again.")
        configure_tensorflow()
        self.device = describe_device()
        self.status = "queued"
        self._thread = threading.Thread(target=self._work, name=f"gan-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the run to stop after the current batch."""
        self.stop_event.set()

    def wait(self, timeout: float | None = None) -> bool:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.done

    def _work(self) -> None:
        with training_slot(self.stop_event) as got_slot:
            if not got_slot or self.stop_event.is_set():
                self.status, self.message = "stopped", "Stopped before it started."
                return
            try:
                self._train()
            except Exception as error:  # the worker must never die silently: the page shows the message
                self.status, self.message = "failed", f"Training failed: {type(error).__name__}: {error}"

    def _train(self) -> None:
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
                     epochs=config.epochs, callbacks=[_live_gan_class()(self)], shuffle=False, verbose=0)
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
    import keras

    class LiveGan(keras.callbacks.Callback):
        """Feeds the run: batch progress, stop, NaN stop, per-epoch metrics and the fixed-noise grid."""

        def __init__(self, run: GanRun) -> None:
            super().__init__()
            self.run = run
            self.epoch_start = 0.0

        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self.run.progress.epoch, self.run.progress.batch = epoch + 1, 0
            self.epoch_start = time.perf_counter()

        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
            run, progress = self.run, self.run.progress
            progress.batch = batch + 1
            progress.samples_per_second = min(progress.batch * run.config.batch_size, progress.samples) / max(
                time.perf_counter() - self.epoch_start, 1e-9)
            losses = [float(logs[key]) for key in ("d_loss", "g_loss") if logs and key in logs]
            if not all(math.isfinite(loss) for loss in losses):
                run.status = "diverged"
                run.message = ("A loss became NaN: the weights blew up. Try smaller learning rates; the generator "
                               "of the last full epoch is kept.")
                self.model.stop_training = True
            elif run.stop_event.is_set():
                run.status = "stopped"
                self.model.stop_training = True

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            run = self.run
            if run.progress.batch < run.progress.batches or run.status != "running":
                if run.status == "stopped":
                    run.message = f"Stopped during epoch {epoch + 1}; kept the generator of epoch {epoch}."
                return
            row = {"epoch": epoch + 1, "seconds": round(time.perf_counter() - self.epoch_start, 3)}
            row.update({key: float(value) for key, value in (logs or {}).items()})
            run._keep_epoch(epoch + 1)
            run.history.append(row)  # after the grid: a reader seeing epoch N also finds its grid

    return LiveGan
