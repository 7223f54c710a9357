"""When a classifier should say "not sure" instead of showing a confident-looking answer.

Thresholds measured on MNIST (bench/draw.py prints how often each one fires): below 70% for its top digit the
shipped CNN is right only about two times in three, and such answers are 0.8% of MNIST's test digits; no MNIST
training digit has ink on more than 40% of its pixels, so a drawing with more is a blot or a scribble.
"""

from __future__ import annotations

import numpy as np

UNSURE_BELOW = 0.7  # top probability
MOST_INK = 0.40  # fraction of the 28 × 28 pixels brighter than 0.5


def ink_fraction(digit: np.ndarray) -> float:
    return float((np.asarray(digit) > 0.5).mean())


def doubt(probabilities: np.ndarray, digit: np.ndarray) -> str | None:
    """Why this answer should not be trusted (None when there is no reason to doubt it)."""
    if ink_fraction(digit) > MOST_INK:
        return ("Not sure: this has more ink than any of MNIST's 60,000 digits (a blot or a scribble?), so the "
                "answer is a guess.")
    p = np.asarray(probabilities, dtype=float)
    first, second = (int(d) for d in np.argsort(-p)[:2])
    if p[first] < UNSURE_BELOW:
        return f"Not sure: a {first} ({p[first]:.0%}) or a {second} ({p[second]:.0%})."
    return None
