"""Safe loading of .keras files: the engine rebuilds the network from config.json (plain JSON), then loads weights.

No code from a file ever runs: an unknown layer or setting is refused by name.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.core.layers import LAYERS
from playground.core.params import show
from playground.core.specs import LayerSpec, NetworkSpec, SpecError, checked_layer

if TYPE_CHECKING:
    import keras

MAX_MODEL_BYTES = 50 * 1024**2  # an uploaded .keras file (zip)
MAX_UNPACKED_BYTES = 200 * 1024**2  # what that zip may expand to: refuse zip bombs before Keras opens it
MAX_CONFIG_BYTES = 4 * 1024**2  # config.json unpacked: 40 of our layers take a few kB; checked before it is read
MAX_FILE_LAYERS = 100  # layers in a model file's config (the playground trains 40; a file may hold InputLayer etc.)
MNIST_INPUTS = ((28, 28, 1), (28, 28), (784,))  # what a model may take: images or the flattened 784 pixels


class ModelError(ValueError):
    """A model file that cannot be used here; the message says why in plain words."""


def _check_size(size: int, limit: int | None) -> None:
    if limit is not None and size > limit:
        raise ModelError(f"The model file is {size / 1024**2:.1f} MB; the limit is {limit / 1024**2:.0f} MB.")


def read_archive_config(path: Path, limit: int | None = MAX_MODEL_BYTES) -> dict:
    """The model's config.json, after checking the file's size and that it is a sane zip (no zip bombs); ModelError
    otherwise. Nothing but this JSON is read, so it is safe to call before any library opens the file."""
    _check_size(path.stat().st_size, limit)
    if not zipfile.is_zipfile(path):
        raise ModelError("This is not a Keras model file: a .keras file is a zip archive saved by model.save().")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            config_info = next((info for info in infos if info.filename == "config.json"), None)
            if config_info is None:
                raise ModelError("This zip is not a Keras model file: it has no config.json (save it with "
                                 "model.save()).")
            if limit is not None and unpacked > MAX_UNPACKED_BYTES:
                raise ModelError(f"The model unpacks to {unpacked / 1024**2:.0f} MB; the limit is "
                                 f"{MAX_UNPACKED_BYTES / 1024**2:.0f} MB.")
            # The size the zip declares, checked before reading: a small file may unpack to gigabytes. Reading
            # stops one byte past the limit too, in case the declared size lies.
            if config_info.file_size > MAX_CONFIG_BYTES:
                raise ModelError(f"This model's config.json unpacks to {config_info.file_size / 1024**2:.0f} MB; "
                                 f"the limit is {MAX_CONFIG_BYTES / 1024**2:.0f} MB (a playground network needs a few kB).")
            with archive.open(config_info) as stream:
                text = stream.read(MAX_CONFIG_BYTES + 1)
            if len(text) > MAX_CONFIG_BYTES:
                raise ModelError(f"This model's config.json is larger than {MAX_CONFIG_BYTES / 1024**2:.0f} MB.")
            config = json.loads(text)
    except ModelError:
        raise
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError, ValueError, EOFError) as error:  # JSONDecodeError too
        raise ModelError(f"This model file is damaged: {str(error)[:200]}.") from None
    except RecursionError:
        raise ModelError("This model file is damaged: its config.json is nested thousands of levels deep.") from None
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
    config = read_archive_config(path, limit)
    network, input_shape = network_from_keras_config(config)
    quantized = int8_layers(config)
    if input_shape not in MNIST_INPUTS:
        raise ModelError(f"This model takes inputs of shape {input_shape}, but an MNIST digit is 28×28×1 "
                         "(or 784 flattened pixels). It is not an MNIST classifier.")
    from playground.core.build import build_model

    try:
        model = build_model(network, input_shape, num_classes=10)
    except SpecError as error:
        raise ModelError(f"This model cannot be rebuilt here: {error}") from None
    for position in quantized:  # int8 layers get their int8 kernel and scale variables before the weights load
        _quantize_int8(model.layers[position], position + 1)
    try:
        model.load_weights(path)
    except Exception as error:  # noqa: BLE001 -- Keras raises several types for weights that do not fit; all mean the same
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


def _object(value: Any, what: str) -> dict:
    """A JSON object read from a model's config, or a ModelError: every value in a file is checked before use."""
    if not isinstance(value, dict):
        raise ModelError(f"This model file is damaged: {what} should be a JSON object, not {show(value)}.")
    return value


