"""A neuron: multiply, accumulate, activate; the activation gallery; why layers need a non-linearity."""

import numpy as np
import streamlit as st

from playground.charts.concepts import activation_figure, activation_gallery, decision_regions, neuron_diagram
from playground.concepts.neuron import ACTIVATIONS, activate, activation_slope, weighted_sum, weighted_sum_text
from playground.concepts.toy_mlp import TOY_DATASETS, decision_grid, make_toy_data, train_toy_mlp
from playground.ui.presenter import presenter_mode, scaled, show_figure
from playground.ui.state import keys

K = keys("neuron")
INPUTS = 3
STARTS = {"x": (0.5, -1.0, 0.8), "w": (0.8, 0.3, 0.4)}
LECTURE_TABLE = [name for name, activation in ACTIVATIONS.items() if activation.in_lecture]
NONLINEAR = [name for name in ACTIVATIONS if name not in ("identity", "binary_step")]
presenting = presenter_mode()


@st.cache_data(max_entries=16, show_spinner="Training two tiny networks (NumPy)…")
def train_pair(dataset: str, activation: str, layers: int, width: int, noise: float):
    """The same network trained twice, without and with an activation: (data, [(title, grid, accuracy, model)])."""
    x, y = make_toy_data(dataset, noise=noise)
    results = []
    for name in ("identity", activation):
        model, _ = train_toy_mlp(x, y, hidden=(width,) * layers, activation=name)
        accuracy = float(np.mean((model.predict(x) > 0.5) == y))
        results.append((name, decision_grid(model, x), accuracy, model))
    return (x, y), results


st.title("A neuron")
st.caption("Every unit of a network does the same three things: multiply each input by a weight, add everything "
           "up with a bias, and pass the sum through an activation function.")

controls, picture = st.columns([2, 3], gap="large")
with controls:
    inputs, weights = [], []
    for i in range(INPUTS):
        left, right = st.columns(2)
        inputs.append(left.slider(f"input x{i + 1}", -2.0, 2.0, STARTS["x"][i], 0.1, key=K(f"x{i + 1}"),
                                  bind="query-params"))
        weights.append(right.slider(f"weight w{i + 1}", -2.0, 2.0, STARTS["w"][i], 0.1, key=K(f"w{i + 1}"),
                                    bind="query-params"))
    bias = st.slider("bias b", -2.0, 2.0, 0.2, 0.1, key=K("bias"), bind="query-params",
                     help="Shifts the sum: how easily the neuron fires, whatever the inputs.")
    activation = st.selectbox("activation function", list(ACTIVATIONS), index=list(ACTIVATIONS).index("relu"),
                              format_func=lambda n: ACTIVATIONS[n].title, key=K("activation"), bind="query-params")
total = weighted_sum(np.array(inputs), np.array(weights), bias)
output = float(activate(activation, total))
with picture:
    show_figure(neuron_diagram(inputs, weights, bias, total, output, activation, height=scaled(280)),
                key=K("diagram"))
    st.markdown(f"**1. Multiply and accumulate:** &nbsp; {weighted_sum_text(inputs, weights, bias)}")
    st.markdown(f"**2. Activate:** &nbsp; {ACTIVATIONS[activation].name}({total:.2f}) = **{output:.3f}**")
    st.caption(ACTIVATIONS[activation].idea)

left, right = st.columns([3, 2], gap="large")
with left:
    show_figure(activation_figure(activation, total, height=scaled(320)), key=K("activation_figure"))
with right:
    st.latex(ACTIVATIONS[activation].formula)
    st.metric("output", f"{output:.3f}", border=True)
    st.metric("slope at this sum", f"{float(activation_slope(activation, total)):.3f}", border=True,
              help="How much the output moves when the sum moves a little: what backpropagation multiplies by. "
                   "A slope of 0 means this neuron cannot learn from this example.")

st.header("The activation gallery")
st.caption("Each function (solid) and its slope (dotted); ◆ marks this neuron's sum on every curve. The first seven "
           "are the lecture's table, the rest are common in modern networks.")
everything = not presenting and st.toggle("Show the modern ones too (leaky ReLU, ELU, GELU, swish)", True,
                                          key=K("gallery_all"), bind="query-params")
names = list(ACTIVATIONS) if everything else LECTURE_TABLE
show_figure(activation_gallery(names, total, height=scaled(200) * -(-len(names) // 4)), key=K("gallery"))
if not presenting:
    with st.expander("The formulas"):
        for name in names:
            st.markdown(f"**{ACTIVATIONS[name].title}** — {ACTIVATIONS[name].idea}")
            st.latex(ACTIVATIONS[name].formula)

st.header("Why bother? Without activations, layers stay linear")
st.caption("Two identical networks learn to separate the orange points from the blue ones. The first has no "
           "activation (identity): all its layers multiply out to a single linear layer, so the best it can do is "
           "one straight line. Add a non-linearity and it can bend the boundary.")
settings = st.columns(4 if not presenting else 2)
dataset = settings[0].radio("data", TOY_DATASETS, horizontal=True, key=K("toy_data"), bind="query-params")
chosen = settings[1].selectbox("activation to add", NONLINEAR, index=NONLINEAR.index("tanh"), key=K("toy_activation"),
                               format_func=lambda n: ACTIVATIONS[n].title, bind="query-params")
layers = width = noise = None
if not presenting:
    layers = settings[2].slider("hidden layers", 1, 4, 2, key=K("toy_layers"), bind="query-params")
    width = settings[3].slider("units per layer", 2, 32, 16, key=K("toy_width"), bind="query-params")
    noise = st.slider("noise in the data", 0.0, 0.3, 0.1, 0.05, key=K("toy_noise"), bind="query-params")
(x, y), results = train_pair(dataset, chosen, layers or st.session_state.get(K("toy_layers"), 2),
                             width or st.session_state.get(K("toy_width"), 16),
                             noise if noise is not None else st.session_state.get(K("toy_noise"), 0.1))
for column, (name, (gx, gy, grid), accuracy, model), key in zip(st.columns(2), results, ("linear", "nonlinear")):
    with column:
        title = "no activation" if name == "identity" else f"with {ACTIVATIONS[name].title}"
        show_figure(decision_regions(gx, gy, grid, x, y, f"{title}: {accuracy:.0%} correct", height=scaled(380)),
                    key=K(f"regions_{key}"))
        if name == "identity":
            w, b = model.as_single_layer()
            st.caption(f"All its layers collapse into one: P(orange) = σ({w[0, 0]:.2f}·x₁ + {w[1, 0]:.2f}·x₂ + "
                       f"{b[0]:.2f}) — a straight boundary.".replace("+ -", "− "))
