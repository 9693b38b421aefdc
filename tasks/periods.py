"""The period a fact refers to, from the words of its sentence and its article."""
from __future__ import annotations

import re
from datetime import date

YEAR_RANGE_RE = re.compile(r"((?:19|20)\d{2})\s*(?:~|～|—|-|至|到)\s*((?:19|20)\d{2})年")
YEAR_RE = re.compile(r"((?:19|20)\d{2})年(?!\d{1,2}月\d)")
RATE_RE = re.compile(r"每年|年均|每季度|每月|日均|每天")
SINCE_RE = re.compile(r"(近年来|[一二三四五六七八九十两\d]+年(?:来|以来)|[^,，。；、]{2,14}以来)")
TOPIC_YEAR_RE = re.compile(r"^(?:(?:19|20)\d{2})年(?:度)?[,，]")


def article_year(article_text: str) -> str:
    """An article that opens with a year ("2024年,即墨区总工会…") is about that year."""
    m = TOPIC_YEAR_RE.match(article_text.lstrip())
    return m.group()[:4] if m else ""


def period_of(clause_before: str, sentence_before: str, default: str = "") -> str:
    """Period label for a number, from the text before it in its clause and sentence.

    >>> period_of("每年为2.5万名", "每年为2.5万名")
    '每年'
    >>> period_of("全市职工获得国家发明专利", "2024年度,全市职工获得国家发明专利")
    '2024'
    >>> period_of("组织", "2023~2025年,福建省货车司机等入会率力争达到")
    '2023-2025'
    """
    for text in (clause_before, sentence_before):
        m = RATE_RE.search(text)
        if m:
            return m.group()
    m = YEAR_RANGE_RE.search(sentence_before)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    years = YEAR_RE.findall(sentence_before)
    if years:
        return years[-1]
    m = SINCE_RE.search(sentence_before)
    if m:
        return m.group(1)
    return default


def period_bounds(label: str) -> tuple[date | None, date | None, str]:
    """Start, end and granularity of a period label.

    >>> period_bounds("2024"), period_bounds("2023-2025")[2], period_bounds("每年")[2]
    ((datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), 'year'), 'years', 'rate')
    """
    m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", label)
    if m:
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        return date(first, 1, 1), date(last, 12, 31), "year" if first == last else "years"
    if RATE_RE.fullmatch(label):
        return None, None, "rate"
    return None, None, "relative" if label else "unknown"
