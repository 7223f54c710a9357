"""The Decision boundaries page's figures, made from the trainer's latest snapshot and kept until it changes.

The page redraws several times a second while training; a figure is rebuilt only when its inputs (the snapshot,
the view switches, the selected neuron) have changed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import streamlit as st

from playground.boundaries.datasets import CLASSIFICATION
from playground.boundaries.diagram import Layout, layout, links, shrink
from playground.boundaries.features import FEATURES, transform
from playground.boundaries.maps import GRID, grid_points
from playground.boundaries.network import ACTIVATIONS, output_units
from playground.boundaries.pictures import (
    diverging_rgb,
    framed_map,
    map_picture,
    network_picture,
    output_rgb,
    probability_rgb,
)
from playground.boundaries.presets import Setup
from playground.boundaries.trainer import BoundaryTrainer
from playground.charts.boundaries import (
    RawFigure,
    boundary_figure,
    confusion_matrix,
    confusion_table,
    curves_figure,
    network_figure,
    neuron_figure,
)
from playground.ui.presenter import FIGURE_FONT, presenter_mode
from playground.ui.state import keys

K = keys("boundary")

FIGURES = K("figures")  # name -> (inputs, figure)
NETWORK = K("network")  # the diagram's chart key: its selection is the neuron shown large
COLUMN_PIXELS = 440  # about the width of the page's Network column
LARGE = 50  # cells per side of the large tile: a 100 × 100 heat map is four times the work for the browser
BOUNDED = {"tanh": 1.0, "sigmoid": 1.0}  # activations with a fixed colour scale; the others scale to their largest


def font() -> int:
    """Figure text size: projector-sized in presenter mode (these figures are plain data: present_figure does not
    apply)."""
    return FIGURE_FONT if presenter_mode() else 12


def cached(name: str, inputs: tuple, build: Callable[[], Any]) -> Any:
    """The figure `name` for these inputs, built once. Inputs hold the objects themselves (snapshots, trainers),
    compared by identity, never their id(): a freed snapshot's id comes back for the next one."""
    cache = st.session_state.setdefault(FIGURES, {})
    hit = cache.get(name)
    if hit is None or hit[0] != inputs:
        hit = cache[name] = (inputs, build())
    return hit[1]


@functools.cache
def feature_maps(features: tuple[str, ...]) -> np.ndarray:
    """(GRID, GRID, features) values of each input feature over the plane (the input tiles)."""
    return transform(grid_points(GRID), features).reshape(GRID, GRID, len(features))


def output_labels(trainer: BoundaryTrainer) -> list[str]:
    points = trainer.points
    return [f"class {k}" for k in range(points.classes)] if points.task == CLASSIFICATION else ["value"]


def _map_picture(trainer: BoundaryTrainer, setup: Setup) -> np.ndarray:
    snapshot = trainer.snapshot

    def build() -> np.ndarray:
        rgb = output_rgb(snapshot.maps.output, trainer.points.task, setup.discretize) if snapshot else None
        return map_picture(trainer.points, rgb, setup.show_test)

    return cached("map_picture", (snapshot, trainer, setup.show_test, setup.discretize), build)


def map_image(trainer: BoundaryTrainer, setup: Setup) -> np.ndarray:
    """The map as a framed picture with tick labels (shown as an image while training)."""
    return framed_map(_map_picture(trainer, setup), font() + 2)


def map_figure(trainer: BoundaryTrainer, setup: Setup, clickable: bool, height: int) -> RawFigure:
    """The map as a chart: hover over points, and clicks when `clickable` (once nothing trains)."""
    inputs = (trainer.snapshot, trainer, setup.show_test, setup.discretize, clickable, height, font())
    return cached("map", inputs, lambda: boundary_figure(trainer.points, _map_picture(trainer, setup), setup.show_test,
                                                         clickable, height, font()))


def _tiles(trainer: BoundaryTrainer, lay: Layout) -> dict[tuple[int, int], np.ndarray]:
    """An RGB tile per node: features and hidden neurons orange-white-blue, outputs white to their class colour."""
    tiles, size = {}, lay.tile
    maps = feature_maps(trainer.spec.features)
    for i in range(maps.shape[-1]):
        values = shrink(maps[..., i], size)
        tiles[(0, i)] = diverging_rgb(values, float(np.abs(maps[..., i]).max()) or 1.0)
    snapshot = trainer.snapshot
    if snapshot is None:
        return tiles
    for c, layer in enumerate(snapshot.maps.neurons, start=1):
        fixed = BOUNDED.get(trainer.spec.layers[c - 1].activation)
        scale = fixed or np.maximum(np.abs(layer).max(axis=(0, 1)), 1e-6)
        colours = diverging_rgb(shrink(layer, size) / scale)  # (size, size, units, 3): one call per layer
        tiles.update({(c, i): colours[:, :, i] for i in range(layer.shape[-1])})
    last = len(snapshot.maps.neurons) + 1
    output = snapshot.maps.output
    for k in range(output.shape[-1]):
        values = shrink(output[..., k], size)
        tiles[(last, k)] = (probability_rgb(values, k) if trainer.points.task == CLASSIFICATION
                            else diverging_rgb(values))
    return tiles


