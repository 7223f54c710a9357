"""python -m playground forecast: a JSON line per epoch, then the test MAE of every forecast; bad input exits 2."""

import json
import subprocess
import sys

import pytest


def playground(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_forecast_prints_each_epoch_and_the_test_mae_of_every_forecast():
    done = playground("forecast", "--series", "co2", "--epochs", "2", "--units", "8", "--horizon", "12", "--seed", "1")
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    epochs, summary = lines[:-1], lines[-1]["summary"]
    assert [row["epoch"] for row in epochs] == [1, 2]
    assert {"lstm", "val_lstm", "dense", "val_dense", "seconds"} <= set(epochs[0])
    assert set(summary["test_mae"]) == {"naive", "seasonal", "lstm", "dense"}
    assert summary["test_mae"]["naive"] == pytest.approx(1.1273, abs=1e-3)  # CO₂'s month-to-month steps, in ppm
    assert summary["multi_step_horizon"] == 12 and summary["status"] == "finished"


def test_a_csv_series_with_a_gru(tmp_path):
    path = tmp_path / "wave.csv"
    path.write_text("t,value\n" + "\n".join(f"{t},{(t % 12) - 5.5}" for t in range(120)) + "\n")
    done = playground("forecast", "--csv", str(path), "--recurrent", "GRU", "--epochs", "1", "--window", "12",
                      "--season", "12", "--units", "4")
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout.splitlines()[-1])["summary"]
    assert set(summary["test_mae"]) == {"naive", "seasonal", "gru", "dense"}
    assert summary["test_mae"]["seasonal"] == 0.0  # a series that repeats every 12 steps exactly


@pytest.mark.parametrize("args, message", [
    (["--window", "0"], "window"), (["--window", "400"], "window"), (["--epochs", "0"], "Epochs"),
    (["--series", "gold"], "invalid choice"), (["--season", "-1"], "--season"), (["--csv", "/no/such.csv"], "such"),
    (["--learning-rate", "fast"], "invalid float"),
])
def test_bad_arguments_exit_2_with_one_line(args, message):
    done = playground("forecast", *args)
    assert done.returncode == 2, args
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("error:") and message in done.stderr


def test_a_csv_with_a_gap_is_refused_with_its_row(tmp_path):
    path = tmp_path / "gap.csv"
    path.write_text("1\n2\n\n" + "3\n" * 50)
    done = playground("forecast", "--csv", str(path))
    assert done.returncode == 2 and "Row 3 has no value" in done.stderr
