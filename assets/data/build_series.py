"""Copy two real public-domain time series out of the statsmodels wheel into assets/data/series.npz.

Run once (the npz is committed; the app never imports statsmodels):

    cd /tmp && pip download statsmodels==0.15.0 --no-deps
    python assets/data/build_series.py /tmp/statsmodels-0.15.0-cp311-cp311-*.whl

The wheel's `statsmodels/datasets/` folder ships the raw files these come from (see assets/data/SOURCES.md):

- sunspots: `sunspots/src/sunspots_monthly.dat`, the monthly mean sunspot numbers of NOAA's National Geophysical
  Data Center, January 1749 – December 2008 (3,120 months; the file's 2009 months are marked preliminary and
  left out). Public domain.
- co2: `co2/co2.csv`, weekly CO₂ at Mauna Loa (Scripps, Keeling & Whorf), averaged per calendar month, from
  January 1965 to December 2001 (444 months). Before 1965 some whole months have no measurement, so the series
  starts after the last such gap and has none. Public domain.

The npz holds, per series NAME: NAME (float32 values, one per month) and NAME_start ("YYYY-MM", the first month).
"""

from __future__ import annotations

import argparse
import io
import re
import zipfile
from pathlib import Path

import numpy as np

SUNSPOTS_FILE = "statsmodels/datasets/sunspots/src/sunspots_monthly.dat"
CO2_FILE = "statsmodels/datasets/co2/co2.csv"
SUNSPOTS_LAST_YEAR = 2008  # later months are marked "preliminary" in the file
CO2_FIRST_YEAR = 1965  # monthly means have no gap from here on (1958-1964 miss whole months)
YEAR_ROW = re.compile(r"^(\d{4})((?:\s+-?\d+(?:\.\d+)?)+)\s*$")


def read_member(source: Path, member: str) -> str:
    """A file of the statsmodels wheel (or of an unpacked copy of it) as text."""
    if source.is_dir():
        return (source / member).read_text(encoding="latin-1")
    with zipfile.ZipFile(source) as wheel:
        return wheel.read(member).decode("latin-1")


def monthly_sunspots(text: str) -> tuple[np.ndarray, str]:
    """The rows 'YEAR  jan feb ... dec' of NOAA's table, flattened month by month."""
    values: list[float] = []
    first = None
    for line in text.splitlines():
        match = YEAR_ROW.match(line.strip())
        if not match or int(match.group(1)) > SUNSPOTS_LAST_YEAR:
            continue
        months = [float(v) for v in match.group(2).split()]
        if len(months) != 12:
            raise ValueError(f"sunspots: year {match.group(1)} has {len(months)} months")
        if first is None:
            first = int(match.group(1))
        elif int(match.group(1)) != first + len(values) // 12:
            raise ValueError(f"sunspots: year {match.group(1)} is out of order")
        values += months
    return np.array(values, np.float32), f"{first}-01"


def monthly_co2(text: str) -> tuple[np.ndarray, str]:
    """Weekly ppm values 'YYYYMMDD,ppm' (some weeks empty) -> the mean of each month's measured weeks."""
    sums: dict[tuple[int, int], list[float]] = {}
    for line in io.StringIO(text).read().splitlines()[1:]:
        date, _, value = line.partition(",")
        year, month = int(date[:4]), int(date[4:6])
        if value.strip() and year >= CO2_FIRST_YEAR:
            sums.setdefault((year, month), []).append(float(value))
    months = sorted(sums)
    expected = [(CO2_FIRST_YEAR + i // 12, i % 12 + 1) for i in range(len(months))]
    if months != expected:
        raise ValueError("co2: a month without any measurement")
    return np.array([np.mean(sums[m]) for m in months], np.float32), f"{CO2_FIRST_YEAR}-01"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the statsmodels wheel (.whl) or a folder it was unpacked into")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("series.npz"))
    args = parser.parse_args()
    arrays = {}
    for name, reader, member in (("sunspots", monthly_sunspots, SUNSPOTS_FILE), ("co2", monthly_co2, CO2_FILE)):
        values, start = reader(read_member(args.source, member))
        arrays[name], arrays[f"{name}_start"] = values, np.array(start)
        print(f"{name}: {len(values)} months from {start}, {values.min():.1f} to {values.max():.1f}")
    np.savez_compressed(args.out, **arrays)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
