"""Draw a digit: the shipped MLP and CNN (and your own models) classify a drawing or a photo the moment you draw."""

import numpy as np
import streamlit as st

from playground.charts.digits import digit_image, probability_bars
from playground.digits.classifiers import predict_probabilities
from playground.digits.confidence import doubt
from playground.digits.loading import ModelError
from playground.digits.preprocessing import (
    CANVAS_SIDE,
    DEFAULT_STROKE,
    MAX_IMAGE_BYTES,
    DigitError,
    is_blank,
    naive_resize,
    read_upload,
    to_mnist,
)
from playground.ui.canvas import drawing_canvas
from playground.ui.classifiers import available_classifiers, upload_classifier
from playground.ui.draw_evidence import why_it_answered, work_out_evidence
from playground.ui.draw_features import what_the_cnn_sees
from playground.ui.presenter import presenter_mode, scaled
from playground.ui.sequences_rows import rows_view
from playground.ui.shrink_int8 import int8_answer
from playground.ui.state import DRAWN_DIGIT, keys

K = keys("draw")
presenting = presenter_mode()


def canvas_pixels() -> np.ndarray | None:
    """The drawing as RGBA pixels (None until something is drawn)."""
    generation = st.session_state.setdefault(K("canvas_generation"), 0)
    side = scaled(CANVAS_SIDE)
    pen = DEFAULT_STROKE if presenting else st.session_state.get(K("pen_width"), DEFAULT_STROKE)
    drawn = drawing_canvas(K(f"canvas_{generation}"), side, pen * side / CANVAS_SIDE)
    clear_column = st.container()
    if not presenting:
        pen_column, clear_column = st.columns([3, 1], vertical_alignment="bottom")
        pen_column.slider("Pen width", 6, 40, DEFAULT_STROKE, key=K("pen_width"),
                          help="The default (20 px) is what the shipped models were checked with.")
    clear_column.button("Clear", icon=":material/ink_eraser:", key=K("clear_canvas"),
                        on_click=lambda: st.session_state.update({K("canvas_generation"): generation + 1}))
    return drawn.pixels


def uploaded_pixels() -> np.ndarray | None:
    """A photo or scan of one digit, decoded (None until a readable image is uploaded)."""
    file = st.file_uploader("A photo or scan of one digit", type=["png", "jpg", "jpeg", "webp", "bmp", "gif"],
                            key=K("digit_upload"), max_upload_size=MAX_IMAGE_BYTES // 1024**2,
                            help="Dark ink on light paper or light on dark; crop it close to the digit.")
    if file is None:
        return None
    try:
        picture = read_upload(file.getvalue())  # decoded once per file, already shrunk: reruns cost nothing
    except DigitError as error:
        st.error(str(error), icon=":material/broken_image:")
        return None
    st.image(picture.pixels, caption=f"{file.name} · {picture.width:,} × {picture.height:,} px", width=scaled(280))
    return picture.pixels


def show_predictions(classifiers: list, digit: np.ndarray, naive: np.ndarray | None) -> None:
    """One column per model: the predicted digit with its confidence, and the 10 probabilities as plain HTML bars
    (on screen as fast as the answers, where a Plotly chart would hold them back)."""
    batch = np.stack([digit, naive]) if naive is not None else digit[np.newaxis]
    per_row = min(len(classifiers), 4)
    columns = [column for _ in range(0, len(classifiers), per_row) for column in st.columns(per_row)]
    answers = [predict_probabilities(classifier.model, batch) for classifier in classifiers]
    for column, classifier, probabilities in zip(columns, classifiers, answers):
        best = int(probabilities[0].argmax())
        unsure = doubt(probabilities[0], digit)
        with column:
            st.metric(classifier.title, "not sure" if unsure else str(best),
                      f"{best}? {probabilities[0][best]:.1%}" if unsure else f"{probabilities[0][best]:.1%} sure",
                      delta_color="off", delta_arrow="off", help=classifier.note)
            if unsure:
                st.caption(unsure)
            if naive is not None:
                naive_best = int(probabilities[1].argmax())
                st.caption(f"Naive resize → **{naive_best}** ({probabilities[1][naive_best]:.0%})")
    for column, probabilities in zip(columns, answers):
        column.html(probability_bars(probabilities[0], probabilities[1] if naive is not None else None,
                                     height=scaled(240)))


