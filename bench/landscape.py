"""Loss-landscape benchmark: one compiled loss-of-a-weight-vector function vs model.evaluate per grid point.

python -m bench.landscape
"""

from __future__ import annotations

import time

import numpy as np

from bench.common import Row, print_rows
from playground.core.build import build_model, compile_model
from playground.core.datasets import load_dataset
from playground.core.presets import PRESETS
from playground.training.landscape import compute_slice, evaluation_batch

GRID, SAMPLES = 11, 1000


def naive_seconds(model, weights: list[np.ndarray], x: np.ndarray, y: np.ndarray, points: int) -> float:
    """What a first attempt does: set_weights + model.evaluate at every grid point (restoring the weights)."""
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for _ in range(points):
        model.set_weights([w + 0.01 * rng.standard_normal(w.shape).astype(w.dtype) for w in weights])
        model.evaluate(x, y, batch_size=1024, verbose=0)
    model.set_weights(weights)
    return time.perf_counter() - start


def measure() -> list[Row]:
    rows: list[Row] = []
    for name in ("mlp", "cnn"):
        experiment = PRESETS[name].experiment
        data = load_dataset(experiment.config.dataset)
        model = build_model(experiment.network, data.input_shape, data.num_classes)
        compile_model(model, experiment.network, experiment.config.optimizer, experiment.config.learning_rate)
        weights = model.get_weights()
        compute_slice(model, {0: weights}, experiment, "random", grid=3, samples=SAMPLES)  # warm-up: trace
        start = time.perf_counter()
        compute_slice(model, {0: weights}, experiment, "random", grid=GRID, samples=SAMPLES)
        ours = (time.perf_counter() - start) / GRID**2
        x, y = evaluation_batch(experiment, SAMPLES)
        naive_seconds(model, weights, x, y, 2)  # warm-up
        naive = naive_seconds(model, weights, x, y, 10) / 10
        rows.append((f"loss landscape, {PRESETS[name].title}: time per grid point ({SAMPLES:,} images)",
                     f"{ours * 1000:.1f} ms (set_weights + model.evaluate: {naive * 1000:.0f} ms, "
                     f"{naive / ours:.1f}× slower)", "faster than model.evaluate"))
    return rows


if __name__ == "__main__":
    print_rows(measure(), "Loss landscape")
