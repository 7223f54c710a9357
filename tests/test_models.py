"""The shipped classifiers and the safe loading of uploaded .keras files."""

import json
import re
import tracemalloc
import zipfile

import keras
import numpy as np
import pytest

from playground.core.build import build_model
from playground.core.datasets import load_dataset
from playground.core.specs import NetworkSpec, layer
from playground.digits.classifiers import (
    accuracy,
    feature_maps,
    first_conv_filters,
    load_shipped_model,
    predict_probabilities,
    shipped_metrics,
)
from playground.digits.loading import ModelError, load_model_bytes, load_model_file, network_from_keras_config
from tools.build_drawn_digits import load_check_set
from tools.crafted_models import CRAFTED_CONFIGS, write_config_bomb, write_model_zip


def saved(model: keras.Model, path) -> str:
    model.save(path)
    return str(path)


def test_the_shipped_models_load_once_with_mnist_shapes():
    mlp, cnn = load_shipped_model("mlp"), load_shipped_model("cnn")
    assert load_shipped_model("cnn") is cnn
    assert mlp.input_shape == (None, 28, 28, 1) and cnn.input_shape == (None, 28, 28, 1)
    assert mlp.output_shape == cnn.output_shape == (None, 10)
    dense = [layer.units for layer in mlp.layers if isinstance(layer, keras.layers.Dense)]
    assert dense == [256, 128, 10]  # twice as wide as the lecture's 784-128-64-10
    assert all(layer.activation.__name__ == "relu" for layer in mlp.layers[:-1] if hasattr(layer, "activation"))
    with pytest.raises(ModelError, match="Unknown shipped model"):
        load_shipped_model("resnet")


def test_the_shipped_models_read_mnist_and_drawn_digits():
    data = load_dataset("mnist")
    x, y = data.x_test[:2000], data.y_test[:2000]
    assert accuracy(load_shipped_model("cnn"), x, y) >= 0.99
    assert accuracy(load_shipped_model("mlp"), x, y) >= 0.97
    images, labels, _ = load_check_set()
    assert accuracy(load_shipped_model("cnn"), images, labels) >= 0.97
    assert accuracy(load_shipped_model("mlp"), images, labels) >= 0.90


def test_the_recorded_metrics_match_the_shipped_files():
    metrics = shipped_metrics()
    data = load_dataset("mnist")
    for name in ("mlp", "cnn"):
        measured = accuracy(load_shipped_model(name), data.x_test, data.y_test)
        assert metrics[name]["mnist_test_accuracy"] == pytest.approx(measured, abs=2e-4)
    assert metrics["cnn"]["mnist_test_accuracy"] >= 0.993 and metrics["mlp"]["mnist_test_accuracy"] >= 0.98


def test_probabilities_come_out_for_any_mnist_input_layout(tmp_path):
    flat_logits = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10)])  # linear output: logits
    model = load_model_file(saved(flat_logits, tmp_path / "flat.keras"))
    probabilities = predict_probabilities(model, np.random.default_rng(0).random((3, 28, 28)))
    assert probabilities.shape == (3, 10) and np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert (probabilities >= 0).all()


@pytest.mark.parametrize("shape, output, message", [
    ((32, 32, 3), 10, "not an MNIST classifier"),
    ((28, 28, 1), 5, "10 class"),
])
def test_a_model_that_is_not_an_mnist_classifier_is_refused(tmp_path, shape, output, message):
    other = keras.Sequential([keras.Input(shape), keras.layers.Flatten(), keras.layers.Dense(output)])
    with pytest.raises(ModelError, match=message):
        load_model_file(saved(other, tmp_path / "other.keras"))


def test_files_that_are_not_keras_models_are_refused(tmp_path):
    with pytest.raises(ModelError, match="not a Keras model file"):
        load_model_bytes(b"definitely not a zip")
    archive = tmp_path / "empty.keras"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ModelError, match="no config.json"):
        load_model_file(archive)
    with pytest.raises(ModelError, match="limit"):
        load_model_bytes(b"0" * 2048, limit=1024)
    with pytest.raises(ModelError, match="No such model file"):
        load_model_file(tmp_path / "missing.keras")


def test_code_inside_a_model_file_is_never_run(tmp_path):
    unsafe = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                               keras.layers.Lambda(lambda x: x * 2), keras.layers.Dense(10)])
    with pytest.raises(ModelError, match=r"Layer 2 \(Lambda\) is not one of the playground's layers"):
        load_model_file(saved(unsafe, tmp_path / "lambda.keras"))


def test_a_keras_tutorial_model_is_rebuilt_by_the_engine_with_its_own_weights(tmp_path):
    original = keras.Sequential([
        keras.Input((28, 28, 1)),
        keras.layers.Conv2D(6, (5, 5), padding="same", activation="tanh"),
        keras.layers.BatchNormalization(),
        keras.layers.AveragePooling2D((2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(32, activation="leaky_relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    original.layers[1].set_weights([np.full(6, 0.5), np.full(6, -0.2), np.full(6, 0.1), np.full(6, 2.0)])
    rebuilt = load_model_file(saved(original, tmp_path / "tutorial.keras"))
    assert rebuilt is not original and rebuilt.name == "playground_model"  # the engine's own build
    images = np.random.default_rng(1).random((4, 28, 28, 1)).astype("float32")
    assert np.allclose(rebuilt.predict_on_batch(images), original.predict_on_batch(images), atol=1e-5)


@pytest.mark.parametrize("model, message", [
    (keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, use_bias=False)]), "has no bias"),
    (keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, (3, 5)), keras.layers.Flatten(),
                       keras.layers.Dense(10)]), "kernel_size"),
    (keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="exponential")]), "exponential"),
    ("functional", "Only Sequential"),
])
def test_models_the_engine_cannot_rebuild_are_refused_by_name(tmp_path, model, message):
    if model == "functional":
        inputs = keras.Input((784,))
        model = keras.Model(inputs, keras.layers.Dense(10)(inputs))
    with pytest.raises(ModelError, match=message):
        load_model_file(saved(model, tmp_path / "other.keras"))


