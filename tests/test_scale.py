"""Beyond one machine: the same flow on a Dask cluster (here a local one with 2 worker processes,
started and stopped by the test on 127.0.0.1) publishes the same warehouse as a local run; and the
process-pool mode the CLI uses for big inboxes does too."""

from __future__ import annotations

import shutil

import pytest
from conftest import SAMPLES
from test_publish import state


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inbox")
    for path in SAMPLES.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def local_warehouse(prefect_harness, inbox, tmp_path_factory):
    from flows.ingest import ingest_reports
    from tasks.operations.runners import task_runner

    db = tmp_path_factory.mktemp("local") / "w.duckdb"
    ingest_reports.with_options(task_runner=task_runner(workers=1))(inbox=str(inbox), warehouse_path=str(db))
    return state(db)


@pytest.fixture(scope="module")
def dask_cluster():
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
    try:
        yield cluster
    finally:
        cluster.close()


def test_a_dask_cluster_publishes_the_same_warehouse(local_warehouse, dask_cluster, inbox, tmp_path):
    from distributed import Client

    from flows.ingest import ingest_reports
    from tasks.operations.runners import task_runner

    db = tmp_path / "w.duckdb"
    summary = ingest_reports.with_options(task_runner=task_runner(dask_address=dask_cluster.scheduler_address))(
        inbox=str(inbox), warehouse_path=str(db), batch_size=1
    )
    assert summary.files_failed == 1 and state(db) == local_warehouse
    with Client(dask_cluster.scheduler_address) as client:  # the batches ran on the cluster's workers
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert len(executed) == 2 and sum(executed.values()) >= 6  # one task per file: 5 reports, empty.txt


def test_a_process_pool_publishes_the_same_warehouse(local_warehouse, inbox, tmp_path):
    from flows.ingest import ingest_reports
    from tasks.operations.runners import task_runner

    db = tmp_path / "w.duckdb"
    ingest_reports.with_options(task_runner=task_runner(workers=2))(
        inbox=str(inbox), warehouse_path=str(db), batch_size=2
    )
    assert state(db) == local_warehouse


def test_without_a_server_the_pool_workers_share_the_flows_temporary_server(inbox, tmp_path):
    """Each pool worker would otherwise start a temporary Prefect server of its own (~250 MB each);
    the flow would start one after importing Prefect's server code (~2 s, ~80 MB)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_LOGGING_LEVEL="INFO", PREFECT_SERVER_ANALYTICS_ENABLED="false"
    )
    cli = Path(sys.executable).parent / "unionfacts"
    out = subprocess.run(
        [
            str(cli),
            "run",
            "--inbox",
            str(inbox),
            "--warehouse",
            str(tmp_path / "w.duckdb"),
            "--workers",
            "2",
            "--batch-size",
            "2",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    log = out.stdout + out.stderr
    # the command started one before importing Prefect; no process started Prefect's own
    assert "Starting temporary server" not in log, log[-3000:]
    assert "files: 5 new" in out.stdout
    assert not processes_with(f"PREFECT_HOME={tmp_path / 'prefect'}"), "the temporary server outlived the command"


def processes_with(variable: str) -> list[int]:
    """Processes other than this one with `variable` (NAME=value) in their environment."""
    import os
    from pathlib import Path

    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if variable.encode() in environ.read_bytes().split(b"\0") and int(environ.parent.name) != os.getpid():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def test_what_a_pool_process_imports_stays_light():
    """A pool process imports the flow's module (the flow travels with each batch) and the batch task's:
    neither may pull in pandas, DuckDB or Great Expectations (seconds and ~90 MB per process)."""
    import subprocess
    import sys

    from conftest import ROOT

    code = (
        "import sys; import flows.ingest, tasks.extract.steps; "
        "print(sorted(m for m in ('pandas', 'duckdb', 'great_expectations', 'tasks.audit.validate', "
        "'tasks.publish.warehouse', 'tasks.report.html_report') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


def test_a_pool_process_builds_its_arrow_rows_without_pandas(inbox):
    """pyarrow would import pandas on a process's first conversion of Python values (≈ 0.3 s, 43 MB
    in each pool process): a pool process keeps it out, and its rows are the same."""
    import subprocess
    import sys

    from conftest import ROOT

    code = (
        "import sys, datetime; from tasks.extract.steps import keep_pandas_out; from tasks.read import inbox_files; from tasks.extract import processing\n"
        "keep_pandas_out()\n"
        f"batch = processing.process_batch(inbox_files.discover({str(inbox)!r}), 'run', datetime.datetime(2026, 1, 1))\n"
        "print(len(batch.facts), len(batch.documents), 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    facts, documents, pandas_loaded = out.stdout.split()
    assert (int(facts) > 300, int(documents), pandas_loaded) == (True, 5, "False")


def test_a_batch_turned_into_arrow_data_file_by_file_keeps_every_row(inbox, monkeypatch):
    """A batch seals its rows into Arrow data every ROWS_EVERY files; a column empty in one part
    (no ranges, no regions) takes the type it has in another, and no row is lost or reordered."""
    from datetime import datetime

    from tasks.extract import processing
    from tasks.read import inbox_files

    refs = inbox_files.discover(str(inbox))
    whole = processing.process_batch(refs, "run", datetime(2026, 1, 1))
    monkeypatch.setattr(processing, "ROWS_EVERY", 1)
    sealed = processing.process_batch(refs, "run", datetime(2026, 1, 1))
    for table in ("facts", "documents", "articles"):
        assert getattr(sealed, table).to_pylist() == getattr(whole, table).to_pylist(), table
    assert sealed.facts.schema.field("value_high").type == "double" and len(sealed.facts) > 300


def test_rows_sealed_in_parts_unify_their_types():
    from tasks.warehouse_rows import ArrowRows

    rows = ArrowRows(["id", "value_high", "region"])
    rows.extend([{"id": "a", "value_high": None, "region": None}])
    rows.seal()
    rows.extend([{"id": "b", "value_high": 2.5, "region": "370200"}])
    table = rows.table()
    assert [str(t) for t in table.schema.types] == ["string", "double", "string"]
    assert table.to_pylist() == [
        {"id": "a", "value_high": None, "region": None},
        {"id": "b", "value_high": 2.5, "region": "370200"},
    ]


def test_freed_memory_leaves_the_process():
    """Arrow data come from the C library's allocator, and the heap's free pages go back to the system
    when asked: blocks freed between blocks still in use stay in the process until then."""
    import subprocess
    import sys

    from conftest import ROOT

    from tasks.operations.process_memory import _malloc_trim

    if _malloc_trim() is None:
        pytest.skip("not the GNU C library: no malloc_trim")
    code = """
