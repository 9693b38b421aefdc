"""What kind of number a span is, from its unit and its surroundings: a quantity (count, money,
percent, percentage_point, multiple, area) or a decoy that is a number but never a fact (ordinal,
code, title, idiom, date, time, year, duration, rank, threshold …). The unit rules are tables: a
unit surface that decides the kind by itself (SURFACE_KINDS), then the unit's dimension
(DECOY_DIMENSIONS, QUANTITY_DIMENSIONS); the context rules before them read the characters around.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from tasks import lexicon
from tasks.seeds import units

IDIOMS = lexicon.words("numeral_idiom")
IDIOM_RE = re.compile("|".join(IDIOMS))
NAMED_DAY_RE = re.compile(lexicon.alternation("named_day"))
NAMED_DAY_REACH = 4  # how far around a number a named day is looked for
SESSION_AFTER_RE = re.compile(lexicon.alternation("session_after"))
SESSION_REACH = 8  # how far before the number the body's term (届) is looked for
PROGRAMME_AFTER_RE = re.compile(lexicon.alternation("programme_after"))
THRESHOLD_NOUNS = lexicon.words("threshold_noun")
ORG_NOUNS_AFTER_DE = lexicon.words("organization_noun")
SIGNED_UNITS = frozenset({"%", "个百分点", "百分点"})  # units a figure written with a plus sign can have
QUOTE_PAIRS = {"“": "”", '"': '"', "「": "」", "‘": "’"}
SHORT_QUOTE_MAX = 14
_LONG_DIGITS_RE = re.compile(r"\d{6,}")
_TWO_DIGITS_RE = re.compile(r"[1-9][1-9]|[一二三四五六七八九]{2}")
_LONE_MULTIPLIER_RE = re.compile(r"[十百千万亿]")
_BOUND_RE = re.compile(r"(以上|以下)?(的)?")

# (value, numeral, is_chinese, qualifier) → kind
KindRule = Callable[[float, str, bool, "str | None"], str]


def _whole_within(kind: str, low: float, high: float) -> KindRule:
    """`kind` for a whole number within [low, high] (a month, a day, an hour), else a bare number."""
    return lambda value, numeral, is_chinese, qualifier: (
        kind if value == int(value) and low <= value <= high else "number"
    )


def _year_or_duration(value: float, numeral: str, is_chinese: bool, qualifier: str | None) -> str:
    return "year" if value == int(value) and 1900 <= value <= 2100 and qualifier == "exact" else "duration"


def _discount(value: float, numeral: str, is_chinese: bool, qualifier: str | None) -> str:
    return "percent" if 0 < value < 10 or _TWO_DIGITS_RE.fullmatch(numeral) else "number"  # 八折, 八五折


# unit surfaces that decide the kind by themselves
SURFACE_KINDS: dict[str, KindRule] = {
    "大": lambda value, numeral, is_chinese, qualifier: "ordinal" if is_chinese else "count",  # 二十大; 3大
    "月": _whole_within("date", 1, 12),
    "日": _whole_within("date", 1, 31),
    "号": _whole_within("date", 1, 31),
    "时": _whole_within("time", 0, 24),
    "点": _whole_within("time", 0, 24),
    "分": _whole_within("time", -math.inf, 60),
    "年": _year_or_duration,
    "个月": lambda *_: "duration",
    "成": lambda value, numeral, is_chinese, qualifier: "percent" if 0 < value <= 10 else "number",
    "折": _discount,
    "打": lambda *_: "count",  # dozens
}
# (character before the number, unit surfaces) that make it a position, not an amount
POSITION_BEFORE = (("前", ("名", "位"), "rank"), ("届", ("次",), "ordinal"))  # 前三名; 十八届五次全委会议
# dimensions of seeds/units.csv whose numbers are never facts: the kind is the dimension
DECOY_DIMENSIONS = frozenset({"duration", "anniversary", "age", "edition", "measure"})
# dimensions of quantities and their kinds; any other dimension counts something
QUANTITY_DIMENSIONS = {
    "money_cny": "money",
    "money": "money",
    "percent": "percent",
    "percentage_point": "percentage_point",
    "multiple": "multiple",
    "area": "area",
}


def classify(
    t: str,
    start: int,
    end: int,
    numeral: str,
    value: float,
    unit_surface: str | None,
    is_chinese: bool,
    qualifier: str | None,
) -> str:
    """Kind of a span from its surroundings; quantities get their unit's dimension."""
    before = t[max(0, start - 1) : start]
    after = t[end : end + 4]
    if before in ("第", "首"):
        return "ordinal"
    signed_share = before == "+" and unit_surface in SIGNED_UNITS  # 同比+5%: a sign, not a code
    latin_unit = bool(unit_surface) and unit_surface.isascii() and unit_surface.isalpha()  # 300USD
    if (before == "+" and not signed_share) or after[:1] == "+" or is_latin(after[:1]) and not latin_unit:
        return "code"
    if is_latin(before):
        return "code"
    if in_title(t, start):
        return "title"
    if quoted_short(t, start, end):
        return "code"
    window = t[max(0, start - 3) : end + 3]
    if before == "之" or after[:1] == "之" or IDIOM_RE.search(window):
        return "idiom"
    if _in_named_day(t, start, end):
        return "name"  # 腊八节, 八一建军节, 双十一
    if unit_surface == "次" and SESSION_AFTER_RE.match(t, end) and "届" in t[max(0, start - SESSION_REACH) : start]:
        return "ordinal"  # 市十六届人大三次会议: the third session of a body's term (举办3次会议 counts)
    if unit_surface in ("件", "项") and PROGRAMME_AFTER_RE.match(t, end):
        return "name"  # 办好10件实事: a programme's name
    if unit_surface is None:
        if not is_chinese and value >= 100_000 and value == int(value) and _LONG_DIGITS_RE.fullmatch(numeral):
            return "code"
        return "number"
    rule = SURFACE_KINDS.get(unit_surface)
    if rule is not None:
        return rule(value, numeral, is_chinese, qualifier)
    for char, surfaces, kind in POSITION_BEFORE:
        if before == char and unit_surface in surfaces:
            return kind
    dim = units()[unit_surface].dimension
    if dim in DECOY_DIMENSIONS:
        return dim
    if (
        is_chinese
        and _LONE_MULTIPLIER_RE.fullmatch(numeral)
        and qualifier == "exact"
        and not _ten_of_money(numeral, dim)
    ):
        return "idiom"  # 万家, 十项实事, 千家: a lone multiplier is a figure of speech or a name
    if unit_surface == "位" and "一体" in after:
        return "code"  # 四位一体
    return QUANTITY_DIMENSIONS.get(dim, "count")


