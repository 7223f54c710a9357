"""The Streamlit patch: reruns no longer call keras.backend.clear_session(), and a Streamlit that moved what we
patch fails loudly at start-up instead of silently clearing Keras' session again."""

import keras
import pytest
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

from playground.ui import streamlit_patches
from playground.ui.streamlit_patches import StreamlitChanged, keep_keras_session

PAGE = "import streamlit as st\nst.button('again')\n"


def clear_session_calls_over_reruns(monkeypatch, reruns: int = 3) -> int:
    calls = []
    original = keras.backend.clear_session
    monkeypatch.setattr(keras.backend, "clear_session", lambda *a, **k: calls.append(1) or original(*a, **k))
    at = AppTest.from_string(PAGE, default_timeout=60).run()  # keras is imported: Streamlit's clean-up would call it
    for _ in range(reruns):
        at.button[0].click().run()
    assert not at.exception
    return len(calls)


def test_reruns_leave_the_keras_session_alone(monkeypatch):
    keep_keras_session()
    assert clear_session_calls_over_reruns(monkeypatch) == 0


def test_without_the_patch_streamlit_clears_the_session_after_every_run(monkeypatch):
    """The control: the test above would pass vacuously if Streamlit had stopped clearing the session."""
    monkeypatch.setattr(script_runner, streamlit_patches.PATCHED, streamlit_patches.STREAMLIT_CLEAN_UP)
    assert clear_session_calls_over_reruns(monkeypatch) >= 4  # the first run and three reruns


def test_a_renamed_clean_up_fails_loudly(monkeypatch):
    monkeypatch.delattr(script_runner, streamlit_patches.PATCHED)
    with pytest.raises(StreamlitChanged, match="no longer calls script_runner._clean_problem_modules"):
        keep_keras_session()


def test_a_clean_up_that_is_no_longer_called_fails_loudly(monkeypatch):
    def run_script_without_clean_up(self, rerun_data):
        return None

    monkeypatch.setattr(script_runner.ScriptRunner, "_run_script", run_script_without_clean_up)
    with pytest.raises(StreamlitChanged):
        keep_keras_session()
