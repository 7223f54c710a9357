"""Real keras.optimizers walking a 2D loss surface: paths, gradient noise, divergence, which minimum each reached."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from playground.core.specs import OPTIMIZERS, SpecError
from playground.optim.surfaces import SURFACES, Surface, critical_points, minima
from playground.optim.walker import MAX_STEPS, SLOTS, walker

MAX_NOISE = 1e6
MAX_RACERS = SLOTS  # 150 racers took 10 s and 100s of MB to compile; a chart of more than 12 paths is unreadable
MAX_SEED = 2**32 - 1  # numpy's seeds are unsigned

# Per surface, a learning rate with which each optimizer does something sensible from the surface's start within a
# few hundred steps, read off a sweep of 1-2-5 rates (python -m bench.optimizers --sweep SURFACE): one that gets
# close to a minimum without diverging, not always the fastest. Keras' own defaults (specs.py) suit networks with
# thousands of weights, not two: Adam's 0.001 would need thousands of steps to cross these surfaces.
# Columns in the order of specs.OPTIMIZERS: sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, adamw, nadam,
# adamax, lion.
_RATE_ROWS: dict[str, tuple[float, ...]] = {
    "bowl": (0.18, 0.02, 0.02, 1.0, 20.0, 0.01, 0.1, 0.1, 0.1, 0.2, 0.05),
    "saddle": (0.05, 0.01, 0.01, 0.2, 5.0, 0.01, 0.05, 0.05, 0.05, 0.05, 0.02),
    "two-valleys": (0.1, 0.02, 0.02, 0.5, 10.0, 0.02, 0.05, 0.05, 0.05, 0.05, 0.02),
    "local-minima": (0.2, 0.05, 0.05, 0.5, 20.0, 0.05, 0.1, 0.1, 0.1, 0.1, 0.05),
    "himmelblau": (0.01, 0.001, 0.001, 0.5, 20.0, 0.05, 0.1, 0.1, 0.1, 0.2, 0.02),
    "rosenbrock": (0.001, 0.001, 0.001, 0.5, 20.0, 0.01, 0.2, 0.2, 0.1, 0.2, 0.02),
    "beale": (0.01, 0.001, 0.001, 1.0, 20.0, 0.01, 0.2, 0.2, 0.2, 0.5, 0.005),
    "plateau": (1.0, 0.5, 0.5, 1.0, 20.0, 0.05, 0.05, 0.05, 0.05, 0.1, 0.05),
    "rastrigin": (0.002, 0.001, 0.001, 0.1, 20.0, 0.01, 0.05, 0.05, 0.05, 0.05, 0.01),
}
DEFAULT_LEARNING_RATES: dict[str, dict[str, float]] = {
    surface: dict(zip(OPTIMIZERS, row, strict=True)) for surface, row in _RATE_ROWS.items()}


def default_learning_rate(surface: str, optimizer: str) -> float:
    """A sensible learning rate of `optimizer` on `surface` (tuned per surface, see DEFAULT_LEARNING_RATES)."""
    return DEFAULT_LEARNING_RATES[surface][optimizer]


@dataclass(frozen=True)
class Runner:
    """One contestant of the race: a keras optimizer from specs.OPTIMIZERS at one learning rate."""

    optimizer: str
    learning_rate: float
    noisy: bool = True  # False: this runner follows the exact gradient even when the race adds noise

    def label(self, show_rate: bool = False) -> str:
        text = OPTIMIZERS[self.optimizer].title
        if show_rate:
            text += f" · lr {self.learning_rate:g}"
        return text if self.noisy else f"{text} (exact gradient)"


@dataclass(frozen=True)
class Path:
    """Where a runner went: points[t] = (x, y, loss) after t steps, points[0] the start. A run that left the
    plotted region (or produced NaN) stops before the step that did: diverged_at is that step's number."""

    runner: Runner
    label: str
    points: np.ndarray
    diverged_at: int | None = None

    @property
    def final(self) -> np.ndarray:
        return self.points[-1]


