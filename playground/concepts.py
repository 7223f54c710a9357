"""The formulas behind the concept pages in plain NumPy: activations, softmax and loss, convolution, pooling, descent."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray

# --- Activation functions and their derivatives -------------------------------------------------------------------

LEAKY_SLOPE = 0.1  # larger than the usual 0.01 so the leak is visible on a plot
ELU_ALPHA = 1.0
_erf = np.vectorize(math.erf, otypes=[float])  # NumPy has no erf; math.erf is exact and fast enough for plots


def sigmoid(x: Array) -> Array:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # the same as 1 / (1 + e^-x), without overflow for large -x


def _normal_cdf(x: Array) -> Array:
    return 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))


def _normal_pdf(x: Array) -> Array:
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


@dataclass(frozen=True)
class Activation:
    """An activation function: how it is written, what it does, and the function with its derivative."""

    title: str
    formula: str  # LaTeX
    idea: str
    function: Callable[[Array], Array]
    derivative: Callable[[Array], Array]
    in_lecture: bool = False  # part of the lecture's table

    @property
    def name(self) -> str:
        """The title without its alias, short enough for a formula: 'Logistic', 'Swish'."""
        return self.title.split(" (")[0]


ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation(
        "Identity", r"f(x) = x", "Passes the sum through unchanged: a network of these is one big linear map.",
        lambda x: x * 1.0, np.ones_like, True),
    "binary_step": Activation(
        "Binary step", r"f(x) = \begin{cases} 0 & x < 0 \\ 1 & x \ge 0 \end{cases}",
        "Fires or doesn't, like the first perceptron. Its slope is 0 everywhere, so gradients can't train it.",
        lambda x: np.where(x >= 0, 1.0, 0.0), np.zeros_like, True),
    "sigmoid": Activation(
        "Logistic (sigmoid)", r"f(x) = \frac{1}{1 + e^{-x}}",
        "Squashes any number into (0, 1): reads as a probability. Flat at both ends: gradients vanish there.",
        sigmoid, lambda x: sigmoid(x) * (1.0 - sigmoid(x)), True),
    "tanh": Activation(
        "tanh", r"f(x) = \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
        "Like the sigmoid but centred on 0, with outputs in (−1, 1).",
        np.tanh, lambda x: 1.0 - np.tanh(x) ** 2, True),
    "arctan": Activation(
        "arctan", r"f(x) = \tan^{-1}(x)", "Another S-curve, in (−π/2, π/2), flattening more slowly than tanh.",
        np.arctan, lambda x: 1.0 / (1.0 + x * x), True),
    "softsign": Activation(
        "Softsign", r"f(x) = \frac{x}{1 + |x|}", "An S-curve in (−1, 1) whose tails approach ±1 slowly.",
        lambda x: x / (1.0 + np.abs(x)), lambda x: 1.0 / (1.0 + np.abs(x)) ** 2, True),
    "relu": Activation(
        "ReLU", r"f(x) = \max(0, x)",
        "Zero for negative sums, the sum itself otherwise: cheap, and its slope 1 lets gradients through. "
        "The default in hidden layers today.",
        lambda x: np.maximum(x, 0.0), lambda x: np.where(x > 0, 1.0, 0.0), True),
    "leaky_relu": Activation(
        "Leaky ReLU", rf"f(x) = \begin{{cases}} {LEAKY_SLOPE}x & x < 0 \\ x & x \ge 0 \end{{cases}}",
        "ReLU with a small slope for negative sums, so a neuron never goes completely silent.",
        lambda x: np.where(x >= 0, x, LEAKY_SLOPE * x), lambda x: np.where(x > 0, 1.0, LEAKY_SLOPE)),
    "elu": Activation(
        "ELU", r"f(x) = \begin{cases} e^{x} - 1 & x < 0 \\ x & x \ge 0 \end{cases}",
        "A smooth ReLU that dips down to −1 for negative sums.",
        lambda x: np.where(x > 0, x, ELU_ALPHA * np.expm1(np.minimum(x, 0.0))),
        lambda x: np.where(x > 0, 1.0, ELU_ALPHA * np.exp(np.minimum(x, 0.0)))),
    "gelu": Activation(
        "GELU", r"f(x) = x \cdot \Phi(x)",
        "x weighted by the chance that a standard normal value is below x: a smooth ReLU used in transformers.",
        lambda x: x * _normal_cdf(x), lambda x: _normal_cdf(x) + x * _normal_pdf(x)),
    "swish": Activation(
        "Swish (SiLU)", r"f(x) = x \cdot \sigma(x)", "x times its own sigmoid: smooth, slightly negative below 0.",
        lambda x: x * sigmoid(x), lambda x: sigmoid(x) * (1.0 + x * (1.0 - sigmoid(x)))),
}


def activate(name: str, x: Array | float) -> Array:
    """The activation `name` applied element-wise."""
    return ACTIVATIONS[name].function(np.asarray(x, dtype=float))


def activation_slope(name: str, x: Array | float) -> Array:
    """The derivative of activation `name` at x (at kinks, the value Keras uses: 0 for ReLU at 0)."""
    return ACTIVATIONS[name].derivative(np.asarray(x, dtype=float))


def weighted_sum(inputs: Array, weights: Array, bias: float) -> float:
    """What a neuron computes before its activation: multiply each input by its weight, add up, add the bias."""
    return float(np.dot(inputs, weights) + bias)


def _number(value: float, digits: int, bracket: bool = False) -> str:
    text = f"{value:.{digits}f}".replace("-", "−")  # a real minus sign reads better than a hyphen
    return f"({text})" if bracket and value < 0 else text


def weighted_sum_text(inputs: Array, weights: Array, bias: float, digits: int = 1) -> str:
    """The multiply-and-accumulate written out: '0.5×0.8 + (−1.0)×0.3 + 0.2 = 0.30'."""
    terms = [f"{_number(x, digits, True)}×{_number(w, digits, True)}" for x, w in zip(inputs, weights)]
    terms.append(_number(bias, digits, True))
    return f"{' + '.join(terms)} = {_number(weighted_sum(inputs, weights, bias), digits + 1)}"


# --- Labels, probabilities, loss, accuracy ------------------------------------------------------------------------

EPSILON = 1e-7  # Keras clips probabilities to [eps, 1 - eps] before the log, so a wrong "certain" answer costs ~16


def one_hot(label: int, num_classes: int) -> Array:
    """The label as a vector of zeros with a single 1 at its index."""
    if not 0 <= label < num_classes:
        raise ValueError(f"label {label} is not one of 0..{num_classes - 1}")
    vector = np.zeros(num_classes)
    vector[label] = 1.0
    return vector


def softmax(logits: Array) -> Array:
    """Turn scores into probabilities that are positive and add up to 1 (along the last axis)."""
    logits = np.asarray(logits, dtype=float)
    exp = np.exp(logits - logits.max(axis=-1, keepdims=True))  # shifting changes nothing but avoids overflow
    return exp / exp.sum(axis=-1, keepdims=True)


def cross_entropy(target: Array, probabilities: Array) -> float:
    """−Σ target · log(probability): with a one-hot target, minus the log of the probability of the true class."""
    clipped = np.clip(np.asarray(probabilities, dtype=float), EPSILON, 1.0 - EPSILON)
    return float(-np.sum(np.asarray(target, dtype=float) * np.log(clipped)))


def accuracy(labels: Array, predictions: Array) -> tuple[int, int]:
    """(correct, total): how many predicted classes equal the true labels."""
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    return int(np.sum(labels == predictions)), int(labels.size)


# --- Convolution and pooling --------------------------------------------------------------------------------------

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


# --- Gradient descent in one dimension ----------------------------------------------------------------------------

DIVERGED_BEYOND = 1e6  # once |x| is this far out the walk has clearly blown up: stop before numbers overflow


@dataclass(frozen=True)
class Curve:
    """A 1D loss curve with its slope, the range worth plotting and a starting point."""

    title: str
    formula: str  # LaTeX
    function: Callable[[Array], Array]
    slope: Callable[[Array], Array]
    x_range: tuple[float, float]
    start: float


CURVES: dict[str, Curve] = {
    "bowl": Curve("A bowl", r"f(x) = x^2", lambda x: x * x, lambda x: 2 * x, (-3.0, 3.0), 2.5),
    "two valleys": Curve("Two valleys", r"f(x) = \tfrac{1}{4}x^4 - x^2 + 0.3x",
                         lambda x: 0.25 * x**4 - x**2 + 0.3 * x, lambda x: x**3 - 2 * x + 0.3, (-2.4, 2.4), 2.2),
}


def descend(curve: Curve, x: float, learning_rate: float) -> float:
    """One step of gradient descent: move against the slope, by learning rate × slope."""
    return float(x - learning_rate * curve.slope(x))


def curvature(curve: Curve, x: float, h: float = 1e-4) -> float:
    """The second derivative at x: how fast the slope changes, i.e. how narrow the valley is here."""
    return float((curve.slope(x + h) - curve.slope(x - h)) / (2 * h))


def diverged(x: float) -> bool:
    return not math.isfinite(x) or abs(x) > DIVERGED_BEYOND


def tangent(curve: Curve, x: float, half_width: float = 1.0) -> tuple[Array, Array]:
    """Two points of the tangent line at x, to draw it."""
    xs = np.array([x - half_width, x + half_width])
    return xs, curve.function(x) + curve.slope(x) * (xs - x)


# --- Images for the convolution page ------------------------------------------------------------------------------

MAX_UPLOAD_SIDE = 96  # a photo is shrunk so its longer side has this many pixels: big enough to see edges, fast


def photo_to_grayscale(data: bytes, max_side: int = MAX_UPLOAD_SIDE) -> Array:
    """An uploaded image file as a grey float array in [0, 1]; ValueError with a plain message if it isn't one."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((max_side, max_side))
            grey = np.asarray(image.convert("L"), dtype=float) / 255.0
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValueError("This file is not an image I can read. Upload a PNG, JPEG, GIF, BMP or WebP photo.") from None
    if min(grey.shape) < 3:
        raise ValueError(f"This image is only {grey.shape[1]}×{grey.shape[0]} pixels; a 3×3 kernel needs at least 3×3.")
    return grey
