"""What a real inbox holds: nothing at all, or damaged, odd and hostile files beside good reports.
Every run exits 0, every bad file has its reason, every good file publishes (real engine, DuckDB, GX)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLES
from test_publish import rows


def cli_run(inbox: Path, db: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "unionfacts.cli",
            "run",
            "--inbox",
            str(inbox),
            "--warehouse",
            str(db),
            "--no-report",
            *extra,
        ],
        env=dict(env, PYTHONPATH=str(ROOT)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_an_empty_inbox_is_a_normal_run_before_and_after_a_warehouse_exists(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    db = tmp_path / "w.duckdb"
    first = cli_run(empty, db)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "nothing new to read: the inbox is empty" in first.stdout
    assert rows(db, "SELECT files_new, files_failed, facts_published, status FROM etl_run") == [(0, 0, 0, "completed")]

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "report.txt").write_bytes(sorted(SAMPLES.glob("*.txt"))[0].read_bytes())
    assert cli_run(inbox, db).returncode == 0
    published = rows(db, "SELECT count(*) FROM fct_observation")[0][0]
    assert published > 0
    again = cli_run(empty, db)
    assert again.returncode == 0, again.stderr[-3000:]
    assert rows(db, "SELECT count(*) FROM fct_observation")[0][0] == published
    unchanged = cli_run(inbox, db)
    assert "nothing new to read (1 files unchanged)" in unchanged.stdout


def write_hostile_files(inbox: Path, outside: Path) -> dict[str, str]:
    """Damaged, odd and hostile files; returns file name → the start of the reason it must fail with
    (files that must publish are not in it)."""
    import codecs
    import io
    import zipfile

    report = sorted(SAMPLES.glob("*.txt"))[0].read_bytes()
    other = sorted(SAMPLES.glob("*.txt"))[1].read_text(encoding="utf-8")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "white space.txt").write_bytes(b" \n\t\r\n  ")
    (inbox / "bom.txt").write_bytes(codecs.BOM_UTF8)
    (inbox / "nul.txt").write_bytes(b"\x00" * 512)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    (inbox / "archive.txt").write_bytes(archive.getvalue())
    (inbox / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    (inbox / "truncated.docx").write_bytes(archive.getvalue()[:30])
    (outside / "secret.txt").write_text("某市总工会\n\n全市新建职工书屋12家。", encoding="utf-8")
    (inbox / "link out.txt").symlink_to(outside / "secret.txt")
    middle = len(report) // 2
    while report[middle] & 0xC0 == 0x80:  # a character boundary
        middle += 1
    (inbox / "damaged report.txt").write_bytes(report[:middle] + b"\xff\xfe\xfd" + report[middle:])
    (inbox / "mostly damaged.txt").write_bytes(
        b"".join(report[i : i + 40] + b"\xff\xfe\xfd\xfc" for i in range(0, len(report), 40))
    )
    (inbox / "utf16 report.txt").write_bytes(other.encode("utf-16-le"))
    (inbox / "nested.html").write_text(
        "<html><body>"
        + "<div>" * 50_000
        + "<p>某市总工会今年新建职工书屋120家。</p>"
        + "</div>" * 50_000
        + "</body></html>",
        encoding="utf-8",
    )
    (inbox / "one sentence.txt").write_text(
        "某市总工会工作报告\n\n" + "全市新建工会驿站120个," * 4000 + "。", encoding="utf-8"
    )
    (inbox / "long number.txt").write_text("某市总工会\n\n全市建成职工书屋" + "9" * 20_000 + "家。", encoding="utf-8")
    (inbox / "fullwidth digits.txt").write_text("某市总工会\n\n" + "１２３４５６７８９０" * 100_000, encoding="utf-8")
    (inbox / "growing.txt").write_bytes(report)
    return {
        "empty.txt": "empty file",
        "white space.txt": "no text: the file holds only whitespace",
        "bom.txt": "no text: the file holds only a byte-order mark",
        "nul.txt": "binary file",
        "archive.txt": "binary file: contains NUL bytes: a ZIP archive",
        "truncated.pdf": "unreadable PDF",
        "truncated.docx": "unreadable DOCX",
        "link out.txt": "symbolic link to a file outside the inbox",
        "growing.txt": "file changed while it was being read",
    }


def test_a_hostile_inbox_records_every_bad_file_and_publishes_every_good_one(tmp_path):
    import threading

    db = tmp_path / "w.duckdb"
    first = tmp_path / "first"
    first.mkdir()
    good = sorted(SAMPLES.glob("*.txt"))
    (first / good[2].name).write_bytes(good[2].read_bytes())
    assert cli_run(first, db).returncode == 0
    before = rows(db, "SELECT * FROM fct_observation ORDER BY observation_id")

    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    inbox.mkdir()
    outside.mkdir()
    (inbox / good[2].name).write_bytes(good[2].read_bytes())  # published already: unchanged
    (inbox / f"sample {good[3].name}").write_bytes(good[3].read_bytes())  # a good report, a name with a space
    must_fail = write_hostile_files(inbox, outside)
    stop = threading.Event()

    def keep_growing():  # a file still being written while the run reads it
        with open(inbox / "growing.txt", "ab") as fh:
            while not stop.wait(0.01):
                fh.write("职工".encode())
                fh.flush()

    writer = threading.Thread(target=keep_growing)
    writer.start()
    try:
        answer = cli_run(inbox, db)
    finally:
        stop.set()
        writer.join()
    assert answer.returncode == 0, answer.stderr[-3000:]
    status = {
        name: (s, reason)
        for name, s, reason in rows(
            db,
            "SELECT file_name, status, reason FROM etl_file WHERE run_id = (SELECT max_by(run_id, started_at) "
            "FROM etl_run)",
        )
    }
    for name, reason in must_fail.items():
        assert status[name][0] == "failed" and status[name][1].startswith(reason), (name, status[name])
    assert status[good[2].name] == ("unchanged", None)
    published = dict(rows(db, "SELECT file_name, count(*) FROM v_observation GROUP BY ALL"))
    for name in (f"sample {good[3].name}", "damaged report.txt", "utf16 report.txt", "nested.html"):
        assert published.get(name, 0) >= 1, name
    assert published["one sentence.txt"] == 4000
    assert "long number.txt" not in published and "fullwidth digits.txt" not in published
    quality = {
        name: (damaged, q, checks)
        for name, damaged, q, checks in rows(
            db, "SELECT file_name, damaged_bytes, quality, quality_checks FROM dim_document"
        )
    }
    assert quality["damaged report.txt"][:2] == (3, "passed")
    assert quality["mostly damaged.txt"][1:] == ("rejected", "text_decoded_cleanly")
    assert rows(db, "SELECT max(abs(value)) FROM fct_observation")[0][0] < 1e15
    assert "link out.txt" not in quality  # the link out of the inbox was never read
    # what was published before is untouched
    assert (
        rows(
            db,
            "SELECT * FROM fct_observation WHERE document_id IN (SELECT document_id FROM dim_document "
            "WHERE file_name = ?) ORDER BY observation_id",
            [good[2].name],
        )
        == before
    )
