"""On the Draw page: the shipped CNN's answer next to its int8 version's (Keras quantize), for the same drawing."""

from __future__ import annotations

import numpy as np
import streamlit as st

from playground.charts.digits import probability_bars
from playground.digits.classifiers import load_shipped_model, predict_probabilities
from playground.shrink.quantize import shipped_quantized
from playground.ui.presenter import scaled


def int8_answer(digit: np.ndarray) -> None:
    """Two columns: the float32 CNN and the int8 CNN on one 28×28 digit, and how far their probabilities differ."""
    with st.spinner("Quantizing the CNN…"):  # the first time on this server only
        models = {"CNN · float32": load_shipped_model("cnn"), "CNN · int8": shipped_quantized("cnn", "int8")}
    answers = {title: predict_probabilities(model, digit[np.newaxis])[0] for title, model in models.items()}
    for column, (title, probabilities) in zip(st.columns(2), answers.items()):
        best = int(probabilities.argmax())
        column.metric(title, str(best), f"{probabilities[best]:.1%} sure", delta_color="off", delta_arrow="off")
        column.html(probability_bars(probabilities, height=scaled(200)))
    difference = float(np.abs(np.subtract(*answers.values())).max())
    st.caption(f"The int8 CNN stores its dense layers in one byte per weight (its file is about a third of the "
               f"float32 one). Largest difference between the two sets of probabilities here: {difference:.2%}. "
               "More on the Shrink page.")
