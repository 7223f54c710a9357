"""GAN benchmarks: sampling speed, the shipped generator judged by the shipped CNN, a live epoch's time.

python -m bench.gan [--quick]
"""

from __future__ import annotations

import sys

from bench.common import Row, median_seconds, print_rows
from playground.gan import model as gan
from playground.gan import sampling
from playground.gan.quality import evaluate_generator, shipped_classifier
from playground.gan.training import GanConfig, GanRun


def live_epoch_seconds(epochs: int) -> list[float]:
    """Seconds per epoch of the page's live GAN on the first 10,000 training images (the first includes tracing)."""
    run = GanRun(GanConfig(train_samples=10_000, epochs=epochs), name="bench")
    run.start()
    run.wait()
    if run.status != "finished":
        raise RuntimeError(run.message)
    return [row["seconds"] for row in run.history]


def measure(quick: bool = False) -> list[Row]:
    generator = gan.load_shipped_generator()
    seconds = median_seconds(lambda: sampling.sample(generator, 64, None, seed=1), repeats=50, warmup=3)
    rows: list[Row] = [("sample 64 images from the shipped generator (median)", f"{seconds * 1000:.1f} ms", "< 50 ms")]
    classifier = shipped_classifier()
    if classifier is None:
        rows.append(("shipped generator quality", "not measured: assets/models/cnn.keras is missing", "—"))
    else:
        verdict = evaluate_generator(generator, classifier)
        fake, asked, real = verdict["unconditional"], verdict["conditional"], verdict["real_test_digits"]
        rows += [
            ("Inception Score (shipped CNN), 1,000 samples, any digit", f"{fake.inception_score:.2f}", "≥ 9.0"),
            ("rarest digit among those samples", f"{fake.rarest_share:.1%} (a {fake.shares.index(fake.rarest_share)})",
             "≥ 5% each"),
            ("classified as the digit asked for, 100 samples per digit", f"{asked.accuracy:.1%}", "≥ 97%"),
            ("mean classifier confidence: generated / real", f"{fake.mean_confidence:.1%} / {real.mean_confidence:.1%}",
             "—"),
            ("reference: Inception Score of 1,000 real MNIST test digits", f"{real.inception_score:.2f}", "—"),
        ]
    epochs = live_epoch_seconds(1 if quick else 3)
    steady = epochs[1:] or epochs
    rows.append(("live GAN: one epoch on a 10,000-image subset",
                 f"{max(steady):.1f} s (first epoch, with tracing: {epochs[0]:.1f} s)", "< 60 s"))
    return rows


if __name__ == "__main__":
    print_rows(measure(quick="--quick" in sys.argv), "GAN")
