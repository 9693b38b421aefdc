"""The Prefect task of reading and extraction: a batch of files → their rows, where the batches run
(a pool's processes, a cluster's workers); a thin wrapper over tasks/extract/processing.py.

A worker imports this module to run the task, and the task needs reading and extraction only, not
pandas, DuckDB, Great Expectations or the report (a pool's worker starts ~0.4 s
sooner and holds ~90 MB less). Rows travel as Arrow tables, built without pandas (keep_pandas_out).
"""

from __future__ import annotations

import importlib.abc
import sys
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.extract import processing
from tasks.operations.process_memory import use_system_allocator
from tasks.publish.batch_store import write_rows
from tasks.read import inbox_files


@task(cache_policy=NO_CACHE)
def process_batch(
    refs: list[inbox_files.FileRef],
    name: str,
    run_id: str,
    loaded_at,
    max_bytes: int,
    landing_area: str,
    store_folder: str | None,
    pool_process: bool = False,
    file_budget_s: float | None = None,
) -> processing.BatchResult:
    """Decode, normalize, segment and extract a batch of files into warehouse rows, keeping their
    bytes in the landing area; with a store folder (a worker on the flow's machine), the rows are
    written there and only the files' outcomes are returned. `pool_process`: this runs in a process
    of the flow's own pool (which lives for this run only). Each file within `file_budget_s` seconds
    (tasks/operations/limits.py): one past it is recorded as failed and the batch goes on."""
    if pool_process:  # a process of this run's own pool (not a cluster's worker, which runs other work)
        keep_pandas_out()
        use_system_allocator()
    batch = processing.process_batch(refs, run_id, loaded_at, max_bytes, Path(landing_area), file_budget_s)
    if pool_process:
        _freeze_once()
    return write_rows(Path(store_folder), name, batch) if store_folder else batch


_frozen = False


def _freeze_once() -> None:
    """After a pool process's first batch, what it loaded (modules, jieba's ~350,000-word dictionary,
    the seeds) lives as long as the process: keep it out of the garbage collector's full passes,
    which would otherwise walk it again during every batch and once more when the process exits."""
    global _frozen
    if not _frozen:
        import gc

        gc.freeze()
        _frozen = True


class _PandasStaysOut(importlib.abc.MetaPathFinder):
    """An import of pandas fails: see keep_pandas_out()."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(
                f"{name} is kept out of the run's pool processes (tasks/extract/steps.py)", name=name
            )
        return None


def keep_pandas_out() -> None:
    """pyarrow imports pandas, when it is installed, on a process's first conversion of Python values
    (only to offer conversions to pandas later): ≈ 0.3 s and ≈ 43 MB in each pool process, which
    builds Arrow tables from lists and never converts them to pandas. A process of the run's own pool
    serves this run's batches only: pyarrow is told pandas is not there. (Not for a cluster's
    workers, which run other work too, nor for threads of the flow's process, which uses pandas.)"""
    if "pandas" not in sys.modules and not any(isinstance(f, _PandasStaysOut) for f in sys.meta_path):
        sys.meta_path.insert(0, _PandasStaysOut())
