"""Thinning digits to their pen path and re-drawing them as canvas strokes, against hand-made shapes."""

import numpy as np

from tools.strokes import catmull_rom, draw_strokes, redraw_skeleton, thin


def test_a_thick_bar_thins_to_a_one_pixel_line_along_its_middle():
    bar = np.zeros((1, 15, 40), bool)
    bar[0, 5:10, 5:35] = True  # 5 px thick
    skeleton = thin(bar)[0]
    rows, cols = np.nonzero(skeleton)
    assert set(rows.tolist()) == {7}  # the middle row, one pixel thick
    assert cols.max() - cols.min() >= 20  # and still long
    assert not (skeleton & ~bar[0]).any()


def test_thinning_keeps_a_ring_closed():
    yy, xx = np.mgrid[:40, :40]
    radius = np.hypot(yy - 20, xx - 20)
    ring = ((radius > 10) & (radius < 15))[np.newaxis]
    skeleton = thin(ring)[0]
    assert skeleton.sum() > 50
    padded = np.pad(skeleton, 1)
    neighbours = sum(np.roll(np.roll(padded, dr, 0), dc, 1) for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                     if (dr, dc) != (0, 0))[1:-1, 1:-1]
    assert (neighbours[skeleton] >= 2).all()  # no loose ends: the loop did not break


def test_a_stroke_has_the_pen_width_and_round_caps():
    canvas = draw_strokes([np.array([[60.0, 140.0], [220.0, 140.0]])], width=20)
    assert canvas.shape == (280, 280, 4) and canvas.dtype == np.uint8
    ink = canvas[..., 3] > 127
    assert ink[:, 140].sum() in (20, 21)  # the pen's width across the stroke
    assert ink[140, 50:230].all() and not ink[140, :49].any() and not ink[140, 231:].any()  # 10 px round caps


def test_a_skeleton_is_redrawn_at_the_asked_size_and_place():
    skeleton = np.zeros((20, 20), bool)
    skeleton[2:18, 10] = True  # a vertical pen path, 16 px long
    canvas = redraw_skeleton(skeleton, width=10, size_px=160, centre=(140, 140))
    rows, cols = np.nonzero(canvas[..., 3] > 127)
    # 16 path pixels scaled to 160 px: 15 steps of 10 px between their centres, plus the pen's two round ends.
    assert abs((rows.max() - rows.min() + 1) - (15 * 10 + 10)) <= 2
    assert abs((rows.max() + rows.min()) / 2 - 140) <= 2 and abs((cols.max() + cols.min()) / 2 - 140) <= 2


def test_the_smooth_curve_passes_through_its_control_points():
    points = np.array([[0.0, 0.0], [10.0, 5.0], [20.0, 0.0], [30.0, 8.0]])
    curve = catmull_rom(points, samples=8)
    for point in points:
        assert np.min(np.linalg.norm(curve - point, axis=1)) < 1e-9
