"""Batch results kept on disk while a run reads its files, so the flow's process never holds the
run's rows while it waits for batches (Parquet files in a private scratch folder: validation reads
back the columns it checks, DuckDB loads the rows from the files itself). Workers on this machine
write their rows there themselves; results from a cluster's workers are written by the flow as they
arrive.

Parquet, not Arrow IPC: DuckDB reads Parquet natively a row group at a time, while scanning Arrow
files goes through pyarrow's readers, whose batches and read-ahead cost ≈ 3× the memory (loading
540,000 facts: +190 MB against +680 MB)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tasks.extract.processing import BatchResult, ProcessedFile
from tasks.fact_schema import COLUMNS as FACT_COLUMNS

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

TABLES = ("facts", "documents", "articles")
# rows per Parquet row group, the unit a reader decodes at once (≈ 6 MB of facts)
ROW_GROUP_ROWS = 8192


def write_rows(folder: Path, name: str, batch: BatchResult) -> BatchResult:
    """Write a batch's rows (Arrow tables) under `folder`; the batch without them (its file outcomes)."""
    import pyarrow.parquet as pq

    for table in TABLES:
        rows = getattr(batch, table)
        if len(rows):
            (folder / table).mkdir(parents=True, exist_ok=True)
            pq.write_table(rows, folder / table / f"{name}.parquet", row_group_size=ROW_GROUP_ROWS)
    return without_rows(batch)


def without_rows(batch: BatchResult) -> BatchResult:
    import pyarrow as pa

    return replace(batch, facts=pa.table({}), documents=pa.table({}), articles=pa.table({}))


class BatchStore:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.files: list[ProcessedFile] = []

    def add(self, batch: BatchResult, name: str) -> None:
        """Keep a batch's file outcomes, and its rows unless its worker already wrote them."""
        self.files.extend(write_rows(self.folder, name, batch).files)

    def paths(self, table: str) -> list[str]:
        """The Parquet files of a table's rows, in batch order."""
        return [str(p) for p in sorted((self.folder / table).glob("*.parquet"))]

    def frame(
        self, table: str, columns: list[str] | None = None, measures: dict[str, Measure] | None = None
    ) -> "pd.DataFrame":
        """Every stored batch's rows of one table, in batch order: only `columns` if given, else every
        column but the measured texts. `measures` adds, for each {name: (text column, measure)}, a
        measure of the texts (their lengths …) without holding the texts: one batch's column at a time."""
        import pandas as pd
        import pyarrow.parquet as pq

        measures = measures or {}
        paths = self.paths(table)
        if not paths:
            return pd.DataFrame(columns=[*(columns or (FACT_COLUMNS if table == "facts" else [])), *measures])
        if columns is None and measures:
            measured = {text for text, _ in measures.values()}
            columns = [c for c in pq.read_schema(paths[0]).names if c not in measured]
        return pd.concat(
            [_with_measures(pd.read_parquet(p, columns=columns), p, measures) for p in paths], ignore_index=True
        )


# a measure of a text column: an Arrow column of texts → one number per text (NumPy)
Measure = tuple[str, Callable[["pa.ChunkedArray"], "np.ndarray"]]


def _with_measures(frame: "pd.DataFrame", path: str, measures: dict[str, Measure]) -> "pd.DataFrame":
    import pyarrow.parquet as pq

    for name, (text, measure) in measures.items():
        frame[name] = measure(pq.read_table(path, columns=[text]).column(0))
    return frame
