"""Labels and probabilities: one-hot labels, softmax, cross-entropy, accuracy."""

import numpy as np
import pandas as pd
import streamlit as st

from playground.charts.concepts import class_bars, loss_curve
from playground.concepts.probabilities import accuracy, cross_entropy, one_hot, softmax
from playground.core.datasets import load_mnist_arrays
from playground.ui.presenter import presenter_mode, scaled, show_figure
from playground.ui.state import keys

K = keys("prob")
CLASSES = 10
# Scores a network might give: sure of the right digit, torn between two, sure of a wrong one.
LOGIT_PRESETS = {
    "confident and right": (0.1, -1.2, 0.4, 6.0, -0.5, 0.8, -2.0, 0.3, 1.5, -0.7),
    "unsure": (0.1, -1.2, 0.4, 2.1, -0.5, 1.9, -2.0, 0.3, 1.8, -0.7),
    "confident and wrong": (0.1, -1.2, 0.4, 0.5, -0.5, 0.8, -2.0, 0.3, 6.0, -0.7),
}
START = LOGIT_PRESETS["unsure"]
# Eight test digits and what a decent network predicted for them (two mistakes).
PREDICTED = (7, 2, 1, 0, 9, 1, 4, 8)
presenting = presenter_mode()


def set_logits(values: tuple[float, ...]) -> None:
    for i, value in enumerate(values):
        st.session_state[K(f"z{i}")] = value


st.title("Labels and probabilities")
st.caption("A classifier doesn't answer \"it's a 3\": it gives every class a probability. Training compares those "
           "probabilities with the label, written as a one-hot vector.")

st.header("1. A label as a one-hot vector")
left, right = st.columns([1, 3], gap="large")
with left:
    label = st.select_slider("the true label", list(range(CLASSES)), 3, key=K("label"), bind="query-params")
    raw = load_mnist_arrays()
    st.image(raw["x_test"][int(np.argmax(raw["y_test"] == label))], caption=f"a test image labelled {label}",
             width=scaled(110))
with right:
    target = one_hot(label, CLASSES)
    st.markdown(f"`{label}` → `[{', '.join(str(int(v)) for v in target)}]`: a 1 at position {label}, 0 elsewhere. "
                "It is the probability distribution of a teacher who is 100% sure.")
    show_figure(class_bars(target, label, "one-hot label", height=scaled(220)), key=K("one_hot"))

st.header("2. Scores (logits) → probabilities: softmax")
st.markdown("The last layer outputs one score per class, any real number. **Softmax** makes them positive "
            "(eˣ) and divides by the total so they add up to 1:")
st.latex(r"p_i = \frac{e^{z_i}}{\sum_j e^{z_j}}")
buttons = st.columns(len(LOGIT_PRESETS))
for column, (name, values) in zip(buttons, LOGIT_PRESETS.items()):
    column.button(name, on_click=set_logits, args=(values,), key=K(f"preset_{name}"), width="stretch")
logits = []
for i, column in enumerate(st.columns(CLASSES)):
    logits.append(column.number_input(f"z{i}", -10.0, 10.0, START[i], 0.5, key=K(f"z{i}"), bind="query-params",
                                      format="%.1f"))
probabilities = softmax(np.array(logits))
show_figure(class_bars(probabilities, label, "probabilities after softmax (the true label highlighted)",
                       percent=True, height=scaled(280)), key=K("probabilities"))
predicted = int(np.argmax(probabilities))
st.markdown(f"They add up to **{probabilities.sum():.0%}**. The network's answer is the most probable class: "
            f"**{predicted}** ({probabilities[predicted]:.1%}).")

st.header("3. How wrong? Cross-entropy")
loss = cross_entropy(target, probabilities)
left, right = st.columns([2, 3], gap="large")
with left:
    st.latex(r"\text{loss} = -\sum_i y_i \log p_i = -\log p_{\text{label}}")
    st.markdown(f"With the one-hot label only the true class counts: loss = −log({probabilities[label]:.3f}) "
                f"= **{loss:.3f}**.")
    st.metric("cross-entropy loss", f"{loss:.3f}", border=True)
    st.caption("0 when the network gives the true class 100%; it grows without limit as that probability goes to "
               "0, so a confident mistake costs much more than an unsure one.")
with right:
    show_figure(loss_curve(float(probabilities[label]), height=scaled(280)), key=K("loss_curve"))

st.header("4. Accuracy = correct predictions / total")
if not presenting:
    st.caption("Eight test digits and what a network predicted for them: change a prediction and watch the accuracy.")
labels = load_mnist_arrays()["y_test"][:len(PREDICTED)]
table = pd.DataFrame({"image": [f"test #{i}" for i in range(len(PREDICTED))], "true label": labels,
                      "predicted": list(PREDICTED)})
edited = st.data_editor(table, hide_index=True, disabled=presenting or ["image", "true label"], key=K("predictions"),
                        column_config={"predicted": st.column_config.NumberColumn(min_value=0, max_value=9, step=1)})
predictions = edited["predicted"].fillna(-1).astype(int).to_numpy()
correct, total = accuracy(edited["true label"].to_numpy(), predictions)
st.markdown(f"**{correct} correct / {total} total = {correct / total:.0%} accuracy.** Accuracy only counts right "
            "answers; the loss also says how sure the network was. That is why training minimizes the loss and "
            "people report the accuracy.")
