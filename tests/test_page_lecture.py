"""AppTest of the Lecture page: the demos in order, each a link to its page with the preset in the URL."""

from playground.ui.navigation import PAGES
from tests.app_navigation import open_in_app
from tests.helpers import open_page

EXPECTED = [  # (title, URL) in the lecture's order
    ("A neuron", "neuron"),
    ("XOR without a hidden layer", "boundaries?preset=xor-linear"),
    ("XOR with a hidden layer", "boundaries?preset=xor"),
    ("The spiral needs depth", "boundaries?preset=spiral"),
    ("The spiral with sin features", "boundaries?preset=spiral-sin"),
    ("Hello world on random data", "build_train?preset=random"),
    ("Overfitting on noisy points", "boundaries?preset=overfit"),
    ("L2 regularization cures it", "boundaries?preset=overfit-l2"),
    ("MLP on MNIST", "build_train?preset=mlp"),
    ("CNN on MNIST", "build_train?preset=cnn"),
    ("Draw digits", "draw"),
    ("Optimizers on a saddle point", "optimizers?preset=saddle"),
    ("The LSTM neuron and its gates", "sequences"),  # its first tab: a default never shows in the URL
    ("Why plain RNNs forget", "sequences?seq_tab=Why+plain+RNNs+forget"),
    ("Forecast CO₂ with an LSTM", "sequences?seq_tab=Forecast+a+series&preset=co2"),
    ("A GAN", "gan"),
    ("The same CNN on clothes", "build_train?preset=fashion-cnn"),
    ("Transfer learning, measured", "reuse?preset=quick"),
    ("Teach it new symbols", "reuse?reuse_tab=Teach+it+new+symbols"),
    ("Quantize to int8", "shrink?preset=int8"),
    ("Prune 80% of the weights", "shrink?preset=prune-80"),
]
REGISTERED = {info.url for info in PAGES}


def test_the_demos_come_in_the_lecture_order_with_their_links():
    at = open_in_app("lecture")
    assert not at.exception
    titles = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert titles == [f"#### {number}. {title}" for number, (title, _) in enumerate(EXPECTED, start=1)]
    links = iter(at.get("page_link"))
    for title, url in EXPECTED:
        page, _, query = url.partition("?")
        if page in REGISTERED:
            link = next(links)
            assert (link.proto.page, link.proto.query_string) == (page, query), title
        else:  # a page not shipped yet: a plain link, and a word about it
            assert any("](" + url + ")" in m.value for m in at.markdown), title


def test_alone_every_demo_is_still_a_plain_link():
    at = open_page("lecture")
    assert not at.exception
    for _, url in EXPECTED:
        assert any(f"[Open]({url})" == m.value for m in at.markdown), url


def test_the_button_turns_presenter_mode_on_and_disappears():
    at = open_in_app("lecture")
    at.button(key="lecture_start_presenting").click().run()
    assert at.session_state["presenter_mode"] and at.toggle(key="presenter_mode").value
    assert not [b for b in at.button if b.key == "lecture_start_presenting"]
