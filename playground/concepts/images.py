"""Photos for the concept pages: any uploaded image as a small grayscale array."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from playground.digits.decoding import ImageError, Limits, read_picture

Array = np.ndarray

MAX_UPLOAD_SIDE = 96  # a photo is shrunk so its longer side has this many pixels: big enough to see edges, fast
MAX_PHOTO_BYTES = 10 * 1024**2
# Pixels decoded at most (the picture is shrunk to 96 px right after): as on the Draw page.
PHOTO_LIMITS = Limits(max_pixels=16_000_000, max_jpeg_pixels=64_000_000, side=MAX_UPLOAD_SIDE,
                      max_aspect=MAX_UPLOAD_SIDE / 3, transparency=False, max_bytes=MAX_PHOTO_BYTES)


def photo_to_grayscale(data: bytes, max_side: int = MAX_UPLOAD_SIDE) -> Array:
    """An uploaded image file as a grey float array in [0, 1]; ValueError with a plain message if it isn't one.

    Decoded once per content (see playground.digits.decoding): the page reruns on every click.
    """
    try:
        picture = read_picture(data, replace(PHOTO_LIMITS, side=max_side, max_aspect=max(max_side / 3, 1)))
    except ImageError as error:
        raise ValueError(str(error)) from None
    grey = picture.pixels.astype(float) / 255.0
    if min(grey.shape) < 3:
        raise ValueError(f"This image is only {picture.width}×{picture.height} pixels; a 3×3 kernel needs at "
                         "least 3×3.")
    return grey
