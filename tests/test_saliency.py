"""Why it answered: the occlusion map against a hand-made model whose evidence is known; "not sure"."""

import numpy as np
import pytest

from playground.digits.confidence import MOST_INK, UNSURE_BELOW, doubt
from playground.digits.saliency import PATCH, _box_sum, occlusion


def halves_model():
    """Digit 0's score is the ink in the left half, digit 1's the ink in the right half; the rest score 0."""
    import keras

    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, "softmax")])
    kernel = np.zeros((784, 10), np.float32)
    columns = np.tile(np.arange(28), 28)
    kernel[columns < 14, 0] = kernel[columns >= 14, 1] = 0.5
    model.layers[-1].set_weights([kernel, np.zeros(10, np.float32)])
    return model


def two_bars() -> np.ndarray:
    digit = np.zeros((28, 28), np.float32)
    digit[4:24, 5:8] = 1.0  # a long bar on the left: digit 0 wins
    digit[10:20, 20:23] = 1.0  # a short one on the right: digit 1 is the runner-up
    return digit


def test_the_box_sum_is_the_sum_over_each_square():
    values = np.random.default_rng(0).random((28, 28))
    half = PATCH // 2
    padded = np.pad(values, half)
    brute = np.array([[padded[i:i + PATCH, j:j + PATCH].sum() for j in range(28)] for i in range(28)])
    np.testing.assert_allclose(_box_sum(values, PATCH), brute, rtol=1e-9)


def test_ink_that_scores_for_a_digit_is_evidence_for_it_and_against_the_other():
    digit = two_bars()
    top, runner_up = occlusion(halves_model(), digit)
    assert (top.digit, runner_up.digit) == (0, 1) and top.probability > runner_up.probability
    left, right = digit.copy(), digit.copy()
    left[:, 14:], right[:, :14] = 0, 0
    assert np.all(top.map[left > 0] > 0) and np.all(top.map[right > 0] < 0)
    assert np.all(runner_up.map[right > 0] > 0) and np.all(runner_up.map[left > 0] < 0)
    assert np.isnan(top.map[digit == 0]).all()  # only ink gets a value
    # The middle of the long bar, covered only by squares of its own ink, weighs more than its ends.
    assert top.map[14, 6] > top.map[4, 6]


def test_any_digits_can_be_asked_for_and_the_map_uses_the_models_own_probabilities():
    model, digit = halves_model(), two_bars()
    (three,) = occlusion(model, digit, digits=[3])
    assert three.digit == 3 and three.probability == pytest.approx(float(model(digit[None])[0, 3]), rel=1e-5)
    assert np.nanmax(np.abs(three.map)) > 0  # erasing either bar changes what is left for digit 3


def test_the_shipped_cnn_points_at_the_ink_of_a_real_digit():
    from playground.core.datasets import load_dataset
    from playground.digits.classifiers import load_shipped_model, predict_probabilities

    data = load_dataset("mnist")
    digit = data.x_test[0].reshape(28, 28)
    model = load_shipped_model("cnn")
    top, runner_up = occlusion(model, digit)
    assert top.digit == int(predict_probabilities(model, digit[None])[0].argmax()) == int(data.y_test[0])
    assert np.isfinite(top.map[digit > 0.1]).all() and np.nanmean(top.map) > 0  # its ink is, on the whole, for it


def test_a_confident_answer_is_trusted_a_split_one_and_a_blot_are_not():
    digit = two_bars()
    confident = np.eye(10)[7] * 0.9 + 0.01
    assert doubt(confident, digit) is None
    split = np.full(10, 0.02)
    split[[3, 9]] = 0.5, 0.34
    assert split.max() < UNSURE_BELOW and doubt(split, digit) == "Not sure: a 3 (50%) or a 9 (34%)."
    blot = np.zeros((28, 28), np.float32)
    blot[4:24, 4:24] = 1.0  # 400 of 784 pixels
    assert (blot > 0.5).mean() > MOST_INK and "more ink than any" in doubt(confident, blot)
