"""Sequences: the LSTM cell with its numbers, why plain RNNs forget, forecasting a real series, a digit read by rows."""

import numpy as np
import streamlit as st

from playground.core.datasets import load_mnist_arrays
from playground.ui.links import link_to_page
from playground.ui.polling import page_complete
from playground.ui.presenter import presenter_mode
from playground.ui.sequences_cell import cell_tab
from playground.ui.sequences_forecast import RUNS as FORECAST_RUNS
from playground.ui.sequences_forecast import forecast_tab
from playground.ui.sequences_memory import RUNS as MEMORY_RUNS
from playground.ui.sequences_memory import forgetting_tab
from playground.ui.sequences_rows import rows_view
from playground.ui.session import latest_job
from playground.ui.state import keys

K = keys("seq")
TABS = ["The LSTM cell", "Why plain RNNs forget", "Forecast a series", "Read a digit row by row"]

st.title("Sequences: RNN, LSTM and GRU")
st.caption("A Dense network sees all its inputs at once and forgets them right after. A **recurrent** network "
           "reads a sequence one step at a time and carries a state from step to step: a memory. Here you see "
           "that memory work, fail, and forecast.")

tabs = dict(zip(TABS, st.tabs(TABS, key=K("tab"), bind="query-params")))  # only the open tab runs

with tabs["The LSTM cell"]:
    if tabs["The LSTM cell"].open:
        cell_tab()

with tabs["Why plain RNNs forget"]:
    if tabs["Why plain RNNs forget"].open:
        forgetting_tab()

with tabs["Forecast a series"]:
    if tabs["Forecast a series"].open:
        st.markdown("Read the last values of a real series, predict the next one. A small LSTM (or GRU) and a "
                    "Dense network train side by side on the same windows; both must beat the simplest forecast "
                    "there is: *the next value is the same as the last one*.")
        forecast_tab()

with tabs["Read a digit row by row"]:
    if tabs["Read a digit row by row"].open:
        st.markdown("An image is a sequence too: read a digit as **28 steps of 28 pixels**, top row first, and an "
                    "LSTM classifies MNIST at about 99%. After every row it gives its best guess so far, so you can "
                    "watch it change its mind as more of the digit appears.")
        draw, build = st.columns(2)
        with draw:
            link_to_page("draw.py", "**Draw your own digit** and watch the LSTM read it", icon=":material/draw:")
        with build:
            link_to_page("build_train.py", "**Train one yourself**: the LSTM on MNIST rows preset",
                         {"preset": "lstm-mnist"}, icon=":material/build:")
        test = load_mnist_arrays()
        pick, label = st.columns([1, 3], vertical_alignment="bottom")
        number = 0 if presenter_mode() else int(pick.number_input("MNIST test digit #", 0, len(test["x_test"]) - 1,
                                                                  0, key=K("test_digit"), bind="query-params"))
        digit = test["x_test"][number].astype(np.float32) / 255.0
        label.caption(f"Test digit #{number}: a {int(test['y_test'][number])}.")
        rows_view(digit, K)

page_complete(latest_job(MEMORY_RUNS))
page_complete(latest_job(FORECAST_RUNS))
