"""The Prefect tasks of publishing: thin wrappers over tasks/publish/warehouse.py (DuckDB is imported
inside them, in the flow's process, the warehouse's single writer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import NO_CACHE

if TYPE_CHECKING:
    from tasks.publish import warehouse


@task(cache_policy=NO_CACHE)
def published_versions(warehouse_path: str) -> set[tuple[str, str]]:
    """(file_name, sha256) pairs already in the warehouse."""
    from tasks.publish import warehouse

    return warehouse.known_versions(warehouse_path)


@task(cache_policy=NO_CACHE)
def publish_run(warehouse_path: str, tables: warehouse.RunTables) -> None:
    """Stage and publish the run in one transaction, then swap it in for readers."""
    from tasks.publish import warehouse

    warehouse.publish(warehouse_path, tables)


@task(cache_policy=NO_CACHE)
def correction_results(warehouse_path: str) -> list[tuple]:
    """What became of each row of the corrections ledger at the publish (v_correction)."""
    from tasks.publish import warehouse

    frame = warehouse.read_frame(warehouse_path, "correction_results")
    return [tuple(None if v != v else v for v in row) for row in frame.itertuples(index=False)]
