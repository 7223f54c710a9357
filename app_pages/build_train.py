"""Build & train: stack layers, check every shape, train on MNIST or noise and watch the curves move each epoch."""

import pandas as pd
import streamlit as st

from playground.core.build import Summary, check_experiment, format_shape, summarize
from playground.core.codegen import experiment_script
from playground.core.datasets import DATASETS
from playground.core.presets import PRESETS
from playground.core.specs import NetworkSpec, to_json
from playground.training.run import TrainingRun
from playground.ui.editor import (
    config_editor,
    editor_state,
    layer_editor,
    load_json,
    load_preset,
    preset_name,
    sync_url,
)
from playground.ui.polling import live_fragment, page_complete
from playground.ui.session import RUNS, latest_job, next_number, start_job
from playground.ui.state import keys
from playground.ui.training_panel import after_training, live_view

K = keys("build")
PRESET_CHOICES = [*PRESETS, "empty"]


def layer_table(summary: Summary) -> pd.DataFrame:
    rows = [("input", format_shape(summary.input_shape), 0)]
    rows += [(f"{r.index}. {r.label}", format_shape(r.output_shape), r.params) for r in summary.rows]
    return pd.DataFrame(rows, columns=["layer", "output shape", "parameters"])


def outcomes(network: NetworkSpec) -> dict[int, str]:
    """Output shape and parameters per layer, for the layer cards."""
    dataset = DATASETS[state.experiment.config.dataset]
    rows = summarize(network, dataset.input_shape, dataset.num_classes).rows
    return {r.index - 1: f"{format_shape(r.output_shape)} · {r.params:,} parameters" for r in rows}


st.title("Build & train")
st.caption("Stack layers, check the shapes, press **Train** and watch the network learn — epoch by epoch, "
           "on real data, with real Keras.")
state = editor_state()
run: TrainingRun | None = latest_job(RUNS)
busy = run is not None and run.working

preset = preset_name(state.experiment)
st.selectbox("Start from a preset", PRESET_CHOICES, key=K(f"preset_{state.generation}"),
             index=PRESET_CHOICES.index(preset) if preset else None, placeholder="your own network",
             format_func=lambda name: PRESETS[name].title if name in PRESETS else "Empty network",
             on_change=lambda: load_preset(state, st.session_state[K(f"preset_{state.generation}")]))
if preset:
    st.info(PRESETS[preset].lesson, icon=":material/school:")

network_column, settings_column = st.columns([3, 2], gap="medium")
with settings_column:
    st.subheader("Training")
    config_editor(state)
with network_column:
    st.subheader("Layers")
    layer_editor(state, outcomes)
summary = check_experiment(state.experiment)
sync_url(state)

with settings_column:
    st.markdown(f"**{summary.total_params:,} parameters** to learn.")
    if summary.error:
        st.error(str(summary.error), icon=":material/error:")
    train_column, stop_column = st.columns(2)
    if train_column.button("Train", type="primary", icon=":material/play_arrow:", width="stretch",
                           disabled=busy or not summary.ok, key=K("train")):
        name = PRESETS[preset].title if preset else "Your network"
        start_job(TrainingRun(state.experiment, name=f"{name} · run {next_number(RUNS)}"), RUNS)
        st.rerun()
    stop_column.button("Stop", icon=":material/stop:", width="stretch", disabled=not busy, key=K("stop"),
                       on_click=run.stop if busy else None, help="Ends the run after the current batch.")
    st.subheader("Shapes and parameters")
    st.dataframe(layer_table(summary), hide_index=True, key=K("layer_table"),
                 column_config={"parameters": st.column_config.NumberColumn(format="localized", width="small")})

if run is not None:
    st.divider()
    live_fragment(run, lambda: live_view(run))
    after_training(run)

with st.expander("The Keras code of this network and training setup"):
    script = experiment_script(state.experiment) if summary.ok else None
    if script:
        st.code(script, language="python")
        st.download_button("Download train.py", script, file_name="train.py", mime="text/x-python", key=K("download_code"))
    else:
        st.write("Fix the network first.")

with st.expander("The spec as JSON: copy, paste, share"):
    st.code(to_json(state.experiment), language="json", wrap_lines=True)
    pasted = st.text_area("Paste a spec here", key=K("pasted_spec"), height=100)
    if st.button("Load this spec", key=K("load_spec"), disabled=not pasted):
        error = load_json(state, pasted)
        if error:
            st.error(error)
        else:
            st.rerun()

page_complete(run)
