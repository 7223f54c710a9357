"""Draw a digit benchmarks: the shipped models' accuracy (MNIST test, drawn-digit check set), how often they say
"not sure", the latency from a finished stroke to both predictions on the server, the occlusion maps, and pen-up to
the CNN's answer on screen in Chromium.

python -m bench.draw [--quick] [--no-browser]
"""

from __future__ import annotations

import statistics
import sys

import numpy as np

from bench.common import Row, median_seconds, print_rows
from playground.core.datasets import load_dataset
from playground.digits.classifiers import SHIPPED, accuracy, feature_maps, load_shipped_model, predict_probabilities
from playground.digits.confidence import doubt
from playground.digits.preprocessing import naive_resize, to_mnist
from playground.digits.saliency import occlusion
from tools.build_drawn_digits import load_check_set, template_digits, template_strokes
from tools.build_optdigits import blow_up, load_optdigits, reduce_to_8x8
from tools.strokes import draw_strokes

MNIST_TARGETS = {"mlp": "≥ 98.5%", "cnn": "≥ 99.4%"}  # issue 15: kept while training for real handwriting
DRAWN_TARGETS = {"mlp": "≥ 90%", "cnn": "≥ 97%"}


def accuracy_rows(quick: bool = False) -> list[Row]:
    data = load_dataset("mnist")
    x, y = (data.x_test[:2000], data.y_test[:2000]) if quick else (data.x_test, data.y_test)
    images, labels, subsets = load_check_set()
    rows: list[Row] = []
    for name, info in SHIPPED.items():
        model = load_shipped_model(name)
        rows.append((f"shipped {info.title}: MNIST test accuracy ({len(x):,} digits)",
                     f"{accuracy(model, x, y):.2%}", MNIST_TARGETS[name]))
        for subset in np.unique(subsets):
            chosen = subsets == subset
            rows.append((f"shipped {info.title}: drawn check set, {subset} ({chosen.sum():,} digits)",
                         f"{accuracy(model, images[chosen], labels[chosen]):.2%}", DRAWN_TARGETS[name]))
    return rows


def thickest_pen_rows(per_digit: int = 40) -> list[Row]:
    """The check set's stroke templates (unseen in training) drawn again with the page's thickest pen, 40 px."""
    images, labels = template_digits(per_digit, np.random.default_rng(123), pen=40)
    return [(f"shipped {info.title}: check-set templates drawn with the thickest pen, 40 px ({len(labels)} digits)",
             f"{accuracy(load_shipped_model(name), images, labels):.2%}", "—") for name, info in SHIPPED.items()]


def real_handwriting_rows(quick: bool = False) -> list[Row]:
    """Real handwriting by 13 writers outside MNIST (UCI's optdigits, 8 × 8), blown up to what the page makes of a
    digit; and, to see what the 8 × 8 reduction alone costs, MNIST's test digits sent through it and back."""
    counts, labels = load_optdigits()
    real = np.stack([blow_up(c) for c in counts])
    data = load_dataset("mnist")
    x, y = data.x_test[:2000 if quick else 10000].reshape(-1, 28, 28), data.y_test[:2000 if quick else 10000]
    reduced = np.stack([blow_up(reduce_to_8x8(image)) for image in x])
    rows: list[Row] = []
    for name, info in SHIPPED.items():
        model = load_shipped_model(name)
        predicted = predict_probabilities(model, real).argmax(axis=1)
        per_digit = [float(np.mean(predicted[labels == d] == d)) for d in range(10)]
        weakest = int(np.argmin(per_digit))
        mistaken = np.bincount(predicted[(labels == weakest) & (predicted != weakest)], minlength=10).argmax()
        rows.append((f"shipped {info.title}: real handwriting, 13 writers outside MNIST (UCI optdigits, "
                     f"{len(labels):,} digits at 8 × 8, blown up)",
                     f"{np.mean(predicted == labels):.2%}; weakest digit {weakest}: {per_digit[weakest]:.1%} "
                     f"(read as {mistaken} most often); MNIST test through the same 8 × 8: "
                     f"{accuracy(model, reduced, y):.2%}", "CNN ≥ 97%, MLP ≥ 92%, each digit ≥ 93% (CNN)"))
    return rows


def doubt_rows(quick: bool = False) -> list[Row]:
    """How often each shipped model says "not sure" on MNIST's test digits, and how often it would have been right."""
    data = load_dataset("mnist")
    x, y = (data.x_test[:2000], data.y_test[:2000]) if quick else (data.x_test, data.y_test)
    images = x.reshape(-1, 28, 28)
    rows: list[Row] = []
    for name, info in SHIPPED.items():
        p = predict_probabilities(load_shipped_model(name), images)
        unsure = np.array([doubt(p[i], images[i]) is not None for i in range(len(p))])
        right = p.argmax(axis=1) == y
        rows.append((f"shipped {info.title}: \"not sure\" on MNIST test ({len(x):,} digits)",
                     f"{unsure.mean():.2%} of digits; right on {right[unsure].mean():.0%} of those (on "
                     f"{right[~unsure].mean():.2%} of the rest); {(unsure & ~right).sum()} of {(~right).sum()} "
                     "errors flagged", "—"))
    return rows


