"""Convolution and pooling in NumPy, padded and strided exactly as Keras does it, and the lecture's kernels."""

from __future__ import annotations

import math

import numpy as np

Array = np.ndarray

KERNELS: dict[str, Array] = {
    "edge detector (lecture)": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], float),
    "blur": np.full((3, 3), 1.0 / 9.0),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], float),
    "Sobel x (vertical edges)": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], float),
    "Sobel y (horizontal edges)": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], float),
    "emboss": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], float),
}
PADDINGS = ("valid", "same")


def _same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """Zeros before and after, as Keras/TensorFlow pad for 'same': output = ceil(size / stride), extra at the end."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def output_size(size: int, kernel: int, stride: int = 1, padding: str = "valid") -> int:
    """Length of one side of a convolution or pooling output."""
    if padding == "same":
        return math.ceil(size / stride)
    return max((size - kernel) // stride + 1, 0)


def _windows(image: Array, window: tuple[int, int], stride: int, padding: str) -> Array:
    """Every window the kernel visits: shape (out_h, out_w, kh, kw)."""
    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {PADDINGS}, not {padding!r}")
    if stride < 1:
        raise ValueError("stride must be at least 1")
    if padding == "same":
        pads = [_same_padding(n, k, stride) for n, k in zip(image.shape, window)]
        image = np.pad(image, pads)
    if image.shape[0] < window[0] or image.shape[1] < window[1]:
        raise ValueError(f"a {window[0]}×{window[1]} window does not fit in a {image.shape[0]}×{image.shape[1]} image")
    return np.lib.stride_tricks.sliding_window_view(image, window)[::stride, ::stride]


def convolve2d(image: Array, kernel: Array, stride: int = 1, padding: str = "valid") -> Array:
    """Slide the kernel over the image; each output pixel is the sum of the window times the kernel.

    Like Keras' Conv2D (and most deep-learning libraries), the kernel is not flipped: strictly speaking this is
    cross-correlation.
    """
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    return np.einsum("ijkl,kl->ij", _windows(image, kernel.shape, stride, padding), kernel)


def relu(x: Array) -> Array:
    return np.maximum(x, 0.0)


def max_pool(image: Array, size: int = 2, stride: int | None = None, padding: str = "valid") -> Array:
    """Keep the largest value of each size×size window (stride defaults to the size, as in Keras)."""
    image = np.asarray(image, dtype=float)
    if padding == "same":  # pad with -inf so padding never wins the max
        pads = [_same_padding(n, size, stride or size) for n in image.shape]
        image = np.pad(image, pads, constant_values=-np.inf)
        padding = "valid"
    return _windows(image, (size, size), stride or size, padding).max(axis=(2, 3))
