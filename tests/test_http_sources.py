"""HTTP sources against a real server on 127.0.0.1: direct files and index pages, only what is new,
retries on transient failures only, hosts, sizes and content types enforced, and the whole flow."""

from __future__ import annotations

import pytest
from conftest import SAMPLES
from http_server import Route, Site, serve

from tasks.read import http_sources
from tasks.read.http_sources import Source, Validator

SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))


@pytest.fixture
def site():
    site = Site()
    server, thread = serve(site)
    yield site
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def publish_samples(site: Site) -> None:
    links = "".join(f'<li><a href="/reports/{p.name}">{p.stem}</a></li>' for p in SAMPLE_FILES[:3])
    links += '<li><a href="/reports/flaky.txt">flaky</a></li><li><a href="/reports/gone.txt">gone</a></li>'
    links += '<li><a href="http://localhost:1/reports/elsewhere.txt">another host</a></li>'
    links += '<li><a href="javascript:alert(1)">script</a></li><li><a href="/about">about</a></li>'
    site.routes["/index.html"] = Route(f"<html><body><ul>{links}</ul></body></html>".encode(), "text/html")
    for path in SAMPLE_FILES[:3]:
        site.routes[f"/reports/{path.name}"] = Route(path.read_bytes())
    site.routes["/reports/flaky.txt"] = Route(SAMPLE_FILES[3].read_bytes(), fail_first=1)
    site.routes["/reports/gone.txt"] = Route(status=404)
    site.routes["/direct.txt"] = Route(SAMPLE_FILES[4].read_bytes())


def source(site: Site, **kwargs) -> Source:
    return Source(
        "local",
        urls=(site.url("/direct.txt"),),
        index_pages=(site.url("/index.html"),),
        backoff_seconds=0.01,
        timeout_seconds=5,
        **kwargs,
    )


def known_after(results) -> dict[str, Validator]:
    return {r.url: Validator(r.etag, r.last_modified, r.sha256, r.found_on) for r in results if r.status != "failed"}


def test_index_links_are_followed_and_a_second_fetch_downloads_nothing(site, tmp_path):
    publish_samples(site)
    first = http_sources.fetch_sources([source(site)], {}, tmp_path)
    status = {r.url.rsplit("/", 1)[-1]: r.status for r in first}
    assert status == {
        "index.html": "fetched",
        "direct.txt": "fetched",
        **{p.name: "fetched" for p in SAMPLE_FILES[:3]},
        "flaky.txt": "fetched",
        "gone.txt": "failed",
    }
    assert sorted(p.name for p in (tmp_path / f"127.0.0.1_{site.port}" / "reports").iterdir()) == sorted(
        [p.name for p in SAMPLE_FILES[:3]] + ["flaky.txt"]
    )
    assert (tmp_path / f"127.0.0.1_{site.port}" / "reports" / SAMPLE_FILES[0].name).read_bytes() == SAMPLE_FILES[
        0
    ].read_bytes()
    assert "/about" not in site.requests and not any("elsewhere" in p for p in site.requests)
    sent = sum(site.bodies_sent.values())
    second = http_sources.fetch_sources([source(site)], known_after(first), tmp_path)
    assert sum(site.bodies_sent.values()) == sent  # every answer was a 304
    assert {r.status for r in second if r.url.endswith(("index.html", ".txt")) and "gone" not in r.url} == {
        "not_modified"
    }


def test_transient_failures_are_retried_and_404_is_not(site, tmp_path):
    publish_samples(site)
    results = {r.url.rsplit("/", 1)[-1]: r for r in http_sources.fetch_sources([source(site)], {}, tmp_path)}
    assert (results["flaky.txt"].status, results["flaky.txt"].attempts) == ("fetched", 2)
    assert site.requests["/reports/flaky.txt"] == 2  # 503, then 200
    assert (results["gone.txt"].status, results["gone.txt"].reason, results["gone.txt"].attempts) == (
        "failed",
        "HTTP 404",
        1,
    )
    assert site.requests["/reports/gone.txt"] == 1


