"""A quantity's lower and upper bound (`value_min`, `value_max`; None where open), from its value, its
range and its qualifier, so that an analyst can sum "at least" totals honestly.

| written | qualifier | value_min | value_max |
| --- | --- | --- | --- |
| 12家 | exact | 12 | 12 |
| 5-20%, 三四百 | a range | its low end | its high end |
| 几十, 数百, 几十万 | more_than | the magnitude | ten times it (100, 1000, 1,000,000; exclusive) |
| 3000多, 1.1万余, 十几万, 三成多 | more_than, by 多/余/几 | the value | the value + one unit of its last non-zero digit (4000, 12000, 200000, 40 %; exclusive) |
| 超3000, 逾, 突破, 以上, 过亿, 数以万计 | more_than | the value | open |
| 不少于, 达到…以上 | at_least | the value | open |
| 不足, 不到, 以下 | less_than | 0 (for a positive value) | the value (exclusive) |
| 近700万, 将近, 接近 | approx | 0.9 × the value | the value |
| 约, 大约, 左右, 上下, 二十来个 | approx | 0.9 × the value | 1.1 × the value (来 has no band of its own) |

The factors of approximate words are data: role `approx_band` of seeds/lexicon.csv ("low..high").
"""

from __future__ import annotations

import math
import re

from tasks import lexicon

BANDS = {word: tuple(float(f) for f in band.split("..")) for word, band in lexicon.values("approx_band").items()}
DEFAULT_BAND = BANDS.get("约", (0.9, 1.1))  # an approximate figure whose word is not listed
BAND_WORDS = tuple(sorted(BANDS, key=len, reverse=True))
# 几十, 数百, 几十万: some tens, some hundreds — from the magnitude up to ten times it
SOME_TENS_RE = re.compile(r"^(?:近|约|超|逾|上)?[几数][十百千万亿]")
SOME_MORE_RE = re.compile(r"[0-9一二两三四五六七八九十百千万亿][倍成]?(?:余|多|几)")  # 3000多, 500余万, 十几万, 三成多


def bounds(text: str, value: float, value_high: float | None, qualifier: str) -> tuple[float | None, float | None]:
    """(value_min, value_max) of a quantity as written.

    >>> bounds("3000多人", 3000.0, None, "more_than"), bounds("1.1万余人", 11000.0, None, "more_than")
    ((3000.0, 4000.0), (11000.0, 12000.0))
    >>> bounds("近700万元", 7e6, None, "approx"), bounds("约50人", 50.0, None, "approx")
    ((6300000.0, 7000000.0), (45.0, 55.0))
    >>> bounds("超3000人", 3000.0, None, "more_than"), bounds("不足50人", 50.0, None, "less_than")
    ((3000.0, None), (0.0, 50.0))
    >>> bounds("5-20%", 5.0, 20.0, "approx"), bounds("12家", 12.0, None, "exact"), bounds("几十家", 10.0, None, "more_than")
    ((5.0, 20.0), (12.0, 12.0), (10.0, 100.0))
    """
    if value is None or not math.isfinite(value):
        return None, None
    if value_high is not None:
        return value, value_high
    if qualifier == "exact":
        return value, value
    if qualifier == "more_than":
        if SOME_TENS_RE.match(text):
            return value, value * 10
        return (value, value + _last_digit_unit(value)) if SOME_MORE_RE.search(text) else (value, None)
    if qualifier == "at_least":
        return value, None
    if qualifier == "less_than":
        return (0.0 if value > 0 else None), value
    if qualifier == "approx":
        word = next((w for w in BAND_WORDS if w in text), None)
        low, high = BANDS[word] if word else DEFAULT_BAND
        ends = sorted((_round(value * low), _round(value * high)))
        return (value if low == 1 else ends[0]), (value if high == 1 else ends[1])
    return None, None


def _last_digit_unit(value: float) -> float:
    """The place of the value's last non-zero digit: 3000 → 1000, 3500 → 100, 11000 → 1000, 1.5 → 0.1."""
    if value == 0:
        return 1.0
    digits = f"{abs(value):.6f}".rstrip("0").rstrip(".")
    whole, _, fraction = digits.partition(".")
    if fraction:
        return 10.0 ** -len(fraction)
    return 10.0 ** (len(whole) - len(whole.rstrip("0")))


def _round(x: float) -> float:
    return float(f"{x:.12g}")
