"""The input features, in one table: x1, x2, x1², x2², x1·x2, sin x1, sin x2 (TFP's), each with its NumPy code.

The network sees only the chosen features of a point, computed here; the exported script carries the same code
(`transform_source`), so the script and the page feed the network identical numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Feature:
    """One input: its label on the page, the function of x1, x2 that computes it and the same as NumPy source
    (for the exported script; tests check that the two agree)."""

    label: str
    compute: Callable[[np.ndarray, np.ndarray], np.ndarray]
    code: str


FEATURES: dict[str, Feature] = {
    "x1": Feature("X₁", lambda x1, x2: x1, "x1"),
    "x2": Feature("X₂", lambda x1, x2: x2, "x2"),
    "x1_squared": Feature("X₁²", lambda x1, x2: x1**2, "x1 ** 2"),
    "x2_squared": Feature("X₂²", lambda x1, x2: x2**2, "x2 ** 2"),
    "x1_times_x2": Feature("X₁·X₂", lambda x1, x2: x1 * x2, "x1 * x2"),
    "sin_x1": Feature("sin(X₁)", lambda x1, x2: np.sin(x1), "np.sin(x1)"),
    "sin_x2": Feature("sin(X₂)", lambda x1, x2: np.sin(x2), "np.sin(x2)"),
}
DEFAULT_FEATURES = ("x1", "x2")


def check_features(names: Sequence[str]) -> str | None:
    """What is wrong with a choice of features, or None."""
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        return f"Unknown feature {', '.join(unknown)}. Features: {', '.join(FEATURES)}."
    if not names:
        return "Pick at least one input feature: the network needs something to look at."
    return None


def ordered(names: Sequence[str]) -> tuple[str, ...]:
    """The names in the table's order, without repeats."""
    return tuple(name for name in FEATURES if name in set(names))


def transform(xy: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """(n, 2) points -> (n, len(names)) float32 features, in the order of `names`."""
    x1, x2 = xy[:, 0].astype(np.float64), xy[:, 1].astype(np.float64)
    return np.stack([FEATURES[name].compute(x1, x2) for name in names], axis=1).astype(np.float32)


def transform_source(names: Sequence[str]) -> str:
    """Python source of a `features(xy)` function computing the same columns as transform(xy, names)."""
    columns = "\n        ".join(f"{FEATURES[name].code},  # {FEATURES[name].label}" for name in names)
    return ("def features(xy):\n"
            '    """The network\'s inputs for points xy of shape (n, 2), as on the page."""\n'
            "    x1, x2 = xy[:, 0].astype(np.float64), xy[:, 1].astype(np.float64)\n"
            f"    return np.stack([\n        {columns}\n    ], axis=1).astype(np.float32)\n")
