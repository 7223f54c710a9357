"""The GAN page's live training: its settings, and the live view of a run (curves and the fixed-noise grid)."""

from __future__ import annotations

import streamlit as st

from playground.charts.gan import gan_curves, grid_picture
from playground.gan.training import FULL_SET, LIMITS, GanConfig, GanRun
from playground.ui.gan_samples import show
from playground.ui.presenter import presenter_mode, scaled
from playground.ui.state import keys
from playground.ui.training_panel import STATUS_TEXT, progress_bar, status_message

K = keys("gan")
SUBSETS = [1_000, 2_000, 5_000, 10_000, 20_000, FULL_SET]


def config_editor() -> GanConfig:
    """The live-training settings; presenter mode keeps only the training set size and the epochs."""
    kept = {"persist_state": "session"}  # the values survive a visit to another tab
    left, right = st.columns(2)
    samples = left.select_slider("Training images", SUBSETS, value=10_000, key=K("samples"), **kept,
                                 format_func=lambda n: f"all {n:,}" if n == FULL_SET else f"{n:,}",
                                 help="The first N MNIST training images. An epoch is one pass over them.")
    epochs = right.number_input("Epochs", *map(int, LIMITS["epochs"]), value=10, step=1, key=K("epochs"), **kept)
    config = GanConfig(train_samples=samples, epochs=int(epochs))
    if presenter_mode():
        return config
    left, right = st.columns(2)
    batch = left.number_input("Batch size", *map(int, LIMITS["batch_size"]), value=GanConfig.batch_size, step=16,
                              key=K("batch"), help="Images per update of each network.", **kept)
    seed = right.number_input("Seed", *map(int, LIMITS["seed"]), value=0, step=1, key=K("train_seed"), **kept)
    left, right = st.columns(2)
    rate_help = "Adam with β₁ = 0.5, as in the DCGAN paper. Try making one network learn faster than the other."
    d_rate = left.number_input("Discriminator learning rate", *LIMITS["d_learning_rate"], value=2e-4, format="%g",
                               step=1e-4, key=K("d_lr"), help=rate_help, **kept)
    g_rate = right.number_input("Generator learning rate", *LIMITS["g_learning_rate"], value=2e-4, format="%g",
                                step=1e-4, key=K("g_lr"), help=rate_help, **kept)
    return GanConfig(samples, int(epochs), int(batch), float(d_rate), float(g_rate), int(seed))


def live_view(run: GanRun) -> None:
    """Status, curves and the fixed-noise grid of one run; the page polls it in a fragment while it trains."""
    st.markdown(f"**{run.name}** · {STATUS_TEXT.get(run.status, run.status)} · on {run.device}")
    if run.working:
        progress_bar(run, run.config.epochs, unit="images")
    status_message(run)
    if run.status == "finished":
        st.caption(f"Pick *{run.name}* under **Sample from** at the top to sample it.")
    curves, grid = st.columns([3, 2], gap="medium")
    curves.plotly_chart(gan_curves(run.history, run.config.epochs, scaled(330)), key=K("curves"),
                        config={"displayModeBar": False})
    with grid:
        epochs = sorted(run.grids)
        if epochs:
            # The key follows the newest epoch, so the slider jumps there when one arrives; in between it stays put.
            epoch = epochs[-1] if len(epochs) < 2 else st.select_slider(
                "Step through the epochs", epochs, value=epochs[-1], key=K(f"epoch_{len(epochs)}"),
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
