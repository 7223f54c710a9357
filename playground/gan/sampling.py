"""Sampling a generator: noise vectors, digits asked for, images, interpolations, and pictures of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from playground.core.datasets import NUM_CLASSES

if TYPE_CHECKING:
    import keras


def latent_dim(generator: keras.Model) -> int:
    return int(generator.inputs[0].shape[-1])


def sample_noise(n: int, dim: int, seed: int) -> np.ndarray:
    """n standard-normal noise vectors; the same seed always gives the same vectors."""
    return np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)


def sample_digits(n: int, digit: int | None, seed: int) -> np.ndarray:
    """The digit of each sample: `digit` for all, or (None) drawn uniformly, as an unconditional sampler would."""
    if digit is not None:
        return np.full(n, digit, dtype=np.int32)
    return np.random.default_rng([seed, 1]).integers(0, NUM_CLASSES, n).astype(np.int32)


def one_hot(digits: np.ndarray) -> np.ndarray:
    return np.eye(NUM_CLASSES, dtype=np.float32)[np.asarray(digits, dtype=np.int32)]


def generate(generator: keras.Model, noise: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """Images (n, 28, 28) float32 in [0, 1] for noise vectors and digits (integers, or one-hot/blended rows)."""
    digits = np.asarray(digits)
    labels = digits.astype(np.float32) if digits.ndim == 2 else one_hot(digits)
    # A direct call, not predict(): predict() builds a tf.data pipeline each time, ten times the cost of 64 images.
    images = generator([noise.astype(np.float32), labels], training=False)
    return np.asarray(images)[..., 0]


def sample(generator: keras.Model, n: int, digit: int | None = None, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n generated images (n, 28, 28) in [0, 1] and the digit each was asked to be."""
    digits = sample_digits(n, digit, seed)
    return generate(generator, sample_noise(n, latent_dim(generator), seed), digits), digits


def interpolate(start: np.ndarray, end: np.ndarray, steps: int) -> np.ndarray:
    """`steps` vectors on the straight line from start to end, both included."""
    weights = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, np.newaxis]
    return (1.0 - weights) * start[np.newaxis] + weights * end[np.newaxis]


def interpolation(generator: keras.Model, noise: tuple[np.ndarray, np.ndarray], digits: tuple[int, int],
                  steps: int) -> np.ndarray:
    """Images on the way from one sample to another: noise and digit blend together, (steps, 28, 28)."""
    labels = interpolate(one_hot(np.array([digits[0]]))[0], one_hot(np.array([digits[1]]))[0], steps)
    return generate(generator, interpolate(noise[0], noise[1], steps), labels)


def image_grid(images: np.ndarray, columns: int, gap: int = 2) -> np.ndarray:
    """Tile (n, h, w) images into one uint8 picture, `gap` black pixels between them."""
    n, h, w = images.shape
    rows = max(1, -(-n // columns))
    grid = np.zeros((rows * (h + gap) - gap, columns * (w + gap) - gap), dtype=np.uint8)
    for index, image in enumerate(images):
        r, c = divmod(index, columns)
        grid[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = to_uint8(image)
    return grid


def to_uint8(images: np.ndarray) -> np.ndarray:
    """Floats in [0, 1] -> bytes 0-255 (bytes stay as they are)."""
    if images.dtype == np.uint8:
        return images
    return np.clip(np.rint(images * 255.0), 0, 255).astype(np.uint8)
