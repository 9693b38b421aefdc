"""Periods: labels from the words before a number, resolved against the report's reference date."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import load_cases

from tasks.extract.periods import Anchor, period_bounds, period_of, reference_date

LABELS = [(i, c) for i, c in load_cases("periods") if "period" in c]
BOUNDS = [(i, c) for i, c in load_cases("periods") if "bounds" in c]


def _anchor(text: str | None) -> Anchor | None:
    if not text:
        return None
    if len(text) == 4:
        return Anchor(int(text), None, "latest_year_in_text")
    day = date.fromisoformat(text)
    return Anchor(day.year, day, "published_on")


@pytest.mark.parametrize("case", [c for _, c in LABELS], ids=[i for i, _ in LABELS])
def test_period_label(case):
    text = case["text"]
    clause = case.get("clause", text)
    assert period_of(clause, text, "", _anchor(case.get("anchor"))) == case["period"], case.get("why")


@pytest.mark.parametrize("case", [c for _, c in BOUNDS], ids=[i for i, _ in BOUNDS])
def test_period_bounds(case):
    start, end, granularity = period_bounds(case["text"])
    got = [start.isoformat() if start else None, end.isoformat() if end else None, granularity]
    assert got == case["bounds"], case.get("why")


def test_reference_date_prefers_the_publication_date_and_skips_target_years():
    assert reference_date(date(2024, 5, 1), "2019年…2025年") == Anchor(2024, date(2024, 5, 1), "published_on")
    assert reference_date(None, "2022年全市…2023年,…到2025年力争…") == Anchor(2023, None, "latest_year_in_text")
    assert reference_date(None, "全市工会…") is None
