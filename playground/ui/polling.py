"""Live views of background jobs: redraw a fragment while a job works, then the whole page once it has ended.

Why not simply st.rerun() from the fragment when the job ends: now and then that whole-page rerun does not make
it to the screen, leaving a page whose buttons still say "training" and a fragment that no longer polls. So the
fragment keeps polling, and keeps asking for whole-page reruns, until a page run has gone all the way to its end
with the job over: the page calls page_complete(job) as its last line.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from playground.jobs.base import Job

POLL_SECONDS = 0.5
_SHOWN = "_jobs_shown_ended"  # jobs whose end a whole page run has shown, by id (weak: ids are reused)


def _shown(job: Job) -> bool:
    ref = st.session_state.get(_SHOWN, {}).get(id(job))
    return ref is not None and ref() is job


def fragment_only_run() -> bool:
    """True when only fragments are rerunning (a tick), False during a whole page run."""
    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def live_fragment(job: Job | None, render: Callable[[], None], every: float = POLL_SECONDS) -> None:
    """Run `render` now, and again every `every` seconds until the job's end is on the whole page (no job: once)."""
    polling = job is not None and not (job.done and _shown(job))

    @st.fragment(run_every=every if polling else None)
    def live() -> None:
        render()
        if polling and job.done and fragment_only_run():
            st.rerun()  # the whole page: buttons and results change once the job ends

    live()


def page_complete(job: Job | None) -> None:
    """Call as the page's last line: a whole page run has now shown the job's end."""
    if job is not None and job.done:
        shown = st.session_state.setdefault(_SHOWN, {})
        for key in [key for key, ref in shown.items() if ref() is None]:
            del shown[key]
        shown[id(job)] = weakref.ref(job)
