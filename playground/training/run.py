"""A training run: model.fit in a worker thread, live metrics, stop, per-epoch checkpoints, best epoch, NaN stop."""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from playground.core.batches import shuffled_batches
from playground.core.build import build_model, check_experiment, compile_model
from playground.core.datasets import DATASETS, load_dataset
from playground.core.specs import Experiment
from playground.jobs.base import Job
from playground.jobs.callbacks import progress_callback_class

CHECKPOINT_BUDGET_BYTES = 256 * 1024**2  # per run; older checkpoints are dropped beyond it (best and last stay)
# Cross-entropy over 10 classes starts near ln(10) = 2.3; a loss this large means the weights blew up. Keras computes
# the loss from the logits, so a blown-up network often shows a huge finite loss long before NaN.
DIVERGED_LOSS = 1000.0
DIVERGED_MESSAGE = ("The loss became {value:.3g}: the steps are too big and the weights blew up. The learning rate "
                    "({lr:g}) is probably too high; try 10× smaller. The weights of the last good epoch are kept.")


def diverged(loss: float) -> bool:
    """True for a NaN or infinite loss, or one beyond DIVERGED_LOSS."""
    return not math.isfinite(loss) or loss > DIVERGED_LOSS


@dataclass
class TestResult:
    """The test set, evaluated once for the weights of one epoch."""

    weights_epoch: int
    loss: float
    accuracy: float


