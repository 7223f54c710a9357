"""The page's pictures, drawn with NumPy and PIL: colours of values and classes, the output map with its points, and
the network diagram with its tiles, links and labels.

While a network trains the page shows these pictures as plain images, which a browser swaps several times a second;
Streamlit redraws a changed Plotly chart from scratch (a new plot each time), which kept up about once a second
on a busy 2-core machine. Once training pauses, the same pictures sit inside Plotly charts that add hover and
clicks. Lines and circles are drawn at twice the size and halved, which smooths their edges.
"""

from __future__ import annotations

import base64
import functools
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from playground.boundaries.datasets import CLASSIFICATION, DOMAIN, PointSet
from playground.boundaries.diagram import Layout, compose

CLASS_COLORS = np.array([[245, 147, 34], [8, 119, 189], [44, 160, 44], [148, 103, 189], [214, 39, 40]], float)
NEGATIVE, POSITIVE, WHITE = CLASS_COLORS[0], CLASS_COLORS[1], np.array([255.0, 255.0, 255.0])
BACKGROUND_STRENGTH = 0.6  # how far the map's colours go from white towards the class colour: points stay visible
MAP_PIXELS = 360  # side of the drawn map (the plane [-6, 6]²): about its width on the page
TICKS = (-6, -3, 0, 3, 6)
LINK_WIDTHS = (0.5, 1.2, 2.2, 3.6)  # four strength buckets of |weight|
LINK_OPACITY = (0.25, 0.45, 0.65, 0.85)
TEXT = (60, 60, 60)


def hex_color(k: int) -> str:
    r, g, b = CLASS_COLORS[k % len(CLASS_COLORS)].astype(int)
    return f"#{r:02x}{g:02x}{b:02x}"


def png_uri(rgb: np.ndarray) -> str:
    """An (h, w, 3|4) uint8 array as a PNG data URI (exact colours: small maps and tiles)."""
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def jpeg_uri(rgb: np.ndarray, quality: int = 88) -> str:
    """An (h, w, 3) uint8 picture as a JPEG data URI: the drawn map and diagram, whose smooth lines made PNGs of
    300-700 KB (sent three times a second); as JPEG 60-170 KB, encoded in a millisecond or two."""
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=quality)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def diverging_rgb(values: np.ndarray, scale: float | np.ndarray = 1.0) -> np.ndarray:
    """Values in [-scale, scale] -> orange (negative) … white … blue (positive), uint8 (..., 3)."""
    t = np.clip(np.nan_to_num(values / scale), -1, 1)[..., None]
    color = np.where(t < 0, WHITE + (NEGATIVE - WHITE) * -t, WHITE + (POSITIVE - WHITE) * t)
    return color.astype(np.uint8)


def probability_rgb(p: np.ndarray, k: int) -> np.ndarray:
    """Probabilities 0 … 1 -> white … the colour of class k, uint8."""
    color = CLASS_COLORS[k % len(CLASS_COLORS)]
    return (WHITE + (color - WHITE) * np.clip(np.nan_to_num(p), 0, 1)[..., None]).astype(np.uint8)


def output_rgb(output: np.ndarray, task: str, discretize: bool = False) -> np.ndarray:
    """The output map's colours: each class's colour where it wins, paler where the network is unsure."""
    if task != CLASSIFICATION:
        values = output[..., 0]
        return diverging_rgb(np.sign(values) * 0.6 if discretize else values * BACKGROUND_STRENGTH)
    classes = output.shape[-1]
    if discretize:
        color = CLASS_COLORS[output.argmax(-1)]
        return (WHITE + (color - WHITE) * 0.5).astype(np.uint8)
    probabilities = np.nan_to_num(output, nan=1.0 / classes)
    mix = probabilities @ CLASS_COLORS[:classes]
    confidence = ((probabilities.max(-1) - 1 / classes) / (1 - 1 / classes))[..., None]
    return (WHITE + (mix - WHITE) * confidence * BACKGROUND_STRENGTH).clip(0, 255).astype(np.uint8)


@functools.cache
def font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def plain(label: str) -> str:
    """A label in glyphs the default font has: subscript digits as digits (X₁ -> X1)."""
    return label.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))


def point_color(points: PointSet, index: int) -> tuple[int, ...]:
    if points.task == CLASSIFICATION:
        return tuple(CLASS_COLORS[int(points.y[index]) % len(CLASS_COLORS)].astype(int))
    return tuple(int(c) for c in diverging_rgb(np.float32(points.y[index])))


