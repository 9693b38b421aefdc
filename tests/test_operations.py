"""`make server` / `make stop` for real: the Prefect server on 127.0.0.1 with its SQLite database in a
temporary PREFECT_HOME, the `process` work pool, the deployments of prefect.yaml, a worker that runs
one of them, and the run seen in the Prefect UI through a headless Chromium (Playwright)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT

SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (from /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def pid_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
        return True
    except ProcessLookupError:
        return False


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    """`make server` on a free port with its own PREFECT_HOME; `make stop` afterwards (always)."""
    home = tmp_path_factory.mktemp("services_home")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_HOME=str(home), PORT=str(port))
    env.pop("MAKEFLAGS", None)
    started = subprocess.run(
        ["make", "--no-print-directory", "server", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
    )
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        state = json.loads((home / "services.json").read_text())
        yield dict(port=port, env=env, home=home, stdout=started.stdout, state=state)
    finally:
        stopped = subprocess.run(
            ["make", "--no-print-directory", "stop"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr


@pytest.fixture(scope="module")
def api(services):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{services['port']}/api"}):
        yield


def test_server_listens_on_loopback_only_with_its_database_in_prefect_home(services):
    assert listening_addresses(services["port"]) == {"0100007F"}  # 127.0.0.1, nothing else
    assert (services["home"] / "prefect.db").exists()
    assert "deployments: http-sources, inbox-hourly, reprocess-all, samples-on-demand" in services["stdout"]


def test_deployments_have_their_schedules_and_parameters(services, api):
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        deployments = {d.name: d for d in client.read_deployments()}
        for d in deployments.values():  # no scheduled run may touch the project's warehouse during the test
            client.pause_deployment(d.id)
        pool = client.read_work_pool("process")
    assert pool.type == "process"
    hourly = deployments["inbox-hourly"]
    assert [(s.schedule.cron, s.schedule.timezone) for s in hourly.schedules] == [("0 * * * *", "Asia/Shanghai")]
    assert hourly.global_concurrency_limit.limit == 1 and hourly.work_pool_name == "process"
    assert deployments["http-sources"].parameters["sources"] == "seeds/sources.yaml"
    assert deployments["http-sources"].schedules
    assert deployments["reprocess-all"].parameters["reprocess"] is True and not deployments["reprocess-all"].schedules


def test_the_hourly_deployment_completes_on_a_fresh_server_with_its_own_parameters(services, api, tmp_path):
    """inbox-hourly as scheduled (its inbox is the project's inbox/, empty on a fresh checkout): the run
    completes and records itself, whether or not there was anything to read."""
    from prefect.deployments import run_deployment

    warehouse = tmp_path / "w.duckdb"
    flow_run = run_deployment("ingest-reports/inbox-hourly", parameters={"warehouse_path": str(warehouse)}, timeout=300)
    assert flow_run.state.is_completed(), flow_run.state
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT status FROM etl_run").fetchall() == [("completed",)]
    finally:
        con.close()


@pytest.fixture(scope="module")
def deployed_run(services, api, tmp_path_factory):
    """samples-on-demand run by the worker, into a temporary warehouse."""
    from prefect.deployments import run_deployment

    warehouse = tmp_path_factory.mktemp("deployed") / "w.duckdb"
    flow_run = run_deployment(
        "ingest-reports/samples-on-demand", parameters={"warehouse_path": str(warehouse)}, timeout=300
    )
    return flow_run, warehouse


def test_the_worker_runs_a_deployment_and_the_run_publishes_artifacts(deployed_run):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    flow_run, warehouse = deployed_run
    assert flow_run.state.is_completed(), flow_run.state
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM v_observation").fetchone()[0] == 346
    finally:
        con.close()
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run.id]))
        )
    assert {a.key for a in artifacts} >= {"ingest-progress", "ingest-files", "ingest-summary"}


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")
def test_the_run_is_seen_in_the_prefect_ui(services, deployed_run):
    from playwright.sync_api import expect, sync_playwright

    flow_run, _ = deployed_run
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{services['port']}"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/runs/flow-run/{flow_run.id}")
            expect(page.get_by_text(flow_run.name).first).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Completed").first).to_be_visible()
            expect(page.get_by_text("publish_run").first).to_be_visible()
            expect(page.get_by_text("facts: 346 published").first).to_be_visible()  # the run's logs
            page.screenshot(path=str(SCREENSHOTS / "flow-run.png"))
            page.get_by_text("Artifacts", exact=True).first.click()
            expect(page.get_by_text("ingest-summary").first).to_be_visible(timeout=15_000)
            expect(page.get_by_text("ingest-files").first).to_be_visible()
            page.screenshot(path=str(SCREENSHOTS / "flow-run-artifacts.png"))
            page.goto(f"{base}/deployments")
            for name in ("inbox-hourly", "http-sources", "reprocess-all"):
                expect(page.get_by_text(name).first).to_be_visible(timeout=15_000)
        finally:
            browser.close()


def test_command_line_runs_show_on_the_running_server(services, api, tmp_path):
    import sys

    from prefect.client.orchestration import get_client

    env = dict(services["env"], PYTHONPATH=str(ROOT))
    answer = subprocess.run(
        [
            sys.executable,
            "-m",
            "unionfacts.cli",
            "run",
            "--inbox",
            str(ROOT / "seeds" / "reports"),
            "--warehouse",
            str(tmp_path / "w.duckdb"),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert answer.returncode == 0, answer.stderr
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(limit=50)
    mine = [r for r in runs if r.parameters.get("warehouse_path") == str((tmp_path / "w.duckdb").resolve())]
    assert len(mine) == 1 and mine[0].state.is_completed()


def test_stop_leaves_no_process_or_port_behind_even_during_a_run(services, api, tmp_path):
    """A run paused in the middle of publishing when `make stop` comes: everything stops, and the
    run's warehouse is as it was before it."""
    from prefect.deployments import run_deployment

    from tasks.operations import failpoints
    from unionfacts.server import stragglers

    env, port, pids = services["env"], services["port"], [services["state"][k] for k in ("server", "worker")]
    warehouse = tmp_path / "w.duckdb"
    run_deployment(
        "ingest-reports/samples-on-demand",
        timeout=0,
        parameters={"warehouse_path": str(warehouse)},
        job_variables={"env": {failpoints.ENV: "after_staging:pause", failpoints.DIR_ENV: str(tmp_path / "fp")}},
    )
    reached = tmp_path / "fp" / "after_staging.reached"
    deadline = time.monotonic() + 240
    while not reached.exists():
        assert time.monotonic() < deadline, "the deployment run never reached the failpoint"
        time.sleep(0.2)
    flow_run_processes = [
        pid
        for pid in stragglers(services["home"], port)
        if b"prefect.engine" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    assert flow_run_processes  # the worker runs the flow in a process of its own
    stopped = subprocess.run(
        ["make", "--no-print-directory", "stop"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert stopped.returncode == 0, stopped.stderr
    assert "stopped worker" in stopped.stdout and "stopped server" in stopped.stdout
    assert not any(pid_alive(pid) for pid in pids)
    assert stragglers(services["home"], port) == [] and not any(
        Path(f"/proc/{pid}").exists() for pid in flow_run_processes
    )
    assert listening_addresses(port) == set()
    assert not (services["home"] / "services.json").exists()
    assert not warehouse.exists()  # the interrupted run published nothing
