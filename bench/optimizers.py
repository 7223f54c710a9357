"""Optimizer race benchmarks: all eleven keras optimizers × 500 steps on one surface, and a 200 × 200 surface grid.

python -m bench.optimizers                      the timings (medians after warm-up)
python -m bench.optimizers --sweep SURFACE      final loss per optimizer and learning rate (how the defaults were chosen)
"""

from __future__ import annotations

import sys

from bench.common import Row, median_seconds, print_rows
from playground.optimizers import Runner, outcome, race
from playground.specs import OPTIMIZERS
from playground.surfaces import SURFACES, evaluate_grid

SWEEP_RATES = [m * 10.0**e for e in range(-4, 2) for m in (1, 2, 5)]


def measure() -> list[Row]:
    rows: list[Row] = []
    for name in ("rosenbrock", "rastrigin"):
        surface = SURFACES[name]
        runners = [Runner(optimizer, 0.001) for optimizer in OPTIMIZERS]
        seconds = median_seconds(lambda: race(surface, runners, surface.start, 500, noise=0.1), repeats=10)
        rows.append((f"all {len(runners)} keras optimizers × 500 steps ({surface.title})", f"{seconds * 1000:.0f} ms",
                     "< 500 ms"))
    seconds = median_seconds(lambda: evaluate_grid(SURFACES["rastrigin"], 200), repeats=50)
    rows.append(("200 × 200 surface grid (Rastrigin)", f"{seconds * 1000:.1f} ms", "< 50 ms"))
    return rows


def sweep(name: str, steps: int = 300) -> None:
    """Print the final loss of every optimizer at every rate of SWEEP_RATES ('div': left the region, '*': reached
    a minimum): the table DEFAULT_LEARNING_RATES was read from."""
    surface = SURFACES[name]
    table = {optimizer: [] for optimizer in OPTIMIZERS}
    for rate in SWEEP_RATES:
        for path in race(surface, [Runner(optimizer, rate) for optimizer in OPTIMIZERS], surface.start, steps):
            result = outcome(surface, path)
            cell = "div" if result.diverged_at is not None else f"{result.final_loss:.2g}"
            table[path.runner.optimizer].append(f"{cell}{'*' if result.reached else ''}")
    print(f"{name}: final loss after {steps} steps from {surface.start}")
    print(f"{'rate':>10} " + " ".join(f"{rate:>8g}" for rate in SWEEP_RATES))
    for optimizer, cells in table.items():
        print(f"{optimizer:>10} " + " ".join(f"{cell:>8}" for cell in cells))


if __name__ == "__main__":
    if "--sweep" in sys.argv:
        sweep(sys.argv[sys.argv.index("--sweep") + 1])
    else:
        print_rows(measure(), "Optimizers and loss surfaces")
