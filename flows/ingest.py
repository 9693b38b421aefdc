"""The `ingest-reports` flow: new report files → facts → validated → published in DuckDB.

Each step is a Prefect task beside the stage it wraps (tasks/<stage>/steps.py); this module only
tells the story. A pool's worker imports this module too (the flow it serves travels with each
batch), so pandas, DuckDB and Great Expectations are imported where the flow's process uses them,
not here: workers start sooner and hold less.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import flow, get_run_logger
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from tasks import warehouse_rows
from tasks.audit import data_docs
from tasks.audit.steps import published_facts, validate_run
from tasks.extract.steps import process_batch
from tasks.operations import failpoints
from tasks.operations.limits import DEFAULT_FILE_BUDGET_S
from tasks.operations.runners import batch_size_for, batches
from tasks.publish.batch_store import BatchStore
from tasks.publish.steps import correction_results, publish_run, published_versions
from tasks.read import http_sources, inbox_files, landing
from tasks.read.decode import DEFAULT_MAX_BYTES
from tasks.read.steps import discover_files, fetch_http_sources, landed_documents
from tasks.report import artifacts
from tasks.report.run_summary import RunSummary, fetch_counts, file_results
from tasks.report.steps import write_html_report
from tasks.seeds import DEFAULT_WAREHOUSE, SAMPLE_REPORTS_DIR

if TYPE_CHECKING:
    from tasks.audit import validate
    from tasks.publish import warehouse


@flow(name="ingest-reports", log_prints=False)
def ingest_reports(
    inbox: str = str(SAMPLE_REPORTS_DIR),
    warehouse_path: str = str(DEFAULT_WAREHOUSE),
    batch_size: int = 0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    reprocess: bool = False,
    sources: str | None = None,
    html_report: bool = True,
    file_budget_s: float = DEFAULT_FILE_BUDGET_S,
    progress_display: str = "log",
) -> RunSummary:
    """Ingest the new and changed report files of `inbox` into the warehouse. With `sources` (a
    sources.yaml), first download what is new from those HTTP sources into <inbox>/http/; with
    `reprocess`, also re-extract every published document from the landing area; one publish. With
    `html_report`, the analyst's HTML report beside the warehouse is rewritten after publishing
    (when the run read files, or the report is missing). Each file is read within `file_budget_s`
    seconds (0: no budget); a file past it is recorded as failed ("timed out in <stage> after N s").
    `progress_display`: how reading progress shows, `log` (the run's log), `lines` (also on standard error) or
    `bar` (an interactive terminal)."""
    from tasks.audit import validate
    from tasks.operations.process_memory import give_back_freed_memory, use_system_allocator
    from tasks.report import html_report as analyst_report

    use_system_allocator()  # the run's rows are read back and loaded from files: give their memory back
    logger = get_run_logger()
    run_id = uuid.uuid4().hex[:12]
    started_at = warehouse_rows.utcnow()
    fetched = fetch_sources(sources, warehouse_path, inbox) if sources else []
    refs, todo, again, known_names = files_to_read(inbox, warehouse_path, reprocess)
    total = len(todo) + len(again)
    if total:
        validate.import_in_background()  # while the files are read (no-op if the caller started it)
    progress = create_progress_artifact(
        0.0, key="ingest-progress", description=f"reading {total} files" if total else "nothing new to read"
    )
    now = warehouse_rows.utcnow()
    with tempfile.TemporaryDirectory(prefix=f"unionfacts-{run_id}-") as scratch:
        store = BatchStore(Path(scratch))  # the run's rows, on disk until they are published
        if total:
            settings = ReadSettings(run_id, now, max_bytes, str(landing.landing_dir(warehouse_path)), file_budget_s)
            size = batch_size or batch_size_for(total, os.cpu_count() or 1)
            read_batches(batches(todo + again, size), settings, store, progress, progress_display)
        processed = sorted(store.files, key=lambda p: (p.ref.file_name, p.ref.document_id or ""))
        failed = [p for p in processed if p.error is not None]
        for p in failed:
            logger.warning("skipped %s: %s", p.ref.file_name, p.error)
        outcome, staged_facts = audit(store, warehouse_path, run_id)
        give_back_freed_memory()  # what validation and its frames freed (≈ 100 MB at 10,000 reports)
        update_progress_artifact(progress, 90.0, description=f"read {total} files; validated {staged_facts} facts")
        files = warehouse_rows.file_frame(run_id, refs, again, processed, known_names, now)
        summary = RunSummary.of(run_id, warehouse_path, files, outcome, [(p.ref.file_name, p.error) for p in failed])
        checks = outcome.check_rows(run_id)
        per_file = file_results(files, outcome.documents, outcome.published, outcome.rejected)
        failpoints.hit("before_publish")
        publish_run(
            warehouse_path,
            run_tables(
                summary, outcome, staged_facts, store, files, checks, fetched, started_at, now, inbox, reprocess
            ),
        )
        summary.corrections = correction_results(warehouse_path)
        outcome = outcome.without_rows()  # published: the report's queries get their memory
        give_back_freed_memory()
    if html_report and (total or not analyst_report.report_dir(warehouse_path).joinpath("index.html").exists()):
        summary.report = write_html_report(warehouse_path)  # a run that read nothing leaves it as it is
    tell(summary, outcome, checks, fetched, per_file, progress, total)
    return summary


def files_to_read(
    inbox: str, warehouse_path: str, reprocess: bool
) -> tuple[list[inbox_files.FileRef], list[inbox_files.FileRef], list[inbox_files.FileRef], set[str]]:
    """The inbox's files, those new or changed, the published documents to read again (with
    `reprocess`), and the names already published (a known name with new content is a changed file)."""
    logger = get_run_logger()
    if not Path(inbox).is_dir():
        raise FileNotFoundError(f"inbox folder not found: {inbox}")
    refs = discover_files(inbox)
    known = published_versions(warehouse_path)
    todo = [r for r in refs if (r.file_name, r.sha256) not in known]
    logger.info("%d files in %s: %d to process, %d unchanged", len(refs), inbox, len(todo), len(refs) - len(todo))
    again: list[inbox_files.FileRef] = []
    if reprocess:
        again = landed_documents(warehouse_path)
        logger.info("reprocessing %d published document versions", len(again))
    return refs, todo, again, {name for name, _ in known}


def tell(summary: RunSummary, outcome, checks, fetched, per_file: list[dict], progress, total: int) -> None:
    """The run told: its Data Docs (rendered while it published), progress done, the artifacts, the log."""
    logger = get_run_logger()
    docs_error = outcome.wait_for_data_docs()
    if docs_error is not None:
        logger.warning(
            "the run is published, but its Data Docs could not be rendered: %s: %s",
            type(docs_error).__name__,
            docs_error,
        )
    summary.data_docs = str(outcome.data_docs) if outcome.data_docs else None
    update_progress_artifact(
        progress, 100.0, description=f"published {summary.facts_published} facts from {total} files read"
    )
    artifacts.publish(summary, checks, fetched, per_file)
    for line in summary.lines():
        logger.info(line)


def fetch_sources(sources: str, warehouse_path: str, inbox: str) -> list[http_sources.FetchResult]:
    """What is new from the HTTP sources, downloaded into <inbox>/http/; failures are logged."""
    logger = get_run_logger()
    Path(inbox).mkdir(parents=True, exist_ok=True)
    fetched = fetch_http_sources(sources, warehouse_path, inbox)
    for f in fetched:
        if f.status == "failed":
            logger.warning("could not fetch %s after %d attempt(s): %s", f.url, f.attempts, f.reason)
    logger.info("HTTP sources: %s", fetch_counts(fetched))
    return fetched


@dataclass(frozen=True)
class ReadSettings:
    """What every batch of a run is read with (the parameters of process_batch besides its files)."""

    run_id: str
    loaded_at: datetime
    max_bytes: int
    landing_area: str
    file_budget_s: float | None


def read_batches(
    batches: list[list[inbox_files.FileRef]],
    settings: ReadSettings,
    store: BatchStore,
    progress,
    progress_mode: str = "log",
) -> None:
    """Read the batches into the store as each completes, on a copy of the flow's task runner
    (threads, processes or a Dask cluster) that is shut down before this returns: the pool's
    processes exit before validation starts. The operator sees a progress bar or a progress line every
    progress.LOG_EVERY_FILES files (`progress_mode`: progress.reporter); files stopped by their
    budget are named."""
    from tasks.report import progress as run_progress

    logger = get_run_logger()
    runner = FlowRunContext.get().task_runner.duplicate()
    local = isinstance(runner, (ProcessPoolTaskRunner, ThreadPoolTaskRunner))  # else a cluster's workers
    total = sum(len(refs) for refs in batches)
    with runner, run_progress.reporter(total, logger, progress_mode) as shown:
        futures = {
            runner.submit(
                process_batch,
                dict(
                    vars(settings),
                    refs=refs,
                    name=f"{n:06d}",
                    store_folder=str(store.folder) if local else None,
                    pool_process=isinstance(runner, ProcessPoolTaskRunner),
                ),
            ): f"{n:06d}"
            for n, refs in enumerate(batches)
        }
        for future in as_completed(list(futures)):
            batch = future.result()
            store.add(batch, futures.pop(future))
            for p in batch.files:
                if p.error is None:
                    logger.debug(
                        "read %s: %d facts (%s, %s, %s)", p.ref.file_name, p.fact_count, p.format, p.encoding, p.script
                    )
            shown.update(batch.files)
            update_progress_artifact(
                progress, 80.0 * len(store.files) / total, description=f"read {len(store.files)} of {total} files"
            )


def audit(store: BatchStore, warehouse_path: str, run_id: str) -> tuple[validate.ValidationOutcome, int]:
    """The run's staged rows through the Great Expectations gate, and how many facts were staged. Validation reads the columns it
    checks and measures of the texts; the texts stay in the files until DuckDB loads them."""
    from tasks.audit import derived, suites

    facts = store.frame("facts", suites.fact_columns(), measures=derived.FACT_TEXT_MEASURES).astype(
        {"value": "float64", "value_high": "float64"}
    )
    documents = store.frame("documents", measures=derived.DOCUMENT_TEXT_MEASURES)
    outcome = validate_run(
        facts, documents, published_facts(warehouse_path), run_id, str(data_docs.docs_dir(warehouse_path))
    )
    staged_facts = len(facts)
    del facts, documents
    logger = get_run_logger()
    for result in outcome.results:
        if not result.success:
            logger.warning(
                "check %s.%s (%s) failed for %d rows",
                result.suite,
                result.name,
                result.severity,
                result.unexpected_count,
            )
    return outcome, staged_facts


def run_tables(
    summary: RunSummary,
    outcome: validate.ValidationOutcome,
    staged_facts: int,
    store: BatchStore,
    files,
    checks,
    fetched,
    started_at,
    now,
    inbox: str,
    reprocess: bool,
) -> warehouse.RunTables:
    """Everything the run publishes, in one transaction."""
    import pandas as pd

    from tasks.publish import warehouse

    periods = pd.DataFrame(
        warehouse_rows.period_rows(set(outcome.published["period_id"]) if staged_facts else set()),
        columns=warehouse_rows.PERIOD_COLUMNS,
    )
    fetches = pd.DataFrame([dict(vars(f), run_id=summary.run_id, fetched_at=now) for f in fetched]).drop(
        columns=["links"], errors="ignore"
    )
    from tasks.audit import validate
    from tasks.corrections import ledger

    return warehouse.RunTables(
        run=summary.run_row(started_at, warehouse_rows.utcnow(), inbox, reprocess),
        corrections=ledger.read(ledger.ledger_path(summary.warehouse)),
        correction_gate=validate.check_corrected,
        documents=outcome.documents,
        facts=outcome.published,
        rejected=outcome.rejected,
        fact_files=store.paths("facts"),
        document_files=store.paths("documents"),
        periods=periods,
        articles=store.frame("articles"),
        files=files,
        checks=checks,
        fetches=fetches,
    )
