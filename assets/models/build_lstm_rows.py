"""Train the shipped row-reading LSTM, assets/models/lstm_rows.keras, on the bundled MNIST with a fixed seed.

    nice -n 10 .venv/bin/python assets/models/build_lstm_rows.py              # 25-35 min on 2 busy CPU cores
    .venv/bin/python assets/models/build_lstm_rows.py --epochs 1 --out /tmp/x.keras   # a quick try

A digit is read as a sequence: 28 steps, one row of 28 pixels each, top to bottom. The network is LSTM(128) and
Dense(10, softmax). It is trained to answer after every row, not only after the last one (a cross-entropy on
each row's answer, the last row weighted most): so after row k its answer is its best guess from the top k rows,
and the Draw page can show it changing its mind as more of the digit is revealed. The shipped file answers after
the last row only (the same weights; playground.sequences.rows rebuilds the row-by-row view from them).
Accuracies go to assets/models/lstm_rows.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playground.core.datasets import load_mnist_arrays  # noqa: E402
from playground.sequences.rows import (  # noqa: E402
    LSTM_ROWS_METRICS,
    LSTM_ROWS_PATH,
    ROW_UNITS,
    row_weights,
    rows_model,
)

SEED = 21
VALIDATION = 5_000  # the last 5,000 training digits, as everywhere in the playground
# Adam's step size by epoch: smaller steps at the end settle the weights (+0.2-0.3% accuracy over a constant rate).
LEARNING_RATES = ((1, 1e-3), (19, 3e-4), (25, 1e-4))  # (from epoch, rate)


def learning_rate(epoch: int) -> float:
    return [rate for start, rate in LEARNING_RATES if epoch >= start][-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=28)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--out", type=Path, default=LSTM_ROWS_PATH)
    args = parser.parse_args()

    import keras

    keras.utils.set_random_seed(SEED)  # a build script of its own: nothing else trains in this process
    raw = load_mnist_arrays()
    x = raw["x_train"].astype(np.float32) / 255.0
    y = raw["y_train"].astype(np.int32)
    x_train, y_train, x_val, y_val = x[:-VALIDATION], y[:-VALIDATION], x[-VALIDATION:], y[-VALIDATION:]
    x_test, y_test = raw["x_test"].astype(np.float32) / 255.0, raw["y_test"].astype(np.int32)

    trainer = rows_model(every_row=True, seed=SEED)  # one answer per row
    trainer.compile(keras.optimizers.Adam(learning_rate(1)), "sparse_categorical_crossentropy", weighted_metrics=[])
    per_row = np.repeat(y_train[:, None], 28, axis=1)
    weights = np.broadcast_to(row_weights(), per_row.shape)
    best = (-1.0, 0, None)
    started = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        trainer.optimizer.learning_rate.assign(learning_rate(epoch))
        trainer.fit(x_train, per_row, sample_weight=weights, batch_size=args.batch_size, epochs=1, verbose=0)
        val = float(np.mean(trainer.predict(x_val, batch_size=1000, verbose=0)[:, -1].argmax(1) == y_val))
        print(f"epoch {epoch}: validation accuracy {val:.4f} ({time.perf_counter() - started:.0f} s)", flush=True)
        if val > best[0]:
            best = (val, epoch, trainer.get_weights())
    seconds = time.perf_counter() - started
    trainer.set_weights(best[2])
    shipped = rows_model(every_row=False, seed=SEED)
    shipped.set_weights(trainer.get_weights())
    answers = trainer.predict(x_test, batch_size=1000, verbose=0).argmax(2)  # (n, 28): the answer after each row
    test = float(np.mean(shipped.predict(x_test, batch_size=1000, verbose=0).argmax(1) == y_test))
    assert abs(test - float(np.mean(answers[:, -1] == y_test))) < 1e-3, "both views must answer alike at the end"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    shipped.save(args.out)
    metrics = {
        "title": "LSTM, row by row",
        "layers": [f"LSTM({ROW_UNITS})", "Dense(10, softmax)"],
        "parameters": int(shipped.count_params()),
        "epochs": args.epochs,
        "learning_rates": {str(start): rate for start, rate in LEARNING_RATES},
        "best_epoch": best[1],
        "seed": SEED,
        "train_seconds": round(seconds),
        "mnist_validation_accuracy": round(best[0], 4),
        "mnist_test_accuracy": round(test, 4),
        "test_accuracy_after_row": {str(row): round(float(np.mean(answers[:, row - 1] == y_test)), 4)
                                    for row in (7, 10, 14, 18, 21, 24, 28)},
    }
    if args.out == LSTM_ROWS_PATH:
        LSTM_ROWS_METRICS.write_text(json.dumps(metrics, indent=2) + "\n")
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
