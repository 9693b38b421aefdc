"""Chinese quantity parser: every numeric expression in a text, with value, unit, qualifier, kind.

A span is a numeral (see tasks.numerals: 9000, 1.1亿, 三千二百余, 3万4000, 壹佰, 十五点七) with what
surrounds it: a sign (负, -), a qualifier before (近, 超, 约…) or after (余, 多, 左右, 以上…), a unit
(名, 人次, 万元, %, 个百分点, 成, 折…) and, for ranges, a second numeral. Shares are read whole:
百分之八十五, 千分之三, 三分之一, 2/3, 七成六, 八五折, 翻一番. Its `kind` says what it is: a
quantity (count, money, percent, percentage_point, multiple, area, fraction) or a decoy that is a
number but never a fact (date, year, time, ordinal, rank, duration, anniversary, age, edition, code,
title, measure, threshold, rhetoric, idiom). Bare numbers without a unit have kind "number".

Pure and fast: regular expressions compiled once over a same-length folded copy of the text (so
offsets hold), no segmentation, no OpenCC conversion.

One module of about 400 lines on purpose: the scanner's passes (shares, slash fractions, numerals
with their signs, qualifiers, units and ranges) share one _Scan state and claim characters in order;
what has no such state lives beside it (kinds, qualifiers, tails, numerals).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from tasks import lexicon
from tasks.extract import kinds, qualifiers, tails
from tasks.extract.numerals import (
    CN_DIGITS,
    DOTTED_RE,
    NUMERAL_RE,
    WORDLIKE_VARIANTS,
    chinese_range,
    fold,
    round_value,
    search_numeral,
    value_of,
)
from tasks.extract.numerals import is_chinese as numeral_is_chinese
from tasks.seeds import units

# patterns start with a character class (no look-behind) so that the regex engine can skip ahead
# fast; what must not come before a match is checked in Python
PHONE_RE = re.compile(r"(?:0[0-9]{2,3}-[0-9]{7,8}|1[3-9][0-9]{9})(?![0-9])")
SHARE_RE = re.compile(r"分[ \t]*之")  # 百分之五, 千分之三, 三分之一, 一百分之二
SLASH_RE = re.compile(r"(?<![0-9])([0-9]++)(?:[ \t]+([0-9]++))?[ \t]*/[ \t]*([0-9]++)(?![0-9A-Za-z/.])")
DOUBLING_RE = re.compile(r"翻了?(一|两|二|三|四|1|2|3|4)番")  # 翻一番, 翻了一番: twice as much
WORD_SHARES = lexicon.numbers("word_share")
WORD_SHARE_RE = re.compile("|".join(sorted(WORD_SHARES, key=len, reverse=True)))
NOT_A_SHARE = {"半成": ("", "品"), "一半": ("另大多小", ""), "对折": ("", "")}  # 半成品, 另一半: (chars before, after)
WORD_NUMERALS = lexicon.numbers("word_numeral")  # 半百
WORD_NUMERAL_RE = re.compile("|".join(WORD_NUMERALS))
# 数以万计, 数以百万计: counted in tens of thousands — at least the magnitude
COUNTED_IN_RE = re.compile(r"数以([十百千]?[万亿]|[十百千])计")
# a date written with dashes, slashes or dots, with a time of day if one follows (a web page's timestamp)
DASHED_DATE_RE = re.compile(
    r"((?:19|20)[0-9]{2})[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12][0-9]|3[01])(?![0-9])"
    r"(?:[ \t]*[T ]?[ \t]*(?:[01]?[0-9]|2[0-3])[:：][0-5][0-9](?:[:：][0-5][0-9])?(?![0-9]))?"
)
URL_RE = re.compile(r"(?:https?|ftp)://[!-~]+|www\.[A-Za-z0-9.-]+\.[a-z]{2,}[!-~]*")

# 百分之, 千分之 … 万万分之: a share in percent is the numerator divided by this
PER_DENOMINATORS = {"百": 1, "千": 10, "万": 100, "十万": 1_000, "百万": 10_000, "千万": 100_000, "万万": 1_000_000}
CURRENCY_PREFIXES = tuple(sorted(lexicon.values("currency_prefix").items(), key=lambda w: -len(w[0])))
_CURRENCY_LAST_CHARS = frozenset(w[-1] for w, _ in CURRENCY_PREFIXES)
MAGNITUDE_PREFIXES = lexicon.values("magnitude_prefix")  # 上亿元, 过万人
NOT_MAGNITUDE_PREFIXES = lexicon.words("not_magnitude_prefix")  # 通过, 以上
INCLUSIVE_RE = re.compile(r"[（(]含[)）]")  # 50万元（含）以上, 1万(含)-5万元
RANGE_LINK_RE = re.compile(r"(?:[（(]含[)）])?[ \t]*(?:~|〜|—{1,2}|–|-{1,2}|至|到)[ \t]*")
_TRAILING_BIG_RE = re.compile(r"[万亿兆kKM]+$")
NEGATIVE_AFTER = " \t\n(（:：,，、;；=<>《"  # a '-' after one of these (or at the start) is a sign
SIGN_AFTER_WORDS = "为是至到达呈约"  # 增长率为负3%; elsewhere (减负, 胜负, 担负) 负 is part of a word
DISCOUNT_NOT_BEFORE = "合算旧扣射腾服叠价返线"  # 折合, 折算, 折旧: not a discount
MONEY_CONTEXT = lexicon.words("money_context")
SPECIAL_UNITS = lexicon.words("special_unit")
SPACED_UNITS = {"个百分点": r"个?[ \t]*百[ \t]*分[ \t]*点"}  # 一百五十 个 百 分 点
MAX_MAGNITUDE = 1e15  # no statistic of a union report is larger (China's GDP is ~1.3e14 元): a code
MORE_AFTER_UNITS = ("倍", "成")  # 三倍多, 三成多: 多 after these units still says "more than"
ROUND_END_RE = re.compile(r"[十百千万亿]$|[1-9]0+$")  # 二十来个, 20来个: 来 after a round figure is "about"
QUANTITY_KINDS = frozenset({"count", "money", "percent", "percentage_point", "multiple", "area", "fraction"})


@dataclass(frozen=True)
class NumberSpan:
    text: str
    start: int
    end: int
    value: float | None
    value_high: float | None
    unit: str | None
    qualifier: str
    kind: str
    is_chinese: bool = False  # the numeral is written in Chinese characters only

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("is_chinese")
        return d


@lru_cache(maxsize=1)
def _unit_re() -> re.Pattern:
    surfaces = sorted(dict.fromkeys(list(units()) + list(SPECIAL_UNITS)), key=len, reverse=True)
    alternatives = [SPACED_UNITS.get(s, re.escape(s)) for s in surfaces]
    return re.compile(r"[ \t]*\n?[ \t]*(" + "|".join(alternatives) + ")")


def _unit_at(t: str, pos: int) -> tuple[str, int] | None:
    """The unit surface starting at `pos` (after optional spaces or one line break) and its end."""
    m = _unit_re().match(t, pos)
    if not m:
        return None
    return _without_spaces(m.group(1)), m.end()


_ARABIC_DIGIT_RE = re.compile("[0-9]")
_BARE_MULTIPLIERS_RE = re.compile(r"[百千万亿兆]|[万亿兆]+")
_MULTIPLIERS_ONLY_RE = re.compile(r"[十百千万亿兆]+")
_MAGNITUDE_RE = re.compile(r"[百千万亿]|[百千]万|[十百千]?亿")  # after 上: 上千, 上百万, 上亿
_DOUBLED_DIGITS_RE = re.compile(r"(?:([一二两三四五六七八九])\1)+")  # 两两, 三三两两: words, not numerals
_INNER_QUALIFIER_RE = re.compile("[余多几数](?=[十百千万亿兆])")


def _without_spaces(s: str) -> str:
    return s.replace(" ", "").replace("\t", "") if " " in s or "\t" in s else s


def _digit_before(t: str, pos: int) -> bool:
    return pos > 0 and t[pos - 1].isascii() and t[pos - 1].isdigit()


def _is_han(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def _sign_start(t: str, start: int) -> int | None:
    """Start of a minus sign written before the numeral at `start` (-5, －5, 负五), else None."""
    if start == 0:
        return None
    ch = t[start - 1]
    before = t[start - 2] if start >= 2 else ""
    if ch == "-" and (not before or before in NEGATIVE_AFTER):
        return start - 1
    if ch == "负" and (not before or not _is_han(before) or before in SIGN_AFTER_WORDS):
        return start - 1
    return None


def _numeral_ending_at(t: str, end: int) -> re.Match | None:
    """The numeral that ends at `end` (spaces before `end` skipped)."""
    while end > 0 and t[end - 1] in " \t":
        end -= 1
    last = None
    for m in NUMERAL_RE.finditer(t, max(0, end - 40), end):
        last = m
    return last if last is not None and last.end() == end else None


def _skip_spaces(t: str, pos: int) -> int:
    while pos < len(t) and t[pos] in " \t":
        pos += 1
    return pos


class _Scan:
    """One pass over a text: spans found so far and the characters they cover."""

    def __init__(self, text: str):
        self.text = text
        self.t = fold(text)
        self.covered = bytearray(len(text))
        self.spans: list[NumberSpan] = []

    def free(self, start: int, end: int) -> bool:
        return self.covered.find(1, start, end) < 0

    def cover(self, start: int, end: int) -> None:
        self.covered[start:end] = b"\x01" * (end - start)

    def keep(self, span: NumberSpan) -> None:
        self.spans.append(span)
        self.cover(span.start, span.end)

    def add(self, start: int, end: int, value, value_high, unit, qualifier, kind, is_chinese=False):
        self.keep(NumberSpan(self.text[start:end], start, end, value, value_high, unit, qualifier, kind, is_chinese))


def scan(text: str) -> list[NumberSpan]:
    """Every numeric expression in `text`, in reading order."""
    s = _Scan(text)
    t = s.t
    if "://" in t or "www." in t:
        for m in URL_RE.finditer(t):  # numbers inside a web address are part of it
            s.cover(m.start(), m.end())
    for m in PHONE_RE.finditer(t):
        if not _digit_before(t, m.start()):
            s.add(m.start(), m.end(), None, None, None, "exact", "code")
    if "-" in t or "/" in t or "." in t:
        for m in DASHED_DATE_RE.finditer(t):  # 2022-2-11 15:56:54, 2024/01/11: one date, not numbers
            if not _digit_before(t, m.start()):
                s.add(m.start(), m.end(), float(m.group(1)), None, None, "exact", "date")
    for m in DOTTED_RE.finditer(t) if "." in t else ():  # 1.2.3: a section or version number, parts numbers
        if s.free(m.start(), m.end()) and not (_digit_before(t, m.start()) or t[m.start() - 1 : m.start()] == "."):
            pos = m.start()
            for part in m.group().split("."):
                s.add(pos, pos + len(part), float(part), None, None, "exact", "code")
                pos += len(part) + 1
    if "分" in t:
        for m in SHARE_RE.finditer(t):
            _read_share(s, m)
    if "/" in t:
        _read_slash_fractions(s)
    for m in DOUBLING_RE.finditer(t) if "番" in t else ():
        if s.free(m.start(), m.end()):
            s.add(
                m.start(),
                m.end(),
                2.0 ** value_of(m.group(1)),
                None,
                "倍",
                "exact",
                "multiple",
                not m.group(1).isdigit(),
            )
    for m in WORD_SHARE_RE.finditer(t) if "半" in t or "对折" in t or "百分百" in t else ():
        _read_word_share(s, m)
    for m in WORD_NUMERAL_RE.finditer(t) if "半" in t else ():
        if s.free(m.start(), m.end()):  # 年过半百: an age; elsewhere a bare number
            kind = "age" if "年" in t[max(0, m.start() - 2) : m.start()] else "number"
            s.add(m.start(), m.end(), float(WORD_NUMERALS[m.group()]), None, None, "exact", kind, True)
    for m in COUNTED_IN_RE.finditer(t) if "数以" in t else ():
        if s.free(m.start(), m.end()):  # 数以万计的职工: tens of thousands, no unit
            s.add(m.start(), m.end(), value_of(m.group(1)), None, None, "more_than", "number", True)

    pos = 0
    while True:
        m = search_numeral(t, pos)
        if not m:
            break
        blocked = s.covered.find(1, m.start(), m.end())
        if blocked == m.start():
            pos = s.covered.find(0, m.start())
            if pos < 0:
                break
            continue
        if blocked > 0:
            m = NUMERAL_RE.match(t, m.start(), blocked)
            if not m:
                pos = blocked
                continue
        pos = m.end()
        span = _read_span(s, m)
        if span is None:
            continue
        s.keep(span)
        pos = max(pos, span.end)
    s.spans.sort(key=lambda x: x.start)
    return s.spans


def _read_word_share(s: _Scan, m: re.Match) -> None:
    """对折 (after 打), 半成, 半数, 一半 as percents, with their qualifiers (半数以上, 超过一半)."""
    t, word = s.t, m.group()
    not_before, not_after = NOT_A_SHARE.get(word, ("", ""))
    before, after = t[m.start() - 1 : m.start()], t[m.end() : m.end() + 1]
    if (
        not s.free(m.start(), m.end())
        or word == "对折"
        and before != "打"
        or before
        and before in not_before
        or after
        and after in not_after
    ):
        return
    qual, start = qualifiers.prefix_qualifier(t, m.start())
    post, end = qualifiers.trailing_qualifier(t, m.end())
    qualifier = qualifiers.at_least(t, start, end, qual or post or "exact")
    s.add(start, end, float(WORD_SHARES[word]), None, "%", qualifier, "percent", True)


def _read_share(s: _Scan, m: re.Match) -> None:
    """百分之八十五 (85 %), 千分之三 (0.3 %), 三分之一 (fraction 0.333), 一又二分之一 (1.5)."""
    t = s.t
    den = _numeral_ending_at(t, m.start())
    num_start = _skip_spaces(t, m.end())
    negative = t.startswith("负", num_start)
    num = NUMERAL_RE.match(t, num_start + negative)
    if den is None or num is None or not s.free(den.start(), num.end()):
        return
    rng = chinese_range(num.group())
    value = rng[0] if rng else value_of(num.group())
    high = rng[1] if rng else None
    if value is None:
        return
    denominator = _without_spaces(den.group())
    start, end = den.start(), num.end()
    chinese = numeral_is_chinese(num.group())
    if denominator in PER_DENOMINATORS:
        scale = PER_DENOMINATORS[denominator]
        unit, kind = "%", "percent"
        if high is None and (upper := _share_range_end(t, end, denominator)) is not None and upper[0] > value:
            high, end = upper  # 百分之五到十, 百分之五至百分之十
        value, high = value / scale, (high / scale if high is not None else None)
    else:
        den_value = value_of(den.group())
        if not den_value:
            return
        value, high, unit, kind = value / den_value, None, None, "fraction"
        chinese = chinese and numeral_is_chinese(den.group())
        link = _skip_back_spaces(t, start)
        if link > 0 and t[link - 1] == "又":  # 三百五十又三分之一
            whole = _numeral_ending_at(t, link - 1)
            if whole is not None and (w := value_of(whole.group())) is not None:
                value, start = w + value, whole.start()
    if negative:
        value = -value
    sign = _sign_start(t, start)
    if sign is not None:
        value, start = -value, sign
    qual, qstart = qualifiers.prefix_qualifier(t, start)
    post, end = qualifiers.trailing_qualifier(t, end)
    qualifier = qualifiers.at_least(t, qstart, end, ("approx" if rng else None) or qual or post or "exact")
    s.add(qstart, end, round(value, 9), round(high, 9) if high is not None else None, unit, qualifier, kind, chinese)


def _share_range_end(t: str, end: int, denominator: str) -> tuple[float, int] | None:
    """The numerator and end of a share range's upper end, written once (百分之五到十) or whole
    (百分之五至百分之十), with the same denominator."""
    rm = RANGE_LINK_RE.match(t, end)
    if not rm:
        return None
    at = rm.end()
    whole = SHARE_RE.match(t, _skip_spaces(t, at + len(denominator))) if t.startswith(denominator, at) else None
    num = NUMERAL_RE.match(t, _skip_spaces(t, whole.end()) if whole else at)
    if num is None or (not whole and _unit_at(t, num.end())):
        return None  # 百分之五到十个: the second number counts something else
    value = value_of(num.group())
    return (value, num.end()) if value is not None else None


def _skip_back_spaces(t: str, pos: int) -> int:
    while pos > 0 and t[pos - 1] in " \t":
        pos -= 1
    return pos


def _read_slash_fractions(s: _Scan) -> None:
    """2/3, 1 3/5 and -3/2 as fractions; 2024/9 and 9/18日 are dates, a/b/c paths are not numbers."""
    t = s.t
    for m in SLASH_RE.finditer(t):
        whole, numerator = (m.group(1), m.group(2)) if m.group(2) else (None, m.group(1))
        a, b = int(numerator), int(m.group(3))
        before = t[m.start() - 1 : m.start()]
        if (
            b == 0
            or not s.free(m.start(), m.end())
            or before
            and (before in "/.:" or before.isascii() and before.isalnum())
        ):
            continue
        if (
            len(numerator) == 4
            and 1900 <= a <= 2100
            or t[m.end() : m.end() + 1] in ("月", "日", "号", "年")
            or t[max(0, m.start() - 1) : m.start()] in ("年", "月")
        ):
            continue
        value = a / b + (int(whole) if whole else 0)
        start = m.start()
        sign = _sign_start(t, start)
        if sign is not None:
            value, start = -value, sign
        qual, qstart = qualifiers.prefix_qualifier(t, start)
        s.add(qstart, m.end(), round(value, 9), None, None, qual or "exact", "fraction")


def _range_follows(t: str, end: int) -> bool:
    """A range's link and a numeral with a unit follow: 五到八成, 三至五个."""
    rm = RANGE_LINK_RE.match(t, end)
    m2 = NUMERAL_RE.match(t, rm.end()) if rm else None
    return bool(m2 and _unit_at(t, m2.end()))


