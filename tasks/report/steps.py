"""The Prefect task of reporting: a thin wrapper over tasks/report/html_report.py."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE


@task(cache_policy=NO_CACHE)
def write_html_report(warehouse_path: str) -> str:
    """The analyst's HTML report of the published warehouse, in report/ beside it."""
    from tasks.report import html_report

    return str(html_report.write_report(warehouse_path))
