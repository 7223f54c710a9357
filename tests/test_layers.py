"""The table of layer kinds against Keras itself: shapes, parameter counts, the exported code and reading configs back."""

import json
import random

import keras
import numpy as np
import pytest

from playground.core.build import build_model
from playground.core.codegen import experiment_script
from playground.core.datasets import MNIST_PATH
from playground.core.layers import LAYERS, LayerKind
from playground.core.params import Param, SpecError
from playground.core.specs import Experiment, LayerSpec, NetworkSpec, TrainConfig, check_layer, layer

INPUTS = [(28, 28, 1), (13, 9, 3), (100,), (6, 4)]  # images, odd images, flat vectors, (steps, features)
SEQUENCE_KINDS = ("SimpleRNN", "LSTM", "GRU", "Bidirectional")  # they read (steps, features)


def values_to_try(param: Param) -> list:
    """Every choice, or the ends of the range and a value between them."""
    if param.choices:
        return list(param.choices)
    middle = (param.low + param.high) / 2
    return [param.low, int(middle) if param.integer else round(middle, 3), param.high]


def combinations(kind: LayerKind) -> list[dict]:
    """The defaults, each parameter's values one at a time, and a few random mixes (seeded)."""
    found = [kind.defaults]
    for param in kind.params:
        found += [{**kind.defaults, param.name: value} for value in values_to_try(param)]
    rng = random.Random(kind.name)
    for _ in range(6):
        found.append({param.name: rng.choice(values_to_try(param)) for param in kind.params})
    return found


def keras_layer(kind: LayerKind, params: dict, shape: tuple[int, ...]) -> keras.layers.Layer:
    built = kind.build(params, f"{kind.name.lower()}_1", 7)
    built.build((None, *shape))
    return built


@pytest.mark.parametrize("name", list(LAYERS))
def test_shapes_and_parameter_counts_match_keras_for_every_kind(name):
    kind, compared = LAYERS[name], 0
    for params in combinations(kind):
        check_layer(LayerSpec(name, params), 1)  # every combination tried is a valid layer
        for shape in INPUTS:
            try:
                output, count = kind.output(params, shape, f"Layer 1 ({name})", 1)
            except SpecError as error:
                assert error.layer == 1 and str(error).startswith(f"Layer 1 ({name})")
                continue
            built = keras_layer(kind, params, shape)
            assert tuple(built.compute_output_shape((None, *shape))[1:]) == output, (params, shape)
            assert built.count_params() == count, (params, shape)
            compared += 1
    assert compared >= 5  # the kind was really compared, not refused everywhere


def test_what_the_table_refuses_keras_cannot_compute():
    """A kernel or pool larger than its input: our SpecError, where Keras would give an empty output."""
    for name, params, shape in [("Conv2D", {"kernel_size": 11}, (6, 6, 1)),
                                ("Conv2D", {"kernel_size": 5, "strides": 5}, (4, 9, 2)),
                                ("MaxPooling2D", {"pool_size": 8}, (7, 20, 1)),
                                ("AveragePooling2D", {"pool_size": 3}, (2, 2, 4))]:
        kind = LAYERS[name]
        params = {**kind.defaults, **params}
        with pytest.raises(SpecError, match="does not fit|below 1×1"):
            kind.output(params, shape, f"Layer 1 ({name})", 1)
        try:
            computed = keras_layer(kind, params, shape).compute_output_shape((None, *shape))
        except ValueError:
            continue  # Keras refuses it too
        assert min(computed[1:3]) < 1, (name, computed)


@pytest.mark.parametrize("name", list(LAYERS))
def test_every_kind_reads_back_its_own_keras_config(name):
    """build -> get_config -> from_keras gives the parameters back: safe loading rebuilds exactly what was saved."""
    kind = LAYERS[name]

    def refuse(what: str) -> Exception:
        return AssertionError(f"{name} refused its own config: {what}")

    shape = (20,) if name == "Dense" else (6, 4) if name in SEQUENCE_KINDS else (28, 28, 1)
    for params in combinations(kind):
        built = keras_layer(kind, params, shape)
        config = json.loads(json.dumps(built.get_config()))  # as config.json holds it: tuples become lists
        read = {**kind.defaults, **kind.from_keras(config, refuse)}
        if params.get("regularizer") == "none":
            read["regularizer_rate"] = params["regularizer_rate"]  # no regularizer: no rate in the file
        assert read == params


@pytest.mark.parametrize("name", list(LAYERS))
def test_every_parameter_has_help_and_a_range_the_editor_can_show(name):
    kind = LAYERS[name]
    assert kind.help and kind.describe(kind.defaults).startswith(name)
    for param in kind.params:
        assert param.help.endswith(".") and param.range_text
        param.check(param.default, "", 1)  # the default is allowed
        if not param.choices:
            assert param.low < param.high and isinstance(param.default, int if param.integer else float)


