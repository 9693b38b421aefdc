"""The `ingest-reports` flow: new report files → facts → validated → published in DuckDB."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from tasks import pipeline, validate, warehouse
from tasks.decode import DEFAULT_MAX_BYTES
from tasks.seeds import SAMPLE_REPORTS_DIR

FACT_COLUMNS = ["observation_id", "document_id", "article_no", "start_offset", "end_offset", "text", "value",
                "value_high", "unit", "qualifier", "kind", "subject", "indicator_code", "region_code",
                "period_id", "sentence", "run_id", "source_start", "source_end", "source_text", "source_sentence"]


@dataclass
class RunSummary:
    run_id: str
    files_new: int
    files_changed: int
    files_unchanged: int
    files_failed: int
    facts_published: int
    facts_quarantined: int
    failures: list[tuple[str, str]]
    warehouse: str

    def lines(self) -> list[str]:
        out = [f"run {self.run_id} → {self.warehouse}",
               f"files: {self.files_new} new, {self.files_changed} changed, {self.files_unchanged} unchanged, "
               f"{self.files_failed} failed",
               f"facts: {self.facts_published} published, {self.facts_quarantined} quarantined"]
        out += [f"  failed {name}: {reason}" for name, reason in self.failures]
        return out


@task(cache_policy=NO_CACHE)
def discover_files(inbox: str) -> list[pipeline.FileRef]:
    """List the inbox with content hashes."""
    return pipeline.discover(inbox)


@task(cache_policy=NO_CACHE)
def published_versions(warehouse_path: str) -> set[tuple[str, str]]:
    """(file_name, sha256) pairs already in the warehouse."""
    return warehouse.known_versions(warehouse_path)


@task(cache_policy=NO_CACHE)
def process_batch(refs: list[pipeline.FileRef], max_bytes: int) -> list[pipeline.ProcessedFile]:
    """Decode, normalize, segment and extract a batch of files."""
    return pipeline.process_batch(refs, max_bytes)


@task(cache_policy=NO_CACHE)
def validate_facts(facts: pd.DataFrame, document_ids: list[str]) -> validate.ValidationOutcome:
    """Great Expectations checks on the staged facts."""
    return validate.validate_facts(facts, document_ids)


@task(cache_policy=NO_CACHE)
def publish_run(warehouse_path: str, run: dict, documents: pd.DataFrame, facts: pd.DataFrame,
                rejected: pd.DataFrame, periods: pd.DataFrame, files: pd.DataFrame, articles: pd.DataFrame) -> None:
    """Stage and publish the run in one transaction."""
    warehouse.publish(warehouse_path, run, documents, facts, rejected, periods, files, articles)


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="ingest-reports", log_prints=False)
def ingest_reports(inbox: str = str(SAMPLE_REPORTS_DIR), warehouse_path: str = str(warehouse.DEFAULT_WAREHOUSE),
                   batch_size: int = 16, max_bytes: int = DEFAULT_MAX_BYTES) -> RunSummary:
    """Ingest the new and changed report files of `inbox` into the warehouse."""
    logger = get_run_logger()
    run_id = uuid.uuid4().hex[:12]
    started_at = pipeline.utcnow()
    if not Path(inbox).is_dir():
        raise FileNotFoundError(f"inbox folder not found: {inbox}")
    refs = discover_files(inbox)
    known = published_versions(warehouse_path)
    known_names = {name for name, _ in known}
    todo = [r for r in refs if (r.file_name, r.sha256) not in known]
    logger.info("%d files in %s: %d to process, %d unchanged", len(refs), inbox, len(todo), len(refs) - len(todo))

    processed: list[pipeline.ProcessedFile] = []
    for future in process_batch.map(_batches(todo, batch_size), max_bytes):
        processed.extend(future.result())

    now = pipeline.utcnow()
    ok = [p for p in processed if p.error is None]
    failed = [p for p in processed if p.error is not None]
    for p in failed:
        logger.warning("skipped %s: %s", p.ref.file_name, p.error)
    facts = pd.DataFrame([row for p in ok for row in pipeline.fact_rows(p, run_id)], columns=FACT_COLUMNS)
    documents = pd.DataFrame([pipeline.document_row(p, run_id, now) for p in ok])
    articles = pd.DataFrame([row for p in ok for row in pipeline.article_rows(p)])
    outcome = validate_facts(facts, [p.document_id for p in ok])
    for result in outcome.results:
        if not result["success"]:
            logger.warning("check %s (%s) failed for %d facts", result["name"], result["severity"],
                           result["unexpected_count"])
    periods = pd.DataFrame(pipeline.period_rows(set(outcome.published["period_id"]) if len(facts) else set()),
                           columns=["period_id", "start_date", "end_date", "granularity"])
    status_of = {p.ref.file_name: ("failed" if p.error else "changed" if p.ref.file_name in known_names else "new")
                 for p in processed}
    files = pd.DataFrame([dict(
        run_id=run_id, file_name=r.file_name, path=r.path, sha256=r.sha256, size_bytes=r.size_bytes,
        status=status_of.get(r.file_name, "unchanged"),
        reason=next((p.error for p in failed if p.ref.file_name == r.file_name), None),
        document_id=pipeline.document_id(r.file_name, r.sha256) if r.sha256 else None, seen_at=now)
        for r in refs])
    summary = RunSummary(
        run_id=run_id,
        files_new=sum(1 for s in status_of.values() if s == "new"),
        files_changed=sum(1 for s in status_of.values() if s == "changed"),
        files_unchanged=len(refs) - len(processed), files_failed=len(failed),
        facts_published=len(outcome.published), facts_quarantined=len(outcome.rejected["observation_id"].unique())
        if len(outcome.rejected) else 0,
        failures=[(p.ref.file_name, p.error) for p in failed], warehouse=warehouse_path)
    run = dict(run_id=run_id, started_at=started_at, finished_at=pipeline.utcnow(), inbox=inbox,
               files_new=summary.files_new + summary.files_changed, files_unchanged=summary.files_unchanged,
               files_failed=summary.files_failed, facts_published=summary.facts_published,
               facts_quarantined=summary.facts_quarantined, status="completed")
    publish_run(warehouse_path, run, documents, outcome.published, outcome.rejected, periods, files, articles)
    for line in summary.lines():
        logger.info(line)
    return summary
