"""The sequences engine against references: Keras' own cells, a hand-computed gradient, the series arithmetic."""

import keras
import numpy as np
import pytest

from playground.sequences import cells, gradients, rows
from playground.sequences.forecast import ForecastConfig, ForecastRun, step_scale
from playground.sequences.memory_task import MemoryConfig, MemoryRun, memory_data, remembered
from playground.sequences.series import (
    MAX_POINTS,
    SERIES,
    Series,
    SeriesError,
    load_series,
    mae,
    naive_forecast,
    parse_series_csv,
    seasonal_naive_forecast,
    split,
    windows,
)

KERAS_CELLS = {"LSTM": (keras.layers.LSTM, 4), "GRU": (keras.layers.GRU, 3), "SimpleRNN": (keras.layers.SimpleRNN, 1)}


def random_weights(kind: str, inputs: int, units: int, seed: int = 0) -> cells.CellWeights:
    rng = np.random.default_rng(seed)
    gates = KERAS_CELLS[kind][1]
    bias = rng.normal(size=(2, 3 * units)) if kind == "GRU" else rng.normal(size=gates * units)
    return cells.CellWeights(rng.normal(size=(inputs, gates * units)) * 0.7,
                             rng.normal(size=(units, gates * units)) * 0.7, bias)


@pytest.mark.parametrize("kind", list(KERAS_CELLS))
def test_unrolled_cells_match_keras_layers_with_the_same_weights(kind):
    inputs, units, steps = 3, 4, 9
    weights = random_weights(kind, inputs, units)
    rng = np.random.default_rng(1)
    xs, h0, c0 = rng.normal(size=(steps, inputs)), rng.normal(size=units) * 0.5, rng.normal(size=units)
    mine = cells.unroll(kind, xs, weights, h0, c0)
    layer = KERAS_CELLS[kind][0](units, return_sequences=True, return_state=True)
    layer.build((1, steps, inputs))
    layer.set_weights(weights.as_keras())
    state = [h0[None], c0[None]] if kind == "LSTM" else [h0[None]]
    out = layer(xs[None].astype("float32"), initial_state=[s.astype("float32") for s in state])
    np.testing.assert_allclose(mine.h, np.asarray(out[0])[0], atol=1e-5)
    if kind == "LSTM":
        np.testing.assert_allclose(mine.c[-1], np.asarray(out[2])[0], atol=1e-5)  # the final cell state


def test_one_lstm_step_matches_keras_lstm_cell_gate_by_gate():
    weights = random_weights("LSTM", 2, 3, seed=5)
    x, h, c = np.array([0.5, -1.0]), np.array([0.1, -0.2, 0.3]), np.array([1.0, -0.5, 0.0])
    cell = keras.layers.LSTMCell(3)
    cell.build((1, 2))
    cell.set_weights(weights.as_keras())
    h_keras, (_, c_keras) = cell(x[None].astype("float32"), [h[None].astype("float32"), c[None].astype("float32")])
    step = cells.lstm_step(x, h, c, weights)
    np.testing.assert_allclose(step.h, np.asarray(h_keras)[0], atol=1e-5)
    np.testing.assert_allclose(step.c, np.asarray(c_keras)[0], atol=1e-5)
    np.testing.assert_allclose(step.c, step.f * c + step.i * step.c_tilde)  # the cell-state update, written out
    assert np.all((0 < step.f) & (step.f < 1)) and np.all(np.abs(step.c_tilde) < 1)


def test_gru_and_simple_rnn_single_steps_match_keras_cells():
    for kind, cell_class, step in (("GRU", keras.layers.GRUCell, cells.gru_step),
                                   ("SimpleRNN", keras.layers.SimpleRNNCell, cells.rnn_step)):
        weights = random_weights(kind, 2, 3, seed=7)
        x, h = np.array([0.3, 0.8]), np.array([-0.4, 0.2, 0.9])
        cell = cell_class(3)
        cell.build((1, 2))
        cell.set_weights(weights.as_keras())
        expected = np.asarray(cell(x[None].astype("float32"), [h[None].astype("float32")])[0])[0]
        np.testing.assert_allclose(step(x, h, weights).h, expected, atol=1e-5)


