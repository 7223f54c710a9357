"""THE table of layer kinds: each kind's parameters, label, shape rule, Keras layer, exported code and safe reading.

Adding a kind (SimpleRNN on (steps, features), Embedding, ...) means adding one LayerKind to LAYERS: validation,
the layer table, building, the exported script, the editor's widgets and safe loading of .keras files all ask it.
Every function of an entry gets the layer's complete parameters (defaults filled in) as a mapping.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playground.core import recurrent_layers as recurrent
from playground.core.params import Param, Params, SpecError, show

Shape = tuple[int, ...]
Refuse = Callable[[str], Exception]  # makes the error that refuses a model file, given what is wrong


@dataclass(frozen=True)
class LayerKind:
    """One kind of layer, named by its Keras class; every function takes the layer's complete parameters."""

    name: str
    help: str  # one plain-language sentence, shown next to the layer in the editor
    params: tuple[Param, ...]
    describe: Callable[[Params], str]  # a short label such as 'Dense(128, relu)'
    output: Callable[[Params, Shape, str, int], tuple[Shape, int]]  # (p, input shape, 'Layer 3 (X)', 3) -> shape, count
    build: Callable[[Params, str, int], Any]  # (p, keras name, initializer seed) -> keras layer
    code: Callable[[Params], str]  # the keras.layers call in the exported script
    from_keras: Callable[[dict, Refuse], dict[str, Any]]  # a Keras config's settings -> params, or refuse(...)
    can_be_output: bool = False  # may end the network: turns its input into one score per class

    @property
    def defaults(self) -> dict[str, Any]:
        return {param.name: param.default for param in self.params}


ACTIVATIONS: tuple[str, ...] = (
    "relu", "sigmoid", "tanh", "softsign", "elu", "leaky_relu", "selu", "gelu", "swish", "linear", "softmax",
)
REGULARIZERS: dict[str, str] = {"l1": "L1", "l2": "L2"}  # our name -> keras.regularizers class (its config key: ours)

ACTIVATION = Param("activation", "relu", "The function applied to each output: relu keeps positives, softmax turns "
                   "scores into probabilities.", choices=ACTIVATIONS, width=1.5)
REGULARIZER = Param("regularizer", "none", "Penalize large weights: l1 adds rate·Σ|w| to the loss (many weights become "
                    "0), l2 adds rate·Σw² (all weights stay small). Fights overfitting.",
                    choices=("none", *REGULARIZERS), width=1.2)
REGULARIZER_RATE = Param("regularizer_rate", 0.01, "How strongly the regularizer pulls the weights toward 0.",
                         0.0, 1.0, integer=False, label="reg. rate", step=0.001,
                         enabled=lambda p: p["regularizer"] != "none")


def _receives(shape: Shape) -> str:
    """What a layer receives, in words: 'a flat vector of 100 values', 'images of shape 26 × 26 × 32'."""
    if len(shape) == 1:
        return f"a flat vector of {shape[0]} values"
    what = {2: "sequences", 3: "images"}.get(len(shape), f"arrays of rank {len(shape)}")
    return f"{what} of shape {' × '.join(map(str, shape))}"


def _regularizer_label(p: Params) -> str:
    return "" if p["regularizer"] == "none" else f", {REGULARIZERS[p['regularizer']]} {p['regularizer_rate']:g}"


def _regularizer_keras(p: Params) -> Any:
    import keras

    if p["regularizer"] == "none":
        return None
    return getattr(keras.regularizers, REGULARIZERS[p["regularizer"]])(p["regularizer_rate"])


def _regularizer_code(p: Params) -> list[str]:
    if p["regularizer"] == "none":
        return []
    return [f"kernel_regularizer=keras.regularizers.{REGULARIZERS[p['regularizer']]}({p['regularizer_rate']!r})"]


