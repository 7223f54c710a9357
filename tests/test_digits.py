"""Preprocessing of drawings and photos into MNIST-style 28×28 digits, against hand-made images."""

import io

import numpy as np
import pytest
from PIL import Image

from playground.digits.preprocessing import (
    MAX_IMAGE_PIXELS,
    DigitError,
    centre_of_mass,
    decode_image,
    is_blank,
    naive_resize,
    to_gray,
    to_ink,
    to_mnist,
)


def canvas(shape=(280, 280)) -> np.ndarray:
    """An empty canvas as the page receives it: RGBA, fully transparent."""
    return np.zeros((*shape, 4), dtype=np.uint8)


def paint(image: np.ndarray, rows: slice, cols: slice, value=255) -> np.ndarray:
    image[rows, cols] = value
    return image


def ink_box(digit: np.ndarray) -> tuple[int, int]:
    rows, cols = np.nonzero(digit > 0)
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1


def png(array: np.ndarray, **save) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=save.pop("format", "PNG"), **save)
    return buffer.getvalue()


def test_an_off_centre_square_lands_centred_at_20_pixels():
    drawing = paint(canvas(), slice(10, 70), slice(200, 260))  # 60×60 in the top right corner
    digit = to_mnist(drawing)
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert ink_box(digit) == (20, 20)
    row, col = centre_of_mass(digit)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5
    assert digit.max() == pytest.approx(1.0) and digit.min() == 0.0


def test_the_aspect_ratio_is_kept():
    drawing = paint(canvas(), slice(40, 220), slice(100, 160))  # 180 tall, 60 wide: 3 to 1
    height, width = ink_box(to_mnist(drawing))
    assert height == 20 and width in (7, 8)  # 20 / 3 = 6.7, plus an anti-aliased edge


def test_the_centre_of_mass_not_the_box_is_centred():
    # A P: a thin stem and a heavy block at its top right. The box centre and the centre of mass differ.
    drawing = paint(paint(canvas(), slice(20, 260), slice(100, 120)), slice(20, 100), slice(120, 180))
    digit = to_mnist(drawing)
    row, col = centre_of_mass(digit)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5
    rows, cols = np.nonzero(digit)
    # The mass sits 1/3 of the way down and 0.8 px left of the box centre (in the 20 px box): the box moves to match.
    assert (rows.min() + rows.max()) / 2 > 16 and (cols.min() + cols.max()) / 2 > 14.5


def test_centring_never_pushes_ink_out_of_the_field():
    # An L that fills its 20×20 box: centring its mass would need more room than the 4-pixel margin has.
    drawing = paint(paint(canvas(), slice(20, 260), slice(20, 100)), slice(240, 260), slice(20, 260))
    digit = to_mnist(drawing)
    assert ink_box(digit) == (20, 20)
    assert centre_of_mass(digit)[1] < 14  # as close as it can get, ink intact


def test_dark_ink_on_light_paper_is_inverted():
    white_on_black = paint(np.zeros((200, 200), np.uint8), slice(30, 170), slice(90, 110))
    black_on_white = 255 - white_on_black
    assert np.allclose(to_mnist(black_on_white), to_mnist(white_on_black), atol=1e-6)
    rgb = np.dstack([black_on_white] * 3)
    assert np.allclose(to_mnist(rgb), to_mnist(white_on_black), atol=1e-6)


def test_grey_paper_with_texture_is_cleaned_and_cropped_to_the_digit():
    rng = np.random.default_rng(0)
    photo = (200 + rng.normal(0, 6, (300, 400))).clip(0, 255)  # light grey, noisy paper
    photo[100:220, 180:200] = 40  # a dark '1'
    digit = to_mnist(photo.astype(np.uint8))
    assert ink_box(digit)[0] == 20
    assert ink_box(digit)[1] <= 6  # the paper's noise did not widen the crop


