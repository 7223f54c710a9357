"""Figures of the Decision boundaries page: the output map and the network diagram as interactive charts around
their pictures (boundaries.pictures), one neuron large, the loss curves and the confusion matrix.

Figures are plain JSON-ready data (RawFigure): the page rebuilds them several times a second, and Plotly's
per-property validation of a go.Figure cost 50-300 ms per figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from playground.boundaries.datasets import DOMAIN, PointSet
from playground.boundaries.diagram import Layout
from playground.boundaries.pictures import TICKS, jpeg_uri

DIVERGING = [[0.0, "rgb(245,147,34)"], [0.5, "rgb(255,255,255)"], [1.0, "rgb(8,119,189)"]]
TRAIN_COLOR, TEST_COLOR = "#1f77b4", "#ff7f0e"
CLICK_GRID = 61  # invisible points 0.2 apart: Streamlit reports clicks on points only; these make the plane clickable
INVISIBLE = {"marker": {"opacity": 0}}


class RawFigure(go.Figure):
    """A figure kept as plain JSON-ready data, without Plotly's validation; st.plotly_chart reads it via to_dict()."""

    def __init__(self, data: list[dict[str, Any]], layout: dict[str, Any]) -> None:  # no super(): nothing to validate
        self._raw = {"data": data, "layout": layout}

    def to_dict(self) -> dict[str, Any]:
        return self._raw

    def to_plotly_json(self) -> dict[str, Any]:
        return self._raw

    @property
    def raw(self) -> dict[str, Any]:
        return self._raw


def _point_targets(points: PointSet, show_test: bool) -> dict[str, Any]:
    """Invisible markers over the drawn points: hover says what a point is, a click picks it (customdata = index)."""
    index = np.flatnonzero(points.train if not show_test else np.ones(len(points), bool))
    if points.task == "classification":
        labels = [f"class {int(points.y[i])}" for i in index]
    else:
        labels = [f"value {float(points.y[i]):.2f}" for i in index]
    text = [f"{label} · {'training' if points.train[i] else 'test'} point" for label, i in zip(labels, index)]
    return {"type": "scatter", "mode": "markers", "name": "points", "showlegend": False,
            "x": points.x[index, 0].round(3).tolist(), "y": points.x[index, 1].round(3).tolist(),
            "customdata": index.tolist(), "hovertext": text,
            "hovertemplate": "(%{x}, %{y}) · %{hovertext}<extra></extra>",
            "marker": {"size": 8, "color": "rgba(0,0,0,0)"}, "selected": INVISIBLE, "unselected": INVISIBLE}


def _plane_axis(title: str, font: int, **extra: Any) -> dict[str, Any]:
    return {"range": [-DOMAIN, DOMAIN], "fixedrange": True, "showgrid": False, "zeroline": False,
            "tickvals": list(TICKS), "title": {"text": title, "font": {"size": font}},
            "tickfont": {"size": font - 1}, "constrain": "domain", **extra}


def boundary_figure(points: PointSet, picture: np.ndarray, show_test: bool, clickable: bool = False,
                    height: int = 460, font: int = 12) -> RawFigure:
    """The map picture (boundaries.pictures.map_picture) on the plane's axes; hovering a point tells what it is,
    and `clickable` adds a grid of invisible targets, so that a click anywhere reports where."""
    data = []
    if clickable:
        axis = np.linspace(-DOMAIN, DOMAIN, CLICK_GRID).round(2)
        gx, gy = np.meshgrid(axis, axis)
        data.append({"type": "scatter", "mode": "markers", "name": "plane", "showlegend": False,
                     "x": gx.ravel().tolist(), "y": gy.ravel().tolist(),
                     "marker": {"size": 9, "color": "rgba(0,0,0,0)"}, "selected": INVISIBLE, "unselected": INVISIBLE,
                     "hovertemplate": "(%{x}, %{y}) · click here<extra></extra>"})
    data.append(_point_targets(points, show_test))
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 6, "b": 10}, "font": {"size": font},
              "images": [{"source": jpeg_uri(picture), "xref": "x", "yref": "y", "x": -DOMAIN, "y": DOMAIN,
                          "sizex": 2 * DOMAIN, "sizey": 2 * DOMAIN, "sizing": "stretch", "layer": "below"}],
              "xaxis": _plane_axis("", font), "yaxis": _plane_axis("", font, scaleanchor="x", scaleratio=1),
              "plot_bgcolor": "white", "dragmode": False, "clickmode": "event+select", "hovermode": "closest",
              "uirevision": "boundary"}
    return RawFigure(data, layout)


def neuron_figure(values: np.ndarray, title: str, points: PointSet | None = None, height: int = 380,
                  zrange: tuple[float, float] | None = None, font: int = 12) -> RawFigure:
    """One map large, with hover values: a hidden neuron's output or a class probability over the plane."""
    from playground.boundaries.maps import grid_axis

    axis = grid_axis(values.shape[0]).round(3).tolist()
    largest = float(np.nan_to_num(np.abs(values)).max()) or 1.0
    low, high = zrange if zrange is not None else (-largest, largest)
    data = [{"type": "heatmap", "x": axis, "y": axis, "z": np.nan_to_num(values[::-1]).round(3).tolist(),
             "colorscale": DIVERGING, "zmin": low, "zmax": high, "colorbar": {"thickness": 12},
             "hovertemplate": "(%{x}, %{y}) → %{z}<extra></extra>"}]
    if points is not None:
        train = points.train
        data.append({"type": "scatter", "mode": "markers", "hoverinfo": "skip", "showlegend": False,
                     "x": points.x[train, 0].round(3).tolist(), "y": points.x[train, 1].round(3).tolist(),
                     "marker": {"size": 4, "color": "rgba(40,40,40,0.35)"}})
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
              "title": {"text": title, "font": {"size": font + 2}}, "font": {"size": font},
              "xaxis": _plane_axis("", font), "yaxis": _plane_axis("", font, scaleanchor="x")}
    return RawFigure(data, layout)


