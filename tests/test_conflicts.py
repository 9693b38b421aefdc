"""v_conflict: the same indicator, region and period reported with different values by two reports."""

from __future__ import annotations

import duckdb


def test_two_reports_disagreeing_make_a_conflict(prefect_harness, tmp_path):
    from flows.ingest import ingest_reports

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("青岛工会工作综述\n\n2024年,青岛市总工会建成职工驿站120家。\n", encoding="utf-8")
    (inbox / "b.txt").write_text("青岛工会年报\n\n2024年,青岛市总工会建成职工驿站135家。\n", encoding="utf-8")
    (inbox / "c.txt").write_text("青岛工会简讯\n\n2024年,青岛市总工会建成职工驿站120家。\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    ingest_reports(inbox=str(inbox), warehouse_path=str(db))
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT region_code, period, distinct_values, min_value, max_value, documents, "
            "file_names, statements FROM v_conflict"
        ).fetchall()
    finally:
        con.close()
    assert len(rows) == 1
    code, period, distinct, low, high, documents, files, statements = rows[0]
    assert (code, period, distinct, low, high, documents) == ("370200", "2024", 2, 120, 135, 3)
    assert files == "a.txt | b.txt | c.txt"
    assert "b.txt: 135家 — 2024年,青岛市总工会建成职工驿站135家。" in statements
