"""Gradient descent in one dimension: curves, one step, curvature and the tangent drawn on the page."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray

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