def _thin(table: np.ndarray, most: int = 400) -> np.ndarray:
    """At most `most` rows, evenly spaced, always with the first and the last (long runs have 100,000 epochs)."""
    if len(table) <= most:
        return table
    keep = np.unique(np.linspace(0, len(table) - 1, most).round().astype(int))
    return table[keep]


def _series(values: np.ndarray) -> np.ndarray:
    """Rounded values; NaN and infinities become gaps (Plotly's JSON writes them as null)."""
    return np.where(np.isfinite(values), values, np.nan).round(5)


def curves_figure(table: np.ndarray, classification: bool, height: int = 300, font: int = 12) -> RawFigure:
    """Loss per epoch, training vs test, with accuracy below it for classification (`table`: History.table())."""
    rows = _thin(table)
    epoch = rows[:, 0].astype(int).tolist()
    panels = [("Loss" if classification else "Loss (mean squared error)", 1, 3)]
    if classification:
        panels.append(("Accuracy", 2, 4))
    data, layout = [], {"height": height, "margin": {"l": 10, "r": 10, "t": 24, "b": 10}, "hovermode": "x unified",
                        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
                        "uirevision": "curves", "font": {"size": font}}
    gap = 0.1
    share = (1 - gap * (len(panels) - 1)) / len(panels)
    for number, (title, train, test) in enumerate(panels, start=1):
        suffix = "" if number == 1 else str(number)
        for column, name, color in ((train, "training", TRAIN_COLOR), (test, "test", TEST_COLOR)):
            data.append({"type": "scatter", "mode": "lines", "name": name, "legendgroup": name,
                         "showlegend": number == 1, "x": epoch, "y": _series(rows[:, column]),
                         "line": {"color": color, "width": 2}, "xaxis": "x", "yaxis": f"y{suffix}"})
        top = 1 - (number - 1) * (share + gap)
        layout[f"yaxis{suffix}"] = {"domain": [top - share, top], "rangemode": "tozero", "anchor": "x",
                                    "title": {"text": title, "font": {"size": font}}}
    layout["xaxis"] = {"anchor": f"y{len(panels) if len(panels) > 1 else ''}", "rangemode": "tozero",
                       "title": {"text": "epoch", "font": {"size": font}}}
    if classification:
        layout["yaxis2"].update({"range": [0, 1.02], "tickformat": ".0%"})
    return RawFigure(data, layout)


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray, classes: int) -> np.ndarray:
    """(classes, classes) counts: row = true class, column = predicted class."""
    matrix = np.zeros((classes, classes), int)
    np.add.at(matrix, (labels.astype(int), predicted.astype(int)), 1)
    return matrix


def confusion_table(matrix: np.ndarray, title: str) -> str:
    """The confusion matrix as a small HTML table (cells shaded by the share of their row): cheap for a browser to
    redraw every second, unlike a Plotly heat map, which Streamlit rebuilds from scratch."""
    share = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    cell = "padding: 6px 10px; text-align: center; border: 1px solid #ddd"
    head = "".join(f'<th style="{cell}">class {k}</th>' for k in range(len(matrix)))
    rows = "".join(
        f'<tr><th style="{cell}">class {i}</th>' + "".join(
            f'<td style="{cell}; background: rgba(8,119,189,{share[i, j]:.2f}); '
            f'color: {"white" if share[i, j] > 0.55 else "black"}">{matrix[i, j]}</td>' for j in range(len(matrix)))
        + "</tr>" for i in range(len(matrix)))
    return (f'<div style="font-size: 0.9rem"><b>{title}</b><table style="border-collapse: collapse; margin: 6px 0">'
            f'<tr><th style="{cell}"></th>{head}</tr>{rows}</table>'
            '<span style="color: gray">rows: the true class, columns: the predicted one</span></div>')


def network_figure(lay: Layout, picture: np.ndarray, hover: Sequence[str], height: int) -> RawFigure:
    """The diagram picture (boundaries.pictures.network_picture) with an invisible square over each tile: hover
    tells what the neuron is, a click selects it (customdata = [column, index])."""
    data = [{"type": "scatter", "mode": "markers", "showlegend": False, "hovertext": list(hover),
             "x": [n.x for n in lay.nodes], "y": [lay.height - n.y for n in lay.nodes],
             "customdata": [[n.column, n.index] for n in lay.nodes], "hovertemplate": "%{hovertext}<extra></extra>",
             "marker": {"size": lay.tile, "symbol": "square", "color": "rgba(0,0,0,0)"}, "selected": INVISIBLE,
             "unselected": INVISIBLE}]
    layout = {"height": height, "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "plot_bgcolor": "white",
              "images": [{"source": jpeg_uri(picture), "xref": "x", "yref": "y", "x": 0, "y": lay.height,
                          "sizex": lay.width, "sizey": lay.height, "sizing": "stretch", "layer": "below"}],
              "xaxis": {"range": [0, lay.width], "visible": False, "fixedrange": True},
              "yaxis": {"range": [0, lay.height], "visible": False, "fixedrange": True, "scaleanchor": "x",
                        "scaleratio": 1},
              "dragmode": False, "clickmode": "event+select", "hovermode": "closest", "uirevision": "network"}
    return RawFigure(data, layout)
