"""Optimizers page in Chromium: the race animation plays, pauses and resumes; a click on the map moves the start."""

from playwright.sync_api import Page, expect

ACTIVE_STEP = "() => { const p = document.querySelector('.js-plotly-plot'); return p.layout.sliders[0].active; }"


def open_race(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/optimizers?preset=momentum")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=180_000)
    expect(page.get_by_text("Play", exact=False).first).to_be_visible()


def frames_seen(page: Page, milliseconds: int) -> list[int]:
    seen = []
    for _ in range(milliseconds // 100):
        page.wait_for_timeout(100)
        seen.append(page.evaluate(ACTIVE_STEP))
    return seen


def test_replay_pause_and_play_move_the_step_slider(page: Page, app_url: str):
    open_race(page, app_url)
    last = page.evaluate(ACTIVE_STEP)
    assert last > 10  # the page opens on the finished race
    page.locator(".updatemenu-button", has_text="Replay").click()
    playing = frames_seen(page, 1500)
    assert min(playing) < last and len(set(playing)) > 3, playing  # restarted and advancing
    page.locator(".updatemenu-button", has_text="Pause").click()
    page.wait_for_timeout(300)
    paused = frames_seen(page, 800)
    assert len(set(paused)) == 1 and paused[0] < last, paused
    page.locator(".updatemenu-button", has_text="▶ Play").click()
    resumed = frames_seen(page, 800)
    assert max(resumed) > paused[0], resumed  # goes on from where it paused
    assert page.locator("[data-testid=stException]").count() == 0


def test_a_click_on_the_map_moves_the_start(page: Page, app_url: str):
    open_race(page, app_url)
    start_x = page.get_by_label("Start x")
    before = start_x.input_value()
    map_area = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    x, y = map_area["x"] + map_area["width"] * 0.8, map_area["y"] + map_area["height"] * 0.3
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    expect(start_x).not_to_have_value(before, timeout=30_000)
    assert float(start_x.input_value()) > 0  # the right part of the map: x > 0
    assert page.locator("[data-testid=stException]").count() == 0
