"""Workarounds of TensorFlow bugs that jobs need, each with its upstream issue and a check that it still applies."""

from __future__ import annotations

from typing import Any


def gradient_registry() -> dict | None:
    """TensorFlow's private registry of gradient functions, or None if this TensorFlow no longer has it.

    tests/test_jobs.py checks that the pinned TensorFlow still has it, so an upgrade that moves it fails loudly.
    """
    from tensorflow.python.framework import ops

    registry = getattr(getattr(ops, "_gradient_registry", None), "_registry", None)
    return registry if isinstance(registry, dict) else None


def forget_optimizer_gradients() -> int:
    """Unpin the traced training steps of finished runs, which TensorFlow would otherwise keep for ever.

    Every Keras optimizer sums its gradients with tf.distribute's all_reduce, a tf.custom_gradient. Each trace of a
    training step registers that op's gradient in TensorFlow's global gradient registry, never removed, and the
    entry holds the whole traced graph: a server that trains run after run grows by megabytes per run
    (tensorflow/tensorflow#97697, #80895). Nothing ever differentiates an optimizer update, so those entries
    are dead weight from the moment the step is traced; other custom gradients are left alone.
    Returns how many entries were dropped (0 if TensorFlow's internals have changed).
    """
    registry = gradient_registry()
    if registry is None:
        return 0
    dead = [name for name, entry in list(registry.items())
            if name.startswith("CustomGradient-") and _made_by_all_reduce(entry.get("type"))]
    for name in dead:
        registry.pop(name, None)
    return len(dead)


def _made_by_all_reduce(function: Any, depth: int = 0) -> bool:
    """True when a registered gradient function wraps tf.distribute's all-reduce gradient (closures, 3 deep)."""
    if getattr(function, "__module__", "") == "tensorflow.python.distribute.distribute_lib":
        return True
    if depth == 3:
        return False
    cells = getattr(function, "__closure__", None) or ()
    return any(callable(cell.cell_contents) and _made_by_all_reduce(cell.cell_contents, depth + 1)
               for cell in cells if _cell_filled(cell))


def _cell_filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 (reading an empty cell raises)
    except ValueError:  # an empty cell
        return False
    return True
