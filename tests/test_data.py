"""Bundled data: the official MNIST split and the random-noise set."""

import numpy as np
import pytest

from playground.core.datasets import ASSETS, DATASETS, load_dataset, load_mnist_arrays

# Label counts of the official MNIST files (LeCun et al.), per digit 0-9.
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_mnist_npz_holds_the_official_split():
    raw = load_mnist_arrays()
    assert raw["x_train"].shape == (60000, 28, 28) and raw["x_test"].shape == (10000, 28, 28)
    assert raw["x_train"].dtype == np.uint8 and raw["x_train"].max() == 255
    assert np.bincount(raw["y_train"]).tolist() == MNIST_TRAIN_COUNTS
    assert np.bincount(raw["y_test"]).tolist() == MNIST_TEST_COUNTS


def test_mnist_splits_into_55000_5000_10000_scaled_to_unit_range():
    data = load_dataset("mnist")
    assert (len(data.x_train), len(data.x_val), len(data.x_test)) == (55000, 5000, 10000)
    assert data.input_shape == DATASETS["mnist"].input_shape and len(data.x_train) == DATASETS["mnist"].train_size
    assert data.x_train.dtype == np.float32 and 0.0 <= data.x_val.min() and data.x_val.max() <= 1.0
    assert np.array_equal(data.y_val, load_mnist_arrays()["y_train"][55000:])


def test_random_noise_is_uniform_with_random_labels():
    data = load_dataset("random")
    assert (len(data.x_train), len(data.x_val), len(data.x_test)) == (8000, 2000, 2000)
    assert data.input_shape == (100,)
    assert 0.45 < data.x_train.mean() < 0.55
    counts = np.bincount(data.y_train, minlength=10)
    assert counts.min() > 700 and counts.max() < 900  # about 800 of each label, by chance


def test_head_keeps_validation_and_test():
    data = load_dataset("mnist").head(100)
    assert len(data.x_train) == 100 and len(data.x_val) == 5000 and len(data.x_test) == 10000


@pytest.mark.parametrize("name", list(DATASETS))
def test_the_table_says_what_loading_gives(name):
    entry, data = DATASETS[name], load_dataset(name)
    assert data.name == name and data.title == entry.title
    assert data.input_shape == entry.input_shape and len(data.x_train) == entry.train_size
    assert data.num_classes == entry.num_classes and set(np.unique(data.y_train)) == set(range(entry.num_classes))
    assert not data.x_train.flags.writeable  # cached and shared: read-only


@pytest.mark.parametrize("name", list(DATASETS))
def test_the_exported_data_code_makes_the_same_arrays(name, monkeypatch):
    monkeypatch.chdir(ASSETS.parent)  # the script reads assets/data/mnist.npz from where it runs
    namespace: dict = {"np": np, "keras": None}
    exec(DATASETS[name].code, namespace)  # noqa: S102 -- our own table's code, as the exported script runs it
    data = load_dataset(name)
    for split in ("train", "val", "test"):
        assert np.allclose(namespace[f"x_{split}"], getattr(data, f"x_{split}"))
        assert np.array_equal(namespace[f"y_{split}"], getattr(data, f"y_{split}"))
