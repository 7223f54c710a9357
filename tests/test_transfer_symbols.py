"""New symbols and handwriting: the little data set, its checks and .npz round trip, jitter, the head trained on
frozen digit features, the handwriting fine-tune with replay, and the ImageNet panel's logic on a tiny model."""

import io
import json

import numpy as np
import pytest
from PIL import Image

from playground.digits.classifiers import load_shipped_model
from playground.transfer import adapt, imagenet
from playground.transfer.symbols import (
    MAX_EXAMPLES,
    SymbolError,
    SymbolSet,
    SymbolsRun,
    check_names,
    check_trainable,
    drawing_to_example,
    from_npz_bytes,
    jitter,
    predict,
    to_npz_bytes,
)
from tools.symbol_strokes import SHAPES, symbol_canvas


def drawn_set(names, per_class, seed=0) -> SymbolSet:
    rng = np.random.default_rng(seed)
    symbols = SymbolSet(tuple(names))
    for index, name in enumerate(names):
        for _ in range(per_class):
            symbols = symbols.add(index, drawing_to_example(symbol_canvas(name, rng)))
    return symbols


def test_the_set_adds_removes_and_renames():
    symbols = drawn_set(["○", "✗"], 3)
    assert symbols.counts() == [3, 3] and symbols.images.shape == (6, 28, 28)
    assert symbols.remove(0).counts() == [2, 3]
    renamed = symbols.with_names(["O", "X", "V"])
    assert renamed.names == ("O", "X", "V") and renamed.counts() == [3, 3, 0]
    assert symbols.with_names(["O"]).counts() == [3]  # the dropped class's examples go with it


@pytest.mark.parametrize("names, message", [
    (["a", ""], "needs a name"), (["a", "a"], "same name"), (["a"] * 0 + list("abcdef"), "At most 5"),
    (["x" * 30, "b"], "too long")])
def test_bad_class_names_get_a_message(names, message):
    with pytest.raises(SymbolError, match=message):
        check_names(names)


def test_bad_training_sets_get_a_message():
    with pytest.raises(SymbolError, match="at least two classes"):
        check_trainable(drawn_set(["○"], 5))
    with pytest.raises(SymbolError, match="only 1 example"):
        check_trainable(drawn_set(["○", "✗"], 5).remove(9).remove(8).remove(7).remove(6))
    with pytest.raises(SymbolError, match="no examples"):
        check_trainable(SymbolSet(("a", "b")))
    with pytest.raises(SymbolError, match="canvas is empty"):
        drawing_to_example(np.zeros((280, 280, 4), np.uint8))
    with pytest.raises(SymbolError, match="canvas is empty"):
        drawing_to_example(None)
    full = SymbolSet(("a", "b"))
    for _ in range(MAX_EXAMPLES):
        full = full.add(0, np.zeros((28, 28)))
    with pytest.raises(SymbolError, match="already has"):
        full.add(0, np.zeros((28, 28)))


def test_examples_survive_the_npz_round_trip():
    symbols = drawn_set(["○", "✗", "✓"], 2)
    loaded = from_npz_bytes(to_npz_bytes(symbols))
    assert loaded.names == symbols.names and np.array_equal(loaded.labels, symbols.labels)
    assert np.abs(loaded.images - symbols.images).max() <= 0.5 / 255 + 1e-6


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


@pytest.mark.parametrize("data, message", [
    (b"not a zip", "not an examples file"),
    (_npz(names=np.array(["a", "b"])), "no images, labels"),
    (_npz(names=np.array(["a", "b"]), images=np.zeros((2, 32, 32), np.uint8), labels=np.zeros(2, np.uint8)), "28×28"),
    (_npz(names=np.array(["a", "b"]), images=np.zeros((2, 28, 28), np.uint8), labels=np.array([0, 5])), "does not exist"),
    (_npz(names=np.array(["a", "b"]), images=np.zeros((2, 28, 28), np.uint8), labels=np.zeros(3, int)), "one whole"),
    (_npz(names=np.array([1, 2]), images=np.zeros((2, 28, 28), np.uint8), labels=np.zeros(2, int)), "texts"),
    (_npz(names=np.array([{"a": 1}], dtype=object), images=np.zeros((1, 28, 28), np.uint8), labels=np.zeros(1)),
     "not an examples file"),  # a pickled object array: refused, never unpickled
    (b"x" * (3 * 1024**2), "MB"),
])
def test_bad_files_are_refused_with_a_message(data, message):
    with pytest.raises(SymbolError, match=message):
        from_npz_bytes(data)


def test_the_handwriting_set_must_have_the_ten_digits():
    with pytest.raises(SymbolError, match="classes must be 0"):
        from_npz_bytes(to_npz_bytes(drawn_set(["○", "✗"], 1)), fixed_names=adapt.DIGIT_NAMES)


