"""Decision boundaries: TensorFlow Playground's 2D classifier playground on real Keras: watch the boundary form."""

from dataclasses import replace

import streamlit as st

from playground.boundaries.codegen import boundary_script
from playground.boundaries.datasets import DATASETS
from playground.boundaries.network import check_net
from playground.boundaries.presets import CONTROLS, PRESETS, preset_of, to_json
from playground.ui import boundaries_live as live
from playground.ui import boundaries_settings as settings
from playground.ui.boundaries_data import click_mode_control, current_points, own_points, show_message
from playground.ui.links import page_url
from playground.ui.polling import live_fragment, page_complete
from playground.ui.presenter import presenter_mode
from playground.ui.state import keys

K = keys("boundary")

st.title("Decision boundaries")
st.caption("Pick a point cloud, stack a few layers, press **Play** and watch the boundary form while every neuron "
           "shows what it has learned: TensorFlow Playground's idea, on a real Keras network.")
settings.apply_link()
hidden = settings.hidden_controls()
setup = settings.current()

preset_column, lesson_column = st.columns([1, 2], vertical_alignment="center")
with preset_column:
    settings.preset_picker()
preset = preset_of(setup)
lesson_column.info(PRESETS[preset].lesson if preset else DATASETS[setup.data.name].lesson, icon=":material/school:")
buttons = st.container()  # Play, Pause, Step, Reset: filled in once the settings below are read
training_row = st.container()
new = setup
data_column, main_column = st.columns([1, 3.7], gap="medium")
uploaded = st.session_state.get(K("points"))
with data_column:
    st.subheader("Data")
    if uploaded is not None and uploaded.origin == "uploaded":
        st.caption(f"Your {len(uploaded):,} uploaded points. The data set settings apply again once you go back "
                   "to generated points (under *Your own points*).")
    else:
        new = settings.data_controls(setup, hidden)
        if "data" not in hidden:
            st.button("Regenerate", icon=":material/refresh:", key=K("regenerate"), on_click=settings.regenerate,
                      help="New points of the same kind (the next data seed).")
points = current_points(new.data)
with main_column:
    network_column, output_column = st.columns(live.COLUMNS, gap="medium")
    with network_column:
        st.subheader("Network")
        new = replace(new, net=replace(new.net, features=settings.features_control(new, hidden),
                                       layers=settings.layers_control(new, hidden)))
    with output_column:
        st.subheader("Output")
        new = settings.view_controls(new)
with training_row:
    new = replace(new, net=settings.training_controls(new, points.task, hidden))

problem = check_net(new.net)
if problem:
    st.error(problem, icon=":material/error:")
else:
    setup = new
    st.session_state[settings.SETUP] = setup
settings.sync_link(setup)

trainer = live.current_trainer(points, setup.net)
live.resume(trainer)
job = live.current_job(trainer)
with buttons:
    live.controls(trainer)
mode = None
if "points" not in hidden:
    with output_column:
        mode = click_mode_control(points)
    with data_column, st.expander("Your own points: CSV"):
        own_points(setup.data, points)
with data_column:
    show_message()
with main_column:
    live_fragment(job, lambda: live.fast_view(trainer, setup, mode), live.FAST_SECONDS)
    live_fragment(job, lambda: live.slow_view(trainer), live.SLOW_SECONDS)

if "export" not in hidden:
    with st.expander("Export: the Keras code of this run, the model"):
        script = boundary_script(trainer.points, trainer.spec, trainer.epoch, trainer.rate_changes)
        st.caption(f"Trains {trainer.epoch:,} epochs from the same starting weights with the same batches and "
                   "prints the scores: the network you see, reproduced with plain model.fit.")
        st.code(boundary_script(trainer.points, trainer.spec, trainer.epoch, trainer.rate_changes, shown_rows=5),
                language="python")
        code_column, model_column = st.columns(2)
        code_column.download_button("Download boundary.py", script, file_name="boundary.py", mime="text/x-python",
                                    icon=":material/code:", key=K("download_code"), on_click="ignore")
        model_column.download_button("Download model.keras", trainer.model_bytes, file_name="boundary.keras",
                                     mime="application/octet-stream", icon=":material/download:", on_click="ignore",
                                     key=K("download_model"), disabled=(job is not None and job.working)
                                     or trainer.model is None,
                                     help="Pause first. Its inputs are the features of a point, not x1, x2 alone.")

if not hidden and not presenter_mode():
    with st.expander("Teacher's link: this setup with some controls hidden"):
        chosen = st.multiselect("Hide these controls", list(CONTROLS), format_func=lambda n: CONTROLS[n].title,
                                key=K("teacher_hide"))
        query = {"preset": preset} if preset else {"setup": to_json(setup)}
        if chosen:
            query["hide"] = ",".join(chosen)
        st.code(page_url("boundaries.py", query), language=None, wrap_lines=True)
        st.caption("Send this link to the room: it opens this setup with those controls hidden. Presenter mode "
                   "hides the advanced ones (batch size, loss, dropout, seeds, your points, export) by itself.")

page_complete(job)
