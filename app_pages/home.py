"""Home: what the playground is and where to start."""

import streamlit as st

from playground.ui.navigation import PAGES

st.title("Deep Learning Playground")
st.markdown(
    "Learn deep learning by doing it, with the real thing: every network here is a real **Keras** model, "
    "trained on real data while you watch."
)
for info in PAGES:
    if info.script != "home.py":
        st.page_link(info.path, label=f"**{info.title}** — {info.promise}", icon=info.icon)
