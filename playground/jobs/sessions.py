"""Which jobs belong to which browser session, and stopping them when the session's tab has been gone too long."""

from __future__ import annotations

import os
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playground.jobs.base import Job

# A closed tab's jobs stop after this many seconds; a network blip that reconnects sooner keeps them running.
RECONNECT_GRACE_SECONDS = float(os.environ.get("PLAYGROUND_RECONNECT_GRACE_SECONDS", "60"))

_lock = threading.Lock()
_jobs: dict[str, list[Job]] = {}  # session id -> its jobs still working
_released: dict[str, float] = {}  # session id -> when its browser went away


def register(session_id: str, job: Job) -> None:
    """Remember a job of a session, so that the session going away stops it."""
    with _lock:
        jobs = [j for j in _jobs.get(session_id, []) if not j.done]
        _jobs[session_id] = [*jobs, job]


def jobs_of(session_id: str) -> list[Job]:
    """The session's jobs that were still working when last registered (for tests and diagnostics)."""
    with _lock:
        return list(_jobs.get(session_id, []))


def session_returned(session_id: str) -> None:
    """The browser is (back) here: a pending stop is cancelled."""
    with _lock:
        _released.pop(session_id, None)


def session_released(session_id: str, grace_seconds: float | None = None) -> None:
    """The browser went away: stop its jobs unless it comes back within the grace period."""
    released_at = time.monotonic()
    with _lock:
        _released[session_id] = released_at
    grace = RECONNECT_GRACE_SECONDS if grace_seconds is None else grace_seconds
    timer = threading.Timer(grace, _stop_if_still_gone, args=(session_id, released_at))
    timer.daemon = True
    timer.start()


def _stop_if_still_gone(session_id: str, released_at: float) -> None:
    with _lock:
        if _released.get(session_id) != released_at:
            return  # the browser came back
        _released.pop(session_id)
        jobs = _jobs.pop(session_id, [])
    for job in jobs:
        job.stop()
