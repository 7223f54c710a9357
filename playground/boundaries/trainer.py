"""Training the page's network: a BoundaryTrainer keeps the model between Play, Pause and Step; a BoundaryRun (a Job)
drives it in the background and publishes snapshots (maps, weights, curves) at a steady rate while it trains.

Play starts a run that trains until Pause (stop()), Step one that trains one epoch, and a new trainer (Reset, new
settings) one that trains zero epochs: it builds the network and shows it untrained. Only one run works on a trainer
at a time. A run that blows up goes back to the last good epoch, replaying its batches from the weights saved before
the call that blew up.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from playground.boundaries.datasets import CLASSIFICATION, PointSet
from playground.boundaries.loop import MAX_EPOCHS_PER_CALL, CompiledLoop, healthy
from playground.boundaries.maps import Maps, Probe
from playground.boundaries.network import NetSpec, build_model, check_net, compile_model, dense_names
from playground.boundaries.points import usable
from playground.jobs.backends import Backend, ThreadBackend
from playground.jobs.base import Job

CALL_SECONDS = 0.08  # aim of one loop call: short enough for a prompt Pause and frequent pictures
SNAPSHOT_SECONDS = 0.12  # new maps at most this often (~8 per second), while training continues
SLICE_SECONDS = 20.0  # a Play run ends after this long and the page starts the next one: others may wait for a slot
PLAY_LIMIT_SECONDS = 300.0  # after this much training in one Play, the network pauses (a forgotten tab stops)
DIVERGED_MESSAGE = ("The {what} blew up at epoch {epoch} ({value}): the steps are too big. The learning rate "
                    "({lr:g}) is probably too high; try 10× smaller. The weights of epoch {good}, the last good "
                    "one, are kept.")


class History:
    """Per-epoch metrics in a growing NumPy table: epoch, then loss, accuracy, test loss, test accuracy.

    One writer (the training thread) appends; readers take rows() or table() at any time and see whole rows.
    """

    NAMES = ("epoch", "loss", "accuracy", "test_loss", "test_accuracy")

    def __init__(self) -> None:
        self._table = np.zeros((1024, len(self.NAMES)))
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def append(self, first_epoch: int, rows: np.ndarray) -> None:
        """Rows of loop.COLUMNS for epochs first_epoch, first_epoch + 1, ..."""
        count, table = len(rows), self._table
        if self._length + count > len(table):
            table = np.concatenate([table, np.zeros((len(table) + count, len(self.NAMES)))])
        table[self._length:self._length + count, 0] = np.arange(first_epoch, first_epoch + count)
        table[self._length:self._length + count, 1:] = rows[:, :4]
        self._table = table
        self._length += count  # last: a reader sees the new rows only once they are complete

    def table(self) -> np.ndarray:
        """(epochs, 5) copy of the rows so far."""
        return self._table[:self._length].copy()

    def rows(self, start: int = 0) -> list[dict[str, float | None]]:
        """Rows from index `start` as dicts; NaN (accuracy of a regression) becomes None."""
        return [{name: (None if np.isnan(v) else (int(v) if name == "epoch" else float(v)))
                 for name, v in zip(self.NAMES, row)} for row in self._table[start:self._length]]

    def last(self) -> dict[str, float | None] | None:
        return self.rows(self._length - 1)[0] if self._length else None


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What the page draws, taken between two loop calls: the epoch, the maps and the weights of the links."""

    epoch: int
    maps: Maps
    kernels: tuple[np.ndarray, ...]  # Dense kernels (inputs, units), features to output
    biases: tuple[np.ndarray | None, ...]  # None for a layer without bias (before batch norm)
    seconds: float  # training time so far


