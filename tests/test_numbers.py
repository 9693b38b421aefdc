"""The number parser against the data-driven cases in tests/cases/numbers/."""

from __future__ import annotations

import pytest
from conftest import load_cases

from tasks.extract.numbers import QUANTITY_KINDS, scan

CASES = load_cases("numbers")


def _matches(span, expected: dict) -> bool:
    d = span.as_dict()
    for key, want in expected.items():
        got = d.get(key)
        if isinstance(want, (int, float)) and not isinstance(want, bool) and got is not None:
            if abs(float(got) - want) > 1e-6 * max(1.0, abs(want)):
                return False
        elif got != want:
            return False
    return True


def _check(case: dict) -> None:
    spans = scan(case["text"])
    if "facts" in case:
        facts = [s for s in spans if s.kind in QUANTITY_KINDS]
        assert len(facts) == case["facts"], [s.as_dict() for s in facts]
    expected = case.get("spans", [])
    candidates = [s for s in spans if s.kind in QUANTITY_KINDS] if "facts" not in case else spans
    if "facts" not in case:
        assert len(candidates) == len(expected), [s.as_dict() for s in candidates]
    for want in expected:
        assert any(_matches(s, want) for s in candidates), (want, [s.as_dict() for s in spans])


@pytest.mark.parametrize(
    "case",
    [c for i, c in CASES if not i.startswith("known_failures")],
    ids=[i for i, _ in CASES if not i.startswith("known_failures")],
)
def test_number_case(case):
    _check(case)


@pytest.mark.parametrize(
    "case",
    [c for i, c in CASES if i.startswith("known_failures")],
    ids=[i for i, _ in CASES if i.startswith("known_failures")],
)
def test_known_failure(case):
    with pytest.raises(AssertionError):
        _check(case)


def test_offsets_point_at_the_text():
    text = "前言。累计服务职工300余万人次,发放救助金1000余万元。"
    for span in scan(text):
        assert text[span.start : span.end] == span.text


def _all_numerals(search, text: str) -> list[tuple[int, int]]:
    found, pos = [], 0
    while (m := search(text, pos)) is not None:
        found.append(m.span())
        pos = m.end()
    return found


def test_the_fast_numeral_search_finds_what_the_pattern_finds():
    """search_numeral tries the pattern only where a numeral can start: on every number case and
    every line of the sample reports it must find exactly what NUMERAL_RE.search finds."""
    from conftest import SAMPLES

    from tasks.extract.numerals import NUMERAL_RE, search_numeral

    texts = [case["text"] for _, case in load_cases("numbers")]
    texts += [line for path in sorted(SAMPLES.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()]
    texts += ["约.5万元", "第1.2.3条", "数十亿元", "人数十万", "三千 二百", "十 余 万", "十五点七", "八点二十分"]
    assert len(texts) > 500
    for text in texts:
        assert _all_numerals(search_numeral, text) == _all_numerals(NUMERAL_RE.search, text), text


@pytest.mark.parametrize(
    "text, date",
    [
        ("发布时间：2022-2-11 15:56:54 来源：工人日报", "2022-2-11 15:56:54"),
        ("2024-01-11张明 报道", "2024-01-11"),
        ("更新于2023/12/30", "2023/12/30"),
        ("2024.3.5发布", "2024.3.5"),
    ],
)
def test_a_dashed_date_with_its_time_is_one_date_not_several_numbers(text, date):
    spans = scan(text)
    assert [(s.text, s.kind) for s in spans] == [(date, "date")]
