"""`make server` and `make stop`: the Prefect server, work pool, deployments and worker of the project.

start: the Prefect server on 127.0.0.1 only (its SQLite database in PREFECT_HOME, `.prefect/` of
the project by default), the `process` work pool, every deployment of prefect.yaml, and a worker —
all in the background; returns once the API answers and the worker polls. stop: the worker, then the
server, each with its process group; returns once nothing of them runs and the port is closed.
Their pids and port are kept in PREFECT_HOME/services.json, their logs beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PREFECT = str(Path(sys.executable).with_name("prefect"))
POOL = "process"


def home() -> Path:
    return Path(os.environ.get("PREFECT_HOME", PROJECT_ROOT / ".prefect")).resolve()


def state_file() -> Path:
    return home() / "services.json"


def service_env(port: int) -> dict[str, str]:
    return dict(
        os.environ,
        PREFECT_HOME=str(home()),
        PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
        PREFECT_SERVER_API_HOST="127.0.0.1",
        PREFECT_SERVER_API_PORT=str(port),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        GX_ANALYTICS_ENABLED="false",
        UNIONFACTS_HOME=str(PROJECT_ROOT),
    )


def api(port: int, path: str, timeout: float = 2.0) -> dict | None:
    """GET a Prefect API path; None when the server does not answer (yet)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api{path}", timeout=timeout) as response:
            return json.loads(response.read() or b"null")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def wait_for(what: str, check, seconds: float, log: Path | None = None, pid: int | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if pid is not None and not alive(pid):
            raise SystemExit(f"{what}: the process ended; see {log}\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise SystemExit(f"{what}: not ready after {seconds:.0f} s; see {log}\n{_tail(log)}")
        time.sleep(0.5)


def _tail(log: Path | None, lines: int = 15) -> str:
    if log is None or not log.exists():
        return ""
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def spawn(args: list[str], log: Path, env: dict) -> int:
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            args,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=PROJECT_ROOT,
            start_new_session=True,
        )  # its own process group
    return proc.pid


def save_state(state: dict) -> None:
    state_file().write_text(json.dumps(state), encoding="utf-8")


def load_state() -> dict:
    try:
        return json.loads(state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def running_api_url() -> str | None:
    """The API of this project's server when `make server` is running (so CLI runs show in its UI)."""
    state = load_state()
    port = state.get("port")
    if port and alive(state.get("server", -1)) and api(port, "/health", timeout=1.0) is True:
        return f"http://127.0.0.1:{port}/api"
    return None


def start(port: int) -> int:
    home().mkdir(parents=True, exist_ok=True)
    state = load_state()
    if state and alive(state.get("server", -1)) and api(state["port"], "/health"):
        print(f"already running: Prefect UI at http://127.0.0.1:{state['port']} (make stop to stop it)")
        return 0
    if port_open(port):
        raise SystemExit(f"port {port} on 127.0.0.1 is taken by another program: make server PORT=<free port>")
    env = service_env(port)
    (PROJECT_ROOT / "inbox").mkdir(exist_ok=True)  # what inbox-hourly reads
    server_log, worker_log = home() / "server.log", home() / "worker.log"
    state = {"port": port}
    state["server"] = spawn([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)], server_log, env)
    save_state(state)
    wait_for("Prefect server", lambda: api(port, "/health") is True, 180, server_log, state["server"])
    print(f"server:      http://127.0.0.1:{port} (API /api, database {home() / 'prefect.db'})")
    subprocess.run(
        [PREFECT, "work-pool", "create", POOL, "--type", "process", "--overwrite"],
        env=env,
        check=True,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
    )
    print(f"work pool:   {POOL}")
    subprocess.run(
        [PREFECT, "--no-prompt", "deploy", "--all"], env=env, check=True, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL
    )
    names = sorted(d["name"] for d in _deployments(port))
    print(f"deployments: {', '.join(names)}")
    state["worker"] = spawn(
        [PREFECT, "worker", "start", "--pool", POOL, "--type", "process", "--name", f"unionfacts-{port}"],
        worker_log,
        env,
    )
    save_state(state)
    wait_for(
        "Prefect worker",
        lambda: (api(port, f"/work_pools/{POOL}") or {}).get("status") == "READY",
        120,
        worker_log,
        state["worker"],
    )
    print(f"worker:      polling {POOL} (log {worker_log})")
    print(f"Open http://127.0.0.1:{port} for the Prefect UI; `make stop` stops everything.")
    return 0


def _deployments(port: int) -> list[dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/deployments/filter",
        data=b"{}",
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def stop() -> int:
    state = load_state()
    if not state:
        print("nothing to stop")
        return 0
    for name in ("worker", "server"):  # the worker first: it must not pick up runs from a dying server
        pid = state.get(name)
        if pid and alive(pid):
            _terminate(lambda sig, pgid=pid: os.killpg(pgid, sig), lambda pgid=pid: alive(pgid))
            print(f"stopped {name} (process group {pid})")
    port = state.get("port")
    for pid in stragglers(home(), port):  # flow runs the worker started in their own sessions
        _terminate(lambda sig, pid=pid: os.kill(pid, sig), lambda pid=pid: _running(pid))
        print(f"stopped flow run process {pid}")
    deadline = time.monotonic() + 20
    while port and port_open(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    if port and port_open(port):
        raise SystemExit(f"port {port} is still open after stopping the server")
    state_file().unlink(missing_ok=True)
    return 0


def stragglers(prefect_home: Path, port: int | None) -> list[int]:
    """Processes still running with this server's PREFECT_HOME and API in their environment."""
    marks = {f"PREFECT_HOME={prefect_home}".encode(), f"PREFECT_API_URL=http://127.0.0.1:{port}/api".encode()}
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        pid = int(environ.parent.name)
        if pid == os.getpid():
            continue
        try:
            variables = set(environ.read_bytes().split(b"\0"))
        except OSError:
            continue
        if marks <= variables:
            found.append(pid)
    return found


def _running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        return not Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return False


def _terminate(send, running, grace: float = 20.0) -> None:
    """SIGTERM, up to `grace` seconds to finish, then SIGKILL; `send` signals a process or group."""
    try:
        send(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while running() and time.monotonic() < deadline:
            time.sleep(0.2)
        if running():
            send(signal.SIGKILL)
            deadline = time.monotonic() + 10
            while running() and time.monotonic() < deadline:
                time.sleep(0.1)
    except ProcessLookupError:
        pass


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m unionfacts.server")
    p.add_argument("action", choices=["start", "stop"])
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "4200")))
    args = p.parse_args(argv)
    return start(args.port) if args.action == "start" else stop()


if __name__ == "__main__":
    sys.exit(main())
