"""One change to Streamlit's behaviour that live training needs: no keras.backend.clear_session() per rerun.

After every script run (each widget click, each poll of a live chart), Streamlit 1.67 calls
keras.backend.clear_session() once Keras is imported: ScriptRunner._run_script ends with
`_log_if_error(_clean_problem_modules)` (streamlit/runtime/scriptrunner/script_runner.py; no upstream issue asks
to make it optional). That runs a full gc.collect() — about 150 ms with TensorFlow loaded — holding the GIL while
worker threads train, and clears TensorFlow's kernel cache under them. With a room of browsers polling twice a
second it would eat the server. Our models are built in worker threads, whose Keras name state is thread-local and
dies with the thread, so the clean-up buys us nothing.

The patch replaces that module-level function, which ScriptRunner looks up by name at every run. If a Streamlit
upgrade renames or stops calling it, keep_keras_session() raises at start-up instead of silently doing nothing;
tests/test_streamlit_patches.py checks that clear_session is no longer called after a rerun.
"""

from __future__ import annotations

import sys

from streamlit.runtime.scriptrunner import script_runner

PATCHED = "_clean_problem_modules"
STREAMLIT_CLEAN_UP = getattr(script_runner, PATCHED, None)  # Streamlit's own, for tests that compare with it


class StreamlitChanged(RuntimeError):
    """The Streamlit internals this module patches are not where they were: the patch must be redone."""


def _close_matplotlib_figures() -> None:
    """The other half of Streamlit's clean-up, kept as it was."""
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def check_patch_target() -> None:
    """Raise StreamlitChanged unless ScriptRunner still calls script_runner._clean_problem_modules by name."""
    import streamlit

    runner = getattr(script_runner, "ScriptRunner", None)
    run_script = getattr(runner, "_run_script", None)
    if not callable(getattr(script_runner, PATCHED, None)) or PATCHED not in getattr(
            getattr(run_script, "__code__", None), "co_names", ()):
        raise StreamlitChanged(
            f"Streamlit {streamlit.__version__} no longer calls script_runner.{PATCHED}() after each run, which "
            "playground/ui/streamlit_patches.py replaces so that reruns do not call keras.backend.clear_session(). "
            "Find where this Streamlit clears Keras' session and patch that instead (or pin streamlit).")


def keep_keras_session() -> None:
    """Replace Streamlit's per-rerun clean-up with one that leaves Keras alone (idempotent)."""
    check_patch_target()
    setattr(script_runner, PATCHED, _close_matplotlib_figures)
