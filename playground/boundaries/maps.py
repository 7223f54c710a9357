"""What the network and each of its neurons output over the plane: one forward pass of a multi-output sub-model.

The plane is a GRID × GRID raster of points (row 0 at the top, x2 = +6; column 0 at the left, x1 = -6); the
points of the data set ride along in the same batch, so one call gives the output map, every hidden neuron's map
and the predictions for the confusion matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.boundaries.datasets import DOMAIN
from playground.boundaries.features import transform
from playground.boundaries.network import NetSpec, neuron_names

GRID = 100


def grid_axis(size: int = GRID) -> np.ndarray:
    """The centres of `size` equal cells across [-DOMAIN, DOMAIN], low to high."""
    return (-DOMAIN + 2 * DOMAIN * (np.arange(size) + 0.5) / size).astype(np.float32)


def grid_points(size: int = GRID) -> np.ndarray:
    """(size², 2) points of the raster, row by row from the top (x2 high) and left to right (x1 low to high)."""
    axis = grid_axis(size)
    x1, x2 = np.meshgrid(axis, axis[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1)


@dataclass(frozen=True, eq=False)
class Maps:
    """One forward pass: output (G, G, U) (class probabilities, or the regression value), hidden neurons per layer
    (G, G, units), and the output for each point of the data set (n, U)."""

    output: np.ndarray
    neurons: tuple[np.ndarray, ...]
    points: np.ndarray


class Probe:
    """A sub-model of `model` whose outputs are the network's output and every hidden layer's neurons."""

    def __init__(self, model: Any, spec: NetSpec, size: int = GRID) -> None:
        import keras
        import tensorflow as tf

        names = neuron_names(spec)
        self.size = size
        self.grid = transform(grid_points(size), spec.features)
        self.features = spec.features
        self.model = keras.Model(model.inputs, [model.outputs[0], *(model.get_layer(n).output for n in names)],
                                 name="probe")
        self._call = tf.function(lambda x: self.model(x, training=False), reduce_retracing=True)

    def __call__(self, xy: np.ndarray | None = None) -> Maps:
        """Maps over the grid, and the output for the points xy (n, 2) if given."""
        extra = transform(xy, self.features) if xy is not None and len(xy) else self.grid[:0]
        result = self._call(np.concatenate([self.grid, extra]))
        # A network without hidden layers has one output, which Keras returns alone rather than in a list.
        outputs = [np.asarray(o) for o in (result if isinstance(result, (list, tuple)) else [result])]
        cells = self.size * self.size

        def raster(values: np.ndarray) -> np.ndarray:
            return values[:cells].reshape(self.size, self.size, -1)

        return Maps(raster(outputs[0]), tuple(raster(o) for o in outputs[1:]), outputs[0][cells:])
