"""AppTest of the GAN page: instant samples, digit and seed from the URL, latent walk, a live run, the quiz."""

from streamlit.testing.v1 import AppTest

from playground.gan import quality, sampling
from tests.helpers import open_page as open_any_page
from tests.helpers import rerun_until


def open_page(query: dict[str, str] | None = None) -> AppTest:
    return open_any_page("gan", query)


def switch_tab(at: AppTest, tab: str) -> AppTest:
    at.session_state["gan_tab"] = tab
    return at.run()


def test_samples_appear_on_the_first_visit_and_new_samples_changes_the_seed():
    at = open_page()
    assert not at.exception and not at.error
    assert len(at.get("image")) == 5 and at.session_state["gan_tab"] == "Sample"
    assert "64 samples of the shipped generator" in at.caption[-1].value and "asked for" in at.caption[-1].value
    at.button(key="gan_new_samples").click().run()
    assert at.number_input(key="gan_seed").value == 1
    at.select_slider(key="gan_grid").set_value(4).run()
    assert "16 samples" in at.caption[-1].value and not at.exception


def test_a_digit_and_seed_in_the_url_are_used():
    at = open_page({"gan_digit": "7", "gan_seed": "5"})
    assert not at.exception
    assert at.number_input(key="gan_seed").value == 5
    assert "asked for" not in at.caption[-1].value  # every sample is a 7: nothing to list


def test_the_latent_walk_interpolates_between_two_samples():
    at = open_page()
    at.number_input(key="gan_from_sample").set_value(3).run()
    at.number_input(key="gan_to_sample").set_value(10).run()
    at.slider(key="gan_knob_the shipped generator_0_any_1_0").set_value(2.5).run()
    assert not at.exception
    assert len(at.get("image")) == 5  # the samples, the strip, the animation, the edited sample, the sweeps
    digits = sampling.sample_digits(64, None, seed=0)  # the 8×8 grid of seed 0
    assert at.get("image")[1].captions[0].startswith(f"Sample 3 (a {digits[2]}) → sample 10 (a {digits[9]})")


def test_a_live_run_trains_and_its_generator_can_be_sampled():
    at = switch_tab(open_page(), "Train live")
    at.select_slider(key="gan_samples").set_value(1_000)
    at.number_input(key="gan_epochs").set_value(1)
    at.number_input(key="gan_batch").set_value(128).run()
    at.button(key="gan_train").click().run()
    rerun_until(at, lambda at: any("Finished 1 epochs." in s.value for s in at.success), seconds=40)
    assert not at.exception
    run = at.session_state["gan_runs"][-1]
    assert run.config.train_samples == 1_000 and [row["epoch"] for row in run.history] == [1]
    assert at.radio(key="gan_generator").options == ["the shipped generator", run.name]
    at.radio(key="gan_generator").set_value(run.name)
    at = switch_tab(at, "Sample")
    assert f"samples of {run.name}" in at.caption[-1].value and not at.exception


def test_settings_that_cannot_train_disable_the_button_with_a_message():
    at = switch_tab(open_page(), "Train live")
    at.select_slider(key="gan_samples").set_value(1_000)
    at.number_input(key="gan_batch").set_value(1024).run()
    assert "larger than the training set" in at.error[0].value
    assert at.button(key="gan_train").disabled


def test_the_quiz_scores_the_clicked_digits():
    at = switch_tab(open_page(), "Real or fake?")
    quiz = at.session_state["gan_quiz"]
    number, fakes = quiz["round"], quiz["fake"].copy()
    for i, fake in enumerate(fakes):
        at.checkbox(key=f"gan_quiz_{number}_{i}").set_value(bool(fake))  # the perfect player ...
    at.checkbox(key=f"gan_quiz_{number}_0").set_value(not fakes[0])  # ... but for the first digit
    at.run()
    at = switch_tab(switch_tab(at, "Sample"), "Real or fake?")  # the ticks survive another tab
    at.button(key="gan_quiz_check").click().run()
    assert not at.exception
    assert at.info[0].value.startswith("**11 of 12 right.**")
    assert "cancel" in at.markdown[-12].value and all("check_circle" in m.value for m in at.markdown[-11:])
    at.button(key="gan_quiz_new").click().run()
    assert at.session_state["gan_quiz"]["round"] == number + 1 and not at.info
    assert not any(box.value for box in at.checkbox)


def test_the_quality_panel_judges_samples_against_real_digits():
    at = switch_tab(open_page(), "Is it any good?")
    if quality.shipped_classifier() is None:
        assert "not available" in at.warning[0].value
        return
    at.button(key="gan_judge").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["images"]) == ["generated, any digit", "generated, digit asked for", "real MNIST test digits"]
    assert (table["Inception Score"] > 1).all() and (table["Inception Score"] <= 10).all()
