"""The 2D point sets of the Decision boundaries page, in one table: TensorFlow Playground's sets and more.

Every set lives on the plane [-6, 6]² (TFP's), is made from a DataSpec by one NumPy generator with its own
seed (never the global one), and comes as a PointSet: coordinates, labels (class numbers 0..K-1, or targets in
[-1, 1] for the regression sets) and which points train. Noise is in percent (0-50) as on TFP's slider.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

DOMAIN = 6.0  # the plane is [-DOMAIN, DOMAIN]² on both axes
MAX_CLASSES = 5
LIMITS: dict[str, tuple[int, int]] = {"noise": (0, 50), "train_percent": (10, 90), "points": (50, 2000),
                                      "seed": (0, 2**31 - 1), "classes": (2, MAX_CLASSES)}
CLASSIFICATION, REGRESSION = "classification", "regression"

Generator = Callable[[int, float, np.random.Generator, "DataSpec"], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Curve:
    """A curve y = f(x) for the "above or below a curve" set."""

    title: str
    f: Callable[[np.ndarray], np.ndarray]


CURVES: dict[str, Curve] = {
    "sine": Curve("y = 3·sin(x)", lambda x: 3 * np.sin(x)),
    "parabola": Curve("y = x²/4 − 3", lambda x: x**2 / 4 - 3),
    "cubic": Curve("y = x³/20", lambda x: x**3 / 20),
    "line": Curve("y = x/2 + 1", lambda x: x / 2 + 1),
    "wave": Curve("y = 2·sin(2x) + x/3", lambda x: 2 * np.sin(2 * x) + x / 3),
}


@dataclass(frozen=True)
class DataSpec:
    """Which points: the set, its noise (percent), how many points, the share that trains, the seed.

    `classes` is the number of spiral arms or blobs (the other sets have a fixed number); `curve` names the
    curve of the "curve" set.
    """

    name: str = "circle"
    noise: int = 0
    train_percent: int = 50
    seed: int = 0
    points: int = 500
    classes: int = 2
    curve: str = "sine"


@dataclass(frozen=True)
class DataInfo:
    """One set of the menu: its title, task, generator, the class counts it can make, what it teaches."""

    title: str
    task: str
    make: Generator
    lesson: str
    classes: tuple[int, int] = (2, 2)  # (fewest, most) classes; (0, 0) for regression


@dataclass(frozen=True, eq=False)
class PointSet:
    """The points of the plane: x (n, 2) float32, y (n,) int64 classes or float32 targets, train (n,) bool."""

    x: np.ndarray
    y: np.ndarray
    train: np.ndarray
    task: str = CLASSIFICATION
    classes: int = 2  # 0 for regression
    origin: str = "generated"  # "generated", "edited" (points added or removed) or "uploaded"
    spec: DataSpec = field(default_factory=DataSpec)

    def __len__(self) -> int:
        return len(self.x)

    @property
    def x_train(self) -> np.ndarray:
        return self.x[self.train]

    @property
    def y_train(self) -> np.ndarray:
        return self.y[self.train]

    @property
    def x_test(self) -> np.ndarray:
        return self.x[~self.train]

    @property
    def y_test(self) -> np.ndarray:
        return self.y[~self.train]

    def same_as(self, other: PointSet | None) -> bool:
        """True when `other` holds exactly these points, labels and split."""
        return other is not None and (other is self or (
            self.task == other.task and self.classes == other.classes and self.x.shape == other.x.shape
            and bool(np.array_equal(self.x, other.x) and np.array_equal(self.y, other.y)
                     and np.array_equal(self.train, other.train))))


def _uniform(rng: np.random.Generator, n: int, low: float = -DOMAIN, high: float = DOMAIN) -> np.ndarray:
    return rng.uniform(low, high, n)


def _label_noise(rng: np.random.Generator, n: int, noise: float, scale: float) -> np.ndarray:
    """TFP's noise for the label sets: the label is read at a point moved by up to noise·scale in x and y."""
    return rng.uniform(-scale, scale, (n, 2)) * noise


