"""GAN: sample digits that never existed, walk the latent space, train a GAN live, judge it, play real or fake."""

import json

import streamlit as st

from playground.charts.gan import grid_picture
from playground.gan import model as gan
from playground.gan import sampling
from playground.gan.training import GanRun
from playground.ui.gan_live import config_editor, live_view
from playground.ui.gan_quiz import quiz
from playground.ui.gan_samples import RUNS, latent_explorer, pick_generator, quality_panel, show
from playground.ui.polling import live_fragment, page_complete
from playground.ui.presenter import presenter_mode, scaled
from playground.ui.session import latest_job, next_number, session_jobs, start_job
from playground.ui.state import keys

K = keys("gan")
TABS = ["Sample", "Train live", "Is it any good?", "Real or fake?"]
DIGITS = ["any", *map(str, range(10))]


def new_samples() -> None:
    st.session_state[K("seed")] = int(st.session_state.get(K("seed")) or 0) + 1


st.title("GAN: digits that never existed")
st.caption("A **generator** turns random numbers into an image; a **discriminator** learns to tell its images from "
           "real handwriting. Trained against each other, the generator ends up drawing digits nobody wrote. This "
           "one is *conditional*: you can also tell it which digit to draw.")
try:
    shipped = gan.load_shipped_generator()
except (OSError, ValueError) as error:
    shipped = None
    st.warning(f"The shipped generator could not be loaded ({error}). Train one in **Train live**.")
generator_name, generator = pick_generator(shipped)
if generator is None:
    st.info("No generator yet: train one in **Train live**.")

tabs = dict(zip(TABS, st.tabs(TABS, key=K("tab"), bind="query-params")))  # only the open tab runs

with tabs["Sample"]:
    if generator is not None and tabs["Sample"].open:
        digit_column, button_column = st.columns([7, 2], vertical_alignment="bottom")
        choice = digit_column.segmented_control("Draw", DIGITS, default="any", required=True, key=K("digit"),
                                                bind="query-params",
                                                format_func=lambda d: "any digit" if d == "any" else d)
        button_column.button("New samples", icon=":material/casino:", on_click=new_samples, key=K("new_samples"),
                             type="primary", width="stretch")
        seed_column, size_column, _ = st.columns([2, 3, 4])
        seed = int(seed_column.number_input("Seed", 0, 10**9, value=0, key=K("seed"), bind="query-params",
                                            help="Same seed, same random vectors, same digits."))
        side = 6 if presenter_mode() else size_column.select_slider(
            "Grid", [4, 6, 8, 10], value=8, key=K("grid"), format_func=lambda k: f"{k}×{k}", persist_state="session")
        digit = None if choice in (None, "any") else int(choice)
        noise = sampling.sample_noise(side * side, sampling.latent_dim(generator), seed)
        digits = sampling.sample_digits(side * side, digit, seed)
        show(st, grid_picture(sampling.generate(generator, noise, digits), side, 3, numbered=True),
             scaled(min(640, 64 * side + 60)))
        asked = "" if digit is not None else f" (asked for: {' '.join(map(str, digits[:side]))} …)"
        st.caption(f"{side * side} samples of {generator_name}{asked}. None of them is in MNIST: each comes from its "
                   "own random vector.")
        st.subheader("Walk from one sample to another")
        st.markdown("The path between two random vectors is a smooth morph, because nearby vectors make similar "
                    "images. The digit blends too: a 3 can turn into an 8.")
        latent_explorer(generator, noise, digits, sample_set=f"{generator_name}_{seed}_{choice}")

with tabs["Train live"]:
    if tabs["Train live"].open:
        runs = session_jobs(RUNS)
        run = runs[-1] if runs else None
        busy = run is not None and run.working
        st.markdown("Train a small GAN on MNIST right here and watch the same 40 random vectors turn from grey "
                    "noise into digits, epoch by epoch, while the two networks fight it out in the losses.")
        config = config_editor()
        problem = config.problem()
        if problem:
            st.error(problem)
        left, right = st.columns(2)
        if left.button("Train", type="primary", icon=":material/play_arrow:", width="stretch", key=K("train"),
                       disabled=busy or problem is not None):
            start_job(GanRun(config, name=f"your GAN, run {next_number(RUNS)}"), RUNS)
            st.rerun()
        right.button("Stop", icon=":material/stop:", width="stretch", disabled=not busy, key=K("stop"),
                     on_click=run.stop if busy else None, help="Ends the run after the current batch.")
        if run is not None:
            live_fragment(run, lambda: live_view(run))

with tabs["Is it any good?"]:
    if generator is not None and tabs["Is it any good?"].open:
        st.markdown("A digit classifier (the app's shipped CNN) judges the samples. **Inception Score** = "
                    "exp(mean KL(p(y|x) ‖ p(y))): high when each image is clearly one digit *and* all ten digits "
                    "appear; 10 at most. A missing bar in the histogram is *mode collapse*: digits the GAN never "
                    "draws.")
        quality_panel(generator, generator_name)
        if generator is shipped and gan.SHIPPED_QUALITY.exists():
            with st.expander("Measured when the shipped generator was built"):
                st.json(json.loads(gan.SHIPPED_QUALITY.read_text()), expanded=1)

with tabs["Real or fake?"]:
    if generator is not None and tabs["Real or fake?"].open:
        st.markdown(f"Some of these digits were written by people (the MNIST test set), the others were drawn by "
                    f"{generator_name}. Tick the ones you think are **fake**, then check.")
        quiz(generator)

page_complete(latest_job(RUNS))
