"""Safe loading of .keras files: the engine rebuilds the network from config.json (plain JSON), then loads weights.

No code from a file ever runs: an unknown layer or setting is refused by name.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.core.specs import ACTIVATIONS, LAYER_DEFAULTS, LayerSpec, NetworkSpec, SpecError, layer

if TYPE_CHECKING:
    import keras

MAX_MODEL_BYTES = 50 * 1024**2  # an uploaded .keras file (zip)
MAX_UNPACKED_BYTES = 200 * 1024**2  # what that zip may expand to: refuse zip bombs before Keras opens it
MNIST_INPUTS = ((28, 28, 1), (28, 28), (784,))  # what a model may take: images or the flattened 784 pixels


class ModelError(ValueError):
    """A model file that cannot be used here; the message says why in plain words."""


def _check_size(size: int, limit: int | None) -> None:
    if limit is not None and size > limit:
        raise ModelError(f"The model file is {size / 1024**2:.1f} MB; the limit is {limit / 1024**2:.0f} MB.")


def _read_archive_config(path: Path, limit: int | None) -> dict:
    """The model's config.json, after checking the file's size and that it is a sane zip (no zip bombs)."""
    _check_size(path.stat().st_size, limit)
    if not zipfile.is_zipfile(path):
        raise ModelError("This is not a Keras model file: a .keras file is a zip archive saved by model.save().")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
            if "config.json" not in names:
                raise ModelError("This zip is not a Keras model file: it has no config.json (save it with "
                                 "model.save()).")
            if limit is not None and unpacked > MAX_UNPACKED_BYTES:
                raise ModelError(f"The model unpacks to {unpacked / 1024**2:.0f} MB; the limit is "
                                 f"{MAX_UNPACKED_BYTES / 1024**2:.0f} MB.")
            config = json.loads(archive.read("config.json"))
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"This model file is damaged: {error}.") from None
    if not isinstance(config, dict):
        raise ModelError("This model file is damaged: its config.json is not a Keras model config.")
    return config


def load_model_file(path: str | Path, limit: int | None = MAX_MODEL_BYTES) -> keras.Model:
    """Rebuild the file's network with the engine, then load only its weights into it.

    Keras never deserializes anything from the file: its config.json is read as plain JSON and translated into
    a NetworkSpec of the playground's own layers (network_from_keras_config); the engine builds that model and
    Keras loads the weight arrays. A layer the playground does not know is refused, so no code from a file runs.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"No such model file: {path}.")
    network, input_shape = network_from_keras_config(_read_archive_config(path, limit))
    if input_shape not in MNIST_INPUTS:
        raise ModelError(f"This model takes inputs of shape {input_shape}, but an MNIST digit is 28×28×1 "
                         "(or 784 flattened pixels). It is not an MNIST classifier.")
    from playground.core.build import build_model

    try:
        model = build_model(network, input_shape, num_classes=10)
    except SpecError as error:
        raise ModelError(f"This model cannot be rebuilt here: {error}") from None
    try:
        model.load_weights(path)
    except Exception as error:  # Keras raises several types for weights that do not fit; all mean the same
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelError(f"The weights in this file do not fit its layers: {reason[:300]}") from None
    check_mnist_model(model)
    return model


def load_model_bytes(data: bytes, limit: int = MAX_MODEL_BYTES) -> keras.Model:
    """Load an uploaded .keras file from its bytes (see load_model_file)."""
    _check_size(len(data), limit)  # before writing it to disk
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "uploaded.keras"
        path.write_bytes(data)
        return load_model_file(path, limit)


