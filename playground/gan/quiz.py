"""Real or fake?: a round mixing real MNIST test digits with generated ones, and the player's score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from playground.core.datasets import load_mnist_arrays
from playground.gan.sampling import sample

if TYPE_CHECKING:
    import keras


@dataclass(frozen=True)
class QuizRound:
    """The images of one round, in the order shown, and which of them the generator made."""

    images: np.ndarray  # (n, 28, 28) float32 in [0, 1]
    fake: np.ndarray  # (n,) bool


@dataclass(frozen=True)
class QuizScore:
    right: int
    total: int
    fakes_spotted: int
    fakes: int
    reals_called_fake: int


def quiz_round(generator: keras.Model, seed: int, size: int = 12) -> QuizRound:
    """`size` images, between a third and two thirds of them fake (so counting does not give the answer away)."""
    rng = np.random.default_rng(seed)
    fakes = int(rng.integers(size // 3, 2 * size // 3 + 1))
    test = load_mnist_arrays()["x_test"]
    real = test[rng.choice(len(test), size - fakes, replace=False)].astype(np.float32) / 255.0
    generated, _ = sample(generator, fakes, None, seed)
    order = rng.permutation(size)
    return QuizRound(np.concatenate([real, generated])[order],
                     np.concatenate([np.zeros(size - fakes, bool), np.ones(fakes, bool)])[order])


def quiz_score(fake: np.ndarray, marked: np.ndarray) -> QuizScore:
    """Marked = the images the player called fake; every image correctly called counts one point."""
    fake, marked = np.asarray(fake, bool), np.asarray(marked, bool)
    return QuizScore(int(np.sum(fake == marked)), len(fake), int(np.sum(fake & marked)), int(fake.sum()),
                     int(np.sum(~fake & marked)))
