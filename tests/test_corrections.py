"""Corrections reviewed like code: `unionfacts correct` appends to corrections.csv beside the
warehouse; every publish applies the ledger in SQL, gates the corrected facts with the same Great
Expectations suites, and reports orphans. Real Prefect engine, real DuckDB, real Great Expectations."""

from __future__ import annotations

import csv

import duckdb
import pandas as pd
import pytest

from tasks.corrections import command, ledger
from tasks.report.run_summary import RunSummary, summary_markdown

KEY = "a" * 64


@pytest.mark.parametrize(
    "row, problem",
    [
        (dict(fact_key=f"{KEY}:10-14", field="value", new_value="12"), None),
        (dict(fact_key=f"{KEY}:10-14", field="fact", new_value="removed"), None),
        (dict(fact_key="abc:10-14", field="value", new_value="12"), "malformed fact key"),
        (dict(fact_key=f"{KEY}:14-10", field="value", new_value="12"), "ends before it starts"),
        (dict(fact_key=f"{KEY}:10-14", field="colour", new_value="red"), "unknown field"),
        (dict(fact_key=f"{KEY}:10-14", field="value", new_value="十二"), "is no number"),
        (dict(fact_key=f"{KEY}:10-14", field="fact", new_value="maybe"), "none of removed, added, restored"),
    ],
)
def test_a_ledger_row_that_cannot_be_applied_says_why(tmp_path, row, problem):
    path = tmp_path / "corrections.csv"
    ledger.append(path, [dict(row, reason="r", by="me", at="2026-12-03T09:00:00+00:00")])
    read = ledger.read(path)
    assert len(read) == 1 and int(read.loc[0, "line_no"]) == 2
    if problem is None:
        assert read.loc[0, "problem"] is None
        assert read.loc[0, "sha256"] == KEY and int(read.loc[0, "source_start"]) == 10
    else:
        assert problem in read.loc[0, "problem"]


