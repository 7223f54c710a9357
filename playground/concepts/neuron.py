"""A neuron's arithmetic in NumPy: the weighted sum written out, and 11 activations with their slopes."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray

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
