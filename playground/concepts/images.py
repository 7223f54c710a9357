"""Photos for the concept pages: any uploaded image as a small grayscale array."""

from __future__ import annotations

import numpy as np

Array = np.ndarray

MAX_UPLOAD_SIDE = 96  # a photo is shrunk so its longer side has this many pixels: big enough to see edges, fast


def photo_to_grayscale(data: bytes, max_side: int = MAX_UPLOAD_SIDE) -> Array:
    """An uploaded image file as a grey float array in [0, 1]; ValueError with a plain message if it isn't one."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((max_side, max_side))
            grey = np.asarray(image.convert("L"), dtype=float) / 255.0
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValueError("This file is not an image I can read. Upload a PNG, JPEG, GIF, BMP or WebP photo.") from None
    if min(grey.shape) < 3:
        raise ValueError(f"This image is only {grey.shape[1]}×{grey.shape[0]} pixels; a 3×3 kernel needs at least 3×3.")
    return grey
