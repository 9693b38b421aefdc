"""The run's Prefect artifacts, shown in the UI beside its logs: a table of what became of each file
and the markdown summary (tasks/report/run_summary.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from tasks.report.run_summary import RunSummary, summary_markdown

if TYPE_CHECKING:
    import pandas as pd


def publish(summary: RunSummary, checks: pd.DataFrame, fetched: list, per_file: list[dict]) -> None:
    """The `ingest-files` table and the `ingest-summary` page of the current flow run."""
    create_table_artifact(
        per_file or [{"file": "(no new or changed files)"}],
        key="ingest-files",
        description="What became of each file this run read",
    )
    create_markdown_artifact(
        summary_markdown(summary, checks, fetched),
        key="ingest-summary",
        description="Run summary, validation results, Data Docs, HTML report",
    )
