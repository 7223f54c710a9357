"""The concept pages' formulas against references: Keras activations, losses and convolutions, direct loops."""

import math

import numpy as np
import pytest

from playground.concepts.convolution import KERNELS, convolve2d, max_pool, output_size, relu
from playground.concepts.gradient_descent import CURVES, DIVERGED_BEYOND, curvature, descend, diverged
from playground.concepts.images import photo_to_grayscale
from playground.concepts.neuron import (
    ACTIVATIONS,
    LEAKY_SLOPE,
    activate,
    activation_slope,
    weighted_sum,
    weighted_sum_text,
)
from playground.concepts.probabilities import accuracy, cross_entropy, one_hot, softmax
from playground.concepts.toy_mlp import init_toy_mlp, make_toy_data, train_toy_mlp

X = np.linspace(-5, 5, 201)


@pytest.fixture(scope="module")
def keras():
    from playground.core.device import configure_tensorflow

    configure_tensorflow()
    import keras

    return keras


def keras_activation(keras, name):
    a = keras.activations
    return {
        "identity": a.linear, "sigmoid": a.sigmoid, "tanh": a.tanh, "softsign": a.softsign, "relu": a.relu,
        "leaky_relu": lambda x: a.leaky_relu(x, negative_slope=LEAKY_SLOPE), "elu": a.elu,
        "gelu": lambda x: a.gelu(x, approximate=False), "swish": a.silu,
    }.get(name)


def test_every_activation_matches_keras_or_its_closed_form(keras):
    for name in ACTIVATIONS:
        reference = keras_activation(keras, name)
        if reference is not None:
            expected = np.asarray(reference(keras.ops.convert_to_tensor(X, dtype="float64")))
        else:
            expected = {"binary_step": (X >= 0).astype(float), "arctan": np.arctan(X)}[name]
        np.testing.assert_allclose(activate(name, X), expected, atol=1e-6, err_msg=name)


def test_every_derivative_matches_tensorflow_gradients(keras):
    import tensorflow as tf

    smooth = X[np.abs(X) > 1e-3]  # kinks (ReLU, step at 0) have no derivative to compare
    for name in ACTIVATIONS:
        reference = keras_activation(keras, name)
        if reference is None:
            expected = {"binary_step": np.zeros_like(smooth), "arctan": 1 / (1 + smooth**2)}[name]
        else:
            x = tf.Variable(smooth)
            with tf.GradientTape() as tape:
                y = tf.reduce_sum(reference(x))
            expected = tape.gradient(y, x).numpy()
        np.testing.assert_allclose(activation_slope(name, smooth), expected, atol=1e-6, err_msg=name)


def test_derivatives_agree_with_finite_differences():
    h = 1e-5
    for name in ACTIVATIONS:
        numeric = (activate(name, X + h) - activate(name, X - h)) / (2 * h)
        smooth = np.abs(X) > 1e-3
        np.testing.assert_allclose(activation_slope(name, X)[smooth], numeric[smooth], atol=1e-5, err_msg=name)


def test_a_neuron_multiplies_accumulates_and_writes_the_sum_out():
    assert weighted_sum(np.array([0.5, -1.0]), np.array([0.8, 0.3]), 0.2) == pytest.approx(0.3)
    assert weighted_sum_text([0.5, -1.0], [0.8, 0.3], 0.2) == "0.5×0.8 + (−1.0)×0.3 + 0.2 = 0.30"
    assert weighted_sum_text([1.0], [-2.0], -0.5) == "1.0×(−2.0) + (−0.5) = −2.50"


def test_softmax_and_cross_entropy_match_keras(keras):
    logits = np.array([[0.1, -1.2, 0.4, 6.0, -0.5], [1000.0, 0.0, -1000.0, 2.0, 3.0]])
    probabilities = softmax(logits)
    np.testing.assert_allclose(probabilities, np.asarray(keras.activations.softmax(logits)), atol=1e-7)
    assert np.isfinite(probabilities).all() and np.allclose(probabilities.sum(axis=1), 1)
    for row in probabilities:
        for label in range(5):
            target = one_hot(label, 5)
            expected = float(keras.losses.categorical_crossentropy(target[None], row[None])[0])
            assert cross_entropy(target, row) == pytest.approx(expected, rel=1e-5, abs=1e-6)
    assert cross_entropy(one_hot(0, 2), np.array([1.0, 0.0])) == pytest.approx(0, abs=1e-6)
    assert cross_entropy(one_hot(1, 2), np.array([1.0, 0.0])) == pytest.approx(-math.log(1e-7))  # clipped, finite


def test_one_hot_and_accuracy():
    assert one_hot(3, 10).tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    with pytest.raises(ValueError):
        one_hot(10, 10)
    assert accuracy([7, 2, 1, 0], [7, 2, 4, 0]) == (3, 4)


