"""Figures of the concept pages: a neuron, activation curves, decision regions, probabilities, descent, images."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.concepts.gradient_descent import Curve, tangent
from playground.concepts.neuron import ACTIVATIONS

POSITIVE, NEGATIVE, NEUTRAL, INK = "#1f77b4", "#d62728", "#7f7f7f", "#262730"
FUNCTION_COLOR, SLOPE_COLOR, MARK_COLOR = "#1f77b4", "#ff7f0e", "#d62728"
CLASS_COLORS = ("#1f77b4", "#ff7f0e")
MARGIN = dict(l=10, r=10, t=40, b=10)
ZOOM_OUT = 4  # the descent chart widens up to this many times a curve's usual range


def _hide_axes(fig: go.Figure) -> None:
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)


def neuron_diagram(inputs: Sequence[float], weights: Sequence[float], bias: float, total: float, output: float,
                   activation: str, height: int = 300) -> go.Figure:
    """Inputs -> weighted edges (blue positive, red negative, thicker = larger weight) -> Σ -> activation -> output."""
    fig = go.Figure()
    n = len(inputs)
    ys = np.linspace(1, -1, n) if n > 1 else np.zeros(1)
    for w_i, y in zip(weights, ys):
        fig.add_trace(go.Scatter(x=[0, 2], y=[y, 0], mode="lines", hoverinfo="skip", showlegend=False,
                                 line=dict(color=POSITIVE if w_i >= 0 else NEGATIVE, width=1 + 4 * min(abs(w_i), 2))))
        fig.add_annotation(x=0.9, y=y * 0.55, text=f"<b>× {w_i:+.1f}</b>", showarrow=False, yshift=12,
                           font=dict(color=POSITIVE if w_i >= 0 else NEGATIVE))
    fig.add_trace(go.Scatter(x=[2, 3.2, 4.4], y=[0, 0, 0], mode="lines", hoverinfo="skip", showlegend=False,
                             line=dict(color=NEUTRAL, width=2)))
    fig.add_trace(go.Scatter(x=np.zeros(n), y=ys, mode="markers", hoverinfo="skip", showlegend=False,
                             marker=dict(size=46, color="#e8f0fa", opacity=1, line=dict(width=1))))
    for x_i, y in zip(inputs, ys):
        fig.add_annotation(x=0, y=y, text=f"<b>{x_i:+.1f}</b>", showarrow=False, font=dict(color=INK))
    fig.add_annotation(x=2, y=-0.45, text=f"bias {bias:+.2f}", showarrow=False, font=dict(color=NEUTRAL))
    nodes = [(2, f"Σ<br>{total:+.2f}"), (3.2, ACTIVATIONS[activation].name), (4.4, f"{output:+.3f}")]
    fig.add_trace(go.Scatter(x=[x for x, _ in nodes], y=[0, 0, 0], mode="markers", hoverinfo="skip",
                             marker=dict(size=[70, 70, 62], symbol=["circle", "square", "circle"],
                                         color=["#fff3e0", "#f3e5f5", "#e8f5e9"], opacity=1, line=dict(width=1)),
                             showlegend=False))
    for x, text in nodes:
        fig.add_annotation(x=x, y=0, text=f"<b>{text}</b>", showarrow=False, font=dict(color=INK))
    for x, text in ((0, "inputs"), (1, "weights"), (2, "sum"), (3.2, "activation"), (4.4, "output")):
        fig.add_annotation(x=x, y=1.35, text=text, showarrow=False, font=dict(color=NEUTRAL))
    _hide_axes(fig)
    fig.update_xaxes(range=[-0.8, 4.9])
    fig.update_yaxes(range=[-1.4, 1.5])
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=0, b=0), plot_bgcolor="rgba(0,0,0,0)")
    return fig


def _add_activation(fig: go.Figure, name: str, z: float, xs: np.ndarray, row: int | None = None,
                    col: int | None = None, legend: bool = False) -> None:
    activation = ACTIVATIONS[name]
    where = dict(row=row, col=col) if row else {}
    fig.add_trace(go.Scatter(x=xs, y=np.round(activation.function(xs), 4), name="f(x)", legendgroup="f", showlegend=legend,
                             line=dict(color=FUNCTION_COLOR, width=2.5)), **where)
    fig.add_trace(go.Scatter(x=xs, y=np.round(activation.derivative(xs), 4), name="slope f′(x)", legendgroup="d",
                             showlegend=legend, line=dict(color=SLOPE_COLOR, dash="dot")), **where)
    z_shown = float(np.clip(z, xs[0], xs[-1]))
    fig.add_trace(go.Scatter(x=[z_shown], y=[float(activation.function(np.array(z_shown)))], mode="markers",
                             name="this neuron", legendgroup="z", showlegend=legend,
                             marker=dict(color=MARK_COLOR, size=11, symbol="diamond")), **where)


def activation_figure(name: str, z: float, height: int = 320, reach: float = 4.0) -> go.Figure:
    """One activation function and its slope, with the neuron's current sum marked on the curve."""
    reach = max(reach, abs(z) + 0.5)
    fig = go.Figure()
    _add_activation(fig, name, z, np.linspace(-reach, reach, 401), legend=True)
    fig.add_vline(x=z, line=dict(color=MARK_COLOR, dash="dash", width=1))
    fig.update_layout(height=height, margin=MARGIN, xaxis_title="weighted sum x", hovermode="x",
                      legend=dict(orientation="h", y=1.12), title=dict(text=ACTIVATIONS[name].title, y=0.98))
    return fig


