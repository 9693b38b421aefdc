"""The `ingest-reports` flow: new report files → facts → validated → published in DuckDB.

A pool's worker imports this module too (the flow it serves travels with each batch), so pandas,
DuckDB and Great Expectations are imported where the flow's process uses them, not here: workers
start sooner and hold less.
"""
from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import flow, get_run_logger, task
from prefect.artifacts import (create_markdown_artifact, create_progress_artifact, create_table_artifact,
                               update_progress_artifact)
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from flows.batches import process_batch
from tasks.audit import data_docs
from tasks.operations import failpoints
from tasks.read import http_sources
from tasks.read import landing
from tasks.read import inbox_files
from tasks import warehouse_rows
from tasks.publish.batch_store import BatchStore
from tasks.report.run_summary import RunSummary, fetch_counts, file_results, summary_markdown
from tasks.read.decode import DEFAULT_MAX_BYTES
from tasks.operations.limits import DEFAULT_FILE_BUDGET_S
from tasks.seeds import DEFAULT_WAREHOUSE, SAMPLE_REPORTS_DIR

if TYPE_CHECKING:
    import pandas as pd

    from tasks.audit import validate

    from tasks.publish import warehouse

HTTP_FOLDER = "http"  # fetched files land in <inbox>/http/<host>/<path>


@task(cache_policy=NO_CACHE)
def discover_files(inbox: str) -> list[inbox_files.FileRef]:
    """List the inbox with content hashes."""
    return inbox_files.discover(inbox)


@task(cache_policy=NO_CACHE)
def published_versions(warehouse_path: str) -> set[tuple[str, str]]:
    """(file_name, sha256) pairs already in the warehouse."""
    from tasks.publish import warehouse

    return warehouse.known_versions(warehouse_path)


@task(cache_policy=NO_CACHE)
def landed_documents(warehouse_path: str) -> list[inbox_files.FileRef]:
    """Every published document version, read back from the landing area (for --reprocess)."""
    from tasks.publish import warehouse

    return inbox_files.landed_refs(warehouse.read_frame(warehouse_path, "documents_to_reprocess"),
                                landing.landing_dir(warehouse_path))


@task(cache_policy=NO_CACHE)
def published_facts(warehouse_path: str) -> pd.DataFrame:
    """Facts already published that new ones could contradict."""
    from tasks.publish import warehouse

    return warehouse.read_frame(warehouse_path, "current_facts")


@task(cache_policy=NO_CACHE)
def validate_run(facts: pd.DataFrame, documents: pd.DataFrame, published: pd.DataFrame, run_id: str,
                 docs_dir: str) -> validate.ValidationOutcome:
    """Great Expectations suites on the staged facts and reports; Data Docs of the result, rendered
    on a thread while the flow publishes (outcome.wait_for_data_docs())."""
    from tasks.audit import validate

    return validate.validate(facts, documents, published, run_id=run_id, docs_dir=Path(docs_dir),
                             render_in_background=True)


@task(cache_policy=NO_CACHE)
def fetch_http_sources(sources_file: str, warehouse_path: str, inbox: str) -> list[http_sources.FetchResult]:
    """Download what is new from the HTTP sources into <inbox>/http/."""
    from tasks.publish import warehouse

    frame = warehouse.read_frame(warehouse_path, "fetch_validators")
    known = {row.url: http_sources.Validator(row.etag, row.last_modified, row.sha256, row.found_on)
             for row in frame.itertuples(index=False)} if len(frame) else {}
    return http_sources.fetch_sources(http_sources.load_sources(Path(sources_file)), known,
                                      Path(inbox) / HTTP_FOLDER)


@task(cache_policy=NO_CACHE)
def write_html_report(warehouse_path: str) -> str:
    """The analyst's HTML report of the published warehouse, in report/ beside it."""
    from tasks.report import html_report as report

    return str(report.write_report(warehouse_path))


