"""The compiled training loop: up to 64 epochs of minibatch steps per call, in one TensorFlow graph.

Why: one model.fit call per epoch on 250 points costs more in Python than in arithmetic (callbacks, iterators,
a new data adapter each time). Here the data are tensors already, and one call of a tf.function runs K epochs:
each epoch visits the training points in its own seeded order (batch_order, drawn in NumPy so that the same
batches can be given to model.fit), takes one optimizer step per batch exactly as Keras' train_step does
(model.compute_loss, the compiled optimizer), and then measures the whole training and test sets. The loop stops
at the first epoch whose loss or weights blow up, so the caller can go back to the last good one.

No XLA: on a CPU, XLA's while loops over such tiny steps ran 3-7× slower than the plain graph (bench/boundaries).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from playground.boundaries.datasets import CLASSIFICATION, PointSet
from playground.boundaries.features import transform
from playground.boundaries.network import NetSpec, make_loss

MAX_EPOCHS_PER_CALL = 64
DIVERGED_LOSS = 1e3  # cross-entropy on probabilities stops near 16 (Keras clips them), MSE on ±1 targets near 4
MAX_WEIGHT = 1e4  # a saturated network can keep its loss finite while its weights run away
COLUMNS = ("loss", "accuracy", "test_loss", "test_accuracy", "max_weight")


def batch_order(n: int, seed: int, epoch: int) -> np.ndarray:
    """The order in which epoch `epoch` (1-based) visits the n training points; batches are its consecutive slices."""
    return np.random.default_rng([seed, 2, epoch]).permutation(n)


def targets(points: PointSet, train: bool | None = None) -> np.ndarray:
    """What the network must output: one-hot class rows (float32), or a column of regression targets."""
    y = points.y if train is None else (points.y_train if train else points.y_test)
    if points.task == CLASSIFICATION:
        return np.eye(points.classes, dtype=np.float32)[y]
    return y.astype(np.float32).reshape(-1, 1)


def healthy(rows: np.ndarray) -> np.ndarray:
    """Per measured epoch: True unless the loss or the weights blew up (NaN compares False, so it is caught)."""
    return (rows[:, 0] < DIVERGED_LOSS) & (rows[:, 4] < MAX_WEIGHT)


class CompiledLoop:
    """K epochs per call on one compiled model. Create in the thread that trains; call run() repeatedly."""

    def __init__(self, model: Any, points: PointSet, spec: NetSpec) -> None:
        import tensorflow as tf

        self.model, self.spec = model, spec
        self.classification = points.task == CLASSIFICATION
        self.n = int(points.train.sum())
        self.full, self.rest = divmod(self.n, spec.batch_size)
        self.x = tf.constant(transform(points.x_train, spec.features))
        self.y = tf.constant(targets(points, train=True))
        self.x_test = tf.constant(transform(points.x_test, spec.features))
        self.y_test = tf.constant(targets(points, train=False))
        self.data_loss = make_loss(spec, points.task)  # measured without the regularization penalty
        # Build what model.fit would build before its first step, outside the graph: the optimizer's slots and
        # the compiled loss, so that tracing the loop creates no variables.
        model.optimizer.build(model.trainable_variables)
        model.compute_loss(x=self.x[:1], y=self.y[:1], y_pred=model(self.x[:1], training=False), training=False)
        self._epochs = tf.function(self._epochs_graph, reduce_retracing=True, autograph=False)
        self._measure = tf.function(self._measure_graph, autograph=False)

    def _step(self, x: Any, y: Any) -> None:
        """One minibatch step, as keras' TensorFlow train_step computes it."""
        import tensorflow as tf

        model = self.model
        with tf.GradientTape() as tape:
            prediction = model(x, training=True)
            loss = model.compute_loss(x=x, y=y, y_pred=prediction, training=True)
        gradients = tape.gradient(loss, model.trainable_variables)
        model.optimizer.apply_gradients(zip(gradients, model.trainable_variables))

    def _scores(self, x: Any, y: Any) -> tuple[Any, Any]:
        import tensorflow as tf

        prediction = self.model(x, training=False)
        loss = self.data_loss(y, prediction)
        if not self.classification:
            return loss, tf.constant(float("nan"))
        hits = tf.equal(tf.argmax(prediction, axis=1), tf.argmax(y, axis=1))
        return loss, tf.reduce_mean(tf.cast(hits, tf.float32))

    def _measure_graph(self) -> Any:
        import tensorflow as tf

        loss, accuracy = self._scores(self.x, self.y)
        test_loss, test_accuracy = self._scores(self.x_test, self.y_test)
        largest = tf.reduce_max(tf.stack([tf.reduce_max(tf.abs(v)) for v in self.model.trainable_variables]))
        return tf.stack([loss, accuracy, test_loss, test_accuracy, largest])

    def _epochs_graph(self, orders: Any, epochs: Any) -> tuple[Any, Any]:
        """Explicit while loops (autograph off): converting Keras' code with autograph made tracing 3× slower."""
        import tensorflow as tf

        batch = self.spec.batch_size

        def one_epoch(e: Any, rows: Any, ok: Any) -> tuple[Any, Any, Any]:
            order = orders[e]
            if self.full:
                batches = tf.reshape(order[:self.full * batch], [self.full, batch])

                def one_batch(b: Any) -> Any:
                    self._step(tf.gather(self.x, batches[b]), tf.gather(self.y, batches[b]))
                    return (b + 1,)

                tf.while_loop(lambda b: b < self.full, one_batch, (tf.constant(0),))
            if self.rest:
                last = order[self.full * batch:]
                self._step(tf.gather(self.x, last), tf.gather(self.y, last))
            row = self._measure_graph()  # after the steps: tf.function orders stateful ops as written
            return e + 1, rows.write(e, row), tf.logical_and(row[0] < DIVERGED_LOSS, row[4] < MAX_WEIGHT)

        rows = tf.TensorArray(tf.float32, size=MAX_EPOCHS_PER_CALL, element_shape=[len(COLUMNS)])
        done, rows, _ = tf.while_loop(lambda e, rows, ok: tf.logical_and(e < epochs, ok), one_epoch,
                                      (tf.constant(0), rows, tf.constant(True)))
        return rows.stack(), done

    def trace(self) -> None:
        """Trace the loop now (a second or more for deep networks), so that the first call trains at full speed."""
        import tensorflow as tf

        self._epochs.get_concrete_function(tf.TensorSpec((MAX_EPOCHS_PER_CALL, self.n), tf.int32),
                                           tf.TensorSpec((), tf.int32))

    def measure(self) -> np.ndarray:
        """The COLUMNS at the current weights (no training)."""
        return self._measure().numpy()

    def run(self, first_epoch: int, epochs: int) -> np.ndarray:
        """Train epochs first_epoch, first_epoch + 1, ... (at most MAX_EPOCHS_PER_CALL); returns one row of COLUMNS
        per epoch trained. Training stops after the first unhealthy epoch, whose row is the last one returned."""
        import tensorflow as tf

        epochs = min(max(int(epochs), 1), MAX_EPOCHS_PER_CALL)
        orders = np.zeros((MAX_EPOCHS_PER_CALL, self.n), np.int32)
        for j in range(epochs):
            orders[j] = batch_order(self.n, self.spec.seed, first_epoch + j)
        rows, done = self._epochs(tf.constant(orders), tf.constant(epochs))
        return rows.numpy()[:int(done)]
