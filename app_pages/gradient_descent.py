"""Gradient descent in one dimension: the slope says which way is down, the learning rate how far to go."""

import math
from itertools import pairwise

import streamlit as st

from playground.charts.concepts import ZOOM_OUT, descent_figure, loss_per_step
from playground.concepts.gradient_descent import CURVES, curvature, descend, diverged
from playground.ui.presenter import presenter_mode, scaled, show_figure
from playground.ui.state import keys

K = keys("descent")
RATES = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9, 0.95, 1.0, 1.05, 1.1, 1.5]
QUICK = {"too small (0.01)": 0.01, "about right (0.1)": 0.1, "too large (1.05)": 1.05}
PATH = K("path")  # the walk so far: {"curve": name, "xs": [x0, x1, ...]}
presenting = presenter_mode()


def reset() -> None:
    st.session_state.pop(PATH, None)


def change_curve() -> None:
    st.session_state[K("start")] = CURVES[st.session_state[K("curve")]].start
    reset()


def set_rate(rate: float) -> None:
    st.session_state[K("lr")] = rate


def walk(steps: int) -> None:
    """Take up to `steps` steps; stops at once if the walk has blown up (never produces inf or NaN)."""
    path = st.session_state[PATH]["xs"]
    curve = CURVES[st.session_state[PATH]["curve"]]
    for _ in range(steps):
        if diverged(path[-1]):
            break
        path.append(descend(curve, path[-1], st.session_state[K("lr")]))


st.title("Gradient descent in one dimension")
st.caption("Training is walking downhill on the loss. The slope of the tangent says which way is down; the "
           "learning rate says how far to step: x ← x − learning rate × slope.")

left, right = st.columns([1.2, 3], gap="large")
with left:
    name = st.selectbox("loss curve", list(CURVES), format_func=lambda n: CURVES[n].title, key=K("curve"),
                        bind="query-params", on_change=change_curve)
    curve = CURVES[name]
    st.latex(curve.formula)
    rate = st.select_slider("learning rate", RATES, 0.1, key=K("lr"), bind="query-params")
    for label, value in QUICK.items():
        st.button(label, on_click=set_rate, args=(value,), key=K(f"rate_{value}"), width="stretch")
    start = st.session_state.get(K("start"), curve.start)
    if not presenting:
        start = st.slider("starting point x₀", *curve.x_range, curve.start, 0.1, key=K("start"),
                          bind="query-params", on_change=reset)
    state = st.session_state.get(PATH)
    if state is None or state["curve"] != name or state["xs"][0] != start:
        st.session_state[PATH] = state = {"curve": name, "xs": [float(start)]}

xs = state["xs"]
x = xs[-1]
with right:
    with st.container(horizontal=True):
        st.button("Step", type="primary", on_click=walk, args=(1,), key=K("step"), icon=":material/footprint:")
        st.button("10 steps", on_click=walk, args=(10,), key=K("ten_steps"), icon=":material/fast_forward:")
        st.button("Reset", on_click=reset, key=K("reset"), icon=":material/restart_alt:")
    show_figure(descent_figure(curve, xs, height=scaled(420)), key=K("figure"))
    if diverged(x):
        st.error(f"**Diverged** after {len(xs) - 1} steps: x jumped to {x:.3g}. Each step overshot the minimum by "
                 f"more than the last. The learning rate {rate} is too large: pick a smaller one and press Reset.",
                 icon=":material/trending_up:")
    else:
        slope = float(curve.slope(x))
        low, high = curve.x_range
        where = "" if ZOOM_OUT * low <= x <= ZOOM_OUT * high else " (off the chart)"
        st.markdown(f"Step **{len(xs) - 1}**: x = **{x:.4f}**{where}, loss = **{float(curve.function(x)):.4f}**, "
                    f"slope = **{slope:+.4f}** → next step moves x by −{rate} × {slope:+.4f} = "
                    f"**{-rate * slope:+.4f}**.")
        flips = sum(math.copysign(1, curve.slope(a)) != math.copysign(1, curve.slope(b)) for a, b in pairwise(xs))
        share = rate * curvature(curve, x)  # in a locally quadratic valley: the part of the way to the bottom per step
        if abs(slope) < 1e-3:
            st.success("Converged: the slope is almost 0, so the steps have become tiny. This is a minimum "
                       "(of this valley, maybe not the lowest one).", icon=":material/check_circle:")
        elif len(xs) > 2 and flips >= 2:
            climbing = curve.function(xs[-1]) > curve.function(xs[-2])
            st.warning("Overshooting: every step jumps across the valley to the other side"
                       + (" and lands higher than the last. This walk is diverging." if climbing else
                          ", but lands a little lower: it still converges, zigzagging."),
                       icon=":material/swap_horiz:")
        elif len(xs) > 2 and 0 < share < 0.05:
            st.info(f"Crawling: each step covers only about {share:.0%} of the remaining way down, so the bottom "
                    "is many steps away. A larger learning rate gets there sooner.", icon=":material/pace:")

if len(xs) > 1 and not presenting:
    losses = [float(curve.function(v)) for v in xs]
    show_figure(loss_per_step(losses, height=scaled(220)), key=K("loss_per_step"))
