"""2D loss surfaces written once for NumPy and TensorFlow, with their critical points found by Newton's method."""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

import numpy as np

# A surface is one formula f(x, y, xp) where xp is numpy or tensorflow: both name exp, sin, cos alike, so the
# plotted values and the gradients the optimizers follow come from the same code.
Formula = Callable[[Any, Any, ModuleType], Any]


@dataclass(frozen=True)
class Surface:
    """A loss function of two weights, the square of the plane we plot, and where a race starts by default."""

    name: str
    title: str
    formula_text: str
    lesson: str
    formula: Formula
    region: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max: leaving it counts as diverging
    start: tuple[float, float]
    log_scale: bool = False  # values span orders of magnitude: draw log(1 + loss - lowest)
    newton_grid: int = 30  # starts per axis when searching for critical points

    def value(self, x: Any, y: Any) -> Any:
        """The loss at (x, y), for NumPy arrays or scalars."""
        return self.formula(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64), np)

    def contains(self, x: Any, y: Any) -> Any:
        x_min, x_max, y_min, y_max = self.region
        return (x >= x_min) & (x <= x_max) & (y >= y_min) & (y <= y_max)


def _well(x: Any, y: Any, xp: ModuleType, cx: float, cy: float, depth: float, width: float) -> Any:
    return -depth * xp.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * width**2))


def _local_minima(x: Any, y: Any, xp: ModuleType) -> Any:
    return (0.06 * (x**2 + y**2) + _well(x, y, xp, 2.0, -1.2, 2.5, 1.0) + _well(x, y, xp, -2.0, 2.0, 1.5, 0.8)
            + _well(x, y, xp, -2.2, -2.2, 1.2, 0.7) + _well(x, y, xp, 1.9, 2.4, 1.0, 0.6))


SURFACES: dict[str, Surface] = {s.name: s for s in (
    Surface("bowl", "Elongated bowl", "f = x²/2 + 5·y²",
            "Convex, one minimum, but 10× steeper across than along: plain gradient descent zig-zags across "
            "the valley while it crawls along it.",
            lambda x, y, xp: 0.5 * x**2 + 5.0 * y**2, (-3.0, 3.0, -2.0, 2.0), (-2.6, 1.5)),
    Surface("saddle", "Saddle", "f = x² − y²",
            "Up along x, down along y. At (0, 0) the gradient is zero but it is no minimum: a run that arrives "
            "exactly along the x-axis stops there.",
            lambda x, y, xp: x**2 - y**2, (-2.0, 2.0, -2.0, 2.0), (1.8, 0.05)),
    Surface("two-valleys", "Saddle between two valleys", "f = x²/2 + (y² − 1)²",
            "A saddle point at (0, 0) between two minima. Exact gradients that start on the x-axis stall on the "
            "saddle; a little gradient noise tips the run into a valley.",
            lambda x, y, xp: 0.5 * x**2 + (y**2 - 1.0) ** 2, (-2.0, 2.0, -2.0, 2.0), (1.8, 0.0)),
    Surface("local-minima", "One global, several local minima", "f = 0.06·(x² + y²) − four Gaussian wells",
            "Four wells of different depths: where a run ends depends on where it starts and how far it jumps.",
            _local_minima, (-4.0, 4.0, -4.0, 4.0), (-3.5, 3.2), newton_grid=40),
    Surface("himmelblau", "Himmelblau", "f = (x² + y − 11)² + (x + y² − 7)²",
            "Four minima, all equally deep, a hilltop and four saddles: the start decides which minimum you find.",
            lambda x, y, xp: (x**2 + y - 11.0) ** 2 + (x + y**2 - 7.0) ** 2, (-5.0, 5.0, -5.0, 5.0), (-0.5, 4.5),
            log_scale=True),
    Surface("rosenbrock", "Rosenbrock's valley", "f = (1 − x)² + 100·(y − x²)²",
            "A long, narrow, curved valley: easy to fall into, slow to follow to the minimum at (1, 1).",
            lambda x, y, xp: (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2, (-2.0, 2.0, -1.0, 3.0), (-1.2, 1.0),
            log_scale=True),
    Surface("beale", "Beale", "f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
            "Flat in the middle, walls of 100,000 at the corners, the minimum at (3, 0.5) in a thin curved valley.",
            lambda x, y, xp: ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2),
            (-4.5, 4.5, -4.5, 4.5), (-1.0, -1.5), log_scale=True),
    Surface("plateau", "Plateau", "f = 1 − exp(−(x² + y²)/2)",
            "Almost flat far from the minimum: the gradient nearly vanishes, so plain gradient descent barely moves "
            "while adaptive optimizers rescale their steps and cross the plateau.",
            lambda x, y, xp: 1.0 - xp.exp(-(x**2 + y**2) / 2.0), (-5.0, 5.0, -5.0, 5.0), (4.0, 3.5)),
    Surface("rastrigin", "Rastrigin", "f = 20 + x² − 10·cos(2πx) + y² − 10·cos(2πy)",
            "An egg box: a bowl covered with 121 local minima. Only the one at (0, 0) is global.",
            lambda x, y, xp: (20.0 + x**2 - 10.0 * xp.cos(2 * math.pi * x) + y**2 - 10.0 * xp.cos(2 * math.pi * y)),
            (-5.12, 5.12, -5.12, 5.12), (4.3, 3.7), newton_grid=90),
)}


