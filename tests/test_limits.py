"""What one file may cost: its time budget and its fact ceiling (tasks/operations/limits.py)."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from tasks.extract.processing import process_file
from tasks.operations import limits
from tasks.read.inbox_files import FileRef


def ref_of(path: Path, text: str) -> FileRef:
    data = text.encode("utf-8")
    path.write_bytes(data)
    return FileRef(str(path), path.name, hashlib.sha256(data).hexdigest(), len(data))


LISTED = "某市总工会\n\n" + "、12家" * 25_000 + "。"  # 25,000 listed figures in one "sentence"


def test_a_file_with_more_facts_than_any_report_is_failed_with_its_reason(tmp_path):
    processed = process_file(ref_of(tmp_path / "dump.txt", LISTED), budget_s=None)
    assert processed.error == "more than 20,000 facts: a data table or a dump, not a report"
    assert processed.facts == [] and processed.text == ""


def test_a_file_past_its_time_budget_is_failed_with_the_stage_it_was_in(tmp_path):
    processed = process_file(ref_of(tmp_path / "slow.txt", LISTED), budget_s=0.001)
    assert processed.error.startswith("timed out in ") and processed.error.endswith(" after 0.001 s")
    assert processed.error.split()[3] in ("read", "decode", "normalize", "extract", "provenance")


def test_without_a_budget_nothing_times_out_and_checks_cost_nothing(tmp_path):
    text = "某市总工会\n\n" + "全市新建工会驿站120个," * 3000 + "。"
    processed = process_file(ref_of(tmp_path / "long.txt", text), budget_s=0)
    assert processed.error is None and len(processed.facts) == 3000
    limits.check()  # outside any file's budget: a no-op


def test_the_budget_belongs_to_the_file_being_read():
    with limits.file_budget(0.000_001):
        time.sleep(0.01)
        with pytest.raises(limits.OverBudget, match="timed out in extract after 1e-06 s"):
            limits.stage("extract")
    limits.check()  # the next file starts afresh
