"""AppTest of the Decision boundaries page: it opens on an untrained network, presets come from the link, Play
trains and Pause stops, Step and Reset, a teacher's link hides controls, a bad CSV leaves the points alone."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from playground.boundaries.datasets import DATASETS
from playground.boundaries.presets import PRESETS, Setup
from tests.helpers import open_page as open_any_page
from tests.helpers import rerun_until

OPENED: list[AppTest] = []


@pytest.fixture(autouse=True)
def _end_every_run():
    """After each test, stop the page's runs and wait for them: a worker thread still inside TensorFlow when the
    interpreter exits aborts it."""
    yield
    while OPENED:
        at = OPENED.pop()
        for job in at.session_state.get("boundary_runs", []):
            job.stop()
            job.wait(120)


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = open_any_page("boundaries", query, timeout=180)
    OPENED.append(at)
    return at


def trainer(at: AppTest):
    return at.session_state["boundary_trainer"]


def status(at: AppTest) -> str:
    return next((m.value for m in at.markdown if m.value.startswith("**Epoch")), "")


def built(at: AppTest) -> bool:
    return trainer(at).snapshot is not None


def widget(widgets, label: str):
    """The widget with this label (its key changes whenever a preset or link loads new settings)."""
    return next(w for w in widgets if w.label == label)


def test_opens_on_an_untrained_network_with_its_settings_in_the_link():
    at = open_page()
    assert not at.exception and not at.error
    assert at.session_state["boundary_setup"] == Setup()
    assert at.query_params["setup"] == "{}"
    rerun_until(at, built)
    assert status(at).startswith("**Epoch 0**")
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert len(specs) == 4  # the network, the map, the large tile, the curves
    names = [[trace.get("name") for trace in spec["data"]] for spec in specs]
    map_spec = specs[names.index(["plane", "points"])]  # clickable: invisible targets over the picture
    assert map_spec["layout"]["images"][0]["source"].startswith("data:image/jpeg;base64,")
    assert len(map_spec["data"][1]["x"]) == int(trainer(at).points.train.sum())
    assert any("Test points:" in element.proto.body for element in at.get("html"))  # the confusion matrix
    assert not at.button(key="boundary_play").disabled and at.button(key="boundary_pause").disabled
    assert "Input features" in [pills.label for pills in at.pills]


@pytest.mark.parametrize("name", ["xor-linear", "spiral-sin", "overfit-l2"])
def test_a_preset_in_the_link_loads_its_setup_and_lesson(name):
    at = open_page({"preset": name})
    assert not at.exception and not at.error
    assert at.session_state["boundary_setup"] == PRESETS[name].setup
    assert any(PRESETS[name].lesson[:50] in info.value for info in at.info)
    assert widget(at.selectbox, "Lecture preset").value == name
    assert at.query_params["preset"] == name


def test_every_setting_is_drawn_with_its_value_as_the_widgets_default():
    """A browser that puts a widget on screen late (the page's charts start a second run as they appear) shows
    the widget's default, not a value written into session state: a click on the map then sent the sliders'
    minimums back and replaced the points. So each widget's default is the setting itself, also after a preset."""
    at = open_page({"preset": "xor-linear"})
    for name in ("xor-linear", "spiral-sin"):
        setup = at.session_state["boundary_setup"]
        assert setup == PRESETS[name].setup
        assert list(widget(at.slider, "Training data (%)").proto.default) == [setup.data.train_percent]
        assert list(widget(at.slider, "Points").proto.default) == [setup.data.points]
        data_set = widget(at.selectbox, "Data set")
        assert data_set.options[data_set.proto.default] == DATASETS[setup.data.name].title
        assert widget(at.number_input, "Batch size").proto.default == setup.net.batch_size
        assert widget(at.pills, "Input features").value == list(setup.net.features)
        widget(at.selectbox, "Lecture preset").set_value("spiral-sin").run()
        assert not at.exception


def test_an_unknown_preset_or_a_bad_setup_in_the_link_gets_a_message():
    at = open_page({"preset": "imaginary"})
    assert "Unknown preset 'imaginary'" in at.error[0].value and not at.exception
    at = open_page({"setup": '{"net": {"layers": [[99, "tanh"]]}}'})
    assert "could not be used" in at.error[0].value and "between 1 and 32" in at.error[0].value
    assert at.session_state["boundary_setup"] == Setup()


def test_changing_a_setting_puts_it_in_the_link_and_starts_a_fresh_network():
    at = open_page()
    first = trainer(at)
    widget(at.selectbox, "Data set").set_value("xor").run()
    assert not at.exception
    assert json.loads(at.query_params["setup"]) == {"data": {"name": "xor"}}
    assert trainer(at) is not first and trainer(at).points.spec.name == "xor"
    at.button(key="boundary_more_layers").click().run()
    assert len(at.session_state["boundary_setup"].net.layers) == 3


def test_play_trains_pause_stops_step_adds_one_epoch_and_reset_starts_over():
    at = open_page({"preset": "xor"})
    rerun_until(at, lambda at: built(at) and not at.button(key="boundary_play").disabled)
    at.button(key="boundary_play").click().run()
    rerun_until(at, lambda at: trainer(at).epoch >= 3)
    at.button(key="boundary_pause").click().run()
    rerun_until(at, lambda at: not at.button(key="boundary_play").disabled)
    stopped = trainer(at).epoch
    assert stopped >= 3 and status(at).startswith(f"**Epoch {stopped:,}** (paused)")
    at.button(key="boundary_step").click().run()
    rerun_until(at, lambda at: trainer(at).epoch == stopped + 1 and not at.button(key="boundary_step").disabled)
    assert not at.exception
    before = trainer(at)
    at.button(key="boundary_reset").click().run()
    rerun_until(at, built)
    assert trainer(at) is not before and trainer(at).epoch == 0


def test_a_regression_set_trains_without_accuracy_or_confusion_matrix():
    at = open_page({"setup": '{"data":{"name":"multi_gaussian"},"net":{"layers":[[6,"tanh"]]}}'})
    rerun_until(at, built)
    assert not at.exception and not at.error
    assert trainer(at).points.task == "regression" and "accuracy" not in status(at)
    assert widget(at.selectbox, "Loss").disabled  # regression always fits by mean squared error
    assert not any("Test points:" in element.proto.body for element in at.get("html"))


def test_a_play_run_that_gives_way_for_others_goes_on_by_itself(monkeypatch):
    import playground.ui.boundaries_live as live

    monkeypatch.setattr(live, "SLICE_SECONDS", 0.5)  # a Play run ends after its slice; the page starts the next
    at = open_page({"preset": "xor"})
    rerun_until(at, lambda at: built(at) and not at.button(key="boundary_play").disabled)
    at.button(key="boundary_play").click().run()
    rerun_until(at, lambda at: at.session_state["boundary_runs_count"] >= 3)  # the build, Play, and its next slice
    runs = at.session_state["boundary_runs"]
    assert runs[-2].outcome == "slice" and trainer(at).playing and not at.exception
    at.button(key="boundary_pause").click().run()
    rerun_until(at, lambda at: not at.button(key="boundary_play").disabled)
    assert not trainer(at).playing


def test_a_teachers_link_hides_its_controls():
    at = open_page({"preset": "spiral", "hide": "features,regularization"})
    assert not at.exception
    assert "Input features" not in [pills.label for pills in at.pills]
    labels = [s.label for s in at.selectbox]
    assert "Regularization" not in labels and "Learning rate" in labels
    assert at.session_state["boundary_setup"] == PRESETS["spiral"].setup  # hidden, still the preset's values
    assert not any("Teacher's link" in e.label for e in at.expander)


def test_a_bad_csv_gets_a_message_and_keeps_the_points():
    at = open_page()
    points = at.session_state["boundary_points"]
    at.file_uploader(key="boundary_upload").upload("bad.csv", b"x1,x2,label\n1,2,0\n1,abc,1\n3,3,1\n", "text/csv")
    at.run()
    assert any("Row 3: x2 is 'abc', not a number" in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state["boundary_points"] is points and not at.exception


def test_a_good_csv_replaces_the_points():
    at = open_page()
    rows = "".join(f"{x / 2},{x / 3},{x % 2}\n" for x in range(-8, 9))
    at.file_uploader(key="boundary_upload").upload("mine.csv", f"x1,x2,label\n{rows}".encode(), "text/csv")
    at.run()
    assert any("Loaded 17 points (2 classes)" in s.value for s in at.success)
    assert at.session_state["boundary_points"].origin == "uploaded"
    assert trainer(at).points is at.session_state["boundary_points"]
