"""Build tests/data/optdigits_8x8.npz: real handwriting by 13 writers who are not in MNIST, at 8 × 8.

Source: the test set of UCI's "Optical Recognition of Handwritten Digits" (E. Alpaydin, C. Kaynak, 1998;
https://archive.ics.uci.edu/dataset/80; licence CC BY 4.0), as the copy scikit-learn ships inside its wheel
(sklearn/datasets/data/digits.csv.gz, 1,797 digits; scikit-learn is BSD-3-Clause). Each digit was a 32 × 32
bitmap from a NIST form, cut into 4 × 4 blocks whose 'on' pixels were counted: 8 × 8 values 0-16.

    pip download scikit-learn==1.8.0 --no-deps -d /tmp/skl
    .venv/bin/python tools/build_optdigits.py /tmp/skl/scikit_learn-1.8.0-*.whl

The app does not depend on scikit-learn; only this script reads its wheel. bench/draw.py measures the shipped
models on these digits (blown back up to 28 × 28) and on MNIST's test digits reduced the same way.
"""

from __future__ import annotations

import gzip
import sys
import zipfile
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "optdigits_8x8.npz"
MEMBER = "sklearn/datasets/data/digits.csv.gz"


def load_optdigits(path: Path = OUT) -> tuple[np.ndarray, np.ndarray]:
    """(counts (n, 8, 8) 0-16, labels (n,))."""
    with np.load(path) as data:
        return data["images"], data["labels"]


def reduce_to_8x8(image: np.ndarray) -> np.ndarray:
    """A 28 × 28 MNIST-like digit reduced as UCI reduced theirs: the ink's box scaled to fill a 32 × 32 bitmap
    (aspect kept, centred), then the 'on' pixels of each 4 × 4 block counted."""
    from PIL import Image

    rows, cols = np.nonzero(image > 0.5)
    box = np.asarray(image, np.float32)[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    h, w = box.shape
    scale = 32 / max(h, w)
    width, height = max(1, round(w * scale)), max(1, round(h * scale))
    bitmap = np.zeros((32, 32), bool)
    top, left = (32 - height) // 2, (32 - width) // 2
    bitmap[top:top + height, left:left + width] = np.asarray(
        Image.fromarray(box).resize((width, height), Image.BILINEAR)) > 0.5
    return bitmap.reshape(8, 4, 8, 4).sum(axis=(1, 3))


def blow_up(counts: np.ndarray) -> np.ndarray:
    """8 × 8 counts -> the 28 × 28 input the Draw page would make of them (smoothed to 32 × 32, then to_mnist)."""
    from PIL import Image

    from playground.digits.preprocessing import to_mnist

    grey = Image.fromarray(np.asarray(counts, np.float32) / 16).resize((32, 32), Image.BILINEAR)
    return to_mnist(np.asarray(grey))


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        rows = gzip.decompress(archive.read(MEMBER)).decode().split()
    values = np.array([[int(v) for v in row.split(",")] for row in rows], dtype=np.uint8)
    images, labels = values[:, :64].reshape(-1, 8, 8), values[:, 64]
    assert images.max() <= 16 and set(labels) == set(range(10)), "not the digits file this script expects"
    np.savez_compressed(OUT, images=images, labels=labels)
    print(f"{len(labels):,} digits -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
