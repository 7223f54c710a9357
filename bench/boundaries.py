"""Decision boundaries benchmarks: epochs per second, the maps of every neuron, time to solve the spiral, and how
often the boundary is redrawn in Chromium while a network trains.

python -m bench.boundaries [--quick] [--no-browser]
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import numpy as np

from bench.common import Row, median_seconds, print_rows
from playground.boundaries.datasets import DataSpec, generate
from playground.boundaries.maps import Probe
from playground.boundaries.network import Hidden, NetSpec, build_model, compile_model
from playground.boundaries.presets import PRESETS
from playground.boundaries.trainer import BoundaryTrainer
from playground.core.device import configure_tensorflow

TFP_DEFAULT = NetSpec()  # x1, x2 -> 4 -> 2 tanh, SGD 0.03, batches of 10
DEEP = NetSpec(layers=(Hidden(8),) * 8)
SOLVED = 0.95  # test accuracy that counts as solved


def epochs_per_second(spec: NetSpec, seconds: float = 4.0) -> float:
    """Training speed on TFP's circle (500 points, 250 to train) once the loop is traced: epochs per second."""
    trainer = BoundaryTrainer(generate(DataSpec("circle")), spec)
    trainer.train(5, lambda: False)  # builds, traces and warms up
    start, epoch = time.perf_counter(), trainer.epoch
    trainer.train(None, lambda: time.perf_counter() - start > seconds)
    return (trainer.epoch - epoch) / (time.perf_counter() - start)


def maps_milliseconds(layers: int = 6, units: int = 8, repeats: int = 30) -> float:
    """The output map and every neuron's map over the 100 × 100 grid, plus the 500 points: one forward pass."""
    points = generate(DataSpec("spiral"))
    spec = NetSpec(layers=(Hidden(units),) * layers)
    model = build_model(spec, points.task, points.classes)
    compile_model(model, spec, points.task)
    probe = Probe(model, spec)
    return median_seconds(lambda: probe(points.x), repeats=repeats, warmup=3) * 1000


def seconds_to_solve(preset: str, limit: float = 120.0) -> tuple[float | None, int | None, float]:
    """Seconds from Play to the first epoch with test accuracy ≥ SOLVED, trained as the page trains (calls of many
    epochs; the check runs between calls), and the epoch; plus the seconds the page spends building the network and
    tracing its loop when it opens, before Play can be pressed."""
    setup = PRESETS[preset].setup
    start = time.perf_counter()
    trainer = BoundaryTrainer(generate(setup.data), setup.net)
    trainer.prepare()
    prepared = time.perf_counter() - start

    def solved() -> bool:
        table = trainer.history.table()
        return bool(table[-1, 4] >= SOLVED) or time.perf_counter() - play > limit

    play = time.perf_counter()
    trainer.train(None, solved)
    table = trainer.history.table()
    hit = np.flatnonzero(table[:, 4] >= SOLVED)
    if not len(hit):
        return None, None, prepared
    return time.perf_counter() - play, int(table[hit[0], 0]), prepared


LIVE_MAP = "[class*=st-key-boundary_map_box] img"  # the map while training: a picture whose source changes
WATCH = ("() => { window.seenMaps = new Set(); window.mapWatch = setInterval(() => {"
         " const img = document.querySelector('" + LIVE_MAP + "'); if (img) window.seenMaps.add(img.src); }, 20); }")
SEEN = "() => { clearInterval(window.mapWatch); return window.seenMaps.size; }"


def browser_redraws(seconds: float = 8.0, preset: str = "spiral") -> tuple[float, float]:
    """Chromium on the page, Play pressed: how many times per second the boundary picture changes (sampled every
    20 ms inside the page), and the epochs per second the page reported, while training goes on."""
    from playwright.sync_api import sync_playwright

    from bench.pages import launch_chromium, running_app

    with running_app() as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/boundaries?preset={preset}")
        page.get_by_text("Epoch 0", exact=False).first.wait_for(timeout=120_000)
        page.get_by_role("button", name="Play").click(timeout=60_000)
        page.locator(LIVE_MAP).first.wait_for(timeout=60_000)
        page.evaluate(WATCH)
        start = time.perf_counter()
        page.wait_for_timeout(seconds * 1000)
        changes = page.evaluate(SEEN) - 1
        elapsed = time.perf_counter() - start
        status = page.get_by_text("epochs/s", exact=False).first.inner_text()
        browser.close()
    speed = float(status.split("·")[1].split("epochs/s")[0].replace(",", "")) if "·" in status else float("nan")
    return changes / elapsed, speed


def measure(quick: bool = False, browser: bool = True) -> list[Row]:
    configure_tensorflow()
    rows: list[Row] = []
    for title, spec, target in (("TFP's default network (2 features, 4-2 tanh, batch 10, 250 training points)",
                                 TFP_DEFAULT, "≥ 50 epochs/s"),
                                ("8 hidden layers × 8 tanh neurons, batch 10, 250 training points", DEEP, "—")):
        speeds = [epochs_per_second(spec, 2.0 if quick else 4.0) for _ in range(1 if quick else 3)]
        rows.append((f"boundaries: {title}", f"{statistics.median(speeds):,.0f} epochs/s", target))
    rows.append(("boundaries: output map + all 48 neuron maps, 100 × 100 grid, 6 × 8 neurons (median)",
                 f"{maps_milliseconds(repeats=10 if quick else 30):.1f} ms", "≤ 30 ms"))
    for preset in ("spiral", "spiral-sin"):
        seconds, epoch, prepared = seconds_to_solve(preset)
        measured = (f"{seconds:.1f} s from Play (epoch {epoch}); building and tracing when the page opens: "
                    f"{prepared:.1f} s" if seconds else "not solved in 120 s")
        rows.append((f"boundaries: spiral solved (test accuracy ≥ 95%) from Play, preset {preset}", measured, "—"))
    if browser:
        rate, speed = browser_redraws(4.0 if quick else 8.0)
        rows.append(("boundaries in Chromium: boundary image redrawn while training (spiral preset)",
                     f"{rate:.1f} per second (training at {speed:,.0f} epochs/s meanwhile)", "≥ 3 per second"))
    rows.append(("machine load while measuring (1-minute load average)", f"{os.getloadavg()[0]:.1f}",
                 f"≤ {os.cpu_count()} (the core count) for numbers that mean something"))
    return rows


if __name__ == "__main__":
    print_rows(measure(quick="--quick" in sys.argv, browser="--no-browser" not in sys.argv), "Decision boundaries")
