"""Reuse benchmarks: the CNN preset on Fashion-MNIST, transfer learning curves (three ways, several seeds), and new
symbols drawn with the mouse in Chromium.

python -m bench.transfer [--quick] [--only=fashion,transfer,symbols]
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace

import numpy as np

from bench.common import Row, print_rows
from playground.core.presets import PRESETS
from playground.training.run import TrainingRun
from playground.transfer.experiment import SIZES, TransferConfig, TransferExperiment
from playground.transfer.features import WAYS


def fashion_rows(quick: bool = False) -> list[Row]:
    """The digit presets, unchanged, on clothes."""
    rows: list[Row] = []
    for name, target in (("fashion-mlp", "—"), ("fashion-cnn", "≥ 91%")):
        experiment = PRESETS[name].experiment
        if quick:
            experiment = replace(experiment, config=replace(experiment.config, epochs=2))
        run = TrainingRun(experiment, name=name)
        run.start()
        run.wait()
        summary = run.summary()
        rows.append((f"{PRESETS[name].title} preset: test accuracy",
                     (f"{summary['test_accuracy']:.2%} after {summary['epochs']} epochs, {summary['train_seconds']:.0f} s "
                      f"(best validation epoch {summary['best_epoch']})"), target))
    return rows


def _spread(values: list[float]) -> str:
    mean = statistics.fmean(values)
    return f"{mean:.1%}" + (f" ({min(values):.1%}–{max(values):.1%})" if len(values) > 1 else "")


def transfer_rows(quick: bool = False) -> list[Row]:
    """The experiment of the page, on the whole test set, once per seed: accuracy per way and examples per class."""
    seeds = (0,) if quick else (0, 1, 2)
    sizes = (1, 10, 50) if quick else SIZES
    tables, seconds = [], []
    for seed in seeds:
        started = time.perf_counter()
        job = TransferExperiment(config=TransferConfig(sizes=sizes, test_size=2_000 if quick else 10_000, seed=seed))
        job.start()
        job.wait()
        if job.status != "finished":
            raise RuntimeError(job.message)
        tables.append(job.table())
        seconds.append(time.perf_counter() - started)
    rows: list[Row] = []
    for n in sizes:
        cells = " / ".join(_spread([table[way][n] for table in tables]) for way in WAYS)
        rows.append((f"transfer to Fashion-MNIST, {n} per class: {' / '.join(w.title for w in WAYS.values())}",
                     cells, "—"))
    if 10 in sizes:
        gaps = [(table["frozen"][10] - table["scratch"][10]) * 100 for table in tables]
        rows.append(("  frozen features minus from scratch, 10 per class",
                     f"{statistics.fmean(gaps):+.1f} points (seeds: {', '.join(f'{g:+.1f}' for g in gaps)})",
                     "≥ +10 points"))
    rows.append((f"  one experiment: {len(sizes)} sizes × 3 ways, test on {2_000 if quick else 10_000:,} images",
                 f"{statistics.fmean(seconds):.0f} s (seeds {', '.join(map(str, seeds))})", "—"))
    return rows


def symbols_rows(quick: bool = False) -> list[Row]:
    """Teach 4 shapes in the real app in Chromium with the mouse (8 each), then draw 5 new ones of each."""
    from playwright.sync_api import sync_playwright

    from tools.server import CHROMIUM, start_server, stop_server
    from tools.symbol_strokes import SHAPES, teach_in_browser

    per_class, tests = (5, 2) if quick else (8, 5)
    process, url = start_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            answers = teach_in_browser(page, url, list(SHAPES), per_class, tests, np.random.default_rng(2024))
            browser.close()
    finally:
        stop_server(process)
    correct = sum(drawn == said for drawn, said in answers)
    misses = ", ".join(f"{drawn}→{said}" for drawn, said in answers if drawn != said) or "none"
    return [(f"new symbols (○ ✗ ✓ △): {per_class} drawn per class in Chromium, then {tests} new ones each",
             f"{correct / len(answers):.0%} ({correct}/{len(answers)}; misses: {misses})", "≥ 90%")]


PARTS = {"fashion": fashion_rows, "transfer": transfer_rows, "symbols": symbols_rows}


def measure(quick: bool = False, only: tuple[str, ...] = tuple(PARTS)) -> list[Row]:
    return [row for name in only for row in PARTS[name](quick)]


if __name__ == "__main__":
    chosen = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")), ",".join(PARTS)).split(",")
    print_rows(measure(quick="--quick" in sys.argv, only=tuple(chosen)), "Reuse: transfer learning")
