"""The GAN page's parts: which generator to sample, the live-training panel, the real-or-fake quiz."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from playground import gan
from playground.charts.gan import animated_gif, class_histogram, gan_curves, grid_picture, upscale
from playground.gan_quiz import quiz_round, quiz_score
from playground.gan_training import FULL_SET, LIMITS, GanConfig, GanRun
from playground.quality import Quality, evaluate_generator, shipped_classifier
from playground.ui.presenter import presenter_mode, scaled
from playground.ui.training_panel import STATUS_TEXT, progress_bar, status_message

MAX_KEPT_GAN_RUNS = 3
SHIPPED = "the shipped generator"
SUBSETS = [1_000, 2_000, 5_000, 10_000, 20_000, FULL_SET]
COORDINATES = 4  # latent coordinates with a slider
SWEEP = 9  # images per coordinate sweep
QUALITY_ROWS = {"unconditional": "generated, any digit", "conditional": "generated, digit asked for",
                "real_test_digits": "real MNIST test digits"}


def show(where: Any, pixels: np.ndarray, width: int | str, caption: str | None = None) -> None:
    """Show a uint8 picture as PNG: Streamlit's default JPEG would smear the thin strokes."""
    where.image(pixels, width=width, caption=caption, output_format="PNG")


def gan_runs() -> list[GanRun]:
    """This session's GAN runs, oldest first."""
    return st.session_state.setdefault("gan_runs", [])


def add_gan_run(run: GanRun) -> None:
    runs = gan_runs()
    runs.append(run)
    while len(runs) > MAX_KEPT_GAN_RUNS and runs[0].done:
        runs.pop(0)


def pick_generator(shipped: Any) -> tuple[str, Any]:
    """A choice between the shipped generator and this session's trained ones; returns (name, model)."""
    trained = {run.name: run.generator for run in reversed(gan_runs()) if run.generator is not None}
    choices = ([SHIPPED] if shipped is not None else []) + list(trained)
    if not choices:
        return "", None
    if len(choices) > 1:
        name = st.radio("Sample from", choices, horizontal=True, key="gan_generator",
                        help="Your own generators appear here once a live run has trained at least one epoch.")
    else:
        name = choices[0]
    return name, shipped if name == SHIPPED else trained[name]


def config_editor() -> GanConfig:
    """The live-training settings; presenter mode keeps only the training set size and the epochs."""
    kept = {"persist_state": "session"}  # the values survive a visit to another tab
    left, right = st.columns(2)
    samples = left.select_slider("Training images", SUBSETS, value=10_000, key="gan_samples", **kept,
                                 format_func=lambda n: f"all {n:,}" if n == FULL_SET else f"{n:,}",
                                 help="The first N MNIST training images. An epoch is one pass over them.")
    epochs = right.number_input("Epochs", *map(int, LIMITS["epochs"]), value=10, step=1, key="gan_epochs", **kept)
    config = GanConfig(train_samples=samples, epochs=int(epochs))
    if presenter_mode():
        return config
    left, right = st.columns(2)
    batch = left.number_input("Batch size", *map(int, LIMITS["batch_size"]), value=GanConfig.batch_size, step=16,
                              key="gan_batch", help="Images per update of each network.", **kept)
    seed = right.number_input("Seed", *map(int, LIMITS["seed"]), value=0, step=1, key="gan_seed_train", **kept)
    left, right = st.columns(2)
    rate_help = "Adam with β₁ = 0.5, as in the DCGAN paper. Try making one network learn faster than the other."
    d_rate = left.number_input("Discriminator learning rate", *LIMITS["d_learning_rate"], value=2e-4, format="%g",
                               step=1e-4, key="gan_d_lr", help=rate_help, **kept)
    g_rate = right.number_input("Generator learning rate", *LIMITS["g_learning_rate"], value=2e-4, format="%g",
                                step=1e-4, key="gan_g_lr", help=rate_help, **kept)
    return GanConfig(samples, int(epochs), int(batch), float(d_rate), float(g_rate), int(seed))


def live_view(run: GanRun) -> None:
    """Status, curves and the fixed-noise grid of one run; the page polls it in a fragment while it trains."""
    st.markdown(f"**{run.name}** · {STATUS_TEXT.get(run.status, run.status)} · on {run.device}")
    if run.training:
        progress_bar(run, run.config.epochs, unit="images")
    status_message(run)
    if run.status == "finished":
        st.caption(f"Pick *{run.name}* under **Sample from** at the top to sample it.")
    curves, grid = st.columns([3, 2], gap="medium")
    curves.plotly_chart(gan_curves(run.history, run.config.epochs, scaled(330)), key="gan_curves",
                        config={"displayModeBar": False})
    with grid:
        epochs = sorted(run.grids)
        if epochs:
            # The key follows the newest epoch, so the slider jumps there when one arrives; in between it stays put.
            epoch = epochs[-1] if len(epochs) < 2 else st.select_slider(
                "Step through the epochs", epochs, value=epochs[-1], key=f"gan_epoch_{len(epochs)}",
                format_func=lambda e: "before training" if e == 0 else f"epoch {e}")
            show(st, grid_picture(run.grids[epoch], 10, 2), scaled(380),
                 f"{'Before training' if epoch == 0 else f'After epoch {epoch}'}: the same noise every epoch; "
                 "column k asks for the digit k. Identical rows mean the generator still ignores its noise "
                 "(mode collapse); with more epochs the rows start to differ.")
        else:
            st.caption("The generator's first drawings appear here once the networks are built.")
    if run.history:
        last = run.history[-1]
        st.caption(f"Epoch {last['epoch']}: the discriminator gives real digits {last['d_real']:.0%} and generated "
                   f"ones {last['d_fake']:.0%} chance of being real; both near 50% would mean it can no longer tell "
                   f"them apart. {last['seconds']:.1f} s per epoch.")