def test_the_written_out_lines_carry_the_steps_values():
    gates = {"f": (0.5, -1.0, 2.0), "i": (1.0, 0.5, -1.0), "c": (2.0, 0.0, 0.1), "o": (-0.5, 1.0, 1.0)}
    weights = cells.weights_from_gates(gates, "ifco")
    step = cells.lstm_step(0.7, -0.3, 1.5, weights)
    lines = {line.symbol: line for line in cells.lstm_lines(step, weights)}
    assert lines["f_t"].value == pytest.approx(1 / (1 + np.exp(-(0.5 * 0.7 - 1.0 * -0.3 + 2.0))))
    assert lines["f_t"].numbers.startswith(r"\sigma(0.5 \cdot 0.7 + (-1) \cdot (-0.3) + 2)")
    assert lines["c_t"].value == pytest.approx(float(step.c[0]))
    assert lines["h_t"].value == pytest.approx(float(step.o[0] * np.tanh(step.c[0])))
    gru = cells.weights_from_gates({"z": (1.0, 0.0, 0.0), "r": (0.0, 1.0, 0.0), "h": (1.0, 1.0, 0.0)}, "zrh")
    assert [line.symbol for line in cells.gru_lines(cells.gru_step(1.0, 0.5, gru), gru)][-1] == "h_t"


@pytest.mark.parametrize("text, message", [
    ("", "at least one number"), ("  , ,", "at least one number"), ("1, two, 3", r"Value 2 \('two'\) is not a number"),
    (", ".join(["1"] * 61), "at most 60"), ("1, inf", "too large"), ("1e400", "too large"), ("1, 2e7", "too large"),
])
def test_a_bad_typed_sequence_is_refused_with_its_reason(text, message):
    with pytest.raises(cells.SequenceError, match=message):
        cells.parse_sequence(text)


def test_typed_sequences_accept_commas_spaces_semicolons_and_minus_signs():
    np.testing.assert_array_equal(cells.parse_sequence("1, -0.5 2;3,,4"), [1, -0.5, 2, 3, 4])


def test_a_linear_rnns_gradient_is_w_to_the_power_of_the_distance():
    """h_T = Σ w^(T-t) x_t for h_t = w·h_{t-1} + x_t, so ∂h_T/∂x_t = w^(T-t): the vanishing gradient by hand."""
    for w in (0.9, 0.5, 1.1):
        layer = keras.layers.SimpleRNN(1, activation="linear")
        layer.build((None, 30, 1))
        layer.set_weights([np.ones((1, 1)), np.full((1, 1), w), np.zeros(1)])
        size = gradients.input_gradients(layer, np.random.default_rng(0).normal(size=(4, 30, 1)))
        np.testing.assert_allclose(size[::-1], w ** np.arange(30), rtol=1e-4)  # distance 0 = the last input


def test_gradient_curves_for_every_kind_and_the_forget_gate_keeps_the_lstms_alive():
    curves = gradients.gradient_curves(40, units=8, samples=4)
    assert set(curves) == {"SimpleRNN", "LSTM", "GRU"}
    assert all(curve.size.shape == (40,) and np.all(curve.size > 0) for curve in curves.values())
    open_gate = gradients.gradient_curves(40, ("LSTM",), units=8, samples=4, forget_bias=5.0)["LSTM"]
    shut_gate = gradients.gradient_curves(40, ("LSTM",), units=8, samples=4, forget_bias=-2.0)["LSTM"]
    assert open_gate.ratio(39) > 1e3 * shut_gate.ratio(39)
    assert gradients.decay_per_step(open_gate) > gradients.decay_per_step(shut_gate)
    with pytest.raises(gradients.GradientError, match="from 10 to 200"):
        gradients.gradient_curves(5)


def test_the_shipped_series_load_with_months_and_no_gaps():
    for name, info in SERIES.items():
        series = load_series(name)
        assert len(series) == len(series.labels) > 400 and np.all(np.isfinite(series.values))
        assert series.season == info.season and series.title == info.title
    co2, sunspots = load_series("co2"), load_series("sunspots")
    assert (co2.labels[0], co2.labels[-1], len(co2)) == ("1965-01", "2001-12", 444)
    assert (sunspots.labels[0], sunspots.labels[-1], len(sunspots)) == ("1749-01", "2008-12", 3120)
    assert sunspots.values[0] == pytest.approx(58.0) and 300 < co2.values.min() < co2.values.max() < 380
    with pytest.raises(SeriesError, match="Unknown series"):
        load_series("gold")


def test_windows_targets_and_naive_forecasts():
    values = np.arange(10.0) ** 2
    x, y = windows(values, 3)
    assert x.shape == (7, 3) and y.shape == (7,)
    np.testing.assert_array_equal(x[0], [0, 1, 4])
    assert y[0] == 9 and y[-1] == 81
    np.testing.assert_array_equal(naive_forecast(values, slice(5, 8)), [16, 25, 36])
    np.testing.assert_array_equal(seasonal_naive_forecast(values, slice(5, 8), 4), [1, 4, 9])
    assert mae([1, 2, 3], [2, 2, 5]) == pytest.approx(1.0)
    with pytest.raises(SeriesError, match="before the start"):
        seasonal_naive_forecast(values, slice(2, 5), 4)