@task(cache_policy=NO_CACHE)
def publish_run(warehouse_path: str, tables: warehouse.RunTables) -> None:
    """Stage and publish the run in one transaction, then swap it in for readers."""
    from tasks.publish import warehouse

    warehouse.publish(warehouse_path, tables)


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def batch_size_for(files: int, workers: int) -> int:
    """Files per task: about three batches per worker, 4 to 500 files. Each task costs a pool process
    ~0.25 s of Prefect API calls while every core is busy (10 % of a 200-file batch); a batch holds
    only a few MB; three per worker still balance the load.

    >>> batch_size_for(10_000, 2), batch_size_for(2_000, 2), batch_size_for(5, 2), batch_size_for(300, 8)
    (500, 334, 4, 13)
    """
    return max(4, min(500, -(-files // (3 * max(1, workers)))))


def task_runner(workers: int | None = None, dask_address: str | None = None):
    """Where process_batch runs: a Dask cluster, a pool of `workers` processes (all cores by default),
    or threads in the flow's process when workers is 1. The flow itself, validation and the single
    DuckDB writer always run in the flow's process."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=dask_address)
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=1)
    from prefect.task_runners import ProcessPoolTaskRunner

    share_temporary_server()
    return ProcessPoolTaskRunner(max_workers=workers)


def share_temporary_server() -> None:
    """Without a Prefect server, each process of a pool would start a temporary server of its own
    (~250 MB and seconds each): start the flow's one now and name it in the environment the pool's
    processes inherit. Prefect stops it when this process exits. (`unionfacts run` starts its
    temporary server before importing Prefect: unionfacts/temporary_server.py.)"""
    from prefect.settings import PREFECT_API_URL

    if os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value():
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the same instance the flow's client would start
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url


def read_batches(batches: list[list[inbox_files.FileRef]], run_id: str, loaded_at, max_bytes: int,
                 landing_area: str, store: BatchStore, progress, total: int, file_budget_s: float | None,
                 progress_mode: str = "log") -> None:
    """Read the batches into the store as each completes, on a copy of the flow's task runner
    (threads, processes or a Dask cluster) that is shut down before this returns: the pool's
    processes exit before validation starts. The operator sees a progress bar or a progress line every
    run_progress.LOG_EVERY_FILES files (`progress_mode`: run_progress.reporter); files stopped by their
    budget are named."""
    from tasks.report import progress as run_progress

    logger = get_run_logger()
    runner = FlowRunContext.get().task_runner.duplicate()
    local = isinstance(runner, (ProcessPoolTaskRunner, ThreadPoolTaskRunner))  # else a cluster's workers
    with runner, run_progress.reporter(total, logger, progress_mode) as shown:
        futures = {runner.submit(process_batch, dict(
            refs=refs, name=f"{n:06d}", run_id=run_id, loaded_at=loaded_at, max_bytes=max_bytes,
            landing_area=landing_area, store_folder=str(store.folder) if local else None,
            pool_process=isinstance(runner, ProcessPoolTaskRunner), file_budget_s=file_budget_s)): f"{n:06d}"
            for n, refs in enumerate(batches)}
        for future in as_completed(list(futures)):
            batch = future.result()
            store.add(batch, futures.pop(future))
            for p in batch.files:
                if p.error is None:
                    logger.debug("read %s: %d facts (%s, %s, %s)", p.ref.file_name, p.fact_count, p.format,
                                 p.encoding, p.script)
            shown.update(batch.files)
            update_progress_artifact(progress, 80.0 * len(store.files) / total,
                                     description=f"read {len(store.files)} of {total} files")


@flow(name="ingest-reports", log_prints=False)
def ingest_reports(inbox: str = str(SAMPLE_REPORTS_DIR), warehouse_path: str = str(DEFAULT_WAREHOUSE),
                   batch_size: int = 0, max_bytes: int = DEFAULT_MAX_BYTES, reprocess: bool = False,
                   sources: str | None = None, html_report: bool = True,
                   file_budget_s: float = DEFAULT_FILE_BUDGET_S, progress_display: str = "log") -> RunSummary:
    """Ingest the new and changed report files of `inbox` into the warehouse. With `sources` (a
    sources.yaml), first download what is new from those HTTP sources into <inbox>/http/; with
    `reprocess`, also re-extract every published document from the landing area; one publish. With
    `html_report`, the analyst's HTML report beside the warehouse is rewritten after publishing
    (when the run read files, or the report is missing). Each file is read within `file_budget_s`
    seconds (0: no budget); a file past it is recorded as failed ("timed out in <stage> after N s").
    `progress_display`: how reading progress shows, `log` (the run's log), `lines` (also on standard error) or
    `bar` (an interactive terminal)."""
    import pandas as pd  # the flow's process only (see the module's docstring)

    from tasks.report import html_report as report

    from tasks.audit import validate

    from tasks.publish import warehouse
    from tasks.operations.process_memory import give_back_freed_memory, use_system_allocator

    use_system_allocator()  # the run's rows are read back and loaded from files: give their memory back

    logger = get_run_logger()
    run_id = uuid.uuid4().hex[:12]
    started_at = warehouse_rows.utcnow()
    fetched: list[http_sources.FetchResult] = []
    if sources:
        Path(inbox).mkdir(parents=True, exist_ok=True)
        fetched = fetch_http_sources(sources, warehouse_path, inbox)
        for f in fetched:
            if f.status == "failed":
                logger.warning("could not fetch %s after %d attempt(s): %s", f.url, f.attempts, f.reason)
        logger.info("HTTP sources: %s", fetch_counts(fetched))
    if not Path(inbox).is_dir():
        raise FileNotFoundError(f"inbox folder not found: {inbox}")
    refs = discover_files(inbox)
    known = published_versions(warehouse_path)
    known_names = {name for name, _ in known}  # a known name with new content is a changed file
    todo = [r for r in refs if (r.file_name, r.sha256) not in known]
    logger.info("%d files in %s: %d to process, %d unchanged", len(refs), inbox, len(todo), len(refs) - len(todo))
    again: list[inbox_files.FileRef] = []
    if reprocess:
        again = landed_documents(warehouse_path)
        logger.info("reprocessing %d published document versions", len(again))

    landing_area = str(landing.landing_dir(warehouse_path))
    total = len(todo) + len(again)
    if total:
        validate.import_in_background()  # while the files are read (no-op if the caller started it)
    progress = create_progress_artifact(0.0, key="ingest-progress",
                                        description=f"reading {total} files" if total else "nothing new to read")
    size = batch_size or batch_size_for(total, os.cpu_count() or 1)
    now = warehouse_rows.utcnow()
    with tempfile.TemporaryDirectory(prefix=f"unionfacts-{run_id}-") as scratch:
        store = BatchStore(Path(scratch))  # the run's rows, on disk until they are published
        if total:
            read_batches(_batches(todo + again, size), run_id, now, max_bytes, landing_area, store, progress, total,
                         file_budget_s, progress_display)
        processed = sorted(store.files, key=lambda p: (p.ref.file_name, p.ref.document_id or ""))
        failed = [p for p in processed if p.error is not None]
        for p in failed:
            logger.warning("skipped %s: %s", p.ref.file_name, p.error)
        # validation reads the columns it checks and measures of the texts; the texts stay in the files
        # until DuckDB loads them
        facts = store.frame("facts", validate.fact_columns(), measures=validate.FACT_TEXT_MEASURES).astype(
            {"value": "float64", "value_high": "float64"})
        documents = store.frame("documents", measures=validate.DOCUMENT_TEXT_MEASURES)
        outcome = validate_run(facts, documents, published_facts(warehouse_path), run_id,
                               str(data_docs.docs_dir(warehouse_path)))
        staged_facts = len(facts)
        del facts, documents
        give_back_freed_memory()  # what validation and its frames freed (≈ 100 MB at 10,000 reports)
        update_progress_artifact(progress, 90.0, description=f"read {total} files; validated {staged_facts} facts")
        for result in outcome.results:
            if not result.success:
                logger.warning("check %s.%s (%s) failed for %d rows", result.suite, result.name, result.severity,
                               result.unexpected_count)
        periods = pd.DataFrame(warehouse_rows.period_rows(set(outcome.published["period_id"]) if staged_facts else set()),
                               columns=["period_id", "start_date", "end_date", "granularity"])
        files = pd.DataFrame(warehouse_rows.file_rows(run_id, refs, again, processed, known_names, now),
                             columns=warehouse_rows.FILE_COLUMNS)  # an empty inbox has no rows, not no columns
        summary = RunSummary.of(run_id, warehouse_path, files, outcome, [(p.ref.file_name, p.error) for p in failed])
        checks = outcome.check_rows(run_id)
        fetches = pd.DataFrame([dict(vars(f), run_id=run_id, fetched_at=now) for f in fetched]).drop(
            columns=["links"], errors="ignore")
        per_file = file_results(files, outcome.documents, outcome.published, outcome.rejected)
        failpoints.hit("before_publish")
        publish_run(warehouse_path, warehouse.RunTables(
            run=summary.run_row(started_at, warehouse_rows.utcnow(), inbox, reprocess), documents=outcome.documents,
            facts=outcome.published, rejected=outcome.rejected, fact_files=store.paths("facts"),
            document_files=store.paths("documents"), periods=periods,
            articles=store.frame("articles"), files=files, checks=checks, fetches=fetches))
        outcome = outcome.without_rows()  # published: the report's queries get their memory
        give_back_freed_memory()
    if html_report and (total or not report.report_dir(warehouse_path).joinpath("index.html").exists()):
        summary.report = write_html_report(warehouse_path)  # a run that read nothing leaves it as it is
    docs_error = outcome.wait_for_data_docs()
    if docs_error is not None:
        logger.warning("the run is published, but its Data Docs could not be rendered: %s: %s",
                       type(docs_error).__name__, docs_error)
    summary.data_docs = str(outcome.data_docs) if outcome.data_docs else None
    update_progress_artifact(progress, 100.0, description=f"published {summary.facts_published} facts from "
                                                          f"{total} files read")
    create_table_artifact(per_file or [{"file": "(no new or changed files)"}], key="ingest-files",
                          description="What became of each file this run read")
    create_markdown_artifact(summary_markdown(summary, checks, fetched), key="ingest-summary",
                             description="Run summary, validation results, Data Docs, HTML report")
    for line in summary.lines():
        logger.info(line)
    return summary
