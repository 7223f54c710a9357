"""The layer table (shapes and parameters) against Keras, and the messages for stacks that cannot train."""

from dataclasses import replace

import pytest

from playground.core.build import build_model, check_experiment, summarize
from playground.core.presets import PRESETS
from playground.core.specs import Experiment, NetworkSpec, TrainConfig, layer

MNIST = (28, 28, 1)
OUT = layer("Dense", units=10, activation="softmax")

STACKS = {
    "mlp": (layer("Flatten"), layer("Dense", units=32), layer("Dropout"), OUT),
    "conv_same_stride": (layer("Conv2D", filters=4, kernel_size=5, strides=2, padding="same"),
                         layer("BatchNormalization"), layer("AveragePooling2D", pool_size=3),
                         layer("Flatten"), OUT),
    "conv_valid_stride": (layer("Conv2D", filters=6, kernel_size=4, strides=3), layer("MaxPooling2D"),
                          layer("Conv2D", filters=3, kernel_size=1, activation="tanh"), layer("Flatten"), OUT),
    "regularized": (layer("Conv2D", filters=3, regularizer="l2", regularizer_rate=0.01), layer("Flatten"),
                    layer("Dense", units=12, regularizer="l1", regularizer_rate=0.5), OUT),
    **{name: preset.experiment.network.layers for name, preset in PRESETS.items()
       if preset.experiment.config.dataset == "mnist"},  # the images; lstm-mnist's rows: tests/test_sequences.py
}


@pytest.mark.parametrize("name", list(STACKS))
def test_shapes_and_parameter_counts_match_keras(name):
    network = NetworkSpec(STACKS[name])
    summary = summarize(network, MNIST, 10)
    assert summary.ok, summary.error
    model = build_model(network, MNIST, 10)
    assert [row.output_shape for row in summary.rows] == [tuple(l.output.shape[1:]) for l in model.layers]
    assert [row.params for row in summary.rows] == [l.count_params() for l in model.layers]
    assert summary.total_params == model.count_params()


def test_random_preset_on_flat_input():
    experiment = PRESETS["random"].experiment
    summary = check_experiment(experiment)
    assert summary.ok and summary.total_params == 100 * 1024 + 1024 + 1024 * 10 + 10


@pytest.mark.parametrize("layers, layer_no, words", [
    ((), None, "empty"),
    ((layer("Conv2D"), layer("Dense"), OUT), 2, "Add a Flatten layer before it"),
    ((layer("Flatten"), layer("Conv2D"), OUT), 2, "needs an image"),
    ((layer("Conv2D", kernel_size=11), layer("MaxPooling2D", pool_size=8), layer("Conv2D", kernel_size=3),
      layer("Flatten"), OUT), 3, "does not fit"),
    ((layer("MaxPooling2D", pool_size=8), layer("MaxPooling2D", pool_size=8), layer("Flatten"), OUT), 2,
     "below 1×1"),
    ((layer("Flatten"), layer("Dense", units=5, activation="softmax")), 2, "Set its units to 10"),
    ((layer("Flatten"), layer("Dense", units=10, activation="relu")), 2, "softmax"),
    ((layer("Flatten"), layer("Dense", units=10, activation="softmax"), layer("Dropout")), 3, "last layer"),
    ((layer("Flatten"), layer("Dense", units=0), OUT), 2, "units must be between 1 and 4096"),
])
def test_invalid_stacks_name_the_layer_and_the_fix(layers, layer_no, words):
    summary = summarize(NetworkSpec(layers), MNIST, 10)
    assert not summary.ok
    assert words in str(summary.error)
    assert summary.error.layer == layer_no
    if layer_no:
        assert f"Layer {layer_no}" in str(summary.error)


def test_conv_on_random_data_is_refused():
    experiment = Experiment(NetworkSpec((layer("Conv2D"), layer("Flatten"), OUT)), TrainConfig(dataset="random"))
    assert "needs an image" in str(check_experiment(experiment).error)


def test_huge_networks_and_batches_are_refused_before_building():
    huge = NetworkSpec((layer("Flatten"), layer("Dense", units=4096), layer("Dense", units=4096),
                        layer("Dense", units=4096), OUT))
    assert "parameters, more than this server trains" in str(summarize(huge, MNIST, 10).error)
    wide = Experiment(NetworkSpec((layer("Conv2D", filters=512, padding="same"), layer("Flatten"), OUT)),
                      TrainConfig(batch_size=4096))
    assert "Use a smaller batch size" in str(check_experiment(wide).error)


def test_batch_larger_than_the_data_is_refused():
    experiment = Experiment(PRESETS["mlp"].experiment.network, TrainConfig(batch_size=600, train_samples=500))
    assert "larger than the training set (500" in str(check_experiment(experiment).error)


def test_more_training_samples_than_the_dataset_has_are_refused():
    """Not cut silently to the whole split: what the editor shows is what trains, or nothing does."""
    experiment = Experiment(PRESETS["mlp"].experiment.network, TrainConfig(train_samples=60_000))
    assert "has 55,000 samples. Use at most 55,000" in str(check_experiment(experiment).error)
    assert check_experiment(replace(experiment, config=TrainConfig(train_samples=55_000))).ok


def test_a_kind_that_cannot_end_the_network_is_named_with_the_fix():
    summary = summarize(NetworkSpec((layer("Flatten"), layer("Dropout"))), (10,), 10)
    assert "The last layer must be Dense(10, softmax)" in str(summary.error) and summary.error.layer == 2