def _ten_of_money(numeral: str, dim: str) -> bool:
    """十块钱, 十元: ten of a currency is an amount (万元, 千家 stay figures of speech)."""
    return numeral == "十" and dim in ("money", "money_cny")


def _in_named_day(t: str, start: int, end: int) -> bool:
    for m in NAMED_DAY_RE.finditer(t, max(0, start - NAMED_DAY_REACH), end + NAMED_DAY_REACH):
        if m.start() < end and m.end() > start:
            return True
    return False


def is_threshold(t: str, span_start: int, end: int, dim: str, qualifier: str | None) -> bool:
    """百人以上企业, 职工不足25人的小微企业: an eligibility threshold, not a measured amount."""
    if dim != "person":
        return False
    rest = t[end : end + 8]
    m = _BOUND_RE.match(rest)
    tail = rest[m.end() :]
    bounded = m.group(1) or t[span_start:end].endswith(("以上", "以下"))
    if bounded and tail.startswith(THRESHOLD_NOUNS):
        return True
    return bool(qualifier == "less_than" and m.group(2) and tail.startswith(ORG_NOUNS_AFTER_DE))


def quoted_short(t: str, start: int, end: int) -> bool:
    """True when [start, end) sits inside a short quotation (a name, slogan or code)."""
    lo = max(0, start - SHORT_QUOTE_MAX)
    left = t[lo:start]
    for open_q, close_q in QUOTE_PAIRS.items():
        i = left.rfind(open_q)
        if i < 0 or close_q in left[i + 1 :] and open_q != close_q:
            continue
        j = t.find(close_q, end, end + SHORT_QUOTE_MAX)
        if j >= 0 and (j - (lo + i)) <= SHORT_QUOTE_MAX + 2 and "\n" not in t[lo + i : j]:
            return True
    return False


def in_title(t: str, start: int) -> bool:
    """Inside a title in 《》 (《十四五规划》)."""
    i = t.rfind("《", max(0, start - 60), start)
    return i >= 0 and t.find("》", i, start) < 0


def is_latin(ch: str) -> bool:
    return len(ch) == 1 and ch.isascii() and ch.isalpha()
