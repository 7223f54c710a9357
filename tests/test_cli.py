"""The command line: python -m playground presets / train."""

import json
import subprocess
import sys

import keras


def playground(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_presets_lists_the_three_lecture_demos():
    done = playground("presets")
    assert done.returncode == 0
    names = [json.loads(line)["name"] for line in done.stdout.splitlines()]
    assert names == ["random", "mlp", "cnn"]


def test_train_prints_a_line_per_epoch_and_a_summary(tmp_path):
    saved = tmp_path / "mlp.keras"
    done = playground("train", "--preset", "mlp", "--epochs", "2", "--batch-size", "64", "--train-samples", "500",
                      "--optimizer", "adam", "--learning-rate", "0.002", "--seed", "3", "--save", str(saved))
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    epochs, summary = lines[:-1], lines[-1]["summary"]
    assert [row["epoch"] for row in epochs] == [1, 2]
    assert {"epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds"} <= set(epochs[0])
    assert {"best_epoch", "best_val_accuracy", "test_accuracy", "train_seconds", "samples_per_second",
            "device"} <= set(summary)
    assert 0.1 < summary["test_accuracy"] <= 1.0
    model = keras.saving.load_model(saved, safe_mode=True)
    assert model.output_shape == (None, 10)


def test_bad_arguments_exit_nonzero_with_one_line():
    for args in (["train", "--preset", "resnet"], ["train", "--preset", "mlp", "--epochs", "0"],
                 ["train", "--preset", "mlp", "--learning-rate", "fast"], ["train", "--preset", "mlp", "--save", "x.h5"],
                 ["train", "--preset", "mlp", "--batch-size", "900", "--train-samples", "100"], ["fly"]):
        done = playground(*args)
        assert done.returncode == 2, args
        assert done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("error:"), done.stderr
