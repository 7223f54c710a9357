"""Digits re-drawn the way a canvas draws them: thinning MNIST digits to their pen path, uniform-width strokes.

Used by the asset and test-data builders and by tests and benchmarks; the app never imports tools/."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from playground.digits.preprocessing import CANVAS_SIDE

# The 8 neighbours P2..P9 of Zhang & Suen (1984), clockwise from north, as (row, column) offsets.
_NEIGHBOURS = ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))


def thin(binary: np.ndarray) -> np.ndarray:
    """Zhang-Suen thinning of (n, h, w) boolean images to one-pixel-wide skeletons (the pen's path)."""
    image = np.pad(np.asarray(binary, dtype=bool), ((0, 0), (1, 1), (1, 1)))
    height, width = image.shape[1] - 2, image.shape[2] - 2
    while True:
        changed = False
        for step in (0, 1):
            p = [image[:, 1 + dr:1 + dr + height, 1 + dc:1 + dc + width].astype(np.uint8) for dr, dc in _NEIGHBOURS]
            count = sum(p)
            transitions = sum((p[i] == 0) & (p[(i + 1) % 8] == 1) for i in range(8))
            p2, p4, p6, p8 = p[0], p[2], p[4], p[6]
            if step == 0:
                side = (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)
            else:
                side = (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
            core = image[:, 1:-1, 1:-1]
            remove = core & (count >= 2) & (count <= 6) & (transitions == 1) & side
            if remove.any():
                core &= ~remove
                changed = True
        if not changed:
            return image[:, 1:-1, 1:-1].copy()


def upsample(images: np.ndarray, factor: int) -> np.ndarray:
    """(n, h, w) float images enlarged `factor` times with bilinear interpolation (smooth skeletons need it)."""
    return np.stack([np.asarray(Image.fromarray(np.asarray(image, dtype=np.float32), mode="F").resize(
        (image.shape[1] * factor, image.shape[0] * factor), Image.Resampling.BILINEAR)) for image in images])


def skeletons(images: np.ndarray, factor: int = 2, threshold: float = 0.4) -> np.ndarray:
    """MNIST-style (n, 28, 28) images in [0, 1] -> (n, 28·factor, 28·factor) boolean pen paths."""
    return thin(upsample(images, factor) > threshold)


def draw_strokes(paths: list[np.ndarray], width: float, side: int = CANVAS_SIDE, supersample: int = 3) -> np.ndarray:
    """Polylines in canvas pixels ((k, 2) arrays of x, y) drawn as a browser canvas draws a pen stroke: uniform
    width, round caps and joins, anti-aliased; white ink on black. Returns (side, side, 4) uint8 RGBA."""
    big = side * supersample
    image = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(image)
    radius = width * supersample / 2
    for path in paths:
        points = [(float(x) * supersample, float(y) * supersample) for x, y in np.asarray(path)]
        if len(points) > 1:
            draw.line(points, fill=255, width=max(1, round(width * supersample)), joint="curve")
        for x, y in (points[0], points[-1]) if points else ():
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    gray = np.asarray(image.resize((side, side), Image.Resampling.BOX))
    # The canvas returns its strokes as opaque white on transparent pixels.
    return np.dstack([gray, gray, gray, gray])


def redraw_skeleton(skeleton: np.ndarray, width: float, size_px: float, centre: tuple[float, float],
                    side: int = CANVAS_SIDE, supersample: int = 3) -> np.ndarray:
    """A skeleton re-drawn on a canvas: its longer side scaled to `size_px` around `centre` (x, y), stroked with one
    round pen of `width` (a disc stamped on every path pixel, joined by lines). (side, side, 4) uint8 RGBA, as the
    page receives it."""
    rows, cols = np.nonzero(skeleton)
    extent = max(rows.max() - rows.min(), cols.max() - cols.min()) + 1
    scale = size_px / extent * supersample
    xs = centre[0] * supersample + (cols - (cols.min() + cols.max()) / 2) * scale
    ys = centre[1] * supersample + (rows - (rows.min() + rows.max()) / 2) * scale
    big = side * supersample
    image = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(image)
    radius = width * supersample / 2
    for x, y in zip(xs.tolist(), ys.tolist()):
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    if scale > radius / 2:  # stamps too far apart to overlap smoothly: join neighbours with straight strokes
        index = {(r, c): i for i, (r, c) in enumerate(zip(rows.tolist(), cols.tolist()))}
        for (r, c), i in index.items():
            for dr, dc in ((0, 1), (1, -1), (1, 0), (1, 1)):
                j = index.get((r + dr, c + dc))
                if j is not None:
                    draw.line((xs[i], ys[i], xs[j], ys[j]), fill=255, width=max(1, round(2 * radius)))
    gray = np.asarray(image.resize((side, side), Image.Resampling.BOX))
    return np.dstack([gray, gray, gray, gray])


def catmull_rom(points: np.ndarray, samples: int = 8) -> np.ndarray:
    """A smooth curve through control points (k, 2), like a pen gliding through them."""
    points = np.asarray(points, dtype=np.float64)
    if len(points) < 3:
        return points
    padded = np.vstack([points[0], points, points[-1]])
    t = np.linspace(0.0, 1.0, samples, endpoint=False)[:, None]
    curve = []
    for i in range(len(points) - 1):
        p0, p1, p2, p3 = padded[i:i + 4]
        curve.append(0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                            + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3))
    curve.append(points[-1:])
    return np.vstack(curve)