def test_the_split_keeps_time_order_and_refuses_a_window_longer_than_the_series_allows():
    s = split(100, 10)
    assert (s.window, s.val_start, s.test_start, s.end) == (10, 70, 80, 100)
    with pytest.raises(SeriesError, match="at most 50 values"):
        split(100, 51)
    with pytest.raises(SeriesError, match="too long"):
        split(60, 30)
    with pytest.raises(SeriesError, match="whole number"):
        split(100, 0)


def test_a_good_csv_with_or_without_header_and_dates():
    one = parse_series_csv("\n".join(str(v) for v in range(40)).encode())
    assert len(one) == 40 and one.labels[:2] == ("1", "2")
    two = parse_series_csv(b"month;ppm\n" + b"\n".join(f"2001-{m};{m * 1.5}".encode() for m in range(1, 41)) + b"\n\n")
    assert two.title == "ppm" and two.labels[0] == "2001-1" and two.values[-1] == pytest.approx(60.0)


@pytest.mark.parametrize("data, message", [
    (b"", "empty"), (b"\xff\xfe\x00\x01", "not a text file"), (b"value\n", "no values"),
    (b"1\n2\n\n3\n" + b"4\n" * 40, "Row 3 has no value"), (b"1\n2\nNA\n" + b"4\n" * 40, "Row 3 has no value"),
    (b"1\n2\nabc\n" + b"4\n" * 40, "Row 3: 'abc' is not a number"), (b"1,2,3\n" * 40, "3 columns"),
    (b"a,1\nb\n" + b"c,2\n" * 40, "Row 2 has 1 columns"), (b"1\n" * 40, "All values are equal"),
    (b"1\n2\n", "at least 30"), (b"1\n" * (MAX_POINTS + 1), "limit is 20,000"),
])
def test_a_bad_csv_is_refused_with_the_row_and_the_reason(data, message):
    with pytest.raises(SeriesError, match=message):
        parse_series_csv(data)


def test_a_forecast_run_trains_both_networks_and_scores_every_forecast():
    t = np.arange(240)
    series = Series("wave", "wave", "", 10 + np.sin(2 * np.pi * t / 12) + 0.01 * t, tuple(map(str, t)), 12)
    run = ForecastRun(series=series, config=ForecastConfig(window=12, epochs=3, units=8, horizon=24), name="t")
    run.start()
    assert run.wait(300) and run.status == "finished", run.message
    assert [row["epoch"] for row in run.history] == [1, 2, 3]
    assert set(run.history[0]) == {"epoch", "seconds", "lstm", "val_lstm", "dense", "val_dense"}
    results = run.results
    assert set(results.test_mae) == {"naive", "seasonal", "lstm", "dense"}
    assert results.test_index[0] == run.split.test_start and results.test_index[-1] == 239
    assert all(len(f) == 24 for f in results.multi_step.values()) and len(results.multi_index) == 24
    assert results.test_mae["naive"] == pytest.approx(mae(series.values[191:239], series.values[192:]))
    # A network that predicts "no move" (zero output) is exactly the naive forecast: the scaling round-trips.
    for name in run.branches():
        layer = run.model.get_layer(name)
        layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
    windows_x = windows(series.values, 12)[0][run.split.test_start - 12:]
    for forecast in run.predict(windows_x).values():
        np.testing.assert_allclose(forecast, results.one_step["naive"], atol=1e-9)
    assert run.summary()["test_mae"]["naive"] == pytest.approx(results.test_mae["naive"], abs=1e-4)


def test_forecast_settings_are_checked_before_anything_runs():
    series = load_series("co2")
    short = Series("short", "short", "", np.arange(60.0) % 7, tuple(map(str, range(60))), 12)
    with pytest.raises(SeriesError, match="too long"):
        ForecastRun(series=short, config=ForecastConfig(window=30, epochs=1))
    with pytest.raises(SeriesError, match="season"):
        ForecastRun(series=Series("s", "s", "", short.values, short.labels, 50), config=ForecastConfig(window=5))
    with pytest.raises(SeriesError, match="recurrent layer"):
        ForecastRun(series=series, config=ForecastConfig(recurrent="Transformer"))
    with pytest.raises(SeriesError, match="Epochs must be"):
        ForecastRun(series=series, config=ForecastConfig(epochs=0))
    assert step_scale(np.arange(10.0)) == pytest.approx(1.0)  # a straight line: its steps never vary


def test_memory_data_flags_the_first_value_and_a_short_run_measures_gradients():
    x, y = memory_data(50, 20, 1.0, seed=3)
    assert x.shape == (50, 20, 2) and np.all(x[:, 0, 1] == 1) and np.all(x[:, 1:, 1] == 0)
    np.testing.assert_array_equal(x[:, 0, 0], y)
    assert remembered(1 / 3) == pytest.approx(0.0) and remembered(0.0) == 1.0
    run = MemoryRun(config=MemoryConfig(steps=12, epochs=2, samples=200, units=4), name="m")
    run.start()
    assert run.wait(300) and run.status == "finished", run.message
    assert len(run.history) == 2 and {"simplernn", "val_lstm"} <= set(run.history[0])
    assert set(run.gradients) == {"SimpleRNN", "LSTM"} and run.gradients["LSTM"].size.shape == (12,)
    with pytest.raises(ValueError, match="Sequence length|Steps"):
        MemoryRun(config=MemoryConfig(steps=1000))


