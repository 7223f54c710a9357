"""Run the whole app (app.py) in AppTest and go to one page: st.page_link, the sidebar and presenter mode work there."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from playground.ui.presenter import KEY as PRESENTER_KEY
from tests.helpers import ROOT


def open_in_app(page: str | None = None, presenting: bool = False, timeout: float = 60) -> AppTest:
    """app.py on Home, or on app_pages/<page>.py, with presenter mode on or off."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout).run()
    if page is not None:
        at.switch_page(f"app_pages/{page}.py").run()
    if presenting:
        set_presenter_mode(at, True)
    return at


def set_presenter_mode(at: AppTest, on: bool) -> AppTest:
    return at.toggle(key=PRESENTER_KEY).set_value(on).run()
