"""A lecture hall on loopback: a token-protected Ray head, app replicas, nginx in front (tests, bench, a demo).

python -m tools.cluster [--replicas 2] [--cpus 2]  starts all of it on 127.0.0.1 and prints the URL; Ctrl-C stops it.
Everything listens on loopback only (RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 keeps Ray's node address at 127.0.0.1;
otherwise Ray binds its GCS to every interface), and Ray's token authentication is on.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.server import ROOT, free_port, start_server, stop_server

RAY = Path(sys.executable).with_name("ray")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx-replicas.conf"


class LocalRay:
    """A one-node Ray cluster (`ray start --head --block`) in its own process group, with its own token."""

    def __init__(self, num_cpus: int = 2, folder: Path | None = None, niceness: int | None = None) -> None:
        self.num_cpus, self.niceness = num_cpus, niceness  # niceness: of the workers (Ray's default: 15)
        self.folder = Path(folder or tempfile.mkdtemp(prefix="pg-ray-"))  # short: Ray's socket paths have a limit
        self.token_path = self.folder / "auth_token"
        self.token_path.write_text(secrets.token_hex(32))
        self.token_path.chmod(0o600)
        self.port, self.client_port = free_port(), free_port()
        self.process: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        """For a Ray driver on this machine (what PLAYGROUND_RAY_ADDRESS takes)."""
        return f"127.0.0.1:{self.port}"

    @property
    def client_address(self) -> str:
        return f"ray://127.0.0.1:{self.client_port}"

    @property
    def env(self) -> dict[str, str]:
        """What every process talking to this cluster needs: token auth on, this cluster's token."""
        return {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN_PATH": str(self.token_path),
                "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0"}

    def start(self, timeout: float = 120) -> LocalRay:
        log = (self.folder / "head.log").open("ab")
        self.process = subprocess.Popen(
            [str(RAY), "start", "--head", "--block", "--node-ip-address", "127.0.0.1", "--port", str(self.port),
             "--ray-client-server-port", str(self.client_port), "--num-cpus", str(self.num_cpus), "--num-gpus", "0",
             "--object-store-memory", str(300 * 1024**2), "--include-dashboard", "false", "--disable-usage-stats",
             "--temp-dir", str(self.folder / "t")],
            cwd=ROOT, env={**os.environ, **self.env, "PYTHONPATH": str(ROOT), **self._niceness()}, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_until_up(timeout)
        return self

    def _niceness(self) -> dict[str, str]:
        return {} if self.niceness is None else {"RAY_worker_niceness": str(self.niceness)}

    def _wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        check = [str(RAY), "status", "--address", self.address]
        while subprocess.run(check, env={**os.environ, **self.env}, capture_output=True, check=False).returncode != 0:
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.kill()
                raise RuntimeError(f"the Ray head did not start; see {self.folder / 'head.log'}")
            time.sleep(1)

    def kill(self) -> None:
        """Stop the cluster at once, as a crash would: every process under the head (Ray workers run in sessions of
        their own, so the process group alone would miss them)."""
        if self.process is None or self.process.poll() is not None:
            return
        pids = descendants(self.process.pid)
        os.killpg(self.process.pid, signal.SIGKILL)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(30)

    def stop(self) -> None:
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def descendants(root: int) -> list[int]:
    """Every process below `root`, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def task_pids(title: str) -> list[int]:
    """Ray worker processes whose title (ray::<task name>) contains `title`: a task's job id names it."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if cmdline.startswith("ray::") and title in cmdline:
                pids.append(int(entry.name))
    return pids


def nginx_config(app_ports: list[int], listen_port: int, folder: Path, log_replicas: bool = False) -> str:
    """deploy/nginx-replicas.conf with these ports and its files under `folder` (loopback only); log_replicas: log
    which replica each request went to, by its cookie's key (tests check that sessions spread)."""
    text = NGINX_TEMPLATE.read_text()
    if log_replicas:
        text = text.replace("access_log off;", "log_format replicas '$replica_key $upstream_addr $request_uri';\n"
                                               "    access_log /tmp/playground-nginx/replicas.log replicas;")
    shipped = "        server 127.0.0.1:8501;\n        server 127.0.0.1:8502;\n"
    listen = "listen 127.0.0.1:8080;"
    if shipped not in text or listen not in text:
        raise ValueError(f"{NGINX_TEMPLATE} no longer has the replica and listen lines this function replaces")
    text = text.replace(shipped, "".join(f"        server 127.0.0.1:{port};\n" for port in app_ports))
    text = text.replace(listen, f"listen 127.0.0.1:{listen_port};")
    return text.replace("/tmp/playground-nginx", str(folder))


class Replicas:
    """N Streamlit servers (app.py) sending jobs to one cluster, behind nginx with sticky sessions."""

    def __init__(self, count: int, ray: LocalRay, address: str | None = None) -> None:
        self.count, self.ray, self.address = count, ray, address or ray.address
        self.folder = Path(tempfile.mkdtemp(prefix="pg-nginx-"))
        self.servers: list[tuple[subprocess.Popen, str]] = []
        self.nginx: subprocess.Popen | None = None
        self.port = 0  # chosen once the replicas have theirs: free_port() may hand out the same port twice

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def replica_of(self, key: str) -> str | None:
        """The replica (host:port) that served the requests with this sticky key, from nginx's log."""
        log = self.folder / "replicas.log"
        lines = log.read_text().splitlines() if log.exists() else []
        return next((line.split()[1] for line in reversed(lines) if line.split()[0] == key), None)

    def start(self) -> Replicas:
        # One cookie secret for all replicas: Streamlit's XSRF cookie must be valid on whichever replica checks it.
        env = {**self.ray.env, "PLAYGROUND_RAY_ADDRESS": self.address,
               "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(16)}
        self.servers = [start_server(env) for _ in range(self.count)]
        ports = [int(url.rsplit(":", 1)[1]) for _, url in self.servers]
        self.port = next(port for port in iter(free_port, None) if port not in ports)
        config = self.folder / "nginx.conf"
        config.write_text(nginx_config(ports, self.port, self.folder, log_replicas=True))
        self.nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", str(self.folder), "-g", "daemon off;"],
                                      stdout=subprocess.DEVNULL, stderr=(self.folder / "stderr.log").open("ab"))
        deadline = time.monotonic() + 30
        while subprocess.run(["curl", "-sf", f"{self.url}/_stcore/health"], capture_output=True, check=False).returncode:
            if time.monotonic() > deadline or self.nginx.poll() is not None:
                raise RuntimeError(f"nginx did not start: {(self.folder / 'stderr.log').read_text()[-1000:]}")
            time.sleep(0.3)
        return self

    def stop(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.terminate()
            self.nginx.wait(15)
        for process, _ in self.servers:
            stop_server(process)
        shutil.rmtree(self.folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--cpus", type=int, default=2, help="CPUs the Ray head offers to jobs")
    args = parser.parse_args()
    ray = LocalRay(args.cpus).start()
    replicas = Replicas(args.replicas, ray).start()
    print(f"Ray head {ray.address} (token in {ray.token_path}); {args.replicas} replicas behind {replicas.url}",
          flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        replicas.stop()
        ray.stop()


if __name__ == "__main__":
    main()
