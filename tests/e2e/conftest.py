"""Browser tests: one Streamlit server for the session, Debian's Chromium driven by pytest-playwright."""

from __future__ import annotations

import os

import pytest

from tools.server import CHROMIUM, ROOT, SERVER_LOG, free_port, start_server, stop_server  # noqa: F401 (used by tests)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's own browser download cannot work offline: use the system Chromium.
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


@pytest.fixture(scope="session")
def app_url():
    """The base URL of a Streamlit server running app.py for the whole test session."""
    process, url = start_server()
    yield url
    stop_server(process)
