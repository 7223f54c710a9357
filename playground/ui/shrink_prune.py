"""The Shrink page's pruning panel: one sparsity slider, accuracy vs sparsity, sizes, histograms, a download."""

from __future__ import annotations

import streamlit as st

from playground.charts.shrink import accuracy_vs_sparsity, weight_histograms
from playground.shrink.histograms import histogram, shared_edges
from playground.shrink.prune import SPARSITY_RANGE, PruneRun
from playground.ui.polling import live_fragment
from playground.ui.presenter import presenter_mode, scaled
from playground.ui.session import latest_job, next_number, start_job
from playground.ui.shrink import Candidate
from playground.ui.state import keys
from playground.ui.training_panel import STATUS_TEXT, progress_bar, status_message

K = keys("shrink")
RUNS = K("prune_runs")
TUNED = K("tuned_points")  # model title -> {sparsity: accuracy after fine-tuning}, one point per finished run
SAMPLES = [5_000, 10_000, 20_000, 55_000]


def _tuned_points(title: str) -> list[tuple[float, float]]:
    return sorted(st.session_state.get(TUNED, {}).get(title, {}).items())


def remember(run: PruneRun) -> None:
    """A finished run adds its fine-tuned point to its model's curve (kept across runs of this session)."""
    if run.status == "finished" and run.fine_tune_epochs and run.tuned_accuracy is not None:
        st.session_state.setdefault(TUNED, {}).setdefault(run.title, {})[run.sparsity] = run.tuned_accuracy


def live_view(run: PruneRun) -> None:
    st.markdown(f"**{run.name}** · {STATUS_TEXT.get(run.status, run.status)} · on {run.device}")
    if run.status == "running":
        progress_bar(run, run.fine_tune_epochs, unit="images")
    elif run.working:
        st.progress(0.0, text="Measuring the dense model and sweeping the sparsities…")
    status_message(run)
    remember(run)
    st.plotly_chart(accuracy_vs_sparsity(run.curve, _tuned_points(run.title), run.dense_accuracy, run.sparsity,
                                         scaled(340)), key=K("sparsity_chart"), config={"displayModeBar": False})
    columns = st.columns(3)
    for column, (label, value) in zip(columns, (("dense", run.dense_accuracy), (f"pruned to {run.sparsity:.0%}",
                                                                               run.pruned_accuracy),
                                               ("after the fine-tune", run.tuned_accuracy))):
        delta = None if value is None or run.dense_accuracy is None or label == "dense" else \
            f"{(value - run.dense_accuracy) * 100:+.2f} points"
        column.metric(label, "…" if value is None else f"{value:.2%}", delta)
    if run.status == "finished" and run.fine_tune_epochs and run.fine_tune_samples < 55_000:
        st.caption("A longer fine-tune recovers more: 2 epochs over all 55,000 training images bring the shipped "
                   "CNN pruned to 80% back to 99.26% (dense 99.47%; `python -m playground prune --model cnn "
                   "--sparsity 0.8 --fine-tune-epochs 2`, a minute or two on 2 CPU cores).")


def sizes_and_weights(run: PruneRun) -> None:
    """Zipped sizes and the histograms of the largest layer's weights: dense, pruned, fine-tuned."""
    sizes = run.sizes
    if "pruned_zipped" in sizes:
        st.markdown(f"**Sizes** · the .keras file stays {sizes['dense_file'] / 1000:,.0f} kB (it stores every weight, "
                    f"zero or not); zipped, the dense model takes {sizes['dense_zipped'] / 1000:,.0f} kB and the "
                    f"pruned one **{sizes['pruned_zipped'] / 1000:,.0f} kB** "
                    f"({sizes['pruned_zipped'] / sizes['dense_zipped']:.0%}): runs of zeros compress.")
    kernels = run.kernels
    if "tuned" in kernels:
        edges = shared_edges(kernels["dense"])
        shown = [histogram(kernels["dense"], "dense", edges), histogram(kernels["pruned"], "pruned", edges)]
        if run.fine_tune_epochs:
            shown.append(histogram(kernels["tuned"], "pruned + fine-tuned", edges))
        st.plotly_chart(weight_histograms(shown, "The largest layer's weights (log scale)", scaled(300), log=True),
                        key=K("prune_histogram"), config={"displayModeBar": False})
        st.caption("Pruning cuts out the middle of the bell: the weights nearest zero, which move any output least. "
                   "The fine-tune cannot bring them back (they are held at exactly zero) but shifts the survivors "
                   "to make up for them.")
    if run.pruned_file:
        st.download_button("Download the pruned model (.keras)", run.pruned_file,
                           file_name=f"pruned-{round(run.sparsity * 100)}.keras", icon=":material/download:",
                           mime="application/octet-stream", key=K("download_pruned"))


def prune_tab(candidate: Candidate) -> None:
    st.markdown("**Pruning** sets the weights of smallest magnitude to exactly zero: the network gets sparse. Keras 3 "
                "has no pruning API and TensorFlow's Model Optimization toolkit does not support Keras 3, so the "
                "playground writes the masks itself: one threshold for the whole network, and during the "
                "fine-tune a Keras constraint puts the pruned weights back to zero after every step.")
    low, high = (round(v * 100) for v in SPARSITY_RANGE)
    st.session_state.setdefault(K("sparsity"), 80)  # a link (?preset=prune-80) may have set it
    percent = st.slider("Weights to remove (sparsity)", low, high, step=5, format="%d%%", key=K("sparsity"))
    left, right = st.columns(2)
    epochs = left.number_input("Fine-tune epochs", 0, 10, 1, key=K("epochs"),
                               help="0 shows pruning without any repair.")
    samples = 10_000 if presenter_mode() else right.select_slider(
        "Images per fine-tune epoch", SAMPLES, 10_000, key=K("samples"), format_func=lambda n: f"{n:,}")
    run = latest_job(RUNS)
    busy = run is not None and run.working
    left, right = st.columns(2)
    if left.button("Prune and fine-tune" if epochs else "Prune", type="primary", icon=":material/content_cut:",
                   key=K("prune"), disabled=busy, width="stretch"):
        start_job(PruneRun(model=candidate.model, title=candidate.title, sparsity=percent / 100,
                           fine_tune_epochs=int(epochs), fine_tune_samples=int(samples),
                           name=f"{candidate.title}, {percent}% pruned ({next_number(RUNS)})"), RUNS)
        st.rerun()
    right.button("Stop", icon=":material/stop:", key=K("stop"), disabled=not busy, on_click=run.stop if busy else None,
                 width="stretch", help="Ends the fine-tune after the current batch; nothing pruned is kept.")
    if run is None:
        return
    live_fragment(run, lambda: live_view(run))
    if run.done:
        sizes_and_weights(run)
