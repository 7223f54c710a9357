"""The command line, `python -m playground COMMAND ...`: one module per command, registered in COMMANDS."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from playground.cli.quiet import quiet_tensorflow
from playground.core.specs import SpecError
from playground.digits.loading import ModelError
from playground.digits.preprocessing import DigitError

# command name -> module with add_arguments(parser) and run(args) -> int
COMMANDS: dict[str, str] = {
    "presets": "playground.cli.presets",
    "train": "playground.cli.train",
    "predict": "playground.cli.predict",
    "paths": "playground.cli.paths",
    "gan-sample": "playground.cli.gan_sample",
    "boundary": "playground.cli.boundary",
    "forecast": "playground.cli.forecast",
    "quantize": "playground.cli.quantize",
    "prune": "playground.cli.prune",
}

# What a user can cause (a bad file, a bad value, a path that cannot be written): `error: ...` and exit 2, never a
# traceback. Anything else is a bug, and its traceback is what a bug report needs.
USER_ERRORS: tuple[type[Exception], ...] = (ModelError, DigitError, SpecError, OSError)

# argparse takes any argument that starts with "-" for an option unless it is a plain number such as -5 or -.5, so
# `--start -1.2,1` stopped with "expected one argument" (python/cpython#53580, #105712; Python 3.14 widens the
# pattern, but not to "-1.2,1"). None of our options starts with a digit: "-" then a digit is always a value.
NEGATIVE_VALUE = re.compile(r"^-\.?\d")


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line (and exits 2), and reads -1.2,1 as a value."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not hasattr(self, "_negative_number_matcher"):
            raise RuntimeError("argparse no longer has _negative_number_matcher: negative values such as "
                               "--start -1.2,1 need another way in (see NEGATIVE_VALUE in playground/cli).")
        self._negative_number_matcher = NEGATIVE_VALUE

    def error(self, message: str) -> None:  # type: ignore[override]
        fail(f"{self.prog}: {message}")


def fail(message: str) -> None:
    """Print one line to stderr and exit 2."""
    print(f"error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def describe(error: Exception) -> str:
    """One line for a user error: an OSError names its file and says what the system said."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}." if error.filename else f"{error.strerror}."
    return " ".join(str(error).split()) or type(error).__name__


def check_output(path: Path, option: str) -> None:
    """Refuse an output file that cannot be written, before any work (a whole training run) is spent on it."""
    if path.is_dir():
        fail(f"{option} {path} is a directory; give a file name, such as {path / ('out' + path.suffix)}")
    folder = next(parent for parent in path.resolve().parents if parent.exists())
    if not folder.is_dir():
        fail(f"{option} {path}: {folder} is a file, not a folder.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        existed = path.exists()
        with path.open("ab"):  # opens for writing without touching what is there
            pass
        if not existed:
            path.unlink()
    except OSError as error:
        fail(f"{option} {path}: cannot write there ({error.strerror or error}).")


def print_rows(job: Any, new_rows: Callable[[int], list[dict]], digits: int | None = None) -> None:
    """Print a started job's rows (epochs) as JSON lines as they arrive, until it ends. `new_rows(n)` gives the rows
    after the first n; `digits` rounds the floats."""
    printed = 0
    while True:
        finished = job.wait(0.2)
        for row in new_rows(printed):
            if digits is not None:
                row = {k: round(v, digits) if isinstance(v, float) else v for k, v in row.items()}
            print(json.dumps(row), flush=True)
            printed += 1
        if finished:
            return


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(prog="python -m playground", description="The Deep Learning Playground, headless.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    modules = {}
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)  # no command imports TensorFlow before it runs
        command = sub.add_parser(name, help=module.__doc__.splitlines()[0], description=module.__doc__)
        module.add_arguments(command)
        command.add_argument("--verbose", action="store_true",
                             help="show TensorFlow's and Keras' log messages and warnings (quiet by default)")
        modules[name] = module
    args = parser.parse_args(argv)
    quiet_tensorflow(args.verbose)
    try:
        return modules[args.command].run(args)
    except BrokenPipeError:  # `... | head`: the reader has all it wanted; say nothing (as the Python docs advise)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except USER_ERRORS as error:
        fail(describe(error))
    return 2
