"""Presenter mode: one switch, kept in session state, that pages read to simplify themselves for a projector."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    import plotly.graph_objects as go

KEY = "presenter_mode"


def presenter_mode() -> bool:
    """True while the lecturer has presenter mode on (pages hide advanced controls then)."""
    return bool(st.session_state.get(KEY, False))


def scaled(pixels: int, factor: float = 1.4) -> int:
    """A size in pixels (chart height, canvas side), larger in presenter mode so the back row can read it."""
    return int(pixels * factor) if presenter_mode() else pixels


# Streamlit sizes its text in rem, so a larger root font scales text, widgets and spacing together; the rest
# enlarges what is sized in px. Plotly charts draw their own text: present_figure() enlarges it.
PRESENTER_CSS = """
<style>
html { font-size: 20px; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 3rem; padding-right: 3rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.2rem; }
[data-testid="stWidgetLabel"] p { font-size: 1.1rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.05rem; }
[data-testid="stSliderThumbValue"] p, [data-testid="stSliderTickBar"] p { font-size: 1rem; }
[data-testid="stMetricValue"] p { font-size: 2.6rem; }
.pg-probabilities { font-size: 1rem !important; }  /* the HTML probability bars (charts/digits.py) */
[data-baseweb="select"] > div, [data-testid="stNumberInputContainer"] input, [data-testid="stTextInputRootElement"] input
  { font-size: 1.1rem; }
[data-testid="stSidebarNav"] [data-testid="stMarkdownContainer"] p { font-size: 16px; }  /* the menu must fit the sidebar */
</style>
"""
FIGURE_FONT = 20


def apply_presenter_style() -> None:
    """While presenter mode is on, inject the projector CSS (app.py calls this once per run, for every page)."""
    if presenter_mode():
        st.html(PRESENTER_CSS)


def present_figure(figure: go.Figure) -> go.Figure:
    """The figure with projector-sized text in presenter mode (changed in place, idempotent; unchanged otherwise)."""
    if not presenter_mode():
        return figure
    # Streamlit's chart theme gives ticks and legends their own sizes, so each is enlarged explicitly.
    figure.update_layout(font_size=FIGURE_FONT, legend_font_size=FIGURE_FONT - 2, title_font_size=FIGURE_FONT + 2)
    figure.update_xaxes(tickfont_size=FIGURE_FONT - 2, title_font_size=FIGURE_FONT)
    figure.update_yaxes(tickfont_size=FIGURE_FONT - 2, title_font_size=FIGURE_FONT)
    for annotation in figure.layout.annotations:  # subplot titles and labels
        annotation.font.size = max(annotation.font.size or 0, FIGURE_FONT - 4)
    return figure


def show_figure(figure: go.Figure, key: str) -> None:
    """st.plotly_chart, full width, without the mode bar, with presenter-sized fonts."""
    st.plotly_chart(present_figure(figure), key=key, width="stretch", config={"displayModeBar": False})
