"""The network of the Decision boundaries page: its spec (layers, activations, regularization, optimizer, loss),
the checks in plain words, and the real Keras model built from it.

Optimizers come from the same table as Build & train (core.specs.OPTIMIZERS, core.build.make_optimizer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playground.boundaries.datasets import REGRESSION
from playground.boundaries.features import DEFAULT_FEATURES, check_features
from playground.core.specs import OPTIMIZERS

if TYPE_CHECKING:
    import keras

ACTIVATIONS: dict[str, str] = {  # Keras name -> title on the page; TFP has the first four
    "tanh": "Tanh", "relu": "ReLU", "sigmoid": "Sigmoid", "linear": "Linear",
    "leaky_relu": "Leaky ReLU", "elu": "ELU", "swish": "Swish",
}
LOSSES: dict[str, str] = {"crossentropy": "Cross-entropy", "mse": "Mean squared error"}
REGULARIZERS: dict[str, str] = {"none": "None", "l1": "L1", "l2": "L2"}
LIMITS: dict[str, tuple[float, float]] = {
    "layers": (0, 8), "units": (1, 32), "learning_rate": (1e-5, 10.0), "batch_size": (1, 500),
    "regularization_rate": (0.0, 10.0), "dropout": (0.0, 0.9), "seed": (0, 2**31 - 1),
}


@dataclass(frozen=True)
class Hidden:
    """One hidden layer: how many neurons and their activation."""

    units: int = 4
    activation: str = "tanh"


@dataclass(frozen=True)
class NetSpec:
    """The network and how it learns. Defaults are TFP's: x1, x2 -> 4 -> 2 tanh, SGD at 0.03, batches of 10."""

    features: tuple[str, ...] = DEFAULT_FEATURES
    layers: tuple[Hidden, ...] = (Hidden(4), Hidden(2))
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    batch_size: int = 10
    loss: str = "crossentropy"
    regularization: str = "none"
    regularization_rate: float = 0.0
    dropout: float = 0.0
    batch_norm: bool = False
    seed: int = 0


def _out_of_range(name: str, value: object, integer: bool) -> str | None:
    low, high = LIMITS[name]
    label = name.replace("_", " ").capitalize()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and value != int(value)):
        return f"{label} must be {'a whole number' if integer else 'a number'}, got {value!r}."
    if not math.isfinite(value) or not low <= value <= high:
        return f"{label} must be between {low:g} and {high:g}, got {value:g}."
    return None


def check_net(spec: NetSpec) -> str | None:
    """What is wrong with the spec, in words (with the fix), or None when it can train."""
    problem = check_features(spec.features)
    if problem:
        return problem
    if len(spec.layers) > LIMITS["layers"][1]:
        return f"{len(spec.layers)} hidden layers is more than this page trains ({LIMITS['layers'][1]:g}): remove some."
    for number, layer in enumerate(spec.layers, start=1):
        problem = _out_of_range("units", layer.units, integer=True)
        if problem:
            return f"Hidden layer {number}: {problem[0].lower()}{problem[1:]}"
        if layer.activation not in ACTIVATIONS:
            return (f"Hidden layer {number}: unknown activation {layer.activation!r}. "
                    f"Pick one of {', '.join(ACTIVATIONS)}.")
    if spec.optimizer not in OPTIMIZERS:
        return f"Unknown optimizer {spec.optimizer!r}. Pick one of {', '.join(OPTIMIZERS)}."
    if spec.loss not in LOSSES:
        return f"Unknown loss {spec.loss!r}. Pick one of {', '.join(LOSSES)}."
    if spec.regularization not in REGULARIZERS:
        return f"Unknown regularization {spec.regularization!r}. Pick one of {', '.join(REGULARIZERS)}."
    for name, integer in (("learning_rate", False), ("batch_size", True), ("regularization_rate", False),
                          ("dropout", False), ("seed", True)):
        problem = _out_of_range(name, getattr(spec, name), integer)
        if problem:
            return problem
    return None


