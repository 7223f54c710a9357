"""Presenter mode in Chromium: turn it on, open every lecture demo from the Lecture page, no exception anywhere;
toggling it keeps what was on the page."""

import re

import pytest
from playwright.sync_api import Page, expect

from playground.core.presets import PRESETS
from playground.ui.navigation import PAGES
from tests.test_page_lecture import EXPECTED

REGISTERED = {info.url for info in PAGES}


def settle(page: Page) -> None:
    """Wait until the page has a title and Streamlit has finished running the script (pages that poll a live
    fragment may never stop showing the running indicator: then a few seconds are enough)."""
    expect(page.locator("h1").first).to_be_visible(timeout=60_000)
    try:
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=20_000)
    except AssertionError:
        pass


def presenter_switch(page: Page):
    return page.get_by_test_id("stSidebar").get_by_role("switch", name="Presenter mode")


def turn_presenter_mode(page: Page, on: bool) -> None:
    switch = presenter_switch(page)
    if switch.is_checked() != on:
        page.get_by_test_id("stSidebar").get_by_text("Presenter mode").click()
    expect(switch).to_be_checked(checked=on)
    # The projector CSS enlarges the root font: once it has (or has gone) the layout has stopped moving.
    page.wait_for_function(f"() => getComputedStyle(document.documentElement).fontSize "
                           f"{'!=' if on else '=='} '16px'", timeout=30_000)
    settle(page)


@pytest.mark.parametrize(("title", "url"), EXPECTED, ids=[url for _, url in EXPECTED])
def test_each_lecture_link_opens_its_demo_in_presenter_mode(page: Page, app_url: str, title: str, url: str):
    script, _, query = url.partition("?")
    if script not in REGISTERED:
        pytest.skip(f"{script}.py is not in playground.ui.navigation.PAGES yet (another engineer is building it)")
    page.goto(f"{app_url}/lecture")
    settle(page)
    turn_presenter_mode(page, True)
    number = [t for t, _ in EXPECTED].index(title) + 1
    card = page.get_by_test_id("stHorizontalBlock").filter(has_text=f"{number}. {title}")  # a demo's row
    card.get_by_role("link", name="Open").click()
    expect(page).to_have_url(re.compile(rf"/{script}(\?|$)"), timeout=30_000)
    settle(page)
    if query:
        assert query in page.url
    if script == "build_train":  # the preset was loaded, not only put in the URL
        expect(page.get_by_text(PRESETS[query.removeprefix("preset=")].lesson)).to_be_visible()
    assert presenter_switch(page).is_checked(), "presenter mode was lost on the way"
    assert page.get_by_test_id("stException").count() == 0


def test_toggling_presenter_mode_keeps_the_page_state(page: Page, app_url: str):
    page.goto(f"{app_url}/gradient_descent?descent_lr=0.3")
    settle(page)
    for _ in range(2):
        page.get_by_role("button", name="Step", exact=True).click()
        settle(page)
    expect(page.get_by_text("Step 2:")).to_be_visible()
    turn_presenter_mode(page, True)
    expect(page.get_by_text("Step 2:")).to_be_visible()
    assert "descent_lr=0.3" in page.url
    turn_presenter_mode(page, False)
    expect(page.get_by_text("Step 2:")).to_be_visible()
    assert page.get_by_test_id("stException").count() == 0
