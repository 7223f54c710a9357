"""Time series: the two shipped real series, a user's CSV, windows, the naive forecasts and the mean absolute error."""

from __future__ import annotations

import csv
import functools
import io
import math
from dataclasses import dataclass

import numpy as np

from playground.core.datasets import ASSETS

SERIES_PATH = ASSETS / "data" / "series.npz"
TEST_FRACTION = 0.2  # the last 20% of the series is the test period, never trained on
VAL_FRACTION = 0.1  # the 10% before it checks each epoch
MIN_TRAIN_WINDOWS = 20
MIN_POINTS = 30
MAX_POINTS = 20_000
MAX_WINDOW = 200
MAX_CSV_BYTES = 2 * 1024**2
MISSING = {"", "na", "n/a", "nan", "null", "none", "-", "?"}


class SeriesError(ValueError):
    """A series or a window that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class SeriesInfo:
    """A shipped series: how to talk about it, its season (in steps) and a sensible window."""

    title: str
    unit: str
    season: int  # the naive seasonal forecast repeats the value this many steps back
    window: int
    about: str
    source: str


SERIES: dict[str, SeriesInfo] = {
    "co2": SeriesInfo(
        "CO₂ at Mauna Loa, monthly, 1965–2001", "ppm", 12, 24,
        "The carbon dioxide in the air above Hawaii, month by month: a steady rise with a yearly breath "
        "(plants take CO₂ in every northern summer). Smooth and regular: a network can learn its pattern.",
        "Scripps Institution of Oceanography (Keeling & Whorf), via statsmodels' co2 dataset; public domain."),
    "sunspots": SeriesInfo(
        "Sunspot numbers, monthly, 1749–2008", "sunspots", 132, 36,
        "How many dark spots the Sun shows, month by month: an ~11-year cycle of irregular height and length, "
        "with a lot of month-to-month noise. Hard to beat 'same as last month' on the next month.",
        "NOAA National Geophysical Data Center, via statsmodels' sunspots dataset; public domain."),
}


@dataclass(frozen=True)
class Series:
    """Evenly spaced values (float64) with a label per value (a month 'YYYY-MM' or the row's first column)."""

    name: str
    title: str
    unit: str
    values: np.ndarray
    labels: tuple[str, ...]
    season: int = 0  # 0: no season known

    def __len__(self) -> int:
        return len(self.values)


def _months(start: str, count: int) -> tuple[str, ...]:
    year, month = (int(part) for part in start.split("-"))
    first = year * 12 + month - 1
    return tuple(f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, first + count))


@functools.cache
def load_series(name: str) -> Series:
    """A shipped series by name ('co2' or 'sunspots'); cached, so treat its arrays as read-only."""
    if name not in SERIES:
        raise SeriesError(f"Unknown series {name!r}; pick one of {', '.join(SERIES)}.")
    with np.load(SERIES_PATH) as data:
        values = data[name].astype(np.float64)
        start = str(data[f"{name}_start"])
    values.setflags(write=False)
    info = SERIES[name]
    return Series(name, info.title, info.unit, values, _months(start, len(values)), info.season)


def _number(cell: str) -> float | None:
    try:
        return float(cell.strip().replace("\u2212", "-"))
    except ValueError:
        return None


