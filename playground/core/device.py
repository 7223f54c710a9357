"""Which device trains: GPU detection, TensorFlow set-up (memory growth) and a one-line description."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading

_configure_lock = threading.Lock()
_configured = False


def configure_tensorflow() -> None:
    """Import TensorFlow once and turn on GPU memory growth, so several runs can share one GPU.

    Call it in the script thread before any worker thread touches TensorFlow.
    """
    global _configured
    with _configure_lock:
        if _configured:
            return
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow as tf

        for gpu in tf.config.list_physical_devices("GPU"):
            try:
                tf.config.experimental.set_memory_growth(gpu, True)
            except RuntimeError:  # TensorFlow already initialised the GPU: growth can no longer change
                pass
        _configured = True


def gpu_names() -> list[str]:
    """Names of the GPUs TensorFlow will train on (imports TensorFlow)."""
    configure_tensorflow()
    import tensorflow as tf

    names = []
    for gpu in tf.config.list_physical_devices("GPU"):
        details = tf.config.experimental.get_device_details(gpu)
        names.append(str(details.get("device_name", gpu.name)))
    return names


@functools.cache
def _nvidia_smi_names() -> tuple[str, ...]:
    """GPU names from nvidia-smi, without importing TensorFlow (fast enough for the home page)."""
    if shutil.which("nvidia-smi") is None:
        return ()
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=5, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(line.strip() for line in out.splitlines() if line.strip())


def describe_device() -> str:
    """One line such as 'GPU: NVIDIA H100 80GB HBM3' or 'CPU, 2 cores'.

    Asks TensorFlow when it is already imported; otherwise asks nvidia-smi, so that pages which
    don't train never pay for importing TensorFlow.
    """
    names = gpu_names() if "tensorflow" in sys.modules else list(_nvidia_smi_names())
    if names:
        more = f" (+{len(names) - 1} more)" if len(names) > 1 else ""
        return f"GPU: {names[0]}{more}"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"CPU, {cores} cores"
