"""Optimizer race benchmarks: all eleven keras optimizers × 500 steps on one surface, and a 200 × 200 surface grid.

python -m bench.optimizers                      the timings (medians after warm-up)
python -m bench.optimizers --sweep SURFACE      final loss per optimizer and learning rate (how the defaults
                                                were chosen)
"""

from __future__ import annotations

import sys

from bench.common import Row, median_seconds, print_rows
from playground.charts.surfaces import race_figure
from playground.core.specs import OPTIMIZERS
from playground.optim.races import Runner, default_learning_rate, outcome, race
from playground.optim.surfaces import SURFACES, critical_points, evaluate_grid, lowest_value

SWEEP_RATES = [m * 10.0**e for e in range(-4, 2) for m in (1, 2, 5)]


def measure() -> list[Row]:
    rows: list[Row] = []
    for name in ("rosenbrock", "rastrigin"):
        surface = SURFACES[name]
        runners = [Runner(optimizer, 0.001) for optimizer in OPTIMIZERS]
        seconds = median_seconds(lambda s=surface, r=runners: race(s, r, s.start, 500, noise=0.1), repeats=10)
        rows.append((f"all {len(runners)} keras optimizers × 500 steps ({surface.title})", f"{seconds * 1000:.0f} ms",
                     "< 500 ms"))
    grids = {name: median_seconds(lambda s=surface: evaluate_grid(s, 200), repeats=50)
             for name, surface in SURFACES.items()}
    slowest = max(grids, key=grids.get)
    rows.append((f"200 × 200 surface grid (slowest surface: {SURFACES[slowest].title})",
                 f"{grids[slowest] * 1000:.2f} ms", "< 50 ms"))
    rows.append(figure_row())
    return rows


def figure_row() -> Row:
    """What a lecturer waits for after moving a slider, besides the race: building the animated figure."""
    import plotly.io

    surface = SURFACES["himmelblau"]
    runners = [Runner(name, default_learning_rate("himmelblau", name)) for name in ("sgd", "momentum", "adam")]
    paths = race(surface, runners, surface.start, 200)
    grid, critical, lowest = evaluate_grid(surface, 120), critical_points("himmelblau"), lowest_value("himmelblau")

    def build() -> str:  # what st.plotly_chart does with the figure
        return plotly.io.to_json(race_figure(surface, grid, critical, paths, 200, lowest).to_dict(), validate=False)

    seconds, size = median_seconds(build, repeats=5, warmup=1), len(build())
    return ("animated race figure, 3 runs × 200 steps (build + JSON)", f"{seconds * 1000:.0f} ms, "
            f"{size / 1e6:.1f} MB", "a slider feels instant (< 0.5 s)")


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