def _range_after(
    t: str, end: int, numeral: str, value: float, unit_surface: str | None
) -> tuple[float, float | None, str | None, int]:
    """A range's upper end after a span (200元~500元, 5万—8万人, 20%-30%, 300元至500元, 两到三万):
    (low, high, unit surface, end), or the span as it was."""
    rm = RANGE_LINK_RE.match(t, end)
    m2 = NUMERAL_RE.match(t, rm.end()) if rm else None
    um2 = _unit_at(t, m2.end()) if m2 else None
    if not um2 or unit_surface not in (None, um2[0]):
        return value, None, unit_surface, end
    high = value_of(m2.group())
    low = value
    shared = _TRAILING_BIG_RE.search(_without_spaces(m2.group()))
    if unit_surface is None and shared and not _TRAILING_BIG_RE.search(numeral) and high is not None:
        scaled = value * value_of("1" + shared.group())  # 两到三万: the 万 belongs to both
        low = scaled if scaled <= high else value
    if high is not None and low < high <= MAX_MAGNITUDE:
        return low, high, um2[0], um2[1]
    return value, None, unit_surface, end


def _diverse(t: str, end: int, numeral: str) -> bool:
    """多元 after a numeral is a word (三多元, 多元化) unless it reads 100多元, 十多元: more than N 元."""
    if not t.startswith("多元", end):
        return False
    return t.startswith("化", end + 2) or (len(numeral) == 1 and (numeral in CN_DIGITS or numeral.isdigit()))


