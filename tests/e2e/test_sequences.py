"""Sequences in Chromium: a live forecast adds points to its curves; the LSTM reads a drawn digit row by row."""

import time

from playwright.sync_api import Page, expect

from tests.e2e.test_draw import SEVEN, metric_value, open_canvas
from tools.server import draw


def curve_points(page: Page, key: str) -> int:
    """Epochs on a chart (its first trace), read from Plotly's own data."""
    return page.evaluate("(key) => { const p = document.querySelector(`.st-key-${key} .js-plotly-plot`);"
                         " return p && p.data && p.data.length ? p.data[0].x.length : 0; }", key)


def test_a_live_forecast_adds_points_to_its_curves_and_stops(page: Page, app_url: str):
    page.goto(f"{app_url}/sequences?seq_tab=Forecast+a+series&preset=sunspots")  # 2,000 windows: seconds per epoch
    train = page.get_by_role("button", name="Train both networks")
    expect(train).to_be_enabled(timeout=60_000)
    train.click()
    seen = set()
    deadline = time.monotonic() + 240
    while len({n for n in seen if n > 0}) < 2:  # two different epoch counts: the chart grew while we watched
        assert time.monotonic() < deadline, f"the curves did not grow: {seen}"
        seen.add(curve_points(page, "seq_forecast_curves"))
        page.wait_for_timeout(200)
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(page.get_by_text("The test period")).to_be_visible(timeout=60_000)  # scored with the epochs it had
    expect(train).to_be_enabled(timeout=30_000)
    assert curve_points(page, "seq_forecast_curves") >= 2
    assert page.locator("[data-testid=stException]").count() == 0


def test_the_lstm_reads_a_drawn_seven_row_by_row(page: Page, app_url: str):
    canvas = open_canvas(page, app_url)
    draw(page, canvas, SEVEN)
    expect(metric_value(page, "CNN")).to_have_text("7", timeout=60_000)
    page.get_by_text("The LSTM reads your digit row by row").click()
    heatmap = page.locator(".st-key-draw_rows_heatmap .js-plotly-plot")
    expect(heatmap).to_be_visible(timeout=60_000)
    expect(page.get_by_text("it says 7").first).to_be_visible()
    shape = page.evaluate("() => { const p = document.querySelector('.st-key-draw_rows_heatmap .js-plotly-plot');"
                          " return [p.data[0].z.length, p.data[0].z[0].length]; }")
    assert shape == [10, 28]  # ten digits, an answer after each of the 28 rows
    page.get_by_role("slider", name="Rows read so far").press("Home")  # back to the first row only
    expect(page.get_by_text("After row 1", exact=False).first).to_be_visible(timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0
