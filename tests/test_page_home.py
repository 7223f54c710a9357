"""AppTest of the Home page: a card per page (image when there is a thumbnail), the device, the way to the lecture;
and the pages that teach concepts never import TensorFlow."""

import subprocess
import sys

from playground.core.device import describe_device
from playground.ui import navigation
from playground.ui.navigation import PAGES, PageInfo
from tests.app_navigation import open_in_app, set_presenter_mode
from tests.helpers import ROOT, open_page

CARDS = [info for info in PAGES if info.script != "home.py"]


def has_thumbnail(info: PageInfo) -> bool:
    return (ROOT / "assets" / "thumbnails" / f"{info.url}.png").is_file()


def test_a_card_per_page_links_to_it_and_the_lecture_comes_first():
    at = open_in_app()
    assert not at.exception
    links = at.get("page_link")
    labels = [link.value for link in links]
    assert "Start the lecture" in labels[0] and links[0].proto.page == "lecture"
    assert [label.strip("*") for label in labels[1:]] == [info.title for info in CARDS]
    captions = [c.value for c in at.caption]
    assert all(info.promise in captions for info in CARDS)
    assert any(describe_device() in c for c in captions)


def test_cards_show_a_thumbnail_when_one_exists_and_still_render_without(monkeypatch):
    missing = PageInfo("not_built_yet.py", "Concepts", "Not built yet", ":material/help:", "A page with no picture.")
    monkeypatch.setattr(navigation, "PAGES", (*PAGES, missing))
    at = open_page("home")  # alone, so links fall back to plain markdown links
    assert not at.exception
    assert len(at.get("image")) == sum(has_thumbnail(info) for info in CARDS) > 0
    assert any("[**Not built yet**](not_built_yet)" in m.value for m in at.markdown)
    assert "A page with no picture." in [c.value for c in at.caption]


def card_columns(per_row: int) -> int:
    """Columns the page should make: 2 for the intro row, then per section full rows of `per_row`."""
    sections = [info.section for info in CARDS]
    return 2 + sum(-(-sections.count(name) // per_row) * per_row for name in dict.fromkeys(sections))


def test_cards_come_three_per_row_and_two_in_presenter_mode():
    at = open_in_app()
    assert len(at.columns) == card_columns(3)
    set_presenter_mode(at, True)
    assert not at.exception and len(at.columns) == card_columns(2)


PROBE = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=60).run()
for page in ("lecture", "neuron", "probabilities", "gradient_descent", "convolution"):
    at.switch_page(f"app_pages/{{page}}.py").run()
    assert not at.exception, (page, at.exception)
print("tensorflow" in sys.modules, "keras" in sys.modules)
"""


def test_home_lecture_and_concept_pages_do_not_import_tensorflow():
    # A fresh interpreter: this test process may have imported TensorFlow for other tests already.
    out = subprocess.run([sys.executable, "-c", PROBE.format(app=str(ROOT / "app.py"))], cwd=ROOT, capture_output=True,
                         text=True, timeout=180, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-2:] == ["False", "False"], out.stdout
