"""The Reuse page's ImageNet panel: classify a photo with MobileNet / ResNet50 if their weights are on this machine."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.transfer.imagenet import (
    APPLICATIONS,
    PhotoError,
    available,
    class_names,
    classify,
    how_to_get,
    load_application,
    photo_rgb,
    weights_folder,
)
from playground.ui.presenter import scaled
from playground.ui.state import keys

K = keys("reuse")


def imagenet_tab() -> None:
    st.markdown("The lecture classifies photos with networks trained on **ImageNet** (1.2 million photos, 1,000 "
                "classes): VGG16, ResNet, Inception, MobileNet. Their convolutions are the feature extractors "
                "everyone reuses, exactly as the digit CNN's are reused on the other tabs.")
    found = available()
    if not found:
        st.info(f"No ImageNet weights on this server (looked in `{weights_folder()}`). They are 17–528 MB each, so "
                "they do not ship with the playground, and it never downloads anything.", icon=":material/info:")
        for name in ("mobilenet", "resnet50"):
            st.markdown(f"**{APPLICATIONS[name].title}** · {how_to_get(name)}")
        return
    name = st.selectbox("Network", list(found), key=K("imagenet_model"),
                        format_func=lambda n: f"{APPLICATIONS[n].title} ({APPLICATIONS[n].megabytes} MB)")
    photo = st.file_uploader("A photo", type=["png", "jpg", "jpeg", "webp", "bmp", "gif"], key=K("photo"))
    if photo is None:
        st.caption("Upload a photo of an everyday object: an animal, a cup, a car.")
        return
    app = APPLICATIONS[name]
    try:
        pixels = photo_rgb(photo.getvalue(), app.side)
        with st.spinner(f"Loading {app.title}…"):
            model, preprocess = load_application(name)
        top = classify(model, preprocess, pixels, class_names())
    except PhotoError as error:
        st.error(str(error), icon=":material/broken_image:")
        return
    left, right = st.columns([1, 2], gap="large")
    left.image(pixels, caption=f"What {app.title} sees: {app.side} × {app.side} pixels", width=scaled(260))
    right.dataframe(pd.DataFrame({"class": [c for c, _ in top], "probability": [p for _, p in top]}), hide_index=True,
                    column_config={"probability": st.column_config.ProgressColumn(format="percent", min_value=0,
                                                                                   max_value=1)})
    if class_names() is None:
        right.caption(f"Class names need `imagenet_class_index.json` in `{weights_folder()}`; until then classes "
                      "are shown by number.")