def _regularizer_from_keras(settings: dict, refuse: Refuse) -> dict[str, Any]:
    found = settings.get("kernel_regularizer")
    if found is None:
        return {"regularizer": "none"}
    keras_name = found.get("class_name") if isinstance(found, dict) else found
    name = {k: ours for ours, k in REGULARIZERS.items()}.get(keras_name) if isinstance(keras_name, str) else None
    config = found.get("config") if isinstance(found, dict) else None
    if name is None or not isinstance(config, dict) or set(config) != {name}:
        raise refuse(f"uses the kernel regularizer {show(keras_name)} (only L1 or L2 with one rate load here)")
    rate = config[name]
    if isinstance(rate, float):  # Keras keeps the rate as float32: 0.01 comes back as 0.009999999776
        rate = float(f"{rate:.7g}")
    return {"regularizer": name, "regularizer_rate": rate}


def _activation_from_keras(settings: dict, refuse: Refuse) -> str:
    name = settings.get("activation", "linear")
    name = {"silu": "swish"}.get(name, name) if isinstance(name, str) else name  # Keras saves swish as silu
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise refuse(f"uses the activation {show(name)}")
    return name


def _square_from_keras(settings: dict, name: str, refuse: Refuse) -> int:
    value = settings.get(name)
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, int) and not isinstance(v, bool) for v in values) or len(set(values)) != 1:
        raise refuse(f"has {name} {show(value)}")
    return values[0]


def _bias_from_keras(settings: dict, refuse: Refuse) -> None:
    if settings.get("use_bias", True) is not True:
        raise refuse("has no bias")


def _glorot(seed: int) -> Any:
    import keras

    return keras.initializers.GlorotUniform(seed=seed)


# Dense ------------------------------------------------------------------------------------------------------------

def _dense_output(p: Params, shape: Shape, where: str, no: int) -> tuple[Shape, int]:
    if len(shape) != 1:
        raise SpecError(f"{where} receives {_receives(shape)}, but Dense needs a flat vector. "
                        "Add a Flatten layer before it.", no)
    return (p["units"],), shape[0] * p["units"] + p["units"]


def _dense_build(p: Params, name: str, seed: int) -> Any:
    import keras

    return keras.layers.Dense(p["units"], activation=p["activation"], name=name, kernel_initializer=_glorot(seed),
                              kernel_regularizer=_regularizer_keras(p))


def _dense_code(p: Params) -> str:
    args = [str(p["units"]), f'activation="{p["activation"]}"', *_regularizer_code(p)]
    return f"layers.Dense({', '.join(args)})"


def _dense_from_keras(settings: dict, refuse: Refuse) -> dict[str, Any]:
    _bias_from_keras(settings, refuse)
    return {"units": settings.get("units"), "activation": _activation_from_keras(settings, refuse),
            **_regularizer_from_keras(settings, refuse)}


DENSE = LayerKind(
    "Dense", "Every input connects to every unit: outputs = activation(inputs · weights + bias).",
    (Param("units", 128, "How many outputs (neurons) this layer has.", 1, 4096), ACTIVATION, REGULARIZER,
     REGULARIZER_RATE),
    describe=lambda p: f"Dense({p['units']}, {p['activation']}{_regularizer_label(p)})",
    output=_dense_output, build=_dense_build, code=_dense_code, from_keras=_dense_from_keras, can_be_output=True,
)


# Images: Conv2D and pooling ---------------------------------------------------------------------------------------

def _needs_image(shape: Shape, where: str, no: int) -> None:
    if len(shape) != 3:
        raise SpecError(f"{where} needs an image (height × width × channels) but receives {_receives(shape)}. "
                        "Put it before Flatten, on an image dataset such as MNIST.", no)


def _conv_size(size: int, kernel: int, stride: int, padding: str) -> int:
    return math.ceil(size / stride) if padding == "same" else (size - kernel) // stride + 1


def _conv_output(p: Params, shape: Shape, where: str, no: int) -> tuple[Shape, int]:
    _needs_image(shape, where, no)
    k, filters = p["kernel_size"], p["filters"]
    h, w = (_conv_size(d, k, p["strides"], p["padding"]) for d in shape[:2])
    if h < 1 or w < 1:
        raise SpecError(f"{where}: a {k}×{k} kernel does not fit in its {shape[0]}×{shape[1]} input. "
                        "Use a smaller kernel, padding 'same', or fewer pooling layers before it.", no)
    return (h, w, filters), k * k * shape[2] * filters + filters


