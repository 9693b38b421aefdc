"""What the operator sees while a run reads: progress lines every N files (or a bar on a terminal),
and the files stopped by their time budget named as they happen."""

from __future__ import annotations

import logging

from tasks.extract.processing import ProcessedFile
from tasks.read.inbox_files import FileRef
from tasks.report.progress import ProgressBar, ProgressLog, ReadProgress, reporter


def files(n: int, facts: int = 3, error: str | None = None) -> list[ProcessedFile]:
    return [ProcessedFile(FileRef(f"/in/{i}.txt", f"{i}.txt", "h", 1), fact_count=facts, error=error) for i in range(n)]


def test_progress_lines_come_every_n_files_and_at_the_end(caplog):
    log = ProgressLog(ReadProgress(total=250), logging.getLogger("t"), every=100)
    with caplog.at_level(logging.INFO, logger="t"):
        for batch in (files(60), files(60), files(60, error="empty file"), files(70)):
            log.update(batch)
    lines = [r.getMessage() for r in caplog.records]
    assert [line.split(" files")[0] for line in lines] == ["read 120 of 250", "read 250 of 250"]
    assert "(100 %), 570 facts, 60 failed" in lines[-1] and "left" not in lines[-1]
    assert "about" in lines[0] and "left" in lines[0]


def test_files_stopped_by_their_budget_are_named(caplog):
    log = ProgressLog(ReadProgress(total=3), logging.getLogger("t"), every=100)
    slow = files(1, error="timed out in extract after 60 s")
    with caplog.at_level(logging.INFO, logger="t"):
        log.update(files(2) + slow)
    assert "stopped 0.txt: timed out in extract after 60 s" in [r.getMessage() for r in caplog.records]


def test_the_modes(capsys):
    assert type(reporter(10, logging.getLogger("t"), "bar")) is ProgressBar
    lines = reporter(2, logging.getLogger("t"), "lines")
    lines.update(files(2))
    assert capsys.readouterr().err.startswith("read 2 of 2 files (100 %), 6 facts, 0 failed")
    quiet = reporter(2, logging.getLogger("t"), "log")
    quiet.update(files(2))
    assert capsys.readouterr().err == ""


def test_the_bar_counts_what_was_read():
    bar = reporter(5, logging.getLogger("t"), "bar")
    with bar:
        bar.update(files(3) + files(1, error="empty file"))
    task = bar.bar.tasks[0]
    assert (task.completed, task.total, task.fields["facts"], task.fields["failed"]) == (4, 5, 9, 1)
