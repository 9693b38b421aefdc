"""The Prefect tasks of the reading stage: thin wrappers over tasks/read/ (each heavy import inside
the task, so that a pool's worker importing the flow stays light)."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.read import http_sources, inbox_files, landing

HTTP_FOLDER = "http"  # fetched files land in <inbox>/http/<host>/<path>


@task(cache_policy=NO_CACHE)
def discover_files(inbox: str) -> list[inbox_files.FileRef]:
    """List the inbox with content hashes."""
    return inbox_files.discover(inbox)


@task(cache_policy=NO_CACHE)
def landed_documents(warehouse_path: str) -> list[inbox_files.FileRef]:
    """Every published document version, read back from the landing area (for --reprocess)."""
    from tasks.publish import warehouse

    return inbox_files.landed_refs(
        warehouse.read_frame(warehouse_path, "documents_to_reprocess"), landing.landing_dir(warehouse_path)
    )


@task(cache_policy=NO_CACHE)
def fetch_http_sources(sources_file: str, warehouse_path: str, inbox: str) -> list[http_sources.FetchResult]:
    """Download what is new from the HTTP sources into <inbox>/http/."""
    from tasks.publish import warehouse

    frame = warehouse.read_frame(warehouse_path, "fetch_validators")
    known = (
        {
            row.url: http_sources.Validator(row.etag, row.last_modified, row.sha256, row.found_on)
            for row in frame.itertuples(index=False)
        }
        if len(frame)
        else {}
    )
    return http_sources.fetch_sources(http_sources.load_sources(Path(sources_file)), known, Path(inbox) / HTTP_FOLDER)
