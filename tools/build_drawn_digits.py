"""Build tests/data/drawn_digits.npz: a stand-in for digits drawn on the page's canvas by people.

Real people's canvas drawings are not available offline, so the check set is the most honest stand-in we can
make, in up to three subsets (each image as the models see it: 28×28 uint8, after the page's own preprocessing):

- "mnist-strokes": 1,000 MNIST *test* digits (100 per class; writers disjoint from the training writers), thinned
  to their pen path and re-drawn on a 280×280 canvas with the page's default 20 px round pen, 110-250 px high
  or wide, anywhere on the canvas: the way a mouse or finger stroke looks. (The training recipe re-draws
  *training* digits the same way at a lower resolution, so this subset measures the stroke style, not new
  handwriting.)
- "templates": 500 digits (50 per class) drawn from hand-made stroke templates, several per digit (open and
  closed 4, 7 with and without a bar, 1 with a flag and a base, curved, straight or two-stroke 9, open loops
  ...), with random writer variation: size, aspect, slant, rotation, position, wobble, pen width 14-26 px.
  No model was trained on them.
- "chromium-canvas" (with --chromium): 100 more template digits (10 per class), drawn with mouse strokes on the
  page's real canvas in Chromium by Playwright, read back from the canvas and preprocessed: checks that the
  browser's own stroke rendering reads like ours.

    .venv/bin/python tests/data/build_drawn_digits.py [--chromium]
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playground.core.datasets import load_mnist_arrays  # noqa: E402
from playground.digits.preprocessing import CANVAS_SIDE, DEFAULT_STROKE, to_mnist  # noqa: E402
from tools.strokes import catmull_rom, draw_strokes, redraw_skeleton, skeletons  # noqa: E402

OUT = ROOT / "tests" / "data" / "drawn_digits.npz"
SEED = 2024

# Strokes in a unit box (x right, y down). A repeated point makes a corner, as a pen that stops and turns.
TEMPLATES: dict[int, list[list[list[tuple[float, float]]]]] = {
    0: [[[(.5, 0), (.15, .12), (0, .5), (.15, .88), (.5, 1), (.85, .88), (1, .5), (.85, .12), (.5, 0), (.4, .05)]],
        [[(.7, .05), (.3, .05), (.05, .45), (.2, .9), (.55, 1), (.9, .75), (.95, .35), (.75, .05), (.6, 0)]],
        [[(.55, .02), (.15, .12), (0, .5), (.15, .88), (.5, 1), (.85, .88), (1, .5), (.85, .15), (.68, .06)]]],
    1: [[[(.5, 0), (.5, 1)]],
        [[(.15, .25), (.6, 0), (.6, 0), (.6, 1)]],
        [[(.2, .22), (.55, 0), (.55, 0), (.55, 1)], [(.15, 1), (.95, 1)]]],
    2: [[[(.05, .25), (.3, .02), (.65, 0), (.9, .2), (.85, .45), (.45, .75), (.05, 1), (.05, 1), (.95, 1)]],
        [[(.05, .15), (.5, 0), (.9, .15), (.9, .35), (.05, 1), (.05, 1), (1, .98)]]],
    3: [[[(.1, .1), (.5, 0), (.85, .12), (.85, .35), (.45, .48), (.45, .48), (.9, .62), (.92, .85), (.55, 1),
          (.1, .9)]],
        [[(.1, 0), (.9, 0), (.9, 0), (.4, .42), (.4, .42), (.85, .58), (.9, .82), (.55, 1), (.1, .9)]]],
    4: [[[(.7, 1), (.7, 0), (.7, 0), (0, .68), (0, .68), (1, .68)]],
        [[(.15, 0), (.05, .6), (.05, .6), (.95, .6)], [(.7, .2), (.7, 1)]]],
    5: [[[(.2, 0), (.15, .45), (.15, .45), (.55, .38), (.88, .6), (.85, .88), (.5, 1), (.1, .88)], [(.2, 0), (.88, 0)]],
        [[(.9, 0), (.2, 0), (.2, 0), (.15, .45), (.15, .45), (.6, .4), (.9, .65), (.8, .92), (.45, 1), (.1, .85)]]],
    6: [[[(.8, 0), (.4, .2), (.1, .6), (.2, .95), (.55, 1), (.85, .8), (.7, .55), (.35, .55), (.12, .72)]],
        [[(.7, 0), (.2, .5), (.1, .8), (.35, 1), (.75, .95), (.85, .7), (.55, .5), (.2, .65)]],
        [[(.8, 0), (.35, .25), (.1, .65), (.25, .97), (.6, .98), (.82, .78), (.65, .58), (.32, .6)]]],
    7: [[[(0, 0), (1, 0), (1, 0), (.4, 1)]],
        [[(0, 0), (1, 0), (1, 0), (.4, 1)], [(.3, .5), (.85, .5)]],
        [[(0, .15), (0, 0), (0, 0), (1, 0), (1, 0), (.45, 1)]]],
    8: [[[(.85, .15), (.5, 0), (.15, .15), (.2, .35), (.5, .5), (.85, .7), (.8, .92), (.5, 1), (.2, .92), (.15, .7),
          (.5, .5), (.8, .3), (.85, .15)]],
        [[(.5, 0), (.2, .1), (.2, .38), (.5, .47), (.8, .38), (.8, .1), (.5, 0)],
         [(.5, .47), (.12, .6), (.12, .9), (.5, 1), (.88, .9), (.88, .6), (.5, .47)]]],
    9: [[[(.85, .2), (.5, 0), (.15, .15), (.15, .4), (.5, .5), (.85, .35), (.85, .2), (.85, .2), (.82, 1)]],
        [[(.85, .2), (.5, 0), (.15, .15), (.15, .4), (.5, .5), (.85, .35), (.85, .2), (.85, .2), (.8, .7), (.5, 1),
          (.3, .95)]],
        [[(.8, .12), (.5, 0), (.15, .12), (.18, .38), (.5, .48), (.8, .35), (.84, .1)], [(.84, .04), (.78, 1)]]],
}
ASPECT = {0: .7, 1: .4, 2: .7, 3: .65, 4: .75, 5: .65, 6: .65, 7: .65, 8: .6, 9: .6}  # width / height


def template_strokes(digit: int, variant: int, rng: np.random.Generator,
                     templates: dict = TEMPLATES) -> tuple[list[np.ndarray], float]:
    """One writer's version of a template: the strokes in canvas pixels, and the pen width."""
    height = rng.uniform(110, 250)
    width = height * ASPECT[digit] * rng.uniform(0.75, 1.25)
    slant, angle, wobble = rng.uniform(-0.15, 0.35), np.radians(rng.uniform(-10, 10)), rng.uniform(0.015, 0.05)
    margin = height / 2 + DEFAULT_STROKE
    cx = rng.uniform(CANVAS_SIDE / 2 - 40, CANVAS_SIDE / 2 + 40)
    cy = np.clip(rng.uniform(CANVAS_SIDE / 2 - 40, CANVAS_SIDE / 2 + 40), margin, CANVAS_SIDE - margin)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    paths = []
    for stroke in templates[digit][variant]:
        unit = np.array(stroke, dtype=np.float64) + rng.normal(0, wobble, size=(len(stroke), 2))
        x = (unit[:, 0] - 0.5) * width + slant * (0.5 - unit[:, 1]) * height
        y = (unit[:, 1] - 0.5) * height
        points = np.stack([x, y], axis=1) @ rotation.T + [cx, cy]
        paths.append(catmull_rom(points, samples=10))
    pen = DEFAULT_STROKE if rng.random() < 0.5 else rng.uniform(14, 26)
    return paths, pen


