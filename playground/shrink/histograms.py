"""Weight histograms before and after shrinking: why int8 and pruning cost so little accuracy, in one picture.

Trained weights pile up in a narrow bell around zero. int8 keeps 255 evenly spaced levels per output unit across
that bell, so each weight moves by at most half a step; pruning removes the weights nearest zero, which
contribute least to any output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

BINS = 80


@dataclass(frozen=True)
class Histogram:
    """Counts of weights per bin, the bins' edges, and the exact zeros counted apart (pruning makes many)."""

    label: str
    edges: np.ndarray
    counts: np.ndarray
    zeros: int
    total: int


def histogram(weights: np.ndarray, label: str, edges: np.ndarray | None = None, bins: int = BINS) -> Histogram:
    """Histogram of the non-zero weights (on `edges` if given, so two histograms share their bins)."""
    flat = np.asarray(weights, dtype=np.float64).ravel()
    nonzero = flat[flat != 0]
    if edges is None:
        limit = float(np.abs(flat).max(initial=0.0)) or 1.0
        edges = np.linspace(-limit, limit, bins + 1)
    counts, _ = np.histogram(nonzero, bins=edges)
    return Histogram(label, edges, counts, int(flat.size - nonzero.size), int(flat.size))


def shared_edges(*arrays: np.ndarray, bins: int = BINS) -> np.ndarray:
    """Bins that cover every array: histograms drawn on them can be compared bar by bar."""
    limit = max((float(np.abs(np.asarray(a)).max(initial=0.0)) for a in arrays), default=1.0) or 1.0
    return np.linspace(-limit, limit, bins + 1)


def int8_kernel(layer: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """(int8 values, their dequantized float weights) of a layer quantized by Keras' int8 mode, else None.

    Keras stores q = round(w × scale) with one scale per output unit; the layer computes with q / scale.
    """
    if getattr(layer, "quantization_mode", None) != "int8":
        return None
    weights = {w.path.rsplit("/", 1)[-1]: np.asarray(w.numpy()) for w in layer.weights}
    if "kernel" not in weights or "kernel_scale" not in weights:
        return None
    quantized = weights["kernel"].astype(np.int8)
    return quantized, quantized.astype(np.float32) / weights["kernel_scale"]


def rounding_error(original: np.ndarray, dequantized: np.ndarray) -> dict[str, float]:
    """How far quantization moved the weights: largest and mean absolute change, and relative to the weights' size."""
    change = np.abs(np.asarray(dequantized, np.float64) - np.asarray(original, np.float64))
    scale = float(np.abs(original).mean()) or 1.0
    return {"max": float(change.max(initial=0.0)), "mean": float(change.mean()) if change.size else 0.0,
            "mean_relative": float(change.mean() / scale) if change.size else 0.0}
