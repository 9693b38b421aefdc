"""The DuckDB warehouse: schema from warehouse/*.sql, dimensions from seeds, atomic publishing.

Write–audit–publish: a run's rows are staged and published inside one transaction in a private copy
of the warehouse, which then replaces the published file by an atomic rename. Readers (`unionfacts
query`, any SQL client opening the file read-only) are never locked out by a run and never see half
of one; a crash at any point leaves the published file as it was. One run publishes at a time
(`writer_lock`).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from tasks import fact_schema
from tasks.extract.regions import display_name
from tasks.operations import failpoints
from tasks.seeds import PROJECT_ROOT, indicators, read_csv, units

SQL_DIR = PROJECT_ROOT / "warehouse"


def sql_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.sql"))


def statements(path: Path) -> list[str]:
    """The statements of a .sql file (split on ';' at line ends; comments kept)."""
    text = path.read_text(encoding="utf-8")
    return [s.strip() for s in text.split(";\n") if s.strip() and not _only_comments(s)]


def _only_comments(sql: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in sql.splitlines())


# the writer's DuckDB memory: its default (80 % of RAM) lets the buffer pool grow next to the run's
# frames; it spills what does not fit to a temporary folder beside the file. Readers keep the default.
WRITER_MEMORY_LIMIT = "256MB"


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), config={"memory_limit": WRITER_MEMORY_LIMIT})


def run_sql_folder(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Every statement of the folder's .sql files, in file order."""
    for path in sql_files(folder):
        for sql in statements(path):
            con.execute(sql)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The fact tables from their declaration (tasks/fact_schema.py), then warehouse/*.sql in order."""
    for sql in fact_schema.ddl():
        con.execute(sql)
    run_sql_folder(con, SQL_DIR)


def dimension_frames() -> dict[str, pd.DataFrame]:
    """dim_unit, dim_region and dim_indicator as DataFrames, from seeds/."""
    by_unit: dict[str, dict] = {}
    for u in units().values():
        row = by_unit.setdefault(
            u.unit, dict(unit=u.unit, dimension=u.dimension, is_fact_unit=u.is_fact_unit, surfaces=[])
        )
        row["surfaces"].append(u.surface)
    unit_rows = [dict(r, surfaces="|".join(r["surfaces"])) for r in by_unit.values()]
    region_rows = [dict(r, display_name=display_name(r["region_code"])) for r in read_csv("regions.csv")]
    return {
        "dim_unit": pd.DataFrame(unit_rows, columns=["unit", "dimension", "is_fact_unit", "surfaces"]),
        "dim_region": pd.DataFrame(
            region_rows,
            columns=["region_code", "name", "short_name", "level", "parent_code", "vintage", "display_name"],
        ),
        "dim_indicator": pd.DataFrame(
            [
                dict(
                    indicator_code=i.code,
                    name=i.name,
                    category=i.category,
                    dimensions="|".join(i.dimensions),
                    keywords="|".join(i.keywords),
                    exclude="|".join(i.exclude),
                )
                for i in indicators()
            ],
            columns=["indicator_code", "name", "category", "dimensions", "keywords", "exclude"],
        ),
    }


def refresh_dimensions(con: duckdb.DuckDBPyConnection) -> None:
    for table, frame in dimension_frames().items():
        _stage(con, table, frame)


def known_versions(path: str | Path) -> set[tuple[str, str]]:
    """(file_name, sha256) of every document version already published."""
    return {(f, s) for f, s in read_frame(path, "known_versions").itertuples(index=False)}


def read_frame(path: str | Path, query_name: str) -> pd.DataFrame:
    """The result of warehouse/queries/<query_name>.sql on the published warehouse (empty if none yet)."""
    return read_frames(path, [query_name])[query_name]


def read_frames(
    path: str | Path, query_names: list[str], parameters: dict[str, dict] | None = None
) -> dict[str, pd.DataFrame]:
    """Several queries' results through one read-only connection (the later ones find the data the
    earlier ones read in DuckDB's buffers); `parameters`, a query's named parameters ($name)."""
    if not Path(path).exists():
        return {name: pd.DataFrame() for name in query_names}
    con = connect_reader(path)
    try:
        return {name: _query_frame(con, name, (parameters or {}).get(name)) for name in query_names}
    finally:
        con.close()


def _query_frame(con: duckdb.DuckDBPyConnection, query_name: str, parameters: dict | None = None) -> pd.DataFrame:
    sql = (SQL_DIR / "queries" / f"{query_name}.sql").read_text(encoding="utf-8")
    try:
        return con.execute(sql, parameters).df() if parameters else con.execute(sql).df()
    except duckdb.CatalogException:  # a warehouse older than the tables the query reads
        return pd.DataFrame()


def connect_reader(path: str | Path, wait_seconds: float = 5.0) -> duckdb.DuckDBPyConnection:
    """A read-only connection; waits briefly if some other program holds a write lock on the file."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return connect(path, read_only=True)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _stage(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame | None) -> None:
    """Replace a table's rows with the frame's."""
    con.execute(f"DELETE FROM {table}")  # table names are ours, never user input
    _append(con, table, frame)


def _append(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame | None) -> None:
    if frame is not None and len(frame):
        import pyarrow as pa

        # as Arrow: its texts are handed over as they are (scanning the frame took twice the memory
        # of a report's texts at 10,000 reports)
        con.register("append_frame", pa.Table.from_pandas(frame, preserve_index=False))
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM append_frame")
        con.unregister("append_frame")


@contextmanager
def writer_lock(path: Path, wait_seconds: float = 600.0):
    """One publishing run per warehouse at a time (an advisory lock on `<warehouse>.lock`)."""
    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as fh:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another run has been publishing to {path} for {wait_seconds:.0f} s") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def working_copy(path: Path, run_id: str) -> Path:
    """A private copy of the published warehouse for one run to write into; stale copies of
    crashed runs are removed first (the caller holds the writer lock)."""
    for stale in path.parent.glob(f"{path.name}.*.tmp*"):
        stale.unlink(missing_ok=True)
    work = path.with_name(f"{path.name}.{run_id}.tmp")
    if path.exists():
        if _wal(path).exists():  # written by another program: fold its log in
            con = connect(path)
            con.execute("CHECKPOINT")
            con.close()
        shutil.copyfile(path, work)
    return work


def _wal(path: Path) -> Path:
    """DuckDB's write-ahead log of a database file."""
    return path.with_name(path.name + ".wal")


def swap_in(work: Path, path: Path) -> None:
    """Make the working copy the published warehouse in one atomic rename."""
    if _wal(work).exists():
        raise RuntimeError(f"{work} still has a write-ahead log; not publishing it")
    with open(work, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(work, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


@dataclass
class RunTables:
    """Everything one run writes: staged rows (published by warehouse/publish/*.sql) and its log."""

    run: dict  # the etl_run row
    documents: pd.DataFrame | None = None  # → stg_document (warehouse/staging/005_documents.sql) → dim_document
    facts: pd.DataFrame | None = None  # → stg_observation → fct_observation
    rejected: pd.DataFrame | None = None  # → stg_rejected → rejected_observation
    periods: pd.DataFrame | None = None  # → stg_period → dim_period
    articles: pd.DataFrame | None = None  # → stg_article → dim_article
    files: pd.DataFrame | None = None  # → etl_file
    checks: pd.DataFrame | None = None  # → etl_check
    fetches: pd.DataFrame | None = None  # → etl_fetch
    # the run's fact and document rows as Parquet files (tasks/publish/batch_store.py); `facts`, `rejected`
    # and `documents` then hold only their verdicts (observation_id, has_warning, warnings; the
    # failed checks; document_id, quality, quality_checks), and DuckDB reads the rows' texts from the
    # files (warehouse/staging/*.sql) instead of the flow's memory
    fact_files: list[str] | None = None
    document_files: list[str] | None = None
    # the corrections ledger as read (tasks/corrections/ledger.py), applied after the run's facts are
    # published, and the gate its corrected facts pass (tasks/corrections/apply.py); None: the
    # corrections tables are left as they are
    corrections: pd.DataFrame | None = None
    correction_gate: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame] | None = None

    def staged(self) -> dict[str, pd.DataFrame | None]:
        """The staging tables loaded from frames (the others are staged by warehouse/staging/*.sql from
        run_relations)."""
        return {"stg_period": self.periods, "stg_article": self.articles}

    def logged(self) -> dict[str, pd.DataFrame | None]:
        return {
            "etl_file": self.files,
            "etl_check": self.checks,
            "etl_fetch": self.fetches,
            "etl_run": pd.DataFrame([self.run]),
        }


def publish(path: str | Path, tables: RunTables) -> None:
    """Publish a run: write it into a private copy of the warehouse (staging → publish SQL, one
    transaction), then swap the copy in. Readers see the old warehouse or the new one, never half a
    run; a failure anywhere leaves the published file untouched."""
    path = Path(path).resolve()
    with writer_lock(path):
        work = working_copy(path, tables.run["run_id"])
        try:
            _write_into(work, tables)
            failpoints.hit("before_swap")
            swap_in(work, path)
        except BaseException as exc:
            # the failed frames hold the DuckDB connection; a traceback kept by Prefect would keep it
            # alive until the interpreter exits (and DuckDB's bindings report it as leaked)
            traceback.clear_frames(exc.__traceback__)
            raise
        finally:
            for leftover in (work, _wal(work)):
                leftover.unlink(missing_ok=True)


def _write_into(work: Path, tables: RunTables) -> None:
    """Write the run into the working copy and checkpoint it, so the file is complete on its own."""
    con = connect(work)
    try:
        _write_run(con, tables)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _write_run(con: duckdb.DuckDBPyConnection, tables: RunTables) -> None:
    ensure_schema(con)
    con.execute("BEGIN TRANSACTION")
    try:
        refresh_dimensions(con)
        for table, frame in tables.staged().items():
            _stage(con, table, frame)
        with run_relations(con, tables):
            run_sql_folder(con, SQL_DIR / "staging")
            failpoints.hit("after_staging")
            run_sql_folder(con, SQL_DIR / "publish")  # reads the staged views too
        if tables.corrections is not None:
            from tasks.corrections import apply as corrections

            corrections.apply(con, tables.corrections, tables.correction_gate)
        for table, frame in tables.logged().items():
            _append(con, table, frame)
        for table in STAGING_TABLES:
            con.execute(f"DELETE FROM {table}")  # table names are ours, never user input
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


STAGING_TABLES = ("stg_document", "stg_period", "stg_article")  # emptied once a run is published
VERDICT_COLUMNS = ["observation_id", "has_warning", "warnings"]
REJECTION_COLUMNS = ["observation_id", "expectation", "suite", "observed_value", "rejected_at", "warnings"]
QUALITY_COLUMNS = ["document_id", "quality", "quality_checks"]


@contextmanager
def run_relations(con: duckdb.DuckDBPyConnection, tables: RunTables):
    """The run's rows as the relations warehouse/staging/*.sql reads: fact_rows (every extracted
    fact), fact_verdicts (has_warning, warnings of those published), fact_rejections (the blocking
    checks each quarantined fact failed), document_rows (the reports) and document_verdicts (their
    quality). Rows stored as Parquet files are read by DuckDB itself (only the columns a statement
    reads, a row group at a time)."""
    frames = {
        "fact_verdicts": _columns(tables.facts, VERDICT_COLUMNS),
        "fact_rejections": _columns(tables.rejected, REJECTION_COLUMNS),
        "document_verdicts": _columns(tables.documents, QUALITY_COLUMNS),
    }
    stored = {"fact_rows": tables.fact_files, "document_rows": tables.document_files}
    for name, files in stored.items():
        if files:
            # a temporary view, gone with the transaction if it rolls back, else with the connection;
            # by name: a batch without ranges (or regions …) stores an all-empty column without a type
            con.read_parquet(files, union_by_name=True).create_view(name, replace=True)
    if not tables.fact_files:  # rows in frames (a caller holding them)
        frames["fact_rows"] = _frame_rows(tables)
    if not tables.document_files:
        frames["document_rows"] = (
            _columns(None, ["document_id"])
            if tables.documents is None or not len(tables.documents)
            else tables.documents.drop(columns=QUALITY_COLUMNS[1:], errors="ignore")
        )
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


def _frame_rows(tables: RunTables) -> pd.DataFrame:
    """Every fact of a run given in frames, without verdicts: the published facts and the
    quarantined ones (a fact failing several checks has a rejected row per check)."""
    frames = [
        f[[c for c in fact_schema.COLUMNS if c in f]]
        for f in (tables.facts, tables.rejected)
        if f is not None and len(f)
    ]
    if not frames:
        dtypes = {"DOUBLE": "float64", "INTEGER": "int64"}
        return pd.DataFrame({c.name: pd.Series(dtype=dtypes.get(c.sql_type, "str")) for c in fact_schema.EXTRACTED})
    return pd.concat(frames, ignore_index=True).drop_duplicates("observation_id")


def _columns(frame: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    if frame is None or not len(frame):
        return pd.DataFrame(
            {
                c: pd.Series(dtype="bool" if c == "has_warning" else "datetime64[us]" if c == "rejected_at" else "str")
                for c in columns
            }
        )
    return frame.reindex(columns=columns)  # a caller's frame may leave out optional ones (warnings, quality)


def query(path: str | Path, sql: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
    """Run SQL on the warehouse opened read-only; return column names and rows."""
    con = connect_reader(path)
    try:
        cur = con.execute(sql, params or [])
        columns = [d[0] for d in cur.description] if cur.description else []
        return columns, cur.fetchall() if cur.description else []
    finally:
        con.close()
