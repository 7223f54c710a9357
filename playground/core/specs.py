"""Network and training specs as plain frozen dataclasses: tables of choices, validation, JSON round-trip."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from playground.core.datasets import DATASETS
from playground.core.layers import LAYERS
from playground.core.params import SpecError, check_number, show

# Allowed ranges of the training settings and the stack: (low, high), inclusive. Layer parameters: in core/layers.py.
LIMITS: dict[str, tuple[float, float]] = {
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

@dataclass(frozen=True)
class LayerSpec:
    """One layer: its Keras class name (a key of layers.LAYERS) and its parameters (missing ones take defaults)."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def full(self) -> dict[str, Any]:
        """Every parameter of its kind, defaults filled in (what the layer table's functions take)."""
        return {**LAYERS[self.kind].defaults, **self.params} if self.kind in LAYERS else dict(self.params)

    def get(self, name: str) -> Any:
        return self.full.get(name)

    def with_params(self, **changes: Any) -> LayerSpec:
        return replace(self, params={**self.params, **changes})

    def describe(self) -> str:
        """A short label such as 'Dense(128, relu)' or 'Conv2D(32, 3×3, relu)'."""
        return LAYERS[self.kind].describe(self.full) if self.kind in LAYERS else f"{self.kind}()"


def layer(kind: str, **params: Any) -> LayerSpec:
    """A layer with its defaults filled in: layer('Dense', units=10, activation='softmax')."""
    if kind not in LAYERS:
        raise SpecError(f"Unknown layer '{kind}'. Known layers: {', '.join(LAYERS)}.")
    return LayerSpec(kind, {**LAYERS[kind].defaults, **params})


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


def _check_number(name: str, value: Any, *, integer: bool) -> int | float:
    return check_number(name, value, *LIMITS[name], integer=integer)


def _check_choice(what: str, value: Any, table: dict[str, Any]) -> None:
    if not isinstance(value, str) or value not in table:  # a list or dict is not a name (and not hashable)
        raise SpecError(f"Unknown {what} {show(value)}. Pick one of {', '.join(table)}.")


def checked_layer(spec: LayerSpec, layer_no: int) -> LayerSpec:
    """The layer with every parameter filled in and numbers as int/float; SpecError if one is out of range.

    Shapes are checked in build.py.
    """
    if not isinstance(spec.kind, str) or spec.kind not in LAYERS:
        raise SpecError(f"Layer {layer_no}: unknown layer {show(spec.kind)}. Known layers: {', '.join(LAYERS)}.",
                        layer_no)
    where = f"Layer {layer_no} ({spec.kind}): "
    kind = LAYERS[spec.kind]
    unknown = set(spec.params) - set(kind.defaults)
    if unknown:
        raise SpecError(f"{where}unknown parameter {', '.join(sorted(map(str, unknown)))}.", layer_no)
    full = spec.full
    return LayerSpec(spec.kind, {param.name: param.check(full[param.name], where, layer_no) for param in kind.params})


def check_layer(spec: LayerSpec, layer_no: int) -> None:
    """Raise SpecError if one layer's own parameters are out of range (shapes are checked in build.py)."""
    checked_layer(spec, layer_no)


def checked_config(config: TrainConfig) -> TrainConfig:
    """The config with its numbers as int/float; SpecError if a setting is out of range or unknown."""
    _check_choice("dataset", config.dataset, DATASETS)
    _check_choice("optimizer", config.optimizer, OPTIMIZERS)
    return replace(
        config, learning_rate=_check_number("learning_rate", config.learning_rate, integer=False),
        **{name: _check_number(name, getattr(config, name), integer=True) for name in ("batch_size", "epochs", "seed")},
        train_samples=None if config.train_samples is None else
        _check_number("train_samples", config.train_samples, integer=True))


def check_config(config: TrainConfig) -> None:
    """Raise SpecError if a training setting is out of range or unknown."""
    checked_config(config)


def to_dict(experiment: Experiment) -> dict[str, Any]:
    """Plain JSON-ready data: {"network": {"layers": [{"kind": ..., ...params}]}, "config": {...}}."""
    return {
        "network": {"layers": [{"kind": s.kind, **s.params} for s in experiment.network.layers]},
        "config": asdict(experiment.config),
    }


def from_dict(data: Any) -> Experiment:
    """The inverse of to_dict; raises SpecError with a clear message on anything malformed.

    Checked before anything is built or drawn: a link or a pasted spec is untrusted input.
    """
    if not isinstance(data, dict):
        raise SpecError("A spec must be a JSON object with 'network' and 'config'.")
    unknown = set(data) - {"network", "config"}
    if unknown:
        raise SpecError(f"Unknown spec field {', '.join(sorted(map(str, unknown)))}; expected 'network' and 'config'.")
    network = data.get("network", {})
    layers_data = network.get("layers") if isinstance(network, dict) else None
    if not isinstance(layers_data, list):
        raise SpecError("'network' must be an object with a list 'layers'.")
    most = int(LIMITS["layers"][1])
    if len(layers_data) > most:  # refused here, before an editor draws thousands of layer cards
        raise SpecError(f"This spec has {len(layers_data):,} layers; the playground trains at most {most}. "
                        "Remove some layers.")
    layers = []
    for i, item in enumerate(layers_data, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("kind"), str):
            raise SpecError(f"Layer {i} must be an object with a 'kind', such as {{\"kind\": \"Dense\"}}.", i)
        # Defaults filled in: a spec written before a parameter existed still loads.
        layers.append(checked_layer(LayerSpec(item["kind"], {k: v for k, v in item.items() if k != "kind"}), i))
    config_data = data.get("config", {})
    if not isinstance(config_data, dict):
        raise SpecError("'config' must be an object.")
    known = set(TrainConfig.__dataclass_fields__)
    unknown = set(config_data) - known
    if unknown:
        raise SpecError(f"Unknown training setting {', '.join(sorted(map(str, unknown)))}. "
                        f"Known: {', '.join(sorted(known))}.")
    return Experiment(NetworkSpec(tuple(layers)), checked_config(TrainConfig(**config_data)))


def to_json(experiment: Experiment) -> str:
    return json.dumps(to_dict(experiment), separators=(",", ":"))


def from_json(text: str) -> Experiment:
    """Parse a spec pasted by a user or read from a URL."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError) as error:
        raise SpecError(f"This is not valid JSON: {error}.") from None
    except RecursionError:  # brackets nested thousands deep
        raise SpecError("This spec is nested too deeply to be a network: a spec is an object holding a list of "
                        "layers.") from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise SpecError(f"This spec holds a value Python refuses to read: {str(error)[:100]}.") from None
    return from_dict(data)