def loss_name(spec: NetSpec, task: str) -> str:
    """The loss actually used: regression always fits by mean squared error (cross-entropy needs classes)."""
    return "mse" if task == REGRESSION else spec.loss


def is_linear(spec: NetSpec) -> bool:
    """True when the whole network is a linear function of x1 and x2: its boundary can only be a straight line."""
    linear_inputs = set(spec.features) <= {"x1", "x2"}
    return linear_inputs and all(layer.activation == "linear" for layer in spec.layers)


def dense_names(spec: NetSpec) -> list[str]:
    """Keras names of the Dense layers, input to output (their kernels are the diagram's links)."""
    return [f"dense_{i}" for i in range(1, len(spec.layers) + 1)] + ["output"]


def neuron_names(spec: NetSpec) -> list[str]:
    """Keras names of the layers whose outputs are the hidden neurons (after the activation)."""
    return [f"activation_{i}" if spec.batch_norm else f"dense_{i}" for i in range(1, len(spec.layers) + 1)]


def output_units(task: str, classes: int) -> int:
    return 1 if task == REGRESSION else classes


def build_model(spec: NetSpec, task: str, classes: int) -> keras.Model:
    """The Keras model: features -> [Dense -> (BatchNorm -> activation) -> (Dropout)] × layers -> output.

    The output is softmax over the classes, or one linear unit for regression. Every initializer and dropout
    layer has its own seed from spec.seed, so a seed gives the same run without any global seeding.
    """
    import keras

    regularizer = {"none": None, "l1": keras.regularizers.L1, "l2": keras.regularizers.L2}[spec.regularization]

    def penalty() -> keras.regularizers.Regularizer | None:
        return regularizer(spec.regularization_rate) if regularizer and spec.regularization_rate > 0 else None

    inputs = keras.Input((len(spec.features),), name="features")
    h = inputs
    for i, layer in enumerate(spec.layers, start=1):
        # Before batch norm a bias is redundant (BN's own shift replaces it): its gradient is zero but for rounding,
        # which Adam would turn into full-size steps of noise.
        h = keras.layers.Dense(layer.units, activation=None if spec.batch_norm else layer.activation,
                               use_bias=not spec.batch_norm, kernel_regularizer=penalty(), name=f"dense_{i}",
                               kernel_initializer=keras.initializers.GlorotUniform(seed=spec.seed * 1000 + i))(h)
        if spec.batch_norm:
            h = keras.layers.BatchNormalization(name=f"batch_norm_{i}")(h)
            h = keras.layers.Activation(layer.activation, name=f"activation_{i}")(h)
        if spec.dropout > 0:
            h = keras.layers.Dropout(spec.dropout, seed=spec.seed * 1000 + 100 + i, name=f"dropout_{i}")(h)
    outputs = keras.layers.Dense(output_units(task, classes), activation="linear" if task == REGRESSION else "softmax",
                                 kernel_initializer=keras.initializers.GlorotUniform(seed=spec.seed * 1000 + 99),
                                 kernel_regularizer=penalty(), name="output")(h)
    return keras.Model(inputs, outputs, name="boundary_network")


def make_loss(spec: NetSpec, task: str) -> keras.losses.Loss:
    """Cross-entropy on one-hot targets, or mean squared error (on one-hot targets: TFP's way, and worse)."""
    import keras

    if loss_name(spec, task) == "mse":
        return keras.losses.MeanSquaredError()
    return keras.losses.CategoricalCrossentropy()


def compile_model(model: keras.Model, spec: NetSpec, task: str) -> None:
    """Optimizer from the shared menu and the loss; no jit, as the training loop runs in a plain graph."""
    from playground.core.build import make_optimizer

    model.compile(optimizer=make_optimizer(spec.optimizer, spec.learning_rate), loss=make_loss(spec, task),
                  jit_compile=False)
