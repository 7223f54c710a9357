"""Server-wide admission: at most PLAYGROUND_MAX_RUNS jobs work at once, the others wait first come, first served."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator


def max_concurrent_runs() -> int:
    """Server-wide limit of jobs working at once (env PLAYGROUND_MAX_RUNS, default 2)."""
    try:
        return max(1, int(os.environ.get("PLAYGROUND_MAX_RUNS", "2")))
    except ValueError:
        return 2


class Slots:
    """A fair semaphore that knows its queue: a waiting job can say how many are ahead of it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._condition = threading.Condition()
        self._waiting: list[object] = []  # tokens, first come first
        self._active = 0

    @property
    def active(self) -> int:
        """How many jobs hold a slot right now."""
        return self._active

    def place_in_queue(self, token: object) -> int | None:
        """1 for the next job to start, 2 for the one after it...; None if `token` is not waiting."""
        with self._condition:
            return self._waiting.index(token) + 1 if token in self._waiting else None

    @contextlib.contextmanager
    def hold(self, token: object, stop_event: threading.Event) -> Iterator[bool]:
        """Wait for a slot (in order of arrival) and hold it; yields False if stopped while still waiting."""
        if not self._acquire(token, stop_event):
            yield False
            return
        try:
            yield True
        finally:
            with self._condition:
                self._active -= 1
                self._condition.notify_all()

    def _acquire(self, token: object, stop_event: threading.Event) -> bool:
        with self._condition:
            self._waiting.append(token)
            while not (self._waiting[0] is token and self._active < self.limit):
                if stop_event.is_set():
                    self._waiting.remove(token)
                    self._condition.notify_all()
                    return False
                self._condition.wait(0.2)
            self._waiting.pop(0)
            self._active += 1
            self._condition.notify_all()
            return True


SLOTS = Slots(max_concurrent_runs())  # shared by every session of this server process
