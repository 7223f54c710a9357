"""Specs: validation messages a user can act on, and the JSON round-trip."""

import json
import re

import pytest

from playground.core.presets import PRESETS
from playground.core.specs import (
    Experiment,
    LayerSpec,
    NetworkSpec,
    SpecError,
    TrainConfig,
    check_config,
    from_dict,
    from_json,
    layer,
    to_dict,
    to_json,
)


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_round_trip_through_json(name):
    experiment = PRESETS[name].experiment
    assert from_json(to_json(experiment)) == experiment
    assert from_dict(json.loads(json.dumps(to_dict(experiment)))) == experiment


def test_layer_fills_in_defaults_and_describes_itself():
    assert layer("Dense", units=10, activation="softmax").describe() == "Dense(10, softmax)"
    assert layer("Conv2D", filters=8, kernel_size=5, strides=2, padding="same").describe() == \
        "Conv2D(8, 5×5, stride 2, same, relu)"
    assert layer("MaxPooling2D").params == {"pool_size": 2}


@pytest.mark.parametrize("text, words", [
    ("{not json", "not valid JSON"),
    ("[]", "JSON object"),
    ('{"network": {"layers": [{"kind": "Transformer"}]}}', "unknown layer 'Transformer'"),
    ('{"network": {"layers": [{"units": 3}]}}', "'kind'"),
    ('{"network": {"layers": [{"kind": "Dense", "units": 0}]}}', "units must be between 1 and 4096"),
    ('{"network": {"layers": [{"kind": "Dense", "units": "many"}]}}', "whole number"),
    ('{"network": {"layers": [{"kind": "Dense", "activation": "magic"}]}}', "unknown activation"),
    ('{"network": {"layers": [{"kind": "Dense", "colour": 1}]}}', "unknown parameter colour"),
    ('{"network": {"layers": []}, "config": {"epochs": 10000}}', "epochs must be between 1 and 100"),
    ('{"network": {"layers": []}, "config": {"learning_rate": 0}}', "learning_rate must be between"),
    ('{"network": {"layers": []}, "config": {"learning_rate": 1e9}}', "learning_rate must be between"),
    ('{"network": {"layers": []}, "config": {"optimizer": "magic"}}', "Unknown optimizer"),
    ('{"network": {"layers": []}, "config": {"dataset": "imagenet"}}', "Unknown dataset"),
    ('{"network": {"layers": []}, "config": {"speed": 3}}', "Unknown training setting speed"),
    ('{"network": [], "config": {}}', "list 'layers'"),
    # Crafted links (issue 17): numbers that are not finite, brackets thousands deep, values of the wrong type.
    ('{"network": {"layers": [{"kind": "Dense", "units": NaN}]}}', "units must be between 1 and 4096, got NaN"),
    ('{"network": {"layers": [{"kind": "Dense", "units": Infinity}]}}', "between 1 and 4096, got Infinity"),
    ('{"network": {"layers": [{"kind": "Dense", "units": -Infinity}]}}', "got -Infinity"),
    ('{"network": {"layers": [{"kind": "Dropout", "rate": NaN}]}}', "rate must be between 0 and 0.95, got NaN"),
    ('{"network": {"layers": []}, "config": {"epochs": NaN}}', "epochs must be between 1 and 100, got NaN"),
    ('{"network": {"layers": []}, "config": {"seed": 1e400}}', "seed must be between 0 and 2147483647, got Infinity"),
    ('{"network": {"layers": []}, "config": {"learning_rate": NaN}}', "learning_rate must be between 1e-06 and 100"),
    ('{"network": {"layers": []}, "config": {"train_samples": Infinity}}', "train_samples must be between"),
    ('{"network": {"layers": ' + "[" * 5000 + "]" * 5000 + "}}", "nested too deeply"),
    ("[" * 100_000, "nested too deeply"),
    ('{"network": {"layers": [{"kind": "Dense", "units": ' + "[" * 500 + "]" * 500 + "}]}}", "units must be a whole"),
    ('{"network": {"layers": [{"kind": ["Dense"]}]}}', "'kind'"),
    ('{"network": {"layers": [{"kind": "Dense", "activation": ["relu"]}]}}', "unknown activation ['relu']"),
    ('{"network": {"layers": []}, "config": {"optimizer": ["adam"]}}', "Unknown optimizer ['adam']"),
    ('{"network": {"layers": []}, "config": {"dataset": {"name": "mnist"}}}', "Unknown dataset"),
    ('{"network": {"layers": []}, "config": {"seed": ' + "9" * 5000 + "}}", "refuses to read"),
    ('{"network": {"layers": [' + ",".join(['{"kind": "Flatten"}'] * 41) + "]}}",
     "41 layers; the playground trains at most 40"),
])
def test_malformed_specs_get_a_clear_message(text, words):
    with pytest.raises(SpecError, match=re.escape(words)):
        from_json(text)


