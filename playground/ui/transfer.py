"""The Reuse page's measured transfer experiment: settings, the live run (curves and table), and the Keras code."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.charts.transfer import accuracy_vs_examples, epoch_curves, image_strip
from playground.core.datasets import FASHION_CLASSES
from playground.transfer.codegen import transfer_script
from playground.transfer.experiment import SIZES, TEST_SIZES, TransferConfig, TransferExperiment, sample_images
from playground.transfer.features import WAYS
from playground.ui.polling import live_fragment
from playground.ui.presenter import presenter_mode, scaled
from playground.ui.session import latest_job, next_number, start_job
from playground.ui.state import keys
from playground.ui.training_panel import STATUS_TEXT, status_message
from playground.ui.url import new_in_link, put_in_link

K = keys("reuse")
RUNS = K("transfer_runs")
# Settings a link can set: /reuse?preset=quick. "quick" fits a lecture (about a minute on 2 CPU cores).
PRESETS: dict[str, TransferConfig] = {
    "quick": TransferConfig(sizes=(1, 10, 50)),
    "full": TransferConfig(sizes=SIZES),
}


def _apply_link() -> None:
    found = new_in_link("reuse", "preset")
    if found and found[1] in PRESETS:
        config = PRESETS[found[1]]
        st.session_state[K("sizes")], st.session_state[K("ways")] = list(config.sizes), list(config.ways)
    elif found:
        st.error(f"Unknown preset {found[1]!r} in the link. Presets: {', '.join(PRESETS)}.")


def settings() -> TransferConfig:
    """The experiment's settings (presenter mode keeps only the numbers of examples)."""
    _apply_link()
    st.session_state.setdefault(K("sizes"), list(PRESETS["quick"].sizes))
    st.session_state.setdefault(K("ways"), list(WAYS))
    sizes = st.pills("Training examples per class", SIZES, selection_mode="multi", key=K("sizes"),
                     help="Each number is one training set: that many clothes of each of the 10 classes.")
    ways = list(WAYS) if presenter_mode() else st.pills(
        "Ways to train", list(WAYS), selection_mode="multi", key=K("ways"), format_func=lambda w: WAYS[w].title)
    test, seed = 2_000, 0
    if not presenter_mode():
        left, right = st.columns(2)
        test = left.select_slider("Test images", TEST_SIZES, value=2_000, key=K("test_size"),
                                  format_func=lambda n: f"{n:,}", help="Fashion-MNIST test images each run is "
                                  "scored on once, at its end.")
        seed = int(right.number_input("Seed", 0, 10_000, 0, key=K("seed"), help="Which examples are drawn, and "
                                      "the new layers' initial weights."))
    chosen = tuple(sorted(sizes or ())), tuple(w for w in WAYS if w in (ways or ()))
    for name, config in PRESETS.items():
        if chosen == (config.sizes, config.ways):
            put_in_link("reuse", "preset", name)
    return TransferConfig(sizes=chosen[0], ways=chosen[1], test_size=int(test), seed=seed)


def live_view(job: TransferExperiment) -> None:
    """Progress, the accuracy-vs-examples chart and table, and the per-epoch curves of the current size."""
    current = job.current
    st.markdown(f"**{job.name}** · {STATUS_TEXT.get(job.status, job.status)} · on {job.device}")
    if job.working:
        done = len(job.results)
        text = "Loading Fashion-MNIST and the digit CNN…"
        if current is not None:
            epoch = job.progress.epoch
            text = (f"Run {done + 1} of {job.total_runs}: {WAYS[current.way].title}, {current.per_class} per class · "
                    f"epoch {epoch}/{current.epochs}")
        st.progress(min(done / job.total_runs, 1.0), text=text)
    status_message(job)
    chart, curves = st.columns([3, 2], gap="medium")
    chart.plotly_chart(accuracy_vs_examples(job.table(), scaled(380)), key=K("accuracy_chart"),
                       config={"displayModeBar": False})
    shown = current.per_class if current is not None else (job.results[-1].per_class if job.results else None)
    with curves:
        runs = [r for r in job.results if r.per_class == shown] + ([current] if current is not None else [])
        st.markdown(f"**Epoch by epoch, {shown} per class**" if shown else "**Epoch by epoch**")
        st.plotly_chart(epoch_curves(runs, scaled(330)), key=K("epoch_chart"), config={"displayModeBar": False})
    frame = pd.DataFrame({WAYS[way].title: {n: "…" if v is None else f"{v:.1%}" for n, v in row.items()}
                          for way, row in job.table().items()})
    frame.index.name = "examples per class"
    st.dataframe(frame)


def summary(job: TransferExperiment) -> None:
    """Once finished: the gap between frozen features and scratch, in words."""
    table = job.table()
    if not job.done or "frozen" not in table or "scratch" not in table:
        return
    gaps = {n: table["frozen"][n] - table["scratch"][n] for n in job.config.sizes
            if table["frozen"][n] is not None and table["scratch"][n] is not None}
    if gaps:
        words = ", ".join(f"{gap * 100:+.1f} points with {n} per class" for n, gap in sorted(gaps.items()))
        best = max(gaps, key=gaps.get)
        lesson = (f"The reused features help most with {best} per class: with few examples, a network trained from "
                  "scratch cannot learn good filters of its own." if gaps[best] >= 0.05 else
                  "Here they help little: digit strokes are not the shapes and textures of clothes, and this small "
                  "CNN learns usable filters of its own from a few dozen images. Reuse pays when the old task "
                  "resembles the new one: the next tab teaches the same features new drawn symbols from five "
                  "examples each.")
        st.info(f"Frozen digit features vs training from scratch: {words}. {lesson}", icon=":material/school:")
def experiment_tab() -> None:
    st.markdown("The digit CNN learned its convolution filters on 60,000 handwritten digits. Can they help with "
                "**clothes**? Cut the network after its convolutions, put a new head on it, and train on a few "
                "Fashion-MNIST images, three ways:")
    images, labels = sample_images(1)
    st.plotly_chart(image_strip(images, [FASHION_CLASSES[int(y)] for y in labels], height=scaled(110)),
                    key=K("fashion_strip"), config={"displayModeBar": False})
    for way in WAYS.values():
        st.markdown(f"- **{way.title}**: {way.lesson}")
    config = settings()
    problem = config.problem()
    if problem:
        st.warning(problem)
    job = latest_job(RUNS)
    busy = job is not None and job.working
    left, right = st.columns(2)
    if left.button("Run the experiment", type="primary", icon=":material/play_arrow:", width="stretch",
                   key=K("run"), disabled=busy or problem is not None):
        start_job(TransferExperiment(config=config, name=f"Transfer experiment {next_number(RUNS)}"), RUNS)
        st.rerun()
    right.button("Stop", icon=":material/stop:", width="stretch", key=K("stop"), disabled=not busy,
                 on_click=job.stop if busy else None, help="Ends the experiment after the current batch.")
    if job is not None:
        live_fragment(job, lambda: live_view(job))
        summary(job)
    if not presenter_mode():
        with st.expander("The Keras code: freeze, unfreeze, fine-tune"):
            left, right = st.columns(2)
            way = left.selectbox("Way", list(WAYS), key=K("code_way"), format_func=lambda w: WAYS[w].title)
            per_class = right.selectbox("Examples per class", SIZES, index=2, key=K("code_size"))
            st.code(transfer_script(way, per_class), language="python")
