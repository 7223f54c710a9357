"""The shipped LSTM reading a digit row by row: its answer after each row (shown on Draw a digit and on Sequences).

The caller passes its own key maker, so the widgets here carry the prefix of whichever page shows them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from playground.charts.digits import digit_image, probability_bars
from playground.charts.sequences import revealed_digit, rows_heatmap
from playground.sequences.rows import (
    ROWS,
    RowsError,
    mind_changes,
    probabilities_per_row,
    shipped_row_reader,
    shipped_rows_metrics,
)
from playground.ui.presenter import presenter_mode, scaled, show_figure

PRESENTER_ROWS = (4, 7, 10, 14, 18, 21, 28)


def _story(probabilities: np.ndarray) -> str:
    """Where the network changed its mind, in words."""
    changes = mind_changes(probabilities, sure=0.3)
    if not changes:
        return "It never became more than 30% sure of any digit."
    steps = [f"after row {row}: **{digit}** ({p:.0%})" for row, digit, p in changes[:6]]
    final = probabilities[-1]
    return (f"Its leading guess, once it passed 30%: {' → '.join(steps)}. After the last row: **{int(final.argmax())}**"
            f" with {final.max():.0%}.")


def rows_view(digit: np.ndarray, key: Callable[[str], str]) -> None:
    """Slider over the rows read, the digit revealed so far, the probabilities then, and the whole reading."""
    try:
        with st.spinner("Loading the LSTM…"):
            reader = shipped_row_reader()
    except (RowsError, OSError, ValueError) as error:
        st.info(f"The row-reading LSTM is not available: {error}", icon=":material/info:")
        return
    probabilities = probabilities_per_row(reader, digit)
    _reading(digit, probabilities, key)


@st.fragment
def _reading(digit: np.ndarray, probabilities: np.ndarray, key: Callable[[str], str]) -> None:
    # A fragment: moving the slider redraws only this part, not the page that holds it.
    if presenter_mode():  # big buttons for a projector instead of a fiddly slider
        row = int(st.segmented_control("Rows read so far", PRESENTER_ROWS, default=ROWS, required=True,
                                       key=key("rows_read_presenting")) or ROWS)
    else:
        row = int(st.slider("Rows read so far", 1, ROWS, ROWS, key=key("rows_read"),
                            help="The LSTM sees the digit one row of 28 pixels at a time, top to bottom."))
    picture, bars = st.columns([2, 3], gap="medium")
    with picture:
        show_figure(digit_image(revealed_digit(digit, row), height=scaled(220)), key=key("rows_revealed"))
    with bars:
        st.markdown(f"**After row {row}** it says **{int(probabilities[row - 1].argmax())}**")
        st.html(probability_bars(probabilities[row - 1], height=scaled(200)))
    show_figure(rows_heatmap(probabilities, row, height=scaled(260)), key=key("rows_heatmap"))
    metrics = shipped_rows_metrics()
    accuracy = f" ({metrics['mnist_test_accuracy']:.2%} of the 10,000 MNIST test digits right after the last row)" \
        if metrics.get("mnist_test_accuracy") else ""
    st.caption(f"{_story(probabilities)} The network is one LSTM layer of {reader_units(metrics)} units and a Dense "
               f"softmax{accuracy}; it was trained to give its best guess after every row.")


def reader_units(metrics: dict) -> str:
    layers = metrics.get("layers") or ["LSTM(128)"]
    return layers[0].removeprefix("LSTM(").removesuffix(")")