def check_race(surface: Surface, runners: Sequence[Runner], start: Sequence[float], steps: int, noise: float,
               seed: int = 0) -> None:
    """Raise SpecError (a message for the user) for anything a race cannot run with."""
    if not runners:
        raise SpecError("Pick at least one optimizer.")
    if SURFACES.get(surface.name) is not surface:
        raise SpecError(f"Unknown surface {surface.name!r}. Pick from {', '.join(SURFACES)}.")
    if len(runners) > MAX_RACERS:
        raise SpecError(f"At most {MAX_RACERS} racers at once; this race has {len(runners)} (every learning rate "
                        "and every exact-gradient twin is a racer). Remove some learning rates.")
    for runner in runners:
        if runner.optimizer not in OPTIMIZERS:
            raise SpecError(f"Unknown optimizer {runner.optimizer!r}. Pick from {', '.join(OPTIMIZERS)}.")
        if not (math.isfinite(runner.learning_rate) and 0 < runner.learning_rate <= 1e4):
            raise SpecError(f"The learning rate of {runner.label()} must be a number above 0 and at most 10,000, "
                            f"got {runner.learning_rate:g}.")
    if not 1 <= steps <= MAX_STEPS:
        raise SpecError(f"Steps must be between 1 and {MAX_STEPS:,}, got {steps}.")
    if not (math.isfinite(noise) and 0 <= noise <= MAX_NOISE):
        raise SpecError(f"The gradient noise must be between 0 and {MAX_NOISE:g}, got {noise:g}.")
    if not 0 <= seed <= MAX_SEED:
        raise SpecError(f"The noise seed must be between 0 and {MAX_SEED:,}, got {seed}.")
    x, y = start
    if not (math.isfinite(x) and math.isfinite(y) and surface.contains(x, y)):
        x_min, x_max, y_min, y_max = surface.region
        raise SpecError(f"The start ({x:g}, {y:g}) is outside the plotted region of {surface.title}: x from {x_min:g} "
                        f"to {x_max:g}, y from {y_min:g} to {y_max:g}.")


def gradient_noise(steps: int, runners: Sequence[Runner], level: float, seed: int) -> np.ndarray:
    """Gaussian noise added to each gradient, (steps, runners, 2): the same draws for every noisy runner, as if
    they all saw the same mini-batches; zero for runners that follow the exact gradient."""
    draws = np.random.default_rng(seed).standard_normal((steps, 1, 2))
    mask = np.array([[runner.noisy] for runner in runners], dtype=np.float64)
    return level * draws * mask


def first_exit(surface: Surface, positions: np.ndarray) -> int | None:
    """The first step whose point is outside the plotted region or not finite; None if the run stayed inside."""
    inside = surface.contains(positions[:, 0], positions[:, 1]) & np.isfinite(positions).all(axis=1)
    outside = np.flatnonzero(~inside)
    return int(outside[0]) if len(outside) else None


def race(surface: Surface, runners: Sequence[Runner], start: Sequence[float], steps: int, noise: float = 0.0,
         seed: int = 0) -> list[Path]:
    """Let every runner take `steps` steps from `start` with its real keras optimizer; gradients by autodiff."""
    check_race(surface, runners, start, steps, noise, seed)
    noises = gradient_noise(steps, runners, noise, seed)
    positions = np.empty((steps + 1, len(runners), 2))
    for name in dict.fromkeys(runner.optimizer for runner in runners):  # one walk per optimizer kind
        mine = [k for k, runner in enumerate(runners) if runner.optimizer == name]
        positions[:, mine] = walker(name).run(surface.name, [runners[k].learning_rate for k in mine], start,
                                              noises[:, mine])
    # Name the rate only where one optimizer races at several rates.
    rates = {name: {r.learning_rate for r in runners if r.optimizer == name} for name in OPTIMIZERS}
    paths = []
    for k, runner in enumerate(runners):
        xy = positions[:, k]
        exit_step = first_exit(surface, xy)
        xy = xy[:exit_step]
        with np.errstate(all="ignore"):
            loss = surface.value(xy[:, 0], xy[:, 1])
        paths.append(Path(runner, runner.label(show_rate=len(rates[runner.optimizer]) > 1), np.column_stack([xy, loss]),
                          exit_step))
    return paths


def tolerance(surface: Surface) -> float:
    """How close to a minimum counts as having reached it: 1% of the region's width."""
    x_min, x_max, y_min, y_max = surface.region
    return 0.01 * max(x_max - x_min, y_max - y_min)