def test_filters_and_feature_maps_of_the_cnn():
    cnn = load_shipped_model("cnn")
    filters = first_conv_filters(cnn)
    assert filters.ndim == 3 and filters.shape[0] == filters.shape[1]
    digit = load_dataset("mnist").x_test[0, ..., 0]
    maps = feature_maps(cnn, digit)
    assert [name for name, _ in maps] == [layer.name for layer in cnn.layers if isinstance(layer, keras.layers.Conv2D)]
    assert maps[0][1].shape[:2] == (26, 26) and maps[0][1].shape[2] == filters.shape[2]
    assert (maps[0][1] >= 0).all() and maps[0][1].max() > 0  # ReLU outputs, and the digit lit something up
    assert feature_maps(load_shipped_model("mlp"), digit) == []
    with pytest.raises(ModelError, match="no convolution"):
        first_conv_filters(load_shipped_model("mlp"))


CRAFTED_MESSAGES = {
    "config_is_a_list": "the model's 'config' should be a JSON object",
    "layers_are_integers": "layer entry 2 should be a JSON object, not 1",
    "layers_is_an_object": "its 'layers' should be a list",
    "layer_config_is_a_list": "layer 2's config should be a JSON object",
    "class_name_is_a_list": "Only Sequential models",
    "layer_class_is_an_object": "is not one of the playground's layers",
    "top_level_is_a_list": "not a Keras model config",
    "units_nan": "units must be between 1 and 4096, got NaN",
    "units_infinity": "units must be between 1 and 4096, got Infinity",
    "units_huge_exponent": "units must be between 1 and 4096, got Infinity",
    "units_a_list": "units must be a whole number",
    "kernel_size_nested": "has kernel_size",
    "input_shape_of_strings": "does not say what input it takes",
    "input_shape_nan": "does not say what input it takes",
    "regularizer_of_another_kind": "kernel regularizer 'L1L2'",
    "regularizer_rate_nan": "regularizer_rate must be between 0 and 1, got NaN",
    "deeply_nested": "nested thousands of levels deep",
    "thousands_of_layers": "5,002 layers; the playground loads at most 100",
}


def test_every_crafted_config_has_its_expected_message():
    assert set(CRAFTED_MESSAGES) == set(CRAFTED_CONFIGS)


@pytest.mark.parametrize("name", list(CRAFTED_CONFIGS))
def test_a_crafted_model_file_gets_a_clear_message(tmp_path, name):
    path = write_model_zip(tmp_path / f"{name}.keras", CRAFTED_CONFIGS[name])
    with pytest.raises(ModelError, match=re.escape(CRAFTED_MESSAGES[name])):
        load_model_file(path)
    with pytest.raises(ModelError, match=re.escape(CRAFTED_MESSAGES[name])):  # the same bytes uploaded on a page
        load_model_bytes(path.read_bytes())


def test_a_config_that_unpacks_far_past_the_limit_is_refused_before_reading_it(tmp_path):
    bomb = write_config_bomb(tmp_path / "bomb.keras", 40 * 1024**2)  # bench/ uses the full 190 MB one
    assert bomb.stat().st_size < 100 * 1024  # under 100 KB on disk
    tracemalloc.start()
    try:
        with pytest.raises(ModelError, match=r"config.json unpacks to 40 MB; the limit is 4 MB"):
            load_model_bytes(bomb.read_bytes())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024**2, f"{peak / 1024**2:.0f} MB allocated: the config was read"


def test_a_regularized_model_round_trips_through_save_and_safe_loading(tmp_path):
    network = NetworkSpec((
        layer("Conv2D", filters=4, regularizer="l2", regularizer_rate=0.003), layer("MaxPooling2D"),
        layer("Flatten"), layer("Dense", units=16, regularizer="l1", regularizer_rate=0.01),
        layer("Dense", units=10, activation="softmax"),
    ))
    original = build_model(network, (28, 28, 1), 10, seed=5)
    path = saved(original, tmp_path / "regularized.keras")
    with zipfile.ZipFile(path) as archive:
        read, _ = network_from_keras_config(json.loads(archive.read("config.json")))
    assert read == network  # the regularizers and their rates come back as they were
    rebuilt = load_model_file(path)
    assert rebuilt is not original
    assert isinstance(rebuilt.layers[0].kernel_regularizer, keras.regularizers.L2)
    assert rebuilt.layers[0].kernel_regularizer.l2 == pytest.approx(0.003)
    assert isinstance(rebuilt.layers[3].kernel_regularizer, keras.regularizers.L1)
    images = np.random.default_rng(2).random((3, 28, 28, 1)).astype("float32")
    assert np.allclose(rebuilt.predict_on_batch(images), original.predict_on_batch(images), atol=1e-6)


def test_a_swish_network_trained_here_loads_back(tmp_path):
    """Keras saves the swish activation as 'silu'; the playground's own models must still load on the Draw page."""
    network = NetworkSpec((layer("Flatten"), layer("Dense", units=8, activation="swish"),
                           layer("Dense", units=10, activation="softmax")))
    rebuilt = load_model_file(saved(build_model(network, (28, 28, 1), 10), tmp_path / "swish.keras"))
    assert rebuilt.layers[1].activation.__name__ in ("silu", "swish")
