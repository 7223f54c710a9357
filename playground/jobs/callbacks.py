"""The Keras callback that streams a job's progress: batches done, speed, stop requests and divergence."""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playground.jobs.base import Job


@functools.cache
def progress_callback_class() -> type:
    """The Keras callback base class for Jobs (made on first use: importing this module imports no Keras).

    It keeps run.progress current, stops on the stop event or on run.batch_problem(), and tells subclasses
    whether an epoch ended complete: a partial epoch (stopped or diverged in the middle) is not an epoch.
    """
    import keras

    class ProgressCallback(keras.callbacks.Callback):
        # Keras may run the batch hook on its own thread pool, so the training loop never waits for it (reading the
        # loss of every batch would otherwise stall each step). Keras waits for those calls before on_epoch_end.
        async_safe = True

        def __init__(self, run: Job, batch_size: int) -> None:
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
