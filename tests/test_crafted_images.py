"""Crafted images (tools/crafted_images.py): refused from their header with a clear message, decoded once, shrunk
early; the Draw and Convolution pages show the message and keep working."""

import pytest
from PIL import ImageFile

from playground.concepts.images import photo_to_grayscale
from playground.digits.preprocessing import MAX_IMAGE_PIXELS, WORK_SIDE, DigitError, decode_image, read_upload
from tests.helpers import open_page
from tools.crafted_images import blank_png, crafted_images, photo

# crafted image -> words the message must contain (None: a readable picture)
EXPECTED = {
    "13000x13000 grey PNG (0.2 MB, 169 MP)": "the limit is 16 megapixels",
    "20000x10000 PNG over Pillow's own limit": "too large: 200 megapixels; the limit is 16 megapixels",
    "60000x1 PNG strip": "60,000 × 1 pixels: too long and thin",
    "1x60000 PNG strip": "too long and thin",
    "4000x4000 RGBA PNG (just under the limit)": None,
    "truncated PNG": "damaged",
    "PNG signature only": "not an image",
    "empty file": "empty",
    "text": "not an image",
}


@pytest.fixture(scope="module")
def images() -> dict[str, bytes]:
    return crafted_images()


@pytest.fixture
def decoded_sizes(monkeypatch) -> list[tuple[int, int]]:
    """The size of every image Pillow actually decodes (after any JPEG draft), in order."""
    sizes = []
    load = ImageFile.ImageFile.load

    def counting_load(self):
        if self.tile:  # pixels still to decode (a later call returns the decoded ones)
            sizes.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting_load)
    return sizes


def test_every_crafted_image_gets_its_message_and_nothing_over_the_limit_is_decoded(images, decoded_sizes):
    assert set(images) == set(EXPECTED)
    for name, data in images.items():
        for read in (decode_image, photo_to_grayscale):
            if EXPECTED[name] is None:
                assert max(read(data).shape[:2]) <= WORK_SIDE
            else:
                with pytest.raises(ValueError, match=EXPECTED[name]):
                    read(data)
    assert all(width * height <= MAX_IMAGE_PIXELS for width, height in decoded_sizes), decoded_sizes


def test_a_file_is_decoded_once_and_shared_read_only(decoded_sizes):
    data = blank_png(800, 600, colour_type=6)
    first = read_upload(data)
    again = read_upload(data)
    assert again is first and len(decoded_sizes) == 1
    assert (first.width, first.height) == (800, 600) and first.pixels.shape == (420, 560, 4)  # the file's own size
    assert not first.pixels.flags.writeable
    for _ in range(2):  # a refusal is remembered too: a crafted file is not parsed again on every rerun
        with pytest.raises(DigitError, match="damaged"):
            decode_image(data[:100])
    assert len(decoded_sizes) == 2


def test_a_big_jpeg_is_decoded_already_shrunk(decoded_sizes):
    pixels = decode_image(photo(4000, 3000))  # a 12-megapixel phone photo
    assert pixels.shape == (420, 560)
    assert decoded_sizes and max(decoded_sizes[-1]) <= 1000  # libjpeg decoded it at 1/4: 1000 × 750


def test_the_draw_page_shows_a_message_for_every_crafted_image_and_keeps_working(images):
    at = open_page("draw")
    at.segmented_control(key="draw_digit_source").set_value("Upload a photo").run()
    for name, data in images.items():
        at.file_uploader(key="draw_digit_upload").set_value((f"{name}.png", data, "image/png")).run()
        assert not at.exception, name
        assert at.error, name  # the strip and the bombs are refused; the blank 4000 × 4000 has no digit
        if EXPECTED[name]:
            assert any(EXPECTED[name] in error.value for error in at.error), (name, [e.value for e in at.error])
    at.file_uploader(key="draw_digit_upload").set_value(("bar.jpg", photo(120, 160), "image/jpeg")).run()
    assert not at.exception and not at.error and at.metric  # a readable photo is still classified
    assert any("120 × 160 px" in image.proto.imgs[0].caption for image in at.get("image"))


def test_the_convolution_page_has_a_pixel_limit_too(images):
    at = open_page("convolution")
    at.radio(key="conv_source").set_value("upload").run()
    for name in ("13000x13000 grey PNG (0.2 MB, 169 MP)", "20000x10000 PNG over Pillow's own limit",
                 "60000x1 PNG strip"):
        at.file_uploader(key="conv_photo").upload("crafted.png", images[name], "image/png").run()
        assert not at.exception
        assert at.error and EXPECTED[name] in at.error[0].value, [e.value for e in at.error]
        assert at.get("plotly_chart"), name  # an MNIST digit meanwhile: the page still works
