"""Teach it new symbols: a few drawn examples of 2–5 new classes, a head on the frozen digit CNN, live predictions.

The examples are plain data (names, 28×28 images, labels) that live in the page's session and travel as a small
.npz file: export with to_npz_bytes, import with from_npz_bytes, which checks everything before trusting it.
"""

from __future__ import annotations

import functools
import io
import math
import threading
import time
import zipfile
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from PIL import Image

from playground.digits.preprocessing import DigitError, is_blank, to_mnist
from playground.jobs.base import Job
from playground.jobs.callbacks import progress_callback_class

MIN_CLASSES, MAX_CLASSES = 2, 5
MIN_EXAMPLES, MAX_EXAMPLES = 3, 20  # per class; 5–10 work best
MAX_NAME = 20
MAX_NPZ_BYTES = 2 * 1024**2  # 100 images of 28×28 take ~80 kB; anything much bigger is not ours
COPIES = 24  # each drawing is shown to the head in this many slightly moved, turned, resized versions
EPOCHS = 12
BATCH_SIZE = 64


class SymbolError(ValueError):
    """Examples that cannot be used: the message says what is wrong and what to do."""


@dataclass(frozen=True)
class SymbolSet:
    """The user's little data set: class names, and 28×28 images in [0, 1] with their class index."""

    names: tuple[str, ...] = ()
    images: np.ndarray = field(default_factory=lambda: np.zeros((0, 28, 28), np.float32))
    labels: np.ndarray = field(default_factory=lambda: np.zeros((0,), np.int32))

    def counts(self) -> list[int]:
        return [int(np.sum(self.labels == i)) for i in range(len(self.names))]

    def of_class(self, index: int) -> np.ndarray:
        return self.images[self.labels == index]

    def with_names(self, names: list[str] | tuple[str, ...]) -> SymbolSet:
        """Renamed / added / removed classes: examples of removed classes (at the end) go too."""
        names = tuple(check_names(names))
        keep = self.labels < len(names)
        return SymbolSet(names, self.images[keep], self.labels[keep])

    def add(self, index: int, image: np.ndarray) -> SymbolSet:
        if not 0 <= index < len(self.names):
            raise SymbolError("Pick one of your classes first.")
        if self.counts()[index] >= MAX_EXAMPLES:
            raise SymbolError(f"'{self.names[index]}' already has {MAX_EXAMPLES} examples, the most it keeps.")
        return replace(self, images=np.concatenate([self.images, image[np.newaxis].astype(np.float32)]),
                       labels=np.append(self.labels, np.int32(index)).astype(np.int32))

    def remove(self, position: int) -> SymbolSet:
        keep = np.arange(len(self.labels)) != position
        return replace(self, images=self.images[keep], labels=self.labels[keep])


def check_names(names: list[str] | tuple[str, ...]) -> list[str]:
    """Stripped class names; SymbolError for an empty, too long or repeated name, or too many classes."""
    cleaned = [str(name).strip() for name in names]
    if len(cleaned) > MAX_CLASSES:
        raise SymbolError(f"At most {MAX_CLASSES} classes: a few examples each cannot separate more.")
    for name in cleaned:
        if not name:
            raise SymbolError("Every class needs a name (a symbol such as ✓, a letter, your initials).")
        if len(name) > MAX_NAME:
            raise SymbolError(f"'{name[:MAX_NAME]}…' is too long: class names have at most {MAX_NAME} characters.")
    if len(set(cleaned)) < len(cleaned):
        raise SymbolError("Two classes have the same name: give each class its own name.")
    return cleaned


def drawing_to_example(pixels: np.ndarray | None) -> np.ndarray:
    """A canvas drawing as a 28×28 example (the Draw page's preprocessing); SymbolError for an empty canvas."""
    if pixels is None or is_blank(pixels):
        raise SymbolError("The canvas is empty: draw the symbol first, then add it as an example.")
    try:
        return to_mnist(pixels)
    except DigitError as error:
        raise SymbolError(str(error)) from None


