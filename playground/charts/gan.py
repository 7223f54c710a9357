"""Figures of the GAN page: crisp digit pictures, an animation, the live training curves, the class histogram."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.gan.sampling import image_grid, to_uint8

D_COLOR = "#d62728"  # the discriminator (the detective)
G_COLOR = "#1f77b4"  # the generator (the forger)
REAL_COLOR = "#2ca02c"
FAKE_COLOR = "#9467bd"


def upscale(picture: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour enlargement: every pixel becomes a factor×factor block (no blur, as on a projector)."""
    return np.repeat(np.repeat(to_uint8(picture), factor, axis=0), factor, axis=1)


def grid_picture(images: np.ndarray, columns: int, factor: int = 3, numbered: bool = False) -> np.ndarray:
    """(n, 28, 28) images -> one enlarged uint8 picture, ready for st.image; numbered: 1, 2, ... in the corners."""
    picture = upscale(image_grid(images, columns), factor)
    if not numbered:
        return picture
    from PIL import Image, ImageDraw, ImageFont

    canvas = Image.fromarray(picture)
    draw, font = ImageDraw.Draw(canvas), ImageFont.load_default(size=max(8, 4 * factor))
    cell = (28 + 2) * factor  # image_grid puts a 2-pixel gap between images
    for index in range(len(images)):
        row, column = divmod(index, columns)
        # Dim grey: the number helps to pick a sample but must not compete with the digit.
        draw.text((column * cell + factor, row * cell), str(index + 1), fill=110, font=font)
    return np.asarray(canvas)


def animated_gif(frames: np.ndarray, factor: int = 6, milliseconds: int = 90) -> bytes:
    """An endless GIF going through `frames` (n, 28, 28) and back again."""
    from PIL import Image

    there_and_back = list(frames) + list(frames[-2:0:-1])
    pictures = [Image.fromarray(upscale(frame, factor)) for frame in there_and_back]
    out = io.BytesIO()
    pictures[0].save(out, format="GIF", save_all=True, append_images=pictures[1:], duration=milliseconds, loop=0)
    return out.getvalue()


def gan_curves(history: Sequence[dict[str, float]], epochs: int | None = None, height: int = 330) -> go.Figure:
    """Left: both losses per epoch. Right: the discriminator's mean output on real and on fake images."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1, subplot_titles=(
        "Losses: a tug of war, not a descent", "Discriminator's verdict: P(real)"))
    x = [row["epoch"] for row in history]
    for key, name, color in (("d_loss", "discriminator loss", D_COLOR), ("g_loss", "generator loss", G_COLOR)):
        fig.add_trace(go.Scatter(x=x, y=[row[key] for row in history], name=name, mode="lines+markers",
                                 line=dict(color=color)), row=1, col=1)
    for key, name, color in (("d_real", "on real digits", REAL_COLOR), ("d_fake", "on generated digits", FAKE_COLOR)):
        fig.add_trace(go.Scatter(x=x, y=[row[key] for row in history], name=name, mode="lines+markers",
                                 line=dict(color=color)), row=1, col=2)
    # 0.5 on both: the discriminator cannot tell real from fake any more (the game's ideal end point).
    fig.add_hline(y=0.5, line=dict(color="gray", dash="dot", width=1), row=1, col=2,
                  annotation_text="can't tell", annotation_position="bottom right")
    last = max(epochs or 1, len(x) or 1)
    fig.update_xaxes(title_text="epoch", range=[0.5, last + 0.5], dtick=max(1, last // 10))
    fig.update_yaxes(range=[0, 1], row=1, col=2)
    if not history:
        fig.add_annotation(text="The first points appear after the first epoch", showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=14, color="gray"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), hovermode="x unified",
                      legend=dict(orientation="h", y=-0.25))
    return fig


def class_histogram(generated: Sequence[float], real: Sequence[float] | None = None,
                    height: int = 300) -> go.Figure:
    """The share of images the classifier calls each digit; a missing bar means the GAN never draws that digit."""
    digits = [str(d) for d in range(len(generated))]
    fig = go.Figure(go.Bar(x=digits, y=list(generated), name="generated", marker_color=FAKE_COLOR))
    if real is not None:
        fig.add_trace(go.Bar(x=digits, y=list(real), name="real test digits", marker_color=REAL_COLOR))
    fig.add_hline(y=0.1, line=dict(color="gray", dash="dot", width=1), annotation_text="10%: perfectly even",
                  annotation_position="top right")
    fig.update_layout(barmode="group", height=height, margin=dict(l=10, r=10, t=30, b=10),
                      xaxis=dict(title="digit, as the classifier sees it", type="category"),
                      yaxis=dict(tickformat=".0%", title="share", range=[0, max(0.15, *generated, *(real or [])) * 1.1]),
                      legend=dict(orientation="h", y=1.12))
    return fig
