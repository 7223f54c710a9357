"""Crafted .keras model files, as a hostile upload would make them, built here (never downloaded) for tests and bench.

A .keras file is a zip holding config.json (the network as plain JSON), metadata.json and the weights. Each file
below is a zip whose config.json is wrong in one way: a value of the wrong JSON type, nesting thousands deep,
NaN or Infinity where a number belongs, or a few hundred KB that unpack to hundreds of MB.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any


def dense(units: Any = 10, **settings: Any) -> dict:
    """A Dense layer's entry as Keras saves it."""
    return {"module": "keras.layers", "class_name": "Dense",
            "config": {"name": "dense", "units": units, "activation": "softmax", "use_bias": True, **settings}}


def sequential(layers: Any, input_shape: Any = (None, 784)) -> dict:
    """A Sequential model's config.json, as model.save() writes it, around the given layer entries."""
    shape = list(input_shape) if isinstance(input_shape, tuple) else input_shape
    return {"module": "keras", "class_name": "Sequential",
            "config": {"name": "sequential", "layers": [
                {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": shape}},
                *layers] if isinstance(layers, list) else layers},
            "build_config": {"input_shape": shape}}


def deeply_nested(depth: int = 100_000) -> str:
    """A config.json whose units sit `depth` brackets deep: json.loads raises RecursionError on it."""
    return json.dumps(sequential([dense()]))[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"


# name -> config.json text: each wrong in one way, otherwise a plain 784 -> 10 classifier.
CRAFTED_CONFIGS: dict[str, str] = {
    "config_is_a_list": json.dumps({"class_name": "Sequential", "config": [1, 2, 3]}),
    "layers_are_integers": json.dumps(sequential([1, 2, 3])),
    "layers_is_an_object": json.dumps(sequential({"0": dense()})),
    "layer_config_is_a_list": json.dumps(sequential([{"class_name": "Dense", "config": [10, "softmax"]}])),
    "class_name_is_a_list": json.dumps({**sequential([dense()]), "class_name": ["Sequential"]}),
    "layer_class_is_an_object": json.dumps(sequential([{"class_name": {"Dense": 1}, "config": {}}])),
    "top_level_is_a_list": json.dumps([sequential([dense()])]),
    "units_nan": json.dumps(sequential([dense(float("nan"))])),
    "units_infinity": json.dumps(sequential([dense(float("inf"))])),
    "units_huge_exponent": json.dumps(sequential([dense()])).replace('"units": 10', '"units": 1e400'),
    "units_a_list": json.dumps(sequential([dense([[10]])])),
    "kernel_size_nested": json.dumps(sequential([{"class_name": "Conv2D", "config": {
        "filters": 4, "kernel_size": [[3], [3]], "strides": [1, 1], "dilation_rate": [1, 1]}}, dense()],
        (None, 28, 28, 1))),
    "input_shape_of_strings": json.dumps(sequential([dense()], [None, "784"])),
    "input_shape_nan": json.dumps(sequential([dense()], [None, float("nan")])),
    "regularizer_of_another_kind": json.dumps(sequential([dense(kernel_regularizer={
        "module": "keras.regularizers", "class_name": "L1L2", "config": {"l1": 0.1, "l2": 0.1}})])),
    "regularizer_rate_nan": json.dumps(sequential([dense(kernel_regularizer={
        "module": "keras.regularizers", "class_name": "L2", "config": {"l2": float("nan")}})])),
    "deeply_nested": deeply_nested(),
    "thousands_of_layers": json.dumps(sequential([dense(784, activation="relu")] * 5000 + [dense()])),
}


def write_model_zip(path: str | Path, config_text: str | bytes) -> Path:
    """A .keras-shaped zip with this config.json and a metadata.json (no weights: loading refuses it before them)."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.0"}))
        archive.writestr("config.json", config_text)
    return path


def write_config_bomb(path: str | Path, unpacked_bytes: int = 190 * 1024**2) -> Path:
    """A zip of a few hundred KB whose config.json unpacks to `unpacked_bytes` (valid JSON: spaces, then {})."""
    path = Path(path)
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.json", "{}")
        with archive.open("config.json", "w", force_zip64=True) as stream:
            for _ in range(unpacked_bytes // len(chunk)):
                stream.write(chunk)
            stream.write(b"{}")
    return path


def write_crafted_models(folder: str | Path) -> dict[str, Path]:
    """Every crafted file of CRAFTED_CONFIGS, plus a config bomb, written into folder: name -> path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {name: write_model_zip(folder / f"{name}.keras", text) for name, text in CRAFTED_CONFIGS.items()}
    files["config_bomb"] = write_config_bomb(folder / "config_bomb.keras")
    return files
