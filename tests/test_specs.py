"""Specs: validation messages a user can act on, and the JSON round-trip."""

import json

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
])
def test_malformed_specs_get_a_clear_message(text, words):
    with pytest.raises(SpecError, match=words):
        from_json(text)


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
