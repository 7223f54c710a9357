"""Screenshots of every page for the Home page's cards: starts the app, opens each page in Chromium, saves a small PNG.

    .venv/bin/python assets/thumbnails/make_thumbnails.py            # every page of playground.ui.navigation.PAGES
    .venv/bin/python assets/thumbnails/make_thumbnails.py draw gan   # only these pages

Writes assets/thumbnails/<page>.png (480×300). Rerun it after adding or changing a page; a page without a thumbnail
simply gets a card without a picture.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import launch_chromium, running_app  # noqa: E402
from playground.ui.navigation import PAGES  # noqa: E402

VIEWPORT = {"width": 1100, "height": 900}
SIDEBAR = 304  # px: the shot starts right of the sidebar and its border: the page's own content only
SIZE = (480, 300)
# Pages whose top is all controls: (query, the buttons that start and stop a few seconds of training, the element the
# shot starts at the left of, the element it is centred on vertically).
FOCUS = {"boundaries": ("?preset=spiral", ("Play", "Pause"), "[class*=st-key-boundary_network_box]",
                        "[class*=st-key-boundary_network_box]")}


def wait_until_drawn(page, quiet_seconds: float = 2.0, limit: float = 90.0) -> None:
    """Until the script run has ended and no chart, image or canvas has appeared for `quiet_seconds`."""
    page.locator("h1").first.wait_for(timeout=60_000)
    count = "() => document.querySelectorAll('.js-plotly-plot, img, canvas, [data-testid=stDataFrame]').length"
    deadline, last, since = time.monotonic() + limit, -1, time.monotonic()
    while time.monotonic() < deadline:
        now = page.evaluate(count)
        busy = page.locator("[data-testid=stStatusWidget]").count() > 0
        if now != last or busy:
            last, since = now, time.monotonic()
        elif time.monotonic() - since > quiet_seconds:
            return
        page.wait_for_timeout(250)


def shoot(page, url: str, target: Path) -> None:
    from PIL import Image

    query, buttons, start, centre = FOCUS.get(target.stem, ("", None, None, None))
    page.goto(url + query)
    wait_until_drawn(page)
    left, top = SIDEBAR, 60
    if buttons:
        page.get_by_role("button", name=buttons[0]).click()
        page.wait_for_timeout(5_000)
        page.get_by_role("button", name=buttons[1]).click()
        wait_until_drawn(page)
    if start:
        page.locator(centre).first.scroll_into_view_if_needed()
        left = max(SIDEBAR, page.locator(start).first.bounding_box()["x"] - 10)
    width = VIEWPORT["width"] - 20 - left
    height = width * SIZE[1] // SIZE[0]
    if centre:
        box = page.locator(centre).first.bounding_box()
        top = max(0, box["y"] + box["height"] / 2 - height / 2)
    raw = target.with_suffix(".full.png")
    page.screenshot(path=str(raw), clip={"x": left, "y": top, "width": width, "height": height})
    with Image.open(raw) as image:
        image.convert("RGB").resize(SIZE, Image.LANCZOS).save(target, optimize=True)
    raw.unlink()


def main(names: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    pages = [info for info in PAGES if info.script != "home.py" and (not names or info.url in names)]
    with running_app() as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport=VIEWPORT)
        for info in pages:
            target = HERE / f"{info.url}.png"
            shoot(page, f"{base}/{info.url}", target)
            print(f"{target.relative_to(ROOT)}  ({info.title})")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
