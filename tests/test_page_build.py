"""AppTest of the Build & train page: presets, the layer table, an invalid stack, and a short run to the end."""

from streamlit.testing.v1 import AppTest

from playground.core.layers import LAYERS
from playground.core.presets import PRESETS
from playground.core.specs import Experiment, NetworkSpec, to_json
from tests.helpers import open_page as open_any_page
from tests.helpers import rerun_until
from tests.test_layers import EVERY_KIND


def open_page(query: dict[str, str] | None = None) -> AppTest:
    return open_any_page("build_train", query)


def table_rows(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["layer"])  # the layer table comes first on the page


def test_opens_on_the_mlp_preset_with_its_layer_table():
    at = open_page()
    assert not at.exception
    assert table_rows(at)[0] == "input" and table_rows(at)[-1] == "6. Dense(10, softmax)"
    assert any("109,386 parameters" in m.value for m in at.markdown)
    assert not at.button(key="build_train").disabled and at.button(key="build_stop").disabled


def test_a_preset_in_the_url_is_loaded():
    at = open_page({"preset": "cnn"})
    assert table_rows(at)[1] == "1. Conv2D(32, 3×3, relu)"
    at = open_page({"preset": "imaginary"})
    assert "Unknown preset" in at.error[0].value


def test_removing_flatten_shows_the_fix_and_disables_train():
    at = open_page()
    at.button(key=f"build_remove_{at.session_state['build_editor'].uids[0]}").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Layer 1 (Dense)" in e and "Add a Flatten layer before it" in e for e in errors), errors
    assert at.button(key="build_train").disabled


def test_adding_moving_and_editing_layers_updates_the_table():
    at = open_page()
    uids = at.session_state["build_editor"].uids
    at.selectbox(key="build_add_kind").select("BatchNormalization").run()
    at.button(key="build_add_layer").click().run()
    assert table_rows(at)[-2].startswith("6. BatchNormalization")
    at.number_input(key=f"build_layer_{uids[1]}_units").set_value(32).run()
    assert table_rows(at)[2] == "2. Dense(32, relu)"
    at.button(key=f"build_down_{uids[1]}").click().run()
    assert table_rows(at)[3] == "3. Dense(32, relu)"
    assert not at.exception


def test_a_short_run_trains_to_the_end_and_shows_results():
    spec = ('{"network":{"layers":[{"kind":"Flatten"},{"kind":"Dense","units":8,"activation":"relu"},'
            '{"kind":"Dense","units":10,"activation":"softmax"}]},"config":{"dataset":"mnist","epochs":2,'
            '"batch_size":64,"train_samples":300}}')
    at = open_page({"spec": spec})
    at.button(key="build_train").click().run()
    rerun_until(at, lambda at: "Finished 2 epochs." in [s.value for s in at.success])
    assert not at.exception
    run = at.session_state["build_runs"][-1]
    assert [row["epoch"] for row in run.history] == [1, 2]
    results = at.dataframe[1].value
    assert list(results["split"]) == ["training", "validation", "test"] and results["accuracy"].notna().all()
    assert not at.button(key="build_train").disabled


def test_a_pasted_spec_with_unknown_layers_gets_a_message():
    at = open_page()
    at.text_area(key="build_pasted_spec").input('{"network": {"layers": [{"kind": "Magic"}]}}').run()
    at.button(key="build_load_spec").click().run()
    assert any("unknown layer 'Magic'" in e.value for e in at.error)
    assert table_rows(at)[-1] == "6. Dense(10, softmax)"  # nothing lost


def test_numbers_typed_out_of_range_are_refused_with_the_range_and_never_trained():
    """What the widgets show is the spec: an out-of-range number disables Train and names the range (issue 17)."""
    at = open_page()
    editor, g = at.session_state["build_editor"], at.session_state["build_editor"].generation
    cases = [(f"build_learning_rate_{g}", 1e6, 0.001, "learning_rate must be between 1e-06 and 100, got 1e+06"),
             (f"build_layer_{editor.uids[1]}_units", 0, 128, "Layer 2 (Dense): units must be between 1 and 4096, got 0"),
             (f"build_train_samples_{g}_mnist", 1, 55000, "train_samples must be between 10 and 1000000, got 1"),
             (f"build_train_samples_{g}_mnist", 60000, 55000, "has 55,000 samples. Use at most 55,000")]
    for key, bad, good, words in cases:
        at.number_input(key=key).set_value(bad).run()
        assert not at.exception
        assert at.number_input(key=key).value == bad  # shown as typed...
        assert any(words in e.value for e in at.error), [e.value for e in at.error]  # ...refused by name, with the range
        assert at.button(key="build_train").disabled
        at.number_input(key=key).set_value(good).run()
        assert not at.error and not at.button(key="build_train").disabled
    assert at.session_state["build_editor"].experiment == PRESETS["mlp"].experiment


def test_every_kind_gets_a_widget_per_parameter_from_the_layer_table():
    spec = to_json(Experiment(NetworkSpec(EVERY_KIND)))
    at = open_page({"spec": spec})
    assert not at.exception and not at.error
    editor = at.session_state["build_editor"]
    for layer_spec, uid in zip(editor.experiment.network.layers, editor.uids):
        for param in LAYERS[layer_spec.kind].params:
            widget = (at.selectbox if param.choices else at.number_input)(key=f"build_layer_{uid}_{param.name}")
            assert widget.value == layer_spec.get(param.name)
            assert param.range_text in widget.help


def test_a_regularizer_chosen_in_the_editor_reaches_the_table_the_code_and_the_link():
    at = open_page()
    uid = at.session_state["build_editor"].uids[1]  # the first Dense of the MLP
    assert at.number_input(key=f"build_layer_{uid}_regularizer_rate").disabled  # no regularizer: no rate to set
    at.selectbox(key=f"build_layer_{uid}_regularizer").select("l2").run()
    at.number_input(key=f"build_layer_{uid}_regularizer_rate").set_value(0.005).run()
    assert not at.exception and not at.number_input(key=f"build_layer_{uid}_regularizer_rate").disabled
    assert table_rows(at)[2] == "2. Dense(128, relu, L2 0.005)"
    assert any("kernel_regularizer=keras.regularizers.L2(0.005)" in c.value for c in at.code)
    assert '"regularizer":"l2","regularizer_rate":0.005' in at.query_params["spec"]
    assert not at.button(key="build_train").disabled
