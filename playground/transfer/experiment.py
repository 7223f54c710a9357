"""Transfer learning, measured: train the three ways on 1…500 Fashion-MNIST examples per class, live, as one Job."""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from playground.jobs.base import Job
from playground.jobs.callbacks import progress_callback_class
from playground.transfer.features import WAYS, transfer_model, unfreeze

DATASET = "fashion"
SIZES = (1, 5, 10, 50, 500)  # examples per class
MAX_PER_CLASS = 500
BATCH_SIZE = 32
VALIDATION_IMAGES = 500  # per-epoch curves: a fixed slice of the validation split ...
VALIDATIONS_PER_RUN = 10  # ... looked at about 10 times per run (60 epochs of 10 images would validate 60 times)
TEST_SIZES = (1_000, 2_000, 10_000)
TARGET_STEPS = 300  # a small set repeats for more epochs, so every run gets a similar number of updates
EPOCH_RANGE = (5, 60)


def epochs_for(train_size: int, batch_size: int = BATCH_SIZE) -> int:
    """Epochs for a training set of this size: about TARGET_STEPS updates, within EPOCH_RANGE."""
    batches = math.ceil(train_size / batch_size)
    return int(min(max(math.ceil(TARGET_STEPS / batches), EPOCH_RANGE[0]), EPOCH_RANGE[1]))


def pick_examples(labels: np.ndarray, per_class: int, seed: int, num_classes: int = 10) -> np.ndarray:
    """Indices of `per_class` examples of every class, drawn with the seed (the same for all three ways)."""
    rng = np.random.default_rng(seed)
    chosen = []
    for label in range(num_classes):
        candidates = np.flatnonzero(labels == label)
        if len(candidates) < per_class:
            raise ValueError(f"Only {len(candidates)} examples of class {label}; asked for {per_class}.")
        chosen.append(rng.choice(candidates, per_class, replace=False))
    return rng.permutation(np.concatenate(chosen))


@dataclass(frozen=True)
class TransferConfig:
    """What to run: examples per class, ways, the base network, how many test images, the seed."""

    sizes: tuple[int, ...] = SIZES
    ways: tuple[str, ...] = tuple(WAYS)
    test_size: int = 2_000
    seed: int = 0
    base: str = "cnn"

    def problem(self) -> str | None:
        """Why this cannot run, in plain words (None when it can)."""
        if not self.sizes:
            return "Pick at least one number of examples per class."
        if not self.ways:
            return "Pick at least one way to train."
        if any(not 1 <= n <= MAX_PER_CLASS for n in self.sizes):
            return f"Examples per class must be between 1 and {MAX_PER_CLASS}."
        if any(way not in WAYS for way in self.ways):
            return f"Unknown way; pick from {', '.join(WAYS)}."
        if not 100 <= self.test_size <= 10_000:
            return "The test set has between 100 and 10,000 images."
        return None


@dataclass
class RunResult:
    """One way trained on one number of examples per class: its per-epoch curve and its test accuracy."""

    way: str
    per_class: int
    epochs: int
    history: list[dict[str, float]] = field(default_factory=list)  # epoch, loss, accuracy, val_accuracy
    test_accuracy: float | None = None
    seconds: float = 0.0
    trainable: int = 0
    frozen: int = 0


