"""python -m playground boundary: JSON lines per epoch and a summary, the output map as .npy, presets, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from playground.boundaries.datasets import DataSpec, generate
from playground.boundaries.points import to_csv
from playground.cli import main


def run_cli(capsys, *args) -> tuple[int, list[dict], str]:
    code = main(["boundary", *args])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


def test_prints_a_line_per_epoch_a_summary_and_saves_the_output_map(capsys, tmp_path):
    grid, model = tmp_path / "grid.npy", tmp_path / "model.keras"
    code, lines, _ = run_cli(capsys, "--dataset", "spiral", "--layers", "8,8", "--activation", "tanh", "--epochs",
                             "4", "--points", "200", "--out", str(grid), "--save", str(model))
    assert code == 0
    epochs, summary = lines[:-1], lines[-1]["summary"]
    assert [row["epoch"] for row in epochs] == [0, 1, 2, 3, 4]
    assert set(epochs[0]) == {"epoch", "loss", "accuracy", "test_loss", "test_accuracy"}
    assert summary["status"] == "finished" and summary["epochs"] == 4 and summary["points"] == 200
    assert summary["test_accuracy"] == epochs[-1]["test_accuracy"]
    assert summary["setup"]["net"]["layers"] == [[8, "tanh"], [8, "tanh"]]
    output = np.load(grid)
    assert output.shape == (100, 100) and 0 <= output.min() <= output.max() <= 1  # P(class 1) over the plane
    assert model.is_file()


def test_a_preset_with_more_classes_saves_all_probabilities(capsys, tmp_path):
    grid = tmp_path / "three.npy"
    code, lines, _ = run_cli(capsys, "--preset", "three-spirals", "--epochs", "2", "--points", "150", "--out",
                             str(grid))
    assert code == 0 and lines[-1]["summary"]["setup"]["data"]["classes"] == 3
    np.testing.assert_allclose(np.load(grid).sum(axis=-1), 1, atol=1e-5)  # (100, 100, 3) probabilities


def test_regression_has_no_accuracy_and_own_points_come_from_a_csv(capsys, tmp_path):
    code, lines, _ = run_cli(capsys, "--dataset", "plane", "--layers", "0", "--epochs", "2", "--learning-rate",
                             "0.01")
    assert code == 0 and lines[0]["accuracy"] is None and lines[-1]["summary"]["accuracy"] is None
    csv = tmp_path / "points.csv"
    csv.write_text(to_csv(generate(DataSpec("moons", points=60))))
    code, lines, _ = run_cli(capsys, "--data", str(csv), "--epochs", "1")
    assert code == 0 and lines[-1]["summary"]["points"] == 60


def test_a_learning_rate_that_blows_up_exits_1_with_the_explanation(capsys):
    code, lines, _ = run_cli(capsys, "--dataset", "circle", "--points", "120", "--layers", "8,8,8", "--activation",
                             "relu", "--learning-rate", "3", "--epochs", "50")
    summary = lines[-1]["summary"]
    assert code == 1 and summary["status"] == "diverged" and "learning rate (3)" in summary["message"]
    assert summary["epochs"] < 50 and all(np.isfinite(row["loss"]) for row in lines[:-1])


@pytest.mark.parametrize("args, message", [
    (["--dataset", "moon"], "invalid choice"),
    (["--layers", "8,x"], "expected neurons per hidden layer"),
    (["--layers", "8,8", "--activation", "tanh,relu,relu"], "3 activations for 2 hidden layers"),
    (["--features", "x3"], "unknown feature x3"),
    (["--noise", "80"], "Noise must be a whole number from 0 to 50"),
    (["--layers", "64"], "between 1 and 32"),
    (["--out", "grid.png"], "--out needs a path ending in .npy"),
    (["--data", "/nonexistent/points.csv"], "No such file"),
])
def test_bad_arguments_exit_2_with_one_line(capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        main(["boundary", "--epochs", "1", *args])
    error = capsys.readouterr().err.strip()
    assert exit_.value.code == 2 and error.startswith("error: ") and message in error, error
    assert len(error.splitlines()) == 1


def test_a_bad_csv_is_one_line(capsys, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("x1,x2,label\n1,2,0\n1,1,0\n3,3,0\n")
    with pytest.raises(SystemExit):
        main(["boundary", "--data", str(csv)])
    assert "All 3 points have the label 0" in capsys.readouterr().err
