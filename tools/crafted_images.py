"""Crafted image files, as a hostile upload would make them, built here (never downloaded) for tests and bench/crafted.

A PNG is a header that declares the size and deflate-compressed rows: a file of a few hundred KB can declare
hundreds of megapixels. The writer below streams the rows through zlib, so building one costs no memory.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image

_CHANNELS = {0: 1, 4: 2, 2: 3, 6: 4}  # PNG colour type -> channels: grey, grey + alpha, RGB, RGBA


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def blank_png(width: int, height: int, colour_type: int = 0) -> bytes:
    """A valid 8-bit PNG of width × height black (fully transparent) pixels, built row by row."""
    row = b"\0" * (1 + width * _CHANNELS[colour_type])  # filter byte "none", then zeros
    compressor, parts = zlib.compressobj(6), []
    for start in range(0, height, 64):  # 64 rows per call: zlib's speed, not Python's, sets the pace
        parts.append(compressor.compress(row * min(64, height - start)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts))
            + _chunk(b"IEND", b""))


def photo(width: int, height: int, format: str = "JPEG") -> bytes:
    """A grey photo of a dark bar on light paper: something a page can actually read."""
    paper = np.full((height, width), 230, np.uint8)
    paper[height // 5: 4 * height // 5, width // 2 - max(1, width // 20): width // 2 + max(1, width // 20)] = 20
    buffer = io.BytesIO()
    Image.fromarray(paper).save(buffer, format=format)
    return buffer.getvalue()


def crafted_images() -> dict[str, bytes]:
    """Every crafted image the pages must refuse (or read) without a traceback or a memory spike: name -> bytes."""
    return {
        "13000x13000 grey PNG (0.2 MB, 169 MP)": blank_png(13_000, 13_000),
        "20000x10000 PNG over Pillow's own limit": blank_png(20_000, 10_000),
        "60000x1 PNG strip": blank_png(60_000, 1),
        "1x60000 PNG strip": blank_png(1, 60_000),
        "4000x4000 RGBA PNG (just under the limit)": blank_png(4_000, 4_000, 6),
        "truncated PNG": blank_png(300, 300)[:60],
        "PNG signature only": b"\x89PNG\r\n\x1a\n",
        "empty file": b"",
        "text": b"certainly not a picture",
    }
