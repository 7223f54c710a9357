"""Training benchmarks: the engine's overhead over a bare model.fit, and the presets' accuracy and time.

python -m bench.training [--quick]
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace

from bench.common import Row, print_rows
from playground.core.build import build_model, compile_model
from playground.core.datasets import load_dataset
from playground.core.presets import PRESETS
from playground.training.run import TrainingRun


def engine_seconds(epochs: int) -> float:
    """model.fit inside a TrainingRun: worker thread, live metrics, NaN checks, per-epoch checkpoints."""
    experiment = PRESETS["mlp"].experiment
    run = TrainingRun(replace(experiment, config=replace(experiment.config, epochs=epochs)), name="bench")
    run.start()
    run.wait()
    return run.fit_seconds


def bare_fit_seconds(epochs: int) -> float:
    """The same model, data and batch size through a plain model.fit, as in a Keras tutorial."""
    experiment = PRESETS["mlp"].experiment
    config, data = experiment.config, load_dataset("mnist")
    model = build_model(experiment.network, data.input_shape, data.num_classes, seed=config.seed)
    compile_model(model, experiment.network, config.optimizer, config.learning_rate)
    start = time.perf_counter()
    model.fit(data.x_train, data.y_train, batch_size=config.batch_size, epochs=epochs,
              validation_data=(data.x_val, data.y_val), verbose=0)
    return time.perf_counter() - start


def overhead(epochs: int = 3, repeats: int = 15) -> tuple[float, float, float, float, float]:
    """Median seconds of both and the median of their paired ratios, with its quartiles.

    The two are interleaved, so that a busy moment slows a pair alike; on a shared 2-core machine one fit still
    varies by ±15%, hence many pairs and a median.
    """
    engine, bare = [], []
    for _ in range(repeats):
        engine.append(engine_seconds(epochs))
        bare.append(bare_fit_seconds(epochs))
    q1, median, q3 = statistics.quantiles([e / b for e, b in zip(engine, bare)], n=4)
    return statistics.median(engine), statistics.median(bare), median, q1, q3


def preset_result(name: str) -> dict:
    run = TrainingRun(PRESETS[name].experiment, name=name)
    run.start()
    run.wait()
    return run.summary()


def measure(quick: bool = False) -> list[Row]:
    e, b, ratio, q1, q3 = overhead()
    rows: list[Row] = [("engine overhead vs bare model.fit (MLP preset, MNIST, 3 epochs; median of 15 pairs)",
                        f"{ratio:.3f}× (quartiles {q1:.2f}–{q3:.2f}; {e:.2f} s vs {b:.2f} s)", "≤ 1.05×")]
    if quick:
        return rows
    for name, target in (("mlp", "≥ 98.0%"), ("cnn", "≥ 99.2%")):
        summary = preset_result(name)
        rows.append((f"{PRESETS[name].title} preset: MNIST test accuracy",
                     f"{summary['test_accuracy']:.2%} after {summary['epochs']} epochs, {summary['train_seconds']:.0f} s "
                     f"(best validation epoch {summary['best_epoch']})", target))
    return rows


if __name__ == "__main__":
    print_rows(measure(quick="--quick" in sys.argv), "Training")
