"""Benchmark figures (printed, never asserted) for the audit and publish steps: Great Expectations
validation of N staged facts, and publishing them (working copy → transaction → atomic swap).
The sample facts are repeated under new document ids to reach N. Run with `make bench`."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd

from tasks import warehouse_rows
from tasks.audit import validate
from tasks.extract import processing
from tasks.publish import warehouse
from tasks.read import inbox_files
from tasks.seeds import SAMPLE_REPORTS_DIR
from tasks.warehouse_rows import FACT_COLUMNS


def staged(copies: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    processed = [p for p in map(processing.process_file, inbox_files.discover(SAMPLE_REPORTS_DIR)) if not p.error]
    now = warehouse_rows.utcnow()
    facts, documents = [], []
    for n in range(copies):
        for p in processed:
            doc = dict(
                warehouse_rows.document_row(p, "bench", now),
                document_id=f"{p.document_id[:24]}{n:08d}",
                file_name=f"{n}/{p.ref.file_name}",
            )
            documents.append(doc)
            facts += [
                dict(
                    r,
                    document_id=doc["document_id"],
                    observation_id=warehouse_rows.observation_id(doc["document_id"], r["start_offset"]),
                )
                for r in warehouse_rows.fact_rows(p, "bench")
            ]
    return pd.DataFrame(facts, columns=FACT_COLUMNS), pd.DataFrame(documents)


def main() -> None:
    import great_expectations  # noqa: F401 - import time is not validation time

    for copies in (1, 30, 300):
        facts, documents = staged(copies)
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            outcome = validate.validate(facts, documents, run_id="bench")
            validated = time.perf_counter() - start
            start = time.perf_counter()
            outcome_docs = validate.validate(facts, documents, run_id="bench", docs_dir=Path(folder) / "data_docs")
            with_docs = time.perf_counter() - start
            db = Path(folder) / "w.duckdb"
            run = dict(run_id="bench", started_at=warehouse_rows.utcnow(), status="completed")
            start = time.perf_counter()
            warehouse.publish(
                db,
                warehouse.RunTables(
                    run=run,
                    documents=outcome.documents,
                    facts=outcome.published,
                    rejected=outcome.rejected,
                    periods=pd.DataFrame(warehouse_rows.period_rows(set(outcome.published["period_id"]))),
                    checks=outcome.check_rows("bench"),
                ),
            )
            first = time.perf_counter() - start
            run2 = dict(run, run_id="bench2")
            start = time.perf_counter()
            warehouse.publish(db, warehouse.RunTables(run=run2))
            empty = time.perf_counter() - start
            size = db.stat().st_size / 1e6
        assert len(outcome_docs.published) == len(outcome.published)
        print(
            f"{len(facts):7d} facts  validate {validated:6.2f} s  (+Data Docs {with_docs - validated:5.2f} s)  "
            f"publish {first:5.2f} s  empty run on a {size:6.1f} MB warehouse {empty:5.2f} s"
        )


if __name__ == "__main__":
    main()
