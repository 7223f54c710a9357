"""Page speed in Chromium: from the server being ready to the Home page (and each concept page) rendered and clickable.

python -m bench.pages [--quick]
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator

from bench.common import Row, print_rows
from tools.server import CHROMIUM, start_server

HOME_TARGET = "< 2 s"
CONCEPT_PAGES = {"lecture": 0, "neuron": 5, "probabilities": 3, "gradient_descent": 1, "convolution": 2}  # charts


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"])


@contextlib.contextmanager
def running_app() -> Iterator[str]:
    """A Streamlit server running app.py on a free port, stopped afterwards; yields its URL."""
    server, url = start_server()
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:  # a page left TensorFlow threads running: don't wait for them
            server.kill()


def _cpu_seconds_of_children() -> float:
    """CPU time (user + system) used so far by the live processes started from this one: the Streamlit server,
    Playwright's driver and Chromium. Unlike wall time it hardly depends on what else the machine is doing."""
    parents, cpu = {}, {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def descends(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    return sum(seconds for pid, seconds in cpu.items() if descends(pid))


def _time_to_interactive(page, url: str, charts: int = 0) -> tuple[float, float]:
    """(wall, CPU) seconds from navigation to the title shown, the script run finished and the page's charts drawn."""
    start, cpu = time.perf_counter(), _cpu_seconds_of_children()
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=60_000)
    page.wait_for_function(
        f"() => !document.querySelector('[data-testid=stStatusWidget]') && "
        f"document.querySelectorAll('.js-plotly-plot').length >= {charts}", timeout=60_000, polling=20)
    return time.perf_counter() - start, _cpu_seconds_of_children() - cpu


def _median(times: list[tuple[float, float]]) -> str:
    wall, cpu = statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)
    return f"{wall:.2f} s (CPU {cpu:.2f} s)"


def measure(quick: bool = False) -> list[Row]:
    from playwright.sync_api import sync_playwright

    repeats = 2 if quick else 5
    rows: list[Row] = []
    with running_app() as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        first = _time_to_interactive(page, url)
        page.get_by_role("link", name="Start the lecture").first.click(trial=True)  # clickable, not clicked
        home = [_time_to_interactive(browser.new_page(), url) for _ in range(repeats)]
        rows.append(("Home: server ready → rendered and clickable, first visit", _median([first]), HOME_TARGET))
        rows.append((f"Home: a new browser tab, median of {repeats}", _median(home), HOME_TARGET))
        for name, charts in CONCEPT_PAGES.items():
            times = [_time_to_interactive(browser.new_page(), f"{url}/{name}", charts) for _ in range(repeats)]
            rows.append((f"{name}: a new browser tab → all charts drawn, median of {repeats}", _median(times),
                         "< 3 s"))
        browser.close()
    rows.append(("machine load while measuring (1-minute load average)", f"{os.getloadavg()[0]:.1f}",
                 f"≤ {os.cpu_count()} (the core count) for numbers that mean something"))
    return rows


if __name__ == "__main__":
    print_rows(measure(quick="--quick" in sys.argv), "Page speed in Chromium")
