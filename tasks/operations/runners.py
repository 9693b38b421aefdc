"""Where a run's batches run: threads, a pool of processes or a Dask cluster, and how many files
each batch holds."""

from __future__ import annotations

import os


def batches(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


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
