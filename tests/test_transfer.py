"""Transfer engine: Fashion-MNIST in the dataset table, the cut, what each way freezes, the live experiment job,
and the exported script building the same models as the engine."""

import numpy as np
import pytest

from playground.core.datasets import DATASETS, FASHION_CLASSES, load_dataset
from playground.core.presets import PRESETS
from playground.digits.classifiers import load_shipped_model
from playground.digits.loading import ModelError
from playground.transfer import experiment, features
from playground.transfer.codegen import transfer_script
from tests.helpers import ROOT


def test_fashion_mnist_is_a_dataset_like_mnist():
    fashion, mnist = load_dataset("fashion"), load_dataset("mnist")
    for name in ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test"):
        assert getattr(fashion, name).shape == getattr(mnist, name).shape
        assert getattr(fashion, name).dtype == getattr(mnist, name).dtype
    assert fashion.x_train.min() == 0.0 and fashion.x_train.max() == 1.0
    assert sorted(np.unique(fashion.y_test)) == list(range(10)) and len(FASHION_CLASSES) == 10
    assert DATASETS["fashion"].input_shape == (28, 28, 1) and DATASETS["fashion"].train_size == len(fashion.x_train)
    with np.load(ROOT / "assets" / "data" / "fashion_mnist.npz") as raw:
        assert raw["x_train"].dtype == np.uint8 and raw["x_train"].shape == (60_000, 28, 28)
        assert np.array_equal(raw["x_train"][-5_000:].astype(np.float32) / 255, fashion.x_val[..., 0])


def test_the_fashion_presets_train_the_digit_networks_unchanged():
    assert PRESETS["fashion-cnn"].experiment.network == PRESETS["cnn"].experiment.network
    assert PRESETS["fashion-mlp"].experiment.network == PRESETS["mlp"].experiment.network
    assert {PRESETS[k].experiment.config.dataset for k in ("fashion-cnn", "fashion-mlp")} == {"fashion"}


def test_the_cut_is_after_the_convolution_blocks():
    cnn = load_shipped_model("cnn")
    end = features.feature_end(cnn)
    assert type(cnn.layers[end - 1]).__name__ == "Flatten"
    assert "Conv2D" not in [type(layer).__name__ for layer in cnn.layers[end:]]
    with pytest.raises(ModelError, match="no convolution"):
        features.feature_end(load_shipped_model("mlp"))


def _by_kind(model, kind):
    return [layer for layer in model.layers if type(layer).__name__ == kind]


def test_each_way_starts_from_and_freezes_the_right_weights():
    cnn = load_shipped_model("cnn")
    shipped_conv = cnn.layers[0].get_weights()[0]
    models = {way: features.transfer_model(cnn, way, num_classes=10, seed=3) for way in features.WAYS}
    head = models["frozen"].layers[features.feature_end(cnn):]
    head_params = sum(int(np.prod(w.shape)) for layer in head for w in layer.trainable_weights)
    for way in ("frozen", "finetune"):  # only the head learns (the fine-tune's first phase)
        assert features.trainable_counts(models[way])["trainable"] == head_params
        assert np.array_equal(models[way].layers[0].get_weights()[0], shipped_conv)
    assert not np.allclose(models["scratch"].layers[0].get_weights()[0], shipped_conv)
    assert all(layer.trainable for layer in models["scratch"].layers)
    features.unfreeze(models["finetune"], "finetune")  # the second phase
    assert all(layer.trainable for layer in _by_kind(models["finetune"], "Conv2D"))
    assert not any(layer.trainable for layer in _by_kind(models["finetune"], "BatchNormalization"))
    assert float(models["finetune"].optimizer.learning_rate) == pytest.approx(
        float(models["frozen"].optimizer.learning_rate) / 10)
    with pytest.raises(ValueError, match="no fine-tuning phase"):
        features.unfreeze(models["frozen"], "frozen")
    assert all(layer.trainable is False for layer in cnn.layers)  # the shared model was not touched


def test_training_moves_only_what_each_way_lets_learn():
    cnn = load_shipped_model("cnn")
    shipped = [w.copy() for w in cnn.get_weights()]
    data = load_dataset("fashion")
    x, y = data.x_train[:64], data.y_train[:64]
    end = features.feature_end(cnn)
    model = features.transfer_model(cnn, "finetune", num_classes=10, seed=1)
    head_before = model.layers[end + 1].get_weights()[0].copy()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert np.array_equal(model.layers[0].get_weights()[0], shipped[0])  # phase 1: the features are frozen
    assert not np.array_equal(model.layers[end + 1].get_weights()[0], head_before)  # the head learned
    features.unfreeze(model, "finetune")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert not np.array_equal(model.layers[0].get_weights()[0], shipped[0])  # phase 2: they move
    bn = _by_kind(model, "BatchNormalization")[0]
    assert np.array_equal(bn.get_weights()[2], cnn.layers[1].get_weights()[2])  # moving mean: kept throughout
    assert all(np.array_equal(a, b) for a, b in zip(shipped, cnn.get_weights()))


