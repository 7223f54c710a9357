"""A lecture hall at once: N students start a small MNIST run together, in-process vs a local Ray cluster.

python -m bench.cluster [--quick] [--sizes 8,16,32]

Students are simulated by submitting their jobs straight through the backend, as the page's Train button does
(ui.session.start_job calls job.start()); the browser path itself is tested in tests/e2e (eight users; two replicas
behind nginx). Each measurement runs in a fresh process that plays the app, so that its CPU and memory are its own;
the Ray cluster is a one-node head on loopback (tools/cluster.py) with as many CPUs as this machine, one per job:
the same two jobs at a time as the in-process default (PLAYGROUND_MAX_RUNS=2). Both sides are warmed up first (a
running app has TensorFlow loaded and, on Ray, warm workers); the cold start is reported on its own. Everything stops
by itself, the cluster included.
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from bench.common import Row, print_rows

ROOT = Path(__file__).resolve().parents[1]
SIZES = (8, 16, 32)


def student_run(name: str, epochs: int = 1, preset: str = "mlp", samples: int | None = 5000):
    """A small MNIST run: the MLP preset (784-128-64-10), one epoch on the first 5,000 training images."""
    from playground.core.presets import PRESETS
    from playground.training.run import TrainingRun

    experiment = PRESETS[preset].experiment
    return TrainingRun(replace(experiment, config=replace(experiment.config, epochs=epochs, train_samples=samples)),
                       name=name)


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int | str = "self") -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def hall(backend, students: int) -> dict:
    """Start `students` runs at once; each one's wait (until it leaves the queue) and completion, in seconds."""
    runs = [student_run(f"student {i}") for i in range(students)]
    started: dict[int, float] = {}
    start = time.perf_counter()
    for run in runs:
        run.start(backend)

    def watch() -> None:
        while len(started) < len(runs):
            for i, run in enumerate(runs):
                if i not in started and run.status != "queued":
                    started[i] = time.perf_counter() - start
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    done = []
    for run in runs:
        run.wait()
        done.append(time.perf_counter() - start)
    watcher.join(5)
    bad = [run.message for run in runs if run.status != "finished"]
    if bad:
        raise RuntimeError(f"{len(bad)} runs did not finish: {bad[0]}")
    return {"wait": [started.get(i, done[i]) for i in range(students)], "done": done}


def halls(kind: str, sizes: list[int], address: str) -> dict:
    """One backend's lecture halls, with this process as the app (python -m bench.cluster --app thread|ray ...)."""
    from playground.jobs.backends import ThreadBackend
    from playground.jobs.ray_backend import RayBackend

    backend = RayBackend(address) if kind == "ray" else ThreadBackend()
    result: dict = {"halls": {}}
    t0 = time.perf_counter()
    hall(backend, 1)  # cold: on Ray the gateway connects and a worker imports TensorFlow
    result["cold_seconds"] = time.perf_counter() - t0
    hall(backend, os.cpu_count() or 2)  # every worker warm
    for size in sizes:
        cpu, wall = cpu_seconds(), time.perf_counter()
        result["halls"][size] = hall(backend, size)
        result["halls"][size]["app_cores"] = (cpu_seconds() - cpu) / (time.perf_counter() - wall)
    result["app_rss_mb"] = rss_mb()
    if kind == "ray":
        result["gateway_rss_mb"] = rss_mb(backend._gateway.process.pid)
        backend.close()
    return result


def pairs(address: str) -> dict:
    """One run alone, in-process and through Ray in turn (a busy moment slows a pair alike), each with the whole
    machine (PLAYGROUND_RAY_CPUS_PER_JOB = the core count): the median ratio per preset (--app pairs)."""
    from playground.jobs.backends import ThreadBackend
    from playground.jobs.ray_backend import RayBackend

    backends = {"thread": ThreadBackend(), "ray": RayBackend(address)}
    result = {}
    for preset, epochs, samples, repeats in (("mlp", 3, None, 3), ("cnn", 1, 20_000, 2)):
        times: dict[str, list[float]] = {"thread": [], "ray": []}
        for repeat in range(repeats + 1):  # the first pair warms both up (tracing; Ray's worker) and is not counted
            for name, backend in backends.items():
                run, t = student_run("alone", epochs, preset, samples), time.perf_counter()
                run.start(backend)
                run.wait()
                if repeat:
                    times[name].append(time.perf_counter() - t)
        ratios = [r / t for r, t in zip(times["ray"], times["thread"])]
        result[preset] = {"ratio": statistics.median(ratios), "ray": statistics.median(times["ray"]),
                          "thread": statistics.median(times["thread"])}
    backends["ray"].close()
    return result