@dataclass
class TrainingRun(Job):
    """One training run of one Experiment. Create, start(), then read status/history/progress from any thread.

    Raises SpecError at creation when the experiment cannot train, so nothing starts on a bad spec.
    """

    resources: ClassVar[dict[str, float]] = {"num_cpus": 1, "num_gpus": 0.25}  # four runs share a GPU
    shipped: ClassVar[dict[str, str]] = {
        **Job.shipped, "history": "list", "checkpoints": "dict", "test_results": "list", "weights_epoch": "value",
        "train_seconds": "value", "batch_seconds": "value", "fit_seconds": "value", "samples_seen": "value"}

    experiment: Experiment
    history: list[dict[str, float]] = field(default_factory=list)
    checkpoints: dict[int, list[np.ndarray]] = field(default_factory=dict)  # epoch -> weights; 0 = initial
    test_results: list[TestResult] = field(default_factory=list)
    weights_epoch: int = 0  # which epoch's weights the model holds now
    train_seconds: float = 0.0  # wall time of the completed epochs, validation included
    batch_seconds: float = 0.0  # of which spent on training batches
    fit_seconds: float = 0.0  # the whole model.fit call (what a bare model.fit would take, plus our callback)
    samples_seen: int = 0
    model: Any = None  # keras.Model once built

    def __post_init__(self) -> None:
        error = check_experiment(self.experiment).error
        if error:
            raise error

    @property
    def best_epoch(self) -> int | None:
        """The epoch with the highest validation accuracy (the earliest on ties), None before the first epoch."""
        if not self.history:
            return None
        return max(self.history, key=lambda row: (row["val_accuracy"], -row["epoch"]))["epoch"]

    def summary(self) -> dict[str, Any]:
        best = self.best_epoch
        test = self.test_results[-1] if self.test_results else None
        return {
            "status": self.status,
            "epochs": len(self.history),
            "best_epoch": best,
            "best_val_accuracy": self.history[best - 1]["val_accuracy"] if best else None,
            "test_accuracy": test.accuracy if test else None,
            "test_loss": test.loss if test else None,
            "test_weights_epoch": test.weights_epoch if test else None,
            "train_seconds": round(self.train_seconds, 3),
            "samples_per_second": round(self.samples_seen / self.batch_seconds, 1) if self.batch_seconds else 0.0,
            "device": self.device,
            "message": self.message,
        }

    def recipe(self) -> dict[str, Any]:
        return {"experiment": self.experiment, "name": self.name}

    def rebuild_locally(self) -> None:
        """The model of the last complete epoch, built here from the spec and its shipped checkpoint."""
        epoch = len(self.history)
        if epoch not in self.checkpoints:
            return
        config, network = self.experiment.config, self.experiment.network
        data = DATASETS[config.dataset]
        self.model = build_model(network, data.input_shape, data.num_classes, seed=config.seed)
        compile_model(self.model, network, config.optimizer, config.learning_rate)
        self.model.set_weights(self.checkpoints[epoch])
        self.weights_epoch = epoch

    def restore_epoch(self, epoch: int) -> None:
        """Load the weights checkpointed at the end of `epoch` into the model (only once training is over)."""
        if not self.done or self.model is None:
            raise RuntimeError("Weights can be restored once training has ended.")
        if epoch not in self.checkpoints:
            raise KeyError(f"No checkpoint kept for epoch {epoch}.")
        self.model.set_weights(self.checkpoints[epoch])
        self.weights_epoch = epoch

    def evaluate_test(self) -> TestResult:
        """Evaluate the current weights on the test set, once per weights; the result is kept."""
        if self.model is None or not self.done:
            raise RuntimeError("The test set is evaluated once training has ended.")
        return self._evaluate_test()

    def _evaluate_test(self) -> TestResult:
        for result in self.test_results:
            if result.weights_epoch == self.weights_epoch:
                return result
        dataset = load_dataset(self.experiment.config.dataset)
        loss, accuracy = self.model.evaluate(dataset.x_test, dataset.y_test, batch_size=1024, verbose=0)
        result = TestResult(self.weights_epoch, float(loss), float(accuracy))
        self.test_results.append(result)
        return result

    def batch_problem(self, logs: dict) -> str | None:
        loss = float(logs.get("loss", 0.0))
        if diverged(loss):
            return DIVERGED_MESSAGE.format(value=loss, lr=self.experiment.config.learning_rate)
        return None

    def work(self) -> None:
        self.status = "preparing"
        config, network = self.experiment.config, self.experiment.network
        dataset = load_dataset(config.dataset).head(config.train_samples)
        self.model = build_model(network, dataset.input_shape, dataset.num_classes, seed=config.seed)
        compile_model(self.model, network, config.optimizer, config.learning_rate)
        self._keep_checkpoint(0)
        self.progress.samples = len(dataset.x_train)
        self.progress.batches = math.ceil(len(dataset.x_train) / config.batch_size)
        self.status = "running"
        started = time.perf_counter()
        # validation_batch_size: with a dataset for x, Keras would otherwise validate in batches of 32.
        self.model.fit(shuffled_batches((dataset.x_train, dataset.y_train), config.batch_size, config.seed),
                       epochs=config.epochs,
                       validation_data=(dataset.x_val, dataset.y_val), validation_batch_size=config.batch_size,
                       callbacks=[_live_metrics_class()(self, config.batch_size)], shuffle=False, verbose=0)
        self.fit_seconds = time.perf_counter() - started
        if self.status in ("diverged", "stopped"):  # back to the last complete epoch (0: the initial weights)
            self.model.set_weights(self.checkpoints[len(self.history)])
        self.weights_epoch = len(self.history)
        final = "finished" if self.status == "running" else self.status
        if self.history:
            self._evaluate_test()
        if final == "finished":
            self.message = f"Finished {len(self.history)} epochs."
        self.status = final  # last: readers treat the run as done from here on

    def _keep_checkpoint(self, epoch: int) -> None:
        self.checkpoints[epoch] = self.model.get_weights()
        size = sum(w.nbytes for w in self.checkpoints[epoch])
        keep = {0, epoch, self.best_epoch}
        while size * len(self.checkpoints) > CHECKPOINT_BUDGET_BYTES:
            dropped = next((e for e in sorted(self.checkpoints) if e not in keep), None)
            if dropped is None:
                break
            del self.checkpoints[dropped]


@functools.cache
def _live_metrics_class() -> type:
    """The Keras callback class, made on first use so that importing this module does not import Keras."""

    class LiveMetrics(progress_callback_class()):
        """Per-epoch metrics and checkpoints (batch progress, stop and divergence come from the base class)."""

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            run, logs = self.run, logs or {}
            if not self.epoch_complete(epoch, "weights"):
                return  # a partial epoch is not an epoch: no point on the charts, no checkpoint
            seconds = time.perf_counter() - self.epoch_start
            row = {"epoch": epoch + 1, "seconds": round(seconds, 3)}
            row.update({key: float(logs[key]) for key in ("loss", "accuracy", "val_loss", "val_accuracy")})
            if diverged(row["loss"]) or diverged(row["val_loss"]):
                run.status = "diverged"
                run.message = DIVERGED_MESSAGE.format(value=row["loss"], lr=run.experiment.config.learning_rate)
                self.model.stop_training = True
                return
            run.train_seconds += seconds
            run.batch_seconds += self.batches_end - self.epoch_start
            run.samples_seen += run.progress.samples
            run.history.append(row)
            run._keep_checkpoint(epoch + 1)

    return LiveMetrics