def test_jitter_moves_images_a_little_and_repeats_with_its_seed():
    image = drawing_to_example(symbol_canvas("✗", np.random.default_rng(0)))
    copies = jitter(image[np.newaxis], 8, seed=1)
    assert copies.shape == (8, 28, 28) and copies.min() >= 0 and copies.max() <= 1
    assert np.array_equal(copies, jitter(image[np.newaxis], 8, seed=1))
    _, xs = np.mgrid[:28, :28]
    for copy in copies:
        assert abs((copy * xs).sum() / copy.sum() - (image * xs).sum() / image.sum()) < 3.5
        assert 0.7 < copy.sum() / image.sum() < 1.4


def test_a_head_on_frozen_digit_features_learns_new_symbols_from_a_few_drawings():
    names = list(SHAPES)
    run = SymbolsRun(symbols=drawn_set(names, 6, seed=1))
    run.start()
    assert run.wait(300) and run.status == "finished", run.message
    assert len(run.history) == run.epochs
    fresh = drawn_set(names, 5, seed=99)
    predicted = [int(np.argmax(predict(run.model, image))) for image in fresh.images]
    assert np.mean(np.array(predicted) == fresh.labels) >= 0.9
    assert not any(layer.trainable for layer in run.model.layers[0].layers)  # the digit features stayed frozen


def test_adapting_to_handwriting_learns_the_digits_and_keeps_mnist():
    from tools.build_drawn_digits import load_check_set

    images, labels, subsets = load_check_set()
    cnn = load_shipped_model("cnn")
    shipped = [w.copy() for w in cnn.get_weights()]
    digits = SymbolSet(adapt.DIGIT_NAMES)
    for image, label in zip(images[subsets == "templates"][:12], labels[subsets == "templates"][:12]):
        digits = digits.add(int(label), image)
    run = adapt.AdaptRun(digits=digits, mnist_test=1_000, epochs=1)
    run.start()
    assert run.wait(300) and run.status == "finished", run.message
    assert run.after.yours >= run.before.yours and len(run.after.predictions) == 12
    assert run.after.mnist > run.before.mnist - 0.01  # the replay keeps it from forgetting
    assert all(np.array_equal(a, b) for a, b in zip(shipped, cnn.get_weights()))
    with pytest.raises(SymbolError, match="at least 3"):
        adapt.AdaptRun(digits=SymbolSet(adapt.DIGIT_NAMES).add(1, images[0]))


def tiny_imagenet_model():
    """4 'classes' scored by the mean of R, G, B and their negative sum: a tiny stand-in for a keras.application."""
    import keras

    model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dense(4, activation="softmax")])
    model.layers[-1].set_weights([np.array([[5, 0, 0, -5], [0, 5, 0, -5], [0, 0, 5, -5]], np.float32),
                                  np.zeros(4, np.float32)])
    return model


def _png(color, size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_imagenet_panel_classifies_with_whatever_model_it_is_given(tmp_path):
    photo = imagenet.photo_rgb(_png((255, 100, 0)), 32)
    assert photo.shape == (32, 32, 3) and photo[0, 0].tolist() == [255, 100, 0]
    top = imagenet.classify(tiny_imagenet_model(), lambda x: x / 255.0, photo, ["red", "green", "blue", "dark"], top=2)
    assert [name for name, _ in top] == ["red", "green"] and top[0][1] > top[1][1]
    assert imagenet.classify(tiny_imagenet_model(), lambda x: x / 255.0, photo, None, top=1)[0][0] == "class 0"
    (tmp_path / imagenet.CLASS_INDEX_FILE).write_text(json.dumps({"0": ["n1", "tench"], "1": ["n2", "great_white"]}))
    assert imagenet.class_names(tmp_path) == ["tench", "great white"]
    assert imagenet.class_names(tmp_path / "nowhere") is None


def test_the_imagenet_panel_only_uses_weights_already_on_disk(tmp_path):
    assert imagenet.available(tmp_path) == {}
    with pytest.raises(imagenet.PhotoError, match="not on this machine"):
        imagenet.load_application("mobilenet", tmp_path)
    (tmp_path / imagenet.APPLICATIONS["mobilenet"].weights_file).write_bytes(b"broken")
    assert list(imagenet.available(tmp_path)) == ["mobilenet"]
    with pytest.raises(imagenet.PhotoError, match="could not be loaded"):
        imagenet.load_application("mobilenet", tmp_path)
    assert "mobilenet_1_0_224_tf.h5" in imagenet.how_to_get("mobilenet", tmp_path)
    with pytest.raises(imagenet.PhotoError, match="not a picture"):
        imagenet.photo_rgb(b"garbage", 32)
