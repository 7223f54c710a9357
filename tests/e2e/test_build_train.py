"""Build & train in Chromium: train 2 epochs and watch the chart grow; stop a long run; no exception anywhere."""

import json
import time
from urllib.parse import quote

from playwright.sync_api import Page, expect


def spec_url(app_url: str, epochs: int, samples: int, batch: int) -> str:
    spec = {"network": {"layers": [{"kind": "Flatten"}, {"kind": "Dense", "units": 16, "activation": "relu"},
                                   {"kind": "Dense", "units": 10, "activation": "softmax"}]},
            "config": {"dataset": "mnist", "epochs": epochs, "batch_size": batch, "train_samples": samples}}
    return f"{app_url}/build_train?spec={quote(json.dumps(spec))}"


def chart_points(page: Page) -> int:
    """Epochs drawn on the accuracy chart (its first trace), read from Plotly's own data."""
    return page.evaluate("() => { const p = document.querySelector('.js-plotly-plot');"
                         " return p && p.data && p.data.length ? p.data[0].x.length : 0; }")


def test_train_two_epochs_and_watch_the_chart_grow(page: Page, app_url: str):
    page.goto(spec_url(app_url, epochs=2, samples=20000, batch=8))  # a few seconds per epoch: time to look
    page.get_by_role("button", name="Train", exact=True).click()
    seen = set()
    deadline = time.monotonic() + 180
    while not page.get_by_text("Finished 2 epochs.").is_visible():
        assert time.monotonic() < deadline, "training did not finish"
        seen.add(chart_points(page))
        page.wait_for_timeout(150)
    # Plotly redraws just after Streamlit shows the text: give the chart a moment to catch up.
    page.wait_for_function("() => { const p = document.querySelector('.js-plotly-plot');"
                           " return p && p.data && p.data.length && p.data[0].x.length === 2; }", timeout=15_000)
    assert 1 in seen, f"the chart never showed epoch 1 alone: {seen}"
    expect(page.get_by_text("training", exact=True).first).to_be_visible()
    assert page.locator("[data-testid=stException]").count() == 0


def test_stop_ends_a_long_run(page: Page, app_url: str):
    page.goto(spec_url(app_url, epochs=100, samples=55000, batch=16))
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text("Epoch 1/100")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(page.get_by_text("Stopped", exact=False).first).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0
