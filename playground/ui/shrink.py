"""The Shrink page's model picker and quantize panel: formats side by side, weight histograms, downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from playground.charts.shrink import formats_side_by_side, int8_levels, weight_histograms
from playground.digits.classifiers import SHIPPED, load_shipped_model
from playground.digits.loading import ModelError, load_model_bytes
from playground.shrink.histograms import histogram, int8_kernel, rounding_error, shared_edges
from playground.shrink.quantize import MODES, QuantizeRun, describe_change
from playground.ui.polling import live_fragment
from playground.ui.presenter import presenter_mode, scaled
from playground.ui.session import latest_job, next_number, start_job, trained_runs
from playground.ui.state import keys
from playground.ui.training_panel import STATUS_TEXT, status_message

K = keys("shrink")
RUNS = K("quantize_runs")
UPLOADED = K("uploaded_model")


@dataclass(frozen=True)
class Candidate:
    """A model the page can shrink: shipped, trained on Build & train in this session, or uploaded."""

    key: str
    title: str
    model: Any


def candidates() -> list[Candidate]:
    found = [Candidate(name, f"shipped {info.title}", load_shipped_model(name)) for name, info in SHIPPED.items()]
    found += [Candidate(f"run{i}", f"your {run.name} (epoch {run.weights_epoch})", run.model)
              for i, run in enumerate(trained_runs("mnist"))]
    if st.session_state.get(UPLOADED) is not None:
        found.append(st.session_state[UPLOADED])
    return found


def pick_model() -> Candidate:
    """The model to shrink (shipped CNN first); an uploaded .keras file joins the list."""
    found = {c.key: c for c in candidates()}
    if st.session_state.get(K("model")) not in found:
        st.session_state[K("model")] = "cnn"
    key = st.selectbox("Model", list(found), key=K("model"), format_func=lambda k: found[k].title,
                       help="The shipped MLP and CNN, the MNIST models you trained on Build & train in this session, "
                            "or a .keras file you upload.")
    if not presenter_mode():
        with st.expander("Upload a model (.keras)"):
            upload = st.file_uploader("A Keras model file of an MNIST classifier", type=["keras"], key=K("upload"))
            if upload is not None and st.session_state.get(K("upload_done")) != upload.file_id:
                st.session_state[K("upload_done")] = upload.file_id
                try:
                    model = load_model_bytes(upload.getvalue())  # the engine rebuilds it: no code from a file runs
                    st.session_state[UPLOADED] = Candidate("uploaded", f"your file {upload.name}", model)
                    st.session_state[K("model")] = "uploaded"
                    st.session_state.pop(K("upload_error"), None)
                    st.rerun()
                except ModelError as error:
                    st.session_state[K("upload_error")] = str(error)
            if upload is not None and st.session_state.get(K("upload_error")):
                st.error(st.session_state[K("upload_error")], icon=":material/block:")
    return found[key]


def results_table(run: QuantizeRun) -> None:
    rows = []
    base = run.results[0] if run.results and run.results[0].mode == "float32" else None
    for r in run.results:
        rows.append({"format": MODES[r.mode].title, "file size": f"{r.size_bytes / 1000:,.0f} kB",
                     "vs float32": f"{r.size_bytes / base.size_bytes:.0%}" if base else "",
                     "MNIST test": r.mnist_accuracy, "drawn digits": r.drawn_accuracy,
                     "ms per image": round(r.ms_per_image, 3), "int8 layers": ", ".join(r.quantized_layers) or "—"})
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config={
        "MNIST test": st.column_config.NumberColumn(format="percent"),
        "drawn digits": st.column_config.NumberColumn(format="percent")})
    if base:
        for r in run.results[1:]:
            st.caption(describe_change(base, r))


def histograms_panel(run: QuantizeRun) -> None:
    """The largest Dense layer: float32 weights vs their int8 versions, and the 255 levels they sit on."""
    int8 = run.models.get("int8")
    if int8 is None:
        return
    layers = [layer for layer in int8.layers if int8_kernel(layer) is not None]
    if not layers:
        return
    layer = max(layers, key=lambda item: item.kernel_scale.shape[0] * int8_kernel(item)[0].shape[0])
    levels, dequantized = int8_kernel(layer)
    original = run.model.get_layer(layer.name).kernel.numpy()
    edges = shared_edges(original)
    error = rounding_error(original, dequantized)
    st.markdown(f"**Why int8 costs so little** · layer `{layer.name}`, {original.size:,} weights")
    left, right = st.columns(2)
    left.plotly_chart(weight_histograms([histogram(original, "float32", edges), histogram(dequantized, "int8 (q / "
                                                                                          "scale)", edges)],
                                        height=scaled(280)), key=K("quantize_histogram"),
                      config={"displayModeBar": False})
    right.plotly_chart(int8_levels(levels, scaled(280)), key=K("int8_levels"), config={"displayModeBar": False})
    st.caption(f"The weights form a narrow bell around zero; int8 spreads 255 levels over each output unit's range, "
               f"so every weight moves by at most half a step: here {error['max']:.4f} at most, "
               f"{error['mean_relative']:.1%} of a typical weight on average. The two histograms lie on top of "
               "each other.")


def live_view(run: QuantizeRun) -> None:
    st.markdown(f"**{run.name}** · {STATUS_TEXT.get(run.status, run.status)}")
    if run.working:
        st.progress(len(run.results) / max(len(run.modes), 1),
                    text=f"Measuring {len(run.results) + 1} of {len(run.modes)} formats…")
    status_message(run)
    if run.results:
        results_table(run)
        st.plotly_chart(formats_side_by_side(run.results, scaled(300)), key=K("formats_chart"),
                        config={"displayModeBar": False})


def downloads(run: QuantizeRun) -> None:
    columns = st.columns(max(len(run.files), 1))
    for column, (mode, data) in zip(columns, run.files.items()):
        column.download_button(f"{mode} .keras", data, file_name=f"model-{mode}.keras", icon=":material/download:",
                               mime="application/octet-stream", key=K(f"download_{mode}"))
    st.caption("Every file loads back through the playground's safe loader (it rebuilds the network and loads "
               "only the weights; int8 layers are re-quantized first), e.g. on the Draw page.")


def quantize_tab(candidate: Candidate) -> None:
    st.markdown("**Quantization** stores each weight in fewer bits. Keras 3 does it in one call, "
                "`model.quantize(\"int8\")`: each Dense layer's weights become 8-bit integers and one scale per "
                "output unit. The convolutions stay float32 (Keras 3.15 quantizes Dense layers only).")
    modes = list(MODES) if presenter_mode() else st.pills("Formats", list(MODES), default=list(MODES),
                                                          selection_mode="multi", key=K("modes"),
                                                          format_func=lambda m: MODES[m].title)
    test = 10_000 if presenter_mode() else st.select_slider("MNIST test images", [1_000, 2_000, 10_000], 10_000,
                                                            key=K("quantize_test"), format_func=lambda n: f"{n:,}")
    run = latest_job(RUNS)
    busy = run is not None and run.working
    ordered = tuple(m for m in MODES if m in (modes or ()))
    if st.button("Quantize and measure", type="primary", icon=":material/compress:", key=K("quantize"),
                 disabled=busy or not ordered):
        start_job(QuantizeRun(model=candidate.model, title=candidate.title, modes=ordered, test_size=int(test),
                              name=f"{candidate.title}, quantized ({next_number(RUNS)})"), RUNS)
        st.rerun()
    if run is None:
        return
    live_fragment(run, lambda: live_view(run))
    if run.status == "finished":
        histograms_panel(run)
        downloads(run)
