"""One change to Streamlit's behaviour that live training needs: no keras.backend.clear_session() per rerun.

After every script run (each widget click, each poll of a live chart), Streamlit 1.67 calls
keras.backend.clear_session() once Keras is imported (script_runner._clean_problem_modules). That runs a full
gc.collect() — about 150 ms with TensorFlow loaded — holding the GIL while worker threads train, and clears
TensorFlow's kernel cache under them. With a room of browsers polling twice a second it would eat the server.
Our models are built in worker threads, whose Keras name state is thread-local and dies with the thread, so the
clean-up buys us nothing.
"""

from __future__ import annotations

import sys

from streamlit.runtime.scriptrunner import script_runner


def _close_matplotlib_figures() -> None:
    """The other half of Streamlit's clean-up, kept as it was."""
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def keep_keras_session() -> None:
    """Replace Streamlit's per-rerun clean-up with one that leaves Keras alone (idempotent)."""
    script_runner._clean_problem_modules = _close_matplotlib_figures
