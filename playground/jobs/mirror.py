"""Mirroring a job's fields between processes: what changed since the last report, merged, and applied to a copy.

A job running on a cluster worker is a real Job object there; the session reads another Job object of the same
class here. Each class lists its shipped fields (Job.shipped) with how they change:

- "value": small, sent whole with every report (status, message, progress, counters);
- "list": append-only (history): only the new items travel;
- "dict": grows by key, old keys may be dropped (checkpoints by epoch): new keys travel, with the keys kept;
- "final": sent once, with the last report (e.g. weights only needed at the end).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playground.jobs.base import Job

Delta = dict[str, tuple[str, Any]]  # field -> (kind, payload)


class Sent:
    """What a reporter has already shipped of one job: list lengths and dict keys."""

    def __init__(self) -> None:
        self.lengths: dict[str, int] = {}
        self.keys: dict[str, set] = {}


def take_delta(job: Job, sent: Sent, final: bool = False) -> Delta:
    """The job's shipped fields that changed since `sent` (which is updated). Only the final delta may say the job is
    done: a job may set a final status before its last fields (a stopped run rewinds its weights after), and readers
    treat a done job as complete."""
    from playground.jobs.base import DONE

    status = job.status  # read first: when it is final, everything read after it is complete
    delta: Delta = {"status": ("value", status)} if final or status not in DONE else {}
    for name, kind in job.shipped.items():
        if name == "status" or (kind == "final" and not final):
            continue
        value = getattr(job, name)
        if kind == "list":
            items = list(value)  # one C-level copy: the training thread may append meanwhile
            start = sent.lengths.get(name, 0)
            if len(items) > start:
                delta[name] = (kind, items[start:])
                sent.lengths[name] = len(items)
        elif kind == "dict":
            items = dict(value)
            known = sent.keys.setdefault(name, set())
            new = {key: item for key, item in items.items() if key not in known}
            if new or set(items) != known:
                delta[name] = (kind, (new, sorted(items)))
                sent.keys[name] = set(items)
        else:
            delta[name] = (kind, copy.copy(value))
    return delta


def merge(older: Delta, newer: Delta) -> Delta:
    """One delta that has the effect of applying `older`, then `newer` (for a board that collects reports)."""
    merged = dict(older)
    for name, (kind, payload) in newer.items():
        if name not in merged or kind in ("value", "final"):
            merged[name] = (kind, payload)
        elif kind == "list":
            merged[name] = (kind, merged[name][1] + payload)
        else:
            (old_new, _), (new, keys) = merged[name][1], payload
            kept = set(keys)
            merged[name] = (kind, ({k: v for k, v in {**old_new, **new}.items() if k in kept}, keys))
    return merged


def apply_delta(job: Job, delta: Delta) -> str | None:
    """Copy a delta's fields onto the local job, except status, which is returned: the caller sets it last."""
    for name, (kind, payload) in delta.items():
        if name == "status":
            continue
        if kind == "list":
            getattr(job, name).extend(payload)
        elif kind == "dict":
            new, keys = payload
            target = getattr(job, name)
            target.update(new)
            kept = set(keys)
            for key in [key for key in target if key not in kept]:
                del target[key]
        else:
            setattr(job, name, payload)
    return delta["status"][1] if "status" in delta else None
