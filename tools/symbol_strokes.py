"""Simple symbols (○ ✗ ✓ △) as pen strokes with a writer's variation: for the new-symbols tests, bench and e2e.

Each symbol is a few polylines in canvas pixels (x right, y down) on the 280 px canvas. A drawer varies its size,
position, aspect, slant and wobble, as a person drawing with a mouse would.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

SIDE = 280.0


def _circle(steps: int = 24) -> list[np.ndarray]:
    angles = np.linspace(0, 2 * math.pi, steps + 1)
    return [np.stack([0.5 + 0.5 * np.cos(angles), 0.5 + 0.5 * np.sin(angles)], axis=1)]


SHAPES: dict[str, list[np.ndarray]] = {  # in a unit box
    "○": _circle(),
    "✗": [np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])],
    "✓": [np.array([[0.0, 0.55], [0.35, 1.0], [1.0, 0.0]])],
    "△": [np.array([[0.5, 0.0], [1.0, 1.0], [0.0, 1.0], [0.5, 0.0]])],
}


def symbol_strokes(name: str, rng: np.random.Generator, side: float = SIDE) -> list[list[tuple[float, float]]]:
    """One drawing of the symbol: strokes as lists of (x, y) canvas pixels, size 100-190 px, anywhere central."""
    size = rng.uniform(100, 190)
    aspect = math.exp(rng.uniform(-0.2, 0.2))
    slant = rng.uniform(-0.2, 0.2)
    centre = np.array([side / 2 + rng.uniform(-30, 30), side / 2 + rng.uniform(-30, 30)])
    strokes = []
    for path in SHAPES[name]:
        # A point every ~20 px along each segment (a short side of a circle needs none in between).
        pieces = [np.linspace(a, b, max(1, round(np.hypot(*(b - a)) * size / 20)), endpoint=False)
                  for a, b in itertools.pairwise(path)]
        dense = np.concatenate([*pieces, path[-1:]])
        points = (dense - 0.5) * np.array([size * aspect, size / aspect])
        points[:, 0] += slant * points[:, 1]
        points += centre + rng.normal(0, 2.0, size=points.shape)  # a hand's wobble
        strokes.append([(float(x), float(y)) for x, y in np.clip(points, 8, side - 8)])
    return strokes


def symbol_canvas(name: str, rng: np.random.Generator, width: float = 20.0) -> np.ndarray:
    """The drawing as the canvas returns it: (280, 280, 4) uint8 RGBA, white strokes."""
    from tools.strokes import draw_strokes

    return draw_strokes([np.array(stroke) for stroke in symbol_strokes(name, rng)], width)


def teach_in_browser(page, app_url: str, names: list[str], per_class: int, tests_per_class: int,
                     rng: np.random.Generator, timeout: float = 60_000) -> list[tuple[str, str]]:
    """Drive the Reuse page's "Teach it new symbols" tab in Chromium with the mouse: name the classes, draw
    `per_class` examples of each, Train, then draw `tests_per_class` new ones of each. [(drawn, recognised as)]."""
    from playwright.sync_api import expect

    from tools.server import draw

    generation = 0
    preview = page.get_by_text("What the network sees (28 × 28)")

    def canvas():
        found = page.locator(f".st-key-reuse_symbol_canvas_{generation} canvas")
        expect(found).to_be_visible(timeout=timeout)
        # Streamlit leaves the last run's elements on screen until the next run ends: wait until the preview of
        # the previous drawing is gone, or it would be taken for the preview of the next one.
        expect(preview).to_be_hidden(timeout=timeout)
        return found

    def draw_symbol(name: str) -> None:
        target = canvas()
        target.evaluate("canvas => canvas.scrollIntoView({block: 'center'})")  # the mouse only reaches what is on screen
        strokes = symbol_strokes(name, rng)
        draw(page, target, strokes, steps=3)
        # The canvas sends each stroke 200 ms after it ends: wait until the page has the whole drawing.
        count = f"· {len(strokes)} stroke{'s' if len(strokes) != 1 else ''}"
        expect(page.get_by_text(f"What the network sees (28 × 28) {count}")).to_be_visible(timeout=timeout)

    page.goto(f"{app_url}/reuse?reuse_tab=Teach+it+new+symbols")
    field = page.get_by_label("Your classes, separated by commas")
    field.fill(", ".join(names))
    field.press("Enter")
    for name in names:
        add = page.get_by_role("button", name=f"Add as an example of {name}")
        page.locator(".st-key-reuse_target").get_by_role("radio", name=name, exact=True).click()
        expect(add).to_be_visible(timeout=timeout)
        for _ in range(per_class):
            draw_symbol(name)
            add.click()
            generation += 1
            canvas()  # the added drawing is gone: a new, empty canvas
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text(f"Learned {len(names)} classes from {len(names) * per_class} drawings")).to_be_visible(
        timeout=timeout * 3)
    answers = []
    for name in names:
        for _ in range(tests_per_class):
            draw_symbol(name)
            said = page.get_by_test_id("stMetric").filter(has=page.get_by_text("It says", exact=True))
            expect(said).to_be_visible(timeout=timeout)
            answers.append((name, said.get_by_test_id("stMetricValue").inner_text().strip()))
            page.get_by_role("button", name="Clear").click()
            generation += 1
            canvas()
    return answers
