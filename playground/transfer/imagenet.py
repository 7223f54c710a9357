"""Pre-trained ImageNet networks (keras.applications) classify a photo, only when their weights are on this machine.

The weights (17 MB for MobileNet, 98 MB for ResNet50, 528 MB for VGG16) cannot ship with the app and the app never
downloads anything: if a file is in Keras' cache folder (~/.keras/models, where Keras itself would save it), it
is used from there; otherwise the page says how to put it there.
"""

from __future__ import annotations

import functools
import io
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024**2
MAX_PHOTO_PIXELS = 40_000_000
CLASS_INDEX_FILE = "imagenet_class_index.json"  # the 1,000 class names; Keras caches it next to the weights


class PhotoError(ValueError):
    """A photo or weights file that cannot be used; the message says why in plain words."""


@dataclass(frozen=True)
class Application:
    """One keras.applications network: its builder, its preprocessing module, its weights file and input size."""

    title: str
    builder: str  # attribute of keras.applications
    module: str  # keras.applications.<module>.preprocess_input
    weights_file: str
    side: int
    megabytes: int


APPLICATIONS: dict[str, Application] = {
    "mobilenet": Application("MobileNet", "MobileNet", "mobilenet", "mobilenet_1_0_224_tf.h5", 224, 17),
    "resnet50": Application("ResNet50", "ResNet50", "resnet50", "resnet50_weights_tf_dim_ordering_tf_kernels.h5",
                            224, 98),
    "inception_v3": Application("InceptionV3", "InceptionV3", "inception_v3",
                                "inception_v3_weights_tf_dim_ordering_tf_kernels.h5", 299, 92),
    "vgg16": Application("VGG16", "VGG16", "vgg16", "vgg16_weights_tf_dim_ordering_tf_kernels.h5", 224, 528),
}


def weights_folder() -> Path:
    """Where Keras keeps downloaded weights: $KERAS_HOME/models, else ~/.keras/models."""
    home = os.environ.get("KERAS_HOME")
    return (Path(home) if home else Path.home() / ".keras") / "models"


def available(folder: Path | None = None) -> dict[str, Path]:
    """The applications whose weights file is in `folder` (default: Keras' cache), by name."""
    folder = folder or weights_folder()
    return {name: folder / app.weights_file for name, app in APPLICATIONS.items() if (folder / app.weights_file).is_file()}


def how_to_get(name: str, folder: Path | None = None) -> str:
    """What to run, on a machine that is online, to put the weights where this panel looks (Markdown)."""
    app, folder = APPLICATIONS[name], folder or weights_folder()
    return (f"On a machine with internet access, run this once: it saves `{app.weights_file}` (about "
            f"{app.megabytes} MB) and `{CLASS_INDEX_FILE}` (the class names) to `~/.keras/models/`.\n\n"
            f"```python\nimport numpy as np, keras\nkeras.applications.{app.builder}(weights=\"imagenet\")\n"
            "keras.applications.imagenet_utils.decode_predictions(np.zeros((1, 1000)))\n```\n\n"
            f"Then copy both files into `{folder}` on this server and reload the page. The playground itself never "
            "downloads anything.")


def class_names(folder: Path | None = None) -> list[str] | None:
    """The 1,000 ImageNet class names from Keras' cached class index, or None if it is not there (or unreadable)."""
    path = (folder or weights_folder()) / CLASS_INDEX_FILE
    try:
        index = json.loads(path.read_text())
        return [str(index[str(i)][1]).replace("_", " ") for i in range(len(index))]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


def photo_rgb(data: bytes, side: int) -> np.ndarray:
    """An uploaded photo as (side, side, 3) uint8 RGB: upright, centre-cropped to a square, resized.

    The size is checked from the header before decoding, and JPEGs are decoded already shrunk, so a crafted file
    cannot take the server's memory.
    """
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(f"The photo is {len(data) / 1024**2:.1f} MB; the limit is {MAX_PHOTO_BYTES // 1024**2} MB.")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise PhotoError(f"The photo has {image.width} × {image.height} pixels; the limit is "
                                 f"{MAX_PHOTO_PIXELS / 1e6:.0f} megapixels.")
            image.draft("RGB", (side * 2, side * 2))  # JPEG: decode at a fraction of the size when that is enough
            upright = ImageOps.exif_transpose(image).convert("RGB")
            return np.asarray(ImageOps.fit(upright, (side, side), Image.Resampling.BICUBIC), dtype=np.uint8)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as error:
        if isinstance(error, PhotoError):
            raise
        raise PhotoError("This file is not a picture that can be read (PNG, JPEG, WebP, GIF or BMP).") from None


def classify(model: Any, preprocess: Callable[[np.ndarray], np.ndarray], photo: np.ndarray,
             names: list[str] | None, top: int = 5) -> list[tuple[str, float]]:
    """The `top` most probable classes of one (side, side, 3) photo as (name, probability), most probable first.

    Without the class names, classes are called by their index ('class 281').
    """
    batch = preprocess(np.asarray(photo, np.float32)[np.newaxis].copy())
    probabilities = np.asarray(model.predict_on_batch(batch), dtype=np.float64)[0]
    best = np.argsort(probabilities)[::-1][:top]
    return [(names[i] if names is not None and i < len(names) else f"class {i}", float(probabilities[i]))
            for i in best]


_load_lock = threading.Lock()


@functools.cache
def _load(name: str, path: str) -> tuple[Any, Callable[[np.ndarray], np.ndarray]]:
    import importlib

    import keras

    app = APPLICATIONS[name]
    # weights=<a file path>: Keras loads that file and downloads nothing.
    model = getattr(keras.applications, app.builder)(weights=path)
    model.trainable = False
    preprocess = importlib.import_module(f"keras.applications.{app.module}").preprocess_input
    return model, preprocess


def load_application(name: str, folder: Path | None = None) -> tuple[Any, Callable[[np.ndarray], np.ndarray]]:
    """The network with its ImageNet weights from `folder`, and its preprocess_input (loaded once per process)."""
    found = available(folder)
    if name not in found:
        raise PhotoError(f"The {APPLICATIONS[name].title} weights are not on this machine. {how_to_get(name, folder)}")
    with _load_lock:
        try:
            return _load(name, str(found[name]))
        except (OSError, ValueError) as error:
            raise PhotoError(f"The weights file {found[name]} could not be loaded ({error}); it may be incomplete: "
                             "copy it again.") from None
