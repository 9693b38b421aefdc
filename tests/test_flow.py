"""End to end: the real Prefect flow on the samples into a temporary DuckDB file."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest
from conftest import SAMPLES

from tasks.publish import warehouse

FIXTURES = SAMPLES.parents[1] / "tests" / "fixtures"


def rows(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def ingested(prefect_harness, tmp_path_factory):
    """Samples plus bad files in an inbox, ingested once; yields (inbox, warehouse path, summary)."""
    from flows.ingest import ingest_reports

    inbox = tmp_path_factory.mktemp("inbox")
    for path in SAMPLES.glob("*.txt"):
        shutil.copy(path, inbox / path.name)
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (inbox / "huge.txt").write_text("职工" * 300_000, encoding="utf-8")
    (inbox / "slides.pptx").write_bytes(b"PK\x03\x04")
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    shutil.copy(FIXTURES / "news_page.html", inbox / "news_page.html")
    (inbox / "impossible.txt").write_text(
        "某市总工会工作报告\n\n某市总工会推动百人以上企业建会率达到135%,建成职工书屋12家。\n", encoding="utf-8"
    )
    db = tmp_path_factory.mktemp("wh") / "test.duckdb"
    summary = ingest_reports(inbox=str(inbox), warehouse_path=str(db), max_bytes=1_000_000)
    return inbox, db, summary


def test_facts_are_published_with_their_sentence(ingested):
    _, db, summary = ingested
    assert summary.files_new == 7 and summary.files_failed == 5
    got = rows(
        db,
        "SELECT value, unit, kind, region, region_code, sentence FROM v_observation WHERE file_name = ? AND text = ?",
        ["000_90a44285579183c2.txt", "1.1亿元"],
    )
    assert len(got) == 1
    value, unit, kind, region, code, sentence = got[0]
    assert (value, unit, kind, region, code) == (110000000, "元", "money", "青岛市", "370200")
    assert "返还小微企业工会经费1.1亿元" in sentence
    assert rows(db, "SELECT count(*) FROM fct_observation")[0][0] >= 300


def test_view_has_the_documented_columns(ingested):
    _, db, _ = ingested
    columns = {
        r[0] for r in rows(db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'v_observation'")
    }
    assert {
        "file_name",
        "value",
        "value_high",
        "unit",
        "qualifier",
        "kind",
        "subject",
        "indicator",
        "region",
        "region_code",
        "period",
        "sentence",
    } <= columns


def test_bad_files_are_recorded_with_their_reason(ingested):
    _, db, _ = ingested
    reasons = dict(rows(db, "SELECT file_name, reason FROM etl_file WHERE status = 'failed'"))
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["huge.txt"].startswith("file too large")
    assert reasons["slides.pptx"].startswith("unsupported format")
    assert reasons["broken.pdf"].startswith("unreadable PDF")


def test_documents_record_format_encoding_script_and_title(ingested):
    _, db, _ = ingested
    docs = {r[0]: r[1:] for r in rows(db, "SELECT file_name, format, encoding, script, title FROM dim_document")}
    assert docs["news_page.html"] == ("html", "gb18030", "simplified", "杭州市总工会建成职工驿站860家")
    assert docs["003_6d490b0e5e7f5756.txt"][:3] == ("text", "utf-8", "traditional")
    assert docs["000_90a44285579183c2.txt"][2] == "simplified"
    published = rows(db, "SELECT publisher, published_on::VARCHAR FROM dim_document WHERE file_name = 'news_page.html'")
    assert published == [("浙江工人日报", "2024-10-12")]


def test_facts_keep_the_original_as_the_report_wrote_it(ingested):
    _, db, _ = ingested
    got = rows(
        db,
        "SELECT o.text, o.source_text, o.source_sentence, substr(d.source_text, o.source_start + 1, "
        "o.source_end - o.source_start) FROM fct_observation o JOIN dim_document d USING (document_id) "
        "WHERE d.file_name = '003_6d490b0e5e7f5756.txt' AND o.text = '60多万名'",
    )
    assert got and got[0][:2] == ("60多万名", "60多萬名") and got[0][3] == "60多萬名"
    assert "60多萬名職工" in got[0][2]
    html_facts = rows(db, "SELECT text, source_number FROM v_observation WHERE file_name = 'news_page.html'")
    assert ("1.5亿元", "1.5亿元") in html_facts


def test_impossible_value_is_quarantined_not_published(ingested):
    _, db, _ = ingested
    rejected = rows(db, "SELECT value, expectation FROM rejected_observation")
    assert (135.0, "percent_within_0_100") in rejected
    quarantined = rows(db, "SELECT file_name, suite, observed_value, sentence FROM v_quarantine")
    assert quarantined == [
        ("impossible.txt", "units", "135", "某市总工会推动百人以上企业建会率达到135%,建成职工书屋12家。")
    ]
    assert rows(db, "SELECT count(*) FROM v_observation WHERE value = 135")[0][0] == 0
    assert rows(db, "SELECT count(*) FROM v_observation WHERE file_name = 'impossible.txt' AND value = 12")[0][0] == 1


def test_rerun_publishes_nothing_twice(ingested):
    from flows.ingest import ingest_reports

    inbox, db, _ = ingested
    before = rows(db, "SELECT count(*) FROM fct_observation")[0][0]
    summary = ingest_reports(inbox=str(inbox), warehouse_path=str(db), max_bytes=1_000_000)
    assert summary.files_new == 0 and summary.files_unchanged == 7 and summary.facts_published == 0
    assert rows(db, "SELECT count(*) FROM fct_observation")[0][0] == before


def test_changed_file_becomes_a_new_version_that_supersedes(ingested):
    from flows.ingest import ingest_reports

    inbox, db, _ = ingested
    (inbox / "impossible.txt").write_text("某市总工会工作报告\n\n某市总工会建成职工书屋15家。\n", encoding="utf-8")
    summary = ingest_reports(inbox=str(inbox), warehouse_path=str(db), max_bytes=1_000_000)
    assert summary.files_changed == 1
    versions = rows(
        db, "SELECT version, is_current FROM dim_document WHERE file_name = 'impossible.txt' ORDER BY version"
    )
    assert versions == [(1, False), (2, True)]
    assert [r[0] for r in rows(db, "SELECT value FROM v_observation WHERE file_name = 'impossible.txt'")] == [15]


def test_failed_publish_leaves_the_warehouse_as_it_was(ingested, tmp_path):
    _, db, _ = ingested
    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    before = rows(copy, "SELECT count(*) FROM fct_observation")[0][0]
    facts = pd.DataFrame(
        [
            dict(
                observation_id="x:1",
                document_id="x",
                article_no=1,
                start_offset=1,
                end_offset=2,
                text="1个",
                value=1.0,
                value_high=None,
                unit="个",
                qualifier="exact",
                kind="count",
                subject="s",
                indicator_code="unclassified",
                region_code=None,
                period_id="",
                sentence="1个",
                run_id="crash",
                has_warning=False,
            )
        ]
    )
    broken_files = pd.DataFrame([dict(run_id="crash", no_such_column=1)])
    with pytest.raises(duckdb.Error):
        warehouse.publish(
            copy,
            warehouse.RunTables(
                run=dict(run_id="crash", started_at=pd.Timestamp.now(), status="completed"),
                facts=facts,
                files=broken_files,
            ),
        )
    assert rows(copy, "SELECT count(*) FROM fct_observation")[0][0] == before
    assert rows(copy, "SELECT count(*) FROM etl_run WHERE run_id = 'crash'")[0][0] == 0


def test_articles_of_a_page_are_in_dim_article(ingested):
    _, db, _ = ingested
    articles = rows(
        db,
        "SELECT a.article_no, a.headline, a.dateline, r.name, a.fact_count FROM dim_article a "
        "JOIN dim_document d USING (document_id) LEFT JOIN dim_region r USING (region_code) "
        "WHERE d.file_name = ? ORDER BY a.article_no",
        ["004_ac04eb7e71425712.txt"],
    )
    assert len(articles) == 8
    by_region = {name: (headline, dateline, n) for _, headline, dateline, name, n in articles}
    assert by_region["和平区"][0].startswith("欢送会上送岗位")
    assert by_region["深圳市"][1].startswith("本报讯(记者")
    facts_per_article = dict(
        rows(
            db,
            "SELECT article_no, count(*) FROM v_observation WHERE file_name = ? GROUP BY article_no",
            ["004_ac04eb7e71425712.txt"],
        )
    )
    assert {no: n for no, _, _, _, n in articles if n} == facts_per_article
    headline = rows(
        db,
        "SELECT DISTINCT article_headline FROM v_observation WHERE file_name = ? AND text = ?",
        ["004_ac04eb7e71425712.txt", "1289家"],
    )
    assert headline[0][0].startswith("成都市县两级工会协同联动")


def test_periods_have_dates_and_a_granularity(ingested):
    _, db, _ = ingested
    periods = {
        r[0]: r[1:]
        for r in rows(db, "SELECT period_id, start_date::VARCHAR, end_date::VARCHAR, granularity FROM dim_period")
    }
    assert periods["2024"] == ("2024-01-01", "2024-12-31", "year")
    assert periods["2023-2025"] == ("2023-01-01", "2025-12-31", "years")
    assert periods["每年"] == (None, None, "rate")
    assert periods["2022年下半年"] == ("2022-07-01", "2022-12-31", "half_year")
    anchors = dict(rows(db, "SELECT file_name, period_anchor_source FROM dim_document"))
    assert anchors["000_90a44285579183c2.txt"] == "latest_year_in_text"
    # 六年来 in a report that speaks of 2024 at the latest: since 2018
    since = rows(
        db,
        "SELECT DISTINCT period, period_granularity, period_start::VARCHAR FROM v_observation "
        "WHERE file_name = ? AND text = ?",
        ["001_261caa61fb795d6e.txt", "660.7万人次"],
    )
    assert since == [("2018年以来", "since", "2018-01-01")]


def test_data_docs_failing_to_render_does_not_undo_the_published_run(prefect_harness, tmp_path, monkeypatch, caplog):
    """Data Docs render on a thread while the run publishes: if rendering fails, the checked facts
    stay published, the run says it has no Data Docs and logs why."""
    from flows.ingest import ingest_reports
    from tasks.operations import failpoints

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(sorted(SAMPLES.glob("*.txt"))[0], inbox)
    monkeypatch.setenv(failpoints.ENV, "render_data_docs")
    db = tmp_path / "w.duckdb"
    summary = ingest_reports(inbox=str(inbox), warehouse_path=str(db), html_report=False)
    assert summary.facts_published > 0 and summary.data_docs is None
    assert rows(db, "SELECT count(*) FROM fct_observation")[0][0] == summary.facts_published
    assert not (tmp_path / "data_docs" / "index.html").exists()
    assert any(
        "Data Docs could not be rendered" in r.getMessage() and "render_data_docs" in r.getMessage()
        for r in caplog.records
    )
