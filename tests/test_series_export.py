"""v_series (one comparable figure per indicator, region, period, measure, unit and status),
v_series_rollup (a parent region's sum where every child reports), and `unionfacts export`
(xlsx, csv, parquet) read back with openpyxl and pyarrow. Real Prefect engine and DuckDB."""

from __future__ import annotations

import duckdb
import pytest

REPORTS = {
    # 新余市 has two child regions in dim_region: 渝水区 and 分宜县
    "yushui.txt": "渝水区总工会2024年工作综述\n\n2024年,渝水区总工会建成职工驿站20家。\n",
    "fenyi.txt": "分宜县总工会2024年工作综述\n\n2024年,分宜县总工会建成职工驿站12家。\n",
    "xinyu.txt": "新余市总工会2024年工作综述\n\n2024年,新余市总工会建成职工驿站35家。\n",
    # the same figure for 新余市 again, stated less specifically (约): v_series keeps the exact one
    "xinyu_news.txt": "新余市总工会工作简讯\n\n2024年,新余市总工会建成职工驿站约34家。\n",
}


@pytest.fixture(scope="module")
def warehouse(prefect_harness, tmp_path_factory):
    from flows.ingest import ingest_reports

    root = tmp_path_factory.mktemp("series")
    inbox = root / "inbox"
    inbox.mkdir()
    for name, text in REPORTS.items():
        (inbox / name).write_text(text, encoding="utf-8")
    db = root / "w.duckdb"
    ingest_reports(inbox=str(inbox), warehouse_path=str(db), html_report=False)
    return db


def _rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_series_has_one_row_per_grain_with_measure_status_and_the_most_specific_figure(warehouse):
    grain = "indicator, region_code, period, measure, unit, status"
    total, distinct = _rows(warehouse, f"SELECT count(*), count(DISTINCT ({grain})) FROM v_series")[0]
    assert total == distinct > 0
    rows = _rows(
        warehouse,
        "SELECT region, measure, status, value, qualifier, reports, reports_agree, file_name FROM v_series "
        "WHERE indicator = 'site_stations' ORDER BY region_code",
    )
    by_region = {r[0]: r[1:] for r in rows}
    assert by_region["新余市"] == ("total", "reported", 35.0, "exact", 2, False, "xinyu.txt")
    assert by_region["新余市渝水区"][2] == 20.0 and by_region["新余市渝水区"][5] is True


def test_a_parent_is_rolled_up_only_when_every_child_reports(warehouse):
    rows = _rows(
        warehouse,
        "SELECT region_code, region, value, children, child_regions, stated_value FROM v_series_rollup "
        "WHERE indicator = 'site_stations'",
    )
    assert rows == [("360500", "新余市", 32.0, 2, "新余市渝水区 | 新余市分宜县", 35.0)]
    # 江西省 has many more children than 新余市: no roll-up of it
    assert _rows(warehouse, "SELECT count(*) FROM v_series_rollup WHERE region_code = '360000'") == [(0,)]


def test_export_writes_a_workbook_with_a_sheet_per_view_and_the_views_row_counts(warehouse, tmp_path):
    import openpyxl

    from unionfacts.cli import main

    out = tmp_path / "x.xlsx"
    assert main(["export", "--out", str(out), "--warehouse", str(warehouse)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:4] == ["series", "observations", "conflicts", "quarantine"]
    views = {
        "series": "v_series",
        "observations": "v_observation",
        "conflicts": "v_conflict",
        "quarantine": "v_quarantine",
    }
    for sheet, view in views.items():
        (count,) = _rows(warehouse, f"SELECT count(*) FROM {view}")[0]
        assert book[sheet].max_row - 1 == count, sheet  # the header row, then one row per view row
        assert book[sheet].freeze_panes == "A2"
    observations = book["observations"]
    header = [c.value for c in observations[1]]
    assert "句子" in header and "数值" in header and "事实键" in header
    value = observations.cell(row=2, column=header.index("数值") + 1)
    assert isinstance(value.value, (int, float)) and value.number_format == "#,##0"
    assert observations.column_dimensions["A"].width >= 6


def test_export_writes_csv_with_a_bom_and_parquet_with_sql_names(warehouse, tmp_path):
    import pyarrow.parquet as pq

    from unionfacts.cli import main

    csv_out, parquet_out = tmp_path / "s.csv", tmp_path / "o.parquet"
    assert main(["export", "--out", str(csv_out), "--warehouse", str(warehouse)]) == 0
    raw = csv_out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "指标代码".encode() in raw[:40]
    (series,) = _rows(warehouse, "SELECT count(*) FROM v_series")[0]
    assert raw.decode("utf-8-sig").count("\n") == series + 1
    assert main(["export", "--out", str(parquet_out), "--view", "observations", "--warehouse", str(warehouse)]) == 0
    table = pq.read_table(parquet_out)
    (observations,) = _rows(warehouse, "SELECT count(*) FROM v_observation")[0]
    assert table.num_rows == observations and "fact_key" in table.schema.names
    assert main(["export", "--out", str(tmp_path / "x.txt"), "--warehouse", str(warehouse)]) == 2
    assert main(["export", "--out", str(csv_out), "--view", "no_such", "--warehouse", str(warehouse)]) == 2
