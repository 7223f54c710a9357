"""Draw a digit in Chromium: mouse strokes on the real canvas, the CNN's metric reads the digit, why it answered;
Undo takes the last stroke back, Clear empties it; a scribble is answered "not sure"."""

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tools.server import draw

ROOT = Path(__file__).resolve().parents[2]

SEVEN = [[(70, 60), (210, 60), (210, 62), (120, 235)]]  # one stroke: the bar, then down, in canvas pixels
FOUR = [[(90, 40), (70, 160), (210, 160)], [(170, 90), (170, 250)]]  # an open 4: two strokes


def metric_value(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stMetric").filter(has=page.get_by_text(label, exact=True)).get_by_test_id(
        "stMetricValue")


def open_canvas(page: Page, app_url: str) -> Locator:
    """The Draw page, once its (first) canvas is on screen."""
    page.goto(f"{app_url}/draw")
    canvas = page.locator(".st-key-draw_canvas_0 canvas")
    expect(canvas).to_be_visible(timeout=60_000)
    return canvas


def test_draw_a_seven_then_a_four_with_the_mouse(page: Page, app_url: str):
    canvas = open_canvas(page, app_url)
    expect(page.get_by_text("Draw a digit on the canvas.")).to_be_visible()
    draw(page, canvas, SEVEN)
    expect(metric_value(page, "CNN")).to_have_text("7", timeout=60_000)
    expect(metric_value(page, "MLP")).to_have_text("7")
    expect(page.get_by_role("heading", name="Why the CNN said 7, not", exact=False)).to_be_visible(timeout=30_000)
    for title in ("Evidence for 7 (", "Evidence for "):  # the answer's map, then the runner-up's beside it
        expect(page.locator(".js-plotly-plot .gtitle", has_text=title).first).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Undo").click()  # the only stroke goes: an empty canvas again
    expect(page.get_by_text("Draw a digit on the canvas.")).to_be_visible(timeout=30_000)
    draw(page, canvas, SEVEN)
    expect(metric_value(page, "CNN")).to_have_text("7", timeout=60_000)
    page.get_by_role("button", name="Clear").click()
    expect(page.get_by_text("Draw a digit on the canvas.")).to_be_visible(timeout=30_000)
    canvas = page.locator(".st-key-draw_canvas_1 canvas")  # Clear made a new canvas: wait for it
    expect(canvas).to_be_visible(timeout=30_000)
    draw(page, canvas, FOUR)
    expect(metric_value(page, "CNN")).to_have_text("4", timeout=60_000)
    # An uploaded model file (here the shipped CNN's) is rebuilt by the engine and joins the comparison.
    page.get_by_text("Use your own model (.keras)").click()
    page.locator(".st-key-draw_model_upload input[type=file]").set_input_files(str(ROOT / "assets/models/cnn.keras"))
    expect(metric_value(page, "Your file: cnn.keras")).to_have_text("4", timeout=60_000)
    assert page.locator("[data-testid=stException]").count() == 0


SCRIBBLE = [[(40 + 200 * (i % 2), 40 + 10 * i) for i in range(21)], [(40 + 10 * i, 40 + 200 * (i % 2)) for i in range(21)]]


def test_a_scribble_is_answered_not_sure(page: Page, app_url: str):
    canvas = open_canvas(page, app_url)
    draw(page, canvas, SCRIBBLE)
    expect(metric_value(page, "CNN")).to_have_text("not sure", timeout=60_000)
    expect(page.get_by_text("Not sure:", exact=False).first).to_be_visible()
    assert page.locator("[data-testid=stException]").count() == 0