class BoundaryTrainer:
    """A network on a point set. Lives in session state across runs; at most one run uses it at a time."""

    def __init__(self, points: PointSet, spec: NetSpec) -> None:
        problem = check_net(spec) or usable(points)
        if problem:
            raise ValueError(problem)
        self.points, self.spec = points, spec
        self.learning_rate = spec.learning_rate  # may change while training: applied at the next call
        self.rate_changes: dict[int, float] = {}  # first epoch -> learning rate of each change (the script replays)
        self._applied_rate = spec.learning_rate
        self.history = History()
        self.snapshot: Snapshot | None = None
        self.seconds = 0.0  # training time, all runs together
        self.epochs_per_second = 0.0
        self.playing = False  # the page's intent: Play was pressed and not paused since
        self.play_seconds = 0.0  # training time since Play was pressed
        self.lock = threading.Lock()
        self.model: Any = None
        self._loop: CompiledLoop | None = None
        self._probe: Probe | None = None

    @property
    def epoch(self) -> int:
        """Epochs trained so far (0 before the first)."""
        return len(self.history) - 1 if len(self.history) else 0

    def prepare(self) -> None:
        """Build and compile the model, measure it untrained (epoch 0) and take the first snapshot (once)."""
        if self.model is not None:
            return
        model = build_model(self.spec, self.points.task, self.points.classes)
        compile_model(model, self.spec, self.points.task)
        self._loop = CompiledLoop(model, self.points, self.spec)
        self._probe = Probe(model, self.spec)
        self._loop.trace()  # now, not at the first Play: Play then trains at once
        self.history.append(0, self._loop.measure()[None, :])
        self.model = model
        self.take_snapshot()

    def take_snapshot(self) -> Snapshot:
        layers = [self.model.get_layer(name) for name in dense_names(self.spec)]
        self.snapshot = Snapshot(self.epoch, self._probe(self.points.x), tuple(np.asarray(d.kernel) for d in layers),
                                 tuple(np.asarray(d.bias) if d.use_bias else None for d in layers), self.seconds)
        return self.snapshot

    def _variables(self) -> list[Any]:
        return [*self.model.variables, *self.model.optimizer.variables]

    def train(self, epochs: int | None, should_stop: Callable[[], bool], slice_seconds: float | None = None,
              on_call: Callable[[], None] | None = None) -> tuple[str, str]:
        """Train `epochs` more epochs (None: until stopped); returns (outcome, message).

        Outcomes: "done" (the epochs ran), "stopped", "diverged", "slice" (slice_seconds passed), "limit" (this
        Play has trained PLAY_LIMIT_SECONDS).
        """
        self.prepare()
        remaining = epochs
        started = last_snapshot = time.perf_counter()
        per_epoch = None
        outcome = "done"
        while remaining is None or remaining > 0:
            if should_stop():
                outcome = "stopped"
                break
            if slice_seconds is not None and time.perf_counter() - started >= slice_seconds:
                outcome = "slice"
                break
            if epochs is None and self.play_seconds >= PLAY_LIMIT_SECONDS:
                outcome = "limit"
                break
            if self.learning_rate != self._applied_rate:
                self.model.optimizer.learning_rate.assign(self.learning_rate)
                self._applied_rate = self.rate_changes[self.epoch + 1] = self.learning_rate
            wanted = 1 if per_epoch is None else max(1, round(CALL_SECONDS / per_epoch))
            count = min(wanted, MAX_EPOCHS_PER_CALL, remaining if remaining is not None else MAX_EPOCHS_PER_CALL)
            saved = [np.array(v) for v in self._variables()]
            call_start = time.perf_counter()
            first = self.epoch + 1
            rows = self._loop.run(first, count)
            seconds = time.perf_counter() - call_start
            per_epoch = seconds / len(rows)
            self.seconds += seconds
            self.play_seconds += seconds
            self.epochs_per_second = len(rows) / seconds
            good = healthy(rows)
            if not good.all():
                return "diverged", self._go_back(saved, first, rows, int(np.argmin(good)))
            self.history.append(first, rows)
            if remaining is not None:
                remaining -= len(rows)
            if on_call is not None:
                on_call()
            if time.perf_counter() - last_snapshot >= SNAPSHOT_SECONDS:
                self.take_snapshot()
                last_snapshot = time.perf_counter()
        self.take_snapshot()
        return outcome, ""

    def _go_back(self, saved: list[np.ndarray], first: int, rows: np.ndarray, bad: int) -> str:
        """Restore the weights before the call, replay its good epochs (same batches), explain."""
        for variable, value in zip(self._variables(), saved):
            variable.assign(value)
        if bad:
            self._loop.run(first, bad)
            self.history.append(first, rows[:bad])
        self.take_snapshot()
        loss, weight = rows[bad, 0], rows[bad, 4]
        what, value = (("loss", f"loss {loss:.3g}") if not loss < 1e3 or not np.isfinite(weight)
                       else ("weights", f"largest weight {weight:.3g}"))
        return DIVERGED_MESSAGE.format(what=what, epoch=first + bad, value=value, lr=self.learning_rate,
                                       good=self.epoch)

    def model_bytes(self) -> bytes:
        """The model as a .keras file; a run that is training it must pause first (waits a few seconds at most)."""
        if not self.lock.acquire(timeout=5):
            raise RuntimeError("The network is training: pause it first.")
        try:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "boundary.keras"
                self.model.save(path)
                return path.read_bytes()
        finally:
            self.lock.release()

    def class_predictions(self) -> np.ndarray | None:
        """The predicted class of every point at the last snapshot (classification only)."""
        if self.snapshot is None or self.points.task != CLASSIFICATION:
            return None
        return self.snapshot.maps.points.argmax(axis=1)


OUTCOME_STATUS = {"done": "finished", "slice": "finished", "limit": "finished", "stopped": "stopped",
                  "diverged": "diverged"}


@dataclass(kw_only=True)
class BoundaryRun(Job):
    """Drives a BoundaryTrainer in the background: `epochs` more epochs (None: until stopped; 0: build only)."""

    trainer: BoundaryTrainer
    epochs: int | None = None
    slice_seconds: float | None = None
    outcome: str = ""  # the trainer's outcome: "slice" means the page should start the next run of this Play

    def start(self, backend: Backend | None = None) -> None:
        """Always in a thread of this process: the trainer, a live Keras model the page draws from, lives here."""
        super().start(backend or ThreadBackend())

    def work(self) -> None:
        self.status = "preparing"
        trainer = self.trainer
        with trainer.lock:
            trainer.prepare()
            self.status = "running"
            self.progress.epoch = trainer.epoch
            self.outcome, message = trainer.train(self.epochs, self.stop_event.is_set, self.slice_seconds,
                                                  on_call=self._count)
        if self.outcome in ("stopped", "limit", "diverged"):
            trainer.playing = False
        if self.outcome == "limit":
            message = (f"Paused after {trainer.play_seconds / 60:.0f} minutes of training (epoch "
                       f"{trainer.epoch:,}): press Play to go on.")
        elif self.outcome == "stopped":
            message = f"Paused at epoch {trainer.epoch:,}."
        self.message = message or f"Epoch {trainer.epoch:,}."
        self.status = OUTCOME_STATUS[self.outcome]  # last: readers treat the run as done from here on

    def _count(self) -> None:
        self.progress.epoch = self.trainer.epoch
        self.progress.samples_per_second = self.trainer.epochs_per_second

