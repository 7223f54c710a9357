"""Figures of a network's loss landscape: the 2D slice as a 3D surface and a contour map, with the training path."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.training.landscape import Slice

PATH_COLOR, FINAL_COLOR = "#d62728", "#ffffff"


def axis_titles(piece: Slice) -> tuple[str, str]:
    if piece.mode == "pca" and piece.explained:
        return (f"direction 1 ({piece.explained[0]:.0%} of the path's variance)",
                f"direction 2 ({piece.explained[1]:.0%})")
    return "direction 1 (filter-normalized)", "direction 2 (filter-normalized)"


def landscape_figure(piece: Slice, height: int = 520) -> go.Figure:
    """The slice in 3D (left) and as contours (right), on a log scale; the training path through the checkpoints
    on both, in the same two directions as the slice; the final weights at (0, 0)."""
    fig = make_subplots(rows=1, cols=2, specs=[[{"type": "scene"}, {"type": "xy"}]], horizontal_spacing=0.1)
    z = np.log10(np.maximum(piece.losses, 1e-12))
    hover = "a %{x:.3f}, b %{y:.3f}<br>loss %{customdata:.4f}<extra></extra>"
    fig.add_trace(go.Surface(x=piece.alphas, y=piece.betas, z=z, customdata=piece.losses, colorscale="Viridis",
                             showscale=False, hovertemplate=hover, name="loss"), row=1, col=1)
    fig.add_trace(go.Contour(x=piece.alphas, y=piece.betas, z=z, customdata=piece.losses, colorscale="Viridis",
                             ncontours=25, hovertemplate=hover, contours=dict(coloring="heatmap", showlines=True),
                             line=dict(width=0.5), colorbar=dict(title=dict(text="log₁₀ loss", side="right"),
                                                                 thickness=12)), row=1, col=2)
    final_z = np.log10(max(piece.center_loss, 1e-12))
    if piece.trajectory is not None:
        x, y = piece.trajectory[:, 0], piece.trajectory[:, 1]
        labels = [f"epoch {e}" for e in piece.epochs]
        every = max(1, len(labels) // 8)  # label a few epochs, not all of them
        text = [label if i % every == 0 or i == len(labels) - 1 else "" for i, label in enumerate(labels)]
        path_z = np.log10(np.maximum(piece.trajectory_losses, 1e-12))
        fig.add_trace(go.Scatter3d(x=x, y=y, z=path_z, mode="lines+markers", name="training path",
                                   line=dict(color=PATH_COLOR, width=5), marker=dict(size=3, color=PATH_COLOR),
                                   text=labels, customdata=piece.trajectory_losses,
                                   hovertemplate="%{text}<br>loss %{customdata:.4f}<extra></extra>",
                                   showlegend=False), row=1, col=1)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers+text", name="training path", text=text,
                                 textposition="top center", line=dict(color=PATH_COLOR, width=2.5),
                                 marker=dict(size=7, color=PATH_COLOR), customdata=piece.trajectory_losses,
                                 hovertext=labels,
                                 hovertemplate="%{hovertext}<br>loss %{customdata:.4f}<extra></extra>",
                                 textfont=dict(color="black", shadow="0 0 3px white, 0 0 3px white")), row=1, col=2)
    fig.add_trace(go.Scatter3d(x=[0], y=[0], z=[final_z], mode="markers", showlegend=False, hoverinfo="skip",
                               marker=dict(size=5, color=FINAL_COLOR, line=dict(width=1, color="black"))), row=1, col=1)
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", name="final weights",
                             marker=dict(symbol="star", size=15, color=FINAL_COLOR, line=dict(width=1, color="black")),
                             hovertemplate=f"final weights<br>loss {piece.center_loss:.4f}<extra></extra>"),
                  row=1, col=2)
    x_title, y_title = axis_titles(piece)
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=30, b=0), legend=dict(orientation="h", y=1.02, x=0.55),
                      scene=dict(xaxis_title="direction 1", yaxis_title="direction 2", zaxis_title="log₁₀ loss",
                                 aspectmode="manual", aspectratio=dict(x=1, y=1, z=0.6),
                                 camera=dict(eye=dict(x=-1.2, y=-1.3, z=0.9))),
                      xaxis=dict(title=x_title), yaxis=dict(title=y_title))
    return fig
