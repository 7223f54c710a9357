"""AppTest of the Sequences page: the LSTM cell's numbers, bad typed input, the live tasks, a CSV upload, the link."""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.sequences import cells
from playground.sequences.rows import LSTM_ROWS_PATH
from tests.helpers import ROOT, rerun_until
from tests.helpers import open_page as open_any_page

CELL, FORGET, FORECAST, ROWS = "The LSTM cell", "Why plain RNNs forget", "Forecast a series", "Read a digit row by row"


def open_page(tab: str = CELL, **query: str) -> AppTest:
    return open_any_page("sequences", {"seq_tab": tab, **query}, timeout=180)


def latex(at: AppTest, symbol: str) -> str:
    """The formula of `symbol`, written as '\\begin{aligned} f_t &= ...'."""
    return next(element.value for element in at.latex if f"{{aligned}} {symbol} &=" in element.value)


def test_every_gate_is_written_out_with_the_numbers_of_the_sliders():
    at = open_page()
    assert not at.exception and not at.error
    for symbol in ("f_t", "i_t", r"\tilde c_t", "o_t", "c_t", "h_t"):
        assert latex(at, symbol)
    at.slider(key="seq_lstm_f_b").set_value(-3.0).run()
    at.slider(key="seq_c").set_value(2.0).run()
    gates = {"f": (0.0, 0.0, -3.0), "i": (0.0, 0.0, 3.0), "c": (2.0, 0.0, 0.0), "o": (0.0, 0.0, 1.0)}
    step = cells.lstm_step(1.0, 0.0, 2.0, cells.weights_from_gates(gates, "ifco"))
    assert f"\\mathbf{{{float(step.f[0]):.3f}}}" in latex(at, "f_t")
    assert f"\\mathbf{{{float(step.c[0]):.3f}}}" in latex(at, "c_t")
    assert "After step 12" in at.caption[-1].value and not at.exception


@pytest.mark.parametrize("typed, message", [("", "at least one number"), ("1, 0, x", "Value 3"),
                                            (" ".join(["0"] * 80), "at most 60")])
def test_a_bad_typed_sequence_gets_a_message_and_the_sliders_keep_their_values(typed, message):
    at = open_page()
    at.slider(key="seq_x").set_value(-1.5).run()
    at.text_input(key="seq_sequence").set_value(typed).run()
    assert not at.exception
    assert any(message in error.value for error in at.error)
    assert at.slider(key="seq_x").value == -1.5 and at.text_input(key="seq_sequence").value == typed  # nothing lost


def test_the_memory_task_trains_both_networks_live_and_shows_their_gradients():
    at = open_page(FORGET)
    assert not at.exception and not at.error
    assert at.get("plotly_chart")  # the gradients at initialization
    at.slider(key="seq_mem_steps").set_value(10).run()
    at.slider(key="seq_mem_epochs").set_value(2).run()
    at.button(key="seq_mem_train").click().run()
    at = rerun_until(at, lambda a: any("Finished 2 epochs" in s.value for s in a.success), 300)
    assert not at.exception
    assert any("the LSTM's gradient" in c.value for c in at.caption)
    assert any("SimpleRNN's answer carries" in c.value for c in at.caption)


def test_a_forecast_trains_live_and_reports_the_test_mae_of_every_forecast():
    at = open_page(FORECAST)
    assert not at.exception and not at.error
    assert at.segmented_control(key="seq_series").value == "co2" and at.query_params["preset"] == "co2"
    at.slider(key="seq_epochs").set_value(2).run()
    at.button(key="seq_train").click().run()
    at = rerun_until(at, lambda a: any(s.value == "The test period" for s in a.subheader), 300)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["forecast"])[:2] == ["naive (same as last value)", "seasonal naive (same as one season ago)"]
    assert np.all(np.isfinite(table["test MAE"]))


def test_a_series_from_the_link_and_a_bad_one():
    at = open_page(FORECAST, preset="sunspots")
    assert at.segmented_control(key="seq_series").value == "sunspots" and not at.error
    at = open_page(FORECAST, preset="gold")
    assert any("Unknown series 'gold'" in error.value for error in at.error)


def test_an_uploaded_csv_with_a_gap_text_or_too_few_values_gets_a_clear_message():
    at = open_page(FORECAST)
    at.segmented_control(key="seq_series").set_value("upload").run()
    for content, message in ((b"1\n2\n\n" + b"3\n" * 50, "Row 3 has no value (a gap)"),
                             (b"date,value\n2001-01,1\n2001-02,lots\n", "Row 3: 'lots' is not a number"),
                             (b"\n".join(str(v % 9).encode() for v in range(40)), "too long for this series")):
        at.file_uploader(key="seq_csv").set_value(("mine.csv", content, "text/csv")).run()  # a fresh element each time
        assert not at.exception
        assert any(message in error.value for error in at.error), [e.value for e in at.error]
    assert at.button(key="seq_train").disabled  # the window does not fit the 40 values
    longer = b"\n".join(str(v % 9).encode() for v in range(300))
    at.file_uploader(key="seq_csv").set_value(("mine.csv", longer, "text/csv")).run()
    assert not at.error and not at.button(key="seq_train").disabled


@pytest.mark.skipif(not LSTM_ROWS_PATH.exists(), reason="assets/models/lstm_rows.keras not built")
def test_the_lstm_reads_a_test_digit_row_by_row():
    at = open_page(ROWS, seq_test_digit="0")
    assert not at.exception and not at.error
    assert any(c.value == "Test digit #0: a 7." for c in at.caption)
    at.slider(key="seq_rows_read").set_value(10).run()
    assert any(m.value.startswith("**After row 10**") for m in at.markdown)
    assert any("After the last row: **7**" in c.value for c in at.caption)


def test_every_tab_runs_in_presenter_mode():
    for tab in (CELL, FORECAST, ROWS):
        at = AppTest.from_file(str(ROOT / "app_pages" / "sequences.py"), default_timeout=180)
        at.session_state["presenter_mode"] = True
        at.query_params["seq_tab"] = tab
        at.run()
        assert not at.exception and not at.error, tab
    assert not at.number_input  # the test digit is fixed in presenter mode: one thing less to fiddle with
