"""Sample digits from the shipped GAN generator: a PNG grid, or a .npy array (N, 28, 28) float32 in [0, 1].

Example: python -m playground gan-sample --n 64 --digit 7 --seed 1 --out sevens.png
White ink on black, like MNIST. Without --digit, each sample's digit is drawn uniformly at random.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np

from playground.cli import fail

MAX_SAMPLES = 10_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", type=int, required=True, help=f"how many images (1 to {MAX_SAMPLES:,})")
    parser.add_argument("--digit", type=int, help="ask for this digit (0-9); default: any digit")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same images")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.png|FILE.npy")
    parser.add_argument("--generator", type=Path, metavar="PATH.keras",
                        help="another saved generator (default: the shipped one)")


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.n <= MAX_SAMPLES:
        fail(f"--n must be between 1 and {MAX_SAMPLES:,}, got {args.n}")
    if args.digit is not None and not 0 <= args.digit <= 9:
        fail(f"--digit must be between 0 and 9, got {args.digit}")
    if args.seed < 0:
        fail(f"--seed must be 0 or more, got {args.seed}")
    if args.out.suffix.lower() not in (".png", ".npy"):
        fail(f"--out must end in .png or .npy, got {args.out}")
    if args.generator is not None and not args.generator.is_file():
        fail(f"no generator file at {args.generator}")

    from playground.charts.gan import grid_picture
    from playground.gan import model as gan
    from playground.gan import sampling

    try:
        generator = gan.load_generator(args.generator) if args.generator else gan.load_shipped_generator()
    except (OSError, ValueError) as error:
        fail(f"the generator could not be loaded: {error}")
    images, digits = sampling.sample(generator, args.n, args.digit, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.out.suffix.lower() == ".npy":
        np.save(args.out, images.astype(np.float32))
    else:
        from PIL import Image

        Image.fromarray(grid_picture(images, math.ceil(math.sqrt(args.n)), 2)).save(args.out)
    print(json.dumps({"out": str(args.out), "n": args.n, "digits": np.bincount(digits, minlength=10).tolist()}))
    return 0
