"""Network and training specs as plain frozen dataclasses: tables of choices, validation, JSON round-trip."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

# Every layer kind is named by its Keras class name; the dict holds its parameters and their defaults.
LAYER_DEFAULTS: dict[str, dict[str, Any]] = {
    "Dense": {"units": 128, "activation": "relu"},
    "Conv2D": {"filters": 32, "kernel_size": 3, "strides": 1, "padding": "valid", "activation": "relu"},
    "MaxPooling2D": {"pool_size": 2},
    "AveragePooling2D": {"pool_size": 2},
    "Flatten": {},
    "Dropout": {"rate": 0.25},
    "BatchNormalization": {},
}

# One plain-language sentence per layer kind, shown next to the layer in the editor.
LAYER_HELP: dict[str, str] = {
    "Dense": "Every input connects to every unit: outputs = activation(inputs · weights + bias).",
    "Conv2D": "Slides small learned filters over the image; each filter makes one feature map.",
    "MaxPooling2D": "Keeps the largest value of each pool_size × pool_size window: halves the image for pool 2.",
    "AveragePooling2D": "Keeps the mean of each pool_size × pool_size window.",
    "Flatten": "Unrolls an image (height × width × channels) into one long vector for Dense layers.",
    "Dropout": "During training, zeroes a random fraction `rate` of the values: fights overfitting.",
    "BatchNormalization": "Rescales each feature to mean 0, std 1 over the batch, then learns a scale and shift.",
}

ACTIVATIONS: tuple[str, ...] = (
    "relu", "sigmoid", "tanh", "softsign", "elu", "leaky_relu", "selu", "gelu", "swish", "linear", "softmax",
)
PADDINGS: tuple[str, ...] = ("valid", "same")

# Allowed ranges for every number a user can type: (low, high), inclusive.
LIMITS: dict[str, tuple[float, float]] = {
    "units": (1, 4096),
    "filters": (1, 512),
    "kernel_size": (1, 11),
    "strides": (1, 5),
    "pool_size": (1, 8),
    "rate": (0.0, 0.95),
    "learning_rate": (1e-6, 100.0),
    "batch_size": (1, 4096),
    "epochs": (1, 100),
    "seed": (0, 2**31 - 1),
    "train_samples": (10, 1_000_000),
    "layers": (1, 40),
}


@dataclass(frozen=True)
class OptimizerChoice:
    """One optimizer of the menu: the keras.optimizers class, fixed extra arguments, a sensible learning rate."""

    title: str
    keras_class: str
    default_learning_rate: float
    kwargs: dict[str, Any] = field(default_factory=dict)


OPTIMIZERS: dict[str, OptimizerChoice] = {
    "sgd": OptimizerChoice("SGD", "SGD", 0.05),
    "momentum": OptimizerChoice("SGD with momentum", "SGD", 0.01, {"momentum": 0.9}),
    "nesterov": OptimizerChoice("Nesterov", "SGD", 0.01, {"momentum": 0.9, "nesterov": True}),
    "adagrad": OptimizerChoice("Adagrad", "Adagrad", 0.01),
    "adadelta": OptimizerChoice("Adadelta", "Adadelta", 1.0),
    "rmsprop": OptimizerChoice("RMSprop", "RMSprop", 0.001),
    "adam": OptimizerChoice("Adam", "Adam", 0.001),
    "adamw": OptimizerChoice("AdamW", "AdamW", 0.001),
    "nadam": OptimizerChoice("Nadam", "Nadam", 0.001),
    "adamax": OptimizerChoice("Adamax", "Adamax", 0.002),
    "lion": OptimizerChoice("Lion", "Lion", 0.0001),
}

DATASET_NAMES: tuple[str, ...] = ("mnist", "random")


class SpecError(ValueError):
    """A spec a user can fix: the message says what is wrong and how to fix it; `layer` is 1-based or None."""

    def __init__(self, message: str, layer: int | None = None) -> None:
        super().__init__(message)
        self.layer = layer


@dataclass(frozen=True)
class LayerSpec:
    """One layer: its Keras class name and its parameters (missing ones take LAYER_DEFAULTS)."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        return self.params.get(name, LAYER_DEFAULTS.get(self.kind, {}).get(name))

    def with_params(self, **changes: Any) -> LayerSpec:
        return replace(self, params={**self.params, **changes})

    def describe(self) -> str:
        """A short label such as 'Dense(128, relu)' or 'Conv2D(32, 3×3, relu)'."""
        if self.kind == "Dense":
            return f"Dense({self.get('units')}, {self.get('activation')})"
        if self.kind == "Conv2D":
            k = self.get("kernel_size")
            extra = "" if self.get("strides") == 1 else f", stride {self.get('strides')}"
            pad = "" if self.get("padding") == "valid" else ", same"
            return f"Conv2D({self.get('filters')}, {k}×{k}{extra}{pad}, {self.get('activation')})"
        if self.kind in ("MaxPooling2D", "AveragePooling2D"):
            p = self.get("pool_size")
            return f"{self.kind}({p}×{p})"
        if self.kind == "Dropout":
            return f"Dropout({self.get('rate')})"
        return f"{self.kind}()"


def layer(kind: str, **params: Any) -> LayerSpec:
    """A layer with its defaults filled in: layer('Dense', units=10, activation='softmax')."""
    if kind not in LAYER_DEFAULTS:
        raise SpecError(f"Unknown layer '{kind}'. Known layers: {', '.join(LAYER_DEFAULTS)}.")
    return LayerSpec(kind, {**LAYER_DEFAULTS[kind], **params})