def test_regularizer_is_labelled_built_and_written():
    spec = layer("Dense", units=16, regularizer="l2", regularizer_rate=0.05)
    assert spec.describe() == "Dense(16, relu, L2 0.05)"
    built = LAYERS["Dense"].build(spec.full, "dense_1", 0)
    assert isinstance(built.kernel_regularizer, keras.regularizers.L2) and built.kernel_regularizer.l2 == 0.05
    conv = layer("Conv2D", regularizer="l1", regularizer_rate=0.001)
    assert "kernel_regularizer=keras.regularizers.L1(0.001)" in LAYERS["Conv2D"].code(conv.full)
    assert "regularizer" not in LAYERS["Dense"].code(layer("Dense").full)  # no regularizer: the code as before
    with pytest.raises(SpecError, match="unknown regularizer 'l3'"):
        check_layer(layer("Dense", regularizer="l3"), 1)
    with pytest.raises(SpecError, match="regularizer_rate must be between 0 and 1"):
        check_layer(layer("Conv2D", regularizer="l1", regularizer_rate=2), 1)


def test_regularizer_adds_its_penalty_to_the_loss():
    """Keras' model.losses holds rate·Σw² for L2 and rate·Σ|w| for L1: the parameter really reaches training."""
    for name, penalty in (("l2", lambda w: np.sum(w ** 2)), ("l1", lambda w: np.sum(np.abs(w)))):
        network = NetworkSpec((layer("Flatten"), layer("Dense", units=10, activation="softmax", regularizer=name,
                                                       regularizer_rate=0.1)))
        model = build_model(network, (28, 28, 1), 10, seed=3)
        model(np.zeros((1, 28, 28, 1), dtype="float32"))
        kernel = model.layers[1].kernel.numpy()
        assert float(sum(model.losses)) == pytest.approx(0.1 * penalty(kernel), rel=1e-5)


# Every kind once, on MNIST; a new kind that needs other inputs (sequences) gets its own stack here.
EVERY_KIND = (
    layer("Conv2D", filters=4, kernel_size=3, padding="same", regularizer="l2", regularizer_rate=0.001),
    layer("BatchNormalization"),
    layer("MaxPooling2D", pool_size=2),
    layer("Conv2D", filters=4, kernel_size=3, strides=2, activation="tanh"),
    layer("AveragePooling2D", pool_size=2),
    layer("Flatten"),
    layer("Dropout", rate=0.1),
    layer("Dense", units=8, regularizer="l1", regularizer_rate=0.0001),
    layer("Dense", units=10, activation="softmax"),
)


# The sequence kinds, on MNIST as rows (28 steps of 28 pixels).
EVERY_SEQUENCE_KIND = (
    layer("Bidirectional", layer="GRU", units=6, return_sequences="yes"),
    layer("SimpleRNN", units=5, activation="relu", return_sequences="yes"),
    layer("GRU", units=4, return_sequences="yes"),
    layer("LSTM", units=7),
    layer("Dense", units=10, activation="softmax"),
)


def test_the_sequence_kinds_have_the_formulas_keras_counts():
    """Per weight block W (features × units), U (units × units), bias; 4 blocks in an LSTM, 3 in a GRU (2 biases)."""
    assert LAYERS["LSTM"].output(layer("LSTM", units=128).full, (28, 28), "", 1) == ((128,), 4 * 128 * (28 + 128 + 1))
    assert LAYERS["GRU"].output(layer("GRU", units=8, return_sequences="yes").full, (5, 3), "", 1) == \
        ((5, 8), 3 * 8 * (3 + 8 + 2))
    assert LAYERS["SimpleRNN"].code(layer("SimpleRNN", units=4, return_sequences="yes").full) == \
        "layers.SimpleRNN(4, return_sequences=True)"
    for shape, words in (((28, 28, 1), "MNIST as rows"), ((100,), "flat vector")):
        with pytest.raises(SpecError, match=words):
            LAYERS["LSTM"].output(layer("LSTM").full, shape, "Layer 1 (LSTM)", 1)


@pytest.mark.parametrize("stack, dataset, shape", [(EVERY_KIND, "mnist", (28, 28, 1)),
                                                   (EVERY_SEQUENCE_KIND, "mnist-rows", (28, 28))])
def test_the_exported_code_of_every_kind_runs(tmp_path, monkeypatch, stack, dataset, shape):
    kinds = {spec.kind for spec in (*EVERY_KIND, *EVERY_SEQUENCE_KIND)}
    assert kinds == set(LAYERS), "add the new layer kind to EVERY_KIND or EVERY_SEQUENCE_KIND"
    experiment = Experiment(NetworkSpec(stack), TrainConfig(dataset=dataset, epochs=1, batch_size=32,
                                                           train_samples=64))
    (tmp_path / "assets" / "data").mkdir(parents=True)
    (tmp_path / "assets" / "data" / "mnist.npz").symlink_to(MNIST_PATH)
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}  # runs as `python train.py` would: load, build, fit, evaluate, save
    exec(compile(experiment_script(experiment), "train.py", "exec"), namespace)  # noqa: S102 -- our own script
    generated, ours = namespace["model"], build_model(experiment.network, shape, 10)
    assert len(namespace["history"].history["loss"]) == 1 and (tmp_path / "model.keras").exists()
    assert [type(l).__name__ for l in generated.layers] == [spec.kind for spec in stack]
    assert [l.count_params() for l in generated.layers] == [l.count_params() for l in ours.layers]
    assert [l.output.shape for l in generated.layers] == [l.output.shape for l in ours.layers]
