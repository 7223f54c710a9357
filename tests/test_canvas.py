"""The drawing canvas's value, as the browser sends it: a PNG data URL and a stroke count; garbage counts as empty."""

import base64
import io

import numpy as np
from PIL import Image

from playground.ui.canvas import Drawing, decode


def data_url(pixels: np.ndarray, kind: str = "PNG") -> str:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format=kind)
    return f"data:image/{kind.lower()};base64," + base64.b64encode(buffer.getvalue()).decode()


def test_a_drawing_comes_back_as_its_pixels_and_strokes():
    pixels = np.zeros((280, 280, 4), np.uint8)
    pixels[..., 3] = 255
    pixels[100:180, 130:150, :3] = 255
    drawing = decode({"drawing": {"data": data_url(pixels), "strokes": 2}})
    assert drawing.strokes == 2 and drawing.pixels.shape == (280, 280, 4)
    np.testing.assert_array_equal(drawing.pixels, pixels)


def test_an_empty_or_garbled_value_is_an_empty_canvas():
    png = data_url(np.zeros((10, 10, 4), np.uint8))
    empty = Drawing(None, 0)
    for value in (None, {}, {"drawing": None}, {"drawing": {"data": None, "strokes": 0}}, "text",
                  {"drawing": {"data": "data:image/png;base64,!!!not base64"}},
                  {"drawing": {"data": "data:image/png;base64," + base64.b64encode(b"not a png").decode()}},
                  {"drawing": {"data": png.replace("image/png", "text/html")}},
                  {"drawing": {"data": data_url(np.zeros((10, 10, 3), np.uint8), "JPEG")}}):
        assert decode(value) == empty, value
    assert decode({"drawing": {"data": png, "strokes": "many"}}).strokes == 1  # a drawing, whatever the count says
