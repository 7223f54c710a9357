"""Figures of the Draw a digit page: probability bars, the 28×28 input, feature-map grids, learned filters."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

BAR_COLOR = "#9ecae1"
TOP_COLOR = "#1f77b4"
NAIVE_COLOR = "#ff7f0e"


def probability_bars(probabilities: Sequence[float], naive: Sequence[float] | None = None,
                     height: int = 260) -> go.Figure:
    """The 10 class probabilities as bars, the predicted digit darker; optionally the naive resize's beside them."""
    p = np.asarray(probabilities, dtype=float)
    digits = [str(d) for d in range(10)]
    colors = [TOP_COLOR if d == int(p.argmax()) else BAR_COLOR for d in range(10)]
    fig = go.Figure(go.Bar(x=digits, y=p, marker_color=colors, name="MNIST preprocessing",
                           text=[f"{v:.0%}" if v >= 0.05 else "" for v in p], textposition="outside",
                           hovertemplate="digit %{x}: %{y:.2%}<extra></extra>"))
    if naive is not None:
        fig.add_trace(go.Bar(x=digits, y=np.asarray(naive, dtype=float), marker_color=NAIVE_COLOR, opacity=0.8,
                             name="naive resize", hovertemplate="naive, digit %{x}: %{y:.2%}<extra></extra>"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), bargap=0.25, barmode="group",
                      showlegend=naive is not None, legend=dict(orientation="h", y=1.12, x=0),
                      xaxis=dict(title="digit", type="category"),
                      yaxis=dict(range=[0, 1.12], tickformat=".0%", title=None))
    return fig


def _pixels(image: np.ndarray, height: int, title: str | None, value_format: str, **heatmap) -> go.Figure:
    """A 28×28 array drawn pixel by pixel, row 0 on top, on black; hover says each pixel's row, column and value."""
    z = np.asarray(image, dtype=float)[::-1]
    rows = np.repeat(np.arange(z.shape[0])[::-1, None, None], z.shape[1], axis=1)
    hover = f"row %{{customdata[0]}}, column %{{x}}: %{{z:{value_format}}}<extra></extra>"
    fig = go.Figure(go.Heatmap(z=z, customdata=rows, hovertemplate=hover, **heatmap))
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, scaleanchor="x", constrain="domain")
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=30 if title else 0, b=0), title=title,
                      plot_bgcolor="black")
    return fig


def digit_image(image: np.ndarray, height: int = 300, title: str | None = None) -> go.Figure:
    """A 28×28 image enlarged, pixel by pixel, white ink on black as the model sees it; hover shows each value."""
    return _pixels(image, height, title, ".2f", colorscale="gray", zmin=0, zmax=1, showscale=False)


def _mosaic(tiles: np.ndarray, columns: int, gap: int = 1) -> np.ndarray:
    """(h, w, n) tiles -> one 2-D image, `columns` tiles per row, NaN gaps between them (drawn as background)."""
    h, w, n = tiles.shape
    rows = -(-n // columns)
    mosaic = np.full((rows * (h + gap) - gap, columns * (w + gap) - gap), np.nan)
    for i in range(n):
        r, c = divmod(i, columns)
        mosaic[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = tiles[..., i]
    return mosaic


def _fitting_height(mosaic: np.ndarray, width: int = 920) -> int:
    """The height at which a mosaic fills a page-wide chart of about `width` pixels without empty bands."""
    return max(60, int(width * mosaic.shape[0] / mosaic.shape[1]) + 4)


def feature_map_grid(maps: np.ndarray, columns: int = 8, height: int | None = None) -> go.Figure:
    """A convolution layer's output (h, w, filters) as a grid, one tile per filter: bright where it responded."""
    maps = np.asarray(maps, dtype=float)
    peak = maps.max(axis=(0, 1), keepdims=True)
    tiles = np.divide(maps, peak, out=np.zeros_like(maps), where=peak > 0)  # each map to its own 0..1
    mosaic = _mosaic(tiles, columns)
    index = _mosaic(np.broadcast_to(np.arange(maps.shape[2]), maps.shape).astype(float), columns)
    fig = go.Figure(go.Heatmap(z=mosaic[::-1], customdata=index[::-1], colorscale="viridis", zmin=0, zmax=1,
                               showscale=False, hoverongaps=False,
                               hovertemplate="filter %{customdata:.0f}: %{z:.2f} of its maximum<extra></extra>"))
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, scaleanchor="x", constrain="domain")
    fig.update_layout(height=height or _fitting_height(mosaic), margin=dict(l=0, r=0, t=0, b=0),
                      plot_bgcolor="rgba(0,0,0,0)")
    return fig


def filter_grid(filters: np.ndarray, columns: int = 8, height: int | None = None) -> go.Figure:
    """Learned filters (k, k, n): red adds where the image is bright, blue subtracts (a diverging scale at 0)."""
    filters = np.asarray(filters, dtype=float)
    limit = float(np.abs(filters).max()) or 1.0
    mosaic = _mosaic(filters, columns)
    index = _mosaic(np.broadcast_to(np.arange(filters.shape[2]), filters.shape).astype(float), columns)
    fig = go.Figure(go.Heatmap(z=mosaic[::-1], customdata=index[::-1], colorscale="RdBu", reversescale=True,
                               zmin=-limit, zmax=limit, hoverongaps=False,
                               colorbar=dict(title="weight", thickness=12),
                               hovertemplate="filter %{customdata:.0f}: weight %{z:.3f}<extra></extra>"))
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, scaleanchor="x", constrain="domain")
    fig.update_layout(height=height or _fitting_height(mosaic, width=840), margin=dict(l=0, r=0, t=0, b=0),
                      plot_bgcolor="rgba(0,0,0,0)")
    return fig


def evidence_image(evidence_map: np.ndarray, limit: float, height: int = 260, title: str | None = None) -> go.Figure:
    """An occlusion map on the 28×28 ink: red strokes pushed towards the digit, blue ones away (black: no ink)."""
    return _pixels(evidence_map, height, title, "+.2f", colorscale="RdBu", reversescale=True, zmin=-limit,
                   zmax=limit, zmid=0, hoverongaps=False, colorbar=dict(thickness=10, tickformat="+.1f"))
