"""XLA-compiled walks of real keras optimizers over the 2D surfaces: one compiled walker per optimizer kind, at most.

A race used to compile one program per surface and multiset of optimizers. XLA keeps every compiled program for
the life of the process (about 10 MB each, which nothing in TensorFlow's Python API frees), so a visitor trying
racer after racer grew the server without bound. Now one walker per optimizer kind holds MAX_RACERS slots and
picks the surface at run time (tf.switch_case): eleven programs at most, compiled once each, whatever the races.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence

import numpy as np

from playground.core.specs import OPTIMIZERS
from playground.optim.surfaces import SURFACES, Formula, quiet_retracing_warnings

MAX_STEPS = 5000
SLOTS = 12  # runners of one optimizer kind per walk (races.MAX_RACERS); idle slots walk along, ignored
SURFACE_ORDER = tuple(SURFACES)  # the index a walk receives to pick its surface


def _gradient(where: object, formula: Formula) -> object:
    """d(sum of the slots' losses)/d(positions): each slot's loss depends on its own two weights only."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        tape.watch(where)
        loss = tf.reduce_sum(formula(where[:, 0], where[:, 1], tf))
    return tape.gradient(loss, where)


class Walker:
    """One keras variable of SLOTS rows (each row a runner's two weights) and one real keras optimizer of one kind
    over it, and one XLA-compiled tf.function that resets them and takes all their steps in a tf.while_loop (a
    Python loop of eager steps is about 500× slower). Every update rule of specs.OPTIMIZERS is elementwise, so
    each row moves exactly as it would alone (tests check it against separate optimizers); the learning rate is
    a callable returning one rate per row, which Keras accepts in place of a number. Shapes are fixed (MAX_STEPS,
    SLOTS, every surface), so XLA compiles once; the loop stops after `steps`."""

    def __init__(self, optimizer: str) -> None:
        quiet_retracing_warnings()
        import keras
        import tensorflow as tf

        self.lock = threading.Lock()  # the variables are shared: one walk at a time
        choice = OPTIMIZERS[optimizer]
        with tf.device("/CPU:0"):  # two weights per runner: a GPU would spend its time launching kernels
            weights = keras.Variable(np.zeros((SLOTS, 2)), dtype="float32", name="weights")
            rates = keras.Variable(np.zeros((SLOTS, 1)), dtype="float32", name="learning_rates")
            stepper = getattr(keras.optimizers, choice.keras_class)(learning_rate=lambda: rates.value,
                                                                    **choice.kwargs)
            stepper.build([weights])
        initial = [v.numpy() for v in stepper.variables]
        formulas = [SURFACES[name].formula for name in SURFACE_ORDER]

        @tf.function(jit_compile=True, input_signature=[
            tf.TensorSpec([], tf.int32), tf.TensorSpec([2], tf.float32), tf.TensorSpec([SLOTS], tf.float32),
            tf.TensorSpec([], tf.int32), tf.TensorSpec([MAX_STEPS, SLOTS, 2], tf.float32)])
        def walk(surface: tf.Tensor, start: tf.Tensor, slot_rates: tf.Tensor, steps: tf.Tensor,
                 noise: tf.Tensor) -> tf.Tensor:
            for variable, value in zip(stepper.variables, initial):  # a fresh optimizer state for every walk
                variable.assign(value)
            rates.assign(slot_rates[:, tf.newaxis])
            weights.assign(tf.tile(start[tf.newaxis], [SLOTS, 1]))
            positions = tf.TensorArray(tf.float32, size=MAX_STEPS + 1).write(0, weights.value)

            def step(i: tf.Tensor, positions: tf.TensorArray) -> tuple[tf.Tensor, tf.TensorArray]:
                branches = [functools.partial(_gradient, weights.value, formula) for formula in formulas]
                stepper.apply_gradients([(tf.switch_case(surface, branches) + noise[i], weights)])
                return i + 1, positions.write(i + 1, weights.value)

            _, positions = tf.while_loop(lambda i, _: i < steps, step, (tf.constant(0), positions))
            return positions.stack()

        self.walk, self.device = walk, tf.device("/CPU:0")

    def run(self, surface: str, rates: Sequence[float], start: Sequence[float], noise: np.ndarray) -> np.ndarray:
        """Positions (steps + 1, runners, 2) of up to SLOTS runners from fresh optimizer states; noise is
        (steps, runners, 2)."""
        steps, runners = noise.shape[:2]
        if not 1 <= runners <= SLOTS:
            raise ValueError(f"a walk takes 1 to {SLOTS} runners, got {runners}")
        padded = np.zeros((MAX_STEPS, SLOTS, 2), dtype=np.float32)
        padded[:steps, :runners] = noise
        slot_rates = np.full(SLOTS, rates[0], dtype=np.float32)  # idle slots copy a real runner: no odd values
        slot_rates[:runners] = rates
        with self.lock, self.device:
            positions = self.walk(np.int32(SURFACE_ORDER.index(surface)), np.asarray(start, dtype=np.float32),
                                  slot_rates, np.int32(steps), padded).numpy()
        return positions[: steps + 1, :runners].astype(np.float64)


_lock = threading.Lock()


@functools.cache  # one per optimizer kind: at most len(OPTIMIZERS) programs for the life of the server
def _walker(optimizer: str) -> Walker:
    return Walker(optimizer)


def walker(optimizer: str) -> Walker:
    """The compiled walker of an optimizer kind (compiled on first use, then shared by every race and session)."""
    with _lock:  # two sessions asking at once must not compile the same program twice
        return _walker(str(optimizer))


def compiled_walkers() -> int:
    """How many walkers have been compiled in this process (never more than the optimizer kinds)."""
    return _walker.cache_info().currsize
