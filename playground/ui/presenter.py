"""Presenter mode: one switch, kept in session state, that pages read to simplify themselves for a projector."""

from __future__ import annotations

import streamlit as st

KEY = "presenter_mode"


def presenter_mode() -> bool:
    """True while the lecturer has presenter mode on (pages hide advanced controls then)."""
    return bool(st.session_state.get(KEY, False))


def scaled(pixels: int, factor: float = 1.4) -> int:
    """A size in pixels (chart height, canvas side), larger in presenter mode so the back row can read it."""
    return int(pixels * factor) if presenter_mode() else pixels
