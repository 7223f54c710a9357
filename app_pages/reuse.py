"""Reuse a trained network: transfer learning measured, teach it new symbols, adapt it to your handwriting, ImageNet."""

import streamlit as st

from playground.ui.polling import page_complete
from playground.ui.session import latest_job
from playground.ui.state import keys
from playground.ui.transfer import RUNS as TRANSFER_RUNS
from playground.ui.transfer import experiment_tab
from playground.ui.transfer_adapt import RUNS as ADAPT_RUNS
from playground.ui.transfer_adapt import adapt_tab
from playground.ui.transfer_imagenet import imagenet_tab
from playground.ui.transfer_symbols import RUNS as SYMBOL_RUNS
from playground.ui.transfer_symbols import symbols_tab

K = keys("reuse")
TABS = {
    "Transfer, measured": experiment_tab,
    "Teach it new symbols": symbols_tab,
    "Adapt to my handwriting": adapt_tab,
    "ImageNet networks": imagenet_tab,
}

st.title("Reuse: transfer learning")
st.caption("Nobody trains from scratch when a trained network exists. Keep what it learned (its convolution "
           "filters), replace what is specific to its old task (its head), and a few examples are enough.")

tabs = st.tabs(list(TABS), key=K("tab"), bind="query-params")  # only the open tab runs
for tab, render in zip(tabs, TABS.values()):
    with tab:
        if tab.open:
            render()

for key in (TRANSFER_RUNS, SYMBOL_RUNS, ADAPT_RUNS):
    page_complete(latest_job(key))
