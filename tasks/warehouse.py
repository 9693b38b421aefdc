"""The DuckDB warehouse: schema from warehouse/*.sql, dimensions from seeds, atomic publishing.

One process writes at a time (DuckDB's rule); every write of a run happens in `publish`, inside
one transaction: either the whole run is published or nothing changes.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from tasks.seeds import PROJECT_ROOT, indicators, read_csv, regions, units

SQL_DIR = PROJECT_ROOT / "warehouse"
DEFAULT_WAREHOUSE = SQL_DIR / "unionfacts.duckdb"


def sql_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.sql"))


def statements(path: Path) -> list[str]:
    """The statements of a .sql file (split on ';' at line ends; comments kept)."""
    text = path.read_text(encoding="utf-8")
    return [s.strip() for s in text.split(";\n") if s.strip() and not _only_comments(s)]


def _only_comments(sql: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in sql.splitlines())


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for path in sql_files(SQL_DIR):
        for sql in statements(path):
            con.execute(sql)


def dimension_frames() -> dict[str, pd.DataFrame]:
    """dim_unit, dim_region and dim_indicator as DataFrames, from seeds/."""
    by_unit: dict[str, dict] = {}
    for u in units().values():
        row = by_unit.setdefault(u.unit, dict(unit=u.unit, dimension=u.dimension,
                                              is_fact_unit=u.is_fact_unit, surfaces=[]))
        row["surfaces"].append(u.surface)
    unit_rows = [dict(r, surfaces="|".join(r["surfaces"])) for r in by_unit.values()]
    region_rows = read_csv("regions.csv")
    return {
        "dim_unit": pd.DataFrame(unit_rows, columns=["unit", "dimension", "is_fact_unit", "surfaces"]),
        "dim_region": pd.DataFrame(region_rows, columns=["region_code", "name", "short_name", "level",
                                                         "parent_code", "vintage"]),
        "dim_indicator": pd.DataFrame(
            [dict(indicator_code=i.code, name=i.name, category=i.category, dimensions="|".join(i.dimensions),
                  keywords="|".join(i.keywords), exclude="|".join(i.exclude))
             for i in indicators()],
            columns=["indicator_code", "name", "category", "dimensions", "keywords", "exclude"]),
    }


def refresh_dimensions(con: duckdb.DuckDBPyConnection) -> None:
    for table, frame in dimension_frames().items():
        con.register("seed_frame", frame)
        con.execute(f"DELETE FROM {table}")  # table names are ours, never user input
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM seed_frame")
        con.unregister("seed_frame")


def known_versions(path: str | Path) -> set[tuple[str, str]]:
    """(file_name, sha256) of every document version already published."""
    if not Path(path).exists():
        return set()
    con = connect(path, read_only=True)
    try:
        if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'dim_document'"
                           ).fetchone()[0]:
            return set()
        return {(f, s) for f, s in con.execute("SELECT file_name, sha256 FROM dim_document").fetchall()}
    finally:
        con.close()


def next_versions(con: duckdb.DuckDBPyConnection, file_names: list[str]) -> dict[str, int]:
    rows = con.execute("SELECT file_name, max(version) FROM dim_document WHERE file_name IN "
                       "(SELECT unnest(?)) GROUP BY file_name", [file_names]).fetchall()
    latest = dict(rows)
    return {f: latest.get(f, 0) + 1 for f in file_names}


def _stage(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.execute(f"DELETE FROM {table}")
    if len(frame):
        con.register("stage_frame", frame)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM stage_frame")
        con.unregister("stage_frame")


def publish(path: str | Path, run: dict, documents: pd.DataFrame, facts: pd.DataFrame,
            rejected: pd.DataFrame, periods: pd.DataFrame, files: pd.DataFrame,
            articles: pd.DataFrame | None = None) -> None:
    """Stage the run's rows and publish them in one transaction (all or nothing)."""
    con = connect(path)
    try:
        ensure_schema(con)
        con.execute("BEGIN TRANSACTION")
        try:
            refresh_dimensions(con)
            if len(documents):
                versions = next_versions(con, documents["file_name"].tolist())
                documents = documents.assign(version=documents["file_name"].map(versions))
            _stage(con, "stg_document", documents)
            _stage(con, "stg_observation", facts)
            _stage(con, "stg_article", articles if articles is not None else pd.DataFrame())
            con.execute("CREATE OR REPLACE TEMP TABLE stg_period (period_id VARCHAR, start_date DATE, "
                        "end_date DATE, granularity VARCHAR)")
            _stage(con, "stg_period", periods)
            for sql_path in sql_files(SQL_DIR / "publish"):
                for sql in statements(sql_path):
                    con.execute(sql)
            if len(rejected):
                con.register("rejected_frame", rejected)
                con.execute("INSERT INTO rejected_observation BY NAME SELECT * FROM rejected_frame")
            if len(files):
                con.register("files_frame", files)
                con.execute("INSERT INTO etl_file BY NAME SELECT * FROM files_frame")
            con.register("run_frame", pd.DataFrame([run]))
            con.execute("INSERT INTO etl_run BY NAME SELECT * FROM run_frame")
            con.execute("DELETE FROM stg_observation")
            con.execute("DELETE FROM stg_document")
            con.execute("DELETE FROM stg_article")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("CHECKPOINT")
    finally:
        con.close()


def query(path: str | Path, sql: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
    """Run SQL on the warehouse opened read-only; return column names and rows."""
    con = connect(path, read_only=True)
    try:
        cur = con.execute(sql, params or [])
        columns = [d[0] for d in cur.description] if cur.description else []
        return columns, cur.fetchall() if cur.description else []
    finally:
        con.close()
