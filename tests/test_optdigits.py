"""The real-handwriting check set (UCI optdigits, 8 × 8) and the reduction that puts MNIST digits on its footing."""

import numpy as np

from tools.build_optdigits import blow_up, load_optdigits, reduce_to_8x8


def test_the_check_set_is_the_uci_test_set():
    counts, labels = load_optdigits()
    assert counts.shape == (1797, 8, 8) and counts.max() <= 16 and sorted(set(labels.tolist())) == list(range(10))


def test_a_digit_is_reduced_as_uci_did_scaled_to_32_high_and_counted_in_4_by_4_blocks():
    bar = np.zeros((28, 28), np.float32)
    bar[4:24, 12:16] = 1.0  # a 20 × 4 upright bar: 32 high and 6 wide once scaled, centred (columns 13-18)
    counts = reduce_to_8x8(bar)
    assert counts.sum() == 32 * 6
    assert (counts[:, 3:5] == 12).all() and (np.delete(counts, [3, 4], axis=1) == 0).all()  # 3 of 4 columns on


def test_blown_up_it_is_a_28_by_28_input_like_the_pages():
    counts, _ = load_optdigits()
    digit = blow_up(counts[0])
    assert digit.shape == (28, 28) and digit.dtype == np.float32 and 0 <= digit.min() and digit.max() <= 1
    rows, cols = np.nonzero(digit > 0.1)
    assert max(rows.max() - rows.min(), cols.max() - cols.min()) + 1 <= 21  # in MNIST's 20 × 20 box
