"""Deep Learning Playground: the entry point (page config, navigation, sidebar). Does not import TensorFlow."""

import streamlit as st

from playground.jobs.backends import where_jobs_run
from playground.ui.navigation import navigation
from playground.ui.presenter import KEY as PRESENTER_KEY
from playground.ui.presenter import apply_presenter_style
from playground.ui.session import keep_session_alive
from playground.ui.streamlit_patches import keep_keras_session

keep_keras_session()  # before any page imports Keras: see the module's docstring

st.set_page_config(page_title="Deep Learning Playground", page_icon="🧠", layout="wide")

keep_session_alive()
page = navigation()
with st.sidebar:
    st.toggle("Presenter mode", key=PRESENTER_KEY, help="Bigger text and charts, fewer controls: for a projector.")
    st.caption(f"Trains on: **{where_jobs_run()}**")
apply_presenter_style()
page.run()
