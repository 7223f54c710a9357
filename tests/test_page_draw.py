"""AppTest of the Draw a digit page: the canvas value is set through session state, as the browser would send it."""

import base64
import io
from html.parser import HTMLParser

import numpy as np
from PIL import Image
from streamlit.testing.v1 import AppTest

from playground.charts.digits import NAIVE_COLOR, TOP_COLOR, probability_bars
from playground.core.specs import from_json
from playground.training.run import TrainingRun
from tests.helpers import ROOT, open_page
from tools.build_drawn_digits import template_strokes
from tools.strokes import draw_strokes


class HTMLBars(HTMLParser):
    """The bars of a probability_bars chart: (title, height, colour) of each, and the labels above them."""

    def __init__(self, html: str):
        super().__init__()
        self.bars, self.labels, self._title, self._in_label = [], [], None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        style = dict(rule.split(":", 1) for rule in (attrs.get("style") or "").split(";") if ":" in rule)
        self._title = attrs.get("title", self._title)
        self._in_label = tag == "span"
        if attrs.get("class") == "pg-bar":
            self.bars.append((self._title, style["height"], style["background"]))

    def handle_data(self, data):
        if self._in_label and data.strip():
            self.labels.append(data)


def png_bytes(pixels: np.ndarray, format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format=format)
    return buffer.getvalue()


def drawn(digit: int, seed: int = 0) -> np.ndarray:
    """A digit drawn on the 280 px canvas with the default pen, as RGBA pixels."""
    paths, _ = template_strokes(digit, 0, np.random.default_rng(seed))
    return draw_strokes(paths, 20)


def draw(at: AppTest, pixels: np.ndarray, generation: int = 0) -> AppTest:
    """What the canvas component (playground/ui/canvas.js) sends when a stroke ends: a PNG data URL, the strokes."""
    url = "data:image/png;base64," + base64.b64encode(png_bytes(pixels)).decode()
    at.session_state[f"draw_canvas_{generation}"] = {
        "drawing": {"data": url, "strokes": 1}}
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_an_empty_canvas_asks_for_a_digit_and_predicts_nothing():
    at = open_page("draw")
    assert not at.exception
    assert any("Draw a digit" in info.value for info in at.info)
    assert not at.metric and "draw_digit" not in at.session_state


def test_a_drawn_seven_is_read_by_both_models_and_shared_with_other_pages():
    at = draw(open_page("draw"), drawn(7))
    assert not at.exception
    assert metrics(at) == {"MLP": "7", "CNN": "7"}
    assert all(m.delta.endswith("sure") for m in at.metric)
    seen = at.session_state["draw_digit"]
    assert seen.shape == (28, 28) and seen.dtype == np.float32 and 0 <= seen.min() and seen.max() <= 1
    bars = [html.proto.body for html in at.get("html") if "pg-probabilities" in html.proto.body]
    assert len(bars) == 3  # under each answer, and the LSTM's after the last row it read (in its expander)
    assert all('title="digit 7: ' in b for b in bars)


def test_the_probability_bars_are_as_tall_as_the_probabilities_and_name_them():
    p = np.full(10, 0.01)
    p[3], p[8] = 0.80, 0.11
    bars = HTMLBars(probability_bars(p))
    assert [title for title, _, _ in bars.bars] == [f"digit {d}: {v:.2%}" for d, v in enumerate(p)]
    assert [height for _, height, _ in bars.bars] == [f"{v * 85:.1f}%" for v in p]  # 100% would be 85% tall
    assert [colour == TOP_COLOR for _, _, colour in bars.bars] == [d == 3 for d in range(10)]
    assert bars.labels == ["80%", "11%"]  # under 5% a bar goes without a label
    naive = np.roll(p, -3)  # its 0 is 80%
    both = HTMLBars(probability_bars(p, naive))
    assert [title for title, _, _ in both.bars][:2] == ["digit 0: 1.00%", "naive resize, digit 0: 80.00%"]
    assert len(both.bars) == 20 and {colour for _, _, colour in both.bars[1::2]} == {NAIVE_COLOR}


def test_the_cnns_evidence_for_its_answer_and_the_runner_up_is_shown_on_its_ink():
    at = draw(open_page("draw"), drawn(7))
    assert [h.value for h in at.subheader if h.value.startswith("Why")][0].startswith("Why the CNN said 7, not ")
    top, runner_up = at.session_state["draw_evidence"][3]
    assert top.digit == 7 and runner_up.digit != 7
    ink = at.session_state["draw_digit"] > 0.1
    assert np.isfinite(top.map[ink]).all() and np.isnan(top.map[~ink]).all()
    titles = [f"Evidence for {d} (" for d in (7, runner_up.digit)]
    assert [any(t in chart.proto.spec for chart in at.get("plotly_chart")) for t in titles] == [True, True]
    at.selectbox(key="draw_evidence_model").set_value("mlp").run()  # any network can be asked
    assert not at.exception and at.session_state["draw_evidence"][0] == "mlp"
    assert any(h.value.startswith("Why the MLP said") for h in at.subheader)


