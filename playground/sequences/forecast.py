"""Forecast a series live: a small LSTM (or GRU) and a Dense network on the same window, against naive forecasts.

Both networks read the last `window` values and predict the next one. They see each window relative to its
last value, divided by the typical step size of the training period: "how will the series move from here?".
That makes a series with a trend (CO₂ keeps rising) look the same in the test period as in training, where
raw values would lie outside anything the network has seen. Training: the first 70% of the series;
validation each epoch: the next 10%; test, looked at once at the end: the last 20%.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from playground.sequences.live import SideBySideRun
from playground.sequences.series import (
    Series,
    SeriesError,
    Split,
    mae,
    naive_forecast,
    seasonal_naive_forecast,
    split,
    windows,
)

RECURRENT = ("LSTM", "GRU")
LIMITS: dict[str, tuple[float, float]] = {
    "units": (1, 256), "epochs": (1, 200), "batch_size": (1, 1024), "learning_rate": (1e-5, 0.5),
    "horizon": (1, 1000), "seed": (0, 2**31 - 1),
}
TITLES = {"naive": "naive (same as last value)", "seasonal": "seasonal naive (same as one season ago)",
          "lstm": "LSTM", "gru": "GRU", "dense": "Dense network"}


@dataclass(frozen=True)
class ForecastConfig:
    """The window the networks read, which recurrent layer, the training; horizon: steps of the multi-step forecast."""

    window: int = 24
    recurrent: str = "LSTM"
    units: int = 32
    epochs: int = 30
    batch_size: int = 32
    learning_rate: float = 0.003
    horizon: int = 48
    seed: int = 0

    def problem(self) -> str | None:
        if self.recurrent not in RECURRENT:
            return f"The recurrent layer must be one of {', '.join(RECURRENT)}, not {self.recurrent!r}."
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            integer = name != "learning_rate"
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high or \
                    integer and int(value) != value:
                return f"{name.replace('_', ' ').capitalize()} must be {'a whole number ' if integer else ''}" \
                       f"between {low:g} and {high:g}, not {value!r}."
        return None


@dataclass(frozen=True)
class ForecastResults:
    """Forecasts of the test period, one step ahead and fed back on themselves, and the MAE of each."""

    test_index: np.ndarray  # indices of the series forecast one step ahead
    one_step: dict[str, np.ndarray]
    test_mae: dict[str, float]
    multi_index: np.ndarray  # indices forecast from the start of the test period on, with no new true value
    multi_step: dict[str, np.ndarray]
    multi_mae: dict[str, float]

    def improvement(self, name: str, over: str = "naive") -> float:
        """How much smaller `name`'s test MAE is than `over`'s: 0.25 = 25% smaller."""
        return 1.0 - self.test_mae[name] / self.test_mae[over]


def step_scale(values: np.ndarray) -> float:
    """The typical size of one step (std of the differences), what the networks count their changes in."""
    steps = np.diff(np.asarray(values, dtype=np.float64))
    for scale in (float(np.std(steps)), float(np.mean(np.abs(steps))), float(np.std(values))):
        if scale > 0:
            return scale
    return 1.0


@dataclass(kw_only=True)
class ForecastRun(SideBySideRun):
    """A recurrent network and a Dense network learning to forecast one series. Raises on bad settings at creation."""

    shipped: ClassVar[dict[str, str]] = {**SideBySideRun.shipped, "results": "final"}

    series: Series
    config: ForecastConfig = ForecastConfig()
    split: Split | None = None
    scale: float = 1.0
    naive_val_mae: float = 0.0  # the bar to beat on the validation curves
    results: ForecastResults | None = None
    _x: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        problem = self.config.problem()
        if problem:
            raise SeriesError(problem)
        self.split = split(len(self.series), self.config.window)
        if self.series.season and not 1 <= self.series.season < self.split.test_start:
            raise SeriesError(f"A season of {self.series.season} steps is longer than the series before its test "
                              "period; use a shorter season or none.")
        values = self.series.values
        self.scale = step_scale(values[:self.split.val_start])
        self.naive_val_mae = mae(naive_forecast(values, self.split.val), values[self.split.val])

    def recipe(self) -> dict[str, Any]:
        return {"series": self.series, "config": self.config, "name": self.name}

    @property
    def recurrent_name(self) -> str:
        return self.config.recurrent.lower()

    def branches(self) -> tuple[str, ...]:
        return self.recurrent_name, "dense"

    def relative(self, x: np.ndarray) -> np.ndarray:
        """Windows (n, window) -> the networks' input (n, window, 1): each relative to its last value, in steps."""
        return ((x - x[:, -1:]) / self.scale)[..., None].astype(np.float32)

    def prepare(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        w, s = self.config.window, self.split
        x, y = windows(self.series.values, w)
        self._x = x
        target = (y - x[:, -1]) / self.scale  # the move from the last value, in steps
        train, val = slice(0, s.val_start - w), slice(s.val_start - w, s.test_start - w)
        return self.relative(x[train]), target[train], self.relative(x[val]), target[val]

    def build(self) -> Any:
        import keras

        c = self.config
        init = keras.initializers.GlorotUniform
        inputs = keras.Input((c.window, 1))
        recurrent = getattr(keras.layers, c.recurrent)(
            c.units, name=f"{self.recurrent_name}_layer", kernel_initializer=init(c.seed),
            recurrent_initializer=keras.initializers.Orthogonal(seed=c.seed + 1))(inputs)
        flat = keras.layers.Flatten(name="window")(inputs)
        hidden = keras.layers.Dense(c.units, activation="relu", name="dense_hidden",
                                    kernel_initializer=init(c.seed + 2))
        outputs = {
            self.recurrent_name: keras.layers.Dense(1, name=self.recurrent_name, kernel_initializer=init(c.seed + 3))(
                recurrent),
            "dense": keras.layers.Dense(1, name="dense", kernel_initializer=init(c.seed + 4))(hidden(flat)),
        }
        model = keras.Model(inputs, outputs)
        model.compile(keras.optimizers.Adam(c.learning_rate), loss=dict.fromkeys(outputs, "mae"))
        return model

    def epoch_row(self, logs: dict[str, float]) -> dict[str, float]:
        # The loss is the MAE of the move in steps: times the step size, it is the MAE in the series' unit.
        return {key: value * self.scale for key, value in super().epoch_row(logs).items()}

    def predict(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Windows (n, window) of raw values -> each network's forecast of the next value (n,)."""
        out = self.model.predict_on_batch(self.relative(x))
        return {name: np.asarray(out[name], dtype=np.float64)[:, 0] * self.scale + x[:, -1] for name in self.branches()}

    def finish(self) -> None:
        values, s, w = self.series.values, self.split, self.config.window
        one_step = {"naive": naive_forecast(values, s.test)}
        if self.series.season:
            one_step["seasonal"] = seasonal_naive_forecast(values, s.test, self.series.season)
        one_step.update(self.predict(self._x[s.test_start - w:]))
        actual = values[s.test]
        multi_index, multi = self.multi_step(min(self.config.horizon, s.end - s.test_start))
        self.results = ForecastResults(
            np.arange(s.test_start, s.end), one_step, {k: mae(v, actual) for k, v in one_step.items()},
            multi_index, multi, {k: mae(v, values[multi_index]) for k, v in multi.items()})

    def multi_step(self, horizon: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """From the start of the test period, `horizon` steps on: each network reads its own forecasts back."""
        values, start, w = self.series.values, self.split.test_start, self.config.window
        index = np.arange(start, start + horizon)
        forecasts: dict[str, np.ndarray] = {"naive": np.full(horizon, values[start - 1])}
        if self.series.season:
            season = self.series.season
            forecasts["seasonal"] = values[start - season + np.arange(horizon) % season]
        known = {name: list(values[start - w:start]) for name in self.branches()}
        for _ in range(horizon):
            batch = np.array([known[name][-w:] for name in self.branches()])
            step = self.predict(batch)
            for row, name in enumerate(self.branches()):
                known[name].append(step[name][row])
        forecasts.update({name: np.array(known[name][w:]) for name in self.branches()})
        return index, forecasts

    def summary(self) -> dict[str, Any]:
        """What the CLI prints at the end: status, epochs, the test MAE of each forecast and the multi-step MAE."""
        results = self.results
        return {"status": self.status, "series": self.series.name, "epochs": len(self.history),
                "window": self.config.window, "train_seconds": round(self.seconds, 2),
                "test_mae": {k: round(v, 4) for k, v in results.test_mae.items()} if results else None,
                "multi_step_mae": {k: round(v, 4) for k, v in results.multi_mae.items()} if results else None,
                "multi_step_horizon": len(results.multi_index) if results else None,
                "message": self.message}