def _input_shape(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) < 2 or value[0] is not None and not isinstance(value[0], int) \
            or not all(isinstance(d, int) and not isinstance(d, bool) and 0 < d <= 100_000 for d in value[1:]):
        raise ModelError("This model file does not say what input it takes (save the model after building it).")
    return tuple(value[1:])


def network_from_keras_config(config: Any) -> tuple[NetworkSpec, tuple[int, ...]]:
    """A Keras Sequential model's config (plain JSON) as the playground's own network spec, and its input shape.

    Only the layers and settings the playground can build are accepted; anything else (a Lambda, a custom
    layer, a functional graph, a bias switched off…) is a ModelError that names it. Every value read from the
    file is type-checked first: a crafted config is refused with a message, never an exception.
    """
    config = _object(config, "its config.json")
    if config.get("class_name") != "Sequential":
        raise ModelError(f"Only Sequential models can be loaded here (this one is {show(config.get('class_name'))}): "
                         "build it as keras.Sequential([...]) or train it on the Build & train page.")
    layer_configs = _object(config.get("config") or {}, "the model's 'config'").get("layers") or []
    if not isinstance(layer_configs, list):
        raise ModelError(f"This model file is damaged: its 'layers' should be a list, not {show(layer_configs)}.")
    if len(layer_configs) > MAX_FILE_LAYERS:
        raise ModelError(f"This model has {len(layer_configs):,} layers; the playground loads at most "
                         f"{MAX_FILE_LAYERS}.")
    input_shape = _object(config.get("build_config") or {}, "the model's 'build_config'").get("input_shape")
    layers = []
    for position, entry in enumerate(layer_configs, start=1):
        entry = _object(entry, f"layer entry {position}")
        class_name, settings = entry.get("class_name"), _object(entry.get("config") or {}, f"layer {position}'s config")
        if class_name == "InputLayer":
            input_shape = settings.get("batch_shape") or settings.get("batch_input_shape")
            continue
        layers.append(_layer_from_keras(class_name, settings, len(layers) + 1))
    return NetworkSpec(tuple(layers)), _input_shape(input_shape)


def int8_layers(config: dict) -> tuple[int, ...]:
    """0-based positions (InputLayer not counted) of the layers a file stores quantized by Keras' int8 mode.

    Keras writes a quantized layer's dtype as {"class_name": "QuantizedDTypePolicy", "config": {"mode": "int8",
    "source_name": "float32"}}. Only that is accepted; other quantized modes (int4, float8, GPTQ...) are refused
    by name. A float16 dtype needs nothing: its weights load into the float32 layers, which keep their values.
    """
    positions, built = [], 0  # built: layers before this one that the engine builds (InputLayer is not one)
    for entry in (config.get("config") or {}).get("layers") or []:
        if entry.get("class_name") == "InputLayer":
            continue
        dtype = (entry.get("config") or {}).get("dtype")
        if isinstance(dtype, dict) and str(dtype.get("class_name", "")).startswith("Quantized"):
            settings = dtype.get("config") if isinstance(dtype.get("config"), dict) else {}
            if settings.get("mode") != "int8" or settings.get("source_name", "float32") != "float32":
                raise ModelError(f"Layer {built + 1} is quantized as {show(settings.get('mode'))}; the playground "
                                 "loads float32, float16 and Keras' int8 quantization only.")
            positions.append(built)
        built += 1
    return tuple(positions)


def _quantize_int8(layer: Any, position: int) -> None:
    try:
        layer.quantize("int8")
    except (NotImplementedError, AttributeError, ValueError):
        raise ModelError(f"Layer {position} ({type(layer).__name__}) is stored as int8, which Keras supports for "
                         "Dense layers only.") from None


def _layer_from_keras(class_name: Any, settings: dict, position: int) -> LayerSpec:
    """One layer's Keras config as our LayerSpec, read by its entry in the layer table; refused by name otherwise."""
    label = class_name if isinstance(class_name, str) and len(class_name) <= 40 else show(class_name)

    def refuse(what: str) -> ModelError:
        return ModelError(f"Layer {position} ({label}) {what}. The playground rebuilds a model file's network itself "
                          "(no code from a file ever runs), so it loads only Sequential stacks of "
                          f"{', '.join(LAYERS)} layers with their usual settings.")

    if not isinstance(class_name, str) or class_name not in LAYERS:
        raise refuse("is not one of the playground's layers")
    try:
        return checked_layer(LayerSpec(class_name, LAYERS[class_name].from_keras(settings, refuse)), position)
    except SpecError as error:
        raise ModelError(f"This model cannot be rebuilt here: {error}") from None


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
