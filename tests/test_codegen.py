"""The generated Keras script builds the same network and runs as it is."""

import subprocess
import sys
from dataclasses import replace

import pytest

from playground.core.build import build_model
from playground.core.codegen import experiment_script
from playground.core.datasets import DATASETS, MNIST_PATH
from playground.core.presets import PRESETS
from playground.core.specs import Experiment, NetworkSpec, TrainConfig, layer


@pytest.mark.parametrize("name", list(PRESETS))
def test_generated_model_matches_the_engine(name):
    experiment = PRESETS[name].experiment
    script = experiment_script(experiment)
    compile(script, f"{name}.py", "exec")
    namespace = {"__name__": "generated"}  # not __main__: loads the data and defines build_model(), no training
    exec(script, namespace)  # noqa: S102 -- our own generated script, the subject of this test
    generated = namespace["build_model"]()
    ours = build_model(experiment.network, generated.input_shape[1:], 10)
    assert generated.count_params() == ours.count_params()
    assert [type(l).__name__ for l in generated.layers] == [type(l).__name__ for l in ours.layers]


def test_generated_script_trains_end_to_end(tmp_path):
    experiment = Experiment(
        NetworkSpec((layer("Conv2D", filters=4, strides=2, padding="same"), layer("Flatten"),
                     layer("Dense", units=10, activation="linear"))),
        TrainConfig(optimizer="nesterov", learning_rate=0.01, epochs=1, batch_size=64, train_samples=300))
    script = tmp_path / "train.py"
    script.write_text(experiment_script(experiment))
    assets = (tmp_path / "assets" / "data")
    assets.mkdir(parents=True)
    (assets / "mnist.npz").symlink_to(MNIST_PATH)
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "test accuracy:" in done.stdout
    assert (tmp_path / "model.keras").exists()


def test_random_data_script_uses_flat_inputs():
    script = experiment_script(replace(PRESETS["random"].experiment))
    assert "keras.Input(shape=(100,))" in script and "uniform" in script


@pytest.mark.parametrize("name", list(DATASETS))
def test_the_script_takes_its_data_and_input_shape_from_the_dataset_table(name):
    network = NetworkSpec((layer("Flatten"), layer("Dense", units=10, activation="softmax")))
    script = experiment_script(Experiment(network, TrainConfig(dataset=name)))
    assert DATASETS[name].code in script
    assert f"keras.Input(shape={DATASETS[name].input_shape!r})" in script