def template_digits(per_class: int, rng: np.random.Generator,
                    pen: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every template digit drawn `per_class` times by random writers, with their own pen or the `pen` given."""
    images, labels = [], []
    for digit in range(10):
        for i in range(per_class):
            paths, own_pen = template_strokes(digit, i % len(TEMPLATES[digit]), rng)
            images.append(to_mnist(draw_strokes(paths, pen or own_pen)))
            labels.append(digit)
    return np.array(images), np.array(labels)


def restroked_test_digits(per_class: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    raw = load_mnist_arrays()
    picked = np.concatenate([rng.choice(np.flatnonzero(raw["y_test"] == d), per_class, replace=False)
                             for d in range(10)])
    paths = skeletons(raw["x_test"][picked].astype(np.float32) / 255.0, factor=4)
    images = []
    for path in paths:
        size = rng.uniform(110, 250)
        half = (size + DEFAULT_STROKE) / 2  # keep the whole stroke on the canvas
        centre = tuple(rng.uniform(max(half, 100), min(CANVAS_SIDE - half, 180), size=2))
        images.append(to_mnist(redraw_skeleton(path, DEFAULT_STROKE, size, centre)))
    return np.array(images), raw["y_test"][picked]


def chromium_digits(per_class: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Template digits drawn with mouse strokes on the page's real canvas in Chromium (playground/ui/canvas.js)."""
    from playwright.sync_api import sync_playwright

    from playground.digits.preprocessing import decode_image, is_blank
    from tools.server import CHROMIUM, draw, start_server, stop_server

    process, url = start_server()
    images, labels = [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/draw")
            empty = page.get_by_text("Draw a digit on the canvas.")
            empty.wait_for(timeout=120_000)
            for digit in range(10):
                for i in range(per_class):
                    canvas = page.locator(".pg-canvas canvas").first  # Clear makes a new one
                    canvas.wait_for(timeout=60_000)
                    paths, _ = template_strokes(digit, i % len(TEMPLATES[digit]), rng)
                    draw(page, canvas, [path.tolist() for path in paths], steps=3)
                    data_url = canvas.evaluate("c => c.toDataURL('image/png')")
                    pixels = decode_image(base64.b64decode(data_url.split(",", 1)[1]))
                    if is_blank(pixels):
                        print(f"  a {digit} did not reach the canvas; skipped", flush=True)
                    else:
                        images.append(to_mnist(pixels))
                        labels.append(digit)
                    page.get_by_role("button", name="Clear").click()
                    empty.wait_for(timeout=60_000)
            browser.close()
    finally:
        stop_server(process)
    return np.array(images), np.array(labels)


def load_check_set(path: Path = OUT) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(images (n, 28, 28) float32 in [0, 1], labels (n,), subset names (n,)) of the check set."""
    with np.load(path) as data:
        return data["images"].astype(np.float32) / 255.0, data["labels"].astype(np.int64), data["subsets"]


def main() -> None:
    subsets = {"mnist-strokes": restroked_test_digits(100, np.random.default_rng(SEED)),
               "templates": template_digits(50, np.random.default_rng(SEED + 1))}
    if "--chromium" in sys.argv:
        subsets["chromium-canvas"] = chromium_digits(10, np.random.default_rng(SEED + 2))
    elif OUT.exists():  # keep the (slow to redraw) browser-drawn digits
        images, labels, names = load_check_set()
        kept = names == "chromium-canvas"
        if kept.any():
            subsets["chromium-canvas"] = (images[kept], labels[kept])
    np.savez_compressed(OUT, images=np.concatenate([np.round(x * 255) for x, _ in subsets.values()]).astype(np.uint8),
                        labels=np.concatenate([y for _, y in subsets.values()]).astype(np.uint8),
                        subsets=np.concatenate([[name] * len(y) for name, (_, y) in subsets.items()]))
    print(f"{OUT}: {', '.join(f'{len(y)} {name}' for name, (_, y) in subsets.items())}; "
          f"{OUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