def test_a_server_that_stays_down_is_given_up_after_the_retries(site, tmp_path):
    site.routes["/down.txt"] = Route(b"x", fail_first=99)
    down = Source("down", urls=(site.url("/down.txt"),), retries=2, backoff_seconds=0.01)
    [result] = http_sources.fetch_sources([down], {}, tmp_path)
    assert (result.status, result.reason, result.attempts) == ("failed", "HTTP 503", 3)


def test_timeouts_are_transient(site, tmp_path):
    site.routes["/slow.txt"] = Route(b"x", delay_seconds=1.0)
    slow = Source("slow", urls=(site.url("/slow.txt"),), timeout_seconds=0.2, retries=1, backoff_seconds=0.01)
    [result] = http_sources.fetch_sources([slow], {}, tmp_path)
    assert result.status == "failed" and result.reason.startswith("timed out") and result.attempts == 2


@pytest.mark.parametrize(
    "route,reason",
    [
        (Route(b"x" * 5000), "too large: 5000 bytes > limit 1000"),
        (
            Route(b"MZ\x90\x00", content_type="application/x-msdownload"),
            "unexpected content type application/x-msdownload",
        ),
        (
            Route(redirect_to="http://localhost:1/elsewhere.txt"),
            "not fetched: http://localhost:1/elsewhere.txt is not on",
        ),
    ],
)
def test_limits_types_and_hosts_are_enforced(site, tmp_path, route, reason):
    site.routes["/file.txt"] = route
    [result] = http_sources.fetch_sources([Source("s", urls=(site.url("/file.txt"),), max_bytes=1000)], {}, tmp_path)
    assert result.status == "failed" and result.reason.startswith(reason)
    assert not any(tmp_path.rglob("*.txt"))


def test_a_changed_file_is_downloaded_again(site, tmp_path):
    site.routes["/direct.txt"] = Route("某市总工会建成职工书屋12家。".encode())
    direct = Source("s", urls=(site.url("/direct.txt"),))
    first = http_sources.fetch_sources([direct], {}, tmp_path)
    site.routes["/direct.txt"] = Route("某市总工会建成职工书屋15家。".encode())
    [again] = http_sources.fetch_sources([direct], known_after(first), tmp_path)
    assert again.status == "fetched" and "15家" in (tmp_path / again.file_name).read_text(encoding="utf-8")


def test_sources_file_rejects_other_schemes(tmp_path):
    (tmp_path / "s.yaml").write_text("sources:\n  - name: x\n    urls: [file:///etc/passwd]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="only http"):
        http_sources.load_sources(tmp_path / "s.yaml")
    assert http_sources.load_sources() == []  # the shipped example is switched off


def test_the_flow_ingests_http_sources_and_a_second_run_fetches_nothing(prefect_harness, site, tmp_path):
    import duckdb

    from flows.ingest import ingest_reports

    publish_samples(site)
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        f"""sources:
  - name: local
    urls: ["{site.url("/direct.txt")}"]
    index_pages: ["{site.url("/index.html")}"]
    backoff_seconds: 0.01
""",
        encoding="utf-8",
    )
    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    first = ingest_reports(inbox=str(inbox), warehouse_path=str(db), sources=str(sources))
    assert first.files_new == 5 and first.facts_published > 300
    sent = sum(site.bodies_sent.values())
    second = ingest_reports(inbox=str(inbox), warehouse_path=str(db), sources=str(sources))
    assert sum(site.bodies_sent.values()) == sent and second.files_new == 0 and second.facts_published == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        fetches = con.execute(
            "SELECT r.status, count(*) FROM etl_fetch f JOIN etl_run r USING (run_id) "
            "WHERE f.status = 'fetched' GROUP BY ALL"
        ).fetchall()
        gone = con.execute("SELECT DISTINCT reason FROM etl_fetch WHERE url LIKE '%gone.txt'").fetchall()
        files = con.execute("SELECT DISTINCT file_name FROM dim_document ORDER BY 1").fetchall()
    finally:
        con.close()
    assert fetches == [("completed", 6)]  # index + 5 reports, all in the first run
    assert gone == [("HTTP 404",)]
    assert files[0][0].startswith(f"http/127.0.0.1_{site.port}/")