def measure_backend(kind: str, sizes: list[int], address: str, env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.cluster", "--app", kind, ",".join(map(str, sizes)), address],
                         cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=3600,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(f"bench.cluster --app {kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.splitlines()[-1])


def load_average() -> float:
    return os.getloadavg()[0]


def measure(quick: bool = False, sizes: list[int] | None = None) -> list[Row]:
    if importlib.util.find_spec("ray") is None:
        return [("lecture hall on a Ray cluster",
                 "skipped: Ray is not installed (pip install -r requirements-cluster.txt)", "—")]
    from tools.cluster import LocalRay

    sizes = sizes or ([4] if quick else list(SIZES))
    cpus = os.cpu_count() or 2
    thread = measure_backend("thread", sizes, "", {"PLAYGROUND_MAX_RUNS": str(cpus)})
    # Ray runs its workers at niceness 15 (so that an app on the same machine stays responsive); here they compete
    # with the in-process runs, and whatever else runs on this machine, on equal terms.
    cluster = LocalRay(num_cpus=cpus, niceness=0).start()
    try:
        ray = measure_backend("ray", sizes, cluster.address, {**cluster.env, "PLAYGROUND_RAY_CPUS_PER_JOB": "1"})
        alone = measure_backend("pairs", [], cluster.address, {**cluster.env, "PLAYGROUND_RAY_CPUS_PER_JOB": str(cpus)})
    finally:
        cluster.stop()
    rows: list[Row] = []
    for size in sizes:
        for name, result in (("in-process", thread), ("Ray, 1 CPU per job", ray)):
            h = result["halls"][str(size)]
            what = f"{size} students press Train at once ({name}, {cpus} cores): wait / completion, median and worst"
            rows.append((what, (f"{statistics.median(h['wait']):.1f} / {statistics.median(h['done']):.1f} s; "
                                f"worst {max(h['wait']):.1f} / {max(h['done']):.1f} s"), "—"))
        h = ray["halls"][str(size)]
        rows.append((f"app process under that load with Ray ({size} students)",
                     (f"{h['app_cores']:.2f} cores; {ray['app_rss_mb']:.0f} MB (+ gateway "
                      f"{ray.get('gateway_rss_mb', float('nan')):.0f} MB); in-process: "
                      f"{thread['halls'][str(size)]['app_cores']:.2f} cores, {thread['app_rss_mb']:.0f} MB"),
                     "light"))
    for preset, title in (("mlp", "MLP preset, 3 epochs; median of 3 pairs"),
                          ("cnn", "CNN preset, 1 epoch on 20,000 images; 2 pairs")):
        pair = alone[preset]
        rows.append((f"one run alone through Ray vs in-process ({title}; whole machine each)",
                     f"{pair['ratio']:.2f}× ({pair['ray']:.1f} s vs {pair['thread']:.1f} s)", "≤ 1.2×"))
    rows.append(("first job after the app starts (Ray: gateway, worker, TensorFlow import)",
                 f"{ray['cold_seconds']:.1f} s (in-process: {thread['cold_seconds']:.1f} s)", "—"))
    rows.append(("machine load at the end of the cluster bench (1-minute load average)", f"{load_average():.1f}",
                 f"≤ {cpus}"))
    return rows


def main() -> None:
    if "--app" in sys.argv:  # one backend's measurements, as the app process
        kind, sizes, address = sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else ""
        numbers = [int(s) for s in sizes.split(",") if s]
        result = pairs(address) if kind == "pairs" else halls(kind, numbers, address)
        print(json.dumps(result), flush=True)
        return
    sizes = None
    if "--sizes" in sys.argv:
        sizes = [int(s) for s in sys.argv[sys.argv.index("--sizes") + 1].split(",")]
    print_rows(measure(quick="--quick" in sys.argv, sizes=sizes), "A lecture hall at once")


if __name__ == "__main__":
    main()