@dataclass(frozen=True)
class Grid:
    """The loss sampled on an n × n grid over a surface's region: z[i, j] is the loss at (x[j], y[i])."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray


def evaluate_grid(surface: Surface, n: int = 200) -> Grid:
    """The loss on an n × n grid (plain NumPy: a 200 × 200 grid takes about a millisecond)."""
    x_min, x_max, y_min, y_max = surface.region
    x, y = np.linspace(x_min, x_max, n), np.linspace(y_min, y_max, n)
    return Grid(x, y, surface.value(x[np.newaxis, :], y[:, np.newaxis]))


def display_values(surface: Surface, values: Any, lowest: float) -> np.ndarray:
    """Loss as drawn: log(1 + loss − lowest) for surfaces whose values span orders of magnitude."""
    values = np.asarray(values, dtype=np.float64)
    return np.log1p(np.maximum(values - lowest, 0.0)) if surface.log_scale else values


@functools.cache
def quiet_retracing_warnings() -> None:
    """Configure TensorFlow and drop its 'excessive retracing' warning. We compile one tf.function per surface (and
    per set of optimizers), each traced once; TensorFlow counts them as retraces of one function because they
    share their Python code, and would warn on every new surface."""
    from playground.core.device import configure_tensorflow

    configure_tensorflow()
    import tensorflow as tf

    tf.get_logger().addFilter(lambda record: "triggered tf.function retracing" not in record.getMessage())


@functools.cache
def _derivatives_function(name: str) -> Callable:
    """A compiled TF function: points (n, 2) -> loss (n,), gradient (n, 2), Hessian (n, 2, 2), by autodiff."""
    quiet_retracing_warnings()
    import tensorflow as tf

    formula = SURFACES[name].formula

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float64)])
    def derivatives(points: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
        with tf.GradientTape() as outer:
            outer.watch(points)
            with tf.GradientTape() as inner:
                inner.watch(points)
                loss = formula(points[:, 0], points[:, 1], tf)
            gradient = inner.gradient(loss, points)  # each row's loss depends on its own point only
        return loss, gradient, outer.batch_jacobian(gradient, points)

    return derivatives


def derivatives(surface: Surface, points: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loss, gradient and Hessian at each of `points` (n, 2), by TensorFlow's automatic differentiation."""
    loss, gradient, hessian = _derivatives_function(surface.name)(np.asarray(points, dtype=np.float64).reshape(-1, 2))
    return loss.numpy(), gradient.numpy(), hessian.numpy()


@dataclass(frozen=True)
class CriticalPoint:
    """A point where the gradient is zero; its kind follows from the signs of the Hessian's eigenvalues."""

    x: float
    y: float
    value: float
    kind: str  # "minimum", "maximum" or "saddle"
    eigenvalues: tuple[float, float]
    is_global: bool = False
    label: str = ""

    @property
    def is_minimum(self) -> bool:
        return self.kind == "minimum"


