"""Canvas drawing or uploaded photo -> the 28×28 MNIST-style image the models see (MNIST's own recipe)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

from playground.digits.decoding import MAX_IMAGE_BYTES, ImageError, Limits, Picture, read_picture

CANVAS_SIDE = 280  # the Draw page's canvas, in CSS pixels
DEFAULT_STROKE = 20  # the page's default stroke width on that canvas
MAX_IMAGE_PIXELS = 16_000_000  # a PNG (or GIF, WebP...) is decoded whole: 16 MP is 64 MB as RGBA, briefly
MAX_JPEG_PIXELS = 64_000_000  # a JPEG is decoded at 1/8 of its size: a 48 MP phone photo costs a few MB
WORK_SIDE = 560  # big images are shrunk to this first: a digit needs no more detail, and it keeps the page fast
MAX_ASPECT = 20  # a digit is roughly square; a 60,000 × 1 strip has nothing to read and no preview to show
DIGIT_LIMITS = Limits(MAX_IMAGE_PIXELS, MAX_JPEG_PIXELS, WORK_SIDE, MAX_ASPECT, transparency=True)
DIGIT_BOX = 20  # MNIST: the longer side of the digit is scaled to 20 px ...
SIDE = 28  # ... and pasted into a 28 × 28 field with its centre of mass at the centre
CENTRE = 14.0  # where MNIST's centres of mass lie (pixel index coordinates; measured on the training set)
MIN_CONTRAST = 0.12  # darkest vs lightest part of a photo; below this it is a blank page
NOISE_FLOOR = 0.2  # after stretching the contrast: fainter than this is paper texture or shadow, not ink


class DigitError(ValueError):
    """An image that cannot become a digit; the message says what is wrong and what to do."""


def _to_float(pixels: np.ndarray) -> np.ndarray:
    pixels = np.asarray(pixels)
    if pixels.dtype == np.uint8:
        return pixels.astype(np.float32) / 255.0
    if pixels.dtype == np.uint16:
        return pixels.astype(np.float32) / 65535.0
    values = pixels.astype(np.float32)
    if not np.all(np.isfinite(values)):
        raise DigitError("The image contains invalid (non-finite) values.")
    return np.clip(values / 255.0 if values.max(initial=0.0) > 1.0 else values, 0.0, 1.0)


def _luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R 601, as PIL's convert("L")


def to_gray(pixels: np.ndarray) -> np.ndarray:
    """Any (h, w), (h, w, 1|2|3|4) image -> (h, w) float32 gray in [0, 1]; transparency is flattened.

    Transparent pixels are laid on the colour that contrasts with what is drawn: white strokes (the canvas) on
    black, black ink (a transparent scan) on white.
    """
    image = _to_float(pixels)
    if image.ndim == 2:
        return image
    if image.ndim != 3 or image.shape[2] not in (1, 2, 3, 4):
        raise DigitError(f"Expected a grayscale, RGB or RGBA image, got an array of shape {image.shape}.")
    channels = image.shape[2]
    gray = image[..., 0] if channels <= 2 else _luminance(image[..., :3])
    if channels in (1, 3):
        return gray
    alpha = image[..., -1]
    if alpha.max() <= 1e-3:
        raise DigitError("The image is fully transparent: there is nothing to see. Draw a digit or upload "
                         "an image with visible ink.")
    if alpha.min() >= 1.0 - 1e-3:
        return gray
    drawn_is_light = float((gray * alpha).sum() / alpha.sum()) >= 0.5
    backdrop = 0.0 if drawn_is_light else 1.0
    return (gray * alpha + backdrop * (1.0 - alpha)).astype(np.float32)


def is_blank(pixels: np.ndarray | None) -> bool:
    """True when there is nothing drawn: no pixels, fully transparent, or all one shade (an empty canvas)."""
    if pixels is None or np.asarray(pixels).size == 0:
        return True
    try:
        gray = to_gray(pixels)
    except DigitError:
        return True
    return float(gray.max() - gray.min()) < MIN_CONTRAST


def _shrink(gray: np.ndarray, side: int = WORK_SIDE) -> np.ndarray:
    height, width = gray.shape
    if max(height, width) <= side:
        return gray
    scale = side / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.asarray(Image.fromarray(gray, mode="F").resize(size, Image.Resampling.BOX), dtype=np.float32)


def to_ink(pixels: np.ndarray) -> np.ndarray:
    """(h, w) float32: ink bright (1) on a dark background (0), however the image was drawn or photographed.

    Dark ink on light paper is detected from the border (mostly paper) and inverted; the contrast is stretched
    so the darkest ink becomes 1, and faint shading (paper texture, shadows) becomes 0.
    """
    gray = to_gray(pixels)
    if gray.size == 0:
        raise DigitError("The image is empty (0 pixels).")
    gray = _shrink(gray)
    border = max(1, min(gray.shape) // 20)
    frame = np.concatenate([gray[:border].ravel(), gray[-border:].ravel(), gray[:, :border].ravel(),
                            gray[:, -border:].ravel()])
    background = float(np.median(frame))
    light_paper = background > 0.5
    if light_paper:  # the ink is the dark part
        gray, background = 1.0 - gray, 1.0 - background
    peak = float(gray.max())
    if peak - background < MIN_CONTRAST:
        page = "a blank light page" if light_paper else "blank (all dark)"
        raise DigitError(f"The image is {page}: no digit found. Draw a digit, or upload a photo of a digit in dark "
                         "ink on light paper (or light ink on dark).")
    ink = (gray - background) / (peak - background)
    return np.clip((ink - NOISE_FLOOR) / (1.0 - NOISE_FLOOR), 0.0, 1.0).astype(np.float32)


def _resize(image: np.ndarray, width: int, height: int) -> np.ndarray:
    # Pillow widens the bilinear kernel when shrinking, so this is an anti-aliased reduction, as MNIST's was.
    resized = Image.fromarray(np.ascontiguousarray(image, dtype=np.float32), mode="F").resize(
        (width, height), Image.Resampling.BILINEAR)
    return np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the brightness-weighted centre, in pixel index coordinates."""
    total = float(image.sum())
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def mnist_from_ink(ink: np.ndarray, box: int = DIGIT_BOX) -> np.ndarray:
    """MNIST's recipe on an ink-bright image: crop to the ink, longer side to `box` (MNIST: 20) px keeping the
    aspect ratio, paste into 28 × 28 with the centre of mass at the centre. float32 in [0, 1], strongest ink = 1."""
    rows, cols = np.nonzero(ink > 0)
    if len(rows) == 0:
        raise DigitError("No ink found: draw a digit, or upload an image in which the digit stands out.")
    crop = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    height, width = crop.shape
    scale = box / max(height, width)
    small = _resize(crop, max(1, round(width * scale)), max(1, round(height * scale)))
    if small.max() <= 0:
        raise DigitError("The ink is too faint or too small to read. Draw bigger or with a thicker stroke.")
    small /= small.max()  # a thin stroke fades when shrunk; MNIST's strokes always reach full intensity
    row, col = centre_of_mass(small)
    # Integer shifts, as MNIST did; clipped so that no ink is ever pushed out of the field.
    top = int(np.clip(round(CENTRE - row), 0, SIDE - small.shape[0]))
    left = int(np.clip(round(CENTRE - col), 0, SIDE - small.shape[1]))
    digit = np.zeros((SIDE, SIDE), dtype=np.float32)
    digit[top:top + small.shape[0], left:left + small.shape[1]] = small
    return digit


