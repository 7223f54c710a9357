"""The Job base class: every background task of a session (a training run, a GAN run, a loss landscape...) is one.

A job's life: created -> queued (waiting for a server-wide slot) -> preparing -> running -> finished | stopped |
diverged | failed | lost (its cluster worker went away). The backend runs execute() somewhere (a worker thread of
this process, or a Ray cluster worker that ships the fields in `shipped` back); pages only read the fields and call
stop(). Nothing in a job calls Streamlit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, ClassVar

from playground.jobs.backends import Backend, Handle, default_backend
from playground.jobs.slots import SLOTS

DONE = ("finished", "stopped", "diverged", "failed", "lost")
WORKING = ("queued", "preparing", "running")


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
class Job:
    """A background task. Subclasses implement work(); start() once, stop() any time, read the fields any time."""

    failure_text: ClassVar[str] = "Training failed"  # how a failure message starts, e.g. "Training failed: ..."
    # What one job of this kind takes on a cluster; num_gpus counts only where the cluster has GPUs.
    resources: ClassVar[dict[str, float]] = {"num_cpus": 1}
    # The fields a job running elsewhere sends back as it goes, and how they change (see jobs/mirror.py).
    shipped: ClassVar[dict[str, str]] = {"status": "value", "message": "value", "device": "value", "progress": "value"}

    name: str = "job"
    status: str = "created"
    message: str = ""
    progress: Progress = field(default_factory=Progress)
    device: str = ""
    backend_name: str = ""  # where it runs: "thread" (a worker thread of this process) or "ray" (a cluster)
    stop_event: threading.Event = field(default_factory=threading.Event, repr=False)
    _handle: Handle | None = field(default=None, repr=False)
    # True while work() runs here. A Stop (or a blow-up) makes the Keras callback set the status "stopped" at once,
    # while the job still rewinds its weights and computes the results of its kept epochs: the job counts as done
    # only after that, so a page never shows an ended job without its results, or restores weights under it.
    _in_work: bool = field(default=False, repr=False)

    @property
    def done(self) -> bool:
        return self.status in DONE and not self._in_work

    @property
    def working(self) -> bool:
        return self.status in WORKING or self._in_work

    @property
    def place_in_queue(self) -> int | None:
        """While queued: 1 if this job starts next, 2 if one job is ahead of it...; else None."""
        return self._handle.place_in_queue() if self.status == "queued" and self._handle is not None else None

    def waiting_for(self) -> str:
        """While queued: what is busy, in the backend's words ("2 jobs are working on this server (limit 2)")."""
        return self._handle.load() if self._handle is not None else ""

    def start(self, backend: Backend | None = None) -> None:
        """Hand the job to a backend (PLAYGROUND_RAY_ADDRESS chooses the default: a thread here, or a Ray cluster)."""
        if self._handle is not None:
            raise RuntimeError("A job starts once; create a new one to run again.")
        backend = backend or default_backend()
        self.backend_name, self.status = backend.name, "queued"
        self._handle = backend.submit(self)

    def stop(self) -> None:
        """Ask the job to stop after the current batch (or before it starts, if it is still queued)."""
        self.stop_event.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job ends; True if it did."""
        if self._handle is not None:
            self._handle.join(timeout)
        return self.done

    def batch_problem(self, logs: dict) -> str | None:
        """Why training must stop as diverged after this batch, or None (subclasses check their losses)."""
        return None

    def work(self) -> None:
        """The job itself, run by the backend while it holds a slot; sets status and message as it goes."""
        raise NotImplementedError

    def recipe(self) -> dict[str, Any]:
        """Plain data (specs, settings, weight arrays; never a model object) from which type(self)(**recipe) makes
        this job again in another process: how a cluster worker gets it."""
        raise NotImplementedError(f"{type(self).__name__} cannot run on a cluster yet: it has no recipe().")

    def rebuild_locally(self) -> None:
        """After the job ran elsewhere and its shipped fields arrived: rebuild here what pages use (a model from the
        spec and shipped weights). Nothing to do for jobs whose results are plain data."""

    def execute(self) -> None:
        """What a backend runs: wait for a slot, work, and turn any exception into a failed status with a message."""
        from playground.jobs.tf_workarounds import forget_optimizer_gradients

        with SLOTS.hold(self, self.stop_event) as got_slot:
            if not got_slot or self.stop_event.is_set():
                self.status, self.message = "stopped", "Stopped before it started."
                return
            self._in_work = True
            try:
                self.work()
            except Exception as error:  # the worker must never die silently: the page shows the message
                self.status, self.message = "failed", f"{self.failure_text}: {type(error).__name__}: {error}"
            finally:
                forget_optimizer_gradients()
                self._in_work = False

