"""python -m playground quantize / prune: JSON summaries, files that load back safely, bad arguments."""

import json

import numpy as np
import pytest

from playground.digits.loading import load_model_file
from playground.shrink.prune import sparsity_of
from playground.shrink.quantize import quantized_layers
from tests.test_cli import playground


def test_quantize_writes_an_int8_file_and_a_summary(tmp_path):
    out = tmp_path / "mlp-int8.keras"
    done = playground("quantize", "--model", "mlp", "--mode", "int8", "--out", str(out), "--test-samples", "500")
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    assert {"size_bytes", "float32_size_bytes", "size_ratio", "mnist_test_accuracy", "float32_mnist_test_accuracy",
            "drawn_accuracy", "ms_per_image", "float32_ms_per_image", "int8_layers", "device", "out"} <= set(summary)
    assert summary["size_bytes"] == out.stat().st_size and summary["size_ratio"] < 0.4
    assert abs(summary["mnist_test_accuracy"] - summary["float32_mnist_test_accuracy"]) < 0.01
    assert quantized_layers(load_model_file(out)) == summary["int8_layers"] and summary["int8_layers"]


def test_prune_prints_epochs_then_a_summary(tmp_path):
    out = tmp_path / "pruned.keras"
    done = playground("prune", "--model", "mlp", "--sparsity", "0.7", "--fine-tune-epochs", "1",
                      "--fine-tune-samples", "1000", "--eval-samples", "500", "--out", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["epoch"] for row in lines[:-1]] == [1]
    summary = lines[-1]["summary"]
    assert summary["sparsity"] == pytest.approx(0.7, abs=1e-4)
    assert summary["pruned_zipped_bytes"] < summary["dense_zipped_bytes"]
    assert summary["fine_tuned_accuracy"] > 0.9 and "sweep" not in summary
    assert np.isclose(sparsity_of(load_model_file(out)), summary["sparsity"])


@pytest.mark.parametrize("args, message", [
    (("quantize", "--mode", "int3"), "invalid choice"),
    (("quantize", "--model", "nothing.keras"), "No such model file"),
    (("quantize", "--out", "model.h5"), "ending in .keras"),
    (("prune", "--sparsity", "1.5"), "between 0.1 and 0.95"),
    (("prune", "--fine-tune-epochs", "-1"), "between 0 and 10"),
    (("prune", "--model", "vgg"), "--model must be"),
])
def test_bad_arguments_exit_2_with_one_line(args, message):
    done = playground(*args, timeout=60)
    assert done.returncode == 2 and message in done.stderr and done.stderr.count("\n") == 1, done.stderr
