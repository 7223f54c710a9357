"""Does test-time augmentation pay on the Draw page? The shipped models' answers averaged over copies of each
digit (shifted by a pixel, boxed at 18 or 22 px instead of MNIST's 20, with thicker strokes), on real handwriting
by 13 writers outside MNIST and on MNIST's test set, and what the copies cost per drawing (issue 15: "test-time
augmentation or a small ensemble, only if it pays for its milliseconds"). Not used by the app: it did not pay.

python -m bench.draw_tta
"""

from __future__ import annotations

import numpy as np

from bench.common import Row, median_seconds, print_rows
from playground.core.datasets import load_dataset
from playground.digits.classifiers import SHIPPED, load_shipped_model, predict_probabilities
from playground.digits.preprocessing import mnist_from_ink
from tools.build_optdigits import blow_up, load_optdigits


def moved(images: np.ndarray, down: int, right: int) -> np.ndarray:
    """(n, 28, 28) digits moved by whole pixels; what leaves the field is dropped, what comes in is blank."""
    out = np.zeros_like(images)
    h, w = images.shape[1:]
    out[:, max(down, 0):h + min(down, 0), max(right, 0):w + min(right, 0)] = \
        images[:, max(-down, 0):h - max(down, 0), max(-right, 0):w - max(right, 0)]
    return out


COPIES = {
    "as drawn": lambda x: x,
    "1 px right": lambda x: moved(x, 0, 1), "1 px left": lambda x: moved(x, 0, -1),
    "1 px down": lambda x: moved(x, 1, 0), "1 px up": lambda x: moved(x, -1, 0),
    "18 px box": lambda x: np.stack([mnist_from_ink(i, 18) for i in x]),
    "22 px box": lambda x: np.stack([mnist_from_ink(i, 22) for i in x]),
    "thicker": lambda x: np.maximum.reduce([x, 0.7 * moved(x, 0, 1), 0.7 * moved(x, 1, 0)]),
}
SHIFTS = ["as drawn", "1 px right", "1 px left", "1 px down", "1 px up"]
AVERAGES = {
    "no augmentation": ["as drawn"],
    "average of 5: ±1 px shifts": SHIFTS,
    "average of 3: 18/20/22 px boxes": ["as drawn", "18 px box", "22 px box"],
    "average of 2: with thicker strokes": ["as drawn", "thicker"],
    "average of all 8 copies": list(COPIES),
}


def measure() -> list[Row]:
    counts, labels = load_optdigits()
    real = np.stack([blow_up(c) for c in counts])
    data = load_dataset("mnist")
    x, y = data.x_test.reshape(-1, 28, 28), data.y_test
    rows: list[Row] = []
    for name, info in SHIPPED.items():
        model = load_shipped_model(name)
        real_probabilities = {copy: predict_probabilities(model, make(real)) for copy, make in COPIES.items()}
        mnist_probabilities = {copy: predict_probabilities(model, make(x)) for copy, make in COPIES.items()}
        for title, copies in AVERAGES.items():
            on_real = sum(real_probabilities[c] for c in copies).argmax(axis=1)
            on_mnist = sum(mnist_probabilities[c] for c in copies).argmax(axis=1)
            weakest = min(float(np.mean(on_real[labels == d] == d)) for d in range(10))
            seconds = median_seconds(  # from one digit: make its copies, then one batch through the model
                lambda m=model, cs=copies: predict_probabilities(m, np.concatenate([COPIES[c](x[:1]) for c in cs])),
                repeats=30, warmup=3)
            rows.append((f"shipped {info.title}, {title}",
                         f"real handwriting {np.mean(on_real == labels):.2%} (weakest digit {weakest:.1%}); "
                         f"MNIST test {np.mean(on_mnist == y):.2%}; {seconds * 1000:.1f} ms per drawing",
                         "pays only if real handwriting gains clearly"))
    return rows


if __name__ == "__main__":
    print_rows(measure(), "Test-time augmentation on the Draw page")