@dataclass(frozen=True)
class NetworkSpec:
    """The layer stack, input to output. The input shape comes from the dataset."""

    layers: tuple[LayerSpec, ...] = ()


@dataclass(frozen=True)
class TrainConfig:
    """What to train on and how."""

    dataset: str = "mnist"
    optimizer: str = "adam"
    learning_rate: float = 0.001
    batch_size: int = 128
    epochs: int = 5
    seed: int = 0
    train_samples: int | None = None  # None: the whole training split; else its first N samples


@dataclass(frozen=True)
class Experiment:
    """A network and how to train it: everything needed to reproduce a run."""

    network: NetworkSpec = NetworkSpec()
    config: TrainConfig = TrainConfig()


def _check_number(name: str, value: Any, *, integer: bool, where: str = "", layer_no: int | None = None) -> None:
    low, high = LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and int(value) != value):
        kind = "a whole number" if integer else "a number"
        raise SpecError(f"{where}{name} must be {kind}, got {value!r}.", layer_no)
    if not math.isfinite(value) or not low <= value <= high:
        raise SpecError(f"{where}{name} must be between {low:g} and {high:g}, got {value:g}.", layer_no)


def check_layer(spec: LayerSpec, layer_no: int) -> None:
    """Raise SpecError if one layer's own parameters are out of range (shapes are checked in build.py)."""
    where = f"Layer {layer_no} ({spec.kind}): "
    if spec.kind not in LAYER_DEFAULTS:
        raise SpecError(f"Layer {layer_no}: unknown layer '{spec.kind}'. Known layers: {', '.join(LAYER_DEFAULTS)}.",
                        layer_no)
    unknown = set(spec.params) - set(LAYER_DEFAULTS[spec.kind])
    if unknown:
        raise SpecError(f"{where}unknown parameter {', '.join(sorted(unknown))}.", layer_no)
    for name in LAYER_DEFAULTS[spec.kind]:
        value = spec.get(name)
        if name == "activation":
            if value not in ACTIVATIONS:
                raise SpecError(f"{where}unknown activation {value!r}. Pick one of {', '.join(ACTIVATIONS)}.", layer_no)
        elif name == "padding":
            if value not in PADDINGS:
                raise SpecError(f"{where}padding must be 'valid' or 'same', got {value!r}.", layer_no)
        else:
            _check_number(name, value, integer=name != "rate", where=where, layer_no=layer_no)


def check_config(config: TrainConfig) -> None:
    """Raise SpecError if a training setting is out of range or unknown."""
    if config.dataset not in DATASET_NAMES:
        raise SpecError(f"Unknown dataset {config.dataset!r}. Pick one of {', '.join(DATASET_NAMES)}.")
    if config.optimizer not in OPTIMIZERS:
        raise SpecError(f"Unknown optimizer {config.optimizer!r}. Pick one of {', '.join(OPTIMIZERS)}.")
    _check_number("learning_rate", config.learning_rate, integer=False)
    for name in ("batch_size", "epochs", "seed"):
        _check_number(name, getattr(config, name), integer=True)
    if config.train_samples is not None:
        _check_number("train_samples", config.train_samples, integer=True)


def to_dict(experiment: Experiment) -> dict[str, Any]:
    """Plain JSON-ready data: {"network": {"layers": [{"kind": ..., ...params}]}, "config": {...}}."""
    return {
        "network": {"layers": [{"kind": s.kind, **s.params} for s in experiment.network.layers]},
        "config": asdict(experiment.config),
    }


def from_dict(data: Any) -> Experiment:
    """The inverse of to_dict; raises SpecError with a clear message on anything malformed."""
    if not isinstance(data, dict):
        raise SpecError("A spec must be a JSON object with 'network' and 'config'.")
    unknown = set(data) - {"network", "config"}
    if unknown:
        raise SpecError(f"Unknown spec field {', '.join(sorted(unknown))}; expected 'network' and 'config'.")
    network = data.get("network", {})
    layers_data = network.get("layers") if isinstance(network, dict) else None
    if not isinstance(layers_data, list):
        raise SpecError("'network' must be an object with a list 'layers'.")
    layers = []
    for i, item in enumerate(layers_data, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("kind"), str):
            raise SpecError(f"Layer {i} must be an object with a 'kind', such as {{\"kind\": \"Dense\"}}.", i)
        params = {k: v for k, v in item.items() if k != "kind"}
        spec = LayerSpec(item["kind"], {**LAYER_DEFAULTS.get(item["kind"], {}), **params})
        check_layer(spec, i)
        layers.append(spec)
    config_data = data.get("config", {})
    if not isinstance(config_data, dict):
        raise SpecError("'config' must be an object.")
    known = set(TrainConfig.__dataclass_fields__)
    unknown = set(config_data) - known
    if unknown:
        raise SpecError(f"Unknown training setting {', '.join(sorted(unknown))}. Known: {', '.join(sorted(known))}.")
    config = TrainConfig(**config_data)
    check_config(config)
    return Experiment(NetworkSpec(tuple(layers)), config)


def to_json(experiment: Experiment) -> str:
    return json.dumps(to_dict(experiment), separators=(",", ":"))


def from_json(text: str) -> Experiment:
    """Parse a spec pasted by a user or read from a URL."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError) as error:
        raise SpecError(f"This is not valid JSON: {error}.") from None
    return from_dict(data)
