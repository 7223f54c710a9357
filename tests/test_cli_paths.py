"""python -m playground paths: JSON paths that start at the start, divergence steps, names in --help, bad input."""

import json

import pytest

from playground.cli import main
from playground.core.specs import OPTIMIZERS
from playground.optim.races import default_learning_rate
from playground.optim.surfaces import SURFACES


def run_cli(capsys, *args):
    code = main(["paths", *args])
    return code, json.loads(capsys.readouterr().out)


def test_prints_paths_from_the_start_and_the_divergence_step(capsys):
    code, out = run_cli(capsys, "--surface", "bowl", "--optimizers", "sgd,adam", "--steps", "40", "--start", "1,1",
                        "--learning-rate", "0.3")
    assert code == 0 and out["surface"] == "bowl"
    assert set(out["paths"]) == {"sgd", "adam"}
    for path in out["paths"].values():
        assert path[0] == [1.0, 1.0, 5.5]  # x, y, loss = 1/2 + 5
    assert out["diverged"] == {"sgd": 2, "adam": None}  # 1 − 10·0.3 = −2: y = 1, −2, 4
    assert len(out["paths"]["sgd"]) == 2 and len(out["paths"]["adam"]) == 41
    assert out["learning_rates"] == {"sgd": 0.3, "adam": 0.3}


def test_without_a_learning_rate_each_optimizer_uses_its_default_for_the_surface(capsys):
    code, out = run_cli(capsys, "--surface", "rosenbrock", "--optimizers", "momentum,lion", "--steps", "5",
                        "--noise", "0.1", "--seed", "1")
    assert code == 0
    assert out["learning_rates"] == {name: default_learning_rate("rosenbrock", name) for name in ("momentum", "lion")}
    assert out["paths"]["lion"][0][:2] == list(SURFACES["rosenbrock"].start)


def test_help_lists_surfaces_and_optimizers(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["paths", "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert all(name in text for name in SURFACES) and all(name in text for name in OPTIMIZERS)


@pytest.mark.parametrize("args, message", [
    (["--surface", "moon", "--optimizers", "sgd"], "invalid choice"),
    (["--surface", "bowl", "--optimizers", "sgd,rocket"], "unknown optimizer rocket"),
    (["--surface", "bowl", "--optimizers", "sgd", "--start", "1"], "expected X,Y"),
    (["--surface", "bowl", "--optimizers", "sgd", "--start", "9,9"], "outside the plotted region"),
    (["--surface", "bowl", "--optimizers", "sgd", "--steps", "0"], "Steps must be between"),
])
def test_bad_arguments_exit_2_with_one_line(capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        main(["paths", *args])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and message in error and error.count("\n") == 1
