"""The GAN page's sampling parts: which generator to sample, the latent-space explorer, the quality verdict."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from playground.charts.gan import animated_gif, class_histogram, grid_picture
from playground.gan import sampling
from playground.gan.quality import Quality, evaluate_generator, shipped_classifier
from playground.ui.presenter import presenter_mode, scaled
from playground.ui.session import session_jobs
from playground.ui.state import keys

K = keys("gan")
RUNS = K("runs")  # this session's live GAN runs, under ui.session (the page starts them on "Train live")
SHIPPED = "the shipped generator"
COORDINATES = 4  # latent coordinates with a slider
SWEEP = 9  # images per coordinate sweep
QUALITY_ROWS = {"unconditional": "generated, any digit", "conditional": "generated, digit asked for",
                "real_test_digits": "real MNIST test digits"}


def show(where: Any, pixels: np.ndarray, width: int | str, caption: str | None = None) -> None:
    """Show a uint8 picture as PNG: Streamlit's default JPEG would smear the thin strokes."""
    where.image(pixels, width=width, caption=caption, output_format="PNG")


def pick_generator(shipped: Any) -> tuple[str, Any]:
    """A choice between the shipped generator and this session's trained ones; returns (name, model)."""
    trained = {run.name: run.generator for run in reversed(session_jobs(RUNS)) if run.generator is not None}
    choices = ([SHIPPED] if shipped is not None else []) + list(trained)
    if not choices:
        return "", None
    if len(choices) > 1:
        name = st.radio("Sample from", choices, horizontal=True, key=K("generator"),
                        help="Your own generators appear here once a live run has trained at least one epoch.")
    else:
        name = choices[0]
    return name, shipped if name == SHIPPED else trained[name]


def latent_explorer(generator: Any, noise: np.ndarray, digits: np.ndarray, sample_set: str) -> None:
    """Interpolate between two of the shown samples; turn the first coordinates of one sample's vector.

    `sample_set` names the shown samples (generator, seed, digit): the knobs of another set start afresh."""
    n = len(noise)
    a, b, c = st.columns(3)
    start = a.number_input("From sample", 1, n, value=1, key=K("from_sample"))
    end = b.number_input("To sample", 1, n, value=min(2, n), key=K("to_sample"))
    steps = 10 if presenter_mode() else c.slider("Steps", 5, 15, 10, key=K("steps"))
    frames = sampling.interpolation(generator, (noise[start - 1], noise[end - 1]), (digits[start - 1], digits[end - 1]),
                               steps)
    strip, movie = st.columns([3, 1], vertical_alignment="center")
    show(strip, grid_picture(frames, steps, 3), width="stretch",
                caption=f"Sample {start} (a {digits[start - 1]}) → sample {end} (a {digits[end - 1]}): "
                        "noise and digit blend step by step.")
    movie.image(animated_gif(frames), width=scaled(170), caption="…there and back, as an animation")

    st.subheader("Turn the knobs of one random vector")
    pick_column, *knob_columns = st.columns([1.2] + [2] * COORDINATES, gap="medium")
    pick = pick_column.number_input("Sample", 1, n, value=1, key=K("knob_sample"))
    vector = noise[pick - 1].copy()
    for i, column in enumerate(knob_columns):  # keyed by sample: another sample starts from its own values
        vector[i] = column.slider(f"coordinate {i + 1}", -3.0, 3.0, float(np.round(vector[i], 1)), 0.1,
                                  key=K(f"knob_{sample_set}_{pick}_{i}"))
    sweeps = np.repeat(vector[np.newaxis], COORDINATES * SWEEP, axis=0)
    for i in range(COORDINATES):
        sweeps[i * SWEEP:(i + 1) * SWEEP, i] = np.linspace(-3.0, 3.0, SWEEP)
    images = sampling.generate(generator, np.concatenate([vector[np.newaxis], sweeps]),
                          np.full(1 + len(sweeps), digits[pick - 1]))
    left, right = st.columns([1, 3])
    show(left, grid_picture(images[:1], 1, 8), width=scaled(200), caption=f"Sample {pick} with your knobs")
    show(right, grid_picture(images[1:], SWEEP, 2), width=scaled(540),
                caption=f"Row k sweeps coordinate k from −3 to +3, the others as set. All {len(vector)} coordinates "
                        "together decide slant, thickness and style.")


def _quality_table(verdicts: dict[str, Quality]) -> pd.DataFrame:
    return pd.DataFrame([{"images": QUALITY_ROWS[name], "Inception Score": q.inception_score,
                          "mean confidence": 100 * q.mean_confidence, "rarest digit": 100 * q.rarest_share,
                          "classified as asked": 100 * q.accuracy} for name, q in verdicts.items()])


def quality_panel(generator: Any, name: str) -> None:
    """Judge 1,000 samples with the shipped CNN, next to real test digits judged the same way."""
    classifier = shipped_classifier()
    if classifier is None:
        st.warning("The shipped digit classifier (assets/models/cnn.keras) is not available, so samples cannot be "
                   "judged here.")
        return
    verdicts = st.session_state.setdefault(K("verdicts"), {})
    if st.button(f"Judge 1,000 new samples of {name}", key=K("judge"), icon=":material/gavel:", type="primary"):
        seed = int(np.random.default_rng().integers(10**6))  # new samples on every click
        verdicts[name] = evaluate_generator(generator, classifier, seed=seed)
    if name not in verdicts:
        return
    percent = st.column_config.NumberColumn(format="%.1f%%")
    st.dataframe(_quality_table(verdicts[name]), hide_index=True, key=K("quality_table"), column_config={
        "mean confidence": percent, "rarest digit": percent, "classified as asked": percent,
        "Inception Score": st.column_config.NumberColumn(format="%.2f", help="10 at most")})
    st.plotly_chart(class_histogram(verdicts[name]["unconditional"].shares, verdicts[name]["real_test_digits"].shares,
                                    scaled(300)), key=K("class_histogram"), config={"displayModeBar": False})
