"""Train a preset: one JSON line per epoch, then {"summary": {...}}.

Example: python -m playground train --preset mlp --epochs 3 --save mlp.keras
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from playground.cli import check_output, fail, print_rows
from playground.core.presets import PRESETS
from playground.core.specs import OPTIMIZERS, SpecError
from playground.training.run import TrainingRun


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--preset", required=True, choices=list(PRESETS), help="which demo to train")
    parser.add_argument("--epochs", type=int, help="passes over the training data")
    parser.add_argument("--batch-size", type=int, help="samples per weight update")
    parser.add_argument("--optimizer", choices=list(OPTIMIZERS))
    parser.add_argument("--learning-rate", type=float)
    parser.add_argument("--seed", type=int, help="same seed, same run")
    parser.add_argument("--train-samples", type=int, help="train on the first N training samples only")
    parser.add_argument("--save", type=Path, metavar="PATH.keras", help="save the trained model here")


def run(args: argparse.Namespace) -> int:
    if args.save is not None:
        if args.save.suffix != ".keras":
            fail(f"--save needs a path ending in .keras, got {args.save}")
        check_output(args.save, "--save")  # before the training, not after it
    experiment = PRESETS[args.preset].experiment
    changes = {"epochs": args.epochs, "batch_size": args.batch_size, "optimizer": args.optimizer,
               "learning_rate": args.learning_rate, "seed": args.seed, "train_samples": args.train_samples}
    config = replace(experiment.config, **{k: v for k, v in changes.items() if v is not None})
    try:
        training = TrainingRun(replace(experiment, config=config), name=args.preset)
    except SpecError as error:
        fail(str(error))
    training.start()
    print_rows(training, lambda n: training.history[n:])
    if training.status == "failed":
        fail(training.message)
    if args.save is not None:
        try:
            args.save.parent.mkdir(parents=True, exist_ok=True)
            training.model.save(args.save)
        except OSError as error:  # checked before training; the disk may still fill up or the folder go away
            fail(f"--save {args.save}: the trained model could not be saved ({error.strerror or error}).")
    # backend: where it ran, "thread" (this process) or "ray" (PLAYGROUND_RAY_ADDRESS: a cluster)
    print(json.dumps({"summary": {**training.summary(), "backend": training.backend_name}}), flush=True)
    return 1 if training.status == "diverged" else 0
