"""The drawing canvas of the Reuse page's symbol and handwriting tabs (the Draw page's canvas), with a Clear button."""

from __future__ import annotations

import numpy as np
import streamlit as st

from playground.digits.preprocessing import CANVAS_SIDE, DEFAULT_STROKE
from playground.ui.canvas import drawing_canvas
from playground.ui.presenter import scaled
from playground.ui.state import keys

K = keys("reuse")


def clear(name: str) -> None:
    """Empty the canvas `name`: a new generation means a new (blank) canvas widget."""
    generation = K(f"{name}_generation")
    st.session_state[generation] = st.session_state.get(generation, 0) + 1


def drawing(name: str) -> tuple[np.ndarray | None, int]:
    """The canvas `name` (its widget key is reuse_<name>_<generation>): RGBA pixels (None until something is drawn)
    and how many strokes they hold (the page says so: a ✗ is one drawing of two strokes, not two drawings)."""
    generation = st.session_state.setdefault(K(f"{name}_generation"), 0)
    side = scaled(CANVAS_SIDE)
    drawn = drawing_canvas(K(f"{name}_{generation}"), side, DEFAULT_STROKE * side / CANVAS_SIDE)
    return drawn.pixels, drawn.strokes