def _mark(state: dict, index: int, key: str) -> None:
    state["marked"][index] = st.session_state[key]


def quiz(generator: Any) -> None:
    """Real or fake?: tick the digits you think were generated, then check. The ticks are kept in the quiz's
    state, so they survive reruns and visits to other tabs."""
    state = st.session_state.setdefault("gan_quiz", {"round": 0, "generator": None})
    if state["generator"] is not generator or "images" not in state:  # a new round, with fresh checkboxes
        state["round"] += 1
        state.update(quiz_round(generator, seed=1000 + state["round"]).__dict__, generator=generator, checked=False)
        state["marked"] = np.zeros(len(state["images"]), dtype=bool)
    images, fake, marked, checked = state["images"], state["fake"], state["marked"], state["checked"]
    columns = 6
    for row in range(0, len(images), columns):
        for i, column in enumerate(st.columns(columns), start=row):
            if i >= len(images):
                break
            key = f"quiz_{state['round']}_{i}"
            show(column, upscale(images[i], 4), scaled(100))
            if checked:
                verdict = ":green[:material/check_circle:]" if fake[i] == marked[i] else ":red[:material/cancel:]"
                column.markdown(f"{verdict} {'**fake**' if fake[i] else 'real'}  \n"
                                f":gray[you said {'fake' if marked[i] else 'real'}]")
            else:
                column.checkbox("fake", value=bool(marked[i]), key=key, on_change=_mark, args=(state, i, key))
    left, right = st.columns(2)
    left.button("Check my answers", type="primary", disabled=checked, key="quiz_check", icon=":material/fact_check:",
                on_click=state.update, kwargs={"checked": True})
    right.button("New round", key="quiz_new", icon=":material/refresh:", on_click=state.pop, args=("images",))
    if checked:
        score = quiz_score(fake, marked)
        text = (f"**{score.right} of {score.total} right.** You spotted {score.fakes_spotted} of the {score.fakes} "
                f"fakes and called {score.reals_called_fake} real digit{'s' * (score.reals_called_fake != 1)} fake.")
        (st.success if score.right == score.total else st.info)(text)


def latent_explorer(generator: Any, noise: np.ndarray, digits: np.ndarray, key: str) -> None:
    """Interpolate between two of the shown samples; turn the first coordinates of one sample's vector."""
    n = len(noise)
    a, b, c = st.columns(3)
    start = a.number_input("From sample", 1, n, value=1, key="from_sample")
    end = b.number_input("To sample", 1, n, value=min(2, n), key="to_sample")
    steps = 10 if presenter_mode() else c.slider("Steps", 5, 15, 10, key="steps")
    frames = gan.interpolation(generator, (noise[start - 1], noise[end - 1]), (digits[start - 1], digits[end - 1]),
                               steps)
    strip, movie = st.columns([3, 1], vertical_alignment="center")
    show(strip, grid_picture(frames, steps, 3), width="stretch",
                caption=f"Sample {start} (a {digits[start - 1]}) → sample {end} (a {digits[end - 1]}): "
                        "noise and digit blend step by step.")
    movie.image(animated_gif(frames), width=scaled(170), caption="…there and back, as an animation")

    st.subheader("Turn the knobs of one random vector")
    pick_column, *knob_columns = st.columns([1.2] + [2] * COORDINATES, gap="medium")
    pick = pick_column.number_input("Sample", 1, n, value=1, key="knob_sample")
    vector = noise[pick - 1].copy()
    for i, column in enumerate(knob_columns):  # keyed by sample: another sample starts from its own values
        vector[i] = column.slider(f"coordinate {i + 1}", -3.0, 3.0, float(np.round(vector[i], 1)), 0.1,
                                  key=f"knob_{key}_{pick}_{i}")
    sweeps = np.repeat(vector[np.newaxis], COORDINATES * SWEEP, axis=0)
    for i in range(COORDINATES):
        sweeps[i * SWEEP:(i + 1) * SWEEP, i] = np.linspace(-3.0, 3.0, SWEEP)
    images = gan.generate(generator, np.concatenate([vector[np.newaxis], sweeps]),
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
    verdicts = st.session_state.setdefault("gan_verdicts", {})
    if st.button(f"Judge 1,000 new samples of {name}", key="judge", icon=":material/gavel:", type="primary"):
        seed = int(np.random.default_rng().integers(10**6))  # new samples on every click
        verdicts[name] = evaluate_generator(generator, classifier, seed=seed)
    if name not in verdicts:
        return
    percent = st.column_config.NumberColumn(format="%.1f%%")
    st.dataframe(_quality_table(verdicts[name]), hide_index=True, key="quality_table", column_config={
        "mean confidence": percent, "rarest digit": percent, "classified as asked": percent,
        "Inception Score": st.column_config.NumberColumn(format="%.2f", help="10 at most")})
    st.plotly_chart(class_histogram(verdicts[name]["unconditional"].shares, verdicts[name]["real_test_digits"].shares,
                                    scaled(300)), key="class_histogram", config={"displayModeBar": False})
