"""Figures of a training run: accuracy and loss per epoch, train vs validation, best epoch, test accuracy."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

TRAIN_COLOR = "#1f77b4"
VAL_COLOR = "#ff7f0e"
TEST_COLOR = "#2ca02c"
BEST_COLOR = "#2ca02c"


def training_curves(history: Sequence[dict[str, float]], best_epoch: int | None = None,
                    test_accuracy: float | None = None, epochs: int | None = None) -> go.Figure:
    """Accuracy and loss per epoch, train vs validation, with the best epoch and the overfitting gap marked."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Accuracy (higher is better)", "Loss (lower is better)"),
                        horizontal_spacing=0.1)
    x = [row["epoch"] for row in history]
    for col, metric in ((1, "accuracy"), (2, "loss")):
        train = [row[metric] for row in history]
        val = [row[f"val_{metric}"] for row in history]
        fig.add_trace(go.Scatter(x=x, y=train, name="training", legendgroup="training", showlegend=col == 1,
                                 mode="lines+markers", line=dict(color=TRAIN_COLOR)), row=1, col=col)
        # The shaded area between the curves is the generalization gap: wide means overfitting.
        fig.add_trace(go.Scatter(x=x, y=val, name="validation", legendgroup="validation", showlegend=col == 1,
                                 mode="lines+markers", line=dict(color=VAL_COLOR), fill="tonexty",
                                 fillcolor="rgba(255,127,14,0.12)"), row=1, col=col)
    if best_epoch is not None and history:
        best = history[best_epoch - 1]
        for col in (1, 2):
            fig.add_vline(x=best_epoch, line=dict(color=BEST_COLOR, dash="dash", width=1), row=1, col=col)
        fig.add_trace(go.Scatter(x=[best_epoch], y=[best["val_accuracy"]], mode="markers+text",
                                 marker=dict(symbol="star", size=14, color=BEST_COLOR), name="best epoch",
                                 text=[f"best: epoch {best_epoch}"], textposition="bottom center"), row=1, col=1)
    if test_accuracy is not None and history:
        fig.add_hline(y=test_accuracy, line=dict(color=TEST_COLOR, dash="dot", width=1), row=1, col=1,
                      annotation_text=f"test {test_accuracy:.2%}", annotation_position="bottom right")
    last = max(epochs or 1, len(x) or 1)
    fig.update_xaxes(title_text="epoch", range=[0.5, last + 0.5], dtick=max(1, last // 10))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02], row=1, col=1)
    if not history:
        fig.add_annotation(text="The first point appears after the first epoch", showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=14, color="gray"))
    fig.update_layout(height=360, margin=dict(l=10, r=10, t=40, b=10), hovermode="x unified",
                      legend=dict(orientation="h", y=-0.2))
    return fig
