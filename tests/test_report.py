"""The analyst's view: curated views, and the self-contained HTML report (`unionfacts report`)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import ROOT, SAMPLES

from tasks.report import html_report as report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "tests" / "screenshots"
EXTERNAL = re.compile(r"<script|<link|<iframe|<img|\bsrc=|url\(|https?://|//[a-z0-9.-]+\.[a-z]{2,}/", re.I)
STATIONS_2023 = "2023年，青岛市职工驿站总数达到{n}家，服务职工20万人次。"


def rows(db: Path, sql: str, params=None) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).df().to_dict("records")
    finally:
        con.close()


@pytest.fixture(scope="module")
def samples_run(prefect_harness, tmp_path_factory):
    """The samples ingested by the flow (which writes the report beside the warehouse)."""
    from flows.ingest import ingest_reports

    db = tmp_path_factory.mktemp("samples") / "w.duckdb"
    summary = ingest_reports(inbox=str(SAMPLES), warehouse_path=str(db))
    return db, summary


@pytest.fixture(scope="module")
def two_reports(prefect_harness, tmp_path_factory):
    """Two reports give Qingdao's 2023 station count; the later-published one sorts first by name."""
    from flows.ingest import ingest_reports

    inbox = tmp_path_factory.mktemp("two")
    (inbox / "a_early.txt").write_text(
        f"青岛职工驿站建设综述\n2024年01月05日 来源：工人日报\n{STATIONS_2023.format(n=1000)}\n", encoding="utf-8"
    )
    (inbox / "z_late.txt").write_text(
        f"青岛工会年度报告\n2024年06月01日 来源：青岛日报\n{STATIONS_2023.format(n=1200)}\n", encoding="utf-8"
    )
    db = tmp_path_factory.mktemp("two_db") / "w.duckdb"
    ingest_reports(inbox=str(inbox), warehouse_path=str(db), html_report=False)
    return db


def test_latest_value_per_indicator_region_period_comes_from_the_latest_report(two_reports):
    got = rows(two_reports, "SELECT * FROM v_indicator_region_period WHERE indicator = 'site_stations'")
    assert len(got) == 1
    row = got[0]
    assert (row["region"], row["period"], row["unit"], row["value"]) == ("青岛市", "2023", "家", 1200.0)
    assert row["file_name"] == "z_late.txt" and str(row["published_on"])[:10] == "2024-06-01"
    assert row["reports"] == 2 and row["distinct_values"] == 2 and row["has_conflict"]
    assert "1200家" in row["sentence"] and row["source_number"] == "1200家"
    agreed = rows(two_reports, "SELECT * FROM v_indicator_region_period WHERE indicator = 'service_people_served'")
    assert [(r["reports"], r["has_conflict"]) for r in agreed] == [(2, False)]


def test_conflict_view_names_both_reports(two_reports):
    got = rows(two_reports, "SELECT * FROM v_conflict WHERE indicator = 'site_stations'")
    assert len(got) == 1 and got[0]["file_names"] == "a_early.txt | z_late.txt"
    assert (got[0]["min_value"], got[0]["max_value"]) == (1000.0, 1200.0)


def test_document_quality_counts_what_each_report_became(samples_run):
    db, summary = samples_run
    quality = rows(db, "SELECT * FROM v_document_quality ORDER BY file_name")
    assert [r["file_name"] for r in quality] == sorted(p.name for p in SAMPLES.glob("*.txt"))
    counted = {
        r["file_name"]: r
        for r in rows(
            db,
            """
        SELECT d.file_name, count(*) AS facts, count(*) FILTER (WHERE o.indicator_code = 'unclassified') AS unclassified
        FROM fct_observation o JOIN dim_document d USING (document_id) GROUP BY ALL""",
        )
    }
    for r in quality:
        assert r["facts_published"] == counted[r["file_name"]]["facts"]
        assert r["facts_unclassified"] == counted[r["file_name"]]["unclassified"]
        assert r["facts_quarantined"] == 0 and r["numbers_seen"] >= r["facts_published"]
        assert 0 < r["published_share"] <= 1
    assert sum(r["facts_published"] for r in quality) == summary.facts_published


def test_the_run_writes_the_report_and_its_summary_links_it(samples_run):
    from tasks.report.run_summary import summary_markdown

    db, summary = samples_run
    page = Path(summary.report)
    assert page == report.report_dir(db) / "index.html" and page.is_file()
    assert f"report: {page}" in summary.lines()
    assert page.as_uri() in summary_markdown(summary, pd.DataFrame(columns=["suite"]))


def test_report_command_writes_a_self_contained_page_without_prefect(samples_run, tmp_path):
    db, _ = samples_run
    out = tmp_path / "out"
    code = (
        "import sys; from unionfacts import cli; sys.exit(cli.main(['report', '--warehouse', sys.argv[1], "
        "'--out', sys.argv[2]]) or ('prefect' in sys.modules or 'great_expectations' in sys.modules))"
    )
    res = subprocess.run([sys.executable, "-c", code, str(db), str(out)], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == str(out / "index.html")
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count('<svg class="chart"') >= 3
    assert not EXTERNAL.search(html), EXTERNAL.search(html).group()
    assert "346" in html  # facts published, in the totals


def test_every_charted_figure_links_to_its_report_and_sentence(samples_run):
    db, _ = samples_run
    html = Path(report.report_dir(db) / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'<a href="#(f-[^"]+)"', html))
    anchors = set(re.findall(r'<tr id="(f-[^"]+)"', html))
    assert links and links == anchors
    for anchor in list(links)[:10]:
        row = re.search(rf'<tr id="{re.escape(anchor)}">(.*?)</tr>', html, re.S).group(1)
        assert re.search(r"\d{3}_[0-9a-f]+\.txt", row) and "<mark>" in row


