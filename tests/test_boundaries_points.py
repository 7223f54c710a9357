"""Your own points on the Decision boundaries page: CSV in and out, clicks that add and remove, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from playground.boundaries.datasets import CLASSIFICATION, REGRESSION, DataError, DataSpec, generate
from playground.boundaries.points import MAX_ROWS, add_point, from_csv, remove_points, to_csv


def test_csv_round_trip_is_exact():
    for name in ("spiral", "multi_gaussian"):
        points = generate(DataSpec(name, noise=30, classes=3))
        again = from_csv(to_csv(points))
        assert again.task == points.task and again.classes == points.classes and again.origin == "uploaded"
        assert np.array_equal(again.x, points.x) and np.array_equal(again.y, points.y)
        assert np.array_equal(again.train, points.train)


def test_csv_without_a_split_column_splits_by_the_share_and_reads_tfp_labels():
    rows = "\n".join(f"{x},{-x},{1 if x > 0 else -1}" for x in np.linspace(-5, 5, 20))
    points = from_csv(f"X1, x2 ,Label\n{rows}\n", train_percent=30)
    assert points.task == CLASSIFICATION and points.classes == 2 and set(points.y) == {0, 1}
    assert points.train.sum() == 6
    regression = from_csv("x1,x2,label\n0,0,0.5\n1,1,-0.25\n2,2,1\n-1,3,0\n")
    assert regression.task == REGRESSION and regression.y.dtype == np.float32


@pytest.mark.parametrize("text, message", [
    ("a,b,c\n1,2,3\n", "no column x1, x2, label"),
    ("x1,x2\n1,2\n", "no column label"),
    ("x1,x2,label\n1,2,0\n1,two,1\n3,3,1\n", "Row 3: x2 is 'two', not a number"),
    ("x1,x2,label\n1,2,0\n1,nan,1\n3,3,1\n", "Row 3: x2 is nan; every value must be a finite number"),
    ("x1,x2,label\n1,2,0\n1,1,0\n3,3,0\n", "All 3 points have the label 0"),
    ("x1,x2,label\n1,2,0\n1,9,1\n3,3,1\n", "outside the plane, e.g. row 3"),
    ("x1,x2,label\n1,2,0\n1,1,7\n3,3,1\n", "Row 3: label 7"),
    ("x1,x2,label,split\n1,2,0,train\n1,1,1,maybe\n3,3,1,test\n", "Row 3: split is 'maybe'"),
    ("x1,x2,label,split\n1,2,0,train\n1,1,1,test\n3,3,1,test\n", "at least two training points"),
    ("x1,x2,label\n1,2,0\n", "at least 3"),
    ("", "The file is empty"),
    (b"\xff\xfe\x00x", "not text"),
])
def test_bad_csv_says_what_is_wrong(text, message):
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        from_csv(text)


def test_a_hundred_thousand_rows_are_refused_with_the_limit():
    text = "x1,x2,label\n" + "1,1,0\n2,2,1\n" * 50_000
    with pytest.raises(DataError, match=f"100,000 points; this page trains on at most {MAX_ROWS:,}"):
        from_csv(text)
    with pytest.raises(DataError, match="MB"):
        from_csv(text.encode() * 2)  # bytes from an upload: refused by size before reading


def test_clicks_add_and_remove_points():
    points = generate(DataSpec("xor", points=60))
    more = add_point(points, 1.25, -2.5, 1)
    assert len(more) == 61 and more.origin == "edited" and more.train[-1] and more.y[-1] == 1
    assert np.array_equal(more.x[-1], np.float32([1.25, -2.5]))
    with pytest.raises(DataError, match="outside the plane"):
        add_point(points, 7, 0, 0)
    with pytest.raises(DataError, match="Class 3 does not exist"):
        add_point(points, 0, 0, 3)
    fewer = remove_points(more, [0, 60])
    assert len(fewer) == 59 and not np.array_equal(fewer.x[0], more.x[0])
    zeros = list(np.flatnonzero(points.y == 0))
    with pytest.raises(DataError, match="two classes"):
        remove_points(points, zeros)
