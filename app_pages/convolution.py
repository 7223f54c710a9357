"""Convolution and pooling: slide a 3×3 kernel over an image, apply ReLU, max-pool; then the shipped CNN's filters."""

import numpy as np
import streamlit as st

from playground.charts.concepts import image_grid, image_steps, kernel_figure
from playground.concepts.convolution import KERNELS, PADDINGS, convolve2d, max_pool, relu
from playground.concepts.images import MAX_PHOTO_BYTES, photo_to_grayscale
from playground.core.datasets import load_mnist_arrays
from playground.ui.presenter import presenter_mode, scaled, show_figure
from playground.ui.state import DRAWN_DIGIT, keys

SOURCES = {"mnist": "An MNIST digit", "drawn": "My drawing (Draw page)", "upload": "Upload a photo"}
K = keys("conv")
CUSTOM = "custom"
CELLS = [K(f"k{i}") for i in range(1, 10)]  # the nine numbers of the kernel
SHOWN_FILTERS = 16
presenting = presenter_mode()


def edit_kernel() -> None:
    st.session_state[K("kernel")] = CUSTOM  # an edited number makes the kernel the user's own


def pick_image() -> tuple[np.ndarray, str]:
    """The chosen image as floats in [0, 1], and a short name for it."""
    source = st.radio("image", list(SOURCES), format_func=SOURCES.get, key=K("source"), bind="query-params")
    if source == "drawn":
        drawn = st.session_state.get(DRAWN_DIGIT)
        if drawn is not None:
            return np.asarray(drawn, dtype=float), "your drawing"
        st.info("Nothing drawn yet: draw a digit on the **Draw a digit** page, then come back. Meanwhile, an MNIST "
                "digit.", icon=":material/draw:")
    elif source == "upload":
        upload = st.file_uploader("a photo", type=["png", "jpg", "jpeg", "gif", "bmp", "webp"], key=K("photo"),
                                  max_upload_size=MAX_PHOTO_BYTES // 1024**2)
        if upload is not None:
            try:
                return photo_to_grayscale(upload.getvalue()), upload.name[:24]
            except ValueError as error:
                st.error(str(error), icon=":material/broken_image:")
        st.caption("Until a photo is uploaded, an MNIST digit.")
    index = st.number_input("MNIST test image #", 0, 9999, 0, key=K("digit"), bind="query-params")
    raw = load_mnist_arrays()
    return raw["x_test"][index] / 255.0, f"MNIST #{index} (a {raw['y_test'][index]})"


def steps(image: np.ndarray, kernel: np.ndarray, stride: int, padding: str, bias: float = 0.0) -> list[np.ndarray]:
    feature_map = convolve2d(image, kernel, stride, padding) + bias
    activated = relu(feature_map)
    return [feature_map, activated, max_pool(activated, 2)]


def shape(array: np.ndarray) -> str:
    return f"{array.shape[0]}×{array.shape[1]}"


st.title("Convolution and pooling")
st.caption("A convolution slides a small grid of weights (a kernel) over the image; each output pixel is the sum of "
           "the pixels under the kernel times its weights. A kernel that matches a pattern lights up where the "
           "pattern is. Pooling then keeps the strongest response of each 2×2 block, halving the image.")

source_column, kernel_column, step_column, grid_column = st.columns([1.3, 1.2, 1, 1], gap="medium")
with source_column:
    image, about = pick_image()
with kernel_column:
    chosen = st.selectbox("kernel", [*KERNELS, CUSTOM], key=K("kernel"), bind="query-params")
    if chosen != CUSTOM:  # the nine boxes show the preset, ready to be edited
        for cell, value in zip(CELLS, KERNELS[chosen].ravel()):
            st.session_state[cell] = float(value)
    if not presenting:
        st.caption("…or type your own nine numbers:")
        for row in range(3):
            for column, number in zip(st.columns(3, gap="xsmall"), range(3 * row, 3 * row + 3)):
                column.number_input(f"k{number + 1}", step=1.0, format="%.2f", key=CELLS[number], on_change=edit_kernel,
                                    label_visibility="collapsed", persist_state="session")
kernel = np.array([st.session_state.get(cell, 0.0) for cell in CELLS], dtype=float).reshape(3, 3)
with step_column:
    stride = st.select_slider("stride", [1, 2, 3], 1, key=K("stride"), bind="query-params",
                              help="How many pixels the kernel moves each time: 2 halves the output.")
    padding = st.radio("padding", PADDINGS, key=K("padding"), bind="query-params", horizontal=True,
                       help="valid: the kernel stays inside the image, which shrinks by 2; same: a border of "
                            "zeros keeps the size (for stride 1).")
with grid_column:
    show_figure(kernel_figure(kernel, height=scaled(180), text_size=scaled(16)), key=K("kernel_grid"))

feature_map, activated, pooled = steps(image, kernel, stride, padding)
titles = [f"{about}: {shape(image)}", f"feature map {shape(feature_map)}", f"after ReLU {shape(activated)}",
          f"2×2 max pooling {shape(pooled)}"]
show_figure(image_steps([image, feature_map, activated, pooled], titles, height=320), key=K("steps"))
size = image.shape[0]
formula = f"⌈{size} / {stride}⌉" if padding == "same" else f"⌊({size} − 3) / {stride}⌋ + 1"
st.markdown(f"Output height with {padding} padding: {formula} = **{feature_map.shape[0]}**; pooling keeps the largest "
            f"value of each 2×2 block, halving it (rounding down) to **{pooled.shape[0]}**. Red: negative sums, "
            "blue: positive; ReLU turns the red into 0.")

st.header("What a trained CNN learned")
st.caption("Nobody designs the kernels of a real network: training finds them. These are the first-layer filters "
           "of the CNN that ships with the playground, applied to the same image: same steps, learned numbers.")
if st.toggle("Show the shipped CNN's filters (loads Keras: a few seconds the first time)", key=K("learned"),
             bind="query-params"):
    from playground.digits.classifiers import SHIPPED, conv_layers, first_conv_filters, load_shipped_model
    from playground.digits.loading import ModelError

    if not SHIPPED["cnn"].path.exists():
        st.info("The shipped CNN (assets/models/cnn.keras) is not in this copy of the playground yet.",
                icon=":material/hourglass_empty:")
    else:
        try:
            with st.spinner("Loading the shipped CNN…"):
                model = load_shipped_model("cnn")
            filters = first_conv_filters(model)
            layer = conv_layers(model)[0]
        except ModelError as error:
            st.error(str(error))
        else:
            biases = layer.get_weights()[1] if layer.use_bias else np.zeros(filters.shape[-1])
            count = min(filters.shape[-1], SHOWN_FILTERS)
            maps = [steps(image, filters[..., i], layer.strides[0], layer.padding, biases[i]) for i in range(count)]
            st.markdown(f"The first layer has **{filters.shape[-1]} filters of {filters.shape[0]}×{filters.shape[1]}"
                        f"**{f'; the first {count} are shown' if count < filters.shape[-1] else ''}.")
            numbers = [f"#{i + 1}" for i in range(count)]
            show_figure(image_grid([filters[..., i] for i in range(count)], numbers), key=K("learned_filters"))
            st.markdown(f"**After convolution + bias + ReLU** ({shape(maps[0][1])} each):")
            show_figure(image_grid([m[1] for m in maps], numbers, height_per_row=scaled(150)), key=K("learned_maps"))
            st.markdown(f"**After 2×2 max pooling** ({shape(maps[0][2])} each):")
            show_figure(image_grid([m[2] for m in maps], numbers, height_per_row=scaled(110)), key=K("learned_pooled"))
