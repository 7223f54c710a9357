"""Shrink benchmarks: float16 and int8 versions of the shipped classifiers (size, accuracy, time per image), and
magnitude pruning of the CNN at 80% before and after a fine-tune.

python -m bench.shrink [--quick] [--only=quantize,prune]
"""

from __future__ import annotations

import sys
import time

from bench.common import Row, print_rows
from playground.core.datasets import load_dataset
from playground.digits.classifiers import SHIPPED, load_shipped_model
from playground.shrink.prune import PruneRun, sparsity_of
from playground.shrink.quantize import MODES, drawn_check_set, quantized_copy
from playground.shrink.quantize import measure as measure_model

TARGETS = {("cnn", "int8"): ("within 0.2 points of float32", "≤ 35% of float32")}


def quantize_rows(quick: bool = False) -> list[Row]:
    data = load_dataset("mnist")
    x, y = (data.x_test[:2_000], data.y_test[:2_000]) if quick else (data.x_test, data.y_test)
    drawn = drawn_check_set()
    rows: list[Row] = []
    for name, info in SHIPPED.items():
        model = load_shipped_model(name)
        results = {mode: measure_model(quantized_copy(model, mode), mode, x, y, drawn) for mode in MODES}
        base = results["float32"]
        for mode in ("float16", "int8"):
            result = results[mode]
            accuracy_target, size_target = TARGETS.get((name, mode), ("—", "—"))
            rows += [
                (f"{info.title} {mode}: MNIST test accuracy ({len(x):,} digits)",
                 (f"{result.mnist_accuracy:.2%} (float32 {base.mnist_accuracy:.2%}, "
                  f"{(result.mnist_accuracy - base.mnist_accuracy) * 100:+.2f} points)"), accuracy_target),
                (f"{info.title} {mode}: drawn check set ({len(drawn[1]):,} digits)",
                 f"{result.drawn_accuracy:.2%} (float32 {base.drawn_accuracy:.2%})", "—"),
                (f"{info.title} {mode}: .keras file", (f"{result.size_bytes / 1000:,.0f} kB = "
                 f"{result.size_bytes / base.size_bytes:.1%} of float32 ({base.size_bytes / 1000:,.0f} kB)"), size_target),
                (f"{info.title} {mode}: time per image (one image, median of 30)",
                 f"{result.ms_per_image:.2f} ms (float32 {base.ms_per_image:.2f} ms)", "—"),
            ]
    return rows


def prune_rows(quick: bool = False) -> list[Row]:
    epochs, samples = (1, 10_000) if quick else (2, 55_000)
    started = time.perf_counter()
    job = PruneRun(model=load_shipped_model("cnn"), title="CNN", sparsity=0.8, fine_tune_epochs=epochs,
                   fine_tune_samples=samples, eval_size=2_000 if quick else 10_000, do_sweep=True)
    job.start()
    job.wait()
    if job.status != "finished":
        raise RuntimeError(job.message)
    dense, tuned = job.dense_accuracy, job.tuned_accuracy
    sweep = ", ".join(f"{s:.0%}: {a:.1%}" for s, a in job.curve if s in (0.5, 0.7, 0.8, 0.9, 0.95))
    tune_seconds = sum(row.get("seconds", 0.0) for row in job.history)
    return [
        ("CNN pruned to 80% (global magnitude), no fine-tune", f"{job.pruned_accuracy:.2%} (dense {dense:.2%})", "—"),
        (f"CNN pruned to 80% + {epochs} fine-tune epoch(s) of {samples:,} images, zeros kept",
         f"{tuned:.2%} ({(tuned - dense) * 100:+.2f} points; sparsity {sparsity_of(job.pruned_model):.1%})",
         "within 0.5 points of dense"),
        ("  CNN zipped .keras: dense → 80% pruned", (f"{job.sizes['dense_zipped'] / 1000:,.0f} kB → "
         f"{job.sizes['pruned_zipped'] / 1000:,.0f} kB ({job.sizes['pruned_zipped'] / job.sizes['dense_zipped']:.0%})"),
         "—"),
        ("  accuracy vs sparsity before any fine-tune", sweep, "—"),
        ("  prune + sweep + fine-tune, wall time", (f"{time.perf_counter() - started:.0f} s (fine-tune "
         f"{tune_seconds:.0f} s)"), "—"),
    ]


PARTS = {"quantize": quantize_rows, "prune": prune_rows}


def measure(quick: bool = False, only: tuple[str, ...] = tuple(PARTS)) -> list[Row]:
    return [row for name in only for row in PARTS[name](quick)]


if __name__ == "__main__":
    chosen = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")), ",".join(PARTS)).split(",")
    print_rows(measure(quick="--quick" in sys.argv, only=tuple(chosen)), "Shrink: quantize and prune")
