"""Applying the corrections ledger at publish, inside the run's transaction (tasks/publish/warehouse.py):
the ledger is reloaded, the corrected facts are built in SQL (warehouse/corrections/010, 020), completed
here (a new unit gives a new kind, a new value new bounds), and sent through the same gate as extracted
facts; those failing a blocking check are quarantined in rejected_correction, and 030 records what
became of each corrected fact. The gate comes from the caller (the flow passes Great Expectations'),
so that publishing does not import the audit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from tasks import fact_schema, warehouse_rows
from tasks.extract.bounds import bounds
from tasks.extract.kinds import QUANTITY_DIMENSIONS
from tasks.seeds import PROJECT_ROOT, unit_dimensions

SQL = PROJECT_ROOT / "warehouse" / "corrections"
# (corrected facts, their documents) → one row per (fact, blocking check it fails): observation_id,
# expectation, suite, observed_value
Gate = Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame]
VALUE_FIELDS = frozenset({"value", "value_high", "qualifier"})
REJECTION_COLUMNS = ["observation_id", "expectation", "suite", "observed_value"]


def apply(con: duckdb.DuckDBPyConnection, ledger: pd.DataFrame, gate: Gate | None) -> None:
    """Rebuild fact_correction, fct_corrected_observation, rejected_correction and correction_outcome."""
    con.register("correction_rows", ledger)
    try:
        _run(con, SQL / "010_ledger.sql")
    finally:
        con.unregister("correction_rows")
    _run(con, SQL / "020_corrected.sql")
    corrected = con.execute("SELECT * FROM fct_corrected_observation").df()
    con.execute("DELETE FROM rejected_correction")
    if len(corrected):
        corrected = complete(corrected)
        _replace(con, "fct_corrected_observation", corrected)
        _add_periods(con, set(corrected["period_id"].dropna()))
        live = corrected[corrected["fact_change"].fillna("") != "removed"]
        rejected = _gate(con, live, gate)
        if len(rejected):
            quarantined = live.merge(rejected, on="observation_id")
            quarantined["rejected_at"] = datetime.now(UTC).replace(tzinfo=None)
            _insert(con, "rejected_correction", quarantined)
            con.register("rejected_ids", rejected[["observation_id"]].drop_duplicates())
            con.execute(
                "DELETE FROM fct_corrected_observation WHERE observation_id IN (SELECT observation_id FROM rejected_ids)"
            )
            con.unregister("rejected_ids")
    _run(con, SQL / "030_outcome.sql")


def complete(corrected: pd.DataFrame) -> pd.DataFrame:
    """What follows from a correction: the kind of a new unit, the bounds of a new value or qualifier
    (tasks/extract/bounds.py); an added figure gets both."""
    corrected = corrected.copy()
    fields = corrected["corrected_fields"].map(lambda f: set(f) if f is not None else set())
    added = corrected["fact_change"].fillna("") == "added"
    new_unit = added | fields.map(lambda f: "unit" in f)
    dimensions = unit_dimensions()
    corrected.loc[new_unit, "kind"] = corrected.loc[new_unit, "unit"].map(
        lambda u: QUANTITY_DIMENSIONS.get(dimensions.get(u, ""), "count")
    )
    new_value = added | fields.map(lambda f: bool(f & VALUE_FIELDS))
    for i in corrected.index[new_value]:
        row = corrected.loc[i]
        high = None if pd.isna(row["value_high"]) else float(row["value_high"])
        value = None if pd.isna(row["value"]) else float(row["value"])
        low_bound, high_bound = bounds(str(row["text"]), value, high, str(row["qualifier"]))
        corrected.loc[i, "value_min"], corrected.loc[i, "value_max"] = low_bound, high_bound
    return corrected


def _gate(con: duckdb.DuckDBPyConnection, live: pd.DataFrame, gate: Gate | None) -> pd.DataFrame:
    if gate is None or not len(live):
        return pd.DataFrame(columns=REJECTION_COLUMNS)
    con.register("corrected_documents", live[["document_id"]].drop_duplicates())
    documents = con.execute(
        "SELECT d.document_id, d.file_name, d.published_on, d.numbers_seen FROM dim_document d "
        "JOIN corrected_documents USING (document_id)"
    ).df()
    con.unregister("corrected_documents")
    # as the run's documents have it: a date or None (DuckDB hands DATE columns over as timestamps)
    documents["published_on"] = documents["published_on"].map(lambda d: d.date() if pd.notna(d) else None)
    facts = live[[c for c in fact_schema.COLUMNS if c in live.columns]].reset_index(drop=True)
    return gate(facts, documents).reindex(columns=REJECTION_COLUMNS)


def _add_periods(con: duckdb.DuckDBPyConnection, labels: set[str]) -> None:
    known = {r[0] for r in con.execute("SELECT period_id FROM dim_period").fetchall()}
    rows = warehouse_rows.period_rows(labels - known)
    if rows:
        _insert(con, "dim_period", pd.DataFrame(rows, columns=warehouse_rows.PERIOD_COLUMNS))


def _replace(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.execute(f"DELETE FROM {table}")  # our table names, never input
    _insert(con, table, frame)


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.register("correction_frame", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM correction_frame")  # our table names
    finally:
        con.unregister("correction_frame")


def _run(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    from tasks.publish.warehouse import statements

    for sql in statements(path):
        con.execute(sql)
