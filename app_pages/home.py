"""Home: what the playground is, a card per page, the device, and the way into the lecture. No TensorFlow here."""

from pathlib import Path

import streamlit as st

from playground.core.device import describe_device
from playground.ui.links import link_to_page
from playground.ui.navigation import PAGES
from playground.ui.presenter import presenter_mode

THUMBNAILS = Path(__file__).resolve().parent.parent / "assets" / "thumbnails"
COLUMNS = 3


def thumbnail(script: str) -> Path | None:
    """The page's screenshot (assets/thumbnails/<page>.png, made by make_thumbnails.py), if there is one."""
    path = THUMBNAILS / f"{script.removesuffix('.py')}.png"
    return path if path.is_file() else None


st.title("Deep Learning Playground")
st.markdown(
    "Learn deep learning by doing it, with the real thing. Start from a single neuron, then build networks layer by "
    "layer and train them on real handwritten digits while the curves move every epoch. Every network here is a "
    "real **Keras** model; every formula is shown with its numbers."
)
intro, device = st.columns([3, 1], vertical_alignment="center")
with intro:
    link_to_page("lecture.py", "**Start the lecture**: the demos in order, one click each", icon=":material/school:")
device.caption(f"Trains on: **{describe_device()}**")

cards = [info for info in PAGES if info.script != "home.py"]
sections = list(dict.fromkeys(info.section for info in cards))
per_row = COLUMNS if not presenter_mode() else 2
for section in sections:
    st.subheader(section)
    pages = [info for info in cards if info.section == section]
    for start in range(0, len(pages), per_row):
        for column, info in zip(st.columns(per_row, gap="medium"), pages[start:start + per_row]):
            with column.container(border=True, height="stretch"):
                image = thumbnail(info.script)
                if image is not None:
                    st.image(str(image), width="stretch")
                link_to_page(info.script, f"**{info.title}**", icon=info.icon)
                st.caption(info.promise)
