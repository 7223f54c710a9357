"""Live views of background jobs: redraw a fragment while a job works, then the whole page once it has ended.

Why not simply st.rerun() from the fragment when the job ends: that whole-page rerun can be cut short by the
fragment's own next tick (fast reruns), leaving a page whose buttons still say "training". So the fragment keeps
polling, and keeps asking for whole-page reruns, until a page run has gone all the way to its end with the job
over: the page calls page_complete(job) as its last line.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from playground.ui.session import Job

POLL_SECONDS = 0.5
_SHOWN = "_jobs_shown_ended"  # ids of jobs whose end a whole page run has shown


def _shown() -> set[int]:
    return st.session_state.setdefault(_SHOWN, set())


def live_fragment(job: Job, render: Callable[[], None]) -> None:
    """Run `render` now, and again twice a second until the job's end is on the whole page."""
    polling = not (job.done and id(job) in _shown())

    @st.fragment(run_every=POLL_SECONDS if polling else None)
    def live() -> None:
        render()
        if polling and job.done:
            st.rerun()  # the whole page: buttons and results change once the job ends

    live()


def page_complete(job: Job | None) -> None:
    """Call as the page's last line: a whole page run has now shown the job's end."""
    if job is not None and job.done:
        _shown().add(id(job))
