"""Your own points: add and remove points of a set, and read or write a set as CSV (x1, x2, label[, split]).

Everything a user supplies is checked here; a problem raises DataError with a message that names the row and the
fix, and the caller keeps the points it had.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import replace

import numpy as np

from playground.boundaries.datasets import (
    CLASSIFICATION,
    DOMAIN,
    MAX_CLASSES,
    REGRESSION,
    DataError,
    PointSet,
    split_mask,
)

MAX_ROWS = 5_000  # a few thousand points train at a speed the page can show; more is refused, not cut
MAX_BYTES = 1_000_000
MAX_POINTS = MAX_ROWS
COLUMNS = ("x1", "x2", "label")


def add_point(points: PointSet, x1: float, x2: float, label: float, train: bool = True) -> PointSet:
    """The set with one more point (a training point unless `train` is False)."""
    if not (math.isfinite(x1) and math.isfinite(x2) and abs(x1) <= DOMAIN and abs(x2) <= DOMAIN):
        raise DataError(f"The point ({x1:g}, {x2:g}) is outside the plane (−{DOMAIN:g} to {DOMAIN:g}).")
    if len(points) >= MAX_POINTS:
        raise DataError(f"The set already has {len(points):,} points, the most this page trains on.")
    if points.task == CLASSIFICATION:
        if label != int(label) or not 0 <= label < points.classes:
            raise DataError(f"Class {label:g} does not exist here: pick 0 to {points.classes - 1}.")
        y = np.append(points.y, np.int64(label))
    else:
        y = np.append(points.y, np.float32(np.clip(label, -1, 1)))
    return replace(points, x=np.vstack([points.x, np.float32([[x1, x2]])]), y=y,
                   train=np.append(points.train, bool(train)), origin="edited")


def remove_points(points: PointSet, indices: list[int]) -> PointSet:
    """The set without the points at `indices`; it must keep a training point, a test point and two classes."""
    keep = np.ones(len(points), bool)
    keep[[i for i in indices if 0 <= i < len(points)]] = False
    if keep.all():
        return points
    smaller = replace(points, x=points.x[keep], y=points.y[keep], train=points.train[keep], origin="edited")
    problem = usable(smaller)
    if problem:
        raise DataError(f"Not removed: {problem}")
    return smaller


def usable(points: PointSet) -> str | None:
    """Why a network cannot train and be tested on these points, or None."""
    if points.train.sum() < 2 or (~points.train).sum() < 1:
        return "the set needs at least two training points and one test point."
    if points.task == CLASSIFICATION and len(np.unique(points.y_train)) < 2:
        return "the training points need at least two classes."
    return None


def to_csv(points: PointSet) -> str:
    """The points as CSV: x1, x2, label, split (train or test); what from_csv reads back exactly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "split"])
    for (x1, x2), label, train in zip(points.x, points.y, points.train):
        writer.writerow([_exact(x1), _exact(x2), int(label) if points.task == CLASSIFICATION else _exact(label),
                         "train" if train else "test"])
    return out.getvalue()


def _exact(value: float) -> str:
    """The shortest decimal that reads back as the same float32."""
    return np.format_float_positional(np.float32(value), unique=True, trim="-")


def _number(text: str, row: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"Row {row}: {column} is {text.strip()!r}, not a number.") from None
    if not math.isfinite(value):
        raise DataError(f"Row {row}: {column} is {text.strip()}; every value must be a finite number "
                        "(fill in or delete the row).")
    return value


def _rows(data: bytes | str) -> tuple[list[str], list[list[str]]]:
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise DataError(f"The file has {len(data) / 1e6:.1f} MB; at most {MAX_BYTES / 1e6:.0f} MB "
                            f"({MAX_ROWS:,} points) is read.")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DataError("The file is not text (UTF-8): save it as CSV with columns x1, x2, label.") from None
    lines = [line for line in csv.reader(io.StringIO(data)) if any(cell.strip() for cell in line)]
    if not lines:
        raise DataError("The file is empty: it needs a header x1, x2, label and one row per point.")
    return [cell.strip().lower() for cell in lines[0]], lines[1:]


def from_csv(data: bytes | str, train_percent: int = 50, seed: int = 0) -> PointSet:
    """Points from CSV text with a header x1, x2, label and an optional split column (train/test).

    Labels that are all whole numbers 0-4 are classes (TFP's -1 and +1 become 0 and 1); other numbers from -1 to 1
    are regression targets. Without a split column, `train_percent`% of the points train.
    """
    header, rows = _rows(data)
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise DataError(f"The file has no column {', '.join(missing)} (it has: {', '.join(header) or 'none'}). "
                        "The first row must name the columns x1, x2, label.")
    if len(rows) > MAX_ROWS:
        raise DataError(f"The file has {len(rows):,} points; this page trains on at most {MAX_ROWS:,}. "
                        "Keep a sample of them.")
    where = {name: header.index(name) for name in (*COLUMNS, "split") if name in header}
    values = np.empty((len(rows), 3))
    train = np.zeros(len(rows), bool)
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        if len(row) < len(header):
            raise DataError(f"Row {number} has {len(row)} values, the header names {len(header)}.")
        values[number - 2] = [_number(row[where[name]], number, name) for name in COLUMNS]
        if "split" in where:
            split = row[where["split"]].strip().lower()
            if split not in ("train", "test"):
                raise DataError(f"Row {number}: split is {split!r}; write train or test.")
            train[number - 2] = split == "train"
    if len(values) < 3:
        raise DataError(f"The file has {len(values)} point(s); a network needs at least 3 (2 to train, 1 to test).")
    outside = np.flatnonzero(np.abs(values[:, :2]).max(axis=1) > DOMAIN)
    if outside.size:
        first = outside[0]
        raise DataError(f"{outside.size} point(s) lie outside the plane, e.g. row {first + 2} at "
                        f"({values[first, 0]:g}, {values[first, 1]:g}). "
                        f"Scale x1 and x2 to −{DOMAIN:g} … {DOMAIN:g}.")
    if "split" not in where:
        train = split_mask(len(values), train_percent, seed)
    points = _labelled(values[:, :2].astype(np.float32), values[:, 2], train)
    problem = usable(points)
    if problem:
        raise DataError(f"These points cannot be used: {problem}")
    return points


def _labelled(x: np.ndarray, labels: np.ndarray, train: np.ndarray) -> PointSet:
    """Classes or regression targets, from the label column's values."""
    distinct = np.unique(labels)
    if np.all(labels == np.round(labels)):
        if set(distinct.tolist()) == {-1.0, 1.0}:  # TFP's own labels
            labels = (labels > 0).astype(np.float64)
            distinct = np.array([0.0, 1.0])
        if distinct.min() >= 0 and distinct.max() < MAX_CLASSES:
            if len(distinct) < 2:
                raise DataError(f"All {len(labels)} points have the label {distinct[0]:g}: a classifier needs at "
                                "least two classes.")
            return PointSet(x, labels.astype(np.int64), train, CLASSIFICATION, int(distinct.max()) + 1, "uploaded")
    if np.abs(labels).max() > 1:
        bad = int(np.flatnonzero(np.abs(labels) > 1)[0])
        raise DataError(f"Row {bad + 2}: label {labels[bad]:g}. Labels are classes 0 to {MAX_CLASSES - 1} (or −1 "
                        "and 1), or regression targets between −1 and 1.")
    return PointSet(x, labels.astype(np.float32), train, REGRESSION, 0, "uploaded")
