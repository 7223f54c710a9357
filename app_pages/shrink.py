"""Shrink a trained network: quantize it to float16 / int8 and prune it, with real file sizes, accuracies and speeds."""

import streamlit as st

from playground.digits.loading import ModelError
from playground.ui.polling import page_complete
from playground.ui.session import latest_job
from playground.ui.shrink import RUNS as QUANTIZE_RUNS
from playground.ui.shrink import pick_model, quantize_tab
from playground.ui.shrink_prune import RUNS as PRUNE_RUNS
from playground.ui.shrink_prune import prune_tab
from playground.ui.state import keys
from playground.ui.url import new_in_link, put_in_link

K = keys("shrink")
TABS = {"Quantize": quantize_tab, "Prune": prune_tab}
# Links: /shrink?preset=int8 (the shipped CNN in int8) or /shrink?preset=prune-80 (80% of its weights removed).
PRESETS = {"int8": {K("tab"): "Quantize", K("model"): "cnn"},
           "prune-80": {K("tab"): "Prune", K("model"): "cnn", K("sparsity"): 80}}

found = new_in_link("shrink", "preset")
if found and found[1] in PRESETS:
    st.session_state.update(PRESETS[found[1]])
elif found:
    st.error(f"Unknown preset {found[1]!r} in the link. Presets: {', '.join(PRESETS)}.")

st.title("Shrink: quantize and prune")
st.caption("A phone or a microcontroller has little memory and no big GPU. A trained network can usually give up "
           "three quarters of its bytes, or most of its weights, and still read digits almost as well. Measure it.")
try:
    with st.spinner("Loading the networks…"):
        candidate = pick_model()
except ModelError as error:
    st.error(str(error))
    st.stop()

tabs = st.tabs(list(TABS), key=K("tab"), bind="query-params")  # only the open tab runs
for tab, render in zip(tabs, TABS.values()):
    with tab:
        if tab.open:
            render(candidate)

for name, settings in PRESETS.items():
    if all(st.session_state.get(key) == value for key, value in settings.items()):
        put_in_link("shrink", "preset", name)
        break
for key in (QUANTIZE_RUNS, PRUNE_RUNS):
    page_complete(latest_job(key))
