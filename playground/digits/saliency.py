"""Why a classifier answered what it did: an occlusion map over the 28×28 input.

Erase a small square of the drawing (set it to the black background), ask the model again, and see how much the
log-odds of a digit drop (log p / (1 - p): unlike p, they still move when the model is 99.99% sure). Ink whose
erasing lowers them pushed the answer towards that digit; ink whose erasing raises them pushed away from it. Each
ink pixel gets the mean of the drops of every square that covers it.
Any model works (MLP, CNN, the user's own): it only needs predictions, no gradients or layer names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from playground.digits.classifiers import predict_probabilities

if TYPE_CHECKING:
    import keras

PATCH = 5  # the erased square, in pixels (a pen stroke is about 2-3 pixels wide at 28 × 28)
INK = 0.1  # pixels brighter than this are ink; only they get a value
FLOOR = 1e-30  # probabilities are clipped here before the log (a float32 softmax can round to 0)


@dataclass(frozen=True)
class Evidence:
    """For one digit: its probability and, per ink pixel, how much that ink pushed towards it (NaN off the ink)."""

    digit: int
    probability: float
    map: np.ndarray  # (28, 28) drops of the digit's log-odds: > 0 for the digit, < 0 against it


def log_odds(probabilities: np.ndarray, digit: int) -> np.ndarray:
    """log(p / (1 - p)) of one digit for each row, with 1 - p summed from the other digits (exact near p = 1)."""
    others = np.delete(probabilities, digit, axis=1).sum(axis=1)
    return np.log(np.clip(probabilities[:, digit], FLOOR, None)) - np.log(np.clip(others, FLOOR, None))


def _box_sum(values: np.ndarray, size: int) -> np.ndarray:
    """The sum over the size × size square centred at each pixel (zero outside the image)."""
    half = size // 2
    padded = np.pad(values, half)
    table = np.pad(padded.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    h, w = values.shape
    return (table[size:size + h, size:size + w] - table[:h, size:size + w] - table[size:size + h, :w]
            + table[:h, :w])


def occlusion(model: keras.Model, digit: np.ndarray, digits: list[int] | None = None) -> list[Evidence]:
    """Evidence for each of `digits` (default: the top answer and the runner-up) in one batch of predictions.

    Only squares that touch ink are tried: erasing black background changes nothing, so its value is exactly 0.
    """
    image = np.asarray(digit, dtype=np.float32).reshape(28, 28)
    ink = image > INK
    half = PATCH // 2
    centres = np.argwhere(_box_sum(ink.astype(np.float32), PATCH) > 0)
    erased = np.repeat(image[np.newaxis], len(centres), axis=0)
    for n, (i, j) in enumerate(centres):
        erased[n, max(0, i - half):i + half + 1, max(0, j - half):j + half + 1] = 0.0
    probabilities = predict_probabilities(model, np.concatenate([image[np.newaxis], erased])).astype(np.float64)
    if digits is None:
        digits = [int(d) for d in np.argsort(-probabilities[0])[:2]]
    covered = _box_sum(np.ones((28, 28)), PATCH)  # how many squares cover each pixel
    found = []
    for d in digits:
        drops = np.zeros((28, 28))
        odds = log_odds(probabilities, d)
        drops[centres[:, 0], centres[:, 1]] = odds[0] - odds[1:]
        per_pixel = _box_sum(drops, PATCH) / covered  # each pixel: the mean drop of the squares that cover it
        found.append(Evidence(d, float(probabilities[0, d]), np.where(ink, per_pixel, np.nan)))
    return found