def check_trainable(symbols: SymbolSet) -> None:
    """SymbolError unless there are 2–5 named classes with enough examples each."""
    check_names(symbols.names)
    if len(symbols.names) < MIN_CLASSES:
        raise SymbolError("Name at least two classes: with one class there is nothing to tell apart.")
    for name, count in zip(symbols.names, symbols.counts()):
        if count < MIN_EXAMPLES:
            have = "no examples" if count == 0 else f"only {count} example{'s' if count > 1 else ''}"
            raise SymbolError(f"'{name}' has {have}: draw at least {MIN_EXAMPLES} (5–10 work best), so the network "
                              "sees how the symbol varies.")


def to_npz_bytes(symbols: SymbolSet) -> bytes:
    """The examples as a compressed .npz: names (k,) str, images (n, 28, 28) uint8, labels (n,) uint8."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, names=np.array(symbols.names, dtype=str),
                        images=np.round(symbols.images * 255).astype(np.uint8), labels=symbols.labels.astype(np.uint8))
    return buffer.getvalue()


def from_npz_bytes(data: bytes, fixed_names: tuple[str, ...] | None = None) -> SymbolSet:
    """Examples from an uploaded .npz (see to_npz_bytes), checked item by item; SymbolError says what is wrong.

    `fixed_names`: the classes must be exactly these (the handwriting set's digits 0–9).
    """
    if len(data) > MAX_NPZ_BYTES:
        raise SymbolError(f"The file is {len(data) / 1024**2:.1f} MB; an examples file is well under "
                          f"{MAX_NPZ_BYTES // 1024**2} MB.")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:  # no pickles: nothing in a file runs
            missing = {"names", "images", "labels"} - set(archive.files)
            if missing:
                raise SymbolError(f"This .npz has no {', '.join(sorted(missing))}: it was not exported from this page.")
            if sum(archive.zip.getinfo(f"{key}.npy").file_size for key in archive.files) > 4 * MAX_NPZ_BYTES:
                raise SymbolError("This .npz unpacks to far more than an examples file holds.")
            names, images, labels = archive["names"], archive["images"], archive["labels"]
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, KeyError) as error:
        if isinstance(error, SymbolError):
            raise
        raise SymbolError(f"This is not an examples file (.npz) exported from this page: {error}") from None
    limit = (len(fixed_names) if fixed_names else MAX_CLASSES) * MAX_EXAMPLES
    if names.ndim != 1 or names.dtype.kind != "U":
        raise SymbolError("The file's class names are not a list of texts.")
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (28, 28):
        raise SymbolError(f"The file's images must be 28×28 uint8 pixels; they are {images.dtype} {images.shape}.")
    if labels.ndim != 1 or labels.dtype.kind not in "iu" or len(labels) != len(images):
        raise SymbolError("The file needs one whole-number label per image.")
    if len(images) > limit:
        raise SymbolError(f"The file holds {len(images)} images; at most {limit} are kept.")
    names_list = check_names(list(names))
    if fixed_names is not None and tuple(names_list) != fixed_names:
        raise SymbolError(f"The classes must be {', '.join(fixed_names)}; this file has {', '.join(names_list)}.")
    if len(labels) and (labels.min() < 0 or labels.max() >= len(names_list)):
        raise SymbolError("A label in the file points to a class that does not exist.")
    counts = np.bincount(labels.astype(np.int64), minlength=len(names_list))
    if counts.max(initial=0) > MAX_EXAMPLES:
        raise SymbolError(f"A class in the file has more than {MAX_EXAMPLES} examples.")
    return SymbolSet(tuple(names_list), images.astype(np.float32) / 255.0, labels.astype(np.int32))


def jitter(images: np.ndarray, copies: int, seed: int) -> np.ndarray:
    """`copies` versions of each 28×28 image, each moved ±2 px, turned ±12° and resized ±10% (seeded)."""
    rng = np.random.default_rng(seed)
    out = np.empty((len(images) * copies, 28, 28), np.float32)
    for i, image in enumerate(np.repeat(images, copies, axis=0)):
        angle, scale = math.radians(rng.uniform(-12, 12)), math.exp(rng.uniform(-0.1, 0.1))
        dx, dy = rng.uniform(-2, 2, size=2)
        cos, sin = math.cos(angle) / scale, math.sin(angle) / scale
        # PIL maps each output pixel back to the input: rotate and scale about the centre (14, 14), then shift.
        coeffs = (cos, sin, 14 - cos * (14 + dx) - sin * (14 + dy), -sin, cos, 14 + sin * (14 + dx) - cos * (14 + dy))
        picture = Image.fromarray(image.astype(np.float32), mode="F")
        out[i] = np.asarray(picture.transform((28, 28), Image.Transform.AFFINE, coeffs, Image.Resampling.BILINEAR))
    return np.clip(out, 0.0, 1.0)


_extractor_lock = threading.Lock()


@functools.cache
def _shared_extractor() -> Any:
    from playground.digits.classifiers import load_shipped_model
    from playground.transfer.features import feature_extractor

    extractor = feature_extractor(load_shipped_model("cnn"))
    extractor.predict_on_batch(np.zeros((1, 28, 28, 1), np.float32))  # build its graph once, here
    return extractor


def digit_features() -> Any:
    """The shipped digit CNN cut after its convolutions, frozen, loaded once per process and shared (read-only)."""
    with _extractor_lock:
        return _shared_extractor()


@dataclass
class SymbolsRun(Job):
    """Train a new head on the frozen digit features for the user's classes (a few seconds), then `model` predicts."""

    failure_text = "Training the new classes failed"
    symbols: SymbolSet = field(default_factory=SymbolSet)
    seed: int = 0
    epochs: int = EPOCHS
    history: list[dict[str, float]] = field(default_factory=list)
    model: Any = None  # features + head, once trained
    seconds: float = 0.0

    def __post_init__(self) -> None:
        check_trainable(self.symbols)

    def work(self) -> None:
        import keras

        from playground.transfer.features import head_layers

        self.status = "preparing"
        started = time.perf_counter()
        extractor = digit_features()
        images = jitter(self.symbols.images, COPIES, self.seed)
        labels = np.repeat(self.symbols.labels, COPIES)
        # The features are frozen, so they are computed once: the head then trains on them in milliseconds a step.
        features = np.concatenate([np.asarray(extractor.predict_on_batch(images[i:i + 512, ..., np.newaxis]))
                                   for i in range(0, len(images), 512)])
        head = keras.Sequential([keras.Input(shape=features.shape[1:]),
                                 *head_layers(len(self.symbols.names), self.seed)], name="new_head")
        head.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                     metrics=["accuracy"], jit_compile=False)
        self.progress.samples, self.progress.batches = len(features), math.ceil(len(features) / BATCH_SIZE)
        self.status = "running"
        order = np.random.default_rng(self.seed).permutation(len(features))
        head.fit(features[order], labels[order], batch_size=BATCH_SIZE, epochs=self.epochs, verbose=0,
                 callbacks=[history_callback_class()(self, BATCH_SIZE)])
        if self.status != "running":
            return
        self.model = keras.Sequential([keras.Input(shape=(28, 28, 1)), extractor, head], name="new_symbols")
        self.seconds = time.perf_counter() - started
        self.status, self.message = "finished", (f"Learned {len(self.symbols.names)} classes from "
                                                 f"{len(self.symbols.labels)} drawings in {self.seconds:.1f} s.")


@functools.cache
def history_callback_class() -> type:
    """A Keras callback class that streams progress and appends each complete epoch's logs to run.history."""

    class HistoryCallback(progress_callback_class()):
        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            if self.epoch_complete(epoch, "head"):
                self.run.history.append({"epoch": epoch + 1, **{k: float(v) for k, v in (logs or {}).items()}})

    return HistoryCallback


def predict(model: Any, image: np.ndarray) -> np.ndarray:
    """Probabilities of each of the model's classes for one 28×28 image."""
    return np.asarray(model.predict_on_batch(np.asarray(image, np.float32).reshape(1, 28, 28, 1)))[0]
