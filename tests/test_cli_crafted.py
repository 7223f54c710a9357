"""Crafted and out-of-range input on the command line: `error: ...` and exit 2, never a traceback (exit 1).

In-process through playground.cli.main (one Python, one TensorFlow start-up); the crafted model files come from
tools/crafted_models.py, built here, never downloaded.
"""

import pytest

from playground.cli import main
from tools.crafted_models import write_crafted_models


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_error_line(status: int, err: str) -> bool:
    return status == 2 and err.startswith("error: ") and err.count("\n") == 1


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    return write_crafted_models(tmp_path_factory.mktemp("crafted"))


@pytest.fixture(scope="module")
def digit(tmp_path_factory):
    from PIL import Image

    path = tmp_path_factory.mktemp("digit") / "one.png"
    picture = Image.new("L", (50, 50))
    picture.paste(255, (20, 10, 30, 40))
    picture.save(path)
    return str(path)


@pytest.mark.parametrize("args, message", [
    (["paths", "--surface", "rosenbrock", "--optimizers", "sgd", "--steps", "3", "--start", "-1.2,-0.5"], None),
    (["paths", "--surface", "bowl", "--optimizers", "sgd", "--steps", "3", "--start=-1e-3,.5"], None),
    (["paths", "--surface", "bowl", "--optimizers", "sgd", "--noise", "0.1", "--seed", "-1"], "noise seed must be"),
    (["paths", "--surface", "bowl", "--optimizers", "sgd", "--learning-rate", "-0.5"], "above 0"),
    (["paths", "--surface", "bowl", "--optimizers", "sgd", "--learning-rate", "-1e-3"], "above 0"),
    (["paths", "--surface", "bowl", "--optimizers", "sgd", "--noise", "-.5"], "gradient noise must be"),
    (["paths", "--surface", "bowl", "--optimizers", "sgd", "--steps", "-3"], "Steps must be between"),
    (["train", "--preset", "mlp", "--seed", "-1"], "seed must be between"),
    (["train", "--preset", "mlp", "--learning-rate", "-0.1"], "learning_rate must be between"),
    (["gan-sample", "--n", "3", "--seed", "-1", "--out", "x.png"], "--seed must be between"),
    (["gan-sample", "--n", "-3", "--out", "x.png"], "--n must be between"),
])
def test_negative_numbers_are_read_as_values_and_then_range_checked(capsys, args, message):
    status, out, err = run(capsys, *args)
    if message is None:
        assert status == 0 and out.startswith("{"), err
    else:
        assert one_error_line(status, err) and message in err, err


def test_crafted_model_files_are_refused_by_predict(capsys, crafted, digit):
    for name, path in crafted.items():
        status, out, err = run(capsys, "predict", "--model", str(path), digit)
        assert one_error_line(status, err) and str(path) in err and out == "", (name, err)


def test_gan_sample_refuses_crafted_files_and_models_that_are_not_generators(capsys, crafted, tmp_path):
    from playground.digits.classifiers import SHIPPED

    out_file = str(tmp_path / "grid.png")
    for name, path in {**crafted, "the shipped CNN": SHIPPED["cnn"].path}.items():
        status, out, err = run(capsys, "gan-sample", "--n", "4", "--out", out_file, "--generator", str(path))
        assert one_error_line(status, err) and out == "", (name, err)
    assert "not a digit generator" in err  # the CNN: it loads, but takes an image and gives 10 scores


def test_gan_sample_refuses_an_output_it_cannot_write_before_sampling(capsys, tmp_path):
    folder = tmp_path / "grid.png"
    folder.mkdir()
    (tmp_path / "file").write_text("x")
    for out_file, message in ((folder, "is a directory"), (tmp_path / "file" / "grid.png", "is a file, not a folder")):
        status, out, err = run(capsys, "gan-sample", "--n", "4", "--out", str(out_file))
        assert one_error_line(status, err) and message in err and out == "", err
