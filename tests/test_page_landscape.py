"""AppTest of the Loss landscape page: no run yet, then a trained run's slice computed in a worker thread."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT, open_page, rerun_until
from tests.test_landscape import train_tiny


@pytest.fixture(scope="module")
def trained():
    return train_tiny(2, name="Tiny · run 1")


def test_without_a_trained_run_it_points_to_build_and_train():
    at = open_page("landscape")
    assert not at.exception
    assert "Build & train" in at.info[0].value


def test_computes_the_slice_and_the_training_path_of_a_trained_run(trained):
    at = AppTest.from_file(str(ROOT / "app_pages" / "landscape.py"), default_timeout=120)
    at.session_state["build_runs"] = [trained]
    at.run()
    assert at.selectbox(key="landscape_run").value == "Tiny · run 1"
    at.slider(key="landscape_grid").set_value(5)
    at.select_slider(key="landscape_samples").set_value(100)
    at.button(key="landscape_start").click().run()
    rerun_until(at, lambda at: at.session_state["landscape_jobs"][-1].done and len(at.get("plotly_chart")) == 1)
    assert not at.exception and not at.error
    job = at.session_state["landscape_jobs"][-1]
    assert job.status == "finished" and job.result.losses.shape == (5, 5)
    assert job.result.epochs == (0, 1, 2)
    assert any("loss of the final weights" in c.value for c in at.caption)
