"""Per-browser-session state of jobs: this session's jobs by page, and telling the job registry when the tab goes."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from playground.jobs import sessions

if TYPE_CHECKING:
    from playground.jobs.base import Job
    from playground.training.run import TrainingRun

MAX_KEPT_JOBS = 3  # older jobs of one kind are dropped so their models and checkpoints can be freed
RUNS = "build_runs"  # Build & train's runs (other pages read them: Draw, Loss landscape)
J = TypeVar("J", bound="Job")


@st.cache_resource(scope="session", on_release=sessions.session_released, show_spinner=False)
def _session_id() -> str:
    session_id = get_script_run_ctx().session_id
    sessions.session_returned(session_id)  # a reconnect cancels the pending stop
    return session_id


def keep_session_alive() -> None:
    """Call on every script run (app.py does): marks this browser session as present."""
    if get_script_run_ctx() is not None:
        _session_id()


def session_jobs(key: str) -> list[Job]:
    """This session's jobs kept under `key` (one key per kind of job, owned by its page), oldest first."""
    return st.session_state.setdefault(key, [])


def start_job(job: J, key: str) -> J:
    """The one way a page starts background work: register it with this session, start it, keep it under `key`.

    Registration means that closing the tab stops it after the grace period; starting means it waits for a
    server-wide slot. The oldest finished jobs beyond MAX_KEPT_JOBS are forgotten (and freed).
    """
    sessions.register(_session_id(), job)
    job.start()
    jobs = session_jobs(key)
    jobs.append(job)
    while len(jobs) > MAX_KEPT_JOBS and jobs[0].done:
        jobs.pop(0)
    return job


def latest_job(key: str) -> Job | None:
    jobs = session_jobs(key)
    return jobs[-1] if jobs else None


def next_number(key: str) -> int:
    """1, 2, 3… for this session's jobs under `key`, also after old ones were forgotten."""
    counter = f"{key}_count"
    st.session_state[counter] = st.session_state.get(counter, 0) + 1
    return st.session_state[counter]


def trained_runs(*datasets: str) -> list[TrainingRun]:
    """Build & train runs of this session on any of `datasets` (on any dataset when none is named) that ended with
    at least one trained epoch, newest first."""
    return [run for run in reversed(session_jobs(RUNS))
            if run.done and run.history and (not datasets or run.experiment.config.dataset in datasets)]
