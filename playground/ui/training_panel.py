"""The live part of the Build & train page: progress, curves, results, and what to do with the trained model."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from playground.charts.training import training_curves
from playground.jobs.base import Job
from playground.training.run import TrainingRun
from playground.ui.state import keys

K = keys("build")  # this panel is part of the Build & train page

STATUS_TEXT = {
    "queued": "Waiting for a free training slot",
    "preparing": "Loading the data and building the model…",
    "running": "Training",
    "finished": "Finished",
    "stopped": "Stopped",
    "diverged": "Diverged",
    "failed": "Failed",
    "lost": "Worker lost",
}


def progress_bar(run: Job, epochs: int, unit: str = "samples") -> None:
    """Queued (with the server's or cluster's load), preparing, or a bar of batches within the epochs and the speed."""
    progress = run.progress
    if run.status == "queued":
        ahead = (run.place_in_queue or 1) - 1
        st.info(f"⏳ {STATUS_TEXT['queued']}: {run.waiting_for()} and {ahead} more {'is' if ahead == 1 else 'are'} "
                "waiting before yours. Yours starts as soon as one ends.")
    elif run.status == "preparing" or not progress.batches:
        st.progress(0.0, text=STATUS_TEXT["preparing"])
    else:
        st.progress(progress.fraction(epochs), text=f"Epoch {progress.epoch}/{epochs} · batch {progress.batch}/"
                                                    f"{progress.batches} · {progress.samples_per_second:,.0f} {unit}/s")


def status_message(run: Job) -> None:
    """How the run ended, in a coloured box (nothing while it works)."""
    if run.status in ("diverged", "failed"):
        st.error(run.message, icon=":material/warning:")
    elif run.status in ("stopped", "lost"):
        st.warning(run.message or "Stopped.")
    elif run.status == "finished":
        st.success(run.message)


def _results_table(run: TrainingRun) -> pd.DataFrame:
    """Train / validation / test, as in the lecture: the test set is looked at once, at the end."""
    row = run.history[run.weights_epoch - 1] if run.weights_epoch else None
    test = next((t for t in run.test_results if t.weights_epoch == run.weights_epoch), None)
    return pd.DataFrame({
        "split": ["training", "validation", "test"],
        "accuracy": [row["accuracy"] if row else None, row["val_accuracy"] if row else None,
                     test.accuracy if test else None],
        "loss": [row["loss"] if row else None, row["val_loss"] if row else None, test.loss if test else None],
    })


def _curves(run: TrainingRun) -> go.Figure:
    """The run's figure, rebuilt only when an epoch or a test result was added (the page polls twice a second)."""
    test = next((t.accuracy for t in run.test_results if t.weights_epoch == run.weights_epoch), None)
    key = (id(run), len(run.history), run.best_epoch, test)
    cached = st.session_state.get(K("curves_cache"))
    if cached is None or cached[0] != key:
        cached = key, training_curves(run.history, run.best_epoch, test, run.experiment.config.epochs)
        st.session_state[K("curves_cache")] = cached
    return cached[1]


def live_view(run: TrainingRun) -> None:
    """Status, progress and the curves of one run; the page wraps it in a polling fragment while it trains."""
    st.markdown(f"**{run.name}** · {STATUS_TEXT.get(run.status, run.status)} · on {run.device}")
    if run.working:
        progress_bar(run, run.experiment.config.epochs)
    status_message(run)
    st.plotly_chart(_curves(run), key=K("training_curves"), config={"displayModeBar": False})
    if run.history:
        last = run.history[-1]
        gap = last["accuracy"] - last["val_accuracy"]
        hint = " — the network is memorizing its training data (overfitting)." if gap > 0.05 else "."
        st.caption(f"Best epoch: **{run.best_epoch}** (validation accuracy "
                   f"{run.history[run.best_epoch - 1]['val_accuracy']:.2%}). Gap between training and validation "
                   f"accuracy after epoch {last['epoch']}: {gap:+.2%}{hint}")


def _model_bytes(run: TrainingRun) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        run.model.save(path)
        return path.read_bytes()


def after_training(run: TrainingRun) -> None:
    """Once a run has ended: the results table, restore the best epoch, test on demand, download."""
    if not run.done or not run.history:
        return
    st.subheader("Results")
    st.caption(f"The model now holds the weights of **epoch {run.weights_epoch}**.")
    st.dataframe(_results_table(run), hide_index=True, column_config={
        "accuracy": st.column_config.NumberColumn(format="percent"),
        "loss": st.column_config.NumberColumn(format="%.4f")})
    best = run.best_epoch
    left, middle, right = st.columns(3)
    if left.button(f"Restore the best epoch ({best})", disabled=run.weights_epoch == best or best not in run.checkpoints,
                   icon=":material/restore:", key=K("restore_best")):
        run.restore_epoch(best)
        st.rerun()
    tested = any(t.weights_epoch == run.weights_epoch for t in run.test_results)
    if middle.button("Evaluate on the test set", disabled=tested, icon=":material/fact_check:", key=K("evaluate_test"),
                     help="The test set is looked at once per model, never to choose settings."):
        run.evaluate_test()
        st.rerun()
    right.download_button("Download model.keras", lambda: _model_bytes(run), file_name="model.keras",
                          mime="application/octet-stream", icon=":material/download:", key=K("download_model"),
                          on_click="ignore")
