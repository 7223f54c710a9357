"""The network diagram's geometry: where each neuron's tile goes, the tiles painted into pictures, the links.

Columns are the input features, the hidden layers and the outputs; a column of up to 32 neurons still gets tiles
of 16 pixels. Each column's tiles are painted into one transparent picture (a few images instead of hundreds),
drawn over the links. Pure NumPy: charts/boundaries.py turns it into a Plotly figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.boundaries.features import FEATURES
from playground.boundaries.network import ACTIVATIONS, NetSpec

LEFT, RIGHT = 58, 54  # room for the input labels and the output labels
HEADER = 34  # room above the tiles for the column titles


def column_width(columns: int, tile: int) -> int:
    """Diagram units (pixels of the composed picture) between column centres: room for the links, and narrower for
    deep networks, so that the tiles stay large when the diagram is scaled to the page."""
    return max(round(2.5 * tile), min(110, 420 // max(columns - 1, 1)))


@dataclass(frozen=True)
class Node:
    """One tile: its column (0 = inputs), its index in the column, centre (x, y) with y downwards, and a label."""

    column: int
    index: int
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Layout:
    nodes: tuple[Node, ...]
    tile: int
    width: int
    height: int
    titles: tuple[tuple[float, str], ...]  # (x, text) above each column

    def column(self, column: int) -> list[Node]:
        return [node for node in self.nodes if node.column == column]


def tile_size(tallest: int) -> int:
    """Tiles shrink as columns grow, but stay readable: 36 px up to 8 neurons, 16 px at 32."""
    return 36 if tallest <= 8 else 26 if tallest <= 14 else 20 if tallest <= 22 else 16


def layout(spec: NetSpec, outputs: int, output_labels: list[str]) -> Layout:
    """Where every tile goes, for the features, hidden layers and `outputs` output units of `spec`."""
    columns = [[FEATURES[name].label for name in spec.features]]
    columns += [[f"neuron {i + 1}" for i in range(layer.units)] for layer in spec.layers]
    columns.append(output_labels[:outputs])
    tallest = max(len(column) for column in columns)
    tile = tile_size(tallest)
    step = column_width(len(columns), tile)
    pitch = tile + max(4, tile // 4)
    height = HEADER + tallest * pitch + 10
    nodes = []
    for c, labels in enumerate(columns):
        top = HEADER + (tallest - len(labels)) * pitch / 2
        nodes += [Node(c, i, LEFT + c * step, top + i * pitch + pitch / 2, label) for i, label in enumerate(labels)]
    titles = [(float(LEFT), "Inputs")]
    titles += [(float(LEFT + (i + 1) * step), f"{layer.units} {ACTIVATIONS[layer.activation]}")
               for i, layer in enumerate(spec.layers)]
    titles.append((float(LEFT + (len(columns) - 1) * step), "Output"))
    return Layout(tuple(nodes), tile, int(LEFT + (len(columns) - 1) * step + RIGHT), int(height), tuple(titles))


def shrink(values: np.ndarray, size: int) -> np.ndarray:
    """A (G, G, ...) map sampled down to (size, size, ...)."""
    index = (np.arange(size) * values.shape[0] / size + values.shape[0] / size / 2).astype(int)
    return values[np.ix_(index, index)]


@dataclass(frozen=True, eq=False)
class Strip:
    """The tiles of one column painted into one RGBA picture; (left, top) is its corner in diagram units."""

    left: float
    top: float
    picture: np.ndarray


def compose(lay: Layout, tiles: dict[tuple[int, int], np.ndarray],
            selected: tuple[int, int] | None = None) -> list[Strip]:
    """One transparent picture per column with its tiles painted in (a frame around each; dark if selected).

    `tiles` maps (column, index) to an RGB tile of lay.tile × lay.tile; a missing tile is painted grey. Strips
    instead of one picture of the whole diagram: 6× fewer pixels to encode, ten times a second.
    """
    frame, size = 2, lay.tile
    strips = []
    for column in sorted({node.column for node in lay.nodes}):
        nodes = lay.column(column)
        top = round(nodes[0].y) - size // 2 - frame
        bottom = round(nodes[-1].y) - size // 2 + size + frame
        picture = np.zeros((bottom - top, size + 2 * frame, 4), np.uint8)
        for node in nodes:
            y = round(node.y) - size // 2 - top
            dark = (node.column, node.index) == selected
            width = frame if dark else 1
            picture[y - width:y + size + width, frame - width:frame + size + width] = (
                (30, 30, 30, 255) if dark else (170, 170, 170, 255))
            rgb = tiles.get((node.column, node.index))
            picture[y:y + size, frame:frame + size, :3] = 236 if rgb is None else rgb
        strips.append(Strip(nodes[0].x - size / 2 - frame, float(top), picture))
    return strips


def links(lay: Layout, kernels: tuple[np.ndarray, ...], most: int = 800) -> np.ndarray:
    """Rows (x0, y0, x1, y1, weight) from each tile's right edge to the next column's tiles; the `most` strongest."""
    rows = []
    half = lay.tile / 2
    for c, kernel in enumerate(kernels):
        sources, targets = lay.column(c), lay.column(c + 1)
        if kernel.shape != (len(sources), len(targets)):
            continue
        sy, ty = np.meshgrid([n.y for n in sources], [n.y for n in targets], indexing="ij")
        rows.append(np.column_stack([np.full(sy.size, sources[0].x + half), sy.ravel(),
                                     np.full(sy.size, targets[0].x - half), ty.ravel(), kernel.ravel()]))
    table = np.concatenate(rows) if rows else np.zeros((0, 5))
    if len(table) > most:
        table = table[np.argsort(-np.abs(table[:, 4]))[:most]]
    return table
