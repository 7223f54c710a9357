"""Long use: forty training runs one after another in one browser session; the server's memory per run.

Memory climbs over the first runs (TensorFlow's kernels and caches, the memory allocator's pools) and then
levels off; the growth per run is measured over the second half, where a leak would show.

python -m bench.soak
"""

from __future__ import annotations

import gc
import json
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.common import Row, print_rows

ROOT = Path(__file__).resolve().parents[1]
RUNS = 40
SPEC = json.dumps({"network": {"layers": [{"kind": "Flatten"}, {"kind": "Dense", "units": 128, "activation": "relu"},
                                          {"kind": "Dense", "units": 10, "activation": "softmax"}]},
                   "config": {"dataset": "mnist", "epochs": 2, "batch_size": 128, "train_samples": 5000}})


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(quick: bool = False) -> list[Row]:
    runs = 8 if quick else RUNS
    at = AppTest.from_file(str(ROOT / "app_pages" / "build_train.py"), default_timeout=120)
    at.query_params["spec"] = SPEC
    at.run()
    memory = []
    for _ in range(runs):
        at.button(key="build_train").click().run()
        while at.button(key="build_train").disabled:
            time.sleep(0.5)  # as the page's fragment polls
            at.run()
        gc.collect()
        memory.append(resident_mb())
    half = runs // 2
    growth = (memory[-1] - memory[half - 1]) / (runs - half)
    return [(f"server memory over {runs} runs in one session (RSS after run 1 → {half} → {runs})",
             f"{memory[0]:.0f} → {memory[half - 1]:.0f} → {memory[-1]:.0f} MB; {growth:+.1f} MB per run over runs "
             f"{half}–{runs}", "bounded")]


if __name__ == "__main__":
    print_rows(measure(), "Long use")
