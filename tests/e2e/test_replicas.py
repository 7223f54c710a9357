"""Two app replicas behind nginx (sticky sessions, WebSockets), one local Ray cluster: two students train at once,
each on their own replica, and each sees only their own run, trained on the cluster."""

from __future__ import annotations

import importlib.util
import os
import time

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_many_users import chart_points, tiny_spec_url
from tools.cluster import NGINX

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("ray") is None,
                       reason="Ray is not installed: pip install -r requirements-cluster.txt"),
    pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx is not installed: apt-get install nginx (.ci/run does)"),
]


@pytest.fixture(scope="module")
def hall():
    from tools.cluster import LocalRay, Replicas

    ray = LocalRay(num_cpus=2).start()
    replicas = Replicas(2, ray)
    try:
        yield replicas.start()
    finally:
        replicas.stop()
        ray.stop()


def test_two_students_on_two_replicas_train_at_once_and_see_only_their_own_runs(browser: Browser, hall):
    # Open sessions until two sit on different replicas (each new browser gets a random sticky key).
    students, seen = [], {}
    for _ in range(8):
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.goto(tiny_spec_url(hall.url, 2 + len(students), seed=len(students)))
        expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=60_000)
        key = next(c["value"] for c in context.cookies() if c["name"] == "playground_replica")
        replica = hall.replica_of(key)
        if replica is not None and replica not in seen:
            seen[replica] = key
            students.append((context, page))
            if len(students) == 2:
                break
        else:
            context.close()
    assert len(students) == 2, f"every session landed on the same replica: {seen}"

    for _, page in students:
        page.get_by_role("button", name="Train", exact=True).click()
    epochs = [2, 3]
    done = [False, False]
    deadline = time.monotonic() + 300
    while not all(done):
        assert time.monotonic() < deadline, f"not all runs finished: {done}"
        for i, (_, page) in enumerate(students):
            done[i] = done[i] or page.get_by_text(f"Finished {epochs[i]} epochs.").count() > 0
        time.sleep(0.3)

    for i, (context, page) in enumerate(students):
        assert chart_points(page) == epochs[i]  # its own run: the other one trains a different number of epochs
        assert page.get_by_text("Your network · run 1").count() == 1
        assert page.get_by_text("on Ray worker 127.0.0.1").count() > 0  # trained on the cluster, not in the app
        assert page.locator("[data-testid=stException]").count() == 0
        context.close()
