"""Background jobs of a browser session: a worker thread each, server-wide training slots, progress and stop."""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from playground.device import configure_tensorflow, describe_device

DONE = ("finished", "stopped", "diverged", "failed")
WORKING = ("queued", "preparing", "running")


def max_concurrent_runs() -> int:
    """Server-wide limit of runs training at once (env PLAYGROUND_MAX_RUNS, default 2)."""
    try:
        return max(1, int(os.environ.get("PLAYGROUND_MAX_RUNS", "2")))
    except ValueError:
        return 2


_slots = threading.BoundedSemaphore(max_concurrent_runs())
_active_lock = threading.Lock()
_active_runs = 0


def active_runs() -> int:
    """How many runs are training on this server right now."""
    return _active_runs


@contextlib.contextmanager
def training_slot(stop_event: threading.Event) -> Iterator[bool]:
    """Hold one of the server-wide training slots; yields False if stopped while still waiting for one."""
    global _active_runs
    while not _slots.acquire(timeout=0.2):
        if stop_event.is_set():
            yield False
            return
    with _active_lock:
        _active_runs += 1
    try:
        yield True
    finally:
        with _active_lock:
            _active_runs -= 1
        _slots.release()


@dataclass
class Progress:
    """Where the worker is inside the current epoch (read by the page several times a second)."""

    epoch: int = 0  # 1-based epoch being trained
    batch: int = 0  # batches done in this epoch
    batches: int = 0  # batches per epoch
    samples: int = 0  # training samples per epoch
    samples_per_second: float = 0.0

    def fraction(self, epochs: int) -> float:
        """How much of the whole run is done, 0 to 1."""
        if not self.batches or not self.epoch:
            return 0.0
        return min(max((self.epoch - 1 + self.batch / self.batches) / epochs, 0.0), 1.0)


@dataclass(kw_only=True)
class WorkerRun:
    """A job that trains in its own thread. Subclasses implement _train(); start() once, stop() any time.

    Status goes created -> queued -> preparing -> running -> finished | stopped | diverged | failed, and readers in
    other threads (the page) only read it.
    """

    name: str = "run"
    status: str = "created"
    message: str = ""
    progress: Progress = field(default_factory=Progress)
    device: str = ""
    stop_event: threading.Event = field(default_factory=threading.Event, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def done(self) -> bool:
        return self.status in DONE

    @property
    def training(self) -> bool:
        return self.status in WORKING

    def start(self) -> None:
        """Start in a worker thread (TensorFlow is imported here, in the caller's thread)."""
        if self._thread is not None:
            raise RuntimeError("A run starts once; create a new one to train again.")
        configure_tensorflow()
        self.device = describe_device()
        self.status = "queued"
        self._thread = threading.Thread(target=self._work, name=f"{type(self).__name__}-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the run to stop after the current batch (or before it starts, if it is still queued)."""
        self.stop_event.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker ends; True if it did."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.done

    def batch_problem(self, logs: dict) -> str | None:
        """Why training must stop as diverged after this batch, or None (subclasses check their losses)."""
        return None

    def _train(self) -> None:
        raise NotImplementedError

    def _work(self) -> None:
        with training_slot(self.stop_event) as got_slot:
            if not got_slot or self.stop_event.is_set():
                self.status, self.message = "stopped", "Stopped before it started."
                return
            try:
                self._train()
            except Exception as error:  # the worker must never die silently: the page shows the message
                self.status, self.message = "failed", f"Training failed: {type(error).__name__}: {error}"
            finally:
                forget_optimizer_gradients()


def forget_optimizer_gradients() -> int:
    """Unpin the traced training steps of finished runs, which TensorFlow would otherwise keep for ever.

    Every Keras optimizer sums its gradients with tf.distribute's all_reduce, a tf.custom_gradient. Each trace of a
    training step registers that op's gradient in TensorFlow's global gradient registry, never removed, and the
    entry holds the whole traced graph: a server that trains run after run grows by megabytes per run
    (tensorflow/tensorflow#97697, #80895). Nothing ever differentiates an optimizer update, so those entries
    are dead weight from the moment the step is traced; other custom gradients are left alone.
    Returns how many entries were dropped (0 if TensorFlow's internals have changed).
    """
    from tensorflow.python.framework import ops

    registry = getattr(getattr(ops, "_gradient_registry", None), "_registry", None)
    if not isinstance(registry, dict):
        return 0
    dead = [name for name, entry in list(registry.items())
            if name.startswith("CustomGradient-") and _made_by_all_reduce(entry.get("type"))]
    for name in dead:
        registry.pop(name, None)
    return len(dead)


def _made_by_all_reduce(function: Any, depth: int = 0) -> bool:
    """True when a registered gradient function wraps tf.distribute's all-reduce gradient (closures, 3 deep)."""
    if getattr(function, "__module__", "") == "tensorflow.python.distribute.distribute_lib":
        return True
    if depth == 3:
        return False
    cells = getattr(function, "__closure__", None) or ()
    return any(callable(cell.cell_contents) and _made_by_all_reduce(cell.cell_contents, depth + 1)
               for cell in cells if _cell_filled(cell))


def _cell_filled(cell: Any) -> bool:
    try:
        cell.cell_contents
    except ValueError:  # an empty cell
        return False
    return True


@functools.cache
def progress_callback_class() -> type:
    """The Keras callback base class for WorkerRuns (made on first use: importing this module imports no Keras).

    It keeps run.progress current, stops on the stop event or on run.batch_problem(), and tells subclasses
    whether an epoch ended complete: a partial epoch (stopped or diverged in the middle) is not an epoch.
    """
    import keras

    class ProgressCallback(keras.callbacks.Callback):
        # Keras may run the batch hook on its own thread pool, so the training loop never waits for it (reading the
        # loss of every batch would otherwise stall each step). Keras waits for those calls before on_epoch_end.
        async_safe = True

        def __init__(self, run: WorkerRun, batch_size: int) -> None:
            super().__init__()
            self.run, self.batch_size = run, batch_size
            self.epoch_start = self.batches_end = 0.0

        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self.run.progress.epoch, self.run.progress.batch = epoch + 1, 0
            self.epoch_start = time.perf_counter()

        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
            run, progress = self.run, self.run.progress
            if batch + 1 > progress.batch:  # reports can arrive out of order; a late one must not move the bar back
                progress.batch = batch + 1
                self.batches_end = time.perf_counter()
                progress.samples_per_second = min(progress.batch * self.batch_size, progress.samples) / max(
                    self.batches_end - self.epoch_start, 1e-9)
            problem = run.batch_problem(logs or {})
            if problem:
                run.status, run.message = "diverged", problem
                self.model.stop_training = True
            elif run.stop_event.is_set():
                run.status = "stopped"
                self.model.stop_training = True

        def epoch_complete(self, epoch: int, kept: str) -> bool:
            """True when epoch `epoch` (0-based) ran to its end; else explains what was kept."""
            run = self.run
            if run.progress.batch == run.progress.batches and run.status == "running":
                return True
            if run.status == "stopped":
                run.message = f"Stopped during epoch {epoch + 1}; kept the {kept} of epoch {epoch}."
            return False

    return ProgressCallback
