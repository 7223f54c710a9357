"""AppTest of the concept pages: a neuron, labels and probabilities, gradient descent, convolution and pooling."""

import io

import numpy as np
from PIL import Image

from playground.concepts.neuron import weighted_sum_text
from tests.app_navigation import open_in_app, set_presenter_mode
from tests.helpers import open_page


def texts(at) -> list[str]:
    return [m.value for m in at.markdown]


# --- A neuron -----------------------------------------------------------------------------------------------------

def test_the_neuron_shows_its_sum_and_activation_and_follows_the_sliders():
    at = open_page("neuron")
    assert not at.exception
    assert any(weighted_sum_text([0.5, -1.0, 0.8], [0.8, 0.3, 0.4], 0.2) in t for t in texts(at))
    assert any("ReLU(0.62) = **0.620**" in t for t in texts(at))
    at.slider(key="neuron_bias").set_value(-2.0).run()
    assert any("ReLU(-1.58) = **0.000**" in t for t in texts(at))
    at.selectbox(key="neuron_activation").set_value("sigmoid").run()
    assert any("Logistic(-1.58) = **0.171**" in t for t in texts(at))
    assert not at.exception


def test_the_neuron_reads_its_state_from_the_url():
    at = open_page("neuron", {"neuron_w1": "-1.5", "neuron_activation": "tanh"})
    assert at.slider(key="neuron_w1").value == -1.5 and at.selectbox(key="neuron_activation").value == "tanh"
    assert any("tanh(" in t for t in texts(at))


def test_the_linearity_demo_fails_without_activation_and_separates_with_one():
    at = open_page("neuron")
    titles = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert any("no activation: " in spec for spec in titles) and any("with tanh: 100% correct" in spec for spec in titles)
    assert any("collapse into one" in c.value for c in at.caption)


def test_presenter_mode_hides_advanced_controls_and_keeps_every_value():
    at = open_in_app("neuron")
    at.slider(key="neuron_w1").set_value(1.5).run()
    at.slider(key="neuron_toy_layers").set_value(3).run()
    set_presenter_mode(at, True)
    keys = [s.key for s in at.slider]
    assert "neuron_w1" in keys and "neuron_toy_layers" not in keys and not at.exception
    assert len(at.get("plotly_chart")) == 5  # the gallery shows only the lecture's seven, in one chart
    set_presenter_mode(at, False)
    assert at.slider(key="neuron_w1").value == 1.5 and at.slider(key="neuron_toy_layers").value == 3


# --- Labels and probabilities -------------------------------------------------------------------------------------

def test_softmax_loss_and_accuracy_follow_the_logits_and_label():
    at = open_page("probabilities")
    assert not at.exception
    assert any("`3` → `[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]`" in t for t in texts(at))
    assert any("**6 correct / 8 total = 75% accuracy.**" in t for t in texts(at))
    unsure = float(at.metric[0].value)
    at.button(key="prob_preset_confident and right").click().run()
    right = float(at.metric[0].value)
    at.button(key="prob_preset_confident and wrong").click().run()
    wrong = float(at.metric[0].value)
    assert right < 0.1 < unsure < wrong
    at.select_slider(key="prob_label").set_value(8).run()  # "confident and wrong" is confident of an 8
    assert float(at.metric[0].value) < 0.1


def test_an_edited_logit_changes_the_prediction():
    at = open_page("probabilities")
    at.number_input(key="prob_z7").set_value(9.0).run()
    assert any("most probable class: **7**" in t for t in texts(at))


# --- Gradient descent ---------------------------------------------------------------------------------------------

def step(at, times: int = 1):
    for _ in range(times):
        at.button(key="descent_step").click().run()
    return at


def test_a_step_moves_against_the_slope():
    at = step(open_page("gradient_descent"))
    assert any("Step **1**: x = **2.0000**" in t for t in texts(at))  # 2.5 − 0.1 × 2 × 2.5
    at.button(key="descent_reset").click().run()
    assert any("Step **0**: x = **2.5000**" in t for t in texts(at))