def test_an_unreadable_ledger_applies_nothing_and_says_why(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_bytes(b"fact_key,field\n\xff\xfe\x00garbage")
    read = ledger.read(path)
    assert len(read) == 1 and "cannot be read" in read.loc[0, "problem"]


def test_the_ledger_is_appended_with_one_header_and_read_in_order(tmp_path):
    path = tmp_path / "corrections.csv"
    for value in ("1", "2"):
        ledger.append(path, [dict(fact_key=f"{KEY}:0-1", field="value", new_value=value, reason='逗号, 和引号"')])
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ledger.COLUMNS and len(rows) == 3
    assert list(ledger.read(path)["new_value"]) == ["1", "2"]
    assert ledger.read(path).loc[1, "reason"] == '逗号, 和引号"'
    assert len(ledger.read(tmp_path / "none.csv")) == 0


@pytest.mark.parametrize(
    "requested, expected",
    [
        ({"value": "1.2万"}, [("value", "2500", "12000")]),
        ({"value": "2500"}, []),  # no change
        ({"region": "青岛市"}, [("region_code", "370100", "370200")]),
        ({"region": "370200", "unit": "人"}, [("unit", "个", "人"), ("region_code", "370100", "370200")]),
        ({"value_high": ""}, []),  # no range to remove
        ({"period": "2023", "measure": "total"}, [("measure", "level", "total"), ("period_id", "2024", "2023")]),
    ],
)
def test_changes_are_what_differs_from_the_published_fact(requested, expected):
    fact = dict(value=2500.0, value_high=None, unit="个", region_code="370100", period_id="2024", measure="level")
    got = command.changes(fact, requested, {"青岛市": "370200"})
    assert [(c.field, c.old_value, c.new_value) for c in got] == expected


def test_a_bad_number_or_region_is_refused_before_anything_is_written():
    with pytest.raises(command.CorrectionError, match="no number"):
        command.changes({}, {"value": "许多"}, {})
    with pytest.raises(command.CorrectionError, match="no region named"):
        command.changes({}, {"region": "不存在市"}, {})


def test_the_summary_reports_corrections_that_were_not_applied():
    summary = RunSummary("r", 0, 0, 1, 0, 0, 0, [], "w.duckdb")
    summary.corrections = [
        (2, f"{KEY}:1-3", "value", "applied", None, "a.txt"),
        (3, f"{KEY}:5-9", "value", "orphaned", None, "a.txt"),
        (4, f"{KEY}:7-9", "unit", "rejected", "unit_known", "a.txt"),
    ]
    lines = summary.lines()
    assert "corrections: 1 applied, 1 orphaned, 1 rejected (v_correction)" in lines
    assert any(
        line.startswith("  orphaned correction (line 3, value)") and "no current report" in line for line in lines
    )
    assert any("fails unit_known" in line for line in lines)
    page = summary_markdown(summary, checks=pd.DataFrame())
    assert "## Corrections" in page and "- orphaned correction (line 3, value)" in page


REPORT_A = (
    "青岛市总工会2024年工作报告\n\n"
    "2024年,青岛市总工会建成职工驿站120家,帮扶困难职工3500人,发放慰问金800万元,新建职工书屋15个。"
    "全市还有几十家企业参加了评选。\n"
)
REPORT_B = "即墨区总工会2024年工作简报\n\n2024年,即墨区总工会培训职工2000人次,举办活动30场。\n"


def _facts(db) -> dict[str, tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT text, fact_key, value, unit, region_code, is_corrected, correction_reason, corrected_by "
            "FROM v_observation"
        ).fetchall()
    finally:
        con.close()
    return {r[0]: r[1:] for r in rows}


def _query(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_corrections_survive_reprocess_and_orphans_and_impossible_ones_are_reported(prefect_harness, tmp_path, capsys):
    from flows.ingest import ingest_reports
    from unionfacts.cli import main

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (inbox / "b.txt").write_text(REPORT_B, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    ingest_reports(inbox=str(inbox), warehouse_path=str(db), html_report=False)
    facts = _facts(db)
    assert {"120家", "3500人", "800万元", "2000人次", "15个"} <= set(facts)
    short = lambda text: facts[text][0][:12] + facts[text][0][64:]

    def correct(*argv) -> int:
        return main(["correct", *argv, "--warehouse", str(db), "--by", "tester"])

    assert correct(short("120家"), "--value", "125", "--reason", "the report's table says 125") == 0
    assert correct(short("3500人"), "--region", "即墨区", "--reason", "the paragraph is about 即墨") == 0
    assert correct(facts["800万元"][0], "--not-a-fact", "--reason", "a budget, not spent") == 0
    assert correct(short("15个"), "--unit", "斤", "--reason", "an impossible unit") == 0
    assert correct(short("2000人次"), "--value", "2100", "--reason", "b's figure, about to go") == 0
    start = REPORT_A.index("几十家")
    assert correct("--add", str(inbox / "a.txt"), "--start", str(start), "--end", str(start + 3),
                   "--value", "40", "--reason", "the annex lists 40") == 0  # fmt: skip
    assert correct(short("120家"), "--reason", "nothing") == 2  # nothing to change: refused
    assert correct("ffffffff:1-2", "--value", "1", "--reason", "no such fact") == 2
    assert "no published fact" in capsys.readouterr().err
    rows = list(csv.DictReader(open(ledger.ledger_path(db), encoding="utf-8")))
    assert [r["field"] for r in rows] == ["value", "region_code", "fact", "unit", "value", "fact", "value", "unit"]
    assert rows[0]["old_value"] == "120" and rows[0]["new_value"] == "125" and rows[0]["by"] == "tester"

    (inbox / "b.txt").write_text(REPORT_B.replace("2000人次", "两千多人次"), encoding="utf-8")  # b's 2000人次 is gone
    summary = ingest_reports(inbox=str(inbox), warehouse_path=str(db), reprocess=True, html_report=False)
    facts = _facts(db)
    # the re-extracted first version of b.txt is superseded by its new version in the same run
    assert _query(db, "SELECT version FROM dim_document WHERE file_name = 'b.txt' AND is_current") == [(2,)]
    assert facts["120家"][1:] == (125.0, "家", "370200", True, "the report's table says 125", "tester")
    assert facts["3500人"][3] == "370215"  # 即墨区
    assert "800万元" not in facts  # removed
    assert facts["15个"][1:4] == (15.0, "个", "370200") and not facts["15个"][4]  # rejected: as extracted
    assert facts["几十家"][1:4] == (40.0, "家", "370200") and facts["几十家"][4]  # added, in its article's region
    assert _query(db, "SELECT value FROM fct_observation WHERE text = '120家'") == [(120.0,)]  # what the extractor said
    statuses = {(r[2], r[3]) for r in summary.corrections}
    assert statuses == {("value", "applied"), ("region_code", "applied"), ("fact", "applied"), ("unit", "rejected"),
                        ("value", "orphaned"), ("unit", "applied")}  # fmt: skip
    assert any("orphaned correction" in line for line in summary.lines())
    assert _query(db, "SELECT origin, expectation, text FROM v_quarantine WHERE origin = 'correction' ORDER BY 2") == [
        ("correction", "unit_fits_indicator", "15个"),
        ("correction", "unit_known", "15个"),
    ]
    assert _query(db, "SELECT status, detail FROM v_correction WHERE field = 'unit' AND new_value = '斤'") == [
        ("rejected", "unit_fits_indicator,unit_known")
    ]
    before = _query(db, "SELECT * FROM v_observation ORDER BY observation_id")
    ingest_reports(inbox=str(inbox), warehouse_path=str(db), html_report=False)  # nothing new: the same warehouse
    assert _query(db, "SELECT * FROM v_observation ORDER BY observation_id") == before


def test_the_report_shows_a_figures_key_and_marks_a_corrected_one():
    from tasks.report.html_report import sources_html

    shown = pd.DataFrame(
        [
            dict(observation_id="o1", indicator="site_stations", indicator_name="职工驿站", region="青岛市",
                 period="2024", value=125.0, unit="家", qualifier="exact", value_high=None, file_name="a.txt",
                 reports=1, sentence="建成职工驿站125家。", text="120家", source_sentence=None,
                 document_script="simplified", fact_key=f"{KEY}:35-39", is_corrected=True,
                 correction_reason="the table says 125", corrected_by="tester"),
            dict(observation_id="o2", indicator="site_stations", indicator_name="职工驿站", region="即墨区",
                 period="2024", value=2.0, unit="处", qualifier="exact", value_high=None, file_name="b.txt",
                 reports=1, sentence="2处", text="2处", source_sentence=None, document_script="simplified",
                 fact_key=f"{KEY}:1-3", is_corrected=False, correction_reason=None, corrected_by=None),
        ]
    )  # fmt: skip
    html = sources_html(shown)
    assert f'<code class="key" title="{KEY}:35-39">{KEY[:12]}:35-39</code>' in html
    assert html.count('class="corrected"') == 1 and "corrected (tester): the table says 125" in html
