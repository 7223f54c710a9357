"""AppTest of the Build & train page: presets, the layer table, an invalid stack, and a short run to the end."""

from streamlit.testing.v1 import AppTest

from tests.helpers import open_page as open_any_page
from tests.helpers import rerun_until


def open_page(query: dict[str, str] | None = None) -> AppTest:
    return open_any_page("build_train", query)


def table_rows(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["layer"])  # the layer table comes first on the page


def test_opens_on_the_mlp_preset_with_its_layer_table():
    at = open_page()
    assert not at.exception
    assert table_rows(at)[0] == "input" and table_rows(at)[-1] == "6. Dense(10, softmax)"
    assert any("109,386 parameters" in m.value for m in at.markdown)
    assert not at.button(key="train").disabled and at.button(key="stop").disabled


def test_a_preset_in_the_url_is_loaded():
    at = open_page({"preset": "cnn"})
    assert table_rows(at)[1] == "1. Conv2D(32, 3×3, relu)"
    at = open_page({"preset": "imaginary"})
    assert "Unknown preset" in at.error[0].value


def test_removing_flatten_shows_the_fix_and_disables_train():
    at = open_page()
    at.button(key=f"remove_{at.session_state['editor'].uids[0]}").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Layer 1 (Dense)" in e and "Add a Flatten layer before it" in e for e in errors), errors
    assert at.button(key="train").disabled


def test_adding_moving_and_editing_layers_updates_the_table():
    at = open_page()
    uids = at.session_state["editor"].uids
    at.selectbox(key="add_kind").select("BatchNormalization").run()
    at.button(key="add_layer").click().run()
    assert table_rows(at)[-2].startswith("6. BatchNormalization")
    at.number_input(key=f"layer_{uids[1]}_units").set_value(32).run()
    assert table_rows(at)[2] == "2. Dense(32, relu)"
    at.button(key=f"down_{uids[1]}").click().run()
    assert table_rows(at)[3] == "3. Dense(32, relu)"
    assert not at.exception


def test_a_short_run_trains_to_the_end_and_shows_results():
    spec = ('{"network":{"layers":[{"kind":"Flatten"},{"kind":"Dense","units":8,"activation":"relu"},'
            '{"kind":"Dense","units":10,"activation":"softmax"}]},"config":{"dataset":"mnist","epochs":2,'
            '"batch_size":64,"train_samples":300}}')
    at = open_page({"spec": spec})
    at.button(key="train").click().run()
    rerun_until(at, lambda at: "Finished 2 epochs." in [s.value for s in at.success])
    assert not at.exception
    run = at.session_state["build_runs"][-1]
    assert [row["epoch"] for row in run.history] == [1, 2]
    results = at.dataframe[1].value
    assert list(results["split"]) == ["training", "validation", "test"] and results["accuracy"].notna().all()
    assert not at.button(key="train").disabled


def test_a_pasted_spec_with_unknown_layers_gets_a_message():
    at = open_page()
    at.text_area(key="pasted_spec").input('{"network": {"layers": [{"kind": "Magic"}]}}').run()
    at.button(key="load_spec").click().run()
    assert any("unknown layer 'Magic'" in e.value for e in at.error)
    assert table_rows(at)[-1] == "6. Dense(10, softmax)"  # nothing lost