def test_the_traditional_report_shows_its_original_sentence(samples_run):
    db, _ = samples_run
    html = Path(report.report_dir(db) / "index.html").read_text(encoding="utf-8")
    originals = re.findall(r'<div class="original" lang="zh-Hant">原文：(.*?)</div>', html)
    assert originals and any("萬" in o or "會" in o for o in originals)


def test_texts_from_reports_are_escaped():
    evil = "<script>alert(1)</script>"
    series = pd.DataFrame(
        [
            dict(
                indicator="site_stations",
                indicator_name="职工驿站",
                unit="家",
                measure="level",
                region=f"青岛{evil}",
                region_code="370200",
                period="2023",
                period_end=pd.Timestamp("2023-12-31"),
                period_granularity="year",
                value=1200.0,
                value_high=None,
                qualifier="exact",
                text="1200家",
                file_name=f"{evil}.txt",
                document_script="traditional",
                sentence=f"职工驿站{evil}达到1200家",
                source_sentence=f"職工驛站{evil}",
                reports=1,
                observation_id='x:1"><img src=x>',
            )
        ]
    )
    html = report.render(
        report.ReportData({"reports": 1}, series, pd.DataFrame(), pd.DataFrame(), "w.duckdb"), datetime(2026, 1, 1)
    )
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert '<tr id="f-x-1-img-src-x-">' in html


@pytest.mark.parametrize(
    "value,unit,qualifier,high,shown",
    [
        (110000000, "元", "exact", None, "1.1亿元"),
        (1289, "家", "exact", None, "1289家"),
        (125000, "人", "more_than", None, "超12.5万人"),
        (96.5, "%", "exact", None, "96.5%"),
        (200, "元", "approx", 500, "约200–500元"),
        (3000, "人", "at_least", None, "≥3000人"),
        (2.5, "个百分点", "exact", None, "2.5个百分点"),
    ],
)
def test_figures_are_written_as_readers_write_them(value, unit, qualifier, high, shown):
    assert report.format_value(value, unit, qualifier, high) == shown


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")
def test_the_report_renders_in_headless_chromium_offline(samples_run):
    from playwright.sync_api import sync_playwright

    db, _ = samples_run
    page_path = report.report_dir(db) / "index.html"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_path.as_uri())
            charts = page.locator("svg.chart")
            assert charts.count() >= 3 and charts.first.bounding_box()["height"] > 50
            assert page.locator(".total b").first.inner_text() == "5"  # reports
            page.screenshot(path=str(SCREENSHOTS / "report.png"))
            page.locator("svg.chart a").first.click()  # a bar leads to its sentence
            assert page.evaluate("location.hash").startswith("#f-")
            assert page.locator("tr:target mark").count() == 1
            page.screenshot(path=str(SCREENSHOTS / "report-source.png"))
        finally:
            browser.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests


def test_regions_stating_several_periods_get_a_chart_over_time():
    figures = [
        ("青岛市", "370200", "2022", 900.0),
        ("青岛市", "370200", "2023", 1000.0),
        ("青岛市", "370200", "2024", 1289.0),
        ("济南市", "370100", "2023", 800.0),
        ("济南市", "370100", "2024", 950.0),
        ("烟台市", "370600", "2024", 300.0),
    ]
    series = pd.DataFrame(
        [
            dict(
                indicator="site_stations",
                indicator_name="职工驿站",
                unit="家",
                measure="level",
                region=region,
                region_code=code,
                period=period,
                period_end=pd.Timestamp(f"{period}-12-31"),
                period_granularity="year",
                value=value,
                value_high=None,
                qualifier="exact",
                observation_id=f"{code}:{period}",
            )
            for region, code, period, value in figures
        ]
    )
    html, drawn = report.indicator_html("site_stations", "家", series)
    assert html.count("<polyline") == 2  # 青岛 and 济南 state several years; 烟台 one
    assert re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="middle" font-size="12">(\d{4})</text>', html) == [
        "2022",
        "2023",
        "2024",
    ]
    bars = re.findall(r"<title>([^<]+)</title><text", html)
    assert bars == ["青岛市: 1289家 2024", "济南市: 950家 2024", "烟台市: 300家 2024"]  # latest, largest first
    assert set(drawn["observation_id"]) == {f"{c}:{p}" for _, c, p, _ in figures}


def test_a_per_head_amount_and_a_total_never_share_a_chart():
    rows = [
        dict(indicator="funds", unit="元", measure=measure, region_code=code, observation_id=f"{code}:{measure}")
        for code in ("370200", "370100")
        for measure in ("total", "average")
    ]
    groups = report.main_indicators(pd.DataFrame(rows))
    assert [set(frame["measure"]) for _, _, frame in groups] == [{"average"}, {"total"}]


@pytest.mark.parametrize(
    "measure, granularities, drawn",
    [
        ("total", ["year", "year", "since", "half_year"], ["year", "year"]),  # a year's total beside a year's
        ("average", ["rate", "rate", "year"], ["rate", "rate"]),  # the kind most figures have
        ("total", ["since", "year"], ["year"]),  # a tie: a year
        ("level", ["year", "as_of", "since"], ["year", "as_of", "since"]),  # a level stands at a date
    ],
)
def test_a_chart_compares_figures_of_one_kind_of_period(measure, granularities, drawn):
    frame = pd.DataFrame(
        [dict(measure=measure, period_granularity=g, observation_id=str(n)) for n, g in enumerate(granularities)]
    )
    assert list(report.one_kind_of_period(frame)["period_granularity"]) == drawn
