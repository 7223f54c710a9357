"""Figures of the optimizer race: 3D surface and contour map with critical points and animated paths; loss per step."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from playground.optim.races import Path
from playground.optim.surfaces import CriticalPoint, Grid, Surface, display_values

COLORS = qualitative.D3 + qualitative.Dark2
MARKS = {  # how each kind of critical point is drawn: symbol on the map, symbol in 3D (WebGL draws few), colour
    "minimum": ("star", "diamond", "#2ca02c"),
    "saddle": ("x", "circle", "#ff7f0e"),
    "maximum": ("triangle-up", "square", "#d62728"),
}
MAX_LABELS = 12  # beyond this many critical points only the global minimum gets a text label
MAX_MARKED = 60  # beyond this many (Rastrigin has 441) only the minima are marked
FRAMES = 40  # animation frames: smooth enough to talk over, and each one re-sends every path drawn so far
FRAME_NUMBERS = 200_000  # coordinates in all frames together (about 1.5 MB): longer paths are thinned in the frames
TAIL = 40  # the last steps before a frame's head are never thinned: a zig-zag there must stay a zig-zag
HALO = "0 0 3px white, 0 0 3px white"  # a white glow keeps labels readable on dark and light contours
CLICK_GRID = 50  # invisible points per axis on the contour map: clicking one moves the start there


def color(index: int) -> str:
    return COLORS[index % len(COLORS)]


class PrebuiltFigure(go.Figure):
    """A figure whose animation frames stay plain dicts. Plotly validates and deep-copies every trace of every
    frame, seconds for a race's thousands of frame traces; to_dict(), which Streamlit and plotly.io.to_json
    call, puts them back."""

    def __init__(self, figure: go.Figure, frames: list[dict]) -> None:
        super().__init__(figure)
        self._raw_frames = frames  # plotly figures accept only underscored attributes of their own

    @property
    def raw_frames(self) -> list[dict]:
        return self._raw_frames

    def to_dict(self) -> dict:
        return {**super().to_dict(), "frames": self._raw_frames}


def frame_steps(steps: int) -> list[int]:
    """The steps shown as animation frames: 0, the last step, and evenly spread ones between."""
    return sorted(set(np.linspace(0, steps, min(FRAMES, steps) + 1).round().astype(int).tolist()))


def thinned(count: int, keep: int) -> np.ndarray:
    """Indices of at most about `keep` of `count` points: every point of the last TAIL, evenly spaced before."""
    if count <= keep:
        return np.arange(count)
    head = max(count - TAIL, 0)
    early = np.unique(np.linspace(0, head, max(keep - TAIL, 2)).round().astype(int))
    return np.unique(np.concatenate([early, np.arange(head, count)]))


def _path_traces(path: Path, index: int, upto: int, surface: Surface, lowest: float, keep: int | None = None,
                 plain: bool = False) -> list[dict]:
    """The path so far and its head, in 3D and on the map, as trace dicts; a diverged run's head is a cross.
    `plain` leaves out the styling, which animation frames inherit from the figure."""
    points = path.points[: upto + 1]
    if keep is not None:
        points = points[thinned(len(points), keep)]
    x, y = np.round(points[:, 0], 4).tolist(), np.round(points[:, 1], 4).tolist()
    z = np.round(display_values(surface, points[:, 2], lowest), 4).tolist()
    gone = path.diverged_at is not None and upto >= path.diverged_at
    head = dict(symbol="x" if gone else "circle", size=9, color=color(index), line=dict(width=1, color="white"))
    text = [f"diverged at step {path.diverged_at}"] if gone else [""]
    traces = [dict(type="scatter3d", x=x, y=y, z=z), dict(type="scatter3d", x=x[-1:], y=y[-1:], z=z[-1:]),
              dict(type="scatter", x=x, y=y), dict(type="scatter", x=x[-1:], y=y[-1:], text=text,
                                                   marker=head)]
    if plain:
        return traces
    hover = f"{path.label}<br>x %{{x:.3f}}, y %{{y:.3f}}<extra></extra>"
    group = dict(legendgroup=path.label, showlegend=False)
    dash = "solid" if path.runner.noisy else "dot"  # an exact-gradient twin is dotted
    traces[0].update(mode="lines", line=dict(color=color(index), width=5, dash=dash), name=path.label,
                     hovertemplate=hover, **group)
    traces[1].update(mode="markers", marker={**head, "symbol": "circle", "size": 5}, hoverinfo="skip", **group)
    traces[2].update(mode="lines", line=dict(color=color(index), width=2.5, dash=dash), name=path.label,
                     hovertemplate=hover, legendgroup=path.label)
    traces[3].update(mode="markers+text", textposition="top center", cliponaxis=False, hoverinfo="skip",
                     textfont=dict(color=color(index), shadow=HALO), **group)
    return traces


def _critical_traces(points: Sequence[CriticalPoint], surface: Surface, lowest: float) -> list:
    """Markers for the critical points, labelled on the map. Where there are very many (Rastrigin's 441) only the
    minima are drawn, small, and only the global one is labelled: the paths must stay visible."""
    traces = []
    few, crowded = len(points) <= MAX_LABELS, len(points) > MAX_MARKED
    for kind, (symbol_2d, symbol_3d, mark_color) in MARKS.items():
        chosen = [p for p in points if p.kind == kind]
        if not chosen or (crowded and kind != "minimum"):
            continue
        labels = [p.label if few or p.is_global else "" for p in chosen]
        hover = [f"{p.label}<br>({p.x:.3f}, {p.y:.3f})<br>loss {p.value:.4g}<br>Hessian eigenvalues "
                 f"{p.eigenvalues[0]:.3g}, {p.eigenvalues[1]:.3g}" for p in chosen]
        x, y = [p.x for p in chosen], [p.y for p in chosen]
        z = display_values(surface, [p.value for p in chosen], lowest)
        size = 11 if few else 6
        name = {"minimum": "minima", "saddle": "saddle points", "maximum": "maxima"}[kind]
        traces.append(go.Scatter3d(x=x, y=y, z=z, mode="markers",  # labels in 3D overlap: the map has them
                                   marker=dict(symbol=symbol_3d, size=size // 2, color=mark_color), name=name,
                                   legendgroup=name, showlegend=False, hovertext=hover, hoverinfo="text"))
        traces.append(go.Scatter(x=x, y=y, mode="markers+text", text=labels, textposition="bottom center",
                                 textfont=dict(color="black", shadow=HALO), name=name, legendgroup=name,
                                 hovertext=hover, hoverinfo="text",
                                 marker=dict(symbol=symbol_2d, size=size, color=mark_color,
                                             line=dict(width=1 if few else 0, color="white"))))
    return traces


def race_figure(surface: Surface, grid: Grid, critical: Sequence[CriticalPoint], paths: Sequence[Path],
                steps: int, lowest: float, height: int = 560) -> PrebuiltFigure:
    """The surface in 3D (left) and as a contour map (right) with every path, animated step by step: Play,
    Pause, Replay and a step slider scrub both views. Opens on the last frame, with the whole race drawn."""
    fig = make_subplots(rows=1, cols=2, specs=[[{"type": "scene"}, {"type": "xy"}]], column_widths=[0.5, 0.5],
                        horizontal_spacing=0.04)
    z = display_values(surface, grid.z, lowest)
    z_title = "log(1 + loss − min)" if surface.log_scale else "loss"
    fig.add_trace(go.Surface(x=grid.x, y=grid.y, z=z, colorscale="Viridis", showscale=False, opacity=0.9,
                             hovertemplate="x %{x:.2f}, y %{y:.2f}<extra></extra>", name="surface"), row=1, col=1)
    fig.add_trace(go.Contour(x=grid.x, y=grid.y, z=z, colorscale="Viridis", ncontours=30, hoverinfo="skip",
                             contours=dict(coloring="heatmap", showlines=True), line=dict(width=0.5),
                             colorbar=dict(title=dict(text=z_title, side="right"), thickness=12, len=0.9)),
                  row=1, col=2)
    # Invisible points all over the map: Streamlit reports clicks on points (not on a contour), so these make the
    # whole map clickable; their hover shows the loss there.
    x_min, x_max, y_min, y_max = surface.region
    cx, cy = np.meshgrid(np.linspace(x_min, x_max, CLICK_GRID), np.linspace(y_min, y_max, CLICK_GRID))
    fig.add_trace(go.Scatter(x=cx.ravel().round(4), y=cy.ravel().round(4), mode="markers", name="click to start here",
                             marker=dict(size=8, opacity=0), customdata=surface.value(cx, cy).ravel().round(4),
                             hovertemplate="x %{x:.2f}, y %{y:.2f}<br>loss %{customdata:.4g}"
                                           "<br>click: start here<extra></extra>",
                             showlegend=False, selected=dict(marker=dict(opacity=0)),
                             unselected=dict(marker=dict(opacity=0))), row=1, col=2)
    for trace in _critical_traces(critical, surface, lowest):
        fig.add_trace(trace, row=1, col=1 if isinstance(trace, go.Scatter3d) else 2)
    if paths:
        start = paths[0].points[0]
        fig.add_trace(go.Scatter(x=[start[0]], y=[start[1]], mode="markers", name="start", hoverinfo="name",
                                 marker=dict(symbol="circle-open", size=16, color="white", line=dict(width=3))),
                      row=1, col=2)
    first_path_trace = len(fig.data)
    for index, path in enumerate(paths):
        for trace in _path_traces(path, index, steps, surface, lowest):
            fig.add_trace(trace, row=1, col=1 if trace["type"] == "scatter3d" else 2)
    path_traces = list(range(first_path_trace, len(fig.data)))
    shown = frame_steps(steps)
    keep = max(TAIL + 10, FRAME_NUMBERS // (5 * len(shown) * max(len(paths), 1)))
    frames = [dict(name=str(t), traces=path_traces, data=[
        trace for index, path in enumerate(paths)
        for trace in _path_traces(path, index, t, surface, lowest, keep, plain=True)]) for t in shown]
    play = dict(frame=dict(duration=80, redraw=True), transition=dict(duration=0), mode="immediate")
    fig.update_layout(
        height=height, margin=dict(l=0, r=0, t=30, b=0), uirevision=surface.name, clickmode="event+select",
        dragmode="pan", legend=dict(orientation="h", y=1.02, x=0, yanchor="bottom"),
        scene=dict(xaxis_title="x", yaxis_title="y", zaxis_title=z_title, aspectmode="manual",
                   aspectratio=dict(x=1, y=(y_max - y_min) / (x_max - x_min), z=0.6),
                   camera=dict(eye=dict(x=-1.1, y=-1.25, z=0.85))),
        xaxis=dict(range=[x_min, x_max], title="x", constrain="domain"),
        yaxis=dict(range=[y_min, y_max], title="y", scaleanchor="x", constrain="domain"),
        updatemenus=[dict(type="buttons", direction="left", x=0.0, y=-0.02, xanchor="left", yanchor="top",
                          showactive=False, pad=dict(r=8, t=8), buttons=[
                              dict(label="▶ Play", method="animate", args=[None, {**play, "fromcurrent": True}]),
                              dict(label="Pause", method="animate",
                                   args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate")]),
                              dict(label="Replay", method="animate", args=[None, {**play, "fromcurrent": False}]),
                          ])],
        sliders=[dict(active=len(shown) - 1, x=0.2, len=0.8, y=-0.02, yanchor="top", pad=dict(t=8),
                      currentvalue=dict(prefix="step ", xanchor="right", font=dict(size=14)),
                      transition=dict(duration=0), font=dict(size=9), ticklen=4,
                      steps=[dict(label=str(t), method="animate",
                                  args=[[str(t)], dict(frame=dict(duration=0, redraw=True), mode="immediate")])
                             for t in shown])],
    )
    return PrebuiltFigure(fig, frames)


def loss_figure(paths: Sequence[Path], log_scale: bool, height: int = 340) -> go.Figure:
    """Loss per step for every run; a diverged run ends with a cross at its last step inside the map."""
    fig = go.Figure()
    floor = 1e-16  # a log axis drops zeros: an exact minimum is drawn at this floor instead
    for index, path in enumerate(paths):
        loss = np.maximum(path.points[:, 2], floor) if log_scale else path.points[:, 2]
        fig.add_trace(go.Scatter(x=np.arange(len(loss)), y=loss, mode="lines", name=path.label,
                                 line=dict(color=color(index), width=2, dash="solid" if path.runner.noisy else "dot")))
        if path.diverged_at is not None:
            fig.add_trace(go.Scatter(x=[len(loss) - 1], y=[loss[-1]], mode="markers+text", showlegend=False,
                                     marker=dict(symbol="x", size=12, color=color(index)),
                                     text=[f"diverged at step {path.diverged_at}"], textposition="top right",
                                     textfont=dict(color=color(index)), hoverinfo="text"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), hovermode="x unified",
                      title=dict(text="Loss per step (lower is better)", font=dict(size=14)),
                      showlegend=False, xaxis_title="step",
                      yaxis=dict(title="loss" + (" (log scale)" if log_scale else ""),
                                 type="log" if log_scale else "linear", exponentformat="power"))
    if log_scale and paths:  # whole decades only: Plotly's in-between labels (2, 5) read as noise
        values = np.concatenate([np.maximum(p.points[:, 2], floor) for p in paths])
        decades = np.log10(values.max()) - np.log10(values.min())
        fig.update_yaxes(dtick=max(1, int(np.ceil(decades / 6))))
    return fig