def test_too_small_crawls_too_large_diverges_without_nan():
    at = open_page("gradient_descent")
    at.button(key="descent_rate_0.01").click().run()
    step(at, 3)
    assert at.info and "Crawling" in at.info[0].value
    at.button(key="descent_rate_1.05").click().run()
    at.button(key="descent_reset").click().run()
    step(at, 2)
    assert at.warning and "Overshooting" in at.warning[0].value and "diverging" in at.warning[0].value
    for _ in range(20):
        at.button(key="descent_ten_steps").click().run()
    assert at.error and "Diverged" in at.error[0].value
    assert all(np.isfinite(at.session_state["descent_path"]["xs"]))
    assert not at.exception


def test_a_good_rate_converges_and_the_curve_can_change():
    at = open_page("gradient_descent", {"descent_lr": "0.3"})
    for _ in range(5):
        at.button(key="descent_ten_steps").click().run()
    assert at.success and "Converged" in at.success[0].value
    at.selectbox(key="descent_curve").set_value("two valleys").run()
    assert any("Step **0**: x = **2.2000**" in t for t in texts(at))


# --- Convolution and pooling --------------------------------------------------------------------------------------

def shapes(at) -> list[str]:
    return [t for t in texts(at) if t.startswith("Output height")]


def test_the_default_digit_goes_through_conv_relu_and_pooling():
    at = open_page("convolution")
    assert not at.exception
    assert "= **26**" in shapes(at)[0] and "to **13**" in shapes(at)[0]
    at.select_slider(key="conv_stride").set_value(2).run()
    at.radio(key="conv_padding").set_value("same").run()
    assert "⌈28 / 2⌉ = **14**" in shapes(at)[0] and "to **7**" in shapes(at)[0]


def test_a_preset_fills_the_nine_numbers_and_editing_one_makes_it_custom():
    at = open_page("convolution")
    at.selectbox(key="conv_kernel").set_value("Sobel x (vertical edges)").run()
    assert [at.number_input(key=f"conv_k{i}").value for i in (1, 2, 3)] == [-1.0, 0.0, 1.0]
    at.number_input(key="conv_k5").set_value(4.0).run()
    assert at.selectbox(key="conv_kernel").value == "custom" and at.number_input(key="conv_k5").value == 4.0
    assert not at.exception


def test_a_custom_kernel_survives_presenter_mode():
    at = open_in_app("convolution")
    at.number_input(key="conv_k5").set_value(4.0).run()
    set_presenter_mode(at, True)
    assert [n.key for n in at.number_input] == ["conv_digit"] and at.selectbox(key="conv_kernel").value == "custom"
    set_presenter_mode(at, False)
    assert at.number_input(key="conv_k5").value == 4.0 and at.number_input(key="conv_k1").value == -1.0


def test_the_drawn_digit_and_uploads_are_used_and_bad_uploads_get_a_message():
    at = open_page("convolution", {"conv_source": "My drawing (Draw page)"})  # bound widgets put their label in the URL
    assert at.info and "Nothing drawn yet" in at.info[0].value
    at.session_state["draw_digit"] = np.zeros((28, 28), np.float32)
    at.run()
    assert any("your drawing" in chart.proto.spec for chart in at.get("plotly_chart"))
    at.radio(key="conv_source").set_value("upload").run()
    at.file_uploader(key="conv_photo").upload("notes.png", b"not really a png", "image/png").run()
    assert at.error and "not an image" in at.error[0].value and not at.exception
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), (200, 10, 10)).save(buffer, format="PNG")
    at.file_uploader(key="conv_photo").upload("red.png", buffer.getvalue(), "image/png").run()
    assert not at.error and "(48 − 3)" in shapes(at)[0]


def test_the_shipped_cnn_filters_are_shown_on_demand():
    from playground.digits.classifiers import SHIPPED

    at = open_page("convolution", {"conv_learned": "true"}, timeout=120)
    assert not at.exception
    if not SHIPPED["cnn"].path.exists():
        assert "not in this copy" in at.info[0].value
        return
    assert any("The first layer has" in t for t in texts(at))
    keys = {chart.proto.id for chart in at.get("plotly_chart")}
    assert len(keys) == 5  # kernel, steps, filters, their feature maps, pooled
