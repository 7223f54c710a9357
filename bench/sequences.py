"""Sequence benchmarks: the shipped row-reading LSTM, the lstm-mnist preset live, forecasts vs naive, engine overhead.

python -m bench.sequences [--quick]
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace

import numpy as np

from bench.common import Row, median_seconds, print_rows
from playground.core.build import build_model, compile_model
from playground.core.datasets import load_dataset
from playground.core.presets import PRESETS
from playground.sequences.forecast import ForecastConfig, ForecastRun
from playground.sequences.rows import accuracy_per_row, probabilities_per_row, shipped_row_reader
from playground.sequences.series import SERIES, load_series
from playground.training.run import TrainingRun

PRESET = "lstm-mnist"
OVERHEAD_SAMPLES = 10_000  # the preset on the first 10,000 rows: a pair of runs takes about a minute


def shipped_rows() -> list[Row]:
    data = load_dataset("mnist-rows")
    reader = shipped_row_reader()
    per_row = accuracy_per_row(reader, data.x_test, data.y_test)
    seconds = median_seconds(lambda: probabilities_per_row(reader, data.x_test[0]), repeats=50)
    return [("shipped LSTM(128), MNIST as rows: test accuracy (10,000 digits)", f"{per_row[-1]:.2%}", "≥ 98.5%"),
            ("  the same, answering after 7 / 14 / 21 of the 28 rows",
             f"{per_row[6]:.1%} / {per_row[13]:.1%} / {per_row[20]:.1%}", "—"),
            ("row-by-row reading of one drawing (28 answers, Draw page), median", f"{seconds * 1e3:.1f} ms", "< 30 ms")]


def preset_live() -> Row:
    run = TrainingRun(PRESETS[PRESET].experiment, name=PRESET)
    run.start()
    run.wait()
    summary = run.summary()
    return (f"{PRESETS[PRESET].title} preset, live run: MNIST test accuracy",
            f"{summary['test_accuracy']:.2%} after {summary['epochs']} epochs, {summary['train_seconds'] / 60:.1f} min",
            "≥ 97% in a few minutes")


def forecasts() -> list[Row]:
    rows: list[Row] = []
    for name, target in (("co2", "LSTM ≥ 20% better than naive"), ("sunspots", "—")):
        run = ForecastRun(series=load_series(name), config=ForecastConfig(window=SERIES[name].window), name=name)
        run.start()
        run.wait()
        mae, unit = run.results.test_mae, SERIES[name].unit
        what = (f"forecast {name} (one step, test period {len(run.results.test_index)} months): MAE LSTM / Dense / "
                "naive / seasonal naive")
        measured = (f"{mae['lstm']:.3g} / {mae['dense']:.3g} / {mae['naive']:.3g} / {mae['seasonal']:.3g} {unit}; "
                    f"LSTM {run.results.improvement('lstm'):.0%} better than naive ({run.seconds:.0f} s, "
                    f"{run.config.epochs} epochs)")
        rows.append((what, measured, target))
    return rows


def engine_seconds(epochs: int) -> float:
    experiment = PRESETS[PRESET].experiment
    config = replace(experiment.config, epochs=epochs, train_samples=OVERHEAD_SAMPLES)
    run = TrainingRun(replace(experiment, config=config), name="bench")
    run.start()
    run.wait()
    return run.fit_seconds


def bare_fit_seconds(epochs: int) -> float:
    experiment = PRESETS[PRESET].experiment
    config, data = experiment.config, load_dataset("mnist-rows")
    model = build_model(experiment.network, data.input_shape, data.num_classes, seed=config.seed)
    compile_model(model, experiment.network, config.optimizer, config.learning_rate)
    start = time.perf_counter()
    model.fit(data.x_train[:OVERHEAD_SAMPLES], data.y_train[:OVERHEAD_SAMPLES], batch_size=config.batch_size,
              epochs=epochs, validation_data=(data.x_val, data.y_val), verbose=0)
    return time.perf_counter() - start


def overhead(epochs: int = 2, repeats: int = 9) -> tuple[float, float, float, float, float]:
    """Median seconds of both and the median of their paired ratios (interleaved, as in bench.training)."""
    engine, bare = [], []
    for _ in range(repeats):
        engine.append(engine_seconds(epochs))
        bare.append(bare_fit_seconds(epochs))
    ratios = sorted(e / b for e, b in zip(engine, bare))
    q1, q3 = (np.percentile(ratios, 25), np.percentile(ratios, 75))
    return statistics.median(engine), statistics.median(bare), statistics.median(ratios), float(q1), float(q3)


def measure(quick: bool = False) -> list[Row]:
    rows = shipped_rows() + forecasts()
    repeats = 3 if quick else 9  # one 2-epoch fit varies by ±25% on a busy 2-core machine: many pairs, a median
    e, b, ratio, q1, q3 = overhead(repeats=repeats)
    what = (f"engine overhead vs bare model.fit, recurrent ({PRESETS[PRESET].title} on {OVERHEAD_SAMPLES:,} digits, "
            f"2 epochs; median of {repeats} pairs)")
    rows.append((what, f"{ratio:.3f}× (quartiles {q1:.2f}–{q3:.2f}; {e:.1f} s vs {b:.1f} s)", "≤ 1.05×"))
    if not quick:
        rows.append(preset_live())
    return rows


if __name__ == "__main__":
    print_rows(measure(quick="--quick" in sys.argv), "Sequences")