import ctypes, ctypes.util
import pyarrow as pa
from tasks.operations.process_memory import give_back_freed_memory, use_system_allocator
def rss(): return int(open('/proc/self/statm').read().split()[1]) * 4096 // 2**20
use_system_allocator(); use_system_allocator()
libc = ctypes.CDLL(ctypes.util.find_library('c'))
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
blocks = [libc.malloc(4000) for _ in range(60_000)]  # ~240 MB of heap
for b in blocks: ctypes.memset(b, 1, 4000)
for i, b in enumerate(blocks):
    if i % 16: libc.free(b)  # one block in 16 stays: the heap cannot shrink from its top
held = rss(); give_back_freed_memory()
print(pa.default_memory_pool().backend_name, held - rss())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    backend, released_mb = out.stdout.split()
    assert backend == "system" and int(released_mb) > 150


@pytest.fixture(scope="module")
def inbox_with_a_slow_file(tmp_path_factory):
    """Two reports (≈ 0.05 s each) and a file whose extraction takes half a minute or more (300,000 listed
    figures; at ≈ 9,000 facts a second it reaches its budget long before the 20,000-fact ceiling)."""
    folder = tmp_path_factory.mktemp("slow_inbox")
    for path in sorted(SAMPLES.glob("*.txt"))[:2]:
        shutil.copy(path, folder / path.name)
    (folder / "slow list.txt").write_text("某市总工会\n\n" + "、12家" * 300_000 + "。", encoding="utf-8")
    return folder


@pytest.mark.parametrize("where", ["threads", "process pool", "dask"])
def test_a_file_past_its_time_budget_is_recorded_and_the_run_publishes_the_rest(
    prefect_harness, inbox_with_a_slow_file, dask_cluster, tmp_path, where
):
    from test_publish import rows

    from flows.ingest import ingest_reports
    from tasks.operations.runners import task_runner

    runner = {
        "threads": lambda: task_runner(workers=1),
        "process pool": lambda: task_runner(workers=2),
        "dask": lambda: task_runner(dask_address=dask_cluster.scheduler_address),
    }[where]()
    db = tmp_path / "w.duckdb"
    summary = ingest_reports.with_options(task_runner=runner)(
        inbox=str(inbox_with_a_slow_file), warehouse_path=str(db), batch_size=3, file_budget_s=0.5
    )
    assert (summary.files_new, summary.files_failed) == (2, 1)
    assert summary.failures == [("slow list.txt", "timed out in extract after 0.5 s")]
    assert rows(db, "SELECT status, reason FROM etl_file WHERE file_name = 'slow list.txt'") == [
        ("failed", "timed out in extract after 0.5 s")
    ]
    published = dict(rows(db, "SELECT file_name, count(*) FROM v_observation GROUP BY ALL"))
    assert set(published) == {p.name for p in sorted(SAMPLES.glob("*.txt"))[:2]} and min(published.values()) > 50
