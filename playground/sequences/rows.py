"""A digit read row by row: MNIST as 28 steps of 28 pixels, and an LSTM's answer after each row (for the Draw page)."""

from __future__ import annotations

import functools
import json
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from playground.core.datasets import ASSETS

if TYPE_CHECKING:
    import keras

LSTM_ROWS_PATH = ASSETS / "models" / "lstm_rows.keras"
LSTM_ROWS_METRICS = ASSETS / "models" / "lstm_rows.json"
ROW_UNITS = 128
ROWS = COLUMNS = 28
RECURRENT = ("SimpleRNN", "LSTM", "GRU")  # layers that carry a state from row to row
LAST_ROW_WEIGHT = 10.0  # in training: the answer after the whole digit counts as much as ~30 earlier answers


class RowsError(ValueError):
    """A model that cannot show its answer row by row; the message says why."""


def as_rows(images: np.ndarray) -> np.ndarray:
    """(n, 28, 28) or (n, 28, 28, 1) or (n, 784) images in [0, 1] -> (n, 28 steps, 28 pixels) float32."""
    images = np.asarray(images, dtype=np.float32)
    if images.size % (ROWS * COLUMNS):
        raise RowsError(f"An MNIST digit has {ROWS * COLUMNS} pixels; got an array of shape {images.shape}.")
    return images.reshape(-1, ROWS, COLUMNS)


def row_weights() -> np.ndarray:
    """How much each row's answer counts in the shipped model's loss: growing with the rows seen, the last most.

    Early rows hold little of the digit (the top four are blank in MNIST), so their answers count little; the
    answer after the last row is what the accuracy measures, so it counts most.
    """
    weights = (np.arange(1, ROWS + 1, dtype=np.float32) / ROWS) ** 2
    weights[-1] = LAST_ROW_WEIGHT
    return weights


def rows_model(every_row: bool, seed: int = 0, units: int = ROW_UNITS) -> keras.Model:
    """LSTM(units) -> Dense(10, softmax) on (28, 28): one answer per row if `every_row`, else after the last row."""
    import keras

    return keras.Sequential([
        keras.Input((ROWS, COLUMNS)),
        keras.layers.LSTM(units, return_sequences=every_row, seed=seed,
                          kernel_initializer=keras.initializers.GlorotUniform(seed),
                          recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 1)),
        keras.layers.Dense(10, activation="softmax", kernel_initializer=keras.initializers.GlorotUniform(seed + 2)),
    ], name="lstm_rows")


def row_reader(model: keras.Model) -> keras.Model:
    """A twin of `model` that answers after every row: its last recurrent layer returns its whole sequence.

    The model must read (28, 28) rows with recurrent layers first and only per-step layers (Dense, Dropout,
    BatchNormalization) after them, so each later layer applies to every row's state alike. The twin shares
    no variables with `model`: it gets a copy of its weights.
    """
    import keras

    if tuple(model.inputs[0].shape[1:]) != (ROWS, COLUMNS):
        raise RowsError(f"This model takes {tuple(model.inputs[0].shape[1:])}, not 28 rows of 28 pixels.")
    kinds = [type(layer).__name__ for layer in model.layers]
    recurrent = [i for i, kind in enumerate(kinds) if kind in RECURRENT]
    if not recurrent or recurrent[0] != 0:
        raise RowsError("Only a network that starts with a recurrent layer (SimpleRNN, LSTM, GRU) reads row by row.")
    per_step = ("Dense", "Dropout", "BatchNormalization")
    if any(kind not in RECURRENT + per_step for kind in kinds):
        odd = next(kind for kind in kinds if kind not in RECURRENT + per_step)
        raise RowsError(f"A {odd} layer mixes the rows together, so this network has no answer per row.")
    config = model.get_config()
    config["layers"][1 + recurrent[-1]]["config"]["return_sequences"] = True  # layers[0] is the InputLayer
    twin = keras.Sequential.from_config(config)  # our own model's config: no file is deserialized here
    twin.set_weights(model.get_weights())
    return twin


_lock = threading.Lock()


@functools.cache
def _shipped_reader() -> keras.Model:
    reader = rows_model(every_row=True)
    reader.load_weights(LSTM_ROWS_PATH)  # weights only, into the engine's own network: no code from the file
    reader.trainable = False  # shared by every session
    reader.predict_on_batch(np.zeros((1, ROWS, COLUMNS), np.float32))  # trace once, here
    return reader


def shipped_row_reader() -> keras.Model:
    """The shipped LSTM, answering after every row; loaded once per process and shared (read-only)."""
    if not LSTM_ROWS_PATH.is_file():
        raise RowsError(f"{LSTM_ROWS_PATH.name} is missing: rebuild it with "
                        "`python assets/models/build_lstm_rows.py`.")
    with _lock:
        return _shipped_reader()


def shipped_rows_metrics() -> dict[str, Any]:
    """What build_lstm_rows.py measured ({} before it has run)."""
    try:
        return json.loads(LSTM_ROWS_METRICS.read_text())
    except (OSError, json.JSONDecodeError):
        return {}


def probabilities_per_row(reader: keras.Model, digit: np.ndarray) -> np.ndarray:
    """(28 rows, 10 digits): the reader's probabilities for each digit after it has read rows 1..k."""
    out = np.asarray(reader.predict_on_batch(as_rows(digit)[:1]), dtype=np.float64)[0]
    if out.ndim != 2 or out.shape != (ROWS, 10):
        raise RowsError(f"The reader should answer 10 probabilities after each of 28 rows, not {out.shape}.")
    return out


def mind_changes(probabilities: np.ndarray, sure: float = 0.0) -> list[tuple[int, int, float]]:
    """(row, digit, probability) each time a new digit leads with at least `sure` probability, from the first row on.

    Rows where no digit reaches `sure` are skipped: an early, unsure lead is no opinion yet.
    """
    changes, previous = [], None
    for row, p in enumerate(probabilities, start=1):
        best = int(p.argmax())
        if p[best] >= sure and best != previous:
            changes.append((row, best, float(p[best])))
            previous = best
    return changes


def accuracy_per_row(reader: keras.Model, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """(28,): the fraction of digits whose answer after row k is right."""
    answers = np.asarray(reader.predict(as_rows(images), batch_size=1000, verbose=0)).argmax(2)
    return (answers == np.asarray(labels)[:, None]).mean(axis=0)
