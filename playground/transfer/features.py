"""Cut a trained CNN after its convolution blocks (a feature extractor) and put a new head on it, three ways.

The three ways of the lecture, as one table:
- from scratch: the same layers with fresh random weights; every layer learns from the few new examples;
- frozen features + new head: the trained convolutions are kept as they are; only the new head learns;
- fine-tune: first train the new head on the frozen features (as above), then unfreeze every layer and train on
  at a 10× smaller learning rate, so that the few examples nudge the features instead of overwriting them (the
  recipe of the Keras transfer-learning guide: a random head would first send large, useless gradients down
  into the trained features).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from playground.digits.loading import ModelError

if TYPE_CHECKING:
    import keras

HEAD_UNITS = 128  # the new head mirrors the digit CNN's own: Dropout, Dense(128, relu), Dropout, Dense(n, softmax)
HEAD_DROPOUT = (0.4, 0.3)
# Keras' default BatchNormalization momentum (0.99) needs a few hundred steps before its moving statistics (used
# at test time) describe the data; a run on 10 examples takes a few dozen steps. With the default, "from scratch"
# would lose because of stale statistics rather than missing features, so copied BN layers use 0.9.
SMALL_DATA_BN_MOMENTUM = 0.9


@dataclass(frozen=True)
class Way:
    """One way to train on few examples: which weights start trained, which learn, and how fast."""

    title: str
    lesson: str
    pretrained: bool  # start the convolutions from the trained network (else fresh random weights)
    train_features: bool  # do the convolutions learn in the first phase (else they are frozen)
    learning_rate: float
    color: str
    fine_tune_rate: float | None = None  # then unfreeze everything and train on at this rate (None: no second phase)


WAYS: dict[str, Way] = {
    "scratch": Way("From scratch", "The same network with random weights: every layer must learn from your few "
                   "examples alone.", pretrained=False, train_features=True, learning_rate=1e-3, color="#7f7f7f"),
    "frozen": Way("Frozen features + new head", "The digit CNN's convolutions stay as they are; only a new head "
                  "learns to read their features.", pretrained=True, train_features=False, learning_rate=1e-3,
                  color="#1f77b4"),
    "finetune": Way("Fine-tune all layers", "Train a new head on the frozen features first, then unfreeze every "
                    "layer and train on, 10× slower, so the features are adjusted rather than overwritten.",
                    pretrained=True, train_features=False, learning_rate=1e-3, color="#d62728", fine_tune_rate=1e-4),
}


def feature_end(model: keras.Model) -> int:
    """How many of the model's layers are its feature extractor: everything up to and including the first Flatten
    after the convolutions. ModelError when the model has no convolution block to reuse."""
    kinds = [type(layer).__name__ for layer in model.layers]
    if "Conv2D" not in kinds:
        raise ModelError("This model has no convolution layers: there are no image features to reuse. "
                         "Pick a CNN.")
    first_conv = kinds.index("Conv2D")
    for index in range(first_conv, len(kinds)):
        if kinds[index] in ("Flatten", "GlobalAveragePooling2D", "GlobalMaxPooling2D"):
            return index + 1
    raise ModelError("This CNN has no Flatten layer after its convolutions, so there is no place to cut it.")


def copy_layer(layer: keras.layers.Layer, seed: int | None = None) -> keras.layers.Layer:
    """A new layer with the same settings, trainable; with `seed`, fresh seeded random weights (else unbuilt)."""
    import keras

    config = {**layer.get_config(), "trainable": True}
    if seed is not None and "kernel_initializer" in config:
        config["kernel_initializer"] = keras.initializers.GlorotUniform(seed=seed)
        config["bias_initializer"] = "zeros"
    if "momentum" in config and isinstance(layer, keras.layers.BatchNormalization):
        config["momentum"] = SMALL_DATA_BN_MOMENTUM
    return type(layer).from_config(config)


def head_layers(num_classes: int, seed: int) -> list[keras.layers.Layer]:
    """A new, randomly initialized head for `num_classes` classes (seeded)."""
    import keras

    init = keras.initializers.GlorotUniform
    return [keras.layers.Dropout(HEAD_DROPOUT[0], seed=seed, name="head_dropout_1"),
            keras.layers.Dense(HEAD_UNITS, activation="relu", kernel_initializer=init(seed + 1), name="head_dense_2"),
            keras.layers.Dropout(HEAD_DROPOUT[1], seed=seed + 2, name="head_dropout_3"),
            keras.layers.Dense(num_classes, activation="softmax", kernel_initializer=init(seed + 3),
                               name="head_dense_4")]


def feature_layers(base: keras.Model, way: Way, seed: int) -> list[keras.layers.Layer]:
    """Copies of the base's feature layers (never the base's own objects: it may be shared), trained or fresh."""
    import keras

    sources = base.layers[:feature_end(base)]
    copies = [copy_layer(layer, seed=None if way.pretrained else seed * 100 + i) for i, layer in enumerate(sources)]
    probe = keras.Sequential([keras.Input(shape=tuple(base.inputs[0].shape[1:])), *copies])  # builds the copies
    if way.pretrained:
        for copy, source in zip(copies, sources):
            copy.set_weights(source.get_weights())
    del probe
    for copy in copies:
        # Frozen features: nothing below the head learns (trained from scratch, everything does).
        copy.trainable = way.train_features
    return copies


def unfreeze(model: keras.Model, way_name: str) -> None:
    """The fine-tune's second phase: every feature layer learns, except BatchNormalization; recompiled at the
    way's small learning rate.

    BatchNormalization stays frozen, so it keeps normalizing with the statistics the features were trained with
    (a trainable=False BN layer runs in inference mode in Keras 3): a handful of new examples per batch would
    make its batch statistics jump and wreck the features.
    """
    import keras

    way = WAYS[way_name]
    if way.fine_tune_rate is None:
        raise ValueError(f"The way {way_name!r} has no fine-tuning phase.")
    for layer in model.layers:
        if not layer.name.startswith("head_"):
            layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    model.compile(optimizer=keras.optimizers.Adam(way.fine_tune_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], jit_compile=False)


def transfer_model(base: keras.Model, way_name: str, num_classes: int, seed: int = 0) -> keras.Model:
    """The base's features (copied, frozen or not per the way) + a new head, compiled with the way's learning rate."""
    import keras

    if way_name not in WAYS:
        raise ValueError(f"Unknown way {way_name!r}; one of {', '.join(WAYS)}.")
    if num_classes < 2:
        raise ValueError("A classifier needs at least two classes.")
    way = WAYS[way_name]
    model = keras.Sequential([keras.Input(shape=tuple(base.inputs[0].shape[1:])),
                              *feature_layers(base, way, seed), *head_layers(num_classes, seed * 100 + 50)],
                             name=f"transfer_{way_name}")
    model.compile(optimizer=keras.optimizers.Adam(way.learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], jit_compile=False)  # XLA would compile each small run for seconds
    return model


def feature_extractor(base: keras.Model) -> keras.Model:
    """The base's trained feature layers as a frozen model of their own (copies: the base stays untouched)."""
    import keras

    layers = feature_layers(base, WAYS["frozen"], seed=0)
    return keras.Sequential([keras.Input(shape=tuple(base.inputs[0].shape[1:])), *layers], name="digit_features")


def trainable_counts(model: keras.Model) -> dict[str, Any]:
    """Weights that learn and weights that are frozen (what the page and the exported code point out)."""
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    frozen = sum(int(w.numpy().size) for w in model.non_trainable_weights)
    return {"trainable": trainable, "frozen": frozen}
