"""The Sequences page's forecast tab: pick or upload a series, train an LSTM/GRU and a Dense network live, compare."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from playground.charts.sequences import NAMES, forecast_curves, forecast_figure, mae_bars, series_figure
from playground.sequences.forecast import RECURRENT, TITLES, ForecastConfig, ForecastRun
from playground.sequences.series import (
    MAX_CSV_BYTES,
    MAX_WINDOW,
    SERIES,
    Series,
    SeriesError,
    load_series,
    parse_series_csv,
    split,
)
from playground.ui.polling import live_fragment
from playground.ui.presenter import presenter_mode, scaled, show_figure
from playground.ui.session import latest_job, next_number, start_job
from playground.ui.state import keys
from playground.ui.training_panel import STATUS_TEXT, progress_bar, status_message
from playground.ui.url import new_in_link, put_in_link

K = keys("seq")
RUNS = K("forecast_runs")
UPLOAD = "upload"
KEPT = {"persist_state": "session"}
UPLOADED = K("uploaded_series")  # (file id, Series or error message): each file is read once


def apply_link() -> None:
    """?preset=co2 or ?preset=sunspots picks that series (once per link); anything else gets a message."""
    found = new_in_link("seq", "preset")
    if found is None:
        return
    if found[1] in SERIES:
        st.session_state[K("series")] = found[1]
    else:
        st.error(f"Unknown series {found[1]!r} in the link. Series: {', '.join(SERIES)}.", icon=":material/link_off:")


def uploaded_series() -> Series | None:
    """A CSV the user uploads, parsed once per file; a clear message (and None) when it cannot be used."""
    file = st.file_uploader("A CSV of your own series", type=["csv", "txt"], key=K("csv"),
                            max_upload_size=max(1, MAX_CSV_BYTES // 1024**2),
                            help="One number per line, or two columns: a date (or any label) and the number. "
                                 "A header row is fine. Evenly spaced, no gaps, 30 to 20,000 values.")
    if file is None:
        return None
    done = st.session_state.get(UPLOADED)
    if done is None or done[0] != file.file_id:
        try:
            done = (file.file_id, parse_series_csv(file.getvalue(), file.name))
        except SeriesError as error:
            done = (file.file_id, str(error))
        st.session_state[UPLOADED] = done
    if isinstance(done[1], str):
        st.error(f"{file.name}: {done[1]}", icon=":material/table_chart:")
        return None
    season = st.number_input("Season length (steps; 0 = none)", 0, 10_000, 0, key=K("csv_season"), **KEPT,
                             help="12 for monthly data with a yearly pattern, 7 for daily data with a weekly one.")
    return replace(done[1], season=int(season))


def choose_series() -> Series | None:
    apply_link()
    choices = [*SERIES, UPLOAD]
    name = st.segmented_control("Series", choices, default="co2", required=True, key=K("series"), **KEPT,
                                format_func=lambda n: "Your own (CSV)" if n == UPLOAD else SERIES[n].title) or "co2"
    if name == UPLOAD:
        return uploaded_series()
    put_in_link("seq", "preset", name)
    st.caption(f"{SERIES[name].about} *Source: {SERIES[name].source}*")
    return load_series(name)


def settings(series: Series) -> ForecastConfig:
    default_window = SERIES[series.name].window if series.name in SERIES else 12
    left, middle, right = st.columns(3)
    window = left.slider("Window: values the networks read", 2, MAX_WINDOW, default_window, key=K("window"), **KEPT)
    recurrent = middle.segmented_control("Recurrent layer", RECURRENT, default="LSTM", required=True,
                                         key=K("recurrent"), **KEPT) or "LSTM"
    epochs = right.slider("Epochs", 1, 100, ForecastConfig.epochs, key=K("epochs"), **KEPT)
    config = ForecastConfig(window=int(window), recurrent=recurrent, epochs=int(epochs))
    if presenter_mode():
        return config
    left, middle, right = st.columns(3)
    units = left.select_slider("Units per network", [4, 8, 16, 32, 64, 128], 32, key=K("units"), **KEPT)
    rate = middle.select_slider("Learning rate (Adam)", [0.0003, 0.001, 0.003, 0.01, 0.03], 0.003, key=K("lr"),
                                **KEPT)
    horizon = right.slider("Multi-step forecast: steps ahead", 6, 240, ForecastConfig.horizon, 6, key=K("horizon"),
                           **KEPT)
    return replace(config, units=int(units), learning_rate=float(rate), horizon=int(horizon))


def live_view(run: ForecastRun) -> None:
    st.markdown(f"**{run.name}** · {STATUS_TEXT.get(run.status, run.status)} · on {run.device}")
    if run.working:
        progress_bar(run, run.config.epochs, unit="windows")
    status_message(run)
    show_figure(forecast_curves(run.history, run.branches(), run.naive_val_mae, run.config.epochs, run.series.unit,
                                height=scaled(340)), key=K("forecast_curves"))


def results(run: ForecastRun) -> None:
    """The test period, looked at once: MAE of every forecast, one step ahead and fed back on itself."""
    res, series = run.results, run.series
    if res is None:
        return
    st.subheader("The test period")
    best = min((n for n in run.branches()), key=res.test_mae.get)
    gain = res.improvement(best)
    compared = f"**{gain:.0%} smaller**" if gain >= 0 else f"**{-gain:.0%} larger**"
    st.markdown(f"One step ahead over the last {len(res.test_index)} values, never trained on: the "
                f"**{NAMES[best]}** is off by **{res.test_mae[best]:.3g}** {series.unit} on average, an error "
                f"{compared} than 'same as last value' ({res.test_mae['naive']:.3g}).")
    bars, table = st.columns(2, gap="medium")
    with bars:
        show_figure(mae_bars(res.test_mae, series.unit, height=scaled(260)), key=K("mae_bars"))
    table.dataframe(pd.DataFrame({"forecast": [TITLES.get(k, k) for k in res.test_mae],
                                  "test MAE": list(res.test_mae.values()),
                                  f"{res.multi_index.size}-step MAE": [res.multi_mae.get(k) for k in res.test_mae]}),
                    hide_index=True, key=K("mae_table"))
    show_figure(forecast_figure(series.labels, series.values, res.test_index, res.one_step, 0, series.unit,
                                "One step ahead: each forecast sees the true values up to the month before",
                                height=scaled(360)), key=K("one_step"))
    show_figure(forecast_figure(series.labels, series.values, res.multi_index, res.multi_step,
                                min(3 * run.config.window, run.split.test_start), series.unit,
                                f"{res.multi_index.size} steps ahead from the dashed line: each network reads its "
                                "own forecasts back", height=scaled(360)), key=K("multi_step"))
    if not presenter_mode():
        st.caption("Fed its own forecasts, a network's small errors become its next inputs and add up: compare "
                   "how long each line stays close to what happened.")


def forecast_tab() -> None:
    series = choose_series()
    if series is None:
        st.info("Upload a CSV file, or pick one of the shipped series.", icon=":material/upload_file:")
        return
    config = settings(series)
    try:
        periods = split(len(series), config.window)
    except SeriesError as error:
        st.error(str(error), icon=":material/error:")
        periods = None
    if periods is not None:
        show_figure(series_figure(series.labels, series.values, periods.val_start, periods.test_start, series.unit,
                                  height=scaled(260)), key=K("series_chart"))
    run: ForecastRun | None = latest_job(RUNS)
    busy = run is not None and run.working
    train, stop = st.columns(2)
    if train.button("Train both networks", type="primary", icon=":material/play_arrow:", width="stretch",
                    disabled=busy or periods is None, key=K("train")):
        try:
            job = ForecastRun(series=series, config=config, name=f"{config.recurrent} vs Dense on "
                                                                 f"{series.title} · run {next_number(RUNS)}")
        except SeriesError as error:
            st.error(str(error), icon=":material/error:")
        else:
            start_job(job, RUNS)
            st.rerun()
    stop.button("Stop", icon=":material/stop:", width="stretch", disabled=not busy, key=K("stop"),
                on_click=run.stop if busy else None, help="Ends the run after the current batch.")
    if run is not None:
        live_fragment(run, lambda: live_view(run))
        results(run)
