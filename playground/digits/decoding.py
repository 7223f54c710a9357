"""Uploaded image bytes -> small pixels, safely: limits read from the header, early downscaling, a cache by content.

A crafted file must not cost the server memory: a 0.7 MB PNG can declare 13,000 × 13,000 pixels (670 MB as RGBA).
So the size is read from the header before anything is decoded, JPEGs are decoded straight at a fraction of their
size (libjpeg's DCT scaling, Image.draft), every image is shrunk to what its page needs before it becomes an array,
and each file is decoded once: pages rerun on every click, and the result (or the refusal) is kept by content.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024**2
CACHED_PICTURES = 16  # decoded pictures kept, each already shrunk (560 × 560 × 4 bytes at most: 20 MB in all)


class ImageError(ValueError):
    """A file that cannot be used as a picture here; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Limits:
    """What one page accepts and needs. JPEGs may have more pixels: they are decoded already shrunk (1/2 to 1/8)."""

    max_pixels: int  # PNG, GIF, WebP, BMP ... are decoded whole: this bounds the memory one file can take
    max_jpeg_pixels: int
    side: int  # the longer side of the decoded picture; more detail buys the page nothing
    max_aspect: float  # longer side / shorter side: a 60,000 × 1 strip is nothing a page can show or use
    transparency: bool  # keep an alpha channel (RGBA) when the file has one; else grey ("L")
    max_bytes: int = MAX_IMAGE_BYTES


@dataclass(frozen=True)
class Picture:
    """A decoded file: pixels (read-only uint8, (h, w) grey or (h, w, 4) RGBA, shrunk to the page's side) and the
    file's own size in pixels, upright (after the camera's rotation tag)."""

    pixels: np.ndarray
    width: int
    height: int


_cache: OrderedDict[tuple, Picture | ImageError] = OrderedDict()
_cache_lock = threading.Lock()
# A picture under the pixel limit may still take ~130 MB while it is decoded (16 MP as RGBA, then shrunk): a room
# uploading at once waits its turn rather than adding those up. Decoding is CPU-bound anyway.
_decoding = threading.BoundedSemaphore(2)


def read_picture(data: bytes, limits: Limits) -> Picture:
    """Decode `data` within `limits` (once per content: a cached result or refusal is returned again)."""
    key = (hashlib.sha256(data).digest(), limits)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
    if found is None:
        try:
            with _decoding:
                found = _decode(data, limits)
        except ImageError as error:
            found = error
        with _cache_lock:
            _cache[key] = found
            while len(_cache) > CACHED_PICTURES:
                _cache.popitem(last=False)
    if isinstance(found, ImageError):
        raise ImageError(str(found))  # a fresh exception: a raised one keeps its traceback's frames alive
    return found


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1e6:.0f} megapixels"


def _too_large(width: int, height: int, limit: int) -> ImageError:
    return ImageError(f"The image is {width:,} × {height:,} pixels ({_pixels_text(width * height)}); the limit is "
                      f"{_megapixels(limit)}. Shrink it first.")


def _pixels_text(pixels: int) -> str:
    return f"{pixels / 1e6:.1f} megapixels" if pixels < 10e6 else _megapixels(pixels)


def _bomb_message(error: Exception, limits: Limits) -> ImageError:
    """Pillow refuses images over about 179 megapixels itself, before we can read their size: say it is too big."""
    found = re.search(r"\((\d+) pixels\)", str(error))
    size = f"{_pixels_text(int(found.group(1)))}" if found else "far more pixels than allowed"
    return ImageError(f"The image is too large: {size}; the limit is {_megapixels(limits.max_pixels)} "
                      f"({_megapixels(limits.max_jpeg_pixels)} for a JPEG photo). Shrink it first.")


def _decode(data: bytes, limits: Limits) -> Picture:
    if not data:
        raise ImageError("The file is empty.")
    if len(data) > limits.max_bytes:
        raise ImageError(f"The file is {len(data) / 1024**2:.1f} MB; the limit is "
                         f"{limits.max_bytes / 1024**2:.0f} MB. Crop or shrink the photo.")
    try:
        with warnings.catch_warnings():
            # Pillow's own warning threshold (89 MP) is far above ours, which is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                return _shrunk(image, limits)
    except ImageError:
        raise
    except Image.DecompressionBombError as error:
        raise _bomb_message(error, limits) from None
    except UnidentifiedImageError:
        raise ImageError("This file is not an image this page can read: upload a PNG or JPEG.") from None
    except Exception as error:  # noqa: BLE001 -- Pillow's decoders raise many types on crafted data: all "damaged"
        raise ImageError(f"The image file is damaged and cannot be read ({str(error)[:200]}).") from None


# EXIF orientation tag -> the transposition that turns the stored pixels upright (as ImageOps.exif_transpose).
_UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
            5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
            8: Image.Transpose.ROTATE_90}


def _shrunk(image: Image.Image, limits: Limits) -> Picture:
    """The opened (not yet decoded) image, checked from its header and decoded at the page's size, upright."""
    width, height = image.size
    jpeg = image.format == "JPEG"
    limit = limits.max_jpeg_pixels if jpeg else limits.max_pixels
    if width * height > limit:
        raise _too_large(width, height, limit)
    if min(width, height) < 1 or max(width, height) / min(width, height) > limits.max_aspect:
        raise ImageError(f"The image is {width:,} × {height:,} pixels: too long and thin to show (at most "
                         f"{limits.max_aspect:g} to 1). Crop it closer to the subject.")
    turn = _UPRIGHT.get(image.getexif().get(0x0112, 1))  # phone photos are stored sideways with a rotation tag
    transparent = limits.transparency and (image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info)
    mode = "RGBA" if transparent else "L"
    if jpeg:  # decode at 1/2, 1/4 or 1/8 of the size straight away, never smaller than the page needs
        scale = min(1.0, limits.side / max(width, height))
        image.draft("L" if mode == "L" else "RGB", (max(1, round(width * scale)), max(1, round(height * scale))))
    small = image if image.mode in ("L", "RGB", "RGBA") else image.convert(mode)  # palette, 1-bit, 16-bit
    small.thumbnail((limits.side, limits.side), Image.Resampling.BOX)  # area average, in place
    if turn is not None:
        small = small.transpose(turn)
        width, height = (height, width) if turn in _SWAPS else (width, height)
    pixels = np.asarray(small.convert(mode))
    pixels.setflags(write=False)  # shared by every rerun and session that uploads the same file
    return Picture(pixels, width, height)


_SWAPS = {Image.Transpose.TRANSPOSE, Image.Transpose.ROTATE_270, Image.Transpose.TRANSVERSE, Image.Transpose.ROTATE_90}
