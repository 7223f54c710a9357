"""Optimizers & loss surfaces: real keras optimizers race over 2D loss surfaces; lecture presets by URL (?preset=)."""

import pandas as pd
import streamlit as st

from playground.charts.surfaces import loss_figure, race_figure
from playground.core.specs import OPTIMIZERS, SpecError
from playground.optim.races import RACE_PRESETS, Runner, default_learning_rate, outcome, race, tolerance
from playground.optim.surfaces import SURFACES, critical_points, evaluate_grid, lowest_value
from playground.ui.presenter import presenter_mode, scaled
from playground.ui.url import new_in_link, put_in_link

NOISE_LEVELS = [0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
DEFAULT = dict(surface="himmelblau", optimizers=["sgd", "momentum", "adam"], steps=200, noise=0.0, seed=0)


@st.cache_data(show_spinner="Finding the minima and saddle points…")
def surface_view(name: str):
    """The plotted grid, the critical points and the lowest value of a surface (the same for every visitor)."""
    return evaluate_grid(SURFACES[name], 120), critical_points(name), lowest_value(name)


def reset_to_surface(name: str) -> None:
    """A new surface: its own start point and each optimizer's learning rate for it."""
    surface = SURFACES[name]
    st.session_state.race_start_x, st.session_state.race_start_y = surface.start
    for optimizer in OPTIMIZERS:
        st.session_state[f"race_lr_{optimizer}"] = f"{default_learning_rate(name, optimizer):g}"


def apply_preset(name: str) -> None:
    preset, state = RACE_PRESETS[name], st.session_state
    state.race_surface = preset.surface
    reset_to_surface(preset.surface)
    state.race_optimizers = list(dict.fromkeys(r.optimizer for r in preset.runners))
    for optimizer in state.race_optimizers:
        rates = dict.fromkeys(f"{r.learning_rate:g}" for r in preset.runners if r.optimizer == optimizer)
        state[f"race_lr_{optimizer}"] = ", ".join(rates)
    state.race_start_x, state.race_start_y = preset.start
    state.race_steps, state.race_noise, state.race_seed = preset.steps, preset.noise, preset.seed
    state.race_exact = any(not r.noisy for r in preset.runners)
    state.race_preset = name


def choose_preset() -> None:
    """The preset menu: load the demo and put it in the URL, so the link in the address bar shows the same."""
    name = st.session_state.race_preset
    if name:
        apply_preset(name)
        put_in_link("race", "preset", name)


def preset_from_url() -> None:
    """?preset=NAME applies a lecture preset once per link; an unknown name gets a message."""
    found = new_in_link("race", "preset")
    if found is None:
        return
    wanted = found[1]
    if wanted in RACE_PRESETS:
        apply_preset(wanted)
    else:
        st.error(f"Unknown preset {wanted!r} in the link. Presets: {', '.join(RACE_PRESETS)}.")


def start_from_click() -> None:
    """A click on the contour map (a point selection of the chart) moves the start there."""
    points = st.session_state.get("race_map", {}).get("selection", {}).get("points", [])
    clicked = next(((p["x"], p["y"]) for p in points if "x" in p and "y" in p and "z" not in p), None)
    if clicked and clicked != st.session_state.get("race_clicked"):
        st.session_state.race_clicked = clicked
        st.session_state.race_start_x, st.session_state.race_start_y = (round(float(v), 2) for v in clicked)


def rates(text: str) -> list[float]:
    values = [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
    if not values:
        raise ValueError
    return values


st.title("Optimizers & loss surfaces")
st.caption("Real `keras.optimizers` walk down a loss surface of two weights, gradients by automatic "
           "differentiation. Pick a surface, the racers and their learning rates, press ▶ Play. "
           "Click the map to move the start.")
state = st.session_state
if "race_surface" not in state:
    state.update(race_surface=DEFAULT["surface"], race_optimizers=DEFAULT["optimizers"], race_steps=DEFAULT["steps"],
                 race_noise=DEFAULT["noise"], race_seed=DEFAULT["seed"], race_exact=False)
    reset_to_surface(DEFAULT["surface"])
preset_from_url()
start_from_click()
advanced = not presenter_mode()

preset_column, surface_column = st.columns([3, 2])
preset_column.selectbox("Lecture preset", list(RACE_PRESETS), key="race_preset", index=None,
                        placeholder="Pick a lecture demo…", format_func=lambda n: RACE_PRESETS[n].title,
                        on_change=choose_preset)
name = surface_column.selectbox("Surface", list(SURFACES), key="race_surface", format_func=lambda n: SURFACES[n].title,
                                on_change=lambda: reset_to_surface(state.race_surface))
surface = SURFACES[name]
optimizer_column, steps_column, noise_column = st.columns([3, 1, 1])
chosen = optimizer_column.multiselect("Optimizers (real keras.optimizers)", list(OPTIMIZERS), key="race_optimizers",
                                      format_func=lambda n: OPTIMIZERS[n].title)
rate_columns = optimizer_column.columns(4)
runners, problems = [], []
for index, optimizer in enumerate(chosen):
    state.setdefault(f"race_lr_{optimizer}", f"{default_learning_rate(name, optimizer):g}")
    text = rate_columns[index % 4].text_input(f"lr {OPTIMIZERS[optimizer].title}", key=f"race_lr_{optimizer}",
                                              help="Learning rate. Several rates separated by commas race "
                                                   "against each other.")
    try:
        runners += [Runner(optimizer, rate) for rate in rates(text)]
    except ValueError:
        problems.append(f"{OPTIMIZERS[optimizer].title}: {text!r} is not a learning rate (e.g. 0.01, or 0.01, 0.1).")
steps = steps_column.slider("Steps", 10, 1000, key="race_steps", step=10)
x_column, y_column = steps_column.columns(2)
start = (x_column.number_input("Start x", key="race_start_x", step=0.1, format="%.2f"),
         y_column.number_input("Start y", key="race_start_y", step=0.1, format="%.2f"))
noise = noise_column.select_slider("Gradient noise", NOISE_LEVELS, key="race_noise",
                                   help="Standard deviation of random noise added to every gradient, as the "
                                        "mini-batches of real training do.")
seed = state.race_seed
if advanced:
    seed = noise_column.number_input("Noise seed", 0, 2**31 - 1, key="race_seed")
    noise_column.checkbox("Exact-gradient twin", key="race_exact", disabled=noise == 0,
                          help="Also run each optimizer on the exact gradient (dotted), to compare with the noisy one.")
if noise > 0 and state.race_exact:
    runners += [Runner(r.optimizer, r.learning_rate, noisy=False) for r in runners]
for problem in problems:
    st.warning(problem, icon=":material/edit:")
lesson = RACE_PRESETS[state.race_preset].lesson if state.get("race_preset") in RACE_PRESETS else surface.lesson
st.info(f"**{surface.title}** `{surface.formula_text}` — {lesson}", icon=":material/school:")

grid, critical, lowest = surface_view(name)
try:
    with st.spinner("Compiling the optimizers this server has not raced yet (once each)…"):
        paths = race(surface, runners, start, steps, noise, int(seed))
except SpecError as error:
    st.error(str(error), icon=":material/error:")
    paths = []
figure = race_figure(surface, grid, critical, paths, steps, lowest, height=scaled(560))
st.plotly_chart(figure, key="race_map", on_select="rerun", selection_mode="points", width="stretch")

if paths:
    chart_column, table_column = st.columns([1, 2])
    chart_column.plotly_chart(loss_figure(paths, log_scale=lowest >= 0, height=scaled(340)), key="race_loss",
                              width="stretch")
    within = tolerance(surface)
    rows = [outcome(surface, path, within) for path in paths]
    table_column.dataframe(pd.DataFrame({
        "optimizer": [r.label for r in rows],
        "lr": [p.runner.learning_rate for p in paths],
        "final loss": [r.final_loss for r in rows],
        "ended": [r.verdict for r in rows],
        "distance": [r.distance for r in rows],
        "at step": [r.reached_at for r in rows],
    }), hide_index=True, key="race_table", width="stretch", column_config={
        "lr": st.column_config.NumberColumn(format="%g", help="Learning rate", width="small"),
        "final loss": st.column_config.NumberColumn(format="%.4g"),
        "distance": st.column_config.NumberColumn(format="%.3g", help="From the last point to the nearest minimum"),
        "at step": st.column_config.NumberColumn(help="The first step within the tolerance of that minimum")})
    table_column.caption(f"A run has reached a minimum when it ends within {within:g} of it (*at step*: "
                         "the first step that close); a run that leaves the map has diverged. The marked minima, "
                         "saddles and maxima are computed: Newton's method finds where the gradient is zero, the "
                         "signs of the Hessian's eigenvalues tell which kind of point it is.")
