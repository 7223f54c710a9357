"""Figures of the Sequences page: a cell unrolled, gradients vs distance, live curves, forecasts, digits by rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from playground.sequences.gradients import GradientCurve

COLORS = {"lstm": "#1f77b4", "gru": "#9467bd", "simplernn": "#d62728", "dense": "#2ca02c", "naive": "#7f7f7f",
          "seasonal": "#bcbd22", "actual": "#111111", "c": "#ff7f0e", "input": "#c7c7c7"}
NAMES = {"lstm": "LSTM", "gru": "GRU", "simplernn": "SimpleRNN", "dense": "Dense", "naive": "naive (last value)",
         "seasonal": "seasonal naive"}
PERIOD_FILL = {"validation": "rgba(255,127,14,0.10)", "test": "rgba(44,160,44,0.10)"}


def _layout(fig: go.Figure, height: int, **extra: object) -> go.Figure:
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, hovermode="x unified",
                      legend={"orientation": "h", "y": -0.18}, **extra)
    return fig


def unrolled_figure(xs: np.ndarray, states: Mapping[str, np.ndarray], height: int = 320) -> go.Figure:
    """The typed inputs x_t as bars and each cell's states (h_t, c_t...) after every step as lines."""
    steps = np.arange(1, len(xs) + 1)
    fig = go.Figure(go.Bar(x=steps, y=xs, name="input x_t", marker_color=COLORS["input"], opacity=0.7))
    styles = {"LSTM c_t": ("c", "dash"), "LSTM h_t": ("lstm", "solid"), "GRU h_t": ("gru", "solid"),
              "SimpleRNN h_t": ("simplernn", "solid")}
    for name, values in states.items():
        color, dash = styles.get(name, ("actual", "solid"))
        fig.add_trace(go.Scatter(x=steps, y=values, name=name, mode="lines+markers",
                                 line={"color": COLORS[color], "dash": dash}))
    fig.update_xaxes(title_text="step t", dtick=max(1, len(xs) // 15))
    fig.update_yaxes(title_text="value", zeroline=True)
    return _layout(fig, height)


def gate_bars(names: Sequence[str], values: Sequence[float], height: int = 260) -> go.Figure:
    """One step's gates and states as horizontal bars: gates in [0, 1], candidate and states in [−1, 1]."""
    fig = go.Figure(go.Bar(x=list(values)[::-1], y=list(names)[::-1], orientation="h",
                           marker_color=["#1f77b4" if v >= 0 else "#d62728" for v in list(values)[::-1]],
                           text=[f"{v:.3f}" for v in list(values)[::-1]], textposition="auto",
                           hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    fig.update_xaxes(range=[-1.05, 1.05], zeroline=True, zerolinecolor="#888")
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=False)
    return fig


def gradient_figure(curves: Mapping[str, GradientCurve], title: str, height: int = 360) -> go.Figure:
    """Gradient size of the last output with respect to the input `distance` steps back, log scale."""
    fig = go.Figure()
    for kind, curve in curves.items():
        fig.add_trace(go.Scatter(x=curve.distance, y=curve.size, name=kind, mode="lines",
                                 line={"color": COLORS.get(kind.lower(), "#333"), "width": 2.5},
                                 hovertemplate=f"{kind}: %{{y:.2e}} at %{{x}} steps back<extra></extra>"))
    sizes = np.concatenate([curve.size for curve in curves.values()]) if curves else np.ones(1)
    decades = np.log10(sizes.max() / sizes.min()) if sizes.min() > 0 else 1.0
    fig.update_xaxes(title_text="distance: how many steps before the last input")
    # One label per decade (or per few), not Plotly's 2 and 5 between them, which crowd a short log axis.
    fig.update_yaxes(title_text="|∂h_T / ∂x_t|", type="log", exponentformat="power",
                     dtick=max(1, int(np.ceil(decades / 6))))
    return _layout(fig, height, title={"text": title, "font": {"size": 14}})


def memory_curves(history: Sequence[Mapping[str, float]], branches: Sequence[str], epochs: int,
                  height: int = 330) -> go.Figure:
    """How much of the first value each network remembers, per epoch (training dotted, validation solid)."""
    fig = go.Figure()
    x = [row["epoch"] for row in history]
    for name in branches:
        color = COLORS.get(name, "#333")
        fig.add_trace(go.Scatter(x=x, y=[row[f"val_{name}"] for row in history], mode="lines+markers",
                                 name=f"{NAMES.get(name, name)} (validation)", line={"color": color}))
        fig.add_trace(go.Scatter(x=x, y=[row[name] for row in history], mode="lines", name=f"{NAMES.get(name, name)}"
                                 " (training)", line={"color": color, "dash": "dot", "width": 1}))
    fig.add_hline(y=0, line={"color": "#888", "dash": "dash", "width": 1}, annotation_text="remembers nothing",
                  annotation_position="bottom right")
    fig.update_xaxes(title_text="epoch", range=[0.5, max(epochs, len(x), 1) + 0.5])
    fig.update_yaxes(title_text="share of the first value remembered", tickformat=".0%", range=[-0.25, 1.05])
    _empty_note(fig, history)
    return _layout(fig, height)


def forecast_curves(history: Sequence[Mapping[str, float]], branches: Sequence[str], naive_val_mae: float,
                    epochs: int, unit: str, height: int = 340) -> go.Figure:
    """Mean absolute error per epoch of each network (training dotted, validation solid), with the naive bar."""
    fig = go.Figure()
    x = [row["epoch"] for row in history]
    for name in branches:
        color = COLORS.get(name, "#333")
        fig.add_trace(go.Scatter(x=x, y=[row[f"val_{name}"] for row in history], mode="lines+markers",
                                 name=f"{NAMES.get(name, name)} (validation)", line={"color": color}))
        fig.add_trace(go.Scatter(x=x, y=[row[name] for row in history], mode="lines", line={"color": color,
                                 "dash": "dot", "width": 1}, name=f"{NAMES.get(name, name)} (training)"))
    fig.add_hline(y=naive_val_mae, line={"color": COLORS["naive"], "dash": "dash"},
                  annotation_text=f"naive on validation: {naive_val_mae:.3g}", annotation_position="top right")
    fig.update_xaxes(title_text="epoch", range=[0.5, max(epochs, len(x), 1) + 0.5])
    fig.update_yaxes(title_text=f"mean absolute error{f' ({unit})' if unit else ''}", rangemode="tozero")
    _empty_note(fig, history)
    return _layout(fig, height)


def series_figure(labels: Sequence[str], values: np.ndarray, val_start: int, test_start: int, unit: str,
                  height: int = 300) -> go.Figure:
    """The whole series, with its validation and test periods shaded."""
    fig = go.Figure(go.Scatter(x=list(labels), y=values, mode="lines", name="series",
                               line={"color": COLORS["actual"], "width": 1}))
    for name, start, end in (("validation", val_start, test_start), ("test", test_start, len(values) - 1)):
        fig.add_vrect(x0=labels[start], x1=labels[end], fillcolor=PERIOD_FILL[name], line_width=0,
                      annotation_text=name, annotation_position="top left")
    fig.update_yaxes(title_text=unit or "value")
    fig.update_xaxes(nticks=12)
    return _layout(fig, height, showlegend=False)


def forecast_figure(labels: Sequence[str], values: np.ndarray, index: np.ndarray, forecasts: Mapping[str, np.ndarray],
                    context: int, unit: str, title: str, height: int = 360) -> go.Figure:
    """What happened (black) against each forecast, over `index`, with `context` earlier values for orientation."""
    first = max(0, int(index[0]) - context)
    shown = np.arange(first, int(index[-1]) + 1)
    fig = go.Figure(go.Scatter(x=[labels[i] for i in shown], y=values[shown], name="what happened", mode="lines",
                               line={"color": COLORS["actual"], "width": 2}))
    x = [labels[i] for i in index]
    for name, forecast in forecasts.items():
        fig.add_trace(go.Scatter(x=x, y=forecast, name=NAMES.get(name, name), mode="lines",
                                 line={"color": COLORS.get(name, "#333"), "width": 1.5,
                                           "dash": "dot" if name in ("naive", "seasonal") else "solid"}))
    if context:
        fig.add_vline(x=x[0], line={"color": "#888", "dash": "dash", "width": 1})
    fig.update_yaxes(title_text=unit or "value")
    fig.update_xaxes(nticks=10)
    return _layout(fig, height, title={"text": title, "font": {"size": 14}})


def mae_bars(maes: Mapping[str, float], unit: str, height: int = 260) -> go.Figure:
    """Each forecast's mean absolute error on the test period (lower is better)."""
    names = list(maes)
    fig = go.Figure(go.Bar(x=[NAMES.get(n, n) for n in names], y=[maes[n] for n in names],
                           marker_color=[COLORS.get(n, "#333") for n in names],
                           text=[f"{maes[n]:.3g}" for n in names], textposition="outside",
                           hovertemplate="%{x}: %{y:.4g}<extra></extra>"))
    fig.update_yaxes(title_text=f"MAE{f' ({unit})' if unit else ''}", rangemode="tozero")
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 20, "b": 10}, showlegend=False)
    return fig


def rows_heatmap(probabilities: np.ndarray, row: int | None = None, height: int = 300) -> go.Figure:
    """(28 rows, 10 digits) as a heatmap: the probability of each digit after the network has read each row."""
    rows = np.arange(1, probabilities.shape[0] + 1)
    # Plain lists, not arrays: Plotly would ship arrays as typed binary data, which browser tests cannot read.
    fig = go.Figure(go.Heatmap(z=probabilities.T.tolist(), x=rows.tolist(), y=[str(d) for d in range(10)],
                               colorscale="Blues",
                               zmin=0, zmax=1, colorbar={"title": "P", "tickformat": ".0%", "len": 0.9},
                               hovertemplate="after row %{x}: digit %{y} %{z:.1%}<extra></extra>"))
    if row is not None:
        fig.add_vline(x=row + 0.5, line={"color": "#d62728", "width": 2})
    fig.update_xaxes(title_text="rows read (top to bottom)", dtick=2)
    fig.update_yaxes(title_text="digit", type="category")
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def revealed_digit(digit: np.ndarray, row: int) -> np.ndarray:
    """The 28×28 digit with the rows below `row` greyed out: what the network has read so far."""
    shown = np.asarray(digit, dtype=float).reshape(28, 28).copy()
    shown[row:] = 0.15 + 0.2 * shown[row:]  # the unread part stays faintly visible
    return shown


def _empty_note(fig: go.Figure, history: Sequence) -> None:
    if not history:
        fig.add_annotation(text="The first point appears after the first epoch", showarrow=False, xref="paper",
                           yref="paper", x=0.5, y=0.5, font={"size": 14, "color": "gray"})
