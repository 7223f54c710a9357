"""Figures of the Draw a digit page: probability bars (HTML), the 28×28 input, feature-map grids, learned filters."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

BAR_COLOR = "#9ecae1"
TOP_COLOR = "#1f77b4"
NAIVE_COLOR = "#ff7f0e"


def probability_bars(probabilities: Sequence[float], naive: Sequence[float] | None = None,
                     height: int = 260) -> str:
    """The 10 class probabilities as bars in plain HTML (for `st.html`), the predicted digit darker, optionally the
    naive resize's beside them; hovering a bar gives its exact value. Plain HTML, not a Plotly figure: the bars sit
    right under the answer, and the browser draws them in a few milliseconds where a new Plotly chart takes a
    hundred (which held the answer itself back on screen)."""
    p = np.asarray(probabilities, dtype=float)
    series = [("", p, [TOP_COLOR if d == int(p.argmax()) else BAR_COLOR for d in range(10)], True)]
    if naive is not None:
        series.append(("naive resize, ", np.asarray(naive, dtype=float), [NAIVE_COLOR] * 10, False))
    column = "flex:1;display:flex;align-items:flex-end;gap:1px;height:100%"
    stack = ("flex:1;min-width:0;display:flex;flex-direction:column;justify-content:flex-end;align-items:center;"
             "height:100%;white-space:nowrap")
    digits = "".join(
        f'<div style="{column}">' + "".join(
            f'<div title="{name}digit {d}: {v[d]:.2%}" style="{stack}">'
            f'<span>{f"{v[d]:.0%}" if labelled and v[d] >= 0.05 else ""}</span>'
            f'<div class="pg-bar" style="width:100%;height:{v[d] * 85:.1f}%;background:{colors[d]};'
            f'border-radius:2px 2px 0 0"></div></div>'
            for name, v, colors, labelled in series) + "</div>"
        for d in range(10))
    legend = "" if naive is None else (
        f'<div><span style="color:{TOP_COLOR}">■</span> MNIST preprocessing &nbsp; '
        f'<span style="color:{NAIVE_COLOR}">■</span> naive resize</div>')
    axis = "".join(f'<div style="flex:1;text-align:center">{d}</div>' for d in range(10))
    return (f'<div class="pg-probabilities" style="height:{height}px;display:flex;flex-direction:column;'
            f'font-size:0.8rem;line-height:1.3">{legend}'
            f'<div style="flex:1;display:flex;gap:6px;border-bottom:1px solid rgba(128,128,128,0.5)">{digits}</div>'
            f'<div style="display:flex;gap:6px">{axis}</div>'
            f'<div style="text-align:center;opacity:0.7">digit</div></div>')


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