def _currency_before(t: str, start: int) -> tuple[str, int] | None:
    """The unit and start of a currency sign, code or name written just before an amount (US$ 20)."""
    at = start
    while at > 0 and t[at - 1] == " ":
        at -= 1
    if at == 0 or t[at - 1] not in _CURRENCY_LAST_CHARS:
        return None
    for word, unit in CURRENCY_PREFIXES:
        if t.startswith(word, at - len(word)):
            w0 = at - len(word)
            if word.isascii() and word[0].isalpha() and w0 > 0 and t[w0 - 1].isascii() and t[w0 - 1].isalpha():
                return None  # a code inside a longer Latin word
            return unit, w0
    return None


def _read_span(s: _Scan, m: re.Match) -> NumberSpan | None:
    t, text = s.t, s.text
    numeral = _without_spaces(m.group())
    chinese = not _ARABIC_DIGIT_RE.search(numeral)
    unit_here = _unit_at(t, m.end())
    if chinese and len(numeral) == 1:
        if text[m.start()] in WORDLIKE_VARIANTS:
            return None  # 陆续, 队伍, 收拾
        isolated = not _is_han(t[m.start() - 1 : m.start()]) and not _is_han(t[m.end() : m.end() + 1])
        if numeral in CN_DIGITS and not unit_here and not isolated and not _range_follows(t, m.end()):
            return None  # 统一, 一线: a lone Chinese digit without a counter is a word, not a number
    if chinese and _DOUBLED_DIGITS_RE.fullmatch(numeral):
        if not t.startswith("折", m.end()):  # 五五折 is a discount
            return None  # 两两, 一一, 三三两两: a doubled digit is a word (in pairs, one by one), not 22
    rng = chinese_range(numeral) if chinese else None
    value = rng[0] if rng else value_of(numeral)
    if value is None:
        return None
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:  # a run of digits (a table pasted as text)
        return NumberSpan(text[m.start() : m.end()], m.start(), m.end(), None, None, None, "exact", "code", chinese)
    value_high = rng[1] if rng else None
    qualifier = "approx" if rng else None
    inner_qual = "more_than" if _INNER_QUALIFIER_RE.search(numeral) else None  # 500余万, 几十万
    pq, start = qualifiers.prefix_qualifier(t, m.start())
    if not pq and chinese and start > 0 and t[start - 1] in MAGNITUDE_PREFIXES and _MAGNITUDE_RE.fullmatch(numeral):
        if not t.startswith(NOT_MAGNITUDE_PREFIXES, max(0, start - 2)):  # 上亿元, 过万人: still a bound
            pq, start = MAGNITUDE_PREFIXES[t[start - 1]], start - 1
    sign = _sign_start(t, m.start())
    if sign is not None and not pq:
        value, start = -value, sign
    end = m.end()
    sq, end = qualifiers.suffix_qualifier(t, end) if not _diverse(t, end, numeral) else (None, end)
    if not sq and t.startswith("来", end) and ROUND_END_RE.search(numeral) and _unit_at(t, end + 1):
        sq, end = "approx", end + 1  # 二十来个, 百来万元: about
    unit_surface = None
    um = _unit_at(t, end)
    if um and not (sq and t[end - 1] not in "余多几来"):
        unit_surface, end = um
    if unit_surface == "折" and end < len(t) and t[end] in DISCOUNT_NOT_BEFORE:
        unit_surface, end = None, end - 1
    inclusive = INCLUSIVE_RE.match(t, end) if unit_surface else None
    post_q, end = (
        qualifiers.trailing_qualifier(t, end, inclusive.end() if inclusive else end) if unit_surface else (None, end)
    )
    if unit_surface in MORE_AFTER_UNITS and not post_q and t.startswith(("多", "余"), end):
        if not t.startswith(("多数", "余下"), end):
            post_q, end = "more_than", end + 1  # 三倍多, 三成多
    if (
        chinese
        and _BARE_MULTIPLIERS_RE.fullmatch(numeral)
        and unit_surface is None
        and not pq
        and not sq
        and not inner_qual
    ):
        return None  # 万, 百, 万万 alone: part of a word
    if sq == "more_than" and t[m.end() : m.end() + 1] in "多几" and unit_surface is None:
        # 多元, 多个: 多 starts a word; it is no qualifier of the number
        sq, end = None, m.end()
    qualifier = qualifier or pq or inner_qual or sq or post_q or "exact"
    currency = _currency_before(t, start) if unit_surface in (None, "元") else None
    if currency is not None and s.free(currency[1], start):
        unit_surface, start = currency  # ￥100, US$20, 美元300, 港币300元
    if value_high is None:
        value, value_high, unit_surface, end = _range_after(t, end, numeral, value, unit_surface)
    kind = kinds.classify(t, start, m.end(), numeral, value, unit_surface, chinese, qualifier)
    unit = None
    if unit_surface in units():
        unit = units()[unit_surface].unit
        factor = units()[unit_surface].factor
        if factor != 1 and kind in QUANTITY_KINDS:  # 5‰ is 0.5 %, 500美分 is 5 美元
            value, value_high = round_value(value * factor), (round_value(value_high * factor) if value_high else None)
        if unit_surface == "块" and (
            any(w in t[max(0, start - 8) : start] for w in MONEY_CONTEXT)
            or tails.JIAO_FEN_RE.match(t, end)
            or tails.has_tenth(t, end)
        ):
            unit, kind = "元", "money"  # 花了三块, 十块三毛, 一块五
            value, end = tails.add_dime(t, value, end)
        if unit_surface == "个" and kind == "count" and (duration := tails.duration_after_ge(t, end)) is not None:
            extra, more, end = duration  # 一个半月, 两个多小时: a duration
            value, kind, qualifier = value + extra, "duration", "more_than" if more else qualifier
        if unit == "元" and kind == "money":
            value, end = tails.add_jiao_fen(t, value, end)  # 五元三毛
            if t.startswith("钱", end):
                end += 1
        elif kind == "money" and unit in tails.SUBUNITS:
            value, end = tails.add_subunit(t, unit, value, end)  # 两美元又三美分, 10日元5钱
        if kind in QUANTITY_KINDS and kinds.is_threshold(t, start, end, units()[unit_surface].dimension, qualifier):
            kind = "threshold"
    elif unit_surface in ("成", "折") and kind == "percent":
        value, value_high = (
            value * 10 if value < 10 or unit_surface == "成" else value,
            (value_high * 10 if value_high else None),
        )
        if unit_surface == "成":
            value, end = tails.add_tenth(t, value, end)  # 七成六, 三成半
        unit = "%"
    elif unit_surface == "打" and kind == "count":
        value, value_high, unit = value * 12, (value_high * 12 if value_high else None), "个"
    elif unit_surface == "大" and kind == "count":
        unit = "个"
    elif unit_surface in ("月", "日", "号", "时", "点", "分") and kind in ("date", "time"):
        end = tails.extend_time(t, end) if kind == "time" else tails.extend_date(t, end)
    elif unit_surface is not None and kind == "number":
        end = m.end() if not sq else end - len(unit_surface)
    if kind == "year":
        unit, end = None, tails.extend_date(t, end)
    if kind == "number" and chinese:
        kind = "rhetoric" if _MULTIPLIERS_ONLY_RE.fullmatch(numeral) else "number"
    qualifier = qualifiers.at_least(t, start, end, qualifier)
    return NumberSpan(text[start:end], start, end, value, value_high, unit, qualifier, kind, chinese)


def quantities(text: str) -> list[NumberSpan]:
    """Spans that can be facts: quantities with a unit (decoys and bare numbers removed)."""
    return [s for s in scan(text) if s.kind in QUANTITY_KINDS]
