"""Write–audit–publish: readers are never locked out or shown half a run; a run that fails or is
killed anywhere leaves the published warehouse as it was, and the next run converges; --reprocess
re-extracts from the landing area. Runs are the real flow, in process or through the CLI."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLES

from tasks.operations import failpoints

SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))
FIRST, REST = SAMPLE_FILES[:2], SAMPLE_FILES[2:]


def fill(inbox: Path, files: list[Path]) -> Path:
    inbox.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copy(path, inbox / path.name)
    return inbox


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def state(db: Path) -> dict[str, list[tuple]]:
    """What a reader sees, without run ids and load times."""
    return {
        "documents": rows(db, "SELECT file_name, sha256, version, is_current, quality FROM dim_document ORDER BY ALL"),
        "facts": rows(
            db,
            "SELECT observation_id, text, value, unit, qualifier, subject, indicator_code, region_code, "
            "period_id, warnings FROM fct_observation ORDER BY observation_id",
        ),
        "rejected": rows(db, "SELECT observation_id, expectation FROM rejected_observation ORDER BY ALL"),
        "articles": rows(db, "SELECT document_id, article_no, headline FROM dim_article ORDER BY ALL"),
    }


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.glob(f"{db.name}.*.tmp*"))


def run(inbox: Path, db: Path, **kwargs):
    from flows.ingest import ingest_reports

    return ingest_reports(inbox=str(inbox), warehouse_path=str(db), **kwargs)


@pytest.fixture(scope="module")
def reference(prefect_harness, tmp_path_factory) -> dict:
    """The warehouse of all samples loaded by one clean run: what every recovery must converge to."""
    folder = tmp_path_factory.mktemp("reference")
    db = folder / "w.duckdb"
    run(fill(folder / "inbox", SAMPLE_FILES), db)
    return state(db)


def cli(*args: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "unionfacts.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        **kwargs,
    )


def start_paused_run(inbox: Path, db: Path, point: str, env: dict) -> subprocess.Popen:
    """A CLI run stopped at a failpoint; returns once it is there."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "unionfacts.cli", "run", "--inbox", str(inbox), "--warehouse", str(db)],
        env=dict(env, **{failpoints.ENV: f"{point}:pause"}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    reached = Path(env[failpoints.DIR_ENV]) / f"{point}.reached"
    deadline = time.monotonic() + 240
    while not reached.exists():
        if proc.poll() is not None:
            pytest.fail(f"run ended before {point}: {proc.stderr.read()[-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"run never reached {point}")
        time.sleep(0.1)
    return proc


def test_queries_succeed_while_a_run_is_in_progress(reference, cli_env, tmp_path):
    db = tmp_path / "w.duckdb"
    inbox = fill(tmp_path / "inbox", FIRST)
    run(inbox, db)
    before = rows(db, "SELECT count(*) FROM fct_observation")[0][0]
    fill(inbox, REST)
    proc = start_paused_run(inbox, db, "after_staging", cli_env)  # holds its write connection now
    try:
        answer = cli(
            "query",
            "SELECT count(*) AS facts FROM v_observation",
            "--warehouse",
            str(db),
            "--format",
            "csv",
            env=cli_env,
        )
        assert answer.returncode == 0, answer.stderr
        assert answer.stdout.split() == ["facts", str(before)]
        assert rows(db, "SELECT count(*) FROM fct_observation")[0][0] == before  # any read-only client
    finally:
        (Path(cli_env[failpoints.DIR_ENV]) / "after_staging.release").touch()
        out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert state(db) == reference
    assert leftovers(db) == []


@pytest.mark.parametrize("point", ["before_publish", "after_staging", "before_swap"])
def test_a_failure_anywhere_leaves_the_published_warehouse_as_it_was(reference, tmp_path, monkeypatch, point):
    db = tmp_path / "w.duckdb"
    inbox = fill(tmp_path / "inbox", FIRST)
    run(inbox, db)
    published, before = file_hash(db), state(db)
    fill(inbox, REST)
    monkeypatch.setenv(failpoints.ENV, point)
    with pytest.raises(failpoints.InjectedFailure):
        run(inbox, db)
    assert file_hash(db) == published and state(db) == before
    assert leftovers(db) == []
    monkeypatch.delenv(failpoints.ENV)
    summary = run(inbox, db)
    assert summary.files_new == len(REST) and summary.files_unchanged == len(FIRST)
    assert state(db) == reference


def test_a_killed_run_leaves_the_warehouse_as_it_was_and_the_next_run_converges(reference, cli_env, tmp_path):
    db = tmp_path / "w.duckdb"
    inbox = fill(tmp_path / "inbox", FIRST)
    run(inbox, db)
    published = file_hash(db)
    fill(inbox, REST)
    proc = start_paused_run(inbox, db, "before_swap", cli_env)  # the new warehouse is written, not yet swapped
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert file_hash(db) == published
    assert leftovers(db)  # the dead run's working copy
    run(inbox, db)
    assert leftovers(db) == []
    assert state(db) == reference


def test_reprocess_re_extracts_every_version_from_the_landing_area(reference, tmp_path):
    db = tmp_path / "w.duckdb"
    inbox = fill(tmp_path / "inbox", SAMPLE_FILES)
    (inbox / "notice.txt").write_text("某市总工会通知\n\n某市总工会建成职工书屋12家。\n", encoding="utf-8")
    run(inbox, db)
    (inbox / "notice.txt").write_text("某市总工会通知\n\n某市总工会建成职工书屋15家。\n", encoding="utf-8")
    run(inbox, db)
    expected = state(db)
    con = duckdb.connect(str(db))  # yesterday's rules: different subjects, facts and articles
    con.execute("UPDATE fct_observation SET subject = 'old rules'")
    con.execute("DELETE FROM fct_observation WHERE start_offset % 3 = 0")
    con.execute("DELETE FROM dim_article")
    con.close()
    shutil.rmtree(inbox)  # the raw bytes now exist only in the landing area
    inbox.mkdir()
    summary = run(inbox, db, reprocess=True)
    assert summary.files_reprocessed == len(SAMPLE_FILES) + 2 and summary.files_failed == 0
    assert state(db) == expected
    versions = rows(db, "SELECT version, is_current FROM dim_document WHERE file_name = 'notice.txt' ORDER BY 1")
    assert versions == [(1, False), (2, True)]
    assert rows(db, "SELECT DISTINCT value FROM v_observation WHERE file_name = 'notice.txt'") == [(15,)]
    assert rows(db, "SELECT DISTINCT status FROM etl_file WHERE run_id = ?", [summary.run_id]) == [("reprocessed",)]


def test_a_warehouse_with_staging_tables_of_facts_converges_to_the_same_one(reference, tmp_path):
    """Facts and rejections used to be staged in tables (stg_observation, stg_rejected); they are
    views over the run's stored rows now: a warehouse made before loses the tables and its next run
    publishes the same facts as a clean one."""
    inbox = fill(tmp_path / "inbox", SAMPLE_FILES)
    db = tmp_path / "w.duckdb"
    run(fill(tmp_path / "first", FIRST), db)
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE stg_observation AS SELECT * FROM fct_observation WHERE false")
    con.execute("CREATE TABLE stg_rejected AS SELECT * FROM rejected_observation WHERE false")
    con.close()
    run(inbox, db)
    assert (
        rows(
            db,
            "SELECT table_name FROM information_schema.tables WHERE table_name IN ('stg_observation', 'stg_rejected')",
        )
        == []
    )
    assert state(db) == reference


def test_docs_prints_the_data_docs_of_the_last_run(cli_env, tmp_path):
    db = tmp_path / "w.duckdb"
    assert cli("docs", "--warehouse", str(db), env=cli_env).returncode == 2
    summary = run(fill(tmp_path / "inbox", FIRST), db)
    answer = cli("docs", "--warehouse", str(db), env=cli_env)
    assert answer.returncode == 0
    index = Path(answer.stdout.strip())
    assert index == tmp_path / "data_docs" / "index.html" and str(index) == summary.data_docs
    assert summary.run_id in index.read_text(encoding="utf-8")
    checks = rows(db, "SELECT suite, count(*) FROM etl_check WHERE run_id = ? GROUP BY 1 ORDER BY 1", [summary.run_id])
    assert [s for s, _ in checks] == ["conflicts", "documents", "structure", "units"]


def test_a_failed_cli_run_says_nothing_was_published(cli_env, tmp_path):
    db = tmp_path / "w.duckdb"
    inbox = fill(tmp_path / "inbox", FIRST)
    answer = cli(
        "run", "--inbox", str(inbox), "--warehouse", str(db), env=dict(cli_env, **{failpoints.ENV: "after_staging"})
    )
    assert answer.returncode == 1
    assert "run failed: InjectedFailure" in answer.stderr and "nothing was published" in answer.stderr
    assert "leaked" not in answer.stderr  # no DuckDB object outlives the failed run
    assert not db.exists() and leftovers(db) == []
