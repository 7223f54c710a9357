"""Small networks trained side by side, live: one Keras model with one output per network, one fit, per-epoch rows.

Each network is its own branch from the shared input to its own output; the loss is the sum of the branches'
losses, and no weight is shared, so each branch gets exactly the gradient it would get alone (Adam scales every
weight separately). Both see the same batches in the same order, which makes the comparison fair, and the page
gets both curves from one training loop.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from playground.core.batches import shuffled_batches
from playground.jobs.base import Job
from playground.jobs.callbacks import progress_callback_class

DIVERGED_LOSS = 1e6  # on standardized targets a loss this large means the weights blew up
DIVERGED_MESSAGE = ("The loss became {value:.3g}: the weights blew up. Try a smaller learning rate; the weights of "
                    "the last good epoch are kept.")


@dataclass(kw_only=True)
class SideBySideRun(Job):
    """A Job training several branches at once. Subclasses give the data, the model and what to do at the end.

    A subclass has a `config` with epochs, batch_size and seed.
    """

    shipped: ClassVar[dict[str, str]] = {**Job.shipped, "history": "list", "seconds": "value", "_kept": "final"}

    history: list[dict[str, float]] = field(default_factory=list)
    model: Any = None
    seconds: float = 0.0  # wall time of model.fit
    _kept: list[np.ndarray] = field(default_factory=list, repr=False)  # the weights of the last complete epoch

    # What subclasses provide ------------------------------------------------------------------------------------
    def branches(self) -> tuple[str, ...]:
        """The outputs' names, which are also the keys of each history row."""
        raise NotImplementedError

    def prepare(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """x_train, y_train, x_val, y_val (y: one target per sample, the same for every branch)."""
        raise NotImplementedError

    def build(self) -> Any:
        """The keras.Model with one output per branch, compiled."""
        raise NotImplementedError

    def epoch_row(self, logs: dict[str, float]) -> dict[str, float]:
        """Per branch: its training and validation loss, in the units the page shows (the default: as they are)."""
        return {key: float(logs[f"{prefix}{name}_loss"]) for name in self.branches()
                for key, prefix in ((name, ""), (f"val_{name}", "val_"))}

    def finish(self) -> None:
        """After training (with the last complete epoch's weights): test results and the like."""

    def rebuild_locally(self) -> None:
        """After running on a cluster worker: the model of the last complete epoch, built here from its weights."""
        if self._kept and self.model is None:
            self.prepare()  # what build() and predict() read (windows, probes); cheap for these small tasks
            self.model = self.build()
            self.model.set_weights(self._kept)

    # The run ------------------------------------------------------------------------------------------------------
    def batch_problem(self, logs: dict) -> str | None:
        loss = float(logs.get("loss", 0.0))
        if not math.isfinite(loss) or loss > DIVERGED_LOSS:
            return DIVERGED_MESSAGE.format(value=loss)
        return None

    def work(self) -> None:
        self.status = "preparing"
        x, y, x_val, y_val = self.prepare()
        self.model = self.build()
        self._kept = self.model.get_weights()
        self.progress.samples = len(x)
        config = self.config
        self.progress.batches = math.ceil(len(x) / config.batch_size)
        targets = dict.fromkeys(self.branches(), y.astype(np.float32))
        self.status = "running"
        started = time.perf_counter()
        self.model.fit(shuffled_batches((x.astype(np.float32), targets), config.batch_size, config.seed),
                       epochs=config.epochs,
                       validation_data=(x_val, dict.fromkeys(self.branches(), y_val)),
                       validation_batch_size=max(config.batch_size, 256),
                       callbacks=[_live_class()(self, config.batch_size)], shuffle=False, verbose=0)
        self.seconds = time.perf_counter() - started
        self.model.set_weights(self._kept)  # a partial or diverged epoch is not kept
        final = "finished" if self.status == "running" else self.status
        if self.history:
            self.finish()
        if final == "finished":
            self.message = f"Finished {len(self.history)} epochs."
        self.status = final  # last: readers treat the run as done from here on


@functools.cache
def _live_class() -> type:
    """The Keras callback class, made on first use so that importing this module does not import Keras."""

    class LiveBranches(progress_callback_class()):
        """Per-epoch rows and the last good weights (batch progress, stop and divergence come from the base)."""

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            run, logs = self.run, logs or {}
            if not self.epoch_complete(epoch, "weights"):
                return
            row = {"epoch": epoch + 1, "seconds": round(time.perf_counter() - self.epoch_start, 3)}
            row.update(run.epoch_row(logs))
            values = [v for k, v in row.items() if k not in ("epoch", "seconds")]
            if not all(math.isfinite(v) and abs(v) <= DIVERGED_LOSS for v in values):
                run.status = "diverged"
                run.message = DIVERGED_MESSAGE.format(value=max(values, key=lambda v: -1 if math.isfinite(v)
                                                                else math.inf))
                self.model.stop_training = True
                return
            run._kept = self.model.get_weights()
            run.history.append(row)

    return LiveBranches
