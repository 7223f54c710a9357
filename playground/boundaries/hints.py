"""What the run shows, in words: a linear network, overfitting, dead ReLU neurons, a learning rate that crawls.

Each hint is one entry of HINTS: a test on the spec, the history and the snapshot, and the sentence to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from playground.boundaries.datasets import CLASSIFICATION, PointSet
from playground.boundaries.network import NetSpec, is_linear
from playground.boundaries.trainer import Snapshot


@dataclass(frozen=True)
class Run:
    """What a hint may look at: the network, the points, the history table (epoch, loss, acc, test loss, test acc)."""

    spec: NetSpec
    points: PointSet
    table: np.ndarray
    snapshot: Snapshot | None


def _linear(run: Run) -> str | None:
    if not is_linear(run.spec):
        return None
    return ("Every part of this network is linear, and a sum of linear functions is linear: whatever the weights, "
            "its boundary is a straight line. Sets like XOR or the circle need a hidden layer with a non-linear "
            "activation (tanh, ReLU…), or non-linear input features such as x1·x2 or x1².")


def _overfitting(run: Run) -> str | None:
    if len(run.table) < 50:
        return None
    loss, test_loss = run.table[-1, 1], run.table[-1, 3]
    lowest = np.nanmin(run.table[:, 3])
    if not (test_loss > 2 * loss + 0.05 and test_loss > lowest * 1.3):
        return None
    return (f"The test loss ({test_loss:.3f}) is far above the training loss ({loss:.3f}) and has risen since its "
            f"lowest ({lowest:.3f}): the network is memorizing its training points (overfitting). Try L2 "
            "regularization, more training data, less noise or a smaller network.")


def _dead(run: Run) -> str | None:
    if run.snapshot is None or len(run.table) < 20:
        return None
    dead = sum(int(np.sum(np.all(values == 0, axis=(0, 1))))
               for values, layer in zip(run.snapshot.maps.neurons, run.spec.layers) if layer.activation == "relu")
    if not dead:
        return None
    return (f"{dead} ReLU neuron{'s' if dead > 1 else ''} output 0 everywhere on the plane: dead, they pass no "
            "gradient and no longer learn. A smaller learning rate, Leaky ReLU or another seed avoids that.")


def _crawling(run: Run) -> str | None:
    if len(run.table) < 200:
        return None
    start, now = run.table[0, 1], run.table[-1, 1]
    if not (np.isfinite(start) and now > 0.97 * start) or run.spec.learning_rate > 0.001:
        return None
    return (f"After {int(run.table[-1, 0])} epochs the training loss has hardly moved: with a learning rate of "
            f"{run.spec.learning_rate:g} the steps are tiny. Try 10× or 100× larger.")


def _stuck(run: Run) -> str | None:
    if run.points.task != CLASSIFICATION or len(run.table) < 300 or is_linear(run.spec):
        return None
    if run.table[-1, 2] > 1.2 / run.points.classes:
        return None
    return ("The training accuracy is still no better than guessing. The network may be too small or saturated "
            "(large inputs such as x1² drive tanh and sigmoid to their flat ends): try another learning rate, "
            "Adam, more neurons or other features.")


HINTS: tuple[Callable[[Run], str | None], ...] = (_linear, _overfitting, _dead, _crawling, _stuck)


def hints(spec: NetSpec, points: PointSet, table: np.ndarray, snapshot: Snapshot | None) -> list[str]:
    """The sentences that apply to this run now."""
    run = Run(spec, points, table, snapshot)
    return [text for text in (hint(run) for hint in HINTS) if text]
