"""The Prefect tasks of the audit: thin wrappers over tasks/audit/validate.py (Great Expectations is
imported inside them, in the flow's process only)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import NO_CACHE

if TYPE_CHECKING:
    import pandas as pd

    from tasks.audit import validate


@task(cache_policy=NO_CACHE)
def published_facts(warehouse_path: str) -> pd.DataFrame:
    """Facts already published that new ones could contradict."""
    from tasks.publish import warehouse

    return warehouse.read_frame(warehouse_path, "current_facts")


@task(cache_policy=NO_CACHE)
def validate_run(
    facts: pd.DataFrame, documents: pd.DataFrame, published: pd.DataFrame, run_id: str, docs_dir: str
) -> validate.ValidationOutcome:
    """Great Expectations suites on the staged facts and reports; Data Docs of the result, rendered
    on a thread while the flow publishes (outcome.wait_for_data_docs())."""
    from tasks.audit import validate

    return validate.validate(
        facts, documents, published, run_id=run_id, docs_dir=Path(docs_dir), render_in_background=True
    )
