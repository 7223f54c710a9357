"""Writers' styles the MNIST writers rarely used, as stroke templates for *training* the shipped classifiers.

Real handwriting outside MNIST (tests/data/optdigits_8x8.npz) showed where the shipped models fail, and each
failure is a way of writing a digit: a 9 with a small top loop and a long curved tail (read as 3), a 1 with a
flag or slanted (read as 7), a 7 with a curved or crossed stem (read as 2), an open-topped 4 (read as 5 or 6).
These templates draw those styles, and the digits they are confused with in their common shapes, so that the
extra training digits do not teach "a long tail means 9". They are not the check set's templates
(tools/build_drawn_digits.py): the check set stays unseen by training.
"""

from __future__ import annotations

import numpy as np

from playground.digits.preprocessing import to_mnist
from tools.build_drawn_digits import template_strokes
from tools.strokes import draw_strokes

# Strokes in a unit box (x right, y down); a repeated point makes a corner.
STYLES: dict[int, list[list[list[tuple[float, float]]]]] = {
    1: [[[(.25, .2), (.6, 0), (.6, 0), (.45, 1)]],  # flag, slanted
        [[(.3, .15), (.55, 0), (.55, 0), (.55, 1)], [(.25, 1), (.85, 1)]],  # flag and base
        [[(.65, 0), (.4, 1)]]],  # slanted bar
    2: [[[(.1, .25), (.45, 0), (.85, .15), (.75, .45), (.3, .8), (.1, 1), (.35, .85), (.6, .9), (.95, 1)]],  # curly
        [[(.1, .2), (.5, 0), (.9, .2), (.6, .6), (.1, 1), (.1, 1), (.9, 1)]]],
    3: [[[(.15, .1), (.55, 0), (.85, .15), (.75, .4), (.4, .5), (.8, .6), (.9, .85), (.5, 1), (.1, .85)]],
        [[(.1, .2), (.45, 0), (.8, .12), (.7, .4), (.45, .48), (.85, .65), (.75, .95), (.35, 1), (.05, .8)]]],
    4: [[[(.3, 0), (.05, .6), (.05, .6), (.95, .6)], [(.75, 0), (.7, 1)]],  # open top, two strokes
        [[(.25, 0), (.1, .55), (.1, .55), (.8, .55), (.8, .55), (.8, .05), (.8, .05), (.75, 1)]]],  # one stroke
    5: [[[(.85, 0), (.25, 0), (.25, 0), (.2, .45), (.5, .38), (.85, .55), (.85, .85), (.5, 1), (.1, .9)]]],
    6: [[[(.75, 0), (.35, .3), (.15, .7), (.35, 1), (.7, .95), (.8, .7), (.5, .55), (.2, .7)]]],
    7: [[[(0, 0), (1, 0), (1, 0), (.6, .45), (.45, 1)]],  # curved stem
        [[(0, 0), (1, 0), (1, 0), (.5, 1)], [(.35, .5), (.9, .45)]],  # crossed
        [[(0, .1), (.5, 0), (1, 0), (1, 0), (.7, .4), (.55, .7), (.5, 1)]]],
    9: [[[(.8, .15), (.55, 0), (.3, .08), (.3, .25), (.55, .32), (.8, .2), (.8, .1), (.8, .1), (.8, .5), (.7, .8),
          (.45, 1), (.15, .9)]],  # small loop, long curved tail
        [[(.85, .12), (.6, 0), (.35, .1), (.4, .3), (.7, .3), (.85, .12), (.85, .12), (.75, .6), (.6, 1)]],
        [[(.8, .2), (.5, 0), (.25, .15), (.3, .35), (.6, .38), (.8, .2), (.8, .2), (.8, .6), (.55, .95),
          (.25, .85)]]],
}


def style_digits(per_style: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`per_style` writers' versions of every style: ((n, 28, 28) float32 in [0, 1] as the page sees them, labels)."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for digit, variants in STYLES.items():
        for variant in range(len(variants)):
            for _ in range(per_style):
                paths, pen = template_strokes(digit, variant, rng, STYLES)
                images.append(to_mnist(draw_strokes(paths, pen, supersample=2)))
                labels.append(digit)
    return np.array(images, dtype=np.float32), np.array(labels, dtype=np.int64)
