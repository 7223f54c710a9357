"""The drawing canvas of the Draw and Reuse pages: a small Streamlit component (canvas.js, components v2).

It sends the drawing as a PNG the moment the pen lifts. (streamlit-drawable-canvas, used before, waits a fixed
200 ms after every stroke before it sends anything, which alone was the whole budget for the answer to appear.)
Mouse, pen and touch all draw; Undo is under the canvas; Clear is the page's (a new key is a new, blank canvas).
"""

from __future__ import annotations

import base64
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from playground.digits.decoding import ImageError, read_picture
from playground.digits.preprocessing import DIGIT_LIMITS

CSS = """
.pg-canvas { display: inline-flex; flex-direction: column; align-items: flex-start; gap: 0.25rem; }
.pg-canvas canvas { touch-action: none; cursor: crosshair; border-radius: 0.25rem; }
.pg-undo { font: inherit; font-size: 0.85rem; padding: 0.15rem 0.6rem; border-radius: 0.4rem; cursor: pointer;
           border: 1px solid rgba(128, 128, 128, 0.4); background: transparent; color: inherit; }
"""


@dataclass(frozen=True)
class Drawing:
    """What the canvas holds: RGBA pixels (None while it is empty) and how many strokes made them."""

    pixels: np.ndarray | None
    strokes: int


@functools.cache
def _component():
    return st.components.v2.component("playground.canvas", html='<div class="pg-canvas"></div>', css=CSS,
                                      js=Path(__file__).with_name("canvas.js").read_text())


def decode(value: object) -> Drawing:
    """The component's value -> a Drawing; anything garbled (or too large to be a canvas) counts as empty."""
    drawing = value.get("drawing") if isinstance(value, dict) else None
    if not isinstance(drawing, dict) or not isinstance(drawing.get("data"), str):
        return Drawing(None, 0)
    header, _, payload = drawing["data"].partition(",")
    strokes = drawing.get("strokes")
    strokes = strokes if isinstance(strokes, int) and strokes >= 0 else 1
    if not header.startswith("data:image/png;base64"):
        return Drawing(None, 0)
    try:
        return Drawing(read_picture(base64.b64decode(payload, validate=True), DIGIT_LIMITS).pixels, strokes)
    except (ValueError, ImageError):
        return Drawing(None, 0)


def drawing_canvas(key: str, side: int, pen: float, ink: str = "#FFFFFF", paper: str = "#000000") -> Drawing:
    """Mount the canvas (side × side CSS pixels, strokes `pen` pixels wide) and return what is drawn on it."""
    value = _component()(data={"side": int(side), "pen": float(pen), "ink": ink, "paper": paper}, key=key,
                         default={"drawing": None}, on_drawing_change=lambda: None, width="content",
                         height="content")
    return decode(value)