def _hover(trainer: BoundaryTrainer, lay: Layout) -> list[str]:
    snapshot, spec, last = trainer.snapshot, trainer.spec, len(trainer.spec.layers) + 1
    texts = []
    for node in lay.nodes:
        if node.column == 0:
            texts.append(f"input {node.label}")
            continue
        biases = snapshot.biases[node.column - 1] if snapshot else None
        bias = f" · bias {biases[node.index]:.3g}" if biases is not None else ""
        if node.column == last:
            texts.append(f"output: {'probability of ' if trainer.points.task == CLASSIFICATION else ''}"
                         f"{node.label}{bias}")
        else:
            activation = ACTIVATIONS[spec.layers[node.column - 1].activation]
            texts.append(f"layer {node.column} · neuron {node.index + 1} · {activation}{bias}")
    return [f"{text} — click to see it large" for text in texts]


def network_drawing(trainer: BoundaryTrainer, selected: tuple[int, int] | None) -> tuple[Layout, np.ndarray]:
    """The diagram's layout and picture for the latest snapshot (built once per snapshot and selection)."""
    def build() -> tuple[Layout, np.ndarray]:
        points = trainer.points
        lay = layout(trainer.spec, output_units(points.task, points.classes), output_labels(trainer))
        rows = links(lay, trainer.snapshot.kernels) if trainer.snapshot else np.zeros((0, 5))
        return lay, network_picture(lay, _tiles(trainer, lay), rows, selected, font() + 1)

    return cached("network_picture", (trainer.snapshot, trainer, selected, font()), build)


def network_width(lay: Layout) -> int:
    """Pixels the diagram takes on the page: its own size, shrunk to fit the column."""
    return min(lay.width, COLUMN_PIXELS)


def network(trainer: BoundaryTrainer, selected: tuple[int, int] | None) -> RawFigure:
    """The diagram as a chart: hover a tile to see what it is, click it to see it large."""
    lay, picture = network_drawing(trainer, selected)
    height = round(lay.height * network_width(lay) / lay.width)
    return cached("network", (trainer.snapshot, trainer, selected, font()),
                  lambda: network_figure(lay, picture, _hover(trainer, lay), height))


def selected_node(trainer: BoundaryTrainer, shown: tuple[int, int] | None = None) -> tuple[int, int]:
    """The tile clicked in the diagram; else `shown` (the tile shown so far: while training the diagram is a picture,
    and Streamlit forgets the chart's selection); else the output (class 1 of two, or the only output)."""
    outputs = output_units(trainer.points.task, trainer.points.classes)
    sizes = [len(trainer.spec.features), *(layer.units for layer in trainer.spec.layers), outputs]
    points = st.session_state.get(NETWORK, {}).get("selection", {}).get("points", [])
    data = points[0].get("customdata") if points else None
    for node in ((data[0], data[1]) if isinstance(data, list) and len(data) == 2 else None, shown):
        if node is not None and int(node[0]) < len(sizes) and int(node[1]) < sizes[int(node[0])]:
            return int(node[0]), int(node[1])
    return len(sizes) - 1, min(1, outputs - 1)


def _neuron_values(trainer: BoundaryTrainer, node: tuple[int, int]) -> tuple[np.ndarray, str, tuple | None] | None:
    """(values over the plane, title, colour range) of the selected tile; None before the network exists."""
    column, index = node
    snapshot, spec = trainer.snapshot, trainer.spec
    if column == 0:
        return feature_maps(spec.features)[..., index], f"Input {FEATURES[spec.features[index]].label}", None
    if snapshot is None:
        return None
    if column == len(spec.layers) + 1:
        if trainer.points.task == CLASSIFICATION:
            return snapshot.maps.output[..., index], f"Output: probability of class {index}", (-1.0, 1.0)
        return snapshot.maps.output[..., index], "Output value", None
    activation = ACTIVATIONS[spec.layers[column - 1].activation]
    return (snapshot.maps.neurons[column - 1][..., index],
            f"Layer {column}, neuron {index + 1} ({activation}) at epoch {snapshot.epoch:,}", None)


def neuron_view(trainer: BoundaryTrainer, node: tuple[int, int], height: int) -> RawFigure | None:
    """The selected tile large as a chart, with its values on hover."""
    found = _neuron_values(trainer, node)
    if found is None:
        return None
    values, title, zrange = found
    return cached("neuron", (trainer.snapshot, trainer, node, height, font()),
                  lambda: neuron_figure(shrink(values, LARGE), title, trainer.points, height, zrange, font()))


def neuron_image(trainer: BoundaryTrainer, node: tuple[int, int]) -> tuple[np.ndarray, str] | None:
    """The selected tile large as a picture (while training), and its title."""
    found = _neuron_values(trainer, node)
    if found is None:
        return None
    values, title, zrange = found
    scale = zrange[1] if zrange else max(float(np.nan_to_num(np.abs(values)).max()), 1e-6)
    return np.kron(diverging_rgb(values, scale), np.ones((3, 3, 1), np.uint8)), title


def curves(trainer: BoundaryTrainer, height: int) -> RawFigure:
    table = trainer.history.table()
    return cached("curves", (trainer, len(table), height, font()),
                  lambda: curves_figure(table, trainer.points.task == CLASSIFICATION, height, font()))


def confusion(trainer: BoundaryTrainer) -> str | None:
    """The test set's confusion matrix at the latest snapshot, as HTML (classification only)."""
    predicted = trainer.class_predictions()
    if predicted is None:
        return None
    points = trainer.points
    matrix = confusion_matrix(points.y_test, predicted[~points.train], points.classes)
    return confusion_table(matrix, f"Test points: {int(np.trace(matrix))} of {matrix.sum()} right")
