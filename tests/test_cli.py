"""The command line: python -m playground presets / train."""

import json
import subprocess
import sys

import keras


def playground(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_presets_lists_the_three_lecture_demos():
    done = playground("presets")
    assert done.returncode == 0
    names = [json.loads(line)["name"] for line in done.stdout.splitlines()]
    assert names == ["random", "mlp", "cnn", "lstm-mnist", "fashion-mlp", "fashion-cnn"]


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


def test_the_readme_paths_example_runs_as_written_with_nothing_on_stderr():
    """Negative coordinates as the README writes them, and no TensorFlow start-up lines: a quiet tool."""
    from tests.helpers import ROOT

    line = next(line for line in (ROOT / "README.md").read_text().splitlines() if "playground paths" in line)
    args = line.split("#")[0].split("-m playground", 1)[1].split()
    assert "-1.2,1" in args
    done = playground(*args)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr == ""  # TensorFlow, absl and Python warnings stay quiet without --verbose
    out = json.loads(done.stdout)
    assert out["start"] == [-1.2, 1.0] and set(out["paths"]) == {"sgd", "momentum", "adam"}


def test_verbose_is_accepted_and_still_prints_the_result():
    done = playground("paths", "--surface", "bowl", "--optimizers", "sgd", "--steps", "3", "--verbose")
    assert done.returncode == 0 and json.loads(done.stdout)["surface"] == "bowl"


def test_an_output_that_cannot_be_written_is_refused_before_training(tmp_path):
    folder = tmp_path / "model.keras"
    folder.mkdir()
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file")
    for path, message in ((folder, "is a directory"), (not_a_folder / "mlp.keras", "is a file, not a folder")):
        done = playground("train", "--preset", "mlp", "--epochs", "100", "--save", str(path))
        assert done.returncode == 2 and done.stdout == ""  # not one epoch ran
        assert done.stderr.startswith("error: ") and message in done.stderr and done.stderr.count("\n") == 1


def test_every_command_offers_verbose(capsys):
    import pytest

    from playground.cli import COMMANDS, main

    for command in COMMANDS:
        with pytest.raises(SystemExit) as exit_:
            main([command, "--help"])
        assert exit_.value.code == 0 and "--verbose" in capsys.readouterr().out, command
