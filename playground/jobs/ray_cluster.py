"""The Ray side of the Ray backend: the gateway process (the app's Ray driver), the progress board, the job task.

Runs only in the gateway process that jobs/ray_backend.py starts (python -m playground.jobs.ray_cluster FD ADDRESS)
and on Ray workers. The app process never imports it: a cluster that hangs or vanishes can only take this process
with it, never the app (a Ray driver whose cluster went away can hang in any Ray call, shutdown included).

Each job is one Ray task (no retries: a lost worker is reported, not silently restarted). In the task the job is a
real Job object made from its recipe; a reporter thread sends what changed (jobs/mirror.py) to this gateway's Board
actor a few times a second and gets back whether the job should stop. Every round with the app, the gateway asks
which tasks ended, then takes the board's deltas (a task's last report reaches the board before its task ends), so
checkpoints and final weights travel worker -> object store -> gateway -> app.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

os.environ.setdefault("RAY_ENABLE_AUTO_CONNECT", "0")  # a call while disconnected must fail, never start a local Ray
import ray
from ray import exceptions as ray_errors

from playground.jobs.mirror import Delta, Sent, merge, take_delta

REPORT_SECONDS = 0.25
BOARD_SECONDS = 20.0  # a board that does not answer for this long means the cluster is gone
CLIENT_RETRY_SECONDS = 2.0
# How a task ended, by Ray's error (first match): the job's code raised outside execute(), the task was cancelled
# before it ran, or its worker, node or cluster went away.
OUTCOMES: list[tuple[type[Exception], str]] = [
    (ray_errors.TaskCancelledError, "stopped"),
    (ray_errors.RayTaskError, "failed"),
    (ray_errors.OutOfMemoryError, "lost"),
    (ray_errors.RayError, "lost"),
    (Exception, "lost"),
]
LOST_REASONS = {"OutOfMemoryError": "its machine ran out of memory", "NodeDiedError": "its machine left the cluster"}


@ray.remote(num_cpus=0, max_restarts=0)
class Board:
    """This gateway's running jobs: their reports, merged until the gateway takes them, and the stop requests."""

    def __init__(self) -> None:
        self.deltas: dict[str, Delta] = {}
        self.stops: set[str] = set()

    def report(self, job_id: str, delta: Delta) -> bool:
        """Keep a task's report; True when its job should stop."""
        self.deltas[job_id] = merge(self.deltas.get(job_id, {}), delta)
        return job_id in self.stops

    def stop(self, job_id: str) -> None:
        self.stops.add(job_id)

    def take(self, ended: list[str]) -> dict[str, Delta]:
        """Everything reported since the last take; forgets the stop requests of jobs that ended."""
        self.stops.difference_update(ended)
        taken, self.deltas = self.deltas, {}
        return taken


class Reporter:
    """Sends a job's changes to the board every REPORT_SECONDS (and once more, complete, at the end).

    Never blocks on the board while the job works: a task blocked in ray.get() lends its CPU to the next task in
    the queue, and the cluster would run more jobs than it has CPUs. So a report is sent, and its answer (stop or
    not) read at a later round, once it is there.
    """

    def __init__(self, job: Any, job_id: str, board: Any) -> None:
        self.job, self.job_id, self.board = job, job_id, board
        self.sent, self.done = Sent(), threading.Event()
        self.thread = threading.Thread(target=self._loop, name="reporter", daemon=True)

    def _loop(self) -> None:
        answer = None  # the board's answer to the last report, while it is on its way
        while not self.done.wait(REPORT_SECONDS):
            try:
                if answer is not None:
                    if not ray.wait([answer], timeout=0)[0]:
                        continue  # a busy board: this round's changes go with the next report
                    if ray.get(answer):
                        self.job.stop_event.set()
                answer = self.board.report.remote(self.job_id, take_delta(self.job, self.sent))
            except Exception:  # a board in trouble means a cluster in trouble: the gateway sees it too
                answer = None

    def start(self) -> None:
        self.thread.start()

    def finish(self) -> None:
        """The last, complete report; it reaches the board before the task ends (calls to an actor from one caller
        run in order, after the ones sent before)."""
        self.done.set()
        self.thread.join()
        ray.get(self.board.report.remote(self.job_id, take_delta(self.job, self.sent, final=True)),
                timeout=BOARD_SECONDS)


def _configure_worker() -> str:
    """TensorFlow as the thread backend sets it up, with as many threads as the task has CPUs; the device line."""
    from playground.core.device import configure_tensorflow, describe_device

    configure_tensorflow()
    import tensorflow as tf

    cpus = int(ray.get_runtime_context().get_assigned_resources().get("CPU", 0))
    try:  # a job uses the CPUs it asked for, so that jobs sharing a machine do not fight over its cores
        if cpus:
            tf.config.threading.set_intra_op_parallelism_threads(cpus)
            tf.config.threading.set_inter_op_parallelism_threads(cpus)
    except RuntimeError:  # a reused worker whose TensorFlow is already running: it keeps its first setting
        pass
    return f"Ray worker {ray.util.get_node_ip_address()}, {describe_device()}"