def test_examples_are_drawn_per_class_and_repeat_with_the_seed():
    labels = load_dataset("fashion").y_train
    chosen = experiment.pick_examples(labels, 5, seed=7)
    assert np.bincount(labels[chosen], minlength=10).tolist() == [5] * 10 and len(set(chosen)) == 50
    assert np.array_equal(chosen, experiment.pick_examples(labels, 5, seed=7))
    assert not np.array_equal(chosen, experiment.pick_examples(labels, 5, seed=8))
    assert experiment.epochs_for(10) == 60 and experiment.epochs_for(5000) == 5
    assert experiment.epochs_for(500) == 19  # 16 batches: ~300 updates


def test_bad_experiment_settings_are_refused_in_words():
    assert "at least one" in experiment.TransferConfig(sizes=()).problem()
    assert "between 1 and 500" in experiment.TransferConfig(sizes=(0,)).problem()
    assert "Unknown way" in experiment.TransferConfig(ways=("magic",)).problem()
    with pytest.raises(ValueError):
        experiment.TransferExperiment(config=experiment.TransferConfig(ways=()))


def test_the_experiment_job_fills_the_table_run_by_run(monkeypatch):
    monkeypatch.setattr(experiment, "EPOCH_RANGE", (5, 10))  # 10 epochs per run instead of 60: same code, quicker
    config = experiment.TransferConfig(sizes=(1,), test_size=200, seed=5)
    job = experiment.TransferExperiment(config=config)
    job.start()
    assert job.wait(600) and job.status == "finished", job.message
    assert [(r.way, r.per_class) for r in job.results] == [(w, 1) for w in features.WAYS]
    for run in job.results:  # the fine-tune trains half as many epochs again, unfrozen
        assert len(run.history) == run.epochs == (15 if run.way == "finetune" else 10)
        assert 0.0 <= run.test_accuracy <= 1.0
        assert all("val_accuracy" in row for row in run.history)  # 10 epochs: validated every epoch
    table = job.table()
    assert set(table) == set(features.WAYS) and all(table[w][1] is not None for w in table)
    assert job.results[1].trainable < job.results[0].trainable  # frozen: far fewer weights learn


def _counts(model) -> dict[str, int]:
    return {"trainable": sum(int(np.prod(w.shape)) for w in model.trainable_weights),
            "frozen": sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)}


def test_the_exported_script_builds_what_the_engine_builds(monkeypatch):
    monkeypatch.chdir(ROOT)  # the script reads assets/ relative to where it runs
    cnn = load_shipped_model("cnn")
    for way in features.WAYS:
        source = transfer_script(way, 10)
        compile(source, f"{way}.py", "exec")
        namespace: dict = {"__name__": "exported"}
        body = source[source.index("\ndef build_model"):source.index("\nif __name__")]  # no data, no global seed
        exec("import numpy as np\nimport keras\n" + body, namespace)  # noqa: S102 -- our own generated code
        script_model, engine_model = namespace["build_model"](), features.transfer_model(cnn, way, 10)
        assert _counts(script_model) == features.trainable_counts(engine_model), way
        if "unfreeze" in namespace:  # the fine-tune's second phase, in the script and in the engine
            namespace["unfreeze"](script_model)
            features.unfreeze(engine_model, way)
            assert _counts(script_model) == features.trainable_counts(engine_model), way
    assert set(namespace) >= {"unfreeze"}  # the last way is the fine-tune
    assert "features.trainable = False" in transfer_script("frozen", 10)
    assert "learning_rate=0.0001" in transfer_script("finetune", 10)
    with pytest.raises(ValueError):
        transfer_script("magic", 10)


def test_a_stopped_experiment_says_so_and_keeps_what_it_finished(monkeypatch):
    monkeypatch.setattr(experiment, "EPOCH_RANGE", (5, 5))
    train_one = experiment.TransferExperiment._train_one

    def then_stop(self, *args, **kwargs):  # the user presses Stop right after the first run ends
        train_one(self, *args, **kwargs)
        self.stop()

    monkeypatch.setattr(experiment.TransferExperiment, "_train_one", then_stop)
    job = experiment.TransferExperiment(config=experiment.TransferConfig(sizes=(1, 5), test_size=100))
    job.start()
    assert job.wait(300) and job.status == "stopped"
    assert len(job.results) == 1 and job.message == "Stopped after 1 of 6 runs."
