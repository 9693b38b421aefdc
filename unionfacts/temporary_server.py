"""A temporary Prefect API for one command, started before Prefect is imported.

Without a configured server, Prefect starts a temporary one itself (its SubprocessASGIServer: the
same uvicorn command as here) when the flow begins — after this process has imported Prefect's whole
server application (~2 s and ~80 MB) only to launch it, and with nothing else to do for the seconds
the server boots. Started here first, the server boots on another core while this process imports
what the run needs, and this process never loads the server's code. The pool's workers inherit
PREFECT_API_URL, so the run has one server. It listens on 127.0.0.1 only and stops with the command.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from unionfacts.server import api

BOOT_SECONDS = 60.0


class TemporaryServer:
    def __init__(self) -> None:
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.output = tempfile.TemporaryFile()  # the server's messages (a pipe nobody reads could fill up)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def spawn(self) -> None:
        """Start the server's process (it boots in the background)."""
        self.port = free_port()
        prefect_dir = Path(importlib.util.find_spec("prefect").origin).parent
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(prefect_dir.parent),
                "--factory",
                "prefect.server.api.server:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "error",
                "--lifespan",
                "on",
            ],
            env={
                **os.environ,
                "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1",
                "PREFECT__SERVER_FINAL": "1",
            },
            stdin=subprocess.DEVNULL,
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, seconds: float = BOOT_SECONDS) -> None:
        """Return once the API answers; a server that exits or never answers is an error with its output."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status = self.process.poll()
            if status is not None:  # the app failed, or (rarely) another program took the free port
                self.output.seek(0)
                raise RuntimeError(
                    f"the temporary Prefect server exited with status {status}: "
                    f"{self.output.read().decode(errors='replace')[-2000:]}"
                )
            if healthy(self.port):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the temporary Prefect server did not answer within {seconds:.0f} s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        self.output.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(port: int) -> bool:
    return api(port, "/health", timeout=1.0) is True


def configured_api_url() -> str | None:
    """PREFECT_API_URL from the environment or the active profile of PREFECT_HOME, if any."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect"))
    try:
        profiles = tomllib.loads((home / "profiles.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active", "ephemeral")
    return profiles.get("profiles", {}).get(active, {}).get("PREFECT_API_URL") or None


def start_unless_configured() -> TemporaryServer | None:
    """Unless a Prefect API is configured, start a temporary server and name it in PREFECT_API_URL
    (call this before importing Prefect, then wait_until_ready() before running a flow). It stops when
    this process exits, after Prefect's own exit handlers have sent their last logs and events."""
    if configured_api_url():
        return None
    server = TemporaryServer()
    server.spawn()
    atexit.register(server.stop)  # registered before Prefect's handlers, so it runs after them
    os.environ["PREFECT_API_URL"] = server.api_url
    return server
