"""Fifty page switches during a run leave it intact: it trains on, and its curves are there when we come back."""

import json
from urllib.parse import quote

from playwright.sync_api import Page, expect

SWITCHES = 50


def test_switching_pages_never_kills_the_run(page: Page, app_url: str):
    spec = {"network": {"layers": [{"kind": "Flatten"}, {"kind": "Dense", "units": 32, "activation": "relu"},
                                   {"kind": "Dense", "units": 10, "activation": "softmax"}]},
            "config": {"dataset": "mnist", "epochs": 40, "batch_size": 16, "train_samples": 55000}}  # minutes
    page.goto(f"{app_url}/build_train?spec={quote(json.dumps(spec))}")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text("Epoch 1/40")).to_be_visible(timeout=60_000)
    sidebar = page.locator("[data-testid=stSidebar]")
    for _ in range(SWITCHES // 2):
        sidebar.get_by_role("link", name="Home").click()
        expect(page.get_by_role("heading", name="Deep Learning Playground")).to_be_visible()
        sidebar.get_by_role("link", name="Build & train").click()
        expect(page.get_by_role("heading", name="Build & train")).to_be_visible()
    # Still the same run, still training, its finished epochs on the chart.
    expect(page.get_by_text("Your network · run 1 · Training")).to_be_visible()
    expect(page.locator("[data-testid=stProgress]")).to_contain_text("/40")
    expect(page.locator(".js-plotly-plot")).to_be_visible()
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=30_000)
    epochs = page.evaluate("() => document.querySelector('.js-plotly-plot').data[0].x.length")
    assert epochs >= 1, "no epoch finished during fifty page switches"
    assert page.get_by_text("· run 1 ·").count() == 1  # never restarted
    assert page.locator("[data-testid=stException]").count() == 0
