"""AppTest of the Reuse page: its tabs, presets from the link, a live transfer run, new symbols trained from the
session's examples, clear messages for bad input, and the ImageNet panel without weights."""

from streamlit.testing.v1 import AppTest

from playground.transfer import experiment
from playground.transfer.adapt import DIGIT_NAMES
from playground.transfer.symbols import SymbolSet
from tests.helpers import open_page, rerun_until
from tests.test_transfer_symbols import drawn_set


def switch_tab(at: AppTest, tab: str) -> AppTest:
    at.session_state["reuse_tab"] = tab
    return at.run()


def messages(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_the_page_opens_on_the_measured_experiment_with_the_quick_preset():
    at = open_page("reuse")
    assert not at.exception and not at.error
    assert [t.label for t in at.tabs] == ["Transfer, measured", "Teach it new symbols", "Adapt to my handwriting",
                                          "ImageNet networks"]
    assert at.session_state["reuse_sizes"] == [1, 10, 50] and at.query_params["preset"] == "quick"
    assert "reuse_fashion_strip" in [chart.key for chart in at.get("plotly_chart")]


def test_a_link_picks_the_preset_and_a_bad_one_says_so():
    at = open_page("reuse", {"preset": "full"})
    assert at.session_state["reuse_sizes"] == [1, 5, 10, 50, 500] and not at.error
    at = open_page("reuse", {"preset": "everything"})
    assert any("Unknown preset 'everything'" in m for m in messages(at))


def test_a_small_experiment_runs_live_and_fills_the_table(monkeypatch):
    monkeypatch.setattr(experiment, "EPOCH_RANGE", (5, 10))  # 10 epochs per run: the same code, quicker
    at = open_page("reuse")
    at.session_state["reuse_sizes"] = [1]
    at.session_state["reuse_ways"] = ["frozen", "scratch"]
    at.run()
    at.select_slider(key="reuse_test_size").set_value(1_000).run()
    at.button(key="reuse_run").click().run()
    rerun_until(at, lambda at: any("Finished all 2 runs." in s.value for s in at.success), seconds=300)
    assert not at.exception
    job = at.session_state["reuse_transfer_runs"][-1]
    assert job.config.sizes == (1,) and job.config.test_size == 1_000
    table = at.dataframe[0].value
    assert list(table.columns) == ["From scratch", "Frozen features + new head"] and table.notna().all().all()
    assert any("Frozen digit features vs training from scratch" in i.value for i in at.info)


def test_bad_symbol_sets_get_clear_messages():
    at = switch_tab(open_page("reuse"), "Teach it new symbols")
    at.button(key="reuse_train_symbols").click().run()
    assert any("'✓' has no examples" in m for m in messages(at))
    at.button(key="reuse_add").click().run()
    assert any("canvas is empty" in m for m in messages(at))
    at.text_input(key="reuse_names").set_value("a").run()
    at.button(key="reuse_train_symbols").click().run()
    assert any("at least two classes" in m for m in messages(at))
    at.text_input(key="reuse_names").set_value("a, a").run()
    assert any("same name" in m for m in messages(at))
    assert not at.exception


def test_new_symbols_train_from_the_examples_in_the_session():
    at = switch_tab(open_page("reuse"), "Teach it new symbols")
    at.session_state["reuse_symbols"] = drawn_set(["○", "✗", "✓"], 5)
    at.run()
    assert any("5 examples · :green[enough to train]" in m.value for m in at.markdown)
    at.button(key="reuse_train_symbols").click().run()
    rerun_until(at, lambda at: any("Learned 3 classes from 15 drawings" in s.value for s in at.success), seconds=180)
    assert not at.exception and at.session_state["reuse_symbol_runs"][-1].model is not None
    at.button(key="reuse_undo_0").click().run()
    assert at.session_state["reuse_symbols"].counts() == [4, 5, 5]


def test_adapting_needs_a_few_labelled_digits():
    at = switch_tab(open_page("reuse"), "Adapt to my handwriting")
    at.button(key="reuse_adapt").click().run()
    assert any("Draw at least 3 digits" in m for m in messages(at))
    digits = SymbolSet(DIGIT_NAMES)
    for index, image in enumerate(drawn_set(["○", "✗"], 2).images):
        digits = digits.add(index, image)
    at.session_state["reuse_digits"] = digits
    at.run()
    assert any("Your 4 digits" in m.value and "reads" in m.value for m in at.markdown) and not at.exception


def test_the_imagenet_panel_says_how_to_get_weights(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    at = switch_tab(open_page("reuse"), "ImageNet networks")
    assert any("No ImageNet weights on this server" in i.value for i in at.info)
    assert any("mobilenet_1_0_224_tf.h5" in m.value for m in at.markdown) and not at.exception
