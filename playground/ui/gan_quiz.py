"""The GAN page's "Real or fake?" quiz: tick the generated digits among real ones, then check."""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from playground.charts.gan import upscale
from playground.gan.quiz import quiz_round, quiz_score
from playground.ui.gan_samples import show
from playground.ui.presenter import scaled
from playground.ui.state import keys

K = keys("gan")


def _mark(state: dict, index: int, key: str) -> None:
    state["marked"][index] = st.session_state[key]


def quiz(generator: Any) -> None:
    """Real or fake?: tick the digits you think were generated, then check. The ticks are kept in the quiz's
    state, so they survive reruns and visits to other tabs."""
    state = st.session_state.setdefault(K("quiz"), {"round": 0, "generator": None})
    if state["generator"] is not generator or "images" not in state:  # a new round, with fresh checkboxes
        state["round"] += 1
        state.update(quiz_round(generator, seed=1000 + state["round"]).__dict__, generator=generator, checked=False)
        state["marked"] = np.zeros(len(state["images"]), dtype=bool)
    images, fake, marked, checked = state["images"], state["fake"], state["marked"], state["checked"]
    columns = 6
    for row in range(0, len(images), columns):
        for i, column in enumerate(st.columns(columns), start=row):
            if i >= len(images):
                break
            key = K(f"quiz_{state['round']}_{i}")
            show(column, upscale(images[i], 4), scaled(100))
            if checked:
                verdict = ":green[:material/check_circle:]" if fake[i] == marked[i] else ":red[:material/cancel:]"
                column.markdown(f"{verdict} {'**fake**' if fake[i] else 'real'}  \n"
                                f":gray[you said {'fake' if marked[i] else 'real'}]")
            else:
                column.checkbox("fake", value=bool(marked[i]), key=key, on_change=_mark, args=(state, i, key))
    left, right = st.columns(2)
    left.button("Check my answers", type="primary", disabled=checked, key=K("quiz_check"), icon=":material/fact_check:",
                on_click=state.update, kwargs={"checked": True})
    right.button("New round", key=K("quiz_new"), icon=":material/refresh:", on_click=state.pop, args=("images",))
    if checked:
        score = quiz_score(fake, marked)
        text = (f"**{score.right} of {score.total} right.** You spotted {score.fakes_spotted} of the {score.fakes} "
                f"fakes and called {score.reals_called_fake} real digit{'s' * (score.reals_called_fake != 1)} fake.")
        (st.success if score.right == score.total else st.info)(text)
