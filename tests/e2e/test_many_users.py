"""A lecture hall: eight browsers press Train at once; each sees its own run; runs over the limit wait, then run."""

import json
import time
from urllib.parse import quote

from playwright.sync_api import Browser, Page, expect

USERS = 8


def tiny_spec_url(app_url: str, epochs: int, seed: int) -> str:
    spec = {"network": {"layers": [{"kind": "Flatten"}, {"kind": "Dense", "units": 8, "activation": "relu"},
                                   {"kind": "Dense", "units": 10, "activation": "softmax"}]},
            "config": {"dataset": "mnist", "epochs": epochs, "batch_size": 32, "train_samples": 3000, "seed": seed}}
    return f"{app_url}/build_train?spec={quote(json.dumps(spec))}"


def chart_points(page: Page) -> int:
    return page.evaluate("() => { const p = document.querySelector('.js-plotly-plot');"
                         " return p && p.data && p.data.length ? p.data[0].x.length : 0; }")


# Notes in the page itself whether "Waiting for a free training slot" was ever on screen: a wait can be shorter than
# one round of polling eight pages from the test.
WATCH_WAITING = """() => { window.sawWaiting = false; new MutationObserver(() => {
  if (!window.sawWaiting && document.body.textContent.includes('Waiting for a free training slot')) {
    window.sawWaiting = true; } }).observe(document.body, {subtree: true, childList: true, characterData: true}); }"""


def test_eight_users_train_at_once(browser: Browser, app_url: str):
    contexts = [browser.new_context(viewport={"width": 1200, "height": 900}) for _ in range(USERS)]
    try:
        pages = [context.new_page() for context in contexts]
        epochs = [2 + i % 2 for i in range(USERS)]  # every other user trains one epoch more: each must see its own
        for i, page in enumerate(pages):
            page.goto(tiny_spec_url(app_url, epochs[i], seed=i))
            expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=60_000)
            page.evaluate(WATCH_WAITING)
        for page in pages:
            page.get_by_role("button", name="Train", exact=True).click()

        finished = [False] * USERS
        deadline = time.monotonic() + 420
        while not all(finished):
            assert time.monotonic() < deadline, f"not all runs finished: {finished}"
            for i, page in enumerate(pages):
                if not finished[i]:
                    finished[i] = page.get_by_text(f"Finished {epochs[i]} epochs.").count() > 0
            time.sleep(0.3)

        waited = sum(page.evaluate("() => window.sawWaiting") for page in pages)
        assert waited > 0, "no run ever waited for a slot although 8 > the limit of 2"
        for i, page in enumerate(pages):
            assert chart_points(page) == epochs[i]
            assert page.get_by_text("Your network · run 1").count() == 1  # its own first run, not someone else's
            assert page.locator("[data-testid=stException]").count() == 0
    finally:  # eight open sessions would slow every later test
        for context in contexts:
            context.close()
