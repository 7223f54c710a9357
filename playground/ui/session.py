"""Per-browser-session state: the training runs of this session and the models they trained."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from playground.training import TrainingRun

MAX_KEPT_RUNS = 3  # older runs of a session are dropped so their models and checkpoints can be freed


def session_runs() -> list[TrainingRun]:
    """This session's runs, oldest first."""
    return st.session_state.setdefault("runs", [])


def add_run(run: TrainingRun) -> None:
    """Remember a new run; the oldest finished runs beyond MAX_KEPT_RUNS are forgotten."""
    runs = session_runs()
    runs.append(run)
    while len(runs) > MAX_KEPT_RUNS and runs[0].done:
        runs.pop(0)


def latest_run() -> TrainingRun | None:
    runs = session_runs()
    return runs[-1] if runs else None


def trained_runs(dataset: str = "mnist") -> list[TrainingRun]:
    """Runs of this session on `dataset` that ended with at least one trained epoch (newest first)."""
    return [run for run in reversed(session_runs())
            if run.done and run.history and run.experiment.config.dataset == dataset]
