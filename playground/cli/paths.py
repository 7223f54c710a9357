"""Race keras optimizers over a 2D loss surface and print their paths as JSON.

Example: python -m playground paths --surface rosenbrock --optimizers sgd,momentum,adam --steps 300 --start -1.2,1
prints {"surface": "rosenbrock", "paths": {"adam": [[x, y, loss], ...], ...}, "diverged": {"adam": null, ...}}:
each path starts at the start point; a run that left the plotted region stops there, and "diverged" gives the step.
"""

from __future__ import annotations

import argparse
import json

from playground.cli import fail
from playground.core.specs import OPTIMIZERS, SpecError
from playground.optim.races import Runner, default_learning_rate, race
from playground.optim.surfaces import SURFACES


def _start(text: str) -> tuple[float, float]:
    try:
        x, y = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected X,Y such as -1.2,1 — got {text!r}") from None
    return x, y


def _optimizers(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in OPTIMIZERS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown optimizer {', '.join(unknown) or '(none)'}; "
                                         f"choose from {','.join(OPTIMIZERS)}")
    return list(dict.fromkeys(names))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--surface", required=True, choices=list(SURFACES), help="the loss surface")
    parser.add_argument("--optimizers", required=True, type=_optimizers, metavar="NAME,NAME,...",
                        help=f"comma-separated, from: {', '.join(OPTIMIZERS)}")
    parser.add_argument("--steps", type=int, default=200, help="steps per optimizer (default 200)")
    parser.add_argument("--start", type=_start, metavar="X,Y", help="start point (default: the surface's own)")
    parser.add_argument("--learning-rate", type=float,
                        help="one rate for every optimizer (default: each optimizer's default for this surface)")
    parser.add_argument("--noise", type=float, default=0.0, help="std. deviation of Gaussian gradient noise")
    parser.add_argument("--seed", type=int, default=0, help="seed of the gradient noise")


def run(args: argparse.Namespace) -> int:
    surface = SURFACES[args.surface]
    runners = [Runner(name, args.learning_rate if args.learning_rate is not None
                      else default_learning_rate(surface.name, name)) for name in args.optimizers]
    try:
        paths = race(surface, runners, args.start or surface.start, args.steps, args.noise, args.seed)
    except SpecError as error:
        fail(str(error))
    print(json.dumps({
        "surface": surface.name,
        "start": list(args.start or surface.start),
        "learning_rates": {r.optimizer: r.learning_rate for r in runners},
        "paths": {p.runner.optimizer: [[round(float(v), 7) for v in point] for point in p.points] for p in paths},
        "diverged": {p.runner.optimizer: p.diverged_at for p in paths},
    }))
    return 0
