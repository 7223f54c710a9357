"""The command line, `python -m playground COMMAND ...`: one module per command, registered in COMMANDS."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# command name -> module with add_arguments(parser) and run(args) -> int
COMMANDS: dict[str, str] = {
    "presets": "playground.cli.presets",
    "train": "playground.cli.train",
    "predict": "playground.cli.predict",
    "paths": "playground.cli.paths",
    "gan-sample": "playground.cli.gan_sample",
}


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line (and exits 2), as scripts calling us expect."""

    def error(self, message: str) -> None:  # type: ignore[override]
        fail(f"{self.prog}: {message}")


def fail(message: str) -> None:
    """Print one line to stderr and exit 2."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(prog="python -m playground", description="The Deep Learning Playground, headless.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    modules = {}
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        module.add_arguments(sub.add_parser(name, help=module.__doc__.splitlines()[0],
                                            description=module.__doc__))
        modules[name] = module
    args = parser.parse_args(argv)
    return modules[args.command].run(args)