@ray.remote(max_retries=0)
def run_job(module: str, qualname: str, recipe: dict[str, Any], job_id: str, board: Any) -> str:
    """One job, start to end, on a cluster worker; returns its final status (its fields went to the board)."""
    from playground.jobs.base import Job

    kind = getattr(importlib.import_module(module), qualname)
    if not (isinstance(kind, type) and issubclass(kind, Job)):
        raise TypeError(f"{module}.{qualname} is not a Job")
    job = kind(**recipe)
    job.status, job.device = "preparing", f"Ray worker {ray.util.get_node_ip_address()}"
    reporter = Reporter(job, job_id, board)
    reporter.start()
    try:
        job.device = _configure_worker()
        job.execute()
    except Exception as error:  # outside execute(): setting up TensorFlow failed
        job.status, job.message = "failed", f"{job.failure_text}: {type(error).__name__}: {error}"
    finally:
        reporter.finish()
    return job.status


def outcome(ref: Any) -> tuple[str, str]:
    """How an ended task went: ("ok", ""), or an outcome of OUTCOMES and the reason in words."""
    try:
        ray.get(ref)
        return "ok", ""
    except Exception as error:
        kind = next(name for error_type, name in OUTCOMES if isinstance(error, error_type))
        if kind == "failed":  # the job's own exception, without Ray's traceback
            cause = getattr(error, "cause", None) or error
            return kind, f"{type(cause).__name__}: {cause}"
        return kind, LOST_REASONS.get(type(error).__name__, "its process or machine went away")


def cluster_load() -> dict[str, float]:
    total, free = ray.cluster_resources(), ray.available_resources()
    return {"cpus": total.get("CPU", 0.0), "free_cpus": free.get("CPU", 0.0), "gpus": total.get("GPU", 0.0)}


def serve_round(request: dict[str, Any], board: Any, refs: dict[str, Any]) -> dict[str, Any]:
    """Submit new jobs, pass on stop requests, and collect what changed and which tasks ended."""
    has_gpus = ray.cluster_resources().get("GPU", 0.0) > 0
    for job_id, module, qualname, recipe, resources in request["submit"]:
        options = {key: value for key, value in resources.items() if key != "num_gpus" or has_gpus}
        refs[job_id] = run_job.options(name=f"{qualname} {job_id}", **options).remote(
            module, qualname, recipe, job_id, board)
    for job_id, still_queued in request["stop"]:
        board.stop.remote(job_id)
        if still_queued and job_id in refs:  # not started yet: give its place in the cluster's queue back now
            ray.cancel(refs[job_id])
    ready = set(ray.wait(list(refs.values()), num_returns=len(refs), timeout=0)[0]) if refs else set()
    ended = {job_id: outcome(refs.pop(job_id)) for job_id in [j for j, ref in refs.items() if ref in ready]}
    deltas = ray.get(board.take.remote(list(ended)), timeout=BOARD_SECONDS)  # after ray.wait: has the last reports
    return {"state": "connected", "deltas": deltas, "ended": ended, "cluster": cluster_load()}


def connect(address: str) -> None:
    """ray.init. Through Ray client ("ray://") a refused first try is tried once more: on a busy machine the
    client server can fail to start the server process it keeps for each driver ("Initialization failure from
    server"), and the next try gets one."""
    for attempt in (1, 2):
        try:
            ray.init(address=address, namespace="playground", log_to_driver=False, logging_level="ERROR")
            return
        except ConnectionAbortedError:
            if attempt == 2 or not address.startswith("ray://"):
                raise
            time.sleep(CLIENT_RETRY_SECONDS)


def serve(conn: Connection, address: str) -> None:
    """Connect to the cluster and answer the app's rounds until it goes away or the cluster does."""
    try:
        connect(address)
        board = Board.remote()
        ray.get(board.take.remote([]), timeout=BOARD_SECONDS)  # the cluster can start an actor: it really works
        conn.send({"state": "connected", "cluster": cluster_load()})
    except Exception as error:
        conn.send({"state": "unreachable", "why": f"{type(error).__name__}: {str(error)[:300]}"})
        return
    refs: dict[str, Any] = {}
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return  # the app went away: Ray ends this driver's tasks with it
        try:
            reply = serve_round(request, board, refs)
        except Exception as error:
            conn.send({"state": "unreachable", "why": f"{type(error).__name__}: {str(error)[:300]}"})
            return
        conn.send(reply)


if __name__ == "__main__":
    connection = Connection(int(sys.argv[1]))
    try:
        serve(connection, sys.argv[2])
    finally:
        os._exit(0)  # never ray.shutdown(): with the cluster gone it can hang for good
