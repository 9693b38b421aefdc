"""The period a fact refers to, from the words of its sentence and its article.

A period is named by a label that says everything about it, so that `period_bounds` can turn any
label back into dates: 2024, 2023-2025, 2024年上半年, 2024年第1季度, 2024年1-9月, 2024年3月, 每年,
截至2024年底, 截至2024-05-20, 2019年以来, 近年来. Relative words (今年, 去年, 五年来, 截至目前) are
resolved against the document's reference date: its publication date when the report states one,
else the latest year the report speaks of (see `reference_date`); without either they stay as
written (今年) and have no dates.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from tasks import lexicon
from tasks.extract import numerals

YEAR = r"((?:19|20)\d{2})"
YEAR_RANGE_RE = re.compile(YEAR + r"\s*(?:~|～|—|-|至|到)\s*" + YEAR + r"年")
# a part of a year after a year or a relative year word
YEAR_PART_BODY = (
    r"(?:(上半年|下半年)|(?:第)?([一二三四1-4])季度|前([一二三])季度|"
    r"(\d{1,2})\s*(?:-|—|~|至|到)\s*(\d{1,2})月|(\d{1,2})月(?:份)?(?!\d{1,2}日|\d))"
)
YEAR_PART = r"(?:年度|年)?" + YEAR_PART_BODY + "?"
EXPLICIT_YEAR_RE = re.compile(YEAR + r"(?=年)" + YEAR_PART + r"(?!\d{1,2}日)")
# a part of a year that opens a clause without naming the year ("上半年,全市…", "1-10月,…"): the
# report's own year (the empty group stands where the others name the year, so the parts' groups
# have the same numbers in all three)
BARE_YEAR_PART_RE = re.compile(r"(?:^|(?<=[,，。；;：:\s]))()" + YEAR_PART_BODY)
RELATIVE_YEAR_OFFSETS = lexicon.numbers("relative_year")
LOOKING_BACK = ("过去一年", "一年来")  # the year before the anchor's, unless published in LAST_QUARTER
LAST_QUARTER = 10
RELATIVE_YEAR_RE = re.compile("(" + lexicon.alternation("relative_year") + ")" + YEAR_PART)
PLAN_RE = re.compile(r"[“\"]?(十[一二三四五六七八九]五)[”\"]?(?:规划)?(?:时期|期间|以来|期)")
PLAN_YEARS = lexicon.numbers("plan_period")
AS_OF_RE = re.compile(
    r"截[至止](?:到)?\s*(?:" + YEAR + r"年(?:(底|末)|(\d{1,2})月(?:底|末)?)?|(目前|当前|现在|今年底|年底)"
    r"|(\d{1,2})月(?:底|末)?)"
)
COMPARISON_BEFORE = ("比", "较", "与", "同比", "相比")
# a character every period label below is written with (年, 月, 季度, 以来, 截至, 十四五)
PERIOD_HINT_RE = re.compile("[年月季来截止五]")
RATE_RE = re.compile(r"每年|年均|每季度|每月|日均|每天|每周|月均|人均")
RATE_OPENER_RE = re.compile(r"(" + RATE_RE.pattern + r")[,，]")
SINCE_YEARS_RE = re.compile(
    r"(?:近|最近)?([一二两三四五六七八九十\d]{1,3})年(?:来|以来|间)|近([一二两三四五六七八九十\d]{1,3})年"
)
SINCE_YEAR_RE = re.compile(YEAR + r"年(?:度)?以来")
SINCE_RE = re.compile(r"(近年来|[^,，。；、]{2,14}以来)")
TOPIC_YEAR_RE = re.compile(r"^(?:(?:19|20)\d{2})年(?:度)?[,，]")
# a year that ends a range or a target ("到2025年") is not what the report looks back from
TARGET_BEFORE = lexicon.words("target_mark")


@dataclass(frozen=True)
class Anchor:
    """The date relative words are resolved against, and where it came from."""

    year: int
    day: date | None  # the publication date, when the report states one
    source: str  # "published_on", "latest_year_in_text" or "file_properties"


def reference_date(published_on: date | None, text: str, saved_on: date | None = None) -> Anchor | None:
    """The publication date; else the latest year the text looks back from (not a target year); else
    the day the file says it was saved (a Word or PDF property: a re-saved file's date is later than
    its report, so the text's own years come first).

    >>> reference_date(None, "2023年,全市…;到2025年,力争…", date(2025, 3, 1)).year
    2023
    >>> reference_date(date(2024, 5, 20), "").source, reference_date(None, "今年以来", date(2024, 6, 30)).source
    ('published_on', 'file_properties')
    """
    if published_on:
        return Anchor(published_on.year, published_on, "published_on")
    years = [
        int(m.group(1))
        for m in re.finditer(YEAR + r"年", text)
        if not text[max(0, m.start() - 2) : m.start()].endswith(TARGET_BEFORE)
    ]
    if years:
        return Anchor(max(years), None, "latest_year_in_text")
    return Anchor(saved_on.year, saved_on, "file_properties") if saved_on else None


def article_year(article_text: str) -> str:
    """An article that opens with a year ("2024年,即墨区总工会…") is about that year."""
    m = TOPIC_YEAR_RE.match(article_text.lstrip())
    return m.group()[:4] if m else ""


def period_of(clause_before: str, sentence_before: str, default: str = "", anchor: Anchor | None = None) -> str:
    """Period label for a number, from the text before it in its clause and sentence.

    >>> period_of("每年为2.5万名", "每年为2.5万名")
    '每年'
    >>> period_of("全省建设", "每年帮助1万名劳动者,全省建设")
    ''
    >>> period_of("全市职工获得国家发明专利", "2024年度,全市职工获得国家发明专利")
    '2024'
    >>> period_of("组织", "2023~2025年,福建省货车司机等入会率力争达到")
    '2023-2025'
    >>> period_of("", "今年上半年,全市新建工会", anchor=Anchor(2024, None, "latest_year_in_text"))
    '2024年上半年'
    >>> period_of("", "五年来,全市培育", anchor=Anchor(2023, None, "latest_year_in_text"))
    '2018年以来'
    >>> period_of("", "截至目前,全市基层工会达到", anchor=Anchor(2024, date(2024, 6, 3), "published_on"))
    '截至2024-06-03'
    """
    return period_and_source(clause_before, sentence_before, default, "", anchor)[0]


def period_and_source(
    clause_before: str, sentence_before: str, scope: str, scope_source: str, anchor: Anchor | None = None
) -> tuple[str, str]:
    """The period of a number and where it came from: `sentence` (stated before it), the scope it
    inherits (`scope_source`: paragraph, section, headline, title), `rate` (每年, 人均 and nothing
    else), or "" (nothing says when)."""
    m = RATE_RE.search(clause_before) or RATE_OPENER_RE.match(sentence_before.lstrip())
    # a rate (每年, 人均) is the period only when nothing names one: its measure says it is an average
    rate = (m.group(1) if m.re is RATE_OPENER_RE else m.group()) if m else ""
    of_year = part_year(scope)
    base = BASE_VALUE_RE.search(sentence_before, max(0, len(sentence_before) - BASE_VALUE_REACH))
    if base:  # "较去年的3.9万人": the base of a comparison is a figure of the base's year
        label = _base_year(base, anchor, of_year)
        if label:
            return label, "sentence"
    label = _stated(sentence_before, anchor, of_year)
    if label:
        return label, "sentence"
    if scope:
        return scope, scope_source
    return (rate, "rate") if rate else ("", "")


# a number right after a comparison's base and 的: the base's figure (较去年同期的560家, 比2020年的80万人), of the
# base's year here and of the sentence's thing in subjects.py
BASE_VALUE_RE = re.compile(
    r"(?:较|比|相比|与)(去年同期|去年|上年同期|上年|上一年|(?:19|20)\d{2}年(?:底|末)?)(?:同期)?的$"
)
BASE_VALUE_REACH = 12


def _base_year(m: re.Match, anchor: Anchor | None, of_year: int | None) -> str:
    word = m.group(1)
    if word[:4].isdigit():
        return word[:4]
    year = of_year or (anchor.year if anchor else None)
    return str(year - 1) if year else ""


def part_year(scope: str) -> int | None:
    """The year a scope within one year gives the parts of a year its text names without one (上半年,
    1至10月, 截至10月底 in "…2023年度工作报告" are of 2023, even when it was delivered in 2024).

    >>> part_year("2023"), part_year("2023年1-10月"), part_year("2021-2024"), part_year("2018年以来")
    (2023, 2023, None, None)
    """
    m = ONE_YEAR_SCOPE_RE.match(scope)
    return int(m.group(1)) if m else None


ONE_YEAR_SCOPE_RE = re.compile(r"^(?:截至)?((?:19|20)\d{2})(?:$|年(?!以来))")  # 2023, 2023年上半年, 截至2023年底


def _stated(sentence_before: str, anchor: Anchor | None, of_year: int | None = None) -> str:
    """The period the sentence states before the number, or ""; `of_year`, the year of its scope."""
    if not PERIOD_HINT_RE.search(sentence_before):
        return ""  # most numbers: nothing before them that any period is written with
    m = YEAR_RANGE_RE.search(sentence_before)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    # the slower patterns only where the characters they need are (most numbers have no period)
    m = PLAN_RE.search(sentence_before) if "五" in sentence_before else None
    if m and m.group(1) in PLAN_YEARS:
        first = PLAN_YEARS[m.group(1)]
        return f"{first}-{first + 4}"
    m = AS_OF_RE.search(sentence_before)
    if m:
        return _as_of(m, anchor, of_year)
    m = SINCE_YEAR_RE.search(sentence_before)
    if m:
        return f"{m.group(1)}年以来"
    label = _last_year(sentence_before, anchor, of_year)
    if label:
        return label
    m = SINCE_YEARS_RE.search(sentence_before) if "年" in sentence_before else None
    if m:
        n = _small_number(m.group(1) or m.group(2))
        return f"{anchor.year - n}年以来" if anchor and n else m.group()
    m = SINCE_RE.search(sentence_before) if "来" in sentence_before else None
    if m:
        return _since_label(m.group(1))
    return ""


def _is_base(text: str, start: int) -> bool:
    """A year right after 比/较/与 is the base of a comparison (比2020年增长, 较上年), not the period."""
    return text[max(0, start - 2) : start].endswith(COMPARISON_BEFORE)


def scope_of(line: str, anchor: Anchor | None, of_year: int | None = None) -> str:
    """The period a title, a section heading or a paragraph's opening states for what it governs:
    "…总工会2024年工作综述" → 2024, "一、过去一年的工作回顾" → the year before the anchor's,
    "五年来," → since five years before; "" when it states none.

    >>> scope_of("二、2025年工作安排", None), scope_of("一、过去一年的工作回顾", Anchor(2025, None, "published_on"))
    ('2025', '2024')
    """
    without_days = DAY_RE.sub("", line) if "日" in line else line
    return _stated(without_days, anchor, of_year) or (_stated(line, anchor, of_year) if without_days != line else "")


# a day (2024年2月20日: when a report was delivered, a page's date) gives its year only to a line that
# states no period of its own ("…2023年度工作报告 （2024年2月20日）" is about 2023); 截至 + a day stays
DAY_RE = re.compile(r"(?<!截至)(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
OPENING_RE = re.compile(r"^\s*([^,，。；;:：]{2,14})[,，]")


def opening_scope(sentence: str, anchor: Anchor | None, of_year: int | None = None) -> str:
    """The period a paragraph's opening phrase states ("2024年,…", "五年来,…", "过去一年,…"): it governs
    the paragraph (its clauses after ；and its later sentences); "" for an opening without one.

    >>> opening_scope("2024年,全市新建驿站12个。", None), opening_scope("全市新建驿站12个。", None)
    ('2024', '')
    """
    m = OPENING_RE.match(sentence)
    return _stated(m.group(1), anchor, of_year) if m else ""


def _since_label(text: str) -> str:
    """ "青岛第十四次工会以来" → 第十四次工会以来: the event, without the words before it."""
    m = re.search(r"(?:党的)?第|党的|自|从", text)
    label = text[m.start() :] if m and len(text) - m.start() > 4 else text
    return label[1:] if label[0] in "自从" else label


def _last_year(text: str, anchor: Anchor | None, of_year: int | None = None) -> str:
    """The last year named before the number (2024年, 今年上半年, 去年), with the part of it; a part
    named alone (上半年) is of the scope's year `of_year`, else of the anchor's."""
    found = [(m.start(), int(m.group(1)), m) for m in EXPLICIT_YEAR_RE.finditer(text) if not _is_base(text, m.start())]
    for m in RELATIVE_YEAR_RE.finditer(text):
        if _is_base(text, m.start()):
            continue
        if anchor:
            found.append((m.start(), anchor.year + _offset(m.group(1), anchor), m))
        else:
            found.append((m.start(), None, m))
    for m in BARE_YEAR_PART_RE.finditer(text):
        found.append((m.start(), of_year or (anchor.year if anchor else None), m))
    if not found:
        return ""
    _, year, m = max(found, key=lambda f: f[0])
    if year is None:
        return m.group()  # 今年 with nothing to resolve it against
    half, quarter, first_quarters, month_from, month_to, month = m.group(2, 3, 4, 5, 6, 7)
    if half:
        return f"{year}年{half}"
    if quarter:
        return f"{year}年第{_small_number(quarter)}季度"
    if first_quarters:
        return f"{year}年1-{3 * _small_number(first_quarters)}月"
    if month_from and 1 <= int(month_from) < int(month_to) <= 12:
        return f"{year}年{int(month_from)}-{int(month_to)}月"
    if month and 1 <= int(month) <= 12:
        return f"{year}年{int(month)}月"
    return str(year)


def _offset(word: str, anchor: Anchor) -> int:
    """去年 is the year before; 过去一年 and 一年来 too, except in a review published in its own year's
    last quarter (a December review of the past year is about that year)."""
    if word in LOOKING_BACK and anchor.day and anchor.day.month >= LAST_QUARTER:
        return 0
    return RELATIVE_YEAR_OFFSETS[word]


def _as_of(m: re.Match, anchor: Anchor | None, of_year: int | None = None) -> str:
    year, year_end, month, relative, month_only = m.group(1, 2, 3, 4, 5)
    if month_only and 1 <= int(month_only) <= 12:  # 截至10月底: of the report's year
        in_year = of_year or (anchor.year if anchor else None)
        return f"截至{in_year}年{int(month_only)}月" if in_year else f"截至{int(month_only)}月"
    if year and month and 1 <= int(month) <= 12:
        return f"截至{year}年{int(month)}月"
    if year:
        return f"截至{year}年底"
    if relative == "年底" and of_year:
        return f"截至{of_year}年底"  # 截至年底 in a 2024 report: the end of 2024
    if relative in ("今年底", "年底"):
        return f"截至{anchor.year}年底" if anchor else f"截至{relative}"
    if anchor and anchor.day:
        return f"截至{anchor.day.isoformat()}"
    return f"截至{anchor.year}年" if anchor else "截至目前"


def _small_number(text: str) -> int:
    value = numerals.value_of(text)
    return int(value) if value else 0


LABEL_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"(\d{4})-(\d{4})"), "years"),
    (re.compile(r"(\d{4})年(?:上|下)半年"), "half_year"),
    (re.compile(r"(\d{4})年第(\d)季度"), "quarter"),
    (re.compile(r"(\d{4})年(\d{1,2})-(\d{1,2})月"), "months"),
    (re.compile(r"(\d{4})年(\d{1,2})月"), "month"),
    (re.compile(r"截至(\d{4})年底"), "as_of"),
    (re.compile(r"截至(\d{4})年(\d{1,2})月"), "as_of"),
    (re.compile(r"截至(\d{4})-(\d{2})-(\d{2})"), "as_of"),
    (re.compile(r"截至(\d{4})年"), "as_of"),
    (re.compile(r"(\d{4})年以来"), "since"),
]


def period_bounds(label: str) -> tuple[date | None, date | None, str]:
    """Start, end and granularity of a period label.

    >>> period_bounds("2024"), period_bounds("2023-2025")[2], period_bounds("每年")[2]
    ((datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), 'year'), 'years', 'rate')
    >>> period_bounds("2024年第2季度")
    (datetime.date(2024, 4, 1), datetime.date(2024, 6, 30), 'quarter')
    >>> period_bounds("截至2024年6月")
    (None, datetime.date(2024, 6, 30), 'as_of')
    >>> period_bounds("2019年以来")
    (datetime.date(2019, 1, 1), None, 'since')
    >>> period_bounds("2022年下半年")
    (datetime.date(2022, 7, 1), datetime.date(2022, 12, 31), 'half_year')
    """
    for pattern, granularity in LABEL_PATTERNS:
        m = pattern.fullmatch(label)
        if not m:
            continue
        try:
            return _bounds(granularity, [int(x) for x in m.groups()], label)
        except ValueError:  # 2024年13月: not a date
            break
    if RATE_RE.fullmatch(label):
        return None, None, "rate"
    if label.endswith(("以来", "年来")):
        return None, None, "since"
    return None, None, "relative" if label else "unknown"


def _bounds(granularity: str, g: list[int], label: str) -> tuple[date | None, date | None, str]:
    if granularity == "year":
        return date(g[0], 1, 1), date(g[0], 12, 31), granularity
    if granularity == "years":
        return date(g[0], 1, 1), date(g[1], 12, 31), granularity
    if granularity == "half_year":
        first = 1 if "上" in label else 7
        return date(g[0], first, 1), _month_end(g[0], first + 5), granularity
    if granularity == "quarter":
        return date(g[0], 3 * g[1] - 2, 1), _month_end(g[0], 3 * g[1]), granularity
    if granularity == "months":
        return date(g[0], g[1], 1), _month_end(g[0], g[2]), granularity
    if granularity == "month":
        return date(g[0], g[1], 1), _month_end(g[0], g[1]), granularity
    if granularity == "as_of":
        if len(g) == 3:
            return None, date(g[0], g[1], g[2]), granularity
        if len(g) == 2:
            return None, _month_end(g[0], g[1]), granularity
        return None, date(g[0], 12, 31), granularity
    return date(g[0], 1, 1), None, granularity  # since


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
