"""The Reuse page's "Teach it new symbols" tab: name classes, draw examples, train a head, see it recognise them."""

from __future__ import annotations

import numpy as np
import streamlit as st

from playground.charts.transfer import class_probabilities, image_strip
from playground.transfer.symbols import (
    MAX_CLASSES,
    MIN_EXAMPLES,
    SymbolError,
    SymbolSet,
    SymbolsRun,
    check_trainable,
    drawing_to_example,
    from_npz_bytes,
    predict,
    to_npz_bytes,
)
from playground.ui.polling import live_fragment
from playground.ui.presenter import scaled
from playground.ui.session import latest_job, next_number, start_job
from playground.ui.state import keys
from playground.ui.training_panel import STATUS_TEXT, progress_bar, status_message
from playground.ui.transfer_canvas import clear, drawing

K = keys("reuse")
RUNS = K("symbol_runs")
SYMBOLS = K("symbols")
DEFAULT_NAMES = "✓, ✗, ○"


def current_set() -> SymbolSet:
    return st.session_state.setdefault(SYMBOLS, SymbolSet(tuple(n.strip() for n in DEFAULT_NAMES.split(","))))


def _rename() -> None:
    """The names field changed: rename / add / drop classes (examples follow their position)."""
    names = [n for n in st.session_state[K("names")].split(",") if n.strip()]
    try:
        st.session_state[SYMBOLS] = current_set().with_names(names)
        st.session_state.pop(K("names_error"), None)
    except SymbolError as error:
        st.session_state[K("names_error")] = str(error)


def examples_panel(symbols: SymbolSet) -> None:
    """Each class's examples in a strip, with an undo for the last one."""
    for index, (name, count) in enumerate(zip(symbols.names, symbols.counts())):
        text, undo = st.columns([6, 1], vertical_alignment="center")
        enough = ":green[enough to train]" if count >= MIN_EXAMPLES else f":orange[draw at least {MIN_EXAMPLES}]"
        text.markdown(f"**{name}** · {count} example{'s' if count != 1 else ''} · {enough}")
        if undo.button("Undo", key=K(f"undo_{index}"), disabled=count == 0, icon=":material/undo:",
                       help=f"Remove the last example of {name}"):
            last = int(np.flatnonzero(symbols.labels == index)[-1])
            st.session_state[SYMBOLS] = symbols.remove(last)
            st.rerun()
        if count:
            st.plotly_chart(image_strip(symbols.of_class(index), [""] * count, height=scaled(70)),
                            key=K(f"strip_{index}"), config={"displayModeBar": False})


def save_and_load(symbols: SymbolSet) -> None:
    """Download the examples as .npz, or load a file exported before (checked before anything is replaced)."""
    st.download_button("Download your examples (.npz)", to_npz_bytes(symbols), file_name="my_symbols.npz",
                       mime="application/octet-stream", icon=":material/download:", key=K("symbols_download"),
                       disabled=not len(symbols.labels))
    upload = st.file_uploader("Load examples saved before (.npz)", type=["npz"], key=K("symbols_upload"))
    done = st.session_state.get(K("symbols_upload_done"))
    if upload is not None and done != upload.file_id:
        st.session_state[K("symbols_upload_done")] = upload.file_id
        try:
            loaded = from_npz_bytes(upload.getvalue())
        except SymbolError as error:
            st.session_state[K("symbols_upload_error")] = str(error)
        else:
            st.session_state[SYMBOLS] = loaded
            st.session_state[K("names_pending")] = ", ".join(loaded.names)  # the field is already drawn
            st.session_state.pop(K("symbols_upload_error"), None)
            st.rerun()
    if upload is not None and st.session_state.get(K("symbols_upload_error")):
        st.error(st.session_state[K("symbols_upload_error")], icon=":material/block:")


def live_view(run: SymbolsRun) -> None:
    st.markdown(f"**{run.name}** · {STATUS_TEXT.get(run.status, run.status)}")
    if run.working:
        progress_bar(run, run.epochs, unit="drawings")
    status_message(run)


def drawing_side(symbols: SymbolSet, pixels: np.ndarray | None, strokes: int, trained: SymbolsRun | None) -> None:
    """Beside the canvas: which class the drawing is, Add, the 28×28 image, and the trained network's answer."""
    if symbols.names:
        target = st.segmented_control("This drawing is a", range(len(symbols.names)), key=K("target"),
                                      format_func=lambda i: symbols.names[i], default=0, required=True) or 0
        if st.button(f"Add as an example of {symbols.names[target]}", type="primary", key=K("add"),
                     icon=":material/add:"):
            try:
                st.session_state[SYMBOLS] = symbols.add(int(target), drawing_to_example(pixels))
                clear("symbol_canvas")
                st.rerun()
            except SymbolError as error:
                st.error(str(error), icon=":material/error:")
    try:
        image = drawing_to_example(pixels)
    except SymbolError:
        return
    st.image(image, width=scaled(168), clamp=True,
             caption=f"What the network sees (28 × 28) · {strokes} stroke{'s' if strokes != 1 else ''}")
    if trained is not None:
        probabilities = predict(trained.model, image)
        best = int(np.argmax(probabilities))
        st.metric("It says", trained.symbols.names[best], f"{probabilities[best]:.0%} sure", delta_color="off",
                  delta_arrow="off")
        st.plotly_chart(class_probabilities(trained.symbols.names, probabilities, scaled(200)),
                        key=K("symbol_probabilities"), config={"displayModeBar": False})


def symbols_tab() -> None:
    st.markdown(f"Teach the digit CNN **new symbols**: name 2–{MAX_CLASSES} classes (✓, ✗, ○, a letter, your "
                "initials), draw 5–10 examples of each, press **Train**. A new head learns them on top of the "
                "frozen digit features in a few seconds; then draw again and watch it recognise them.")
    pending = st.session_state.pop(K("names_pending"), None)
    if pending is not None:
        st.session_state[K("names")] = pending
    st.session_state.setdefault(K("names"), DEFAULT_NAMES)
    st.text_input("Your classes, separated by commas", key=K("names"), on_change=_rename, max_chars=120)
    if st.session_state.get(K("names_error")):
        st.error(st.session_state[K("names_error")], icon=":material/error:")
    symbols = current_set()
    run = latest_job(RUNS)
    trained = run.model if run is not None and run.status == "finished" else None
    canvas_column, side = st.columns([1, 1], gap="large")
    with canvas_column:
        pixels, strokes = drawing("symbol_canvas")
        st.button("Clear", icon=":material/ink_eraser:", key=K("symbol_clear"), on_click=clear,
                  args=("symbol_canvas",))
    with side:
        drawing_side(symbols, pixels, strokes, run if trained is not None else None)
    examples_panel(symbols)
    problem = None
    try:
        check_trainable(symbols)
    except SymbolError as error:
        problem = str(error)
    busy = run is not None and run.working
    if st.button("Train", type="primary", icon=":material/model_training:", key=K("train_symbols"), disabled=busy):
        if problem:
            st.error(problem, icon=":material/error:")
        else:
            start_job(SymbolsRun(symbols=symbols, name=f"New symbols {next_number(RUNS)}"), RUNS)
            st.rerun()
    if run is not None:
        live_fragment(run, lambda: live_view(run))
        if trained is not None and run.symbols.names != symbols.names:
            st.caption("Your classes changed since this training: press Train again to learn the new ones.")
    with st.expander("Keep your examples"):
        save_and_load(symbols)
