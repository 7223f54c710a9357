"""Train a Decision boundaries network on a 2D point set: one JSON line per epoch, then {"summary": {...}}.

Example: python -m playground boundary --dataset spiral --layers 8,8 --activation tanh --epochs 300
prints {"epoch", "loss", "accuracy", "test_loss", "test_accuracy"} per epoch (epoch 0: before training; accuracy is
null for the regression sets). --preset starts from a lecture preset (the other options change it); --data reads
your own points from a CSV (x1, x2, label[, split]); --out grid.npy saves the final output over the 100 × 100 grid
of the plane [-6, 6]² (row 0 at x2 = 6, column 0 at x1 = -6): P(class 1) for two classes, the value for regression,
(100, 100, K) class probabilities for K > 2. --save model.keras saves the network (its inputs are the features).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from playground.boundaries.datasets import CURVES, DATASETS, DataError
from playground.boundaries.features import FEATURES
from playground.boundaries.network import ACTIVATIONS, LOSSES, REGULARIZERS, Hidden
from playground.boundaries.presets import PRESETS, Setup, SetupError, check, to_json
from playground.cli import check_output, fail, print_rows
from playground.core.specs import OPTIMIZERS


def _names(text: str, known: dict, what: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(unknown)}; choose from {','.join(known)}")
    return names


def _sizes(text: str) -> list[int]:
    """'8,8' -> [8, 8]; '' or '0' -> no hidden layer."""
    if text.strip() in ("", "0"):
        return []
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected neurons per hidden layer such as 8,8 — got {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--preset", choices=list(PRESETS), help="start from a lecture preset")
    parser.add_argument("--dataset", choices=list(DATASETS), help="the point set (default circle)")
    parser.add_argument("--classes", type=int, help="spiral arms or blobs (2-5)")
    parser.add_argument("--curve", choices=list(CURVES), help="the curve of --dataset curve")
    parser.add_argument("--noise", type=int, help="0-50 (percent)")
    parser.add_argument("--train-percent", type=int, help="share of the points that train, 10-90")
    parser.add_argument("--points", type=int, help="how many points (default 500)")
    parser.add_argument("--data-seed", type=int, help="seed of the points")
    parser.add_argument("--data", type=Path, metavar="POINTS.csv", help="your own points instead of --dataset")
    parser.add_argument("--features", type=lambda t: _names(t, FEATURES, "feature"), metavar="NAME,...",
                        help=f"input features (default x1,x2), from: {', '.join(FEATURES)}")
    parser.add_argument("--layers", type=_sizes, metavar="N,N,...", help="neurons per hidden layer, e.g. 8,8 "
                                                                          "(0: none)")
    parser.add_argument("--activation", type=lambda t: _names(t, ACTIVATIONS, "activation"), metavar="NAME[,...]",
                        help=f"one for every layer, or one per layer; from: {', '.join(ACTIVATIONS)}")
    parser.add_argument("--optimizer", choices=list(OPTIMIZERS))
    parser.add_argument("--learning-rate", type=float)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--loss", choices=list(LOSSES))
    parser.add_argument("--regularization", choices=list(REGULARIZERS))
    parser.add_argument("--regularization-rate", type=float)
    parser.add_argument("--dropout", type=float)
    parser.add_argument("--batch-norm", action="store_true", default=None)
    parser.add_argument("--seed", type=int, help="seed of the starting weights and batches")
    parser.add_argument("--epochs", type=int, default=100, help="epochs to train (default 100)")
    parser.add_argument("--out", type=Path, metavar="GRID.npy", help="save the final 100 × 100 output map")
    parser.add_argument("--save", type=Path, metavar="MODEL.keras", help="save the trained network")


def _setup(args: argparse.Namespace) -> Setup:
    """The preset (or the defaults) with the options given on the command line."""
    setup = PRESETS[args.preset].setup if args.preset else Setup()
    data_changes = {"name": args.dataset, "classes": args.classes, "curve": args.curve, "noise": args.noise,
                    "train_percent": args.train_percent, "points": args.points, "seed": args.data_seed}
    data = replace(setup.data, **{k: v for k, v in data_changes.items() if v is not None})
    net = setup.net
    sizes = args.layers if args.layers is not None else [layer.units for layer in net.layers]
    activations = args.activation or [layer.activation for layer in net.layers]
    if not args.activation and len(activations) != len(sizes):  # new sizes without activations: the first one
        activations = activations[:1] or ["tanh"]
    if len(activations) == 1:
        activations = activations * len(sizes)
    elif len(activations) != len(sizes):
        fail(f"--activation names {len(activations)} activations for {len(sizes)} hidden layers; give one, or one "
             "per layer")
    if args.layers is not None or args.activation:
        net = replace(net, layers=tuple(Hidden(units, activation) for units, activation in zip(sizes, activations)))
    net_changes = {"features": tuple(args.features) if args.features else None, "optimizer": args.optimizer,
                   "learning_rate": args.learning_rate, "batch_size": args.batch_size, "loss": args.loss,
                   "regularization": args.regularization, "regularization_rate": args.regularization_rate,
                   "dropout": args.dropout, "batch_norm": args.batch_norm, "seed": args.seed}
    net = replace(net, **{k: v for k, v in net_changes.items() if v is not None})
    if args.regularization and args.regularization != "none" and args.regularization_rate is None:
        net = replace(net, regularization_rate=net.regularization_rate or 0.001)
    try:
        return check(replace(setup, data=data, net=net))
    except SetupError as error:
        fail(str(error))
    raise AssertionError  # fail() exits


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from playground.boundaries.datasets import generate
    from playground.boundaries.points import from_csv
    from playground.boundaries.trainer import BoundaryRun, BoundaryTrainer

    if args.epochs < 0 or args.epochs > 1_000_000:
        fail(f"--epochs must be between 0 and 1,000,000, got {args.epochs}")
    for path, option, suffix in ((args.out, "--out", ".npy"), (args.save, "--save", ".keras")):
        if path is not None:
            if path.suffix != suffix:
                fail(f"{option} needs a path ending in {suffix}, got {path}")
            check_output(path, option)
    setup = _setup(args)
    try:
        points = (from_csv(args.data.read_bytes(), setup.data.train_percent, setup.data.seed) if args.data
                  else generate(setup.data))
        trainer = BoundaryTrainer(points, setup.net)
    except (DataError, ValueError) as error:
        fail(f"{args.data}: {error}" if args.data and isinstance(error, DataError) else str(error))
    job = BoundaryRun(trainer=trainer, epochs=args.epochs, name="boundary")
    job.start()
    print_rows(job, trainer.history.rows)
    if job.status == "failed":
        fail(job.message)
    snapshot = trainer.snapshot
    if args.out is not None and snapshot is not None:
        output = snapshot.maps.output
        grid = output[..., 1] if points.task == "classification" and output.shape[-1] == 2 else output
        np.save(args.out, np.squeeze(grid, axis=-1) if grid.ndim == 3 and grid.shape[-1] == 1 else grid)
    if args.save is not None and trainer.model is not None:
        trainer.model.save(args.save)
    last = trainer.history.last() or {}
    print(json.dumps({"summary": {
        "status": job.status, "epochs": trainer.epoch, **{k: v for k, v in last.items() if k != "epoch"},
        "seconds": round(trainer.seconds, 3), "epochs_per_second": round(trainer.epoch / trainer.seconds, 1)
        if trainer.seconds else None, "device": job.device, "points": len(points), "setup": json.loads(to_json(setup)),
        "message": job.message}}), flush=True)
    return 1 if job.status == "diverged" else 0

