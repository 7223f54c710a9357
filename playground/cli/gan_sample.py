"""Sample digits from the shipped GAN generator: a PNG grid, or a .npy array (N, 28, 28) float32 in [0, 1].

Example: python -m playground gan-sample --n 64 --digit 7 --seed 1 --out sevens.png
White ink on black, like MNIST. Without --digit, each sample's digit is drawn uniformly at random.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from playground.cli import check_output, fail

if TYPE_CHECKING:
    import keras

MAX_SAMPLES = 10_000
MAX_SEED = 2**32 - 1  # numpy's seeds are unsigned


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", type=int, required=True, help=f"how many images (1 to {MAX_SAMPLES:,})")
    parser.add_argument("--digit", type=int, help="ask for this digit (0-9); default: any digit")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same images")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.png|FILE.npy")
    parser.add_argument("--generator", type=Path, metavar="PATH.keras",
                        help="another saved generator (default: the shipped one)")


def check_archive(path: Path) -> None:
    """The limits of uploaded models (playground.digits.loading), checked before Keras reads a byte of the file:
    Keras would build every layer a config lists before it finds the weights missing."""
    from playground.digits.loading import MAX_FILE_LAYERS, ModelError, read_archive_config

    try:
        config = read_archive_config(path)
    except ModelError as error:
        fail(f"{path}: {error}")
    inner = config.get("config")
    layers = inner.get("layers") if isinstance(inner, dict) else None
    if not isinstance(layers, list) or len(layers) > MAX_FILE_LAYERS:
        fail(f"{path}: not a generator: a generator's config lists its layers (at most {MAX_FILE_LAYERS})")


def load_own_generator(path: Path) -> keras.Model:
    """A generator saved by the GAN page or gan.training; fails with one line if the file is anything else."""
    from playground.core.datasets import NUM_CLASSES
    from playground.gan import model as gan

    check_archive(path)
    try:
        generator = gan.load_generator(path)
    except Exception as error:  # noqa: BLE001 -- Keras raises many types for files it cannot rebuild
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        fail(f"{path}: not a generator this command can load ({reason})")
    inputs = [tuple(tensor.shape[1:]) for tensor in generator.inputs]
    output = tuple(generator.outputs[0].shape[1:]) if len(generator.outputs) == 1 else None
    if len(inputs) != 2 or len(inputs[0]) != 1 or inputs[1] != (NUM_CLASSES,) or output != gan.IMAGE_SHAPE:
        fail(f"{path}: not a digit generator: it takes {inputs} and gives {output}; a generator takes a noise "
             f"vector and a one-hot digit, [(N,), ({NUM_CLASSES},)], and gives a {gan.IMAGE_SHAPE} image")
    return generator


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.n <= MAX_SAMPLES:
        fail(f"--n must be between 1 and {MAX_SAMPLES:,}, got {args.n}")
    if args.digit is not None and not 0 <= args.digit <= 9:
        fail(f"--digit must be between 0 and 9, got {args.digit}")
    if not 0 <= args.seed <= MAX_SEED:
        fail(f"--seed must be between 0 and {MAX_SEED:,}, got {args.seed}")
    if args.out.suffix.lower() not in (".png", ".npy"):
        fail(f"--out must end in .png or .npy, got {args.out}")
    check_output(args.out, "--out")
    if args.generator is not None and not args.generator.is_file():
        fail(f"no generator file at {args.generator}")

    from playground.charts.gan import grid_picture
    from playground.gan import model as gan
    from playground.gan import sampling

    generator = load_own_generator(args.generator) if args.generator else gan.load_shipped_generator()
    images, digits = sampling.sample(generator, args.n, args.digit, args.seed)
    if args.out.suffix.lower() == ".npy":
        np.save(args.out, images.astype(np.float32))
    else:
        from PIL import Image

        Image.fromarray(grid_picture(images, math.ceil(math.sqrt(args.n)), 2)).save(args.out)
    print(json.dumps({"out": str(args.out), "n": args.n, "digits": np.bincount(digits, minlength=10).tolist()}))
    return 0