def activation_gallery(names: Sequence[str], z: float, columns: int = 4, height: int = 640) -> go.Figure:
    """Small multiples: each activation with its slope (dotted), the current sum marked on every one."""
    rows = -(-len(names) // columns)
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=[ACTIVATIONS[n].title for n in names],
                        vertical_spacing=0.12, horizontal_spacing=0.05)
    xs = np.linspace(-4, 4, 161)
    for index, name in enumerate(names):
        _add_activation(fig, name, z, xs, row=index // columns + 1, col=index % columns + 1, legend=index == 0)
    fig.update_yaxes(range=[-1.6, 2.6])
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=70, b=10),
                      legend=dict(orientation="h", yanchor="top", y=1.0, yref="container"))
    return fig


def decision_regions(xs: np.ndarray, ys: np.ndarray, probabilities: np.ndarray, points: np.ndarray,
                     labels: np.ndarray, title: str, height: int = 380) -> go.Figure:
    """The network's P(class 1) as a background colour, its 0.5 boundary, and the labelled points on top."""
    xs, ys, probabilities, points = (np.round(a, 3) for a in (xs, ys, probabilities, points))  # a lighter page
    fig = go.Figure(go.Heatmap(x=xs, y=ys, z=probabilities, zmin=0, zmax=1, showscale=False, hoverinfo="skip",
                               colorscale=[[0, "#c6dbef"], [0.5, "#ffffff"], [1, "#fdd0a2"]]))
    fig.add_trace(go.Contour(x=xs, y=ys, z=probabilities, contours=dict(start=0.5, end=0.5, coloring="none"),
                             line=dict(color="black", width=2), showscale=False, hoverinfo="skip"))
    for label in (0, 1):
        chosen = labels == label
        fig.add_trace(go.Scatter(x=points[chosen, 0], y=points[chosen, 1], mode="markers", name=f"class {label}",
                                 marker=dict(color=CLASS_COLORS[label], size=6, line=dict(width=0.5, color="white"))))
    fig.update_yaxes(scaleanchor="x", visible=False)
    fig.update_xaxes(visible=False)
    fig.update_layout(title=title, height=height, margin=MARGIN, showlegend=False)
    return fig


def class_bars(values: Sequence[float], label: int | None, title: str, percent: bool = False,
               height: int = 260) -> go.Figure:
    """One bar per class 0-9; the true label's bar is highlighted."""
    classes = [str(c) for c in range(len(values))]
    colors = [POSITIVE if c == label else "#aec7e8" for c in range(len(values))]
    text = [f"{v:.1%}" if percent else f"{v:g}" for v in values]
    fig = go.Figure(go.Bar(x=classes, y=list(values), marker_color=colors, text=text, textposition="outside",
                           cliponaxis=False))
    fig.update_yaxes(range=[0, 1.15] if percent or max(values, default=0) <= 1 else None,
                     tickformat=".0%" if percent else None)
    fig.update_layout(title=title, height=height, margin=MARGIN, xaxis_title="class", xaxis_type="category")
    return fig


def loss_curve(probability: float, height: int = 260) -> go.Figure:
    """−log(p) for the probability p given to the true class: 0 when sure and right, steep as p goes to 0."""
    ps = np.linspace(0.005, 1, 300)
    fig = go.Figure(go.Scatter(x=ps, y=-np.log(ps), name="loss = −log p", line=dict(color=FUNCTION_COLOR, width=2.5)))
    p = float(np.clip(probability, 0.005, 1))
    fig.add_trace(go.Scatter(x=[p], y=[-np.log(p)], mode="markers", name="this prediction",
                             marker=dict(color=MARK_COLOR, size=13, symbol="diamond")))
    fig.update_xaxes(title="probability given to the true class", tickformat=".0%", range=[0, 1.02])
    fig.update_yaxes(title="loss", range=[0, 5.5])
    fig.update_layout(height=height, margin=MARGIN, showlegend=False)
    return fig


