"""A run's rows wait on disk as Parquet files between reading and publishing: validation reads back
only the columns it checks and measures of the long texts, DuckDB loads the rows from the files. The
warehouse must be the same as when every row is held in frames (real Great Expectations, a real
DuckDB file; no Prefect)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import SAMPLES

from tasks import warehouse_rows
from tasks.audit import derived, suites, validate
from tasks.extract import processing
from tasks.publish import warehouse
from tasks.publish.batch_store import BatchStore
from tasks.read import inbox_files

GARBLED = "某市总工会工作报告\n\n" + "\ufffd" * 30 + "某市总工会建成职工书屋12家,职工驿站30家。\n"
OUT_OF_RANGE = "某市总工会工作报告\n\n某市总工会推动百人以上企业建会率达到135%,建成职工书屋12家。\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The samples, a badly decoded report and one with an impossible rate, read in two batches."""
    inbox = tmp_path_factory.mktemp("inbox")
    for path in sorted(SAMPLES.glob("*.txt"))[:3]:
        shutil.copy(path, inbox / path.name)
    (inbox / "garbled.txt").write_text(GARBLED, encoding="utf-8")
    (inbox / "impossible.txt").write_text(OUT_OF_RANGE, encoding="utf-8")
    refs = inbox_files.discover(str(inbox))
    stored = BatchStore(tmp_path_factory.mktemp("store"))
    for n, batch in enumerate([refs[:2], refs[2:]]):
        stored.add(processing.process_batch(batch, "run", datetime(2026, 1, 1)), f"{n:06d}")
    return stored


def test_batches_are_stored_as_parquet_files_in_batch_order(store):
    for table in ("facts", "documents", "articles"):
        paths = store.paths(table)
        assert [Path(p).name for p in paths] == ["000000.parquet", "000001.parquet"], table
    assert store.frame("documents")["file_name"].tolist() == sorted(store.frame("documents")["file_name"])


@pytest.mark.parametrize(
    "table,measures,text",
    [
        ("facts", derived.FACT_TEXT_MEASURES, "sentence"),
        ("documents", derived.DOCUMENT_TEXT_MEASURES, "source_text"),
    ],
)
def test_measures_of_texts_are_read_without_the_texts(store, table, measures, text):
    whole = store.frame(table)
    measured = store.frame(table, measures=measures)
    assert text not in measured and len(measured) == len(whole)
    for name, (_, measure) in measures.items():
        frame = pd.DataFrame(index=whole.index)
        derived._add_text_measures(frame, whole, {name: (text, measure)})  # from the texts themselves
        assert measured[name].tolist() == frame[name].tolist()
    if table == "documents":
        shares = dict(zip(measured["file_name"], measured["undecodable_share"]))
        assert shares["garbled.txt"] > 0.3 and shares["impossible.txt"] == 0


# what differs between two runs of the same files: when they ran
WHEN = {"dim_document": "run_id", "fct_observation": "run_id", "rejected_observation": "run_id, rejected_at"}


def rows_of(db, table: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    exclude = f"EXCLUDE ({WHEN[table]})" if table in WHEN else ""
    try:
        return con.execute(f"SELECT * {exclude} FROM {table} ORDER BY ALL").fetchall()
    finally:
        con.close()


def publish(db, outcome: validate.ValidationOutcome, store: BatchStore, from_files: bool) -> None:
    periods = pd.DataFrame(
        warehouse_rows.period_rows(set(outcome.published["period_id"])),
        columns=["period_id", "start_date", "end_date", "granularity"],
    )
    warehouse.publish(
        db,
        warehouse.RunTables(
            run=dict(run_id="run", started_at=pd.Timestamp("2026-01-01"), status="completed"),
            documents=outcome.documents,
            facts=outcome.published,
            rejected=outcome.rejected,
            periods=periods,
            articles=store.frame("articles"),
            fact_files=store.paths("facts") if from_files else None,
            document_files=store.paths("documents") if from_files else None,
        ),
    )


def test_a_run_loaded_from_its_files_publishes_what_its_frames_publish(store, tmp_path):
    held = validate.validate(store.frame("facts"), store.frame("documents"))
    read_back = validate.validate(
        store.frame("facts", suites.fact_columns(), measures=derived.FACT_TEXT_MEASURES),
        store.frame("documents", measures=derived.DOCUMENT_TEXT_MEASURES),
    )
    publish(tmp_path / "frames.duckdb", held, store, from_files=False)
    publish(tmp_path / "files.duckdb", read_back, store, from_files=True)
    for table in ("dim_document", "fct_observation", "rejected_observation", "dim_article", "dim_period"):
        expected = rows_of(tmp_path / "frames.duckdb", table)
        assert expected and rows_of(tmp_path / "files.duckdb", table) == expected, table
    con = duckdb.connect(str(tmp_path / "files.duckdb"), read_only=True)
    quality = dict(con.execute("SELECT file_name, quality FROM dim_document").fetchall())
    rejected = con.execute(
        "SELECT DISTINCT d.file_name, r.expectation FROM rejected_observation r "
        "JOIN dim_document d USING (document_id) ORDER BY ALL"
    ).fetchall()
    texts = con.execute("SELECT count(*) FROM dim_document WHERE length(source_text) > 0").fetchone()[0]
    con.close()
    assert quality["garbled.txt"] == "rejected" and quality["impossible.txt"] == "passed"
    assert ("garbled.txt", "text_decoded_cleanly") in rejected
    assert ("impossible.txt", "percent_within_0_100") in rejected
    assert texts == 5  # every report's text loaded from its batch file
