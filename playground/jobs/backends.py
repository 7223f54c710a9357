"""Where a job's work runs. Today: a worker thread in this process; a cluster backend implements the same two calls."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from playground.jobs.base import Job


class Handle(Protocol):
    """What a backend gives back for a submitted job: something to wait on."""

    def join(self, timeout: float | None = None) -> None: ...


class Backend(Protocol):
    """Runs job.execute() somewhere; pages and jobs never need to know where."""

    name: str

    def submit(self, job: Job) -> Handle: ...


class ThreadBackend:
    """Each job in a daemon thread of this process (the server's or the CLI's)."""

    name = "thread"

    def submit(self, job: Job) -> Handle:
        thread = threading.Thread(target=job.execute, name=f"{type(job).__name__}-{job.name}", daemon=True)
        thread.start()
        return thread


def default_backend() -> Backend:
    """The backend new jobs use unless told otherwise."""
    return ThreadBackend()
