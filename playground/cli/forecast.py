"""Forecast a time series with an LSTM (or GRU) and a Dense network: one JSON line per epoch, then the test MAE of each.

Example: python -m playground forecast --series co2 --epochs 30
prints {"epoch", "lstm", "val_lstm", "dense", "val_dense", "seconds"} per epoch (mean absolute errors in the series'
unit, training and validation), then {"summary": {"test_mae": {"naive", "seasonal", "lstm", "dense"},
"multi_step_mae": {...}, ...}}. --csv PATH forecasts your own series instead (one number per line, or date,number).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from playground.cli import fail, print_rows
from playground.sequences.forecast import RECURRENT, ForecastConfig, ForecastRun
from playground.sequences.series import SERIES, SeriesError, load_series, parse_series_csv


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--series", choices=list(SERIES), default="co2", help="a shipped series (default co2)")
    source.add_argument("--csv", type=Path, metavar="PATH", help="your own series as CSV")
    parser.add_argument("--season", type=int, help="season length in steps for the seasonal naive forecast "
                                                   "(shipped series: their own; CSV: none)")
    parser.add_argument("--window", type=int, help="values the networks read (default: the series' own, CSV 12)")
    parser.add_argument("--recurrent", choices=RECURRENT, default="LSTM")
    parser.add_argument("--units", type=int, default=ForecastConfig.units)
    parser.add_argument("--epochs", type=int, default=ForecastConfig.epochs)
    parser.add_argument("--batch-size", type=int, default=ForecastConfig.batch_size)
    parser.add_argument("--learning-rate", type=float, default=ForecastConfig.learning_rate)
    parser.add_argument("--horizon", type=int, default=ForecastConfig.horizon,
                        help="steps of the multi-step forecast, which feeds its own forecasts back")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same run")


def run(args: argparse.Namespace) -> int:
    try:
        if args.csv is not None:
            series = parse_series_csv(args.csv.read_bytes(), args.csv.name)
        else:
            series = load_series(args.series)
        if args.season is not None:
            if args.season < 0:
                fail(f"--season must be 0 (none) or a positive number of steps, not {args.season}")
            series = replace(series, season=args.season)
        window = args.window if args.window is not None else SERIES[series.name].window if series.name in SERIES \
            else 12
        config = ForecastConfig(window=window, recurrent=args.recurrent, units=args.units, epochs=args.epochs,
                                batch_size=args.batch_size, learning_rate=args.learning_rate, horizon=args.horizon,
                                seed=args.seed)
        forecast = ForecastRun(series=series, config=config, name="forecast")
    except SeriesError as error:
        fail(str(error))
    forecast.start()
    print_rows(forecast, lambda n: forecast.history[n:], digits=5)
    if forecast.status == "failed":
        fail(forecast.message)
    print(json.dumps({"summary": forecast.summary()}), flush=True)
    return 1 if forecast.status == "diverged" else 0
