"""Decision boundaries in Chromium: Play on the spiral moves the boundary while it trains, a click on the plane
adds a point, and a teacher's link hides its controls."""

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

BOX = "[class*=st-key-boundary_map_box]"  # the output map: a picture while training, a chart once paused
CHART = f"{BOX} .js-plotly-plot"
WATCH = ("() => { window.seenMaps = new Set(); window.mapWatch = setInterval(() => {"
         " const img = document.querySelector('" + BOX + " img'); if (img) window.seenMaps.add(img.src); }, 20); }")
SEEN = "() => { clearInterval(window.mapWatch); return window.seenMaps.size; }"
CLICKABLE = ("() => { const p = document.querySelector('" + CHART + "');"
             " return !!(p && p.data && p.data.some(t => t.name === 'plane')); }")  # the click targets are drawn
POINTS_ON_MAP = ("() => { const p = document.querySelector('" + CHART + "');"
                 " const t = p && p.data && p.data.find(t => t.name === 'points'); return t ? t.x.length : -1; }")


def open_boundaries(page: Page, app_url: str, query: str) -> None:
    """Open the page and wait until its network is built and no script runs (a rerun redraws the charts)."""
    page.goto(f"{app_url}/boundaries?{query}")
    expect(page.get_by_text("Epoch 0", exact=False).first).to_be_visible(timeout=180_000)
    page.wait_for_function(CLICKABLE, timeout=60_000)
    expect(page.locator("[data-testid=stStatusWidget]")).to_have_count(0, timeout=60_000)
    page.wait_for_timeout(1_000)


def test_play_on_the_spiral_moves_the_boundary_while_it_trains(page: Page, app_url: str):
    open_boundaries(page, app_url, "preset=spiral")
    page.get_by_role("button", name="Play").click(timeout=60_000)
    page.locator(f"{BOX} img").first.wait_for(timeout=60_000)
    page.evaluate(WATCH)
    page.wait_for_timeout(8_000)
    pictures = page.evaluate(SEEN)
    assert pictures >= 4, f"the boundary was drawn {pictures} times in 8 s of training"
    page.get_by_role("button", name="Pause").click(timeout=60_000)
    expect(page.get_by_text("(paused)", exact=False).first).to_be_visible(timeout=60_000)
    page.wait_for_function(CLICKABLE, timeout=60_000)  # paused: the map is a chart again, ready for clicks
    assert page.locator("[data-testid=stException]").count() == 0


LISTEN = ("() => { const p = document.querySelector('" + CHART + "'); window.chartEvents = [];"
          " p.on('plotly_click', e => window.chartEvents.push('click ' + e.points.length));"
          " p.on('plotly_selected', e => window.chartEvents.push('selected ' + (e ? e.points.length : 0))); }")
UNDER = "([x, y]) => { const e = document.elementFromPoint(x, y); return e ? e.getAttribute('class') : null; }"


def steady_box(page: Page, locator) -> dict:
    """The element's box once it has stopped moving (a chart can still be resizing after it appears)."""
    box = locator.bounding_box()
    for _ in range(20):
        page.wait_for_timeout(250)
        again = locator.bounding_box()
        if again == box:
            return box
        box = again
    return box


def test_a_click_on_the_plane_adds_a_point(page: Page, app_url: str):
    errors: list[str] = []  # the browser's, to say what went wrong if no point appears
    page.on("pageerror", lambda error: errors.append(f"{error.name}: {error.message} {error.stack}"[:800]))
    page.on("console", lambda message: errors.append(message.text[:800]) if message.type == "error" else None)
    open_boundaries(page, app_url, "preset=xor-linear")
    before = page.evaluate(POINTS_ON_MAP)
    page.locator(CHART).first.scroll_into_view_if_needed()
    plane = steady_box(page, page.locator(f"{CHART} .nsewdrag").first)
    x, y = plane["x"] + plane["width"] * 0.52, plane["y"] + plane["height"] * 0.23  # no point there: XOR's gap
    page.evaluate(LISTEN)
    under = page.evaluate(UNDER, [x, y])
    for _ in range(2):  # a second click only if the chart itself never saw the first (the browser lost it)
        page.mouse.move(x - 30, y)
        page.mouse.move(x, y, steps=5)
        expect(page.locator(f"{BOX} .hovertext").first).to_contain_text("click here", timeout=10_000)  # it answers
        page.mouse.click(x, y)
        try:
            page.wait_for_function("() => window.chartEvents === undefined || window.chartEvents.length > 0",
                                   timeout=5_000)
            break
        except PlaywrightTimeout:
            pass
    seen = [before]  # the number of points on the map each time it changed (-1: no chart while a run builds the net)
    for _ in range(180):
        count = page.evaluate(POINTS_ON_MAP)
        if count != seen[-1]:
            seen.append(count)
        if count == before + 1:
            break
        page.wait_for_timeout(250)
    events = page.evaluate("() => window.chartEvents || 'none: the page was loaded again'")
    assert seen[-1] == before + 1, (f"points on the map after a click on {under!r}: {seen}; the chart's events: "
                                    f"{events}; the browser's errors: {errors}; the page said: "
                                    + page.evaluate("() => document.body.innerText")[:1200])
    assert page.locator("[data-testid=stException]").count() == 0


def test_a_teachers_link_hides_its_controls(page: Page, app_url: str):
    open_boundaries(page, app_url, "preset=spiral&hide=features,regularization,layers")
    expect(page.get_by_text("Learning rate", exact=True)).to_be_visible()
    for hidden in ("Input features", "Regularization"):
        expect(page.get_by_text(hidden, exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Add a hidden layer")).to_have_count(0)
    expect(page.get_by_text("Teacher's link", exact=False)).to_have_count(0)
    assert page.locator("[data-testid=stException]").count() == 0