def classify(eigenvalues: Any, tolerance: float = 1e-9) -> str | None:
    """'minimum' (both curvatures up), 'maximum' (both down), 'saddle' (one of each), None when degenerate."""
    low, high = sorted(float(e) for e in eigenvalues)
    scale = max(abs(low), abs(high), 1.0)
    if min(abs(low), abs(high)) <= tolerance * scale:
        return None  # flat in some direction: the Hessian cannot tell what this point is
    if low > 0:
        return "minimum"
    return "maximum" if high < 0 else "saddle"


def _newton_steps(surface: Surface, points: np.ndarray) -> np.ndarray:
    """H⁻¹·g at each point (zero where the Hessian is singular)."""
    _, gradient, hessian = derivatives(surface, points)
    ok = np.abs(np.linalg.det(hessian)) > 1e-300
    step = np.zeros_like(points)
    step[ok] = np.linalg.solve(hessian[ok], gradient[ok][..., np.newaxis])[..., 0]
    return step


def _newton(surface: Surface, points: np.ndarray, iterations: int = 60) -> np.ndarray:
    """Newton's method on the gradient (it finds every kind of critical point, not only minima). Steps are capped
    at a tenth of the region so that a start on flat ground cannot fly off to infinity in one step; points that
    leave the region are dropped. Returns the points where the last Newton step was negligible."""
    x_min, x_max, y_min, y_max = surface.region
    span = max(x_max - x_min, y_max - y_min)
    for _ in range(iterations):
        step = _newton_steps(surface, points)
        length = np.linalg.norm(step, axis=1, keepdims=True)
        points = points - step * np.minimum(1.0, 0.1 * span / np.maximum(length, 1e-300))
        keep = surface.contains(points[:, 0], points[:, 1]) & np.isfinite(points).all(axis=1)
        points = points[keep]
        if length[keep].max(initial=0.0) < 1e-10 * span:
            break
    converged = np.linalg.norm(_newton_steps(surface, points), axis=1) < 1e-8 * span
    return points[converged]


def _merge(points: np.ndarray, resolution: float) -> np.ndarray:
    """One representative per cluster of points closer than `resolution` (Newton's roots agree far better)."""
    _, first = np.unique(np.round(points / resolution).astype(np.int64), axis=0, return_index=True)
    return points[np.sort(first)]


@functools.cache
def critical_points(name: str) -> tuple[CriticalPoint, ...]:
    """Every non-degenerate critical point inside the region: Newton from a grid of starts, duplicates merged,
    kept only where the gradient really vanishes; minima first (lowest first), then saddles, then maxima."""
    surface = SURFACES[name]
    x_min, x_max, y_min, y_max = surface.region
    n = surface.newton_grid
    gx, gy = np.meshgrid(np.linspace(x_min, x_max, n), np.linspace(y_min, y_max, n))
    roots = _newton(surface, np.column_stack([gx.ravel(), gy.ravel()]))
    if not len(roots):
        return ()
    points = _merge(roots, 1e-5 * max(x_max - x_min, y_max - y_min))
    values, _, hessians = derivatives(surface, points)
    found = []
    for point, value, hessian in zip(points, values, hessians):
        eigenvalues = np.linalg.eigvalsh(hessian)
        kind = classify(eigenvalues)
        if kind is None:
            continue
        found.append(CriticalPoint(float(point[0]), float(point[1]), float(value), kind,
                                   (float(eigenvalues[0]), float(eigenvalues[1]))))
    order = {"minimum": 0, "saddle": 1, "maximum": 2}
    found.sort(key=lambda p: (order[p.kind], p.value, p.x, p.y))
    lowest = min((p.value for p in found if p.is_minimum), default=None)
    numbers: Counter[str] = Counter()
    labelled = []
    for point in found:
        if point.is_minimum and point.value <= lowest + 1e-6 * max(1.0, abs(lowest)):
            labelled.append(replace(point, is_global=True, label="global minimum"))
            continue
        numbers[point.kind] += 1
        name = "local minimum" if point.is_minimum else point.kind
        labelled.append(replace(point, label=f"{name} {numbers[point.kind]}"))
    return tuple(labelled)


def minima(name: str) -> tuple[CriticalPoint, ...]:
    return tuple(p for p in critical_points(name) if p.is_minimum)


def lowest_value(name: str) -> float:
    """The lowest loss on the plotted grid or at a minimum (the floor of the log scale)."""
    found = [p.value for p in minima(name)]
    return min([float(evaluate_grid(SURFACES[name], 100).z.min()), *found])
