"""Run every benchmark and print one table: python -m bench [--quick]."""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

from bench.common import print_rows
from playground.core.device import configure_tensorflow, describe_device


def main() -> None:
    quick = "--quick" in sys.argv
    configure_tensorflow()
    rows = []
    for module_info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module_info.name in ("common", "__main__"):
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        measure = getattr(module, "measure", None)
        if measure is None:
            continue
        print(f"running bench.{module_info.name} …", file=sys.stderr, flush=True)
        takes_quick = "quick" in inspect.signature(measure).parameters
        rows += measure(quick=quick) if takes_quick else measure()
    print_rows(rows, f"Benchmarks on {describe_device()}, {datetime.date.today().isoformat()}")


if __name__ == "__main__":
    main()
