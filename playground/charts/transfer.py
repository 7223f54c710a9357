"""Figures of transfer learning: test accuracy vs examples per class (three ways), per-epoch curves, new symbols."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from playground.transfer.experiment import RunResult
from playground.transfer.features import WAYS


def accuracy_vs_examples(table: dict[str, dict[int, float | None]], height: int = 380) -> go.Figure:
    """Test accuracy against examples per class (log axis), one line per way; missing runs leave gaps."""
    fig = go.Figure()
    sizes = sorted({n for row in table.values() for n in row})
    for way, row in table.items():
        xs = [n for n in sizes if row.get(n) is not None]
        fig.add_trace(go.Scatter(x=xs, y=[row[n] for n in xs], mode="lines+markers", name=WAYS[way].title,
                                 line=dict(color=WAYS[way].color, width=3), marker=dict(size=9),
                                 hovertemplate="%{x} per class: %{y:.1%}<extra>" + WAYS[way].title + "</extra>"))
    fig.add_hline(y=0.1, line=dict(color="gray", dash="dot", width=1), annotation_text="chance (10%)",
                  annotation_position="bottom right")
    fig.update_xaxes(type="log", title_text="training examples per class", tickvals=sizes or [1, 10, 100],
                     ticktext=[str(n) for n in sizes] or ["1", "10", "100"])
    fig.update_yaxes(title_text="test accuracy", tickformat=".0%", range=[0, 1])
    if not any(v is not None for row in table.values() for v in row.values()):
        fig.add_annotation(text="Each point appears when its run ends", showarrow=False, xref="paper", yref="paper",
                           x=0.5, y=0.5, font=dict(size=14, color="gray"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.2))
    return fig


def epoch_curves(runs: Sequence[RunResult], height: int = 320) -> go.Figure:
    """Validation accuracy per epoch of runs with the same number of examples (solid), training accuracy dotted."""
    fig = go.Figure()
    for run in runs:
        way = WAYS[run.way]
        epochs = [row["epoch"] for row in run.history]
        fig.add_trace(go.Scatter(x=epochs, y=[row.get("accuracy") for row in run.history], mode="lines",
                                 name=f"{way.title}: training", line=dict(color=way.color, dash="dot", width=1),
                                 legendgroup=run.way, showlegend=False))
        validated = [row for row in run.history if "val_accuracy" in row]
        fig.add_trace(go.Scatter(x=[row["epoch"] for row in validated], y=[row["val_accuracy"] for row in validated],
                                 mode="lines+markers", name=way.title, line=dict(color=way.color, width=2),
                                 legendgroup=run.way))
    fig.update_xaxes(title_text="epoch")
    fig.update_yaxes(title_text="accuracy (solid: validation, dotted: training)", tickformat=".0%", range=[0, 1.02])
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.25))
    return fig


def image_strip(images: np.ndarray, labels: Sequence[str], height: int = 120) -> go.Figure:
    """A row of 28×28 images with a label under each (the examples a run learns from)."""
    count = len(images)
    tiles = np.concatenate([np.pad(np.asarray(image, np.float32), ((0, 0), (0, 2))) for image in images], axis=1) \
        if count else np.zeros((28, 30), np.float32)
    fig = go.Figure(go.Heatmap(z=tiles[::-1], colorscale="gray_r", showscale=False, hoverinfo="skip"))
    for i, label in enumerate(labels):
        fig.add_annotation(x=i * 30 + 14, y=-3, text=label, showarrow=False, font=dict(size=10))
    fig.update_xaxes(visible=False, range=[-1, max(count, 1) * 30], constrain="domain")
    fig.update_yaxes(visible=False, range=[-8, 28], scaleanchor="x")
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=0, b=0))
    return fig


def class_probabilities(names: Sequence[str], probabilities: Sequence[float], height: int = 240) -> go.Figure:
    """Horizontal bars: the probability of each of the user's classes, the winner highlighted."""
    best = int(np.argmax(probabilities)) if len(probabilities) else -1
    colors = ["#1f77b4" if i == best else "#aec7e8" for i in range(len(names))]
    fig = go.Figure(go.Bar(x=list(probabilities), y=list(names), orientation="h", marker_color=colors,
                           text=[f"{p:.0%}" for p in probabilities], textposition="auto"))
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10))
    return fig


def before_after(labels: Sequence[str], before: Sequence[float], after: Sequence[float], height: int = 280) -> go.Figure:
    """Grouped bars of accuracies before and after adapting (your digits, MNIST test)."""
    fig = go.Figure([go.Bar(name="before", x=list(labels), y=list(before), marker_color="#aec7e8",
                            text=[f"{v:.1%}" for v in before], textposition="outside"),
                     go.Bar(name="after", x=list(labels), y=list(after), marker_color="#1f77b4",
                            text=[f"{v:.1%}" for v in after], textposition="outside")])
    fig.update_yaxes(range=[0, 1.12], tickformat=".0%")
    fig.update_layout(barmode="group", height=height, margin=dict(l=10, r=10, t=10, b=10),
                      legend=dict(orientation="h", y=-0.15))
    return fig