def descent_figure(curve: Curve, path: Sequence[float], height: int = 420) -> go.Figure:
    """The curve, every point visited so far, and the tangent at the current point (its slope says which way is down)."""
    low, high = curve.x_range
    # Zoom out to follow a walk that overshoots, up to a few times the usual view: enough to see the zigzag grow.
    near = [x for x in path if ZOOM_OUT * low <= x <= ZOOM_OUT * high]
    low, high = min(low, *near), max(high, *near)
    xs = np.linspace(low, high, 400)
    fig = go.Figure(go.Scatter(x=xs, y=curve.function(xs), name="loss f(x)", line=dict(color=FUNCTION_COLOR, width=3)))
    shown = [x for x in path if low <= x <= high]
    if shown:
        fig.add_trace(go.Scatter(x=shown, y=curve.function(np.array(shown)), mode="lines+markers", name="steps",
                                 line=dict(color=NEUTRAL, width=1), marker=dict(color=SLOPE_COLOR, size=8)))
    current = path[-1]
    if low <= current <= high:
        tx, ty = tangent(curve, current, half_width=(high - low) / 6)
        fig.add_trace(go.Scatter(x=tx, y=ty, mode="lines", name=f"tangent, slope {curve.slope(current):+.2f}",
                                 line=dict(color=MARK_COLOR, width=3)))
        fig.add_trace(go.Scatter(x=[current], y=[curve.function(current)], mode="markers", name="you are here",
                                 marker=dict(color=MARK_COLOR, size=16, symbol="circle")))
    curve_y = curve.function(xs)
    span = curve_y.max() - curve_y.min()
    fig.update_xaxes(range=[low, high], title="x (a weight)")
    fig.update_yaxes(range=[curve_y.min() - 0.1 * span, curve_y.max() + 0.1 * span], title="loss")
    fig.update_layout(height=height, margin=MARGIN, legend=dict(orientation="h", y=1.1))
    return fig


def loss_per_step(losses: Sequence[float], height: int = 220) -> go.Figure:
    """The loss after every step; a log scale once it explodes, so a diverging walk stays readable."""
    fig = go.Figure(go.Scatter(x=list(range(len(losses))), y=list(losses), mode="lines+markers",
                               line=dict(color=SLOPE_COLOR)))
    exploding = len(losses) > 1 and max(losses) > 100 * max(abs(losses[0]), 1)
    fig.update_yaxes(title="loss", type="log" if exploding and min(losses) > 0 else "linear")
    fig.update_xaxes(title="step", rangemode="tozero")
    fig.update_layout(height=height, margin=MARGIN)
    return fig


def _heatmap(image: np.ndarray, diverging: bool, text: bool = False) -> go.Heatmap:
    """Grey for images in [0, 1] and after ReLU; red-white-blue around 0 for maps with negative values."""
    scale = dict(colorscale="RdBu", zmid=0) if diverging else dict(colorscale="gray", zmin=0)
    extra = dict(text=np.round(image, 2), texttemplate="%{text}") if text else {}
    return go.Heatmap(z=image, showscale=False, hovertemplate="row %{y}, column %{x}: %{z:.2f}<extra></extra>",
                      **scale, **extra)


def kernel_figure(kernel: np.ndarray, height: int = 220, text_size: int = 16) -> go.Figure:
    """The kernel's numbers on a red-white-blue grid."""
    fig = go.Figure(_heatmap(kernel, diverging=True, text=True))
    fig.update_traces(textfont=dict(size=text_size))
    fig.update_yaxes(autorange="reversed", scaleanchor="x", visible=False)
    fig.update_xaxes(visible=False)
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=0, b=0))
    return fig


def image_steps(images: Sequence[np.ndarray], titles: Sequence[str], height: int = 300) -> go.Figure:
    """Images side by side at their own sizes (input, feature map, after ReLU, after pooling)."""
    fig = make_subplots(rows=1, cols=len(images), subplot_titles=list(titles), horizontal_spacing=0.03)
    for index, image in enumerate(images, start=1):
        fig.add_trace(_heatmap(image, diverging=bool(np.min(image) < 0)), row=1, col=index)
        fig.update_yaxes(autorange="reversed", scaleanchor=f"x{index}", row=1, col=index)
    _hide_axes(fig)
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=50, b=0))
    return fig


def image_grid(images: Sequence[np.ndarray], titles: Sequence[str], columns: int = 8,
               height_per_row: int = 120) -> go.Figure:
    """Many small images (learned filters, their feature maps) in a grid."""
    rows = -(-len(images) // columns)
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=list(titles), horizontal_spacing=0.01,
                        vertical_spacing=0.25 / rows)
    for index, image in enumerate(images):
        row, col = index // columns + 1, index % columns + 1
        fig.add_trace(_heatmap(image, diverging=bool(np.min(image) < 0)), row=row, col=col)
        fig.update_yaxes(autorange="reversed", scaleanchor=f"x{index + 1}", row=row, col=col)
    _hide_axes(fig)
    fig.update_annotations(font_size=11)
    fig.update_layout(height=height_per_row * rows + 30, margin=dict(l=0, r=0, t=30, b=0))
    return fig
