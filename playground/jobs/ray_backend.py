"""Jobs on a Ray cluster: the Job objects that pages read stay here, fed by a gateway process that talks to Ray.

With PLAYGROUND_RAY_ADDRESS set ("auto", "host:port" or "ray://host:10001"), default_backend() returns a RayBackend.
This process never imports Ray: one gateway process per app process (jobs/ray_cluster.py) is the Ray driver, and a
pump thread here trades one message with it a few times a second: new jobs (their recipe and resources) and stop
requests out; each job's changed fields (jobs/mirror.py) and which tasks ended, back. When a job ends, its model is
rebuilt here from its spec and the shipped weights (Job.rebuild_locally): only weight arrays travel, never a model
file. A cluster that stops answering costs the gateway, which is killed and tried again later; pages keep loading,
new jobs are told the cluster is unreachable, and jobs are accepted again once it answers.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.jobs.backends import ThreadBackend
from playground.jobs.mirror import apply_delta

if TYPE_CHECKING:
    from playground.jobs.base import Job

ROOT = Path(__file__).resolve().parents[2]
GATEWAY_LOG = Path(tempfile.gettempdir()) / "playground-ray-gateway.log"
CPUS_VARIABLE = "PLAYGROUND_RAY_CPUS_PER_JOB"  # overrides every job kind's num_cpus (e.g. 4 on 16-core workers)
POLL_SECONDS = 0.25  # between rounds with the gateway while jobs are tracked
IDLE_SECONDS = 2.0  # ... and while none is (a cluster that went away is still noticed)
RETRY_SECONDS = 10.0  # between attempts to reach a cluster that did not answer
CONNECT_SECONDS = 60.0  # a gateway that has not connected by then counts as unreachable
REPLY_SECONDS = 45.0  # a round that takes longer means the cluster (or the gateway) hangs

UNREACHABLE = ("The training cluster is unreachable right now ({why}), so this job did not start. Try again in a "
               "minute; the lecturer can check the cluster with `ray status`.")
LOST = "The Ray worker running this job was lost: {why}{during}. {kept}Start it again to run it anew."
CLUSTER_GONE = "the cluster became unreachable"


class RayHandle:
    """One job on the cluster, as the app sees it: wait for it, ask its place in the queue."""

    def __init__(self, backend: RayBackend, job: Job, job_id: str) -> None:
        self.backend, self.job, self.job_id = backend, job, job_id
        self.ended = threading.Event()
        self.stop_sent = False
        self.final_status: str | None = None  # the status of the job's last report

    def join(self, timeout: float | None = None) -> None:
        self.ended.wait(timeout)

    def place_in_queue(self) -> int | None:
        return self.backend.place_of(self)

    def load(self) -> str:
        return self.backend.load_text()


class Gateway:
    """The gateway process and the socket to it; killed (by its pid) when it or the cluster stops answering."""

    def __init__(self, address: str) -> None:
        mine, theirs = socket.socketpair()
        path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        with GATEWAY_LOG.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "playground.jobs.ray_cluster", str(theirs.fileno()), address],
                pass_fds=[theirs.fileno()], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONPATH": path})
        theirs.close()
        self.conn = Connection(mine.detach())

    def receive(self, timeout: float) -> dict[str, Any] | None:
        """The next message, or None if none came in time or the gateway is gone."""
        try:
            return self.conn.recv() if self.conn.poll(timeout) else None
        except (EOFError, OSError):
            return None

    def call(self, request: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        try:
            self.conn.send(request)
        except OSError:
            return None
        return self.receive(timeout)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)
        self.conn.close()


class RayBackend:
    """Runs jobs as Ray tasks: the cluster's free resources decide how many run; the rest wait in its queue."""

    name = "ray"

    def __init__(self, address: str) -> None:
        self.address = address
        self.state, self.why = "connecting", ""  # "connected" | "unreachable" (why: in words)
        self.cluster: dict[str, float] = {}  # cpus, free_cpus, gpus: the whole cluster, as of the last round
        self._lock = threading.Lock()
        self._new: list[RayHandle] = []  # submitted here, not yet to the cluster; first come first
        self._running: dict[str, RayHandle] = {}  # on the cluster (queued or working), in order of submission
        self._gateway: Gateway | None = None
        self._pump: threading.Thread | None = None
        self._closed = threading.Event()
        self._last_try = 0.0
        self._ids = itertools.count(1)

    # -- what jobs and pages call ------------------------------------------------------------------------------------

    def submit(self, job: Job) -> Any:
        from playground.jobs.base import Job

        if type(job).recipe is Job.recipe:  # a kind that cannot be rebuilt elsewhere yet still runs, here
            job.backend_name = "thread"
            return ThreadBackend().submit(job)
        job.device = "the Ray cluster"
        handle = RayHandle(self, job, f"{os.getpid()}-{next(self._ids)}")
        with self._lock:
            if self._pump is None:
                self._pump = threading.Thread(target=self._run, name="ray-backend", daemon=True)
                self._pump.start()
                # Keras is needed here once the first job ends (its model is rebuilt here): import it meanwhile.
                threading.Thread(target=_import_keras, name="keras-import", daemon=True).start()
            if self.state == "unreachable":
                self._end(handle, "failed", UNREACHABLE.format(why=self.why))
            else:
                self._new.append(handle)
        return handle

    def place_of(self, handle: RayHandle) -> int | None:
        """1 if no job of this app waits for the cluster before this one, 2 if one does..."""
        with self._lock:
            waiting = [h for h in [*self._running.values(), *self._new] if h.job.status == "queued"]
        return waiting.index(handle) + 1 if handle in waiting else None

    def load_text(self) -> str:
        if self.state != "connected" or not self.cluster:
            return f"connecting to the Ray cluster ({self.address})"
        busy = self.cluster["cpus"] - self.cluster["free_cpus"]
        return f"{busy:g} of the cluster's {self.cluster['cpus']:g} CPUs are busy"

    def close(self) -> None:
        """Stop the pump and the gateway (tests and benchmarks; a server simply exits, and the gateway with it)."""
        self._closed.set()
        if self._pump is not None:
            self._pump.join(REPLY_SECONDS + 5)
        if self._gateway is not None:
            self._gateway.kill()
            self._gateway = None

    # -- the pump thread -----------------------------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._closed.is_set():
            try:
                if self._connected():
                    self._round()
            except Exception as error:  # the pump must never die: pages would wait forever
                self._lose_gateway(f"{type(error).__name__}: {error}")
            self._closed.wait(POLL_SECONDS if self._running or self._new else IDLE_SECONDS)

    def _connected(self) -> bool:
        """True with a working gateway; otherwise (re)starts one, at most every RETRY_SECONDS after a failure."""
        if self._gateway is not None:
            return True
        if self.state == "unreachable" and time.monotonic() - self._last_try < RETRY_SECONDS:
            return False
        self._last_try = time.monotonic()
        problem = "Ray is not installed here: pip install -r requirements-cluster.txt" \
            if importlib.util.find_spec("ray") is None else knock(self.address)
        if problem:
            self._unreachable(problem)
            return False
        gateway = Gateway(self.address)
        hello = gateway.receive(CONNECT_SECONDS)
        if hello is None or hello["state"] != "connected":
            code = gateway.process.poll()
            gateway.kill()
            self._unreachable(hello["why"] if hello else f"no answer within {CONNECT_SECONDS:g} s" if code is None
                              else f"the gateway process exited with code {code}; see {GATEWAY_LOG}")
            return False
        with self._lock:
            self._gateway, self.state, self.why, self.cluster = gateway, "connected", "", hello["cluster"]
        return True

    def _round(self) -> None:
        submit, stops = [], []
        with self._lock:
            for handle in self._new:
                job = handle.job
                if job.stop_event.is_set():
                    self._end(handle, "stopped", "Stopped before it started.")
                    continue
                try:
                    resources = dict(job.resources)
                    if os.environ.get(CPUS_VARIABLE):
                        resources["num_cpus"] = float(os.environ[CPUS_VARIABLE])
                    submit.append((handle.job_id, type(job).__module__, type(job).__qualname__, job.recipe(),
                                   resources))
                except Exception as error:  # a recipe that cannot be made is the job's failure, not the pump's
                    self._end(handle, "failed", f"{job.failure_text}: {type(error).__name__}: {error}")
                    continue
                self._running[handle.job_id] = handle
            self._new.clear()
            for handle in self._running.values():
                if handle.job.stop_event.is_set() and not handle.stop_sent:
                    handle.stop_sent = True
                    stops.append((handle.job_id, handle.job.status == "queued"))
        reply = self._gateway.call({"submit": submit, "stop": stops}, REPLY_SECONDS)
        if reply is None or reply["state"] != "connected":
            self._lose_gateway(reply["why"] if reply else f"no answer within {REPLY_SECONDS:g} s")
            return
        self.cluster = reply["cluster"]
        for job_id, delta in reply["deltas"].items():
            handle = self._running.get(job_id)
            if handle is None:
                continue
            status = apply_delta(handle.job, delta)
            if status not in (None, "created", "queued") and job_id not in reply["ended"]:
                handle.job.status = status
            handle.final_status = status or handle.final_status
        for job_id, (outcome, reason) in reply["ended"].items():
            with self._lock:
                handle = self._running.pop(job_id, None)
            if handle is not None:
                self._finish(handle, outcome, reason, handle.final_status)

    def _finish(self, handle: RayHandle, outcome: str, reason: str, status: str | None) -> None:
        """End a job whose task ended, from Ray's outcome and the job's own last status."""
        from playground.jobs.base import DONE

        job = handle.job
        if outcome == "ok" and status in DONE:
            self._end_later(handle, status, job.message)
        elif outcome == "stopped":
            self._end_later(handle, "stopped", job.message or "Stopped before it started.")
        elif outcome == "failed":
            self._end_later(handle, "failed", f"{job.failure_text}: {reason}")
        else:
            self._end_later(handle, "lost", lost_message(job, reason))

    def _end_later(self, handle: RayHandle, status: str, message: str) -> None:
        """Rebuilding a model imports Keras and takes a moment: in its own thread, so other jobs keep moving."""
        threading.Thread(target=self._end, args=(handle, status, message, True), daemon=True).start()

    @staticmethod
    def _end(handle: RayHandle, status: str, message: str, rebuild: bool = False) -> None:
        """The job's last status; first, for a job that ran on the cluster, what pages use is rebuilt here."""
        from playground.core.device import configure_tensorflow

        job = handle.job
        try:
            if rebuild:
                configure_tensorflow()  # before this thread touches TensorFlow, as the thread backend does
                job.rebuild_locally()
        except Exception as error:
            status, message = "failed", (f"{job.failure_text}: its results came back but could not be rebuilt "
                                         f"here: {type(error).__name__}: {error}")
        job.message, job.status = message, status  # status last: readers treat a done job as complete
        handle.ended.set()

    def _unreachable(self, why: str) -> None:
        """The cluster does not answer: fail what waits to be sent."""
        with self._lock:
            self.state, self.why = "unreachable", why.splitlines()[0][:200] if why else "no answer"
            waiting, self._new = self._new, []
        for handle in waiting:
            self._end(handle, "failed", UNREACHABLE.format(why=self.why))

    def _lose_gateway(self, why: str) -> None:
        """The gateway or the cluster stopped answering: its jobs are lost (keeping what they shipped)."""
        if self._gateway is not None:
            self._gateway.kill()
            self._gateway = None
        self._last_try = time.monotonic()
        with self._lock:
            running, self._running = list(self._running.values()), {}
        self._unreachable(why)
        for handle in running:
            self._end_later(handle, "lost", lost_message(handle.job, CLUSTER_GONE))


def knock(address: str) -> str | None:
    """Why nothing can answer at the address's host and port, or None (also for "auto", found by Ray itself).

    A Ray driver started against a dead address waits minutes before it gives up; a plain TCP connection says at
    once that nobody listens."""
    if address == "auto":
        return None
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=3).close()
    except (OSError, ValueError) as error:
        return f"nothing answers at {host}:{port}: {getattr(error, 'strerror', None) or error}"
    return None


def _import_keras() -> None:
    from playground.core.device import configure_tensorflow

    configure_tensorflow()
    import keras  # noqa: F401


def lost_message(job: Job, why: str) -> str:
    """What a job whose worker went away says: when, and what it kept."""
    epochs = len(getattr(job, "history", []))
    during = f" during epoch {job.progress.epoch}" if job.progress.epoch else ""
    kept = f"The {epochs} epoch{'s' if epochs != 1 else ''} it finished {'are' if epochs != 1 else 'is'} kept. " \
        if epochs else ""
    return LOST.format(why=why, during=during, kept=kept)
