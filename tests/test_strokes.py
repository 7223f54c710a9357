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


def test_writers_styles_are_digits_as_the_page_sees_them_with_their_labels():
    from tools.writer_styles import STYLES, style_digits

    images, labels = style_digits(2, seed=1)
    assert images.shape == (2 * sum(len(v) for v in STYLES.values()), 28, 28)
    assert sorted(set(labels.tolist())) == sorted(STYLES)
    assert 0.0 <= images.min() and images.max() <= 1.0 and (images.reshape(len(images), -1).max(axis=1) > 0.5).all()
    again, _ = style_digits(2, seed=1)
    assert np.array_equal(images, again)  # the build is reproducible from its seed


def _classifiers_build_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_classifiers", "assets/models/build_classifiers.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build


def test_an_elastic_distortion_moves_strokes_a_little_and_keeps_the_ink():
    import tensorflow as tf

    from playground.core.datasets import load_dataset

    build = _classifiers_build_script()
    digits = tf.constant(load_dataset("mnist").x_test[:16].astype(np.float32))
    seed = tf.constant([3, 4], tf.int64)
    assert np.allclose(build.elastic(digits, seed, 0.0).numpy(), digits.numpy(), atol=1e-6)  # no move, same image
    moved = build.elastic(digits, seed, 3.0).numpy()
    assert moved.shape == digits.shape and not np.allclose(moved, digits.numpy(), atol=0.05)
    ink, moved_ink = digits.numpy().sum(axis=(1, 2, 3)), moved.sum(axis=(1, 2, 3))
    assert np.all(np.abs(moved_ink - ink) < 0.25 * ink)  # strokes bend; they neither vanish nor double
    centre = np.array([np.mean(np.nonzero(d[..., 0] > 0.5), axis=1) for d in digits.numpy()])
    moved_centre = np.array([np.mean(np.nonzero(d[..., 0] > 0.5), axis=1) for d in moved])
    assert np.abs(moved_centre - centre).max() < 3.0  # a wobble, not a shift across the image


def test_a_thick_pen_widens_the_strokes_of_its_share_of_the_digits_only():
    import tensorflow as tf

    from playground.core.datasets import load_dataset

    build = _classifiers_build_script()
    digits = load_dataset("mnist").x_test[:64].astype(np.float32)
    seed = tf.constant([5, 6], tf.int64)
    assert np.array_equal(build.thick_pen(tf.constant(digits), seed, 0.0).numpy(), digits)
    thick = build.thick_pen(tf.constant(digits), seed, 1.0).numpy()
    assert (thick >= digits - 1e-6).all()  # ink only grows...
    growth = (thick > 0.5).sum(axis=(1, 2, 3)) / (digits > 0.5).sum(axis=(1, 2, 3))
    assert growth.min() > 1.3  # ...by a pen 2-4 px wider: the ink reaches at most 2 px further out on each side
    for before, after in zip(digits[..., 0] > 0, thick[..., 0] > 0):
        rows, cols = np.nonzero(before)
        grown_rows, grown_cols = np.nonzero(after)
        assert rows.min() - 2 <= grown_rows.min() and grown_rows.max() <= rows.max() + 2
        assert cols.min() - 2 <= grown_cols.min() and grown_cols.max() <= cols.max() + 2
    some = build.thick_pen(tf.constant(digits), seed, 0.3).numpy()
    changed = ~np.isclose(some, digits).all(axis=(1, 2, 3))
    assert 0.1 < changed.mean() < 0.6 and np.allclose(some[changed], thick[changed])


def test_a_narrow_writer_squeezes_the_digit_sideways_and_keeps_its_height():
    import tensorflow as tf

    from playground.core.datasets import load_dataset

    build = _classifiers_build_script()
    digits = load_dataset("mnist").x_test[:32].astype(np.float32)
    seed = tf.constant([7, 8], tf.int64)
    assert np.allclose(build.narrow_writer(tf.constant(digits), seed, 0.0, 0.5).numpy(), digits, atol=1e-6)
    narrow = build.narrow_writer(tf.constant(digits), seed, 1.0, 0.5).numpy()

    def extent(images: np.ndarray, axis: int) -> np.ndarray:
        ink = (images[..., 0] > 0.3).any(axis=axis)
        return np.array([np.flatnonzero(row).max() - np.flatnonzero(row).min() + 1 for row in ink])

    assert (extent(narrow, 1) <= extent(digits, 1)).all() and extent(narrow, 1).mean() < 0.9 * extent(digits, 1).mean()
    assert np.abs(extent(narrow, 2) - extent(digits, 2)).max() <= 1  # as tall as before


def test_the_cnns_last_stage_squeezes_its_8s_and_leaves_the_other_digits_alone():
    import tensorflow as tf

    from playground.core.datasets import load_dataset

    build = _classifiers_build_script()
    data = load_dataset("mnist")
    digits, labels = data.x_test[:200].astype(np.float32), data.y_test[:200]
    still = {"rotation": 0.0, "shear": 0.0, "scale": 0.0, "shift": 0.0, "thickness": 0.0}
    recipe = {**still, "narrow": (0.0, 0.7), "narrow_eights": (1.0, 0.5)}
    out = build.augment(tf.constant(digits), tf.constant([3, 4], tf.int64), recipe, tf.constant(labels)).numpy()
    eights = labels == 8
    assert eights.sum() >= 10 and np.allclose(out[~eights], digits[~eights], atol=1e-5)
    width, before = ((images[eights, ..., 0] > 0.3).any(axis=1).sum(axis=1) for images in (out, digits))
    assert (width <= before).all() and width.mean() < 0.85 * before.mean()  # each to 50-95% of its width


def test_a_share_of_the_training_batch_can_be_left_as_drawn():
    from playground.core.datasets import load_dataset

    build = _classifiers_build_script()
    data = load_dataset("mnist")
    x, y = data.x_train[:256, ..., 0], data.y_train[:256]
    recipe = {**build.RECIPES["cnn"], "elastic": 3.0, "thick_pens": 0.3}

    def batch(unchanged: float) -> tuple[np.ndarray, np.ndarray]:
        images, labels = next(iter(build.training_batches(x, x, y, {**recipe, "unchanged": unchanged})))
        return images.numpy()[..., 0], labels.numpy()

    def as_drawn(images: np.ndarray, labels: np.ndarray) -> np.ndarray:
        return np.array([any(np.array_equal(image, x[i]) for i in np.flatnonzero(y == label))
                         for image, label in zip(images, labels)])

    assert as_drawn(*batch(1.0)).all()
    assert not as_drawn(*batch(0.0)).any()
    assert 0.1 < as_drawn(*batch(0.25)).mean() < 0.45
