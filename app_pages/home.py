"""Home: what the playground is and where to start."""

import streamlit as st

st.title("Deep Learning Playground")
st.markdown(
    "Learn deep learning by doing it, with the real thing: every network here is a real **Keras** model, "
    "trained on real data while you watch."
)
st.page_link("app_pages/build_train.py", label="Build & train a network", icon=":material/build:")
