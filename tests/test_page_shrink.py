"""AppTest of the Shrink page: presets from the link, quantizing and pruning live with their tables and charts, and
a Build & train model joining the model list."""

from streamlit.testing.v1 import AppTest

from playground.core.presets import PRESETS
from playground.digits.classifiers import load_shipped_model
from playground.training.run import TrainingRun
from tests.helpers import open_page, rerun_until


def chart_keys(at: AppTest) -> list[str]:
    return [chart.key for chart in at.get("plotly_chart")]


def test_links_open_the_right_tab_with_the_right_settings():
    at = open_page("shrink")
    assert not at.exception and not at.error
    assert at.selectbox(key="shrink_model").value == "cnn" and at.query_params["preset"] == "int8"
    at = open_page("shrink", {"preset": "prune-80"})
    assert at.session_state["shrink_tab"] == "Prune" and at.slider(key="shrink_sparsity").value == 80
    at = open_page("shrink", {"preset": "smaller"})
    assert any("Unknown preset 'smaller'" in e.value for e in at.error)


def test_quantizing_measures_the_three_formats_side_by_side():
    at = open_page("shrink")
    at.selectbox(key="shrink_model").set_value("mlp").run()
    at.select_slider(key="shrink_quantize_test").set_value(1_000).run()
    at.button(key="shrink_quantize").click().run()
    rerun_until(at, lambda at: any("Measured shipped MLP in 3 formats." in s.value for s in at.success), seconds=240)
    assert not at.exception
    table = at.dataframe[0].value
    assert table["format"].tolist() == ["float32 (as trained)", "float16", "int8 (Keras quantize)"]
    assert table["vs float32"].tolist()[0] == "100%"
    assert {"shrink_formats_chart", "shrink_quantize_histogram", "shrink_int8_levels"} <= set(chart_keys(at))
    assert len(at.get("download_button")) == 3


def test_pruning_shows_the_accuracies_the_sizes_and_the_histograms():
    at = open_page("shrink", {"preset": "prune-80"})
    at.selectbox(key="shrink_model").set_value("mlp").run()
    at.number_input(key="shrink_epochs").set_value(0).run()
    at.button(key="shrink_prune").click().run()
    rerun_until(at, lambda at: any("Pruned shipped MLP to 80% zeros." in s.value for s in at.success), seconds=240)
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels == ["dense", "pruned to 80%", "after the fine-tune"]
    assert {"shrink_sparsity_chart", "shrink_prune_histogram"} <= set(chart_keys(at))
    assert any("runs of zeros compress" in m.value for m in at.markdown)


def test_a_model_trained_on_build_and_train_can_be_shrunk():
    run = TrainingRun(PRESETS["mlp"].experiment, name="your run 1")
    run.status, run.history, run.weights_epoch = "finished", [{"epoch": 1, "val_accuracy": 0.9}], 1
    run.model = load_shipped_model("mlp")
    at = AppTest.from_file(str(__import__("tests.helpers", fromlist=["ROOT"]).ROOT / "app_pages" / "shrink.py"),
                           default_timeout=60)
    at.session_state["build_runs"] = [run]
    at.run()
    assert at.selectbox(key="shrink_model").options == ["shipped MLP", "shipped CNN", "your your run 1 (epoch 1)"]
    assert not at.exception


def test_the_draw_page_panel_shows_the_int8_cnn_next_to_the_float_one():
    def panel():
        from playground.core.datasets import load_dataset
        from playground.ui.shrink_int8 import int8_answer

        int8_answer(load_dataset("mnist").x_test[0, ..., 0])

    at = AppTest.from_function(panel, default_timeout=120).run()
    assert not at.exception
    assert [m.label for m in at.metric] == ["CNN · float32", "CNN · int8"]
    assert [m.value for m in at.metric] == ["7", "7"]  # the first MNIST test digit
    assert sum("pg-probabilities" in html.proto.body for html in at.get("html")) == 2  # each answer's bars
