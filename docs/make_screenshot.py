"""Take the README's screenshot: the MLP preset training on Build & train, curves after a few epochs.

.venv/bin/python docs/make_screenshot.py   (starts its own server; writes docs/screenshot.png)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.server import CHROMIUM, start_server, stop_server  # noqa: E402

OUT = Path(__file__).with_name("screenshot.png")
EPOCHS_SHOWN = 6


def main() -> None:
    process, url = start_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1500, "height": 2250})
            page.goto(f"{url}/build_train?preset=mlp")
            page.get_by_role("button", name="Train", exact=True).click()
            page.get_by_text(f"epoch {EPOCHS_SHOWN}:", exact=False).wait_for(timeout=300_000)
            time.sleep(1)
            page.screenshot(path=OUT)
            page.get_by_role("button", name="Stop", exact=True).click()
            browser.close()
    finally:
        stop_server(process)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
