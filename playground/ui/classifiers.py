"""The digit classifiers a page can ask: the shipped MLP and CNN, this session's MNIST runs, an uploaded .keras."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from playground.digits.classifiers import SHIPPED, load_shipped_model
from playground.digits.loading import ModelError, load_model_bytes
from playground.ui.session import trained_runs
from playground.ui.state import keys

K = keys("draw")  # the Draw page asks these classifiers
UPLOADED_KEY = K("uploaded_classifier")
_BEST_MODELS_KEY = K("best_epoch_models")


@dataclass(frozen=True)
class Classifier:
    """A model that turns a 28×28 digit into 10 probabilities, with the name the page shows for it."""

    key: str  # stable part of widget keys
    title: str
    model: Any
    note: str


def _best_epoch_model(run: Any, epoch: int) -> Any:
    """A copy of the run's model holding its best epoch's weights (the run's own model keeps its weights)."""
    cache = st.session_state.setdefault(_BEST_MODELS_KEY, {})
    key = (id(run), epoch)
    if key not in cache:
        import keras

        model = keras.models.clone_model(run.model)
        model.set_weights(run.checkpoints[epoch])
        cache.clear()  # one copy per session is plenty: the newest run's best epoch
        cache[key] = model
    return cache[key]


def session_classifiers(include_best: bool = True) -> list[Classifier]:
    """This session's finished MNIST runs: each run's model as it is now, and its best epoch's weights."""
    found = []
    for number, run in enumerate(trained_runs("mnist", "mnist-rows")):  # both read a 28 × 28 digit
        found.append(Classifier(f"run{number}", f"{run.name} · epoch {run.weights_epoch}", run.model,
                                "Trained by you on the Build & train page."))
        best = run.best_epoch
        if include_best and best is not None and best != run.weights_epoch and best in run.checkpoints:
            found.append(Classifier(f"run{number}_best", f"{run.name} · best epoch {best}",
                                    _best_epoch_model(run, best),
                                    "Your run's weights from the epoch with the best validation accuracy."))
    return found


def available_classifiers(include_best: bool = True) -> list[Classifier]:
    """Shipped models first, then the session's runs, then an uploaded model."""
    found = [Classifier(name, info.title, load_shipped_model(name), info.description) for name, info in SHIPPED.items()]
    found += session_classifiers(include_best)
    uploaded = st.session_state.get(UPLOADED_KEY)
    if uploaded is not None:
        found.append(uploaded)
    return found


def upload_classifier(name: str, data: bytes) -> str | None:
    """Load an uploaded .keras file for this session (the engine rebuilds it, weights only); an error message or None."""
    try:
        model = load_model_bytes(data)
    except ModelError as error:
        return str(error)
    st.session_state[UPLOADED_KEY] = Classifier("uploaded", f"Your file: {name}", model, "Uploaded by you.")
    return None
