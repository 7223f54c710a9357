"""Long use in one session: many runs one after another keep only the newest few; older models are freed."""

import gc
import weakref

from playground.ui.session import MAX_KEPT_JOBS
from tests.helpers import open_page, rerun_until

SPEC = ('{"network":{"layers":[{"kind":"Flatten"},{"kind":"Dense","units":8,"activation":"relu"},'
        '{"kind":"Dense","units":10,"activation":"softmax"}]},"config":{"dataset":"mnist","epochs":1,'
        '"batch_size":50,"train_samples":200}}')
RUNS = MAX_KEPT_JOBS + 3


def test_many_runs_in_one_session_release_old_models():
    at = open_page("build_train", {"spec": SPEC})
    models = []
    for number in range(1, RUNS + 1):
        at.button(key="build_train").click().run()
        rerun_until(at, lambda at: not at.button(key="build_train").disabled)
        run = at.session_state["build_runs"][-1]
        assert run.status == "finished" and run.name.endswith(f"run {number}"), run.message
        models.append(weakref.ref(run.model))
    assert not at.exception
    assert len(at.session_state["build_runs"]) == MAX_KEPT_JOBS
    del run
    gc.collect()
    alive = [ref() is not None for ref in models]
    assert alive[-MAX_KEPT_JOBS:] == [True] * MAX_KEPT_JOBS
    # The page script's module namespace (kept by Streamlit as sys.modules["__main__"]) may still name one old run;
    # what matters is that memory does not grow with the number of runs.
    assert sum(alive[:-MAX_KEPT_JOBS]) <= 1, f"models of forgotten runs are still in memory: {alive}"


def test_a_finished_run_leaves_no_traced_training_step_behind():
    """TensorFlow pins every traced training step in its global gradient registry unless the engine unpins it."""
    from tensorflow.python.framework.func_graph import FuncGraph

    from playground.core.specs import Experiment, TrainConfig
    from playground.training.run import TrainingRun
    from tests.test_training import TINY

    def traced_steps() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, FuncGraph) and o.name == "one_step_on_data")

    before = traced_steps()
    for _ in range(3):
        run = TrainingRun(Experiment(TINY, TrainConfig(epochs=1, batch_size=32, train_samples=64)), name="test")
        run.start()
        assert run.wait(120) and run.status == "finished", run.message
    del run
    assert traced_steps() == before
