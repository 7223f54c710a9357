"""Draw a digit benchmarks: the shipped models' accuracy (MNIST test, drawn-digit check set) and the latency from
a finished stroke to both predictions.

python -m bench.draw [--quick]
"""

from __future__ import annotations

import sys

import numpy as np

from bench.common import Row, median_seconds, print_rows
from playground.core.datasets import load_dataset
from playground.digits.classifiers import SHIPPED, accuracy, feature_maps, load_shipped_model, predict_probabilities
from playground.digits.preprocessing import naive_resize, to_mnist
from tools.build_drawn_digits import load_check_set, template_strokes
from tools.strokes import draw_strokes

MNIST_TARGETS = {"mlp": "≥ 98.0%", "cnn": "≥ 99.3%"}
DRAWN_TARGETS = {"mlp": "≥ 90%", "cnn": "≥ 97%"}


def accuracy_rows(quick: bool = False) -> list[Row]:
    data = load_dataset("mnist")
    x, y = (data.x_test[:2000], data.y_test[:2000]) if quick else (data.x_test, data.y_test)
    images, labels, subsets = load_check_set()
    rows: list[Row] = []
    for name, info in SHIPPED.items():
        model = load_shipped_model(name)
        rows.append((f"shipped {info.title}: MNIST test accuracy ({len(x):,} digits)",
                     f"{accuracy(model, x, y):.2%}", MNIST_TARGETS[name]))
        for subset in np.unique(subsets):
            chosen = subsets == subset
            rows.append((f"shipped {info.title}: drawn check set, {subset} ({chosen.sum():,} digits)",
                         f"{accuracy(model, images[chosen], labels[chosen]):.2%}", DRAWN_TARGETS[name]))
    return rows


def latency_rows() -> list[Row]:
    """Server-side time from the canvas PNG's pixels to both models' probabilities, for one drawing."""
    paths, _ = template_strokes(8, 0, np.random.default_rng(1))
    canvas = draw_strokes(paths, 20)
    mlp, cnn = load_shipped_model("mlp"), load_shipped_model("cnn")

    def classify() -> None:
        digit = to_mnist(canvas)[np.newaxis]
        predict_probabilities(mlp, digit)
        predict_probabilities(cnn, digit)

    digit = to_mnist(canvas)
    total = median_seconds(classify, repeats=50, warmup=5)
    preprocess = median_seconds(lambda: to_mnist(canvas), repeats=50)
    extras = median_seconds(lambda: (naive_resize(canvas), feature_maps(cnn, digit)), repeats=20, warmup=3)
    return [("preprocessing + MLP + CNN for one 280×280 drawing (median)", f"{total * 1000:.1f} ms", "< 30 ms"),
            ("  of which preprocessing (crop, 20 px box, centre of mass)", f"{preprocess * 1000:.1f} ms", "—"),
            ("naive resize + the CNN's feature maps (shown on the page too)", f"{extras * 1000:.1f} ms", "—")]


def measure(quick: bool = False) -> list[Row]:
    return accuracy_rows(quick) + latency_rows()


if __name__ == "__main__":
    print_rows(measure(quick="--quick" in sys.argv), "Draw a digit")
