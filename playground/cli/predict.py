"""Classify images of digits: one JSON line per image, {"image", "digit", "probabilities"}.

Uses exactly the Draw a digit page's preprocessing (PNG/JPEG of any size; grayscale, RGB or RGBA; white on black
or black on white). An image that cannot be read gets one `error: ...` line on stderr, the others are still
classified, and the exit status is 2.

Example: python -m playground predict --model cnn seven.png scan.jpg
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from playground.cli import fail
from playground.digits.classifiers import SHIPPED, load_shipped_model, predict_probabilities
from playground.digits.loading import ModelError, load_model_file
from playground.digits.preprocessing import DigitError, load_image_file, to_mnist


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default="cnn", metavar="{mlp,cnn,PATH.keras}",
                        help="a shipped model (mlp or cnn, the default) or your own .keras file")
    parser.add_argument("--batch-size", type=int, default=256, help="images classified per model call")
    parser.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help="PNG or JPEG files")


def check_model_argument(name: str) -> None:
    """Refuse a --model that cannot be right before any work (and before TensorFlow's start-up)."""
    if name in SHIPPED:
        return
    if not name.endswith(".keras"):
        fail(f"--model must be {', '.join(SHIPPED)} or a path to a .keras file, got {name!r}")
    if not Path(name).is_file():
        fail(f"{name}: No such model file.")


def load(name: str):
    """The shipped model called `name`, or the .keras file at that path; fails with one line if it is unusable."""
    try:
        return load_shipped_model(name) if name in SHIPPED else load_model_file(name)
    except ModelError as error:
        fail(f"{name}: {error}")


def run(args: argparse.Namespace) -> int:
    if args.batch_size < 1:
        fail(f"--batch-size must be at least 1, got {args.batch_size}")
    check_model_argument(args.model)
    paths, digits = [], []
    for path in args.images:  # preprocessing needs no TensorFlow: bad files are reported at once
        try:
            digits.append(to_mnist(load_image_file(path)))
            paths.append(path)
        except DigitError as error:
            print(f"error: {path}: {error}", file=sys.stderr, flush=True)
    if digits:
        model = load(args.model)
        for start in range(0, len(digits), args.batch_size):
            batch = np.stack(digits[start:start + args.batch_size])
            for path, probabilities in zip(paths[start:start + args.batch_size], predict_probabilities(model, batch)):
                print(json.dumps({"image": str(path), "digit": int(probabilities.argmax()),
                                  "probabilities": [round(float(p), 6) for p in probabilities]}), flush=True)
    return 2 if len(digits) < len(args.images) else 0
