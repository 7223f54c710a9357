"""The GAN page in Chromium: samples on the first visit, new samples and a digit, a short live run, no exception."""

from playwright.sync_api import Page, expect


def picture_sources(page: Page) -> list[str]:
    return page.locator("[data-testid=stImage] img").evaluate_all("images => images.map(i => i.src)")


def test_sample_the_gan_then_ask_for_sevens(page: Page, app_url: str):
    page.goto(f"{app_url}/gan")
    expect(page.get_by_text("64 samples of the shipped generator")).to_be_visible(timeout=90_000)
    # the samples, the interpolation strip and animation, the knobs, the sweeps
    expect(page.locator("[data-testid=stImage] img")).to_have_count(5, timeout=30_000)
    first = picture_sources(page)
    page.get_by_role("button", name="New samples").click()
    expect(page.get_by_role("spinbutton", name="Seed")).to_have_value("1", timeout=30_000)
    page.get_by_role("radiogroup", name="Draw").get_by_role("radio", name="7", exact=True).click()
    expect(page.get_by_text("64 samples of the shipped generator.")).to_be_visible(timeout=30_000)
    assert "digit=7" in page.url and "seed=1" in page.url
    page.wait_for_timeout(1000)
    assert picture_sources(page)[0] != first[0]
    assert page.locator("[data-testid=stException]").count() == 0


def test_a_short_live_run_shows_its_grid_and_can_be_sampled(page: Page, app_url: str):
    page.goto(f"{app_url}/gan?gan_tab=Train+live")
    page.get_by_role("slider", name="Training images").press("Home")  # the smallest subset: 1,000 images
    epochs = page.get_by_role("spinbutton", name="Epochs")
    epochs.fill("2")
    epochs.press("Enter")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text("Finished 2 epochs.")).to_be_visible(timeout=180_000)
    expect(page.get_by_text("After epoch 2")).to_be_visible()
    page.locator("[data-testid=stRadio]").get_by_text("your GAN, run 1").click()
    page.get_by_role("tab", name="Sample").click()
    expect(page.get_by_text("64 samples of your GAN, run 1")).to_be_visible(timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0
