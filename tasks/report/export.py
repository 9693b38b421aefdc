"""`unionfacts export`: the warehouse's views as files people open — an Excel workbook with a sheet
per view (Chinese column headers from seeds/export_headers.csv, a frozen header row, column widths,
number and date formats), a CSV file (UTF-8 with a BOM, so that Excel reads Chinese) or Parquet.

Rows stream from DuckDB in batches into the file (the workbook in XlsxWriter's constant-memory
mode): no export holds a whole view in memory. View names come from VIEWS only, never from input.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path

import duckdb

from tasks.seeds import read_csv

# sheet / --view name → the view it exports, in the workbook's order
VIEWS = {
    "series": "v_series",
    "observations": "v_observation",
    "conflicts": "v_conflict",
    "quarantine": "v_quarantine",
    "corrections": "v_correction",
    "rollups": "v_series_rollup",
    "documents": "v_document_quality",
}
FORMATS = (".xlsx", ".csv", ".parquet")
BATCH_ROWS = 5_000
EXCEL_MAX_ROWS = 1_048_576  # a sheet's rows, its header included; a longer view continues on "<name> (2)"
EXCEL_MAX_CHARS = 32_767  # characters in one cell
WIDTH_MIN, WIDTH_MAX = 6, 60  # column widths in characters (a Chinese character counts two)


class ExportError(ValueError):
    """An export that cannot be written as asked (an unknown view or format)."""


def view_of(name: str) -> tuple[str, str]:
    """(sheet name, view) of `series` or `v_series`."""
    for sheet, view in VIEWS.items():
        if name in (sheet, view):
            return sheet, view
    raise ExportError(f"no view {name!r} to export; one of {', '.join(VIEWS)}")


def headers() -> dict[str, str]:
    """SQL column name → its Chinese header."""
    return {row["column"]: row["header"] for row in read_csv("export_headers.csv")}


def export(con: duckdb.DuckDBPyConnection, out: Path, views: list[str] | None = None, chinese: bool = True) -> dict:
    """Write `views` (sheet names or view names; all of VIEWS for a workbook, `series` otherwise) to
    `out`, by its suffix. Returns {sheet name: rows written}."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"{out.name}: write .xlsx, .csv or .parquet")
    chosen = (
        [view_of(v) for v in views] if views else (list(VIEWS.items()) if suffix == ".xlsx" else [view_of("series")])
    )
    if suffix != ".xlsx" and len(chosen) > 1:
        raise ExportError(f"a {suffix} file holds one view: give --view")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        return _xlsx(con, out, chosen, headers() if chinese else {})
    sheet, view = chosen[0]
    if suffix == ".csv":
        return {sheet: _csv(con, out, view, headers() if chinese else {})}
    return {sheet: _parquet(con, out, view)}


def _batches(con: duckdb.DuckDBPyConnection, view: str) -> tuple[list[str], list[str], Iterator[list[tuple]]]:
    cursor = con.execute(f"SELECT * FROM {view}")  # `view` is one of VIEWS, never input
    names = [d[0] for d in cursor.description]
    types = [str(d[1]) for d in cursor.description]

    def rows() -> Iterator[list[tuple]]:
        while batch := cursor.fetchmany(BATCH_ROWS):
            yield batch

    return names, types, rows()


def _csv(con: duckdb.DuckDBPyConnection, out: Path, view: str, names_zh: dict[str, str]) -> int:
    names, _, batches = _batches(con, view)
    count = 0
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([names_zh.get(n, n) for n in names])
        for batch in batches:
            writer.writerows([_plain(v) for v in row] for row in batch)
            count += len(batch)
    return count


def _parquet(con: duckdb.DuckDBPyConnection, out: Path, view: str) -> int:
    import pyarrow.parquet as pq

    reader = con.sql(f"SELECT * FROM {view}").to_arrow_reader(BATCH_ROWS)  # `view` is one of VIEWS
    count = 0
    with pq.ParquetWriter(str(out), reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            count += batch.num_rows
    return count


def _xlsx(
    con: duckdb.DuckDBPyConnection, out: Path, chosen: list[tuple[str, str]], names_zh: dict[str, str]
) -> dict[str, int]:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_urls": False})
    try:
        styles = dict(
            header=book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True}),
            integer=book.add_format({"num_format": "#,##0"}),
            decimal=book.add_format({"num_format": "#,##0.0###"}),
            date=book.add_format({"num_format": "yyyy-mm-dd"}),
            timestamp=book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        )
        return {sheet: _sheet(book, styles, con, sheet, view, names_zh) for sheet, view in chosen}
    finally:
        book.close()


def _sheet(book, styles: dict, con: duckdb.DuckDBPyConnection, sheet: str, view: str, names_zh: dict) -> int:
    names, types, batches = _batches(con, view)
    first = next(batches, [])
    part, written, row_no = 1, 0, 0
    ws = _new_sheet(book, styles, sheet, names, types, first, names_zh)
    for batch in _chain(first, batches):
        for row in batch:
            if row_no + 1 >= EXCEL_MAX_ROWS:
                part += 1
                ws = _new_sheet(book, styles, f"{sheet} ({part})", names, types, batch, names_zh)
                row_no = 0
            row_no += 1
            for col, value in enumerate(row):
                _write(ws, styles, row_no, col, value, types[col])
            written += 1
    return written


def _chain(first: list, rest: Iterator[list]) -> Iterator[list]:
    if first:
        yield first
    yield from rest


def _new_sheet(book, styles: dict, name: str, names: list[str], types: list[str], sample: list, names_zh: dict):
    ws = book.add_worksheet(name[:31])
    labels = [names_zh.get(n, n) for n in names]
    for col, label in enumerate(labels):  # widths first: constant-memory sheets are written row by row
        seen = [_display_width(_plain(row[col])) for row in sample[:200]]
        ws.set_column(col, col, max(WIDTH_MIN, min(WIDTH_MAX, max([_display_width(label) + 2, *seen]) + 1)))
    ws.set_row(0, None, styles["header"])
    for col, label in enumerate(labels):
        ws.write_string(0, col, label, styles["header"])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, 0, max(0, len(names) - 1))
    return ws


def _write(ws, styles: dict, row: int, col: int, value, sql_type: str) -> None:
    if value is None or isinstance(value, float) and math.isnan(value):
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, (int, float)) and math.isfinite(value):
        integral = float(value).is_integer()
        ws.write_number(row, col, value, styles["integer" if integral or sql_type == "BIGINT" else "decimal"])
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value.replace(tzinfo=None), styles["timestamp"])
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), styles["date"])
    else:
        ws.write_string(row, col, _plain(value)[:EXCEL_MAX_CHARS])


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def _display_width(text: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text[:120])
