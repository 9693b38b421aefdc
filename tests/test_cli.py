"""The unionfacts command as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT, SAMPLES


def cli(*args, input=None):
    return subprocess.run(
        [sys.executable, "-m", "unionfacts.cli", *args],
        capture_output=True,
        text=True,
        input=input,
        cwd=ROOT,
        timeout=120,
    )


def test_numbers_reads_each_line_on_its_own():
    res = cli("numbers", "--lines", input="储备9000余名工匠人才\n2024年9月,第十四次\n返还1.1亿元\n")
    spans = [json.loads(line) for line in res.stdout.splitlines()]
    assert res.returncode == 0
    assert [(s["line"], s["value"], s["unit"], s["kind"]) for s in spans if s["kind"] in ("count", "money")] == [
        (1, 9000, "人", "count"),
        (3, 110000000, "元", "money"),
    ]
    assert {s["kind"] for s in spans if s["line"] == 2} <= {"year", "date", "ordinal"}
    assert set(spans[0]) >= {"text", "start", "end", "value", "value_high", "unit", "qualifier", "kind"}


def test_numbers_give_quantities_their_bounds():
    res = cli("numbers", "储备9000余名工匠人才,几十家企业,超3000人次,2024年")
    spans = {s["text"]: s for s in map(json.loads, res.stdout.splitlines())}
    assert (spans["9000余名"]["value_min"], spans["9000余名"]["value_max"]) == (9000, 10000)
    assert (spans["几十家"]["value_min"], spans["几十家"]["value_max"]) == (10, 100)
    assert (spans["超3000人次"]["value_min"], spans["超3000人次"]["value_max"]) == (3000, None)
    assert "value_min" not in spans["2024年"]  # a year is no quantity


def test_extract_prints_facts_with_their_fields():
    res = cli("extract", str(SAMPLES / "002_5d2c108e6f589c16.txt"))
    facts = [json.loads(line) for line in res.stdout.splitlines()]
    assert res.returncode == 0 and len(facts) >= 30
    assert set(facts[0]) >= {
        "doc",
        "text",
        "value",
        "value_high",
        "unit",
        "qualifier",
        "kind",
        "region",
        "subject",
        "period",
        "region_code",
        "indicator",
        "sentence",
        "start",
        "end",
    }


def test_extract_reports_an_unreadable_file_and_goes_on(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    res = cli("extract", str(empty), str(SAMPLES / "002_5d2c108e6f589c16.txt"))
    assert res.returncode == 1 and "empty file" in res.stderr
    assert len(res.stdout.splitlines()) >= 30


def test_light_commands_do_not_import_prefect_or_great_expectations():
    code = (
        "import sys; from unionfacts import cli; cli.main(['numbers', '3个']); "
        "assert 'prefect' not in sys.modules and 'great_expectations' not in sys.modules, 'heavy import'"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr


EXIT_PROMPTLY = """
import atexit, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unionfacts.cli import exit_promptly

out = Path(sys.argv[1])
atexit.register(lambda: (out / "exit handler").write_text("ran"))
threading.Thread(target=lambda: (time.sleep(0.3), (out / "thread").write_text("finished"))).start()
ThreadPoolExecutor(1).submit(time.sleep, 0.1)  # a pool nobody shut down: the exit must not wait on it forever


class Teardown:
    def __del__(self):
        (out / "teardown").write_text("the interpreter freed its objects")


kept = Teardown()
sys.stdout.write("summary without a newline")
exit_promptly(3)
"""


def test_the_command_exits_as_the_interpreter_would_without_its_teardown(tmp_path):
    """After a run, the interpreter's teardown (freeing every object) costs a second or more: the
    command skips it, but not what an exit does — threads joined, exit handlers, streams flushed."""
    res = subprocess.run(
        [sys.executable, "-c", EXIT_PROMPTLY, str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert (res.returncode, res.stdout) == (3, "summary without a newline"), res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exit handler", "thread"]


@pytest.mark.parametrize("temporary", [True, False], ids=["temporary server", "configured server"])
def test_runs_send_heartbeats_only_to_a_server_that_outlives_the_command(prefect_harness, temporary):
    """A run waits at its end for its heartbeat thread (up to a second); the command's temporary
    server, gone with the command, needs no heartbeats."""
    from prefect import flow
    from prefect.settings import get_current_settings

    from unionfacts.cli import _heartbeats_unless_temporary

    @flow
    def heartbeat_interval():
        return get_current_settings().flows.heartbeat_frequency

    with _heartbeats_unless_temporary(object() if temporary else None):
        interval = heartbeat_interval()
    assert (interval is None) == temporary


@pytest.fixture
def small_warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE t AS SELECT 1 AS n, '青岛市' AS region")
    con.close()
    return db


@pytest.mark.parametrize("fmt, expected", [("csv", "n,region\n1,青岛市\n"), ("json", '{"n": 1, "region": "青岛市"}\n')])
def test_query_formats(small_warehouse, fmt, expected):
    res = cli("query", "SELECT * FROM t", "--warehouse", str(small_warehouse), "--format", fmt)
    assert res.returncode == 0 and res.stdout == expected


def test_query_opens_the_warehouse_read_only(small_warehouse):
    res = cli("query", "INSERT INTO t VALUES (2, 'x')", "--warehouse", str(small_warehouse))
    assert res.returncode == 1 and "read-only" in res.stderr.lower()
    con = duckdb.connect(str(small_warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    con.close()
