"""What a real inbox holds: nothing at all, or damaged, odd and hostile files beside good reports.
Every run exits 0, every bad file has its reason, every good file publishes (real engine, DuckDB, GX)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from conftest import ROOT, SAMPLES


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def cli_run(inbox: Path, db: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    return subprocess.run([sys.executable, "-m", "unionfacts.cli", "run", "--inbox", str(inbox), "--warehouse",
                           str(db), "--no-report", *extra], env=dict(env, PYTHONPATH=str(ROOT)), cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def test_an_empty_inbox_is_a_normal_run_before_and_after_a_warehouse_exists(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    db = tmp_path / "w.duckdb"
    first = cli_run(empty, db)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "nothing new to read: the inbox is empty" in first.stdout
    assert rows(db, "SELECT files_new, files_failed, facts_published, status FROM etl_run") == [(0, 0, 0, "completed")]

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "report.txt").write_bytes(sorted(SAMPLES.glob("*.txt"))[0].read_bytes())
    assert cli_run(inbox, db).returncode == 0
    published = rows(db, "SELECT count(*) FROM fct_observation")[0][0]
    assert published > 0
    again = cli_run(empty, db)
    assert again.returncode == 0, again.stderr[-3000:]
    assert rows(db, "SELECT count(*) FROM fct_observation")[0][0] == published
    unchanged = cli_run(inbox, db)
    assert "nothing new to read (1 files unchanged)" in unchanged.stdout
