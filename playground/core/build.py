"""Spec -> keras.Model: per-layer output shapes and parameter counts (pure Python), then the real model."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from playground.core.datasets import DATASETS
from playground.core.layers import LAYERS
from playground.core.specs import (
    LIMITS,
    OPTIMIZERS,
    Experiment,
    LayerSpec,
    NetworkSpec,
    SpecError,
    check_config,
    check_layer,
)

if TYPE_CHECKING:
    import keras

MAX_PARAMS = 20_000_000  # ~80 MB of weights, ~320 MB with gradients and Adam's two slots
MAX_ACTIVATION_BYTES = 2 * 1024**3  # forward activations kept for the backward pass, per batch


@dataclass(frozen=True)
class LayerRow:
    """One row of the layer table."""

    index: int  # 1-based
    label: str
    output_shape: tuple[int, ...]
    params: int


@dataclass(frozen=True)
class Summary:
    """The layer table of a network on a given input, and the first problem found (None when it can train)."""

    input_shape: tuple[int, ...]
    rows: tuple[LayerRow, ...] = ()
    error: SpecError | None = None
    activations_per_sample: int = 0  # values computed in one forward pass of one sample
    notes: tuple[str, ...] = field(default=())

    @property
    def total_params(self) -> int:
        return sum(row.params for row in self.rows)

    @property
    def ok(self) -> bool:
        return self.error is None


def format_shape(shape: tuple[int, ...]) -> str:
    return " × ".join(str(d) for d in shape)


def _next_shape(spec: LayerSpec, shape: tuple[int, ...], no: int) -> tuple[tuple[int, ...], int]:
    """Output shape and parameter count of one layer, or SpecError naming the layer and the fix."""
    return LAYERS[spec.kind].output(spec.full, shape, f"Layer {no} ({spec.kind})", no)


def summarize(network: NetworkSpec, input_shape: tuple[int, ...], num_classes: int) -> Summary:
    """Walk the stack once: shapes, parameters, and the first error with a fix in plain words."""
    rows: list[LayerRow] = []
    shape = tuple(input_shape)
    activations = 0

    def result(error: SpecError | None) -> Summary:
        return Summary(tuple(input_shape), tuple(rows), error, activations)

    high = LIMITS["layers"][1]
    if not network.layers:
        return result(SpecError(f"The network is empty. Add at least the output layer: Dense({num_classes}, softmax)."))
    if len(network.layers) > high:
        return result(SpecError(f"{len(network.layers)} layers is more than this playground trains ({high:g}). "
                                "Remove some layers."))
    for no, spec in enumerate(network.layers, start=1):
        try:
            check_layer(spec, no)
            shape, params = _next_shape(spec, shape, no)
        except SpecError as error:
            return result(error)
        rows.append(LayerRow(no, spec.describe(), shape, params))
        activations += math.prod(shape)
    last, no = network.layers[-1], len(network.layers)
    if not LAYERS[last.kind].can_be_output or len(shape) != 1:
        return result(SpecError(f"The last layer must be Dense({num_classes}, softmax): one output per class. "
                                f"Layer {no} is {last.describe()}; add Flatten and Dense({num_classes}, softmax) after it.", no))
    if shape[0] != num_classes:
        return result(SpecError(f"Layer {no} (the output) has {shape[0]} units but the dataset has {num_classes} classes. "
                                f"Set its units to {num_classes}.", no))
    if last.get("activation") not in ("softmax", "linear"):
        return result(SpecError(f"Layer {no} (the output) uses {last.get('activation')}; the output must turn scores "
                                "into probabilities. Use softmax (or linear for raw scores, called logits).", no))
    total = sum(row.params for row in rows)
    if total > MAX_PARAMS:
        return result(SpecError(f"This network has {total:,} parameters, more than this server trains "
                                f"({MAX_PARAMS:,}). Use fewer units or filters, or pool before Flatten."))
    return result(None)


def check_memory(summary: Summary, batch_size: int) -> SpecError | None:
    """Refuse a batch whose activations would not fit in memory, before building anything."""
    needed = summary.activations_per_sample * batch_size * 4 * 2  # float32, forward values and their gradients
    if needed > MAX_ACTIVATION_BYTES:
        return SpecError(f"One batch of {batch_size} would need about {needed / 1024**3:.1f} GB for its activations "
                         f"(limit {MAX_ACTIVATION_BYTES / 1024**3:.0f} GB). Use a smaller batch size or a smaller network.")
    return None


def check_experiment(experiment: Experiment) -> Summary:
    """Everything that can be checked before training: settings, the layer stack, memory, batch vs data size."""
    config = experiment.config
    try:
        check_config(config)
    except SpecError as error:  # the layer table still shows, so a typo in one setting hides nothing else
        known = DATASETS.get(config.dataset) if isinstance(config.dataset, str) else None
        if known is None:
            return Summary((), error=error)
        return replace(summarize(experiment.network, known.input_shape, known.num_classes), error=error)
    dataset = DATASETS[config.dataset]
    summary = summarize(experiment.network, dataset.input_shape, dataset.num_classes)
    train_size = config.train_samples or dataset.train_size
    error = summary.error or check_memory(summary, config.batch_size)
    if error is None and train_size > dataset.train_size:  # refused, not cut silently: what is asked is what trains
        error = SpecError(f"train_samples is {train_size:,}, but the training split of {dataset.title} has "
                          f"{dataset.train_size:,} samples. Use at most {dataset.train_size:,}.")
    if error is None and config.batch_size > train_size:
        error = SpecError(f"The batch size ({config.batch_size}) is larger than the training set ({train_size:,} "
                          f"samples). Use a batch size of at most {train_size:,}.")
    return replace(summary, error=error)


def layer_name(spec: LayerSpec, index: int) -> str:
    """Stable Keras layer names such as 'conv2d_1' (the layer's 1-based position), used by other pages."""
    return f"{spec.kind.lower()}_{index}"


def build_keras_layer(spec: LayerSpec, index: int, seed: int) -> keras.layers.Layer:
    """One keras layer from its spec, with a seeded initializer so that a run can be reproduced."""
    if spec.kind not in LAYERS:
        raise SpecError(f"Unknown layer '{spec.kind}'.")
    return LAYERS[spec.kind].build(spec.full, layer_name(spec, index), seed * 1000 + index)


def build_model(network: NetworkSpec, input_shape: tuple[int, ...], num_classes: int, seed: int = 0) -> keras.Model:
    """Validate, then build the keras.Sequential model (not compiled). Raises SpecError for a bad stack."""
    summary = summarize(network, input_shape, num_classes)
    if summary.error:
        raise summary.error
    from playground.core.device import configure_tensorflow

    configure_tensorflow()
    import keras

    layers = [build_keras_layer(spec, i, seed) for i, spec in enumerate(network.layers, start=1)]
    return keras.Sequential([keras.Input(shape=input_shape), *layers], name="playground_model")


def make_optimizer(name: str, learning_rate: float) -> keras.optimizers.Optimizer:
    """A fresh keras optimizer from the menu in specs.OPTIMIZERS."""
    import keras

    if name not in OPTIMIZERS:
        raise SpecError(f"Unknown optimizer {name!r}. Pick one of {', '.join(OPTIMIZERS)}.")
    choice = OPTIMIZERS[name]
    return getattr(keras.optimizers, choice.keras_class)(learning_rate=float(learning_rate), **choice.kwargs)


def compile_model(model: keras.Model, network: NetworkSpec, optimizer: str, learning_rate: float) -> None:
    """Sparse categorical cross-entropy on integer labels; on logits when the output layer is linear."""
    import keras

    from_logits = network.layers[-1].get("activation") == "linear"
    model.compile(optimizer=make_optimizer(optimizer, learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits),
                  metrics=["accuracy"])