def show_seen(digit: np.ndarray, naive: np.ndarray | None) -> None:
    """The 28 × 28 image the networks see (and the naive resize beside it)."""
    images = st.columns(2) if naive is not None else [st.container()]
    images[0].plotly_chart(digit_image(digit, height=scaled(300), title="MNIST preprocessing"
                                       if naive is not None else None), key=K("seen_digit"),
                           config={"displayModeBar": False})
    if naive is not None:
        images[1].plotly_chart(digit_image(naive, height=scaled(300), title="Naive resize"), key=K("naive_digit"),
                               config={"displayModeBar": False})
        st.caption("MNIST digits were cropped to their ink, scaled to fit 20 × 20 and centred by their centre "
                   "of mass. A network has only ever seen digits like that: skip it and it guesses.")
    else:
        st.caption("Cropped to the ink, scaled to fit 20 × 20 and centred by its centre of mass, as MNIST's "
                   "digits were. Hover a pixel to see its value.")


st.title("Draw a digit")
st.caption("Draw a digit from 0 to 9. The networks only ever see a 28 × 28 grey image, like the MNIST digits "
           "they learned from, and answer the moment you lift the pen.")
try:
    with st.spinner("Loading the networks…"):  # only the first visit to this server loads them
        classifiers = available_classifiers(include_best=not presenting)
except ModelError as error:
    st.error(str(error))
    st.stop()

source = st.segmented_control("Input", ["Draw", "Upload a photo"], default="Draw", key=K("digit_source"),
                              label_visibility="collapsed") or "Draw"
drawing_column, seen_column = st.columns(2, gap="large")
with drawing_column:
    pixels = canvas_pixels() if source == "Draw" else uploaded_pixels()
digit = naive = None
with seen_column:
    st.markdown("**What the models see** · 28 × 28 pixels")
    if pixels is None or (source == "Draw" and is_blank(pixels)):  # a blank upload gets told why, below
        st.info("Draw a digit on the canvas." if source == "Draw" else "Upload a photo or scan of a digit.",
                icon=":material/draw:")
        st.session_state.pop(DRAWN_DIGIT, None)
    else:
        try:
            digit = to_mnist(pixels)
            naive = naive_resize(pixels) if st.toggle("Compare with a naive resize", key=K("naive_resize"),
                                                      help="Squeeze the whole image to 28 × 28, skipping "
                                                           "MNIST's crop, scale and centring.") else None
        except DigitError as error:
            st.error(str(error), icon=":material/error:")
    if digit is not None:
        st.session_state[DRAWN_DIGIT] = digit
        seen = st.container()  # filled just below the answers: they are the first thing a user looks for

if digit is not None:
    st.subheader("What the networks say")
    show_predictions(classifiers, digit, naive)
    # Work out the occlusion maps (the slowest part below) before sending any Plotly chart: a chart sent right
    # behind the answers is drawn in the same pass in the browser and holds them back (~100 ms on 2 cores).
    work_out_evidence(classifiers, digit)
    with seen:
        show_seen(digit, naive)
    if not presenting and st.toggle("Compare with the int8 CNN", key=K("int8"),
                                    help="The same CNN quantized with Keras' model.quantize(\"int8\")."):
        int8_answer(digit)
    why_it_answered(classifiers, digit)
    with st.expander("The LSTM reads your digit row by row", icon=":material/view_stream:"):
        rows_view(digit, K)  # the probability of each digit after each of the 28 rows
    what_the_cnn_sees(classifiers, digit)

if not presenting:
    with st.expander("Use your own model (.keras)"):
        st.caption("A model trained on Build & train appears above by itself. Or upload a .keras file of a model "
                   "that takes a 28 × 28 (× 1) image or 784 pixels and outputs 10 classes. The playground rebuilds "
                   "its layers itself and loads only the weights: no code inside the file runs.")
        model_file = st.file_uploader("A Keras model file", type=["keras"], key=K("model_upload"))
        done = st.session_state.get(K("model_upload_done"))  # (file id, error message or None): load each file once
        if model_file is not None and (done is None or done[0] != model_file.file_id):
            done = (model_file.file_id, upload_classifier(model_file.name, model_file.getvalue()))
            st.session_state[K("model_upload_done")] = done
            if done[1] is None:
                st.rerun()
        if model_file is not None and done[1]:
            st.error(done[1], icon=":material/block:")