def latency_rows() -> list[Row]:
    """Server-side time from the canvas PNG's pixels to both models' probabilities, for one drawing."""
    paths, _ = template_strokes(8, 0, np.random.default_rng(1))
    canvas = draw_strokes(paths, 20)
    mlp, cnn = load_shipped_model("mlp"), load_shipped_model("cnn")

    def classify() -> None:
        digit = to_mnist(canvas)[np.newaxis]
        predict_probabilities(mlp, digit)
        predict_probabilities(cnn, digit)

    digit = to_mnist(canvas)
    total = median_seconds(classify, repeats=50, warmup=5)
    preprocess = median_seconds(lambda: to_mnist(canvas), repeats=50)
    extras = median_seconds(lambda: (naive_resize(canvas), feature_maps(cnn, digit)), repeats=20, warmup=3)
    evidence = median_seconds(lambda: occlusion(cnn, digit), repeats=20, warmup=3)
    return [("preprocessing + MLP + CNN for one 280×280 drawing (median)", f"{total * 1000:.1f} ms", "< 30 ms"),
            ("the CNN's occlusion maps, answer and runner-up (median)", f"{evidence * 1000:.1f} ms", "—"),
            ("  of which preprocessing (crop, 20 px box, centre of mass)", f"{preprocess * 1000:.1f} ms", "—"),
            ("naive resize + the CNN's feature maps (shown on the page too)", f"{extras * 1000:.1f} ms", "—")]


ONE_STROKE = [  # one-stroke digits in canvas pixels (the 280 px canvas): a 7, a 1, a 2, a 0
    [(70, 60), (210, 60), (210, 62), (120, 235)],
    [(140, 40), (150, 240)],
    [(80, 90), (110, 55), (170, 55), (195, 100), (80, 235), (210, 235)],
    [(140 + 70 * np.sin(t), 140 - 100 * np.cos(t)) for t in np.linspace(0, 2 * np.pi, 16)],
]
WATCH_ANSWER = """() => {
  window.upAt = null; window.answerAt = null; window.barsAt = null;
  document.addEventListener('pointerup', () => { window.upAt = performance.now(); }, {capture: true, once: true});
  const look = () => {
    const cnn = [...document.querySelectorAll('[data-testid=stMetric]')].find(
      m => m.querySelector('[data-testid=stMetricLabel]')?.innerText.trim() === 'CNN');
    if (window.upAt !== null && window.answerAt === null && cnn?.querySelector('[data-testid=stMetricValue]')?.innerText.trim()) {
      window.answerAt = performance.now();
    }
    if (window.upAt !== null && document.querySelectorAll('.pg-probabilities').length >= 2) {  // MLP's, CNN's
      window.barsAt = performance.now();
    } else { requestAnimationFrame(look); }
  };
  requestAnimationFrame(look);
}"""


def pen_up_rows(drawings: int = 12) -> list[Row]:
    """Chromium on the page: from the pointer-up (mouse button released) that ends a one-stroke digit to the CNN's answer on screen, and
    to both models' probability bars (the page is cleared before each drawing, so the answer is new each time); the first drawing
    warms up."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from bench.pages import launch_chromium, running_app
    from tools.server import draw

    seconds, bars = [], []
    with running_app() as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/draw")
        for n in range(drawings + 1):
            canvas = page.locator(f".st-key-draw_canvas_{n} canvas")
            canvas.wait_for(timeout=60_000)
            page.get_by_text("Draw a digit on the canvas.").wait_for(timeout=60_000)
            page.wait_for_timeout(300)
            page.evaluate(WATCH_ANSWER)
            draw(page, canvas, [ONE_STROKE[n % len(ONE_STROKE)]])
            try:
                page.wait_for_function("() => window.answerAt !== null && window.barsAt !== null", timeout=60_000)
            except PlaywrightTimeout as error:  # say what the page showed instead
                shown = page.locator("[data-testid=stMain]").inner_text()[:400]
                raise RuntimeError(f"drawing {n}: no answer and bars within 60 s; the page showed: {shown}") from error
            if n:
                seconds.append(page.evaluate("() => window.answerAt - window.upAt") / 1000)
                bars.append(page.evaluate("() => window.barsAt - window.upAt") / 1000)
            page.get_by_role("button", name="Clear").click()
        browser.close()
    return [(f"pen-up → the CNN's answer on screen in Chromium, one-stroke digits (median of {drawings})",
             f"{statistics.median(seconds) * 1000:.0f} ms (range {min(seconds) * 1000:.0f}–"
             f"{max(seconds) * 1000:.0f} ms)", "≤ 200 ms"),
            (f"pen-up → both models' probability bars on screen (median of {drawings})",
             f"{statistics.median(bars) * 1000:.0f} ms (range {min(bars) * 1000:.0f}–{max(bars) * 1000:.0f} ms)", "—")]


def measure(quick: bool = False, browser: bool = True) -> list[Row]:
    return (accuracy_rows(quick) + thickest_pen_rows(10 if quick else 40) + real_handwriting_rows(quick)
            + doubt_rows(quick) + latency_rows()
            + (pen_up_rows() if browser else []))


if __name__ == "__main__":
    print_rows(measure(quick="--quick" in sys.argv, browser="--no-browser" not in sys.argv), "Draw a digit")
