"""AppTest of the Optimizers & loss surfaces page: surfaces and optimizers, paths, divergence, URL presets."""

import pytest
from streamlit.testing.v1 import AppTest

from playground.optim.races import RACE_PRESETS
from playground.optim.surfaces import SURFACES
from tests.helpers import open_page as open_any_page


def open_page(query: dict[str, str] | None = None) -> AppTest:
    return open_any_page("optimizers", query, timeout=180)


def results(at: AppTest):
    return at.dataframe[0].value  # the results table is the only table on the page


def race_frames(at: AppTest) -> list[dict]:
    import json

    return json.loads(at.get("plotly_chart")[0].proto.spec)["frames"]


def test_opens_with_a_race_that_renders_paths_and_a_table():
    at = open_page()
    assert not at.exception and not at.error
    table = results(at)
    assert list(table["optimizer"]) == ["SGD", "SGD with momentum", "Adam"]
    assert table["final loss"].notna().all()
    frames = race_frames(at)
    assert len(frames) > 10 and frames[-1]["name"] == "200"
    assert len(frames[-1]["data"]) == 4 * 3  # per run: path and head, in 3D and on the map


def test_choosing_a_surface_and_optimizers_reruns_the_race():
    at = open_page()
    at.selectbox(key="race_surface").set_value("rosenbrock").run()
    at.multiselect(key="race_optimizers").set_value(["adam", "rmsprop"]).run()
    assert not at.exception
    assert list(results(at)["optimizer"]) == ["Adam", "RMSprop"]
    assert (at.number_input(key="race_start_x").value, at.number_input(key="race_start_y").value) == \
        SURFACES["rosenbrock"].start
    assert at.text_input(key="race_lr_adam").value == "0.2"  # Adam's default on Rosenbrock


def test_a_diverging_run_is_shown_as_diverged():
    at = open_page()
    at.selectbox(key="race_surface").set_value("bowl").run()
    at.text_input(key="race_lr_sgd").input("0.3, 0.05").run()
    assert not at.exception
    table = results(at)
    verdicts = dict(zip(table["optimizer"], table["ended"]))
    assert verdicts["SGD · lr 0.3"].startswith("diverged at step")
    assert verdicts["SGD · lr 0.05"] == "global minimum"
    assert table["final loss"].notna().all()  # no NaN anywhere


def test_bad_input_gets_a_message_and_the_rest_still_races():
    at = open_page()
    at.text_input(key="race_lr_adam").input("fast").run()
    assert any("not a learning rate" in w.value for w in at.warning)
    assert list(results(at)["optimizer"]) == ["SGD", "SGD with momentum"]
    at.number_input(key="race_start_x").set_value(40.0).run()
    assert any("outside the plotted region" in e.value for e in at.error)
    assert not at.exception


@pytest.mark.parametrize("preset", list(RACE_PRESETS))
def test_presets_load_from_the_url(preset):
    at = open_page({"preset": preset})
    assert not at.exception and not at.error
    assert at.selectbox(key="race_surface").value == RACE_PRESETS[preset].surface
    assert len(results(at)) == len(RACE_PRESETS[preset].runners)
    assert any(RACE_PRESETS[preset].lesson[:40] in i.value for i in at.info)


def test_the_preset_menu_loads_a_demo_and_puts_it_in_the_url():
    at = open_page()
    at.selectbox(key="race_preset").set_value("valley").run()
    assert not at.exception
    assert at.query_params["preset"] == "valley"
    assert at.selectbox(key="race_surface").value == "rosenbrock" and at.slider(key="race_steps").value == 600
    assert list(results(at)["optimizer"]) == ["SGD", "SGD with momentum", "Adam"]


def test_an_unknown_preset_in_the_url_gets_a_message():
    at = open_page({"preset": "imaginary"})
    assert "Unknown preset" in at.error[0].value and not at.exception