def map_picture(points: PointSet, rgb: np.ndarray | None, show_test: bool, size: int = MAP_PIXELS) -> np.ndarray:
    """The plane [-6, 6]² as a (size, size, 3) picture: the output's colours and the points, training points ringed
    white and test points ringed black (TFP's look)."""
    big = 2 * size
    background = rgb if rgb is not None else np.full((2, 2, 3), 236, np.uint8)
    image = Image.fromarray(background).resize((big, big), Image.NEAREST)
    draw = ImageDraw.Draw(image)
    radius = big / 85
    shown = np.flatnonzero(points.train) if not show_test else np.concatenate(
        [np.flatnonzero(points.train), np.flatnonzero(~points.train)])
    for index in shown:
        x = (float(points.x[index, 0]) + DOMAIN) / (2 * DOMAIN) * big
        y = (DOMAIN - float(points.x[index, 1])) / (2 * DOMAIN) * big
        ring = (255, 255, 255) if points.train[index] else (0, 0, 0)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=point_color(points, index), outline=ring,
                     width=2)
    return np.asarray(image.reduce(2))


def framed_map(picture: np.ndarray, text_size: int = 14) -> np.ndarray:
    """The map picture with a frame and tick labels on the left and at the bottom (the axes of the Plotly chart)."""
    size = picture.shape[0]
    left, bottom = 3 * text_size + 4, 2 * text_size + 4
    image = Image.new("RGB", (size + left + 6, size + bottom + 6), "white")
    image.paste(Image.fromarray(picture), (left, 6))
    draw = ImageDraw.Draw(image)
    draw.rectangle([left - 1, 5, left + size, 6 + size], outline=(200, 200, 200))
    for tick in TICKS:
        along = (tick + DOMAIN) / (2 * DOMAIN) * size
        draw.text((left + along, 6 + size + 4), f"{tick:g}", fill=TEXT, font=font(text_size), anchor="mt")
        draw.text((left - 4, 6 + size - along), f"{tick:g}", fill=TEXT, font=font(text_size), anchor="rm")
    return np.asarray(image)


def network_picture(lay: Layout, tiles: dict[tuple[int, int], np.ndarray], link_rows: np.ndarray,
                    selected: tuple[int, int] | None = None, text_size: int = 13) -> np.ndarray:
    """The diagram as one (lay.height, lay.width, 3) picture: links (width = |weight|, blue positive, orange
    negative), each column's tiles, the column titles and the input and output labels."""
    image = Image.new("RGB", (2 * lay.width, 2 * lay.height), "white")
    draw = ImageDraw.Draw(image, "RGBA")  # RGBA: links blend where they cross
    if len(link_rows):
        strength = np.abs(link_rows[:, 4]) / max(float(np.abs(link_rows[:, 4]).max()), 1e-9)
        bucket = np.minimum((strength * len(LINK_WIDTHS)).astype(int), len(LINK_WIDTHS) - 1)
        for row, b in sorted(zip(link_rows, bucket), key=lambda pair: pair[1]):  # strong links on top
            color = tuple(CLASS_COLORS[1 if row[4] > 0 else 0].astype(int)) + (int(255 * LINK_OPACITY[b]),)
            draw.line([2 * row[0], 2 * row[1], 2 * row[2], 2 * row[3]], fill=color,
                      width=max(1, round(2 * LINK_WIDTHS[b])))
    for strip in compose(lay, tiles, selected):
        tile = Image.fromarray(strip.picture).resize((2 * strip.picture.shape[1], 2 * strip.picture.shape[0]),
                                                     Image.NEAREST)
        image.paste(tile, (round(2 * strip.left), round(2 * strip.top)), tile)
    last = max(node.column for node in lay.nodes)
    for x, title in lay.titles:
        draw.text((2 * x, 2 * 14), title, fill=TEXT, font=font(2 * text_size), anchor="mm")
    for node in lay.nodes:
        if node.column in (0, last):
            side = -1 if node.column == 0 else 1
            draw.text((2 * (node.x + side * (lay.tile / 2 + 5)), 2 * node.y), plain(node.label), fill=TEXT,
                      font=font(2 * text_size - 2), anchor="rm" if side < 0 else "lm")
    return np.asarray(image.reduce(2))
