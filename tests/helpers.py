"""Shared test helpers: open an app page in AppTest, wait for a condition."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from playground.ui.streamlit_patches import keep_keras_session

ROOT = Path(__file__).resolve().parents[1]


def open_page(page: str, query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    """Run app_pages/<page>.py once in AppTest, with optional URL query parameters."""
    keep_keras_session()  # as app.py does: AppTest runs the page without it
    at = AppTest.from_file(str(ROOT / "app_pages" / f"{page}.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def rerun_until(at: AppTest, condition: Callable[[AppTest], bool], seconds: float = 120) -> AppTest:
    """Rerun the page every half second (as a polling fragment would) until `condition` holds."""
    deadline = time.monotonic() + seconds
    while not condition(at):
        assert time.monotonic() < deadline, "timed out waiting for the page"
        time.sleep(0.5)
        at.run()
    return at
