"""A distant signal: remember the first value of a long noisy sequence. SimpleRNN and LSTM trained on it live.

Each sequence has two inputs per step: a value, and a marker that is 1 at the first step only. The first value
is the one to remember (uniform in [−1, 1]); every later value is noise. After the last step the network must
output the first value. Guessing 0 leaves the whole variance (1/3) as squared error, so the score shown is the
fraction of it explained: 1 − MSE / (1/3), 0 for a network that remembered nothing, 1 for perfect memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from playground.sequences.gradients import GradientCurve, recurrent_layer, trained_curve
from playground.sequences.live import SideBySideRun

KINDS = ("SimpleRNN", "LSTM")
SIGNAL_VARIANCE = 1.0 / 3.0  # of uniform [-1, 1]: the squared error of always answering 0
VALIDATION = 500
GRADIENT_SAMPLES = 16
LIMITS: dict[str, tuple[float, float]] = {
    "steps": (5, 200), "noise": (0.0, 3.0), "forget_bias": (-2.0, 6.0), "units": (1, 64), "epochs": (1, 60),
    "batch_size": (4, 512), "learning_rate": (1e-5, 0.1), "samples": (100, 20_000), "seed": (0, 2**31 - 1),
}


@dataclass(frozen=True)
class MemoryConfig:
    """The task (sequence length, noise) and the training. forget_bias: where the LSTM's forget gate starts."""

    steps: int = 50
    noise: float = 1.0
    forget_bias: float = 3.0  # Keras starts it at 1 (f = σ(1) = 0.73); 3 gives f = 0.95 (see the page)
    units: int = 16
    epochs: int = 12
    batch_size: int = 32
    learning_rate: float = 0.01
    samples: int = 2000
    seed: int = 0

    def problem(self) -> str | None:
        """What is wrong with these settings, in words, or None."""
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                return f"{name.replace('_', ' ').capitalize()} must be between {low:g} and {high:g}, not {value!r}."
        if self.batch_size > self.samples:
            return f"The batch size ({self.batch_size}) is larger than the training set ({self.samples} sequences)."
        return None


def memory_data(count: int, steps: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """x (count, steps, 2): [value, marker] per step; y (count,): the first value, which the marker flags."""
    rng = np.random.default_rng(seed)
    x = np.zeros((count, steps, 2), np.float32)
    x[:, :, 0] = rng.normal(0.0, noise, (count, steps))
    first = rng.uniform(-1.0, 1.0, count).astype(np.float32)
    x[:, 0, 0], x[:, 0, 1] = first, 1.0
    return x, first


def remembered(mse: float) -> float:
    """1 − MSE / variance of the first value: the fraction of it the network's answer carries."""
    return 1.0 - mse / SIGNAL_VARIANCE


@dataclass(kw_only=True)
class MemoryRun(SideBySideRun):
    """SimpleRNN and LSTM learning the memory task side by side; their gradients vs distance once trained."""

    shipped: ClassVar[dict[str, str]] = {**SideBySideRun.shipped, "gradients": "final"}

    config: MemoryConfig
    gradients: dict[str, GradientCurve] = field(default_factory=dict)  # after training
    _layers: dict[str, Any] = field(default_factory=dict, repr=False)
    _probe: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        problem = self.config.problem()
        if problem:
            raise ValueError(problem)

    def recipe(self) -> dict[str, Any]:
        return {"config": self.config, "name": self.name}

    def branches(self) -> tuple[str, ...]:
        return tuple(kind.lower() for kind in KINDS)

    def prepare(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        c = self.config
        x, y = memory_data(c.samples, c.steps, c.noise, c.seed)
        x_val, y_val = memory_data(VALIDATION, c.steps, c.noise, c.seed + 1)
        self._probe = x_val[:GRADIENT_SAMPLES]
        return x, y, x_val, y_val

    def build(self) -> Any:
        import keras

        c = self.config
        inputs = keras.Input((c.steps, 2))
        outputs = {}
        for number, kind in enumerate(KINDS):
            name = kind.lower()
            layer = recurrent_layer(kind, c.units, c.seed + 10 * number, features=2, forget_bias=c.forget_bias,
                                    name=f"{name}_layer")
            self._layers[name] = layer
            outputs[name] = keras.layers.Dense(
                1, name=name, kernel_initializer=keras.initializers.GlorotUniform(c.seed + 10 * number + 5))(
                layer(inputs))
        model = keras.Model(inputs, outputs)
        model.compile(keras.optimizers.Adam(c.learning_rate), loss=dict.fromkeys(outputs, "mse"))
        return model

    def epoch_row(self, logs: dict[str, float]) -> dict[str, float]:
        return {key: remembered(value) for key, value in super().epoch_row(logs).items()}

    def finish(self) -> None:
        for kind, name in zip(KINDS, self.branches()):
            self.gradients[kind] = trained_curve(kind, self._layers[name], self._probe)

    def summary(self) -> dict[str, Any]:
        """The last epoch's validation score of each network, and how long training took."""
        last = self.history[-1] if self.history else {}
        return {"status": self.status, "epochs": len(self.history), "seconds": round(self.seconds, 1),
                **{kind: last.get(f"val_{kind.lower()}") for kind in KINDS}}