def make_circle(n: int, noise: float, rng: np.random.Generator, spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 inside radius 2.5, class 0 in the ring 3.5-5 (TFP's circle)."""
    radius, inner = 5.0, n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, inner), rng.uniform(radius * 0.7, radius, n - inner)])
    angle = rng.uniform(0, 2 * math.pi, n)
    x = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    moved = x + _label_noise(rng, n, noise, radius)
    return x, (np.hypot(moved[:, 0], moved[:, 1]) < radius * 0.5).astype(np.int64)


def make_xor(n: int, noise: float, rng: np.random.Generator, spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 where x1·x2 ≥ 0 (two opposite quadrants), with a 0.3 gap along the axes (TFP's XOR)."""
    x = rng.uniform(-5, 5, (n, 2))
    x += np.where(x > 0, 0.3, -0.3)
    moved = x + _label_noise(rng, n, noise, 5.0)
    return x, (moved[:, 0] * moved[:, 1] >= 0).astype(np.int64)


def make_gaussian(n: int, noise: float, rng: np.random.Generator, spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds at (2, 2) and (-2, -2); the noise widens them (variance 0.5 to 4, as in TFP)."""
    variance = 0.5 + 7 * noise
    y = (np.arange(n) < n // 2).astype(np.int64)
    centers = np.where(y[:, None] == 1, 2.0, -2.0)
    return centers + rng.normal(0, math.sqrt(variance), (n, 2)), y


def make_spiral(n: int, noise: float, rng: np.random.Generator, spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """`classes` interleaved spiral arms (TFP's spiral has two), each 1.75 turns out to radius 5."""
    arms = spec.classes
    y = np.arange(n) % arms
    i = np.arange(n) // arms
    per_arm = np.bincount(y, minlength=arms)[y]
    r = i / per_arm * 5
    t = 1.75 * i / per_arm * 2 * math.pi + 2 * math.pi * y / arms
    x = np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + rng.uniform(-1, 1, (n, 2)) * noise
    return x, y.astype(np.int64)


def make_moons(n: int, noise: float, rng: np.random.Generator, spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's moons, scaled to the plane); noise is Gaussian."""
    outer = n // 2
    t = np.concatenate([np.linspace(0, math.pi, outer), np.linspace(0, math.pi, n - outer)])
    y = (np.arange(n) >= outer).astype(np.int64)
    mx = np.where(y == 0, np.cos(t), 1 - np.cos(t))
    my = np.where(y == 0, np.sin(t), 0.5 - np.sin(t))
    x = np.stack([(mx - 0.5) * 3.5, (my - 0.25) * 3.5], axis=1)
    return x + rng.normal(0, 2 * noise, (n, 2)), y


def make_checkerboard(n: int, noise: float, rng: np.random.Generator, spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """A 4 × 4 board of 3 × 3 squares, alternating classes."""
    x = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    moved = x + _label_noise(rng, n, noise, 3.0)
    cells = np.floor(np.clip(moved, -DOMAIN, DOMAIN - 1e-9) / 3.0).astype(np.int64)
    return x, (cells.sum(axis=1) % 2).astype(np.int64)


def make_blobs(n: int, noise: float, rng: np.random.Generator, spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """`classes` Gaussian blobs on a circle of radius 3.5; the noise widens them."""
    k = spec.classes
    y = np.arange(n) % k
    angle = 2 * math.pi * y / k + math.pi / 2
    centers = 3.5 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return centers + rng.normal(0, 0.6 + 4 * noise, (n, 2)), y.astype(np.int64)


def make_curve(n: int, noise: float, rng: np.random.Generator, spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 above the curve y = f(x), class 0 below it."""
    x = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    moved = x + _label_noise(rng, n, noise, 3.0)
    return x, (moved[:, 1] > CURVES[spec.curve].f(moved[:, 0])).astype(np.int64)


def make_plane(n: int, noise: float, rng: np.random.Generator, spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """Regression: the target is (x1 + x2) / 10, read at a noisy point (TFP's plane)."""
    x = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    moved = x + _label_noise(rng, n, noise, DOMAIN)
    return x, np.clip(moved.sum(axis=1) / 10, -1, 1)


GAUSSIANS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def make_multi_gaussian(n: int, noise: float, rng: np.random.Generator,
                        spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """Regression: six bumps of height ±1 falling to 0 at distance 2; the strongest one wins (TFP's)."""
    x = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    moved = x + _label_noise(rng, n, noise, DOMAIN)
    bumps = np.stack([sign * np.clip(1 - np.hypot(moved[:, 0] - cx, moved[:, 1] - cy) / 2, 0, 1)
                      for cx, cy, sign in GAUSSIANS], axis=1)
    return x, bumps[np.arange(n), np.abs(bumps).argmax(axis=1)]


DATASETS: dict[str, DataInfo] = {
    "circle": DataInfo("Circle", CLASSIFICATION, make_circle,
                       "One class inside a ring of the other: no straight line separates them, x1² + x2² does."),
    "xor": DataInfo("XOR", CLASSIFICATION, make_xor,
                    "Opposite quadrants share a class: a network needs a hidden layer (or the feature x1·x2)."),
    "gaussian": DataInfo("Two Gaussians", CLASSIFICATION, make_gaussian,
                         "Two clouds: a single straight line separates them, no hidden layer needed."),
    "spiral": DataInfo("Spiral", CLASSIFICATION, make_spiral,
                       "Interleaved arms: deep networks, or sin features, are needed to unroll them.", (2, 5)),
    "moons": DataInfo("Two moons", CLASSIFICATION, make_moons,
                      "Two interlocking half circles: a gently curved boundary."),
    "checkerboard": DataInfo("Checkerboard", CLASSIFICATION, make_checkerboard,
                             "Sixteen squares: many straight pieces, hard without enough neurons."),
    "blobs": DataInfo("Blobs (3–5 classes)", CLASSIFICATION, make_blobs,
                      "Several classes: softmax gives each one a probability, the boundary splits the plane.",
                      (3, 5)),
    "curve": DataInfo("Above or below a curve", CLASSIFICATION, make_curve,
                      "The boundary is a known curve y = f(x): watch the network approximate it."),
    "plane": DataInfo("Regression: plane", REGRESSION, make_plane,
                      "Regression: the target rises linearly across the plane; no hidden layer needed.", (0, 0)),
    "multi_gaussian": DataInfo("Regression: six bumps", REGRESSION, make_multi_gaussian,
                               "Regression: six bumps up and down; the network must fit a surface.", (0, 0)),
}


class DataError(ValueError):
    """Points a user supplied (a click, a CSV) that cannot be used; the message says why and what to do."""


def check_spec(spec: DataSpec) -> None:
    """Raise DataError for an unknown set or curve, or a number out of range."""
    if spec.name not in DATASETS:
        raise DataError(f"Unknown data set {spec.name!r}. Pick one of {', '.join(DATASETS)}.")
    if spec.curve not in CURVES:
        raise DataError(f"Unknown curve {spec.curve!r}. Pick one of {', '.join(CURVES)}.")
    for name, (low, high) in LIMITS.items():
        value = getattr(spec, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise DataError(f"{name.replace('_', ' ').capitalize()} must be a whole number from {low} to {high}, "
                            f"got {value!r}.")


def class_count(spec: DataSpec) -> int:
    """How many classes the set makes with these settings (0 for regression)."""
    low, high = DATASETS[spec.name].classes
    return min(max(spec.classes, low), high)


def split_mask(n: int, train_percent: int, seed: int) -> np.ndarray:
    """Which of n points train: a seeded random `train_percent`% of them (at least one point each side)."""
    count = min(max(round(n * train_percent / 100), 1), n - 1)
    mask = np.zeros(n, bool)
    mask[np.random.default_rng([seed, 1]).permutation(n)[:count]] = True
    return mask


def generate(spec: DataSpec) -> PointSet:
    """The point set of `spec`; the same spec always gives the same points."""
    check_spec(spec)
    info = DATASETS[spec.name]
    classes = class_count(spec)
    rng = np.random.default_rng([spec.seed, list(DATASETS).index(spec.name)])
    x, y = info.make(spec.points, spec.noise / 100, rng, replace(spec, classes=classes))
    order = rng.permutation(spec.points)  # mixed classes, so that a CSV or a table is not sorted by class
    y = y[order].astype(np.float32 if info.task == REGRESSION else np.int64)
    x = np.clip(x[order], -DOMAIN, DOMAIN).astype(np.float32)  # wide noisy clouds stay on the plane (and in a CSV)
    return PointSet(x, y, split_mask(spec.points, spec.train_percent, spec.seed), info.task, classes, "generated",
                    spec)
