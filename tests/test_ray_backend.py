"""The Ray backend on a local cluster (loopback, token auth on): a run comes back as from the thread backend, stops,
survives a killed worker and a cluster that goes away and comes back; GAN and landscape jobs and the CLI run there too.

The shipping of fields (jobs/mirror.py) is tested always; the cluster tests are skipped, with the reason, only when
Ray is not installed (pip install -r requirements-cluster.txt).
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pytest

from playground.core.specs import Experiment, NetworkSpec, TrainConfig, layer
from playground.gan.model import GanShape
from playground.gan.training import GanConfig, GanRun
from playground.jobs import ray_backend, sessions
from playground.jobs.base import Job, Progress
from playground.jobs.mirror import Sent, apply_delta, merge, take_delta
from playground.training.landscape import LandscapeJob
from playground.training.run import TrainingRun

needs_ray = pytest.mark.skipif(importlib.util.find_spec("ray") is None,
                               reason="Ray is not installed: pip install -r requirements-cluster.txt")
TINY_NET = NetworkSpec((layer("Flatten"), layer("Dense", units=8), layer("Dense", units=10, activation="softmax")))


def tiny(epochs: int = 2, samples: int = 2000, batch: int = 64, name: str = "tiny") -> TrainingRun:
    return TrainingRun(Experiment(TINY_NET, TrainConfig(epochs=epochs, batch_size=batch, train_samples=samples,
                                                        seed=3)), name=name)


def long_run(name: str = "long") -> TrainingRun:
    return tiny(epochs=100, samples=5000, batch=16, name=name)


def wait_for(condition, seconds: float = 120.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.1)


# -- shipping a job's fields (no Ray needed) ---------------------------------------------------------------------------

@dataclass(kw_only=True)
class Growing(Job):
    shipped: ClassVar[dict[str, str]] = {**Job.shipped, "rows": "list", "kept": "dict", "weights": "final"}
    rows: list = field(default_factory=list)
    kept: dict = field(default_factory=dict)
    weights: list = field(default_factory=list)


def test_deltas_ship_only_what_changed_and_rebuild_the_same_fields():
    remote, local, sent = Growing(status="running"), Growing(status="queued"), Sent()
    remote.rows.append({"epoch": 1})
    remote.kept.update({0: "w0", 1: "w1"})
    remote.progress = Progress(epoch=2, batch=5, batches=10)
    first = take_delta(remote, sent)
    remote.rows.append({"epoch": 2})
    del remote.kept[0]
    remote.kept[2] = "w2"
    second = take_delta(remote, sent)
    assert second["rows"] == ("list", [{"epoch": 2}]) and second["kept"] == ("dict", ({2: "w2"}, [1, 2]))
    assert "weights" not in second  # "final" fields travel with the last report only
    remote.weights, remote.status, remote.message = ["final weights"], "finished", "Finished 2 epochs."
    last = take_delta(remote, sent, final=True)
    assert apply_delta(local, merge(merge(first, second), last)) == "finished"
    assert (local.rows, local.kept, local.weights, local.message) == (remote.rows, remote.kept, remote.weights,
                                                                        remote.message)
    assert local.progress == remote.progress and local.status == "queued"  # the caller sets the status, last


def test_only_the_last_report_may_say_a_job_is_done():
    job, sent = Growing(status="stopped"), Sent()  # stopped in the middle of an epoch: weights still rewinding
    assert "status" not in take_delta(job, sent)
    assert take_delta(job, sent, final=True)["status"] == ("value", "stopped")


@pytest.mark.parametrize("address, refusals, tries", [("ray://127.0.0.1:10001", 1, 2), ("ray://127.0.0.1:10001", 2, 2),
                                                      ("127.0.0.1:6379", 1, 1)])
def test_a_ray_client_refused_once_tries_once_more(monkeypatch, address, refusals, tries):
    from playground.jobs import ray_cluster

    calls = []

    def init(**kwargs):  # what Ray's client raises when its server cannot start a driver's server process
        calls.append(kwargs["address"])
        if len(calls) <= refusals:
            raise ConnectionAbortedError("Initialization failure from server:\n")

    monkeypatch.setattr(ray_cluster.ray, "init", init)
    monkeypatch.setattr(ray_cluster, "CLIENT_RETRY_SECONDS", 0.0)
    if refusals < tries:
        ray_cluster.connect(address)
    else:
        with pytest.raises(ConnectionAbortedError):
            ray_cluster.connect(address)
    assert calls == [address] * tries


def test_the_shipped_nginx_config_is_what_the_loopback_hall_runs(tmp_path):
    from tools.cluster import NGINX_TEMPLATE, nginx_config

    text = nginx_config([9001, 9002, 9003], 9100, tmp_path)
    assert [line.strip() for line in text.splitlines() if line.strip().startswith("server 127")] == [
        "server 127.0.0.1:9001;", "server 127.0.0.1:9002;", "server 127.0.0.1:9003;"]
    assert "listen 127.0.0.1:9100;" in text and "/tmp/playground-nginx" not in text
    shipped = NGINX_TEMPLATE.read_text()
    assert "hash $replica_key consistent;" in shipped and "proxy_set_header Upgrade $http_upgrade;" in shipped


def test_with_the_cluster_down_the_page_loads_and_train_says_the_cluster_is_unreachable(monkeypatch):
    from tests.helpers import open_page, rerun_until
    from tools.server import free_port

    monkeypatch.setenv("PLAYGROUND_RAY_ADDRESS", f"127.0.0.1:{free_port()}")  # nothing listens there
    at = open_page("build_train")
    at.button(key="build_train").click().run()
    rerun_until(at, lambda at: any("The training cluster is unreachable right now" in e.value for e in at.error), 60)
    run = at.session_state["build_runs"][-1]
    assert (run.status, run.backend_name) == ("failed", "ray") and not at.exception
    assert not at.run().button(key="build_train").disabled  # Train again once it is back


# -- on a local cluster ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cluster():
    from tools.cluster import LocalRay

    local = LocalRay(num_cpus=2).start()
    with pytest.MonkeyPatch.context() as patch:
        for key, value in local.env.items():  # the gateway process inherits the token and loopback settings
            patch.setenv(key, value)
        yield local
    local.stop()


@pytest.fixture(scope="module")
def backend(cluster):
    backend = ray_backend.RayBackend(cluster.address)
    yield backend
    backend.close()


def finished(job: Job, backend, seconds: float = 240) -> Job:
    job.start(backend)
    assert job.wait(seconds) and job.done, f"still {job.status}"
    return job


@needs_ray
def test_a_run_on_the_cluster_comes_back_as_from_the_thread_backend(backend):
    here, there = finished(tiny(), None), finished(tiny(), backend)
    assert (here.backend_name, there.backend_name, there.status) == ("thread", "ray", "finished")
    assert there.device.startswith("Ray worker 127.0.0.1")
    assert [row["epoch"] for row in there.history] == [1, 2] and there.best_epoch == here.best_epoch
    for mine, theirs in zip(here.history, there.history):
        for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
            assert theirs[key] == pytest.approx(mine[key], rel=1e-4, abs=1e-5)
    assert sorted(there.checkpoints) == sorted(here.checkpoints) == [0, 1, 2]
    for epoch in here.checkpoints:
        for mine, theirs in zip(here.checkpoints[epoch], there.checkpoints[epoch]):
            np.testing.assert_allclose(theirs, mine, rtol=1e-4, atol=1e-5)
    # The model was rebuilt here from the spec and the shipped weights: restore and test work as after a thread run.
    for mine, theirs in zip(here.model.get_weights(), there.model.get_weights()):
        np.testing.assert_allclose(theirs, mine, rtol=1e-4, atol=1e-5)
    assert there.test_results[0].accuracy == pytest.approx(here.test_results[0].accuracy, abs=1e-3)
    there.restore_epoch(1)
    assert there.evaluate_test().weights_epoch == 1


@needs_ray
def test_jobs_beyond_the_clusters_cpus_wait_with_their_place_and_a_closed_tab_stops_them(backend):
    runs = [long_run(f"hall {i}") for i in range(4)]  # 2 CPUs, one per run: two run, two wait
    for i, run in enumerate(runs):
        sessions.register(f"tab {i}", run)
        run.start(backend)
    wait_for(lambda: sum(run.status == "running" for run in runs) == 2)
    waiting = [run for run in runs if run.status == "queued"]
    assert sorted(run.place_in_queue for run in waiting) == [1, 2]
    assert "of the cluster's 2 CPUs are busy" in waiting[0].waiting_for()
    wait_for(lambda: any(run.history for run in runs))
    for i in range(4):
        sessions.session_released(f"tab {i}", grace_seconds=0.1)
    for run in runs:
        assert run.wait(60) and run.status == "stopped", run.message
    started = [run for run in runs if run.history]
    assert started and all(run.model is not None and run.weights_epoch == len(run.history) for run in started)
    assert {run.message for run in runs if not run.history} <= {
        "Stopped before it started.", "Stopped during epoch 1; kept the weights of epoch 0."}


@needs_ray
def test_a_killed_worker_loses_its_run_keeps_its_epochs_and_leaves_the_others_alone(backend):
    from tools.cluster import task_pids

    victim, neighbour = long_run("victim"), tiny(epochs=12, samples=3000, batch=16, name="neighbour")
    victim.start(backend)
    neighbour.start(backend)
    wait_for(lambda: len(victim.history) >= 1 and neighbour.status == "running")
    (pid,) = task_pids(victim._handle.job_id)
    os.kill(pid, signal.SIGKILL)
    assert victim.wait(60) and victim.status == "lost"
    assert victim.message.startswith("The Ray worker running this job was lost: its process or machine went away")
    assert "Traceback" not in victim.message and len(victim.history) >= 1
    assert victim.model is not None and victim.weights_epoch == len(victim.history)
    assert neighbour.wait(240) and neighbour.status == "finished", neighbour.message
    again = finished(tiny(epochs=1, name="victim, again"), backend)  # it can be started again
    assert again.status == "finished"


@needs_ray
def test_gan_and_landscape_jobs_run_on_the_cluster_too(backend):
    gan = finished(GanRun(GanConfig(train_samples=200, epochs=1, batch_size=50),
                          shape=GanShape(latent_dim=8, generator_width=4, discriminator_width=4), name="g"), backend)
    assert gan.status == "finished", gan.message
    assert sorted(gan.grids) == [0, 1] and gan.generator is not None  # rebuilt here from the shipped weights
    run = finished(tiny(epochs=3), None)
    here = finished(LandscapeJob(run.model, run.checkpoints, run.experiment, "pca", grid=5, samples=100), None)
    there = finished(LandscapeJob(run.model, run.checkpoints, run.experiment, "pca", grid=5, samples=100), backend)
    assert there.status == "finished" and there.fraction == 1.0
    np.testing.assert_allclose(there.result.losses, here.result.losses, rtol=1e-4)


@needs_ray
def test_the_cli_trains_on_the_cluster_through_ray_client_and_says_so(cluster):
    env = {**os.environ, **cluster.env, "PLAYGROUND_RAY_ADDRESS": cluster.client_address}  # ray://127.0.0.1:port
    out = subprocess.run([sys.executable, "-m", "playground", "train", "--preset", "mlp", "--epochs", "1",
                          "--train-samples", "1000"], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    summary = json.loads(out.stdout.splitlines()[-1])["summary"]
    assert summary["backend"] == "ray" and summary["status"] == "finished"


@needs_ray
def test_a_stopped_cluster_is_reported_and_jobs_are_accepted_again_when_it_is_back(cluster, backend, monkeypatch):
    monkeypatch.setattr(ray_backend, "RETRY_SECONDS", 2.0)
    monkeypatch.setattr(ray_backend, "REPLY_SECONDS", 25.0)
    running = long_run("when the cluster goes")
    running.start(backend)
    wait_for(lambda: len(running.history) >= 1)
    cluster.kill()
    assert running.wait(90) and running.status == "lost"
    assert "the cluster became unreachable" in running.message and running.history and running.model is not None
    refused = tiny(name="while it is gone")
    refused.start(backend)
    assert refused.wait(5) and refused.status == "failed"
    assert refused.message.startswith("The training cluster is unreachable right now")
    cluster.start()
    wait_for(lambda: backend.state == "connected", 180)
    back = tiny(epochs=1, name="back")
    back.start(backend)
    wait_for(lambda: back.status == "preparing")  # accepted, and started on the cluster again
    back.stop()