def _conv_describe(p: Params) -> str:
    k = p["kernel_size"]
    stride = "" if p["strides"] == 1 else f", stride {p['strides']}"
    pad = "" if p["padding"] == "valid" else ", same"
    return f"Conv2D({p['filters']}, {k}×{k}{stride}{pad}, {p['activation']}{_regularizer_label(p)})"


def _conv_build(p: Params, name: str, seed: int) -> Any:
    import keras

    return keras.layers.Conv2D(p["filters"], p["kernel_size"], strides=p["strides"], padding=p["padding"],
                               activation=p["activation"], name=name, kernel_initializer=_glorot(seed),
                               kernel_regularizer=_regularizer_keras(p))


def _conv_code(p: Params) -> str:
    args = [str(p["filters"]), str(p["kernel_size"])]
    if p["strides"] != 1:
        args.append(f"strides={p['strides']}")
    if p["padding"] != "valid":
        args.append(f'padding="{p["padding"]}"')
    args.append(f'activation="{p["activation"]}"')
    return f"layers.Conv2D({', '.join([*args, *_regularizer_code(p)])})"


def _conv_from_keras(settings: dict, refuse: Refuse) -> dict[str, Any]:
    _bias_from_keras(settings, refuse)
    if _square_from_keras(settings, "dilation_rate", refuse) != 1 or settings.get("groups", 1) != 1:
        raise refuse("is dilated or grouped")
    return {"filters": settings.get("filters"), "kernel_size": _square_from_keras(settings, "kernel_size", refuse),
            "strides": _square_from_keras(settings, "strides", refuse), "padding": settings.get("padding", "valid"),
            "activation": _activation_from_keras(settings, refuse), **_regularizer_from_keras(settings, refuse)}


CONV2D = LayerKind(
    "Conv2D", "Slides small learned filters over the image; each filter makes one feature map.",
    (Param("filters", 32, "How many filters, so how many feature maps come out.", 1, 512),
     Param("kernel_size", 3, "Each filter looks at a kernel × kernel window.", 1, 11, label="kernel"),
     Param("strides", 1, "How far the window moves each step: 2 halves the image.", 1, 5, label="stride"),
     Param("padding", "valid", "valid: no border, the image shrinks; same: zero border, size kept.",
           choices=("valid", "same"), width=1.5),
     ACTIVATION, REGULARIZER, REGULARIZER_RATE),
    describe=_conv_describe, output=_conv_output, build=_conv_build, code=_conv_code, from_keras=_conv_from_keras,
)


def _pooling(name: str, help_text: str) -> LayerKind:
    """MaxPooling2D and AveragePooling2D differ only in what they keep of each window."""

    def output(p: Params, shape: Shape, where: str, no: int) -> tuple[Shape, int]:
        _needs_image(shape, where, no)
        pool = p["pool_size"]
        h, w = shape[0] // pool, shape[1] // pool
        if h < 1 or w < 1:
            raise SpecError(f"{where}: a {pool}×{pool} pool shrinks its {shape[0]}×{shape[1]} input below 1×1. "
                            "Remove this pooling layer, use a smaller pool, or use padding 'same' in the convolutions.",
                            no)
        return (h, w, shape[2]), 0

    def build(p: Params, layer_name: str, seed: int) -> Any:
        import keras

        return getattr(keras.layers, name)(p["pool_size"], name=layer_name)

    def from_keras(settings: dict, refuse: Refuse) -> dict[str, Any]:
        pool = _square_from_keras(settings, "pool_size", refuse)
        if settings.get("strides") not in (None, pool, [pool, pool]) or settings.get("padding", "valid") != "valid":
            raise refuse("has strides or padding other than its pool size")
        return {"pool_size": pool}

    return LayerKind(name, help_text, (Param("pool_size", 2, "The window is pool × pool; the image shrinks by it.",
                                             1, 8, label="pool"),),
                     describe=lambda p: f"{name}({p['pool_size']}×{p['pool_size']})", output=output, build=build,
                     code=lambda p: f"layers.{name}({p['pool_size']})", from_keras=from_keras)


