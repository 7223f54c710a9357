"""Convert the Fashion-MNIST IDX files of Debian's package `dataset-fashion-mnist` into assets/data/fashion_mnist.npz.

Run once (the npz is committed):

    sudo apt-get install -y dataset-fashion-mnist
    python assets/data/build_fashion_npz.py /usr/share/datasets/fashion-mnist

Source: Zalando Research, https://github.com/zalandoresearch/fashion-mnist (Xiao, Rasul and Vollgraf 2017),
packaged by Debian as dataset-fashion-mnist 0.0~git20200523.55506a9-1. Licence: MIT (Expat), Copyright 2017
Zalando SE; see /usr/share/doc/dataset-fashion-mnist/copyright.

The npz holds x_train (60000, 28, 28) uint8, y_train (60000,) uint8, x_test (10000, 28, 28) uint8 and
y_test (10000,) uint8: the same keys and layout as assets/data/mnist.npz and as
keras.datasets.fashion_mnist.load_data(), with no download at run time. Labels: 0 T-shirt/top, 1 Trouser,
2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_mnist_npz import IMAGE_MAGIC, LABEL_MAGIC, read_idx

FILES = {
    "x_train": ("train-images-idx3-ubyte", IMAGE_MAGIC),
    "y_train": ("train-labels-idx1-ubyte", LABEL_MAGIC),
    "x_test": ("t10k-images-idx3-ubyte", IMAGE_MAGIC),
    "y_test": ("t10k-labels-idx1-ubyte", LABEL_MAGIC),
}


def read_maybe_gzipped(folder: Path, name: str, magic: int, scratch: Path) -> np.ndarray:
    """One IDX file of `folder`, plain or gzipped (Debian ships them as .gz)."""
    plain, packed = folder / name, folder / f"{name}.gz"
    if plain.exists():
        return read_idx(plain, magic)
    unpacked = scratch / name
    unpacked.write_bytes(gzip.decompress(packed.read_bytes()))
    return read_idx(unpacked, magic).copy()


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("idx_dir", type=Path, nargs="?", default=Path("/usr/share/datasets/fashion-mnist"),
                        help="folder with the four *-ubyte(.gz) files")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("fashion_mnist.npz"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        arrays = {key: read_maybe_gzipped(args.idx_dir, name, magic, Path(scratch))
                  for key, (name, magic) in FILES.items()}
    np.savez_compressed(args.out, **arrays)
    for name, array in arrays.items():
        print(f"{name}: {array.shape} {array.dtype}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
