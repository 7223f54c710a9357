"""Why plain RNNs forget: real gradients (tf.GradientTape) of the last output with respect to every earlier input.

For a sequence x_1..x_T, the network's last output h_T depends on x_t through T − t applications of the cell.
Backpropagation multiplies one Jacobian per step; in a SimpleRNN each has tanh' ≤ 1 and U, so the product shrinks
(or blows up) exponentially with the distance T − t. Along the LSTM's cell state each step multiplies only by the
forget gate: at Keras' start, σ(1) ≈ 0.73, so a fresh LSTM forgets too; with the gate near 1 (a larger forget bias,
or after training on a task that needs memory) the gradient survives long distances. Measured, not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

KINDS = ("SimpleRNN", "LSTM", "GRU")
STEPS_RANGE = (10, 200)
UNITS = 32
SAMPLES = 16  # random sequences averaged per curve
FLOOR = 1e-30  # a gradient that underflowed to 0 is shown as this on a log axis
KERAS_FORGET_BIAS = 1.0  # keras.layers.LSTM(unit_forget_bias=True) starts every forget-gate bias at 1


class GradientError(ValueError):
    """Settings that cannot be measured; the message says why."""


@dataclass(frozen=True)
class GradientCurve:
    """|∂h_T/∂x_t| averaged over random sequences, indexed by the distance T − t (0 = the last input)."""

    kind: str
    distance: np.ndarray  # (T,) 0..T-1
    size: np.ndarray  # (T,) mean gradient norm at that distance

    def ratio(self, distance: int) -> float:
        """How much smaller the gradient is at `distance` than at distance 0."""
        return float(self.size[distance] / max(self.size[0], FLOOR))


def input_gradients(layer: Any, inputs: np.ndarray) -> np.ndarray:
    """(T,): the norm of ∂(Σ h_T)/∂x_t for each input step t, averaged over the batch, for a built Keras RNN layer.

    Each sequence of the batch is independent, so the gradient of the batch's summed last outputs with respect to
    one sequence's inputs is that sequence's own gradient.
    """
    import tensorflow as tf

    x = tf.convert_to_tensor(np.asarray(inputs, dtype=np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        last = layer(x)  # (batch, units): return_sequences=False gives h_T
        total = tf.reduce_sum(last)
    grads = tape.gradient(total, x).numpy()  # (batch, T, features)
    return np.linalg.norm(grads, axis=2).mean(axis=0)


def recurrent_layer(kind: str, units: int, seed: int, features: int = 1,
                    forget_bias: float = KERAS_FORGET_BIAS, name: str | None = None) -> Any:
    """A fresh, built Keras layer with its default initializers (seeded): what a network starts training from.

    For an LSTM, `forget_bias` is where its forget gate's bias starts (Keras: 1, so f = σ(1) ≈ 0.73).
    """
    import keras

    if kind not in KINDS:
        raise GradientError(f"Unknown layer {kind!r}; pick one of {', '.join(KINDS)}.")
    layer = getattr(keras.layers, kind)(units, kernel_initializer=keras.initializers.GlorotUniform(seed),
                                        recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 1),
                                        name=name)
    layer.build((None, None, features))
    if kind == "LSTM" and forget_bias != KERAS_FORGET_BIAS:
        set_forget_bias(layer, forget_bias)
    return layer


def set_forget_bias(layer: Any, value: float) -> None:
    """Set an LSTM layer's forget-gate biases (Keras' gate order is i, f, c, o) to `value`."""
    kernel, recurrent, bias = layer.get_weights()
    units = recurrent.shape[0]
    bias[units:2 * units] = value
    layer.set_weights([kernel, recurrent, bias])


def trained_curve(kind: str, layer: Any, inputs: np.ndarray) -> GradientCurve:
    """The same measure on a trained layer (inputs: (samples, T, features) sequences of its task)."""
    size = input_gradients(layer, inputs)[::-1]
    return GradientCurve(kind, np.arange(len(size)), np.maximum(size, FLOOR))


def check_steps(steps: int) -> None:
    low, high = STEPS_RANGE
    if isinstance(steps, bool) or not isinstance(steps, int) or not low <= steps <= high:
        raise GradientError(f"The sequence length must be a whole number from {low} to {high}, not {steps!r}.")


def gradient_curves(steps: int, kinds: tuple[str, ...] = KINDS, units: int = UNITS, seed: int = 0,
                    samples: int = SAMPLES, forget_bias: float = KERAS_FORGET_BIAS) -> dict[str, GradientCurve]:
    """Per kind: the gradient size of the last output with respect to each earlier input, at initialization.

    Inputs are standard normal noise; the same sequences go through every kind.
    """
    check_steps(steps)
    rng = np.random.default_rng(seed)
    inputs = rng.standard_normal((samples, steps, 1)).astype(np.float32)
    curves = {}
    for kind in kinds:
        layer = recurrent_layer(kind, units, seed, forget_bias=forget_bias)
        size = input_gradients(layer, inputs)[::-1]  # distance 0 first
        curves[kind] = GradientCurve(kind, np.arange(steps), np.maximum(size, FLOOR))
    return curves


def decay_per_step(curve: GradientCurve, skip: int = 1) -> float:
    """The factor the gradient shrinks by per step of distance (a geometric fit, skipping the first `skip`)."""
    size = curve.size[skip:]
    distance = curve.distance[skip:]
    if len(size) < 2:
        return 1.0
    slope = np.polyfit(distance, np.log(size), 1)[0]
    return float(np.exp(slope))