@dataclass
class TransferExperiment(Job):
    """All (examples per class × way) runs in order; read `results` any time (the page charts them as they grow)."""

    failure_text = "The transfer experiment failed"
    config: TransferConfig = field(default_factory=TransferConfig)
    results: list[RunResult] = field(default_factory=list)
    current: RunResult | None = None

    def __post_init__(self) -> None:
        problem = self.config.problem()
        if problem:
            raise ValueError(problem)

    @property
    def total_runs(self) -> int:
        return len(self.config.sizes) * len(self.config.ways)

    def table(self) -> dict[str, dict[int, float | None]]:
        """Test accuracy by way and examples per class (None where that run has not finished yet)."""
        done = {(r.way, r.per_class): r.test_accuracy for r in self.results}
        return {way: {n: done.get((way, n)) for n in self.config.sizes} for way in self.config.ways}

    def work(self) -> None:
        from playground.core.datasets import load_dataset
        from playground.digits.classifiers import load_shipped_model

        self.status = "preparing"
        data = load_dataset(DATASET)
        base = load_shipped_model(self.config.base)
        x_val, y_val = data.x_val[:VALIDATION_IMAGES], data.y_val[:VALIDATION_IMAGES]
        x_test, y_test = data.x_test[:self.config.test_size], data.y_test[:self.config.test_size]
        self.status = "running"
        for per_class in sorted(self.config.sizes):
            chosen = pick_examples(data.y_train, per_class, seed=self.config.seed * 1000 + per_class)
            x, y = data.x_train[chosen], data.y_train[chosen]
            for number, way in enumerate(self.config.ways):
                if self.stop_event.is_set():  # asked to stop between two runs
                    self.status = "stopped"
                    break
                self._train_one(base, way, per_class, x, y, (x_val, y_val), (x_test, y_test),
                                seed=self.config.seed * 1000 + per_class * 10 + number)
            if self.status != "running":
                break
        if self.status == "running":
            self.status, self.message = "finished", f"Finished all {len(self.results)} runs."
        elif self.status == "stopped":
            self.message = f"Stopped after {len(self.results)} of {self.total_runs} runs."

    def _train_one(self, base: Any, way: str, per_class: int, x: np.ndarray, y: np.ndarray,
                   validation: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray], seed: int) -> None:
        from playground.transfer.features import trainable_counts

        model = transfer_model(base, way, num_classes=10, seed=seed)
        epochs = epochs_for(len(x))
        extra = epochs // 2 if WAYS[way].fine_tune_rate else 0  # fine-tuning: a second phase, unfrozen
        run = RunResult(way, per_class, epochs + extra, **trainable_counts(model))
        self.current = run
        self.progress.samples, self.progress.batches = len(x), math.ceil(len(x) / BATCH_SIZE)
        started = time.perf_counter()
        callback = _curve_callback_class()(self, BATCH_SIZE)
        for first, last in ((0, epochs), (epochs, epochs + extra)) if extra else ((0, epochs),):
            if first:
                unfreeze(model, way)
                run.trainable = trainable_counts(model)["trainable"]
            model.fit(x, y, batch_size=BATCH_SIZE, initial_epoch=first, epochs=last, validation_data=validation,
                      validation_batch_size=256, validation_freq=max(1, run.epochs // VALIDATIONS_PER_RUN),
                      callbacks=[callback], verbose=0)
            if self.status != "running":
                break
        if self.status != "running" or not run.history:
            self.current = None
            return
        run.test_accuracy = float(model.evaluate(*test, batch_size=256, verbose=0)[1])
        run.seconds = time.perf_counter() - started
        self.results.append(run)
        self.current = None


@functools.cache
def _curve_callback_class() -> type:
    """The Keras callback that appends each complete epoch to the current run's curve (made on first use)."""

    class CurveCallback(progress_callback_class()):
        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            job, logs = self.run, logs or {}
            if job.current is None or not self.epoch_complete(epoch, "curve"):
                return
            # val_accuracy only on the epochs that validated (validation_freq)
            job.current.history.append({"epoch": epoch + 1, **{key: float(logs[key]) for key in
                                                                ("loss", "accuracy", "val_accuracy") if key in logs}})

    return CurveCallback


def sample_images(per_class: int = 1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A few Fashion-MNIST training images and labels (what the page shows as 'your N examples')."""
    from playground.core.datasets import load_dataset

    data = load_dataset(DATASET)
    chosen = pick_examples(data.y_train, per_class, seed)
    order = np.argsort(data.y_train[chosen], kind="stable")
    return data.x_train[chosen][order][..., 0], data.y_train[chosen][order]