def test_a_spec_of_thousands_of_layers_is_refused_when_loaded():
    """Refused by from_dict, before an editor would draw a card per layer (10,000 took minutes and crashed a tab)."""
    layers = [{"kind": "Dense", "units": 10}] * 10_000
    with pytest.raises(SpecError, match="10,000 layers; the playground trains at most 40"):
        from_dict({"network": {"layers": layers}, "config": {}})
    assert len(from_dict({"network": {"layers": [{"kind": "Flatten"}] * 40}}).network.layers) == 40


def test_a_spec_from_before_the_regularizer_loads_with_its_default():
    old = '{"network": {"layers": [{"kind": "Flatten"}, {"kind": "Dense", "units": 10, "activation": "softmax"}]}}'
    dense = from_json(old).network.layers[1]
    assert dense.params == {"units": 10, "activation": "softmax", "regularizer": "none", "regularizer_rate": 0.01}
    assert dense == layer("Dense", units=10, activation="softmax")


def test_regularizers_round_trip_through_json():
    experiment = Experiment(NetworkSpec((layer("Conv2D", regularizer="l1", regularizer_rate=0.002), layer("Flatten"),
                                         layer("Dense", units=10, activation="softmax", regularizer="l2"))))
    assert from_json(to_json(experiment)) == experiment
    assert '"regularizer":"l1","regularizer_rate":0.002' in to_json(experiment)


def test_layer_errors_carry_the_layer_number():
    with pytest.raises(SpecError) as caught:
        from_json('{"network": {"layers": [{"kind": "Flatten"}, {"kind": "Dropout", "rate": 2}]}}')
    assert caught.value.layer == 2
    assert str(caught.value).startswith("Layer 2 (Dropout)")


def test_config_limits_reject_absurd_values():
    check_config(TrainConfig())
    for bad in (TrainConfig(batch_size=0), TrainConfig(seed=-1), TrainConfig(epochs=2.5),
                TrainConfig(learning_rate=float("nan")), TrainConfig(train_samples=3)):
        with pytest.raises(SpecError):
            check_config(bad)


def test_specs_are_plain_frozen_data():
    experiment = Experiment(NetworkSpec((LayerSpec("Flatten"),)), TrainConfig(epochs=3))
    with pytest.raises(AttributeError):
        experiment.config.epochs = 4  # type: ignore[misc]


def test_whole_numbers_written_as_floats_load_as_ints():
    """JSON's 32.0 is a whole number; Keras wants an int, so the spec holds 32 (and learning rate 1 is 1.0)."""
    experiment = from_json('{"network": {"layers": [{"kind": "Dense", "units": 32.0, "regularizer_rate": 0}]}, '
                           '"config": {"epochs": 2.0, "learning_rate": 1, "train_samples": 500.0}}')
    dense, config = experiment.network.layers[0], experiment.config
    assert type(dense.get("units")) is int and type(dense.get("regularizer_rate")) is float
    assert (type(config.epochs), type(config.learning_rate), type(config.train_samples)) == (int, float, int)