def test_black_ink_on_a_transparent_background_reads_like_white_on_black():
    scan = np.zeros((100, 100, 4), np.uint8)  # transparent
    scan[20:80, 45:55] = (0, 0, 0, 255)  # opaque black bar
    drawn = paint(np.zeros((100, 100), np.uint8), slice(20, 80), slice(45, 55))
    assert np.allclose(to_mnist(scan), to_mnist(drawn), atol=1e-6)


def test_a_canvas_stroke_is_white_ink_on_transparent_pixels():
    drawing = paint(canvas(), slice(50, 230), slice(130, 150), (255, 255, 255, 255))
    assert to_gray(drawing).max() == 1.0 and to_gray(drawing)[0, 0] == 0.0
    assert ink_box(to_mnist(drawing))[0] == 20


def test_an_empty_canvas_is_blank_and_has_no_digit():
    assert is_blank(None) and is_blank(canvas()) and is_blank(np.zeros((0, 0, 4), np.uint8))
    assert not is_blank(paint(canvas(), slice(100, 110), slice(100, 110)))
    with pytest.raises(DigitError, match="transparent"):
        to_mnist(canvas())


def test_an_all_white_page_is_refused():
    with pytest.raises(DigitError, match="blank"):
        to_mnist(np.full((100, 100, 3), 255, np.uint8))
    with pytest.raises(DigitError, match="blank"):
        to_mnist(np.zeros((50, 50), np.uint8))


def test_a_fully_transparent_png_is_refused():
    pixels = decode_image(png(canvas((64, 64))))
    with pytest.raises(DigitError, match="fully transparent"):
        to_mnist(pixels)


def test_corrupt_and_truncated_files_are_refused():
    with pytest.raises(DigitError, match="not an image"):
        decode_image(b"this is not an image at all")
    with pytest.raises(DigitError, match="empty"):
        decode_image(b"")
    whole = png(paint(np.zeros((64, 64), np.uint8), slice(10, 50), slice(30, 34)))
    with pytest.raises(DigitError, match="damaged|not an image"):
        decode_image(whole[: len(whole) // 2])


def test_oversized_files_and_images_are_refused():
    with pytest.raises(DigitError, match="limit"):
        decode_image(b"0" * 2048, max_bytes=1024)
    side = int(MAX_IMAGE_PIXELS**0.5) + 100
    huge = io.BytesIO()
    Image.new("1", (side, side)).save(huge, format="PNG")  # compresses to a few KB
    with pytest.raises(DigitError, match="megapixels"):
        decode_image(huge.getvalue())


def test_decoding_keeps_transparency_only_when_there_is_some():
    assert decode_image(png(np.zeros((8, 8, 3), np.uint8))).shape == (8, 8)
    assert decode_image(png(canvas((8, 8)))).shape == (8, 8, 4)


def test_a_phone_photo_is_turned_upright():
    upright = np.full((60, 90), 255, np.uint8)
    upright[10:50, 40:50] = 0  # a vertical bar as the camera stored it
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    pixels = decode_image(png(upright, format="JPEG", exif=exif))
    assert pixels.shape == (90, 60)
    ink = to_ink(pixels)
    rows, cols = np.nonzero(ink > 0.5)
    assert np.ptp(cols) > np.ptp(rows)  # the bar now lies horizontally


def test_the_naive_resize_keeps_the_digit_where_and_as_small_as_it_was():
    drawing = paint(canvas(), slice(10, 60), slice(10, 30))  # small, in the top left corner
    naive = naive_resize(drawing)
    assert naive.shape == (28, 28)
    rows, cols = np.nonzero(naive > 0.1)
    assert rows.max() < 8 and cols.max() < 5
    assert ink_box(to_mnist(drawing))[0] == 20


def test_a_thin_stroke_still_reaches_full_intensity():
    drawing = paint(canvas(), slice(20, 260), slice(139, 141))  # 2 px wide on a 280 px canvas
    assert to_mnist(drawing).max() == pytest.approx(1.0)
