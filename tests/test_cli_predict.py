"""python -m playground predict: rendered digits in several formats, bad files, bad models."""

import json
from pathlib import Path

import keras
import numpy as np
import pytest
from PIL import Image

from playground.cli import main
from playground.core.datasets import load_mnist_arrays
from playground.digits.classifiers import load_shipped_model, predict_probabilities
from playground.digits.preprocessing import decode_image, to_mnist
from tests.test_cli import playground
from tools.build_drawn_digits import template_strokes
from tools.strokes import draw_strokes


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> dict[str, tuple[str, int]]:
    """Digits saved the ways people have them: name -> (path, true digit)."""
    folder = tmp_path_factory.mktemp("digits")
    raw = load_mnist_arrays()
    found = {}
    # MNIST test digits blown up to photo size, black ink on white paper, as RGB JPEG and as grayscale PNG.
    for i, (kind, size) in enumerate((("jpg", 900), ("png", 333))):
        paper = 255 - np.asarray(Image.fromarray(raw["x_test"][i]).resize((size, size), Image.Resampling.BILINEAR))
        path = folder / f"mnist_{i}.{kind}"
        image = Image.fromarray(paper)
        (image.convert("RGB") if kind == "jpg" else image).save(path, quality=90)
        found[f"mnist_{i}"] = (str(path), int(raw["y_test"][i]))
    # Canvas drawings: white strokes on transparent pixels (RGBA PNG), as the page's canvas saves them.
    rng = np.random.default_rng(5)
    for digit in (3, 7):
        paths, pen = template_strokes(digit, 0, rng)
        path = folder / f"canvas_{digit}.png"
        Image.fromarray(draw_strokes(paths, pen)).save(path)
        found[f"canvas_{digit}"] = (str(path), digit)
    return found


def test_classifies_many_formats_in_one_call_like_the_page_and_reports_unreadable_ones(images, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    blank = tmp_path / "blank.png"
    Image.new("L", (64, 64), 255).save(blank)
    paths = [path for path, _ in images.values()]
    done = playground("predict", "--model", "cnn", "--batch-size", "3", *paths[:2], str(broken), *paths[2:],
                      str(blank))
    assert done.returncode == 2
    errors = done.stderr.splitlines()  # only our lines: TensorFlow's stay quiet without --verbose
    assert len(errors) == 2 and errors[0].startswith(f"error: {broken}:") and "blank" in errors[1], done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]  # the readable ones are still classified
    assert [line["image"] for line in lines] == paths
    assert [line["digit"] for line in lines] == [digit for _, digit in images.values()]
    for line in lines:
        assert len(line["probabilities"]) == 10 and sum(line["probabilities"]) == pytest.approx(1.0, abs=1e-4)
        assert line["digit"] == int(np.argmax(line["probabilities"]))
    # Exactly the page's preprocessing and model: the same probabilities in-process.
    page_digit = to_mnist(decode_image(Path(paths[-1]).read_bytes()))
    expected = predict_probabilities(load_shipped_model("cnn"), page_digit[np.newaxis])[0]
    assert np.allclose(lines[-1]["probabilities"], expected, atol=1e-5)


def predict_in_process(capsys, *args: str) -> tuple[int, str, str]:
    """The command without a new Python (and TensorFlow start-up): exit status, stdout, stderr."""
    try:
        status = main(["predict", *args])
    except SystemExit as exit:
        status = exit.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_mlp_and_own_models_can_be_chosen(capsys, images, tmp_path):
    path, digit = images["canvas_7"]
    status, out, _ = predict_in_process(capsys, "--model", "mlp", path)
    assert status == 0 and json.loads(out)["digit"] == digit
    flat = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
    flat.save(tmp_path / "flat.keras")
    status, out, _ = predict_in_process(capsys, "--model", str(tmp_path / "flat.keras"), path)
    assert status == 0 and len(json.loads(out)["probabilities"]) == 10


def test_a_model_that_is_not_an_mnist_classifier_is_refused(capsys, tmp_path, images):
    cifar = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10)])
    path = tmp_path / "cifar.keras"
    cifar.save(path)
    image = images["canvas_3"][0]
    for model, message in ((str(path), "not an MNIST classifier"), ("resnet", "must be mlp, cnn or a path"),
                           (str(tmp_path / "missing.keras"), "No such model file")):
        status, out, err = predict_in_process(capsys, "--model", model, image)
        assert status == 2 and out == ""
        assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err
