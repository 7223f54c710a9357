"""Where a job's work runs: a worker thread of this process (the default), or a Ray cluster (PLAYGROUND_RAY_ADDRESS)."""

from __future__ import annotations

import functools
import os
import threading
from typing import TYPE_CHECKING, Protocol

from playground.jobs.slots import SLOTS

if TYPE_CHECKING:
    from playground.jobs.base import Job

RAY_ADDRESS_VARIABLE = "PLAYGROUND_RAY_ADDRESS"  # "auto", "host:port" or "ray://host:10001": jobs run on that cluster


class Handle(Protocol):
    """What a backend gives back for a submitted job: something to wait on and to ask about the queue."""

    def join(self, timeout: float | None = None) -> None: ...

    def place_in_queue(self) -> int | None: ...

    def load(self) -> str: ...


class Backend(Protocol):
    """Runs job.execute() somewhere; pages and jobs never need to know where."""

    name: str

    def submit(self, job: Job) -> Handle: ...


class ThreadHandle:
    """A job's worker thread; the queue is the server-wide SLOTS."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.thread = threading.Thread(target=job.execute, name=f"{type(job).__name__}-{job.name}", daemon=True)

    def join(self, timeout: float | None = None) -> None:
        self.thread.join(timeout)

    def place_in_queue(self) -> int | None:
        return SLOTS.place_in_queue(self.job)

    def load(self) -> str:
        return f"{SLOTS.active} jobs are working on this server (limit {SLOTS.limit})"


class ThreadBackend:
    """Each job in a daemon thread of this process (the server's or the CLI's)."""

    name = "thread"

    def submit(self, job: Job) -> ThreadHandle:
        from playground.core.device import configure_tensorflow, describe_device

        configure_tensorflow()  # here, in the caller's thread, before any worker thread touches TensorFlow
        job.device = describe_device()
        handle = ThreadHandle(job)
        handle.thread.start()
        return handle


@functools.cache
def _ray_backend(address: str) -> Backend:
    from playground.jobs.ray_backend import RayBackend  # imports no Ray here: Ray lives in a gateway process

    return RayBackend(address)


def where_jobs_run() -> str:
    """For the sidebar: the Ray cluster's address when jobs go there, else this machine's device."""
    address = os.environ.get(RAY_ADDRESS_VARIABLE, "").strip()
    if address:
        return f"a Ray cluster at {address} (Build & train, GAN, loss landscape); other pages here"
    from playground.core.device import describe_device

    return describe_device()


def default_backend() -> Backend:
    """The backend new jobs use: a Ray cluster when PLAYGROUND_RAY_ADDRESS is set (one per address and process),
    else a worker thread of this process."""
    address = os.environ.get(RAY_ADDRESS_VARIABLE, "").strip()
    return _ray_backend(address) if address else ThreadBackend()