def test_a_digit_as_rows_and_a_models_twin_that_answers_after_every_row():
    assert rows.as_rows(np.zeros((2, 784))).shape == (2, 28, 28)
    with pytest.raises(rows.RowsError, match="784 pixels"):
        rows.as_rows(np.zeros(100))
    weights = rows.row_weights()
    assert weights[-1] == rows.LAST_ROW_WEIGHT and np.all(np.diff(weights[:-1]) > 0)
    model = rows.rows_model(every_row=False, seed=3, units=8)
    twin = rows.row_reader(model)
    digits = np.random.default_rng(0).uniform(size=(3, 28, 28)).astype("float32")
    every_row = np.asarray(twin(digits))
    assert every_row.shape == (3, 28, 10)
    np.testing.assert_allclose(every_row[:, -1], np.asarray(model(digits)), atol=1e-5)
    dense = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
    with pytest.raises(rows.RowsError, match="recurrent layer"):
        rows.row_reader(dense)


def test_mind_changes_lists_each_new_leading_digit():
    p = np.full((28, 10), 0.01)
    p[:10, 1], p[10:20, 7], p[20:, 9] = 0.5, 0.6, 0.9
    assert [(row, digit) for row, digit, _ in rows.mind_changes(p)] == [(1, 1), (11, 7), (21, 9)]
    p[:5] = 0.1  # five rows without an opinion: no digit leads with 30% there
    assert [(row, digit) for row, digit, _ in rows.mind_changes(p, sure=0.3)] == [(6, 1), (11, 7), (21, 9)]


@pytest.mark.skipif(not rows.LSTM_ROWS_PATH.exists(), reason="assets/models/lstm_rows.keras not built")
def test_the_shipped_row_reader_reads_mnist_test_digits():
    from playground.core.datasets import load_mnist_arrays

    test = load_mnist_arrays()
    reader = rows.shipped_row_reader()
    images, labels = test["x_test"][:300] / 255.0, test["y_test"][:300]
    per_row = rows.accuracy_per_row(reader, images, labels)
    assert per_row[-1] > 0.97 and per_row[5] < 0.5  # after the first rows it cannot know; after all, it does
    probabilities = rows.probabilities_per_row(reader, images[0])
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert int(probabilities[-1].argmax()) == labels[0]


def test_an_uploaded_recurrent_model_is_rebuilt_by_the_engine_and_a_backwards_one_is_refused(tmp_path):
    from playground.core.build import build_model
    from playground.core.specs import NetworkSpec, layer
    from playground.digits.loading import ModelError, load_model_file

    digits = np.random.default_rng(2).uniform(size=(4, 28, 28)).astype("float32")
    for network in (NetworkSpec((layer("LSTM", units=8), layer("Dense", units=10, activation="softmax"))),
                    NetworkSpec((layer("Bidirectional", layer="GRU", units=4, return_sequences="yes"),
                                 layer("SimpleRNN", units=6, activation="relu"),
                                 layer("Dense", units=10, activation="softmax")))):
        model = build_model(network, (28, 28), 10, seed=4)
        model.save(tmp_path / "model.keras")
        loaded = load_model_file(tmp_path / "model.keras")
        assert [type(one).__name__ for one in loaded.layers] == [spec.kind for spec in network.layers]
        np.testing.assert_allclose(np.asarray(loaded(digits)), np.asarray(model(digits)), atol=1e-6)
    backwards = keras.Sequential([keras.Input((28, 28)), keras.layers.LSTM(4, go_backwards=True),
                                  keras.layers.Dense(10, activation="softmax")])
    backwards.save(tmp_path / "backwards.keras")
    with pytest.raises(ModelError, match="go_backwards"):
        load_model_file(tmp_path / "backwards.keras")


def test_the_lstm_mnist_preset_reads_rows_and_its_table_matches_keras():
    from playground.core.build import build_model, check_experiment
    from playground.core.presets import PRESETS

    experiment = PRESETS["lstm-mnist"].experiment
    summary = check_experiment(experiment)
    assert summary.ok and summary.input_shape == (28, 28)
    model = build_model(experiment.network, (28, 28), 10)
    assert [row.params for row in summary.rows] == [one.count_params() for one in model.layers] == [4 * 128 * (28 + 128 + 1), 1_290]
    assert [row.output_shape for row in summary.rows] == [(128,), (10,)]
