"""Helpers shared by the benchmarks: timing medians and printing rows as a Markdown table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

Row = tuple[str, str, str]  # what, measured, target


def median_seconds(action: Callable[[], object], repeats: int = 20, warmup: int = 2) -> float:
    """Median wall time of `action` over `repeats` calls, after `warmup` untimed calls."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def print_rows(rows: Sequence[Row], title: str = "") -> None:
    if title:
        print(f"\n{title}\n")
    print("| what | measured | target |")
    print("|---|---|---|")
    for what, measured, target in rows:
        print(f"| {what} | {measured} | {target} |")