def parse_series_csv(data: bytes, name: str = "your series") -> Series:
    """A CSV of one column (the values) or two (a date or label, then the value), with or without a header row.

    Refused with a message that names the row: text where a number should be, an empty cell (a gap), a row
    with a different number of columns, too few or too many values, a constant series.
    """
    if len(data) > MAX_CSV_BYTES:
        raise SeriesError(f"The file is {len(data) / 1024**2:.1f} MB; the limit is {MAX_CSV_BYTES / 1024**2:.0f} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SeriesError("This is not a text file: save the series as CSV (comma-separated text).") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column: nothing to sniff
    rows = list(csv.reader(io.StringIO(text), dialect))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()  # blank lines at the end (or the start) are no gap; a blank line between values is one
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise SeriesError("The file is empty. Put one number per line, or two columns: a date and a number.")
    if _number(rows[0][-1]) is None and rows[0][-1].strip().lower() not in MISSING:
        header, rows = rows[0], rows[1:]  # a header row names the columns
    else:
        header = None
    if not rows:
        raise SeriesError("The file has a header row but no values under it.")
    width = len(rows[0])
    if width > 2:
        raise SeriesError(f"The file has {width} columns; use one (the values) or two (a date or label, then the "
                          "value).")
    values, labels = [], []
    for number, row in enumerate(rows, start=2 if header else 1):
        if not any(cell.strip() for cell in row):
            row = [""] * width  # an empty line: a gap, reported below
        if len(row) != width:
            raise SeriesError(f"Row {number} has {len(row)} columns where the others have {width}.")
        cell = row[-1].strip()
        if cell.lower() in MISSING:
            raise SeriesError(f"Row {number} has no value (a gap). A forecast needs evenly spaced values without "
                              "gaps: fill it in (e.g. with the mean of its neighbours) or cut the series there.")
        value = _number(cell)
        if value is None:
            raise SeriesError(f"Row {number}: {cell[:30]!r} is not a number. Use a dot for decimals and no "
                              "thousands separators.")
        if not math.isfinite(value):
            raise SeriesError(f"Row {number}: {cell[:30]!r} is not a finite number.")
        values.append(value)
        labels.append(row[0].strip() if width == 2 else str(len(values)))
    if len(values) < MIN_POINTS:
        raise SeriesError(f"The series has {len(values)} values; a forecast needs at least {MIN_POINTS}.")
    if len(values) > MAX_POINTS:
        raise SeriesError(f"The series has {len(values):,} values; the limit is {MAX_POINTS:,}. Use a coarser "
                          "step (e.g. monthly means) or a shorter period.")
    array = np.array(values, dtype=np.float64)
    if np.ptp(array) == 0:
        raise SeriesError("All values are equal: there is nothing to forecast.")
    title = header[-1].strip() if header and header[-1].strip() else name
    return Series("uploaded", title[:60], "", array, tuple(labels))


@dataclass(frozen=True)
class Split:
    """Where the periods start, as indices of the series (a value's index is also the target index of its window)."""

    window: int
    val_start: int
    test_start: int
    end: int

    @property
    def train(self) -> slice:
        return slice(self.window, self.val_start)

    @property
    def val(self) -> slice:
        return slice(self.val_start, self.test_start)

    @property
    def test(self) -> slice:
        return slice(self.test_start, self.end)


def split(length: int, window: int) -> Split:
    """Train on the first 70% of the series, validate on the next 10%, test on the last 20%; check the window."""
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= MAX_WINDOW:
        raise SeriesError(f"The window must be a whole number from 1 to {MAX_WINDOW} values, not {window!r}.")
    test_start = length - max(1, round(length * TEST_FRACTION))
    val_start = test_start - max(1, round(length * VAL_FRACTION))
    if val_start - window < MIN_TRAIN_WINDOWS:
        longest = val_start - MIN_TRAIN_WINDOWS
        hint = f"use a window of at most {longest} values" if longest >= 1 else "use a longer series"
        raise SeriesError(f"A window of {window} values is too long for this series: its training part holds "
                          f"{val_start} values, so there would be fewer than {MIN_TRAIN_WINDOWS} windows to learn "
                          f"from. {hint[0].upper()}{hint[1:]}.")
    return Split(window, val_start, test_start, length)


def windows(values: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """X (n − window, window): each run of `window` values; y (n − window,): the value right after each run.

    Row k of X ends just before value window + k: its target index is window + k.
    """
    values = np.asarray(values, dtype=np.float64)
    x = np.lib.stride_tricks.sliding_window_view(values, window)[:-1]
    return x.copy(), values[window:].copy()


def naive_forecast(values: np.ndarray, targets: slice | np.ndarray) -> np.ndarray:
    """'Same as the last value': the forecast for each target index is the value just before it."""
    index = np.arange(len(values))[targets]
    return np.asarray(values, dtype=np.float64)[index - 1]


def seasonal_naive_forecast(values: np.ndarray, targets: slice | np.ndarray, season: int) -> np.ndarray:
    """'Same as one season ago': the value `season` steps before each target index."""
    index = np.arange(len(values))[targets]
    if season < 1 or index.min() < season:
        raise SeriesError(f"A season of {season} steps reaches before the start of the series.")
    return np.asarray(values, dtype=np.float64)[index - season]


def mae(forecast: np.ndarray, actual: np.ndarray) -> float:
    """Mean absolute error: on average, how far the forecast is from what happened, in the series' unit."""
    return float(np.mean(np.abs(np.asarray(forecast, dtype=np.float64) - np.asarray(actual, dtype=np.float64))))