# Shape-keeping and reshaping layers --------------------------------------------------------------------------------

def _flatten_build(p: Params, name: str, seed: int) -> Any:
    import keras

    return keras.layers.Flatten(name=name)


def _dropout_build(p: Params, name: str, seed: int) -> Any:
    import keras

    return keras.layers.Dropout(p["rate"], seed=seed, name=name)


def _batchnorm_build(p: Params, name: str, seed: int) -> Any:
    import keras

    return keras.layers.BatchNormalization(name=name)


def _batchnorm_from_keras(settings: dict, refuse: Refuse) -> dict[str, Any]:
    if settings.get("axis", -1) not in (-1, [-1], 3, [3]) or settings.get("epsilon", 1e-3) != 1e-3 \
            or settings.get("center", True) is not True or settings.get("scale", True) is not True:
        raise refuse("has settings other than Keras' defaults")
    return {}


FLATTEN = LayerKind(
    "Flatten", "Unrolls an image (height × width × channels) into one long vector for Dense layers.", (),
    describe=lambda p: "Flatten()", output=lambda p, shape, where, no: ((math.prod(shape),), 0),
    build=_flatten_build, code=lambda p: "layers.Flatten()", from_keras=lambda settings, refuse: {},
)
DROPOUT = LayerKind(
    "Dropout", "During training, zeroes a random fraction `rate` of the values: fights overfitting.",
    (Param("rate", 0.25, "Fraction of values zeroed at random while training.", 0.0, 0.95, integer=False, step=0.05),),
    describe=lambda p: f"Dropout({p['rate']})", output=lambda p, shape, where, no: (shape, 0),
    build=_dropout_build, code=lambda p: f"layers.Dropout({p['rate']!r})",
    from_keras=lambda settings, refuse: {"rate": settings.get("rate")},
)
BATCH_NORMALIZATION = LayerKind(
    "BatchNormalization", "Rescales each feature to mean 0, std 1 over the batch, then learns a scale and shift.", (),
    describe=lambda p: "BatchNormalization()",
    # gamma, beta (trained) + moving mean, moving variance, one each per feature (the last axis)
    output=lambda p, shape, where, no: (shape, 4 * shape[-1]),
    build=_batchnorm_build, code=lambda p: "layers.BatchNormalization()", from_keras=_batchnorm_from_keras,
)


# Sequences: SimpleRNN, LSTM, GRU and Bidirectional read (steps, features); their functions are in recurrent_layers.py.

def _recurrent(name: str, params: tuple[Param, ...]) -> LayerKind:
    return LayerKind(name, recurrent.HELP[name], params, describe=recurrent.describe(name),
                     output=recurrent.output(name), build=recurrent.build(name), code=recurrent.code(name),
                     from_keras=recurrent.from_keras(name, _activation_from_keras))


RECURRENT = (
    _recurrent("SimpleRNN", (recurrent.UNITS, recurrent.RETURN_SEQUENCES,
                             Param("activation", "tanh", "Squashes the new state: tanh keeps it in (−1, 1).",
                                   choices=ACTIVATIONS, width=1.5))),
    _recurrent("LSTM", (recurrent.UNITS, recurrent.RETURN_SEQUENCES)),
    _recurrent("GRU", (recurrent.UNITS, recurrent.RETURN_SEQUENCES)),
    _recurrent("Bidirectional", (recurrent.CELL, recurrent.UNITS, recurrent.RETURN_SEQUENCES)),
)

LAYERS: dict[str, LayerKind] = {kind.name: kind for kind in (
    DENSE, CONV2D,
    _pooling("MaxPooling2D", "Keeps the largest value of each pool_size × pool_size window: halves the image for pool 2."),
    _pooling("AveragePooling2D", "Keeps the mean of each pool_size × pool_size window."),
    FLATTEN, DROPOUT, BATCH_NORMALIZATION, *RECURRENT,
)}