def to_mnist(pixels: np.ndarray) -> np.ndarray:
    """Canvas RGBA or any image array -> (28, 28) float32 in [0, 1], white digit on black, centred like MNIST."""
    return mnist_from_ink(to_ink(pixels))


def naive_resize(pixels: np.ndarray) -> np.ndarray:
    """The whole image squeezed to 28 × 28 with no cropping or centring: what skipping MNIST's recipe gives."""
    return _resize(to_ink(pixels), SIDE, SIDE)


def read_upload(data: bytes, max_bytes: int = MAX_IMAGE_BYTES) -> Picture:
    """An uploaded photo, decoded once per content and already shrunk to WORK_SIDE, with the file's own size."""
    try:
        return read_picture(data, replace(DIGIT_LIMITS, max_bytes=max_bytes))
    except ImageError as error:
        raise DigitError(str(error)) from None


def decode_image(data: bytes, max_bytes: int = MAX_IMAGE_BYTES) -> np.ndarray:
    """PNG/JPEG/... bytes -> read-only uint8 array (h, w), or (h, w, 4) when the image has transparency, at most
    WORK_SIDE pixels on its longer side; DigitError if the file is not a usable picture."""
    return read_upload(data, max_bytes).pixels


def load_image_file(path: str | Path) -> np.ndarray:
    """Read an image file from disk for decode_image (with the same size limits)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise DigitError(f"The file is {size / 1024**2:.1f} MB; the limit is "
                             f"{MAX_IMAGE_BYTES / 1024**2:.0f} MB.")
        return decode_image(path.read_bytes())
    except OSError as error:
        raise DigitError(f"Cannot read {path}: {error.strerror or error}.") from None
