"""What a number's span takes after its unit: the 角/分 of an amount of money (五元三毛), the tenth of
a share in 成 (七成六, 三成半), and the rest of a date or a time of day (2024年9月18日, 9时30分)."""

from __future__ import annotations

import re

from tasks.extract.numerals import CN_DIGITS, DIG, value_of


def _is_han(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


_ONE_DIGIT = "[0-9一二两三四五六七八九]"
_TENTH_RE = re.compile(rf"[ \t]*({_ONE_DIGIT}|半)(?![0-9{DIG}十百千万亿个名人元])")
JIAO_FEN_RE = re.compile(rf"({_ONE_DIGIT})[角毛](?:({_ONE_DIGIT})分)?|零?()()({_ONE_DIGIT})分")


def _digit(ch: str) -> int:
    return int(ch) if ch.isdigit() else CN_DIGITS[ch]


def add_tenth(t: str, value: float, end: int) -> tuple[float, int]:
    m = _TENTH_RE.match(t, end)
    if not m or _is_han(t[m.end() : m.end() + 1]) and t[m.end()] != "的":
        return value, end
    return value + (5 if m.group(1) == "半" else _digit(m.group(1))), m.end()


def _lone_tenth(t: str, end: int) -> re.Match | None:
    """A lone digit after a unit that ends the expression (一块五, 三成六), else None."""
    m = _TENTH_RE.match(t, end)
    if not m or m.group(1) == "半" or _is_han(t[m.end() : m.end() + 1]) and t[m.end()] != "的":
        return None
    return m


def has_tenth(t: str, end: int) -> bool:
    return _lone_tenth(t, end) is not None


def add_dime(t: str, value: float, end: int) -> tuple[float, int]:
    """一块五 is 1.5 元: a lone digit after 块 is its tenths."""
    m = _lone_tenth(t, end)
    return (round(value + _digit(m.group(1)) / 10, 2), m.end()) if m else (value, end)


# 一个半月, 两个多小时: 个 with 半 or 多 and a span of time makes a duration
_DURATION_AFTER_GE_RE = re.compile(r"([半多])?(月|小时|钟头|星期|礼拜|学期)")


def duration_after_ge(t: str, end: int) -> tuple[float, bool, int] | None:
    """(what 半 adds, whether 多 says "more than", the end) when a duration follows 个, else None."""
    m = _DURATION_AFTER_GE_RE.match(t, end)
    if not m:
        return None
    return (0.5 if m.group(1) == "半" else 0.0), m.group(1) == "多", m.end()


def add_jiao_fen(t: str, value: float, end: int) -> tuple[float, int]:
    m = JIAO_FEN_RE.match(t, end)
    if not m:
        return value, end
    if m.group(5):  # 三元零五分
        return round(value + _digit(m.group(5)) / 100, 2), m.end()
    cents = _digit(m.group(1)) * 10 + (_digit(m.group(2)) if m.group(2) else 0)
    return round(value + cents / 100, 2), m.end()


# a currency's hundredth, after its amount (joined by 又 or nothing): 两美元又三美分, 10日元5钱
SUBUNITS = {"美元": "美分", "欧元": "欧分", "日元": "钱", "英镑": "便士", "港元": "仙"}
_SUBUNIT_RES = {
    unit: re.compile(r"又?[ \t]*([0-9]{1,2}|[一二两三四五六七八九十]{1,3})[ \t]*" + sub)
    for unit, sub in SUBUNITS.items()
}


def add_subunit(t: str, unit: str, value: float, end: int) -> tuple[float, int]:
    """两美元又三美分 is 2.03 美元; 10日元5钱 is 10.05 日元.

    >>> add_subunit("两美元又三美分", "美元", 2.0, 3), add_subunit("10日元5钱", "日元", 10.0, 4)
    ((2.03, 7), (10.05, 6))
    """
    m = _SUBUNIT_RES[unit].match(t, end)
    if not m:
        return value, end
    hundredths = value_of(m.group(1))
    if hundredths is None or hundredths >= 100:
        return value, end
    return round(value + hundredths / 100, 2), m.end()


_DATE_TAIL_RE = re.compile(
    r"(?:年度|年底|年初|年末|年|(?<=年)[底初末度])?(?:[0-9一二三四五六七八九十]{1,3}月)?"
    r"(?:[0-9一二三四五六七八九十]{1,3}[日号])?"
)
_TIME_TAIL_RE = re.compile(r"[ \t]*(?:[0-9]{1,2}分|[零一二三四五六七八九十]{1,3}分|半|一刻|三刻)(?:[0-9]{1,2}秒)?")


def extend_date(t: str, end: int) -> int:
    """2024年9月18日 is one date span."""
    m = _DATE_TAIL_RE.match(t, end)
    return m.end() if m else end


def extend_time(t: str, end: int) -> int:
    """9时30分, 八点二十分, 9点半: one time of day."""
    if t[end - 1 : end] == "分":
        return end
    m = _TIME_TAIL_RE.match(t, end)
    return m.end() if m else end
