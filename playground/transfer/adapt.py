"""Adapt to my handwriting: fine-tune a copy of the digit CNN on the user's digits mixed with a replay of MNIST.

Fine-tuning on a handful of one person's digits alone would make the network forget the rest of the world
(catastrophic forgetting). Every batch therefore mixes the user's digits (jittered copies) with MNIST training
digits, and the result is measured both ways: on the user's digits and on the MNIST test set, before and after.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from playground.jobs.base import Job
from playground.transfer.symbols import SymbolError, SymbolSet, jitter

DIGIT_NAMES = tuple(str(d) for d in range(10))
MIN_DIGITS = 3
COPIES = 20  # jittered versions of each of the user's digits per epoch
REPLAY = 3_000  # MNIST training digits mixed in (a different draw every epoch)
EPOCHS = 3
LEARNING_RATE = 1e-4
BATCH_SIZE = 64
MNIST_TEST_SIZES = (1_000, 2_000, 10_000)


def check_digits(digits: SymbolSet) -> None:
    """SymbolError unless the set holds at least MIN_DIGITS labelled digits."""
    if digits.names != DIGIT_NAMES:
        raise SymbolError("The handwriting set has the classes 0–9.")
    if len(digits.labels) < MIN_DIGITS:
        raise SymbolError(f"Draw at least {MIN_DIGITS} digits (best: the ones the network gets wrong), each with its "
                          f"true label; you have {len(digits.labels)}.")


@dataclass(frozen=True)
class Scores:
    """Accuracy on the user's digits and on the MNIST test set, for one set of weights."""

    yours: float
    mnist: float
    predictions: tuple[int, ...] = ()  # what the network says for each of the user's digits


@dataclass
class AdaptRun(Job):
    """The fine-tune: scores before, epochs with replay, scores after; `model` holds the adapted copy."""

    failure_text = "Adapting to your handwriting failed"
    digits: SymbolSet = field(default_factory=lambda: SymbolSet(DIGIT_NAMES))
    mnist_test: int = 2_000
    epochs: int = EPOCHS
    seed: int = 0
    before: Scores | None = None
    after: Scores | None = None
    history: list[dict[str, float]] = field(default_factory=list)
    model: Any = None

    def __post_init__(self) -> None:
        check_digits(self.digits)
        if self.mnist_test not in MNIST_TEST_SIZES:
            raise ValueError(f"mnist_test must be one of {MNIST_TEST_SIZES}.")

    def _scores(self, model: Any, x_test: np.ndarray, y_test: np.ndarray) -> Scores:
        from playground.digits.classifiers import predict_probabilities

        yours = predict_probabilities(model, self.digits.images).argmax(axis=1)
        mnist = predict_probabilities(model, x_test).argmax(axis=1)
        return Scores(float(np.mean(yours == self.digits.labels)), float(np.mean(mnist == y_test)),
                      tuple(int(d) for d in yours))

    def work(self) -> None:
        import keras

        from playground.core.datasets import load_dataset
        from playground.digits.classifiers import load_shipped_model
        from playground.transfer.symbols import history_callback_class

        self.status = "preparing"
        mnist = load_dataset("mnist")
        x_test, y_test = mnist.x_test[:self.mnist_test, ..., 0], mnist.y_test[:self.mnist_test]
        shipped = load_shipped_model("cnn")
        self.before = self._scores(shipped, x_test, y_test)
        model = keras.models.clone_model(shipped)  # a copy: the shipped model is shared and must not change
        model.set_weights(shipped.get_weights())
        model.trainable = True
        for layer in model.layers:  # BatchNormalization stays frozen (inference mode), as in any fine-tune
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.trainable = False
        model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], jit_compile=False)
        rng = np.random.default_rng(self.seed)
        yours = jitter(self.digits.images, COPIES, self.seed)
        labels = np.repeat(self.digits.labels, COPIES)
        self.progress.samples = len(yours) + REPLAY
        self.progress.batches = math.ceil(self.progress.samples / BATCH_SIZE)
        self.status = "running"
        started = time.perf_counter()
        callback = history_callback_class()(self, BATCH_SIZE)
        for epoch in range(self.epochs):
            replay = rng.choice(len(mnist.x_train), REPLAY, replace=False)
            x = np.concatenate([yours[..., np.newaxis], mnist.x_train[replay]])
            y = np.concatenate([labels, mnist.y_train[replay]])
            order = rng.permutation(len(x))
            model.fit(x[order], y[order], batch_size=BATCH_SIZE, initial_epoch=epoch, epochs=epoch + 1, verbose=0,
                      callbacks=[callback])
            if self.status != "running":
                return  # stopped: the shipped model was never touched, and no half-adapted model is kept
        model.trainable = False
        self.model = model
        self.after = self._scores(model, x_test, y_test)
        self.status = "finished"
        self.message = (f"Fine-tuned on your {len(self.digits.labels)} digits with {REPLAY:,} MNIST digits replayed per "
                        f"epoch, {self.epochs} epochs in {time.perf_counter() - started:.1f} s.")
