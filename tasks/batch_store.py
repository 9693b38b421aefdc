"""Batch results kept on disk while a run reads its files, so the flow's process never holds the
run's rows while it waits for batches (Arrow IPC files in a private scratch folder, read back for
validation). Workers on this machine write their rows there themselves; results from a cluster's
workers are written by the flow as they arrive."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tasks.pipeline import FACT_COLUMNS, BatchResult, ProcessedFile

if TYPE_CHECKING:
    import pandas as pd

TABLES = ("facts", "documents", "articles")


def write_rows(folder: Path, name: str, batch: BatchResult) -> BatchResult:
    """Write a batch's rows (Arrow tables) under `folder`; the batch without them (its file outcomes)."""
    from pyarrow import feather

    for table in TABLES:
        rows = getattr(batch, table)
        if len(rows):
            (folder / table).mkdir(parents=True, exist_ok=True)
            feather.write_feather(rows, folder / table / f"{name}.arrow")
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
        """The Arrow files of a table's rows, in batch order."""
        return [str(p) for p in sorted((self.folder / table).glob("*.arrow"))]

    def frame(self, table: str, columns: list[str] | None = None, lengths: dict[str, str] | None = None
              ) -> "pd.DataFrame":
        """Every stored batch's rows of one table (only `columns`, if given), in batch order. `lengths`
        adds, for each {name: text column}, the texts' lengths in characters (0 for none) without
        loading the texts themselves."""
        import pandas as pd

        lengths = lengths or {}
        paths = self.paths(table)
        if not paths:
            return pd.DataFrame(columns=[*(columns or (FACT_COLUMNS if table == "facts" else [])), *lengths])
        return pd.concat([_with_lengths(pd.read_feather(p, columns=columns), p, lengths) for p in paths],
                         ignore_index=True)


def _with_lengths(frame: "pd.DataFrame", path: str, lengths: dict[str, str]) -> "pd.DataFrame":
    import pyarrow.compute as pc
    from pyarrow import feather

    for name, text in lengths.items():
        column = feather.read_table(path, columns=[text], memory_map=True).column(0)
        frame[name] = pc.fill_null(pc.utf8_length(column), 0).to_numpy().astype("int64")
    return frame