def direct_convolution(image, kernel, stride, padding):
    """The textbook loop: pad, then visit every stride-th position and sum window × kernel."""
    k = kernel.shape[0]
    if padding == "same":
        total = [max((math.ceil(n / stride) - 1) * stride + k - n, 0) for n in image.shape]
        image = np.pad(image, [(t // 2, t - t // 2) for t in total])
    rows = (image.shape[0] - k) // stride + 1
    cols = (image.shape[1] - k) // stride + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = np.sum(image[i * stride:i * stride + k, j * stride:j * stride + k] * kernel)
    return out


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_convolution_matches_a_direct_loop_and_keras(keras, stride, padding):
    rng = np.random.default_rng(stride)
    image = rng.uniform(size=(11, 9))
    for kernel in [*KERNELS.values(), rng.normal(size=(3, 3)), rng.normal(size=(5, 5))]:
        ours = convolve2d(image, kernel, stride, padding)
        np.testing.assert_allclose(ours, direct_convolution(image, kernel, stride, padding), atol=1e-12)
        theirs = keras.ops.conv(image[None, :, :, None], kernel[:, :, None, None], strides=stride, padding=padding)
        np.testing.assert_allclose(ours, np.asarray(theirs)[0, :, :, 0], atol=1e-5)
        assert ours.shape == (output_size(11, len(kernel), stride, padding), output_size(9, len(kernel), stride, padding))


def test_the_lecture_edge_detector_is_zero_on_flat_areas_and_lights_up_on_edges():
    image = np.zeros((8, 8))
    image[2:6, 2:6] = 1.0
    response = convolve2d(image, KERNELS["edge detector (lecture)"])  # response[i, j] is centred on image[i+1, j+1]
    assert response[2, 2] == 0 and response[3, 3] == 0  # inside the square: 8 × 1 − 8 × 1
    assert response[1, 1] == response[4, 4] == 5 and response[0, 0] == -1  # corners, and just outside
    assert relu(response)[0, 0] == 0


@pytest.mark.parametrize("size", [2, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_max_pooling_matches_keras(keras, size, padding):
    image = np.random.default_rng(size).normal(size=(13, 10))
    expected = keras.layers.MaxPooling2D(size, padding=padding)(image[None, :, :, None].astype("float32"))
    np.testing.assert_allclose(max_pool(image, size, padding=padding), np.asarray(expected)[0, :, :, 0], atol=1e-6)


def test_a_kernel_larger_than_the_image_is_a_clear_error():
    with pytest.raises(ValueError, match="does not fit"):
        convolve2d(np.zeros((2, 2)), np.ones((3, 3)))


def test_gradient_descent_converges_crawls_and_diverges_without_nan():
    bowl = CURVES["bowl"]
    assert descend(bowl, 2.0, 0.1) == pytest.approx(2.0 - 0.1 * 4.0)
    for rate, expect in ((0.1, "converges"), (0.001, "crawls"), (1.05, "diverges")):
        x, steps = bowl.start, 0
        while steps < 1000 and not diverged(x):
            x, steps = descend(bowl, x, rate), steps + 1
        assert math.isfinite(x)
        if expect == "converges":
            assert abs(x) < 1e-6
        elif expect == "crawls":
            assert 0.1 < abs(x) < bowl.start
        else:
            assert abs(x) > DIVERGED_BEYOND and steps < 1000
    assert curvature(bowl, 0.3) == pytest.approx(2.0)
    valleys = CURVES["two valleys"]
    x = valleys.start
    for _ in range(500):
        x = descend(valleys, x, 0.05)
    assert abs(valleys.slope(x)) < 1e-6 and x > 0  # rolled into the nearer (right) valley, not the deeper one


def test_photos_become_grey_arrays_and_bad_files_a_message():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 200), (255, 0, 0)).save(buffer, format="PNG")
    grey = photo_to_grayscale(buffer.getvalue())
    assert grey.shape == (48, 96) and 0 <= grey.min() and grey.max() <= 1
    with pytest.raises(ValueError, match="not an image"):
        photo_to_grayscale(b"certainly not a png")


def test_without_activations_the_toy_network_is_one_linear_layer_and_fails_on_circles():
    x, y = make_toy_data("circles", samples=200)
    linear, _ = train_toy_mlp(x, y, activation="identity", epochs=300)
    w, b = linear.as_single_layer()
    np.testing.assert_allclose(linear.predict(x), 1 / (1 + np.exp(-(x @ w + b)[:, 0])), atol=1e-12)
    bent, losses = train_toy_mlp(x, y, activation="tanh", epochs=300)
    assert np.mean((linear.predict(x) > 0.5) == y) < 0.7
    assert np.mean((bent.predict(x) > 0.5) == y) > 0.95 and losses[-1] < losses[0]


def test_toy_backpropagation_matches_finite_differences():
    x, y = make_toy_data("moons", samples=50)
    model = init_toy_mlp((5, 4), "tanh", seed=1)
    _, grad_w, grad_b = model.gradients(x, y)
    h = 1e-6
    for param, grad in ((model.weights[0], grad_w[0]), (model.weights[2], grad_w[2]), (model.biases[1], grad_b[1])):
        index = (0,) * param.ndim
        param[index] += h
        up = model.gradients(x, y)[0]
        param[index] -= 2 * h
        down = model.gradients(x, y)[0]
        param[index] += h
        assert grad[index] == pytest.approx((up - down) / (2 * h), rel=1e-4, abs=1e-8)
