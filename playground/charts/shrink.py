"""Figures of shrinking a network: formats side by side, accuracy vs sparsity, weight histograms before and after."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.shrink.histograms import Histogram
from playground.shrink.quantize import MODES, Measurement

MODE_COLORS = {"float32": "#7f7f7f", "float16": "#ff7f0e", "int8": "#1f77b4"}


def formats_side_by_side(results: Sequence[Measurement], height: int = 300) -> go.Figure:
    """Three panels: file size, MNIST test accuracy, time per image, one bar per format."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=("File size (kB)", "MNIST test accuracy", "Time per image (ms)"),
                        horizontal_spacing=0.08)
    names = [MODES[r.mode].title.split(" ")[0] for r in results]
    colors = [MODE_COLORS.get(r.mode, "#1f77b4") for r in results]
    panels = (([r.size_bytes / 1000 for r in results], "{:.0f}"), ([r.mnist_accuracy for r in results], "{:.2%}"),
              ([r.ms_per_image for r in results], "{:.2f}"))
    for col, (values, fmt) in enumerate(panels, start=1):
        fig.add_trace(go.Bar(x=names, y=values, marker_color=colors, text=[fmt.format(v) for v in values],
                             textposition="auto", showlegend=False), row=1, col=col)
    if results:
        low = min(r.mnist_accuracy for r in results)
        fig.update_yaxes(range=[max(0.0, low - 0.02), 1.0], tickformat=".1%", row=1, col=2)  # differences are small
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10))
    return fig


def accuracy_vs_sparsity(before: Sequence[tuple[float, float]], after: Sequence[tuple[float, float]],
                         dense: float | None, chosen: float | None = None, height: int = 340) -> go.Figure:
    """Accuracy against the fraction of weights removed: right after pruning, and after fine-tuning."""
    fig = go.Figure()
    if before:
        fig.add_trace(go.Scatter(x=[s for s, _ in before], y=[a for _, a in before], mode="lines+markers",
                                 name="pruned, no fine-tune", line=dict(color="#d62728")))
    if after:
        points = sorted(after)
        fig.add_trace(go.Scatter(x=[s for s, _ in points], y=[a for _, a in points], mode="lines+markers",
                                 name="pruned + fine-tuned", line=dict(color="#2ca02c", width=3),
                                 marker=dict(size=11, symbol="diamond")))
    if dense is not None:
        fig.add_hline(y=dense, line=dict(color="gray", dash="dot"), annotation_text=f"dense {dense:.2%}",
                      annotation_position="bottom left")
    if chosen is not None:
        fig.add_vline(x=chosen, line=dict(color="#1f77b4", dash="dash", width=1))
    fig.update_xaxes(title_text="weights set to zero (sparsity)", tickformat=".0%", range=[0.05, 1.0])
    fig.update_yaxes(title_text="MNIST test accuracy", tickformat=".0%", range=[0, 1.02])
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.22))
    return fig


def weight_histograms(histograms: Sequence[Histogram], title: str = "", height: int = 300,
                      log: bool = False) -> go.Figure:
    """Overlaid histograms of weights (same bins); exact zeros are reported in the legend, not drawn as a spike."""
    fig = go.Figure()
    colors = ("#7f7f7f", "#1f77b4", "#2ca02c", "#d62728")
    for histogram, color in zip(histograms, colors):
        centres = (histogram.edges[:-1] + histogram.edges[1:]) / 2
        zeros = f" · {histogram.zeros / histogram.total:.0%} exactly 0" if histogram.zeros else ""
        fig.add_trace(go.Bar(x=centres, y=histogram.counts, name=f"{histogram.label}{zeros}", marker_color=color,
                             opacity=0.6, width=float(histogram.edges[1] - histogram.edges[0])))
    fig.update_layout(barmode="overlay", height=height, title=title or None, margin=dict(l=10, r=10, t=40, b=10),
                      legend=dict(orientation="h", y=-0.25), bargap=0)
    fig.update_xaxes(title_text="weight value")
    fig.update_yaxes(title_text="number of weights", type="log" if log else "linear")
    return fig


def int8_levels(values: Sequence[int] | None, height: int = 260) -> go.Figure:
    """How many weights sit on each of the 255 int8 levels (-127 … 127) of one quantized layer."""
    import numpy as np

    counts = np.bincount(np.asarray(values, dtype=np.int64).ravel() + 127, minlength=255) if values is not None \
        else np.zeros(255)
    fig = go.Figure(go.Bar(x=list(range(-127, 128)), y=counts, marker_color="#1f77b4"))
    fig.update_xaxes(title_text="int8 value q (the weight is q / scale)")
    fig.update_yaxes(title_text="number of weights")
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), bargap=0)
    return fig
