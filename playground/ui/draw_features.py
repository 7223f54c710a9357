"""Draw a digit: what the CNN sees (each convolution layer's feature maps for the drawing, the learned filters)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from playground.charts.digits import feature_map_grid, filter_grid
from playground.digits.classifiers import conv_layers, feature_maps, first_conv_filters
from playground.ui.classifiers import Classifier
from playground.ui.presenter import presenter_mode
from playground.ui.state import keys

K = keys("draw")


def what_the_cnn_sees(classifiers: list[Classifier], digit: np.ndarray) -> None:
    """The first (or chosen) CNN's feature maps for the digit, layer by layer, and its first layer's filters."""
    convolutional = {c.key: c for c in classifiers if conv_layers(c.model)}
    st.subheader("What the CNN sees")
    if not convolutional:
        st.info("None of these networks has a convolution layer.")
        return
    chosen = convolutional[next(iter(convolutional))]
    if len(convolutional) > 1 and not presenter_mode():
        chosen = convolutional[st.selectbox("Network", list(convolutional), key=K("feature_model"),
                                            format_func=lambda key: convolutional[key].title)]
    st.caption("Each convolution layer slides its filters over the image below it; a feature map is bright where "
               "its filter found its pattern (an edge, a curve, a stroke end). Deeper layers see bigger patterns.")
    for number, (name, maps) in enumerate(feature_maps(chosen.model, digit), start=1):
        st.markdown(f"**Convolution layer {number}** · {maps.shape[2]} feature maps of "
                    f"{maps.shape[0]} × {maps.shape[1]}", help=f"Keras layer `{name}`")
        st.plotly_chart(feature_map_grid(maps, columns=16), key=K(f"maps_{chosen.key}_{name}"),
                        config={"displayModeBar": False})
    filters = first_conv_filters(chosen.model)
    st.markdown(f"**The {filters.shape[2]} learned filters of the first layer** ({filters.shape[0]} × "
                f"{filters.shape[1]} weights each): red adds where the image is bright, blue subtracts.")
    st.plotly_chart(filter_grid(filters, columns=16), key=K(f"filters_{chosen.key}"), config={"displayModeBar": False})
