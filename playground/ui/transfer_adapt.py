"""The Reuse page's "Adapt to my handwriting" tab: draw digits the CNN gets wrong, fine-tune with replay, compare."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from playground.charts.transfer import before_after, image_strip
from playground.digits.classifiers import load_shipped_model, predict_probabilities
from playground.transfer.adapt import DIGIT_NAMES, MIN_DIGITS, MNIST_TEST_SIZES, REPLAY, AdaptRun, check_digits
from playground.transfer.symbols import SymbolError, SymbolSet, drawing_to_example, from_npz_bytes, to_npz_bytes
from playground.ui.polling import live_fragment
from playground.ui.presenter import presenter_mode, scaled
from playground.ui.session import latest_job, next_number, start_job
from playground.ui.state import keys
from playground.ui.training_panel import STATUS_TEXT, progress_bar, status_message
from playground.ui.transfer_canvas import clear, drawing

K = keys("reuse")
RUNS = K("adapt_runs")
DIGITS = K("digits")


def current_digits() -> SymbolSet:
    return st.session_state.setdefault(DIGITS, SymbolSet(DIGIT_NAMES))


def your_digits(digits: SymbolSet) -> None:
    """The drawn digits with their labels and what the shipped CNN reads (wrong ones marked)."""
    if not len(digits.labels):
        st.caption(f"No digits yet: draw at least {MIN_DIGITS}, best ones the network reads wrong.")
        return
    read = predict_probabilities(load_shipped_model("cnn"), digits.images).argmax(axis=1)
    wrong = int(np.sum(read != digits.labels))
    st.markdown(f"**Your {len(digits.labels)} digits** · the shipped CNN reads {wrong} of them wrong "
                "(label → what it reads)")
    captions = [f"{t}→{r}{'✗' if r != t else ''}" for t, r in zip(digits.labels, read)]
    st.plotly_chart(image_strip(digits.images[-20:], captions[-20:], height=scaled(110)), key=K("digit_strip"),
                    config={"displayModeBar": False})
    left, right = st.columns(2)
    if left.button("Remove the last digit", icon=":material/undo:", key=K("digit_undo")):
        st.session_state[DIGITS] = digits.remove(len(digits.labels) - 1)
        st.rerun()
    right.download_button("Download your digits (.npz)", to_npz_bytes(digits), file_name="my_digits.npz",
                          mime="application/octet-stream", icon=":material/download:", key=K("digits_download"))


def load_digits() -> None:
    upload = st.file_uploader("Load digits saved before (.npz)", type=["npz"], key=K("digits_upload"))
    if upload is not None and st.session_state.get(K("digits_upload_done")) != upload.file_id:
        st.session_state[K("digits_upload_done")] = upload.file_id
        try:
            st.session_state[DIGITS] = from_npz_bytes(upload.getvalue(), fixed_names=DIGIT_NAMES)
            st.session_state.pop(K("digits_upload_error"), None)
            st.rerun()
        except SymbolError as error:
            st.session_state[K("digits_upload_error")] = str(error)
    if upload is not None and st.session_state.get(K("digits_upload_error")):
        st.error(st.session_state[K("digits_upload_error")], icon=":material/block:")


def live_view(run: AdaptRun) -> None:
    st.markdown(f"**{run.name}** · {STATUS_TEXT.get(run.status, run.status)} · on {run.device}")
    if run.working:
        progress_bar(run, run.epochs, unit="digits")
    status_message(run)
    if run.before is not None and run.after is not None:
        st.plotly_chart(before_after([f"your {len(run.digits.labels)} digits", f"MNIST test ({run.mnist_test:,})"],
                                     [run.before.yours, run.before.mnist], [run.after.yours, run.after.mnist],
                                     scaled(280)), key=K("adapt_chart"), config={"displayModeBar": False})
        st.dataframe(pd.DataFrame({"your label": run.digits.labels, "before": run.before.predictions,
                                   "after": run.after.predictions}).T)
        st.caption("Your digits are the ones it was fine-tuned on, so 'after' on them is a training score; the MNIST "
                   "test set shows whether it forgot the rest of the world. Draw new digits to check it yourself.")


def adapt_tab() -> None:
    st.markdown("The shipped CNN learned from MNIST's writers, not from you. Draw digits it gets **wrong**, give "
                f"each its true label, and fine-tune a copy on them. Each epoch mixes your digits with {REPLAY:,} "
                "MNIST digits (a **replay**), so it learns your style without forgetting everyone else's.")
    digits = current_digits()
    run = latest_job(RUNS)
    adapted = run.model if run is not None and run.status == "finished" else None
    canvas_column, side = st.columns(2, gap="large")
    with canvas_column:
        pixels, _ = drawing("digit_canvas")
        st.button("Clear", icon=":material/ink_eraser:", key=K("digit_clear"), on_click=clear, args=("digit_canvas",))
    with side:
        label = st.segmented_control("This is a", list(range(10)), key=K("digit_label"), default=0, required=True)
        if st.button(f"Add as a {label}", type="primary", key=K("add_digit"), icon=":material/add:"):
            try:
                st.session_state[DIGITS] = digits.add(int(label or 0), drawing_to_example(pixels))
                clear("digit_canvas")
                st.rerun()
            except SymbolError as error:
                st.error(str(error), icon=":material/error:")
        if pixels is not None:
            try:
                image = drawing_to_example(pixels)
            except SymbolError:
                image = None
            if image is not None:
                models = {"Shipped CNN": load_shipped_model("cnn"), **({"Adapted CNN": adapted} if adapted is not None else {})}
                for column, (title, model) in zip(st.columns(len(models)), models.items()):
                    probabilities = predict_probabilities(model, image[np.newaxis])[0]
                    column.metric(title, str(int(probabilities.argmax())), f"{probabilities.max():.0%} sure",
                                  delta_color="off", delta_arrow="off")
    your_digits(digits)
    busy = run is not None and run.working
    mnist_test = 2_000 if presenter_mode() else st.select_slider(
        "MNIST test images to check forgetting", MNIST_TEST_SIZES, value=2_000, key=K("adapt_test"),
        format_func=lambda n: f"{n:,}")
    if st.button("Adapt to my handwriting", type="primary", icon=":material/model_training:", key=K("adapt"),
                 disabled=busy):
        try:
            check_digits(digits)
            start_job(AdaptRun(digits=digits, mnist_test=int(mnist_test), name=f"Adapted CNN {next_number(RUNS)}"),
                      RUNS)
            st.rerun()
        except SymbolError as error:
            st.error(str(error), icon=":material/error:")
    if run is not None:
        live_fragment(run, lambda: live_view(run))
    with st.expander("Load digits saved before"):
        load_digits()
