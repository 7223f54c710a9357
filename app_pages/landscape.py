"""Loss landscape: a 2D slice of the loss around a trained network's weights, and the path training took."""

import streamlit as st

from playground.charts.landscape import landscape_figure
from playground.training.landscape import MODES, LandscapeJob
from playground.ui.links import link_to_page
from playground.ui.polling import live_fragment, page_complete
from playground.ui.presenter import presenter_mode, scaled
from playground.ui.session import latest_job, start_job, trained_runs
from playground.ui.state import keys

K = keys("landscape")
JOBS = K("jobs")  # this session's landscape computations, under ui.session

st.title("Loss landscape of your network")
st.caption("A network has thousands of weights, so its loss lives in thousands of dimensions. We can still look at "
           "a 2D slice: start at the trained weights, step along two directions, evaluate the real loss at every "
           "grid point (Li et al., *Visualizing the Loss Landscape of Neural Nets*, 2018).")

runs = {r.name: r for r in trained_runs()}
if not runs:
    st.info("Train a network on **Build & train** first (two epochs or more); its checkpoints are the path "
            "drawn here.", icon=":material/info:")
    link_to_page("build_train.py", "Go to Build & train", icon=":material/build:")
    st.stop()

job: LandscapeJob | None = latest_job(JOBS)
busy = job is not None and not job.done
left, middle, right = st.columns([3, 2, 2])
name = left.selectbox("Trained run", list(runs), format_func=lambda n: f"{n} · {len(runs[n].history)} epochs",
                      key=K("run"), disabled=busy)
run = runs[name]
mode = left.radio("Directions", list(MODES), format_func=MODES.get, key=K("mode"), disabled=busy,
                  help="PCA: the plane in which training moved the most, so the path can be drawn. Random: what a "
                       "typical neighbourhood of the final weights looks like.")
grid = middle.slider("Grid size (points per side)", 5, 41, 15, step=2, key=K("grid"), disabled=busy)
samples = middle.select_slider("Evaluation samples", [100, 250, 500, 1000, 2000, 5000], 1000,
                               key=K("samples"), disabled=busy,
                               help="Training images the loss is averaged over at every grid point.")
seed = 0
if not presenter_mode():
    seed = right.number_input("Seed", 0, 2**31 - 1, 0, key=K("seed"), disabled=busy,
                              help="Picks the random directions and the evaluation samples.")
right.caption(f"{grid * grid:,} forward passes of {samples:,} images each.")
if mode == "pca" and len(run.checkpoints) < 3:
    st.warning(f"{run.name} kept {len(run.checkpoints)} checkpoints; a training path needs at least three "
               "(train two epochs or more). Random directions work.", icon=":material/warning:")
start_column, stop_column = right.columns(2)
if start_column.button("Compute", type="primary", icon=":material/landscape:", disabled=busy, key=K("start"),
                       width="stretch"):
    start_job(LandscapeJob(run.model, run.checkpoints, run.experiment, mode, grid, samples, int(seed),
                           name=run.name), JOBS)
    st.rerun()
stop_column.button("Stop", icon=":material/stop:", disabled=not busy, key=K("stop"), width="stretch",
                   on_click=job.stop if busy else None)


def progress() -> None:
    if not job.done:
        st.progress(job.fraction, text=f"Evaluating the loss: {job.fraction:.0%} of {job.grid}×{job.grid} points")


if job is not None:
    live_fragment(job, progress)
    if job.status in ("failed", "lost"):
        st.error(job.message, icon=":material/error:")
    elif job.status == "stopped":
        st.warning("Stopped before the slice was complete.", icon=":material/stop:")
    elif job.result is not None:
        piece = job.result
        st.plotly_chart(landscape_figure(piece, height=scaled(540)), key=K("figure"), width="stretch")
        what = ("the two directions in which training moved the most (PCA of the checkpoints); the red path is "
                "the training run, one point per epoch, at each checkpoint's real loss")
        if piece.mode == "random":
            what = "two random directions, each filter rescaled to the size of the same filter in the network"
        st.caption(f"**{job.name}**: loss of the final weights {piece.center_loss:.4f} at "
                   f"(0, 0); the axes are {what}. Colours and heights are log₁₀ of the loss.")

page_complete(job)