@dataclass(frozen=True)
class Outcome:
    """A row of the results table."""

    label: str
    final_loss: float
    steps_taken: int
    diverged_at: int | None
    nearest: str | None  # label of the nearest minimum
    distance: float | None
    reached: bool
    reached_at: int | None  # first step within tolerance of that minimum
    stuck_on: str | None = None  # the saddle point (or hilltop) where the run ended, gradient zero

    @property
    def verdict(self) -> str:
        if self.diverged_at is not None:
            return f"diverged at step {self.diverged_at}"
        if self.reached:
            return str(self.nearest)
        return f"stuck on {self.stuck_on}" if self.stuck_on else "still on its way"


def outcome(surface: Surface, path: Path, within: float | None = None) -> Outcome:
    """Final loss, the nearest minimum, how far, and the first step at which the run got within tolerance of it."""
    within = tolerance(surface) if within is None else within
    found = minima(surface.name)
    xy = path.points[:, :2]
    nearest = distance = reached_at = stuck_on = None
    if path.diverged_at is None:
        if found:
            centers = np.array([[m.x, m.y] for m in found])
            distances = np.linalg.norm(xy[-1] - centers, axis=1)
            best = int(np.argmin(distances))
            nearest, distance = found[best].label, float(distances[best])
            close = np.flatnonzero(np.linalg.norm(xy - centers[best], axis=1) <= within)
            reached_at = int(close[0]) if len(close) and distance <= within else None
        others = [p for p in critical_points(surface.name) if not p.is_minimum]
        stuck_on = next((p.label for p in others if np.hypot(*(xy[-1] - (p.x, p.y))) <= within), None)
    return Outcome(path.label, float(path.final[2]), len(path.points) - 1, path.diverged_at, nearest, distance,
                   reached_at is not None, reached_at, stuck_on)


@dataclass(frozen=True)
class RacePreset:
    """A lecture demo: a surface, the runners, where they start, how long and how noisily they run."""

    title: str
    lesson: str
    surface: str
    runners: tuple[Runner, ...]
    start: tuple[float, float]
    steps: int
    noise: float = 0.0
    seed: int = 0


# The keys are the URL: /optimizers?preset=saddle
RACE_PRESETS: dict[str, RacePreset] = {
    "saddle": RacePreset(
        "SGD stalls at a saddle, noise escapes",
        "Both runs start on the x-axis. With exact gradients SGD slides into the saddle point at (0, 0), where the "
        "gradient is zero, and stays there for good. The same SGD with noisy gradients (as with mini-batches) is "
        "pushed off the ridge and rolls into a valley.",
        "two-valleys", (Runner("sgd", 0.1), Runner("sgd", 0.1, noisy=False)), (1.8, 0.0), 200, noise=0.3),
    "momentum": RacePreset(
        "Momentum overshoots",
        "Same learning rate, same start. Plain SGD creeps along the flat direction; SGD with momentum builds up "
        "speed, shoots past the minimum, swings back and spirals in. Nesterov looks ahead and brakes earlier.",
        "bowl", (Runner("sgd", 0.02), Runner("momentum", 0.02), Runner("nesterov", 0.02)), (-2.6, 1.5), 150),
    "valley": RacePreset(
        "Adam runs down the valley",
        "Rosenbrock's valley is steep across and almost flat along. SGD must use a tiny learning rate not to bounce "
        "off the walls, and then crawls. Adam divides each step by the recent gradient size: small steps across, "
        "big steps along, and it runs down the valley to (1, 1).",
        "rosenbrock", (Runner("sgd", 0.001), Runner("momentum", 0.001), Runner("adam", 0.2)), (-1.2, 1.0), 600),
    "learning-rate": RacePreset(
        "Learning rate too small / too large",
        "The same SGD three times. Too small (0.01): after 100 steps it is still on its way. About right (0.1): "
        "there in a few dozen steps. Too large (0.21): every step overshoots the valley further than the last, "
        "and the run flies off the map.",
        "bowl", (Runner("sgd", 0.01), Runner("sgd", 0.1), Runner("sgd", 0.21)), (-2.6, 1.5), 100),
    "local-minimum": RacePreset(
        "Local minimum trap",
        "Plain SGD and Adam roll into the nearest well, a local minimum, and stay: the gradient there is zero. "
        "Momentum with a large step carries enough speed over the rim to reach the deepest well. Move the start "
        "or the learning rates: the outcome changes.",
        "local-minima", (Runner("sgd", 0.2), Runner("momentum", 0.2), Runner("adam", 0.1)), (-3.5, 3.2), 300),
}