def test_a_blot_is_answered_not_sure():
    blot = np.zeros((280, 280, 4), np.uint8)
    blot[40:240, 40:240] = 255  # a filled square: more ink than any digit
    at = draw(open_page("draw"), blot)
    assert not at.exception
    assert metrics(at) == {"MLP": "not sure", "CNN": "not sure"}
    assert sum("more ink than any" in caption.value for caption in at.caption) == 2


def test_the_naive_resize_toggle_shows_what_skipping_preprocessing_does():
    at = draw(open_page("draw"), drawn(3))
    at.toggle(key="draw_naive_resize").set_value(True).run()
    assert not at.exception
    assert sum("Naive resize →" in caption.value for caption in at.caption) == 2  # one per model
    assert metrics(at)["CNN"] == "3"  # the real prediction is still shown


def test_clear_gives_a_fresh_canvas():
    at = draw(open_page("draw"), drawn(1))
    assert at.metric
    at.button(key="draw_clear_canvas").click().run()
    assert at.session_state["draw_canvas_generation"] == 1
    assert not at.metric and any("Draw a digit" in info.value for info in at.info)


def test_an_uploaded_photo_is_classified_and_bad_files_get_a_message():
    at = open_page("draw")
    at.segmented_control(key="draw_digit_source").set_value("Upload a photo").run()
    upload = at.file_uploader(key="draw_digit_upload")
    paper = 255 - drawn(4)[..., 0]  # dark ink on white paper, grayscale JPEG
    upload.set_value(("four.jpg", png_bytes(np.asarray(paper), "JPEG"), "image/jpeg")).run()
    assert not at.exception
    assert metrics(at)["CNN"] == "4"
    for name, content, message in (("broken.png", b"\x89PNG garbage", "not an image"),
                                   ("white.png", png_bytes(np.full((50, 50), 255, np.uint8)), "blank"),
                                   ("clear.png", png_bytes(np.zeros((50, 50, 4), np.uint8)), "transparent")):
        at.file_uploader(key="draw_digit_upload").set_value((name, content, "image/png")).run()
        assert not at.exception
        assert any(message in error.value for error in at.error), (name, [e.value for e in at.error])
        assert not at.metric


def draw_with_a_session_run(layers: str, dataset: str, name: str) -> tuple[AppTest, TrainingRun]:
    """A one-epoch Build & train run of this session on `dataset`, then a drawn 0 on the Draw page."""
    spec = (f'{{"network":{{"layers":[{layers},{{"kind":"Dense","units":10,"activation":"softmax"}}]}},'
            f'"config":{{"dataset":"{dataset}","epochs":1,"batch_size":64,"train_samples":300}}}}')
    run = TrainingRun(from_json(spec), name=name)
    run.start()
    run.wait()
    at = open_page("draw")
    at.session_state["build_runs"] = [run]
    at = draw(at, drawn(0))
    assert not at.exception
    return at, run


def test_a_model_trained_this_session_appears_next_to_the_shipped_ones():
    at, run = draw_with_a_session_run('{"kind":"Flatten"}', "mnist", "Tiny")
    assert list(metrics(at)) == ["MLP", "CNN", "Tiny · epoch 1"]
    run.restore_epoch(0)  # back to the untrained weights: the best epoch is offered beside them
    at.run()
    assert list(metrics(at)) == ["MLP", "CNN", "Tiny · epoch 0", "Tiny · best epoch 1"]
    assert run.weights_epoch == 0  # the run's own model kept the weights its owner chose


def test_a_recurrent_run_on_mnist_rows_reads_the_drawing_too():
    at, _ = draw_with_a_session_run('{"kind":"SimpleRNN","units":8}', "mnist-rows", "Rows")
    assert list(metrics(at)) == ["MLP", "CNN", "Rows · epoch 1"]


def test_a_bad_model_file_is_refused_with_a_message():
    at = open_page("draw")
    at.file_uploader(key="draw_model_upload").set_value(("model.keras", b"not a zip", "application/octet-stream")).run()
    assert not at.exception
    assert any("not a Keras model file" in error.value for error in at.error)


def test_an_uploaded_model_file_joins_the_comparison():
    at = draw(open_page("draw"), drawn(7))
    shipped = ROOT / "assets" / "models" / "mlp.keras"  # any .keras file of an MNIST classifier will do
    at.file_uploader(key="draw_model_upload").set_value(("mine.keras", shipped.read_bytes(), "application/zip")).run()
    assert not at.exception and not at.error
    assert metrics(at)["Your file: mine.keras"] == metrics(at)["MLP"] == "7"


def test_presenter_mode_hides_the_advanced_controls():
    at = AppTest.from_file(str(ROOT / "app_pages" / "draw.py"), default_timeout=60)
    at.session_state["presenter_mode"] = True
    at = draw(at.run(), drawn(2))
    assert not at.exception
    assert not at.slider and not at.file_uploader
    assert metrics(at)["CNN"] == "2"
