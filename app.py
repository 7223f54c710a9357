"""Deep Learning Playground: the entry point (page config, navigation, sidebar). Does not import TensorFlow."""

import streamlit as st

from playground.device import describe_device

st.set_page_config(page_title="Deep Learning Playground", page_icon="🧠", layout="wide")

PAGES = {
    "Start": [st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)],
    "Train": [st.Page("app_pages/build_train.py", title="Build & train", icon=":material/build:")],
}

page = st.navigation(PAGES)
with st.sidebar:
    st.caption(f"Trains on: **{describe_device()}**")
page.run()
