"""The Decision boundaries page's training: the trainer in session state, Play / Pause / Step / Reset, and the live
views: the map and the diagram redrawn four times a second while a run trains (the run itself publishes new maps ~8
times a second), the curves and the rest every two seconds.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from playground.boundaries.datasets import PointSet
from playground.boundaries.hints import hints
from playground.boundaries.network import NetSpec
from playground.boundaries.pictures import jpeg_uri
from playground.boundaries.presets import Setup
from playground.boundaries.trainer import SLICE_SECONDS, BoundaryRun, BoundaryTrainer
from playground.ui import boundaries_views as views
from playground.ui.boundaries_data import POINTS, apply_selection
from playground.ui.polling import fragment_only_run
from playground.ui.presenter import scaled
from playground.ui.session import latest_job, next_number, start_job
from playground.ui.state import keys

K = keys("boundary")

TRAINER = K("trainer")
RUNS = K("runs")
CLICKS = K("map_clicks")  # bumped after each handled click: a fresh chart, without the old selection
FAST_SECONDS = 0.25  # the map and the diagram: faster than polling.POLL_SECONDS (0.5): 3+ new pictures a second
SLOW_SECONDS = 2.0  # curves, the large tile, the confusion matrix: their Plotly charts cost the browser most
COLUMNS = [2.2, 1.5]  # the network and the output, side by side (the page's columns below the data column)
SHOWN_NODE = K("shown_node")  # the tile shown large: the diagram's fragment tells the other one


def _same_network(a: NetSpec, b: NetSpec) -> bool:
    """Equal but for the learning rate, which changes without a reset."""
    return replace(a, learning_rate=0.0) == replace(b, learning_rate=0.0)


def _start(trainer: BoundaryTrainer, epochs: int | None) -> BoundaryRun:
    run = BoundaryRun(trainer=trainer, epochs=epochs, slice_seconds=SLICE_SECONDS if epochs is None else None,
                      name=f"Boundaries run {next_number(RUNS)}")
    return start_job(run, RUNS)


def current_job(trainer: BoundaryTrainer) -> BoundaryRun | None:
    """The latest run, if it drives this trainer."""
    job = latest_job(RUNS)
    return job if isinstance(job, BoundaryRun) and job.trainer is trainer else None


def current_trainer(points: PointSet, spec: NetSpec) -> BoundaryTrainer:
    """The trainer for these points and this network; new ones (new settings, Reset) start untrained."""
    trainer: BoundaryTrainer | None = st.session_state.get(TRAINER)
    if trainer is not None and trainer.points is points and _same_network(trainer.spec, spec):
        trainer.learning_rate = spec.learning_rate
        return trainer
    return reset(points, spec)


def reset(points: PointSet, spec: NetSpec) -> BoundaryTrainer:
    """Stop what trains, and start over with fresh weights (the run that builds the network shows them)."""
    old = st.session_state.get(TRAINER)
    if old is not None:
        old.playing = False
        job = current_job(old)
        if job is not None and job.working:
            job.stop()
    trainer = st.session_state[TRAINER] = BoundaryTrainer(points, spec)
    _start(trainer, 0)
    return trainer


def resume(trainer: BoundaryTrainer) -> None:
    """A Play run ends every SLICE_SECONDS so that others waiting for a slot get their turn: start the next one."""
    job = current_job(trainer)
    if job is not None and job.done and job.outcome == "slice" and trainer.playing:
        _start(trainer, None)


def controls(trainer: BoundaryTrainer) -> None:
    """Play, Pause, Step, Reset."""
    job = current_job(trainer)
    working = job is not None and job.working
    play, pause, step, again = st.columns(4)
    if play.button("Play", type="primary", icon=":material/play_arrow:", key=K("play"), disabled=working,
                   width="stretch", help="Train until you press Pause."):
        trainer.playing, trainer.play_seconds = True, 0.0
        _start(trainer, None)
        st.rerun()
    if pause.button("Pause", icon=":material/pause:", key=K("pause"), width="stretch",
                    disabled=not (working and trainer.playing)):
        trainer.playing = False
        job.stop()
        st.rerun()
    if step.button("Step", icon=":material/skip_next:", key=K("step"), disabled=working, width="stretch",
                   help="Train one epoch: one pass over the training points, in batches."):
        _start(trainer, 1)
        st.rerun()
    if again.button("Reset", icon=":material/restart_alt:", key=K("reset"), width="stretch",
                    help="Fresh starting weights (the same seed gives the same ones)."):
        reset(trainer.points, trainer.spec)
        st.rerun()


def _status(trainer: BoundaryTrainer, job: BoundaryRun | None) -> None:
    """Epoch, speed and scores; why a run ended."""
    last = trainer.history.last()
    if job is not None and job.status == "queued":
        ahead = (job.place_in_queue or 1) - 1
        st.info(f"Waiting for a free training slot: {job.waiting_for()}, and {ahead} more waiting before yours.",
                icon=":material/hourglass_top:")
    elif job is not None and job.status == "preparing":
        st.caption("Building the network…")
    if job is not None and job.status in ("diverged", "failed"):
        st.error(job.message, icon=":material/warning:")
    elif job is not None and job.outcome == "limit":
        st.info(job.message, icon=":material/pause_circle:")
    if last is None:
        return
    training = job is not None and job.working and job.epochs != 0
    speed = f" · {trainer.epochs_per_second:,.0f} epochs/s" if training else ""
    epoch, loss, test_loss = f"{last['epoch']:,}", f"{last['loss']:.3f}", f"{last['test_loss']:.3f}"
    accuracy = "" if last["accuracy"] is None else (f" · accuracy {last['accuracy']:.0%} training, "
                                                     f"{last['test_accuracy']:.0%} test")
    state = "training" if training else "paused"
    st.markdown(f"**Epoch {epoch}** ({state}{speed}) · loss {loss} training, {test_loss} test{accuracy}")


def picture(rgb: np.ndarray, alt: str, width: int | None = None) -> None:
    """A picture inlined in the page as a data URI. Not st.image: its files live in Streamlit's media store, which
    drops them after the next run, so a browser that asked for one a little late, three runs a second, got a 404."""
    size = f"width: {width}px; max-width: 100%" if width else "width: 100%"
    st.html(f'<img src="{jpeg_uri(rgb)}" alt="{alt}" style="{size}; display: block;">')


def _map(trainer: BoundaryTrainer, setup: Setup, mode: str | None, working: bool) -> None:
    """The output map: a picture while training; a chart once paused, where a click adds or removes points."""
    with st.container(key=K("map_box")):
        if working:
            picture(views.map_image(trainer, setup), "the network's output over the plane, with the points")
            return
        key = K(f"map_{st.session_state.get(CLICKS, 0)}")
        figure = views.map_figure(trainer, setup, mode is not None, scaled(340))
        figure.raw["layout"]["dragmode"] = "lasso" if mode == "remove" else False
        event = st.plotly_chart(figure, key=key, on_select="rerun", width="stretch",
                                selection_mode=("points", "box", "lasso"), config={"displayModeBar": False})
    if mode is not None and apply_selection(st.session_state[POINTS], event.selection if event else {}, mode):
        st.session_state[CLICKS] = st.session_state.get(CLICKS, 0) + 1
        st.rerun(scope="app")  # new points: a new network, on the whole page


def fast_view(trainer: BoundaryTrainer, setup: Setup, mode: str | None) -> None:
    """Redrawn 4 times a second while training: the network diagram, the status line and the output map.

    One fragment for all three: each fragment polls on its own, and Streamlit runs a session's fragments one after
    another, so a few fragments cost more than one.
    """
    job = current_job(trainer)
    network_column, output_column = st.columns(COLUMNS, gap="medium")
    working = job is not None and job.working
    with network_column:
        node = views.selected_node(trainer, st.session_state.get(SHOWN_NODE))
        with st.container(key=K("network_box")):
            if working:
                lay, drawing = views.network_drawing(trainer, node)
                picture(drawing, "the network: a small map in every neuron", views.network_width(lay))
            else:
                st.plotly_chart(views.network(trainer, node), key=views.NETWORK, on_select="rerun",
                                selection_mode="points", config={"displayModeBar": False}, width="stretch")
        st.caption("Each tile shows what its neuron outputs over the whole plane (blue positive, orange negative); "
                   "links: width = |weight|, blue positive, orange negative. Pause, then click a tile to see it large "
                   "below.")
    with output_column:
        _status(trainer, job)
        _map(trainer, setup, mode, working)
    if st.session_state.get(SHOWN_NODE) != node:
        st.session_state[SHOWN_NODE] = node
        if fragment_only_run():
            st.rerun(scope="app")  # the large view lives in the other fragment


def slow_view(trainer: BoundaryTrainer) -> None:
    """Redrawn every two seconds while training: the selected tile large, the confusion matrix, the curves, hints.

    While training the tile is a picture and the matrix a table; only the curves stay a chart (Streamlit rebuilds
    a changed chart from scratch, which is the browser's heaviest work here).
    """
    job = current_job(trainer)
    left, curves_column = st.columns(COLUMNS, gap="medium")
    neuron_column, confusion_column = left.columns([3, 2], gap="medium")
    node = views.selected_node(trainer, st.session_state.get(SHOWN_NODE))
    with neuron_column:
        if job is not None and job.working:
            found = views.neuron_image(trainer, node)
            if found is not None:
                st.markdown(f"**{found[1]}**")
                picture(found[0], found[1])
        else:
            large = views.neuron_view(trainer, node, scaled(330))
            if large is not None:
                st.plotly_chart(large, key=K("neuron"), config={"displayModeBar": False}, width="stretch")
    table = views.confusion(trainer)
    if table is not None:
        confusion_column.html(table)
    curves_column.plotly_chart(views.curves(trainer, scaled(330)), key=K("curves"),
                               config={"displayModeBar": False}, width="stretch")
    for text in hints(trainer.spec, trainer.points, trainer.history.table(), trainer.snapshot):
        st.info(text, icon=":material/lightbulb:")
