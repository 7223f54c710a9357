"""Per-browser-session state: this session's training runs, and stopping its jobs when the tab is closed."""

from __future__ import annotations

import os
import threading
import time
from typing import TYPE_CHECKING, Protocol

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

if TYPE_CHECKING:
    from playground.training import TrainingRun

MAX_KEPT_RUNS = 3  # older runs of a session are dropped so their models and checkpoints can be freed
# A closed tab's jobs stop after this many seconds; a network blip that reconnects sooner keeps them running.
RECONNECT_GRACE_SECONDS = float(os.environ.get("PLAYGROUND_RECONNECT_GRACE_SECONDS", "60"))


class Job(Protocol):
    """Anything that works in a background thread for a session: a training run, a GAN run, a landscape."""

    @property
    def done(self) -> bool: ...

    def stop(self) -> None: ...


_lock = threading.Lock()
_jobs: dict[str, list[Job]] = {}  # session id -> its jobs still working
_released: dict[str, float] = {}  # session id -> when its browser went away


def _stop_if_still_gone(session_id: str, released_at: float) -> None:
    with _lock:
        if _released.get(session_id) != released_at:
            return  # the browser came back
        _released.pop(session_id)
        jobs = _jobs.pop(session_id, [])
    for job in jobs:
        job.stop()


def _on_session_released(session_id: str) -> None:
    """Streamlit calls this when the browser disconnects; stop its jobs unless it reconnects in time."""
    released_at = time.monotonic()
    with _lock:
        _released[session_id] = released_at
    timer = threading.Timer(RECONNECT_GRACE_SECONDS, _stop_if_still_gone, args=(session_id, released_at))
    timer.daemon = True
    timer.start()


@st.cache_resource(scope="session", on_release=_on_session_released, show_spinner=False)
def _session_id() -> str:
    session_id = get_script_run_ctx().session_id
    with _lock:
        _released.pop(session_id, None)  # a reconnect cancels the pending stop
    return session_id


def keep_session_alive() -> None:
    """Call on every script run (app.py does): marks this browser session as present."""
    if get_script_run_ctx() is not None:
        _session_id()


def register_job(job: Job) -> None:
    """Remember a background job of this session, so that closing the tab stops it."""
    session_id = _session_id()
    with _lock:
        jobs = [j for j in _jobs.get(session_id, []) if not j.done]
        _jobs[session_id] = [*jobs, job]


def session_runs() -> list[TrainingRun]:
    """This session's runs, oldest first."""
    return st.session_state.setdefault("runs", [])


def add_run(run: TrainingRun) -> None:
    """Remember a new run; the oldest finished runs beyond MAX_KEPT_RUNS are forgotten (and freed)."""
    register_job(run)
    runs = session_runs()
    runs.append(run)
    while len(runs) > MAX_KEPT_RUNS and runs[0].done:
        runs.pop(0)


def next_run_number() -> int:
    """1, 2, 3… for this session's runs, also after old runs were forgotten."""
    st.session_state["run_number"] = st.session_state.get("run_number", 0) + 1
    return st.session_state["run_number"]


def latest_run() -> TrainingRun | None:
    runs = session_runs()
    return runs[-1] if runs else None


def trained_runs(dataset: str = "mnist") -> list[TrainingRun]:
    """Runs of this session on `dataset` that ended with at least one trained epoch (newest first)."""
    return [run for run in reversed(session_runs())
            if run.done and run.history and run.experiment.config.dataset == dataset]
