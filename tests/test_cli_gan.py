"""The command line: python -m playground gan-sample (PNG grid or .npy array), and its one-line errors."""

import json
import subprocess
import sys

import numpy as np
from PIL import Image


def playground(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True, text=True, timeout=300,
                          check=False)


def test_npy_holds_mnist_like_images_of_the_digit_asked_for(tmp_path):
    out = tmp_path / "sevens.npy"
    done = playground("gan-sample", "--n", "12", "--digit", "7", "--seed", "3", "--out", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1])["digits"] == [0] * 7 + [12, 0, 0]
    images = np.load(out)
    assert images.shape == (12, 28, 28) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert images.mean() < 0.3 and images.max() > 0.9  # white ink on a black background, like MNIST


def test_png_is_a_grid(tmp_path):
    out = tmp_path / "grid.png"
    done = playground("gan-sample", "--n", "10", "--out", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    picture = Image.open(out)
    assert picture.mode == "L" and picture.size == (4 * 60 - 4, 3 * 60 - 4)  # 4×3 images of 28 px ×2, 2 px gaps ×2


def test_bad_arguments_exit_2_with_one_line(tmp_path):
    for args in (["--n", "0"], ["--n", "5", "--digit", "10"], ["--n", "5", "--seed", "-1"], ["--n", "lots"],
                 ["--n", "5", "--out", str(tmp_path / "x.jpg")], ["--n", "5", "--generator", "missing.keras"]):
        out = [] if "--out" in args else ["--out", str(tmp_path / "x.png")]
        done = playground("gan-sample", *args, *out)
        assert done.returncode == 2, args
        assert done.stderr.startswith("error: ") and len(done.stderr.strip().splitlines()) == 1, done.stderr