def network_from_keras_config(config: dict) -> tuple[NetworkSpec, tuple[int, ...]]:
    """A Keras Sequential model's config (plain JSON) as the playground's own network spec, and its input shape.

    Only the layers and settings the playground can build are accepted; anything else (a Lambda, a custom
    layer, a functional graph, a bias switched off…) is a ModelError that names it.
    """
    if config.get("class_name") != "Sequential":
        raise ModelError(f"Only Sequential models can be loaded here (this one is {config.get('class_name')!r}): "
                         "build it as keras.Sequential([...]) or train it on the Build & train page.")
    layer_configs = (config.get("config") or {}).get("layers") or []
    input_shape = (config.get("build_config") or {}).get("input_shape")
    layers = []
    for entry in layer_configs:
        kind, settings = entry.get("class_name"), entry.get("config") or {}
        if kind == "InputLayer":
            input_shape = settings.get("batch_shape") or settings.get("batch_input_shape")
            continue
        layers.append(_layer_from_keras(kind, settings, len(layers) + 1))
    if not isinstance(input_shape, list) or len(input_shape) < 2:
        raise ModelError("This model file does not say what input it takes (save the model after building it).")
    return NetworkSpec(tuple(layers)), tuple(input_shape[1:])


def _layer_from_keras(kind: Any, settings: dict, position: int) -> LayerSpec:
    def refuse(what: str) -> ModelError:
        return ModelError(f"Layer {position} ({kind}) {what}. The playground rebuilds a model file's network itself "
                          f"(no code from a file ever runs), so it loads only Sequential stacks of "
                          f"{', '.join(LAYER_DEFAULTS)} layers with their usual settings.")

    def square(name: str) -> int:
        value = settings.get(name)
        values = value if isinstance(value, list) else [value]
        if len(set(values)) != 1 or not isinstance(values[0], int):
            raise refuse(f"has {name} {value}")
        return values[0]

    def activation() -> str:
        name = settings.get("activation", "linear")
        if name not in ACTIVATIONS:
            raise refuse(f"uses the activation {name!r}")
        return name

    if kind not in LAYER_DEFAULTS:
        raise refuse("is not one of the playground's layers")
    if kind in ("Dense", "Conv2D") and settings.get("use_bias", True) is not True:
        raise refuse("has no bias")
    if kind == "Dense":
        return layer(kind, units=settings.get("units"), activation=activation())
    if kind == "Conv2D":
        if square("dilation_rate") != 1 or settings.get("groups", 1) != 1:
            raise refuse("is dilated or grouped")
        return layer(kind, filters=settings.get("filters"), kernel_size=square("kernel_size"),
                     strides=square("strides"), padding=settings.get("padding", "valid"), activation=activation())
    if kind in ("MaxPooling2D", "AveragePooling2D"):
        pool = square("pool_size")
        if settings.get("strides") not in (None, pool, [pool, pool]) or settings.get("padding", "valid") != "valid":
            raise refuse("has strides or padding other than its pool size")
        return layer(kind, pool_size=pool)
    if kind == "Dropout":
        return layer(kind, rate=settings.get("rate"))
    if kind == "BatchNormalization":
        if settings.get("axis", -1) not in (-1, [-1], 3, [3]) or settings.get("epsilon", 1e-3) != 1e-3 \
                or not settings.get("center", True) or not settings.get("scale", True):
            raise refuse("has settings other than Keras' defaults")
    return layer(kind)


def check_mnist_model(model: keras.Model) -> None:
    """Raise ModelError unless the model takes one 28×28(×1) image (or 784 pixels) and outputs 10 classes."""
    try:
        inputs, outputs = model.inputs, model.outputs
    except (AttributeError, ValueError):  # a subclassed model that was saved without ever being built
        inputs = outputs = None
    if not inputs or not outputs or len(inputs) != 1 or len(outputs) != 1:
        raise ModelError("The model must have exactly one input (the image) and one output (10 class scores).")
    input_shape = tuple(inputs[0].shape[1:])
    output_shape = tuple(outputs[0].shape[1:])
    if input_shape not in MNIST_INPUTS:
        raise ModelError(f"This model takes inputs of shape {input_shape}, but an MNIST digit is 28×28×1 "
                         "(or 784 flattened pixels). It is not an MNIST classifier.")
    if output_shape != (10,):
        raise ModelError(f"This model outputs shape {output_shape}, but an MNIST classifier outputs 10 class "
                         "scores, one per digit.")
