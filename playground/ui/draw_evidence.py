"""Draw a digit: why a network answered what it did (occlusion maps for its answer and the runner-up)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from playground.charts.digits import evidence_image
from playground.digits.classifiers import conv_layers
from playground.digits.saliency import PATCH, Evidence, occlusion
from playground.ui.classifiers import Classifier
from playground.ui.presenter import presenter_mode, scaled
from playground.ui.state import keys

K = keys("draw")
CHOSEN = K("evidence_model")  # the network whose evidence is shown (its selectbox sits below the maps)
_LAST = K("evidence")  # (classifier key, its model's id, digit bytes, evidence): reruns that change none reuse it


def _evidence(classifier: Classifier, digit: np.ndarray) -> list[Evidence]:
    asked = (classifier.key, id(classifier.model), digit.tobytes())
    last = st.session_state.get(_LAST)
    if last is not None and last[:3] == asked:
        return last[3]
    found = occlusion(classifier.model, digit)
    st.session_state[_LAST] = (*asked, found)
    return found


def _networks(classifiers: list[Classifier]) -> dict[str, Classifier]:
    """The networks that can be asked, a CNN first when there is one; the chosen one's key is in CHOSEN."""
    convolutional = [c for c in classifiers if conv_layers(c.model)]
    ordered = convolutional + [c for c in classifiers if c not in convolutional]
    by_key = {c.key: c for c in ordered}
    if st.session_state.get(CHOSEN) not in by_key:  # first visit, or that network is gone (an upload replaced)
        st.session_state[CHOSEN] = ordered[0].key
    return by_key


def work_out_evidence(classifiers: list[Classifier], digit: np.ndarray) -> None:
    """Compute the chosen network's evidence now, drawing nothing (why_it_answered then reuses it)."""
    _evidence(_networks(classifiers)[st.session_state[CHOSEN]], digit)


def why_it_answered(classifiers: list[Classifier], digit: np.ndarray) -> None:
    """The chosen network's evidence for its answer and for its runner-up, side by side on the same colour scale."""
    by_key = _networks(classifiers)
    chosen = by_key[st.session_state[CHOSEN]]
    top, runner_up = _evidence(chosen, digit)
    st.subheader(f"Why the {chosen.title} said {top.digit}, not {runner_up.digit}")
    values = np.abs(np.stack([top.map, runner_up.map]))
    limit = max(float(values[np.isfinite(values)].max(initial=0.0)), 1e-6)  # one colour scale for both maps
    for column, evidence in zip(st.columns(2), (top, runner_up)):
        column.plotly_chart(evidence_image(evidence.map, limit, height=scaled(260),
                                           title=f"Evidence for {evidence.digit} ({evidence.probability:.1%})"),
                            key=K(f"evidence_{evidence.digit}"), config={"displayModeBar": False})
    st.caption(f"Occlusion: each {PATCH} × {PATCH} square of ink was erased in turn and the network asked again. "
               f"**Red** ink pushed the answer towards that digit (erasing it lowers the network's log-odds for it), "
               f"**blue** ink pushed away from it. The red strokes on the left made it say {top.digit}; the right "
               f"map shows which strokes looked like a {runner_up.digit}.")
    if len(by_key) > 1 and not presenter_mode():
        st.columns([1, 2])[0].selectbox("Ask another network", list(by_key), key=CHOSEN,
                                        format_func=lambda key: by_key[key].title)
