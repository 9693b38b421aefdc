"""Chinese quantity parser: every numeric expression in a text, with value, unit, qualifier, kind.

A span is a numeral (Arabic, Chinese or mixed: 9000, 1.1亿, 三千二百余, 3万4000) with what
surrounds it: a qualifier before (近, 超, 约…) or after (余, 多, 左右, 以上…), a unit (名, 人次,
万元, %, 个百分点…) and, for ranges, a second numeral. Its `kind` says what it is: a
quantity (count, money, percent, percentage_point, multiple, area) or a decoy that is a number
but never a fact (date, year, time, ordinal, rank, duration, anniversary, age, edition, code,
title, measure, threshold, rhetoric, idiom). Bare numbers without a unit have kind "number".

Pure and fast: regular expressions compiled once, no segmentation, no conversion.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from tasks.seeds import units

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
CN_SMALL_MULT = {"十": 10, "百": 100, "千": 1000}
CN_BIG_MULT = {"万": 10_000, "亿": 100_000_000}
FULLWIDTH = str.maketrans("０１２３４５６７８９．，％～", "0123456789.,%~")

_DIG = "0-9０-９"
_CN = "零〇一二两三四五六七八九十百千万亿廿"
NUMERAL_RE = re.compile(
    rf"(?:[{_DIG}]+(?:,[0-9]{{3}}(?![0-9]))*(?:[.．][{_DIG}]+)?|[{_CN}])"
    rf"(?:[{_DIG}]+(?:[.．][{_DIG}]+)?|[{_CN}]|[余多](?=[十百千万亿]))*"
)
PHONE_RE = re.compile(r"(?<![0-9])0\d{2,3}-\d{7,8}(?![0-9])|(?<![0-9])1[3-9]\d{9}(?![0-9])")
PERCENT_WORD_RE = re.compile(rf"百分之([{_DIG}{_CN}.．]+)|千分之([{_DIG}{_CN}.．]+)")
FRACTION_RE = re.compile(r"([一二两三四五六七八九十]+)分之([一二两三四五六七八九十]+)")
DOUBLING_RE = re.compile(r"翻(一|两|二|三|四|1|2|3|4)番")

PREFIX_QUALIFIERS = (  # longest first
    ("将近", "approx"), ("接近", "approx"), ("大约", "approx"), ("约", "approx"), ("近", "approx"),
    ("超过", "more_than"), ("突破", "more_than"), ("超", "more_than"), ("逾", "more_than"),
    ("多于", "more_than"), ("不足", "less_than"), ("不到", "less_than"), ("少于", "less_than"),
)
SUFFIX_QUALIFIERS = (("左右", "approx"), ("上下", "approx"), ("以上", "more_than"),
                     ("以下", "less_than"), ("之多", "exact"), ("余", "more_than"), ("多", "more_than"))
AT_LEAST_VERBS = ("达到", "保持在", "稳定在", "力争达到", "力争", "确保", "达")
RANGE_LINK_RE = re.compile(r"\s*(?:~|～|〜|—|–|-|－|至|到)\s*")
IDIOMS = ("千方百计", "千家万户", "万众一心", "百花齐放", "百姓", "十分", "万无一失", "一心一意",
          "百舸争流", "千军万马", "十全十美", "百尺竿头", "千丝万缕", "万紫千红", "一带一路")
THRESHOLD_NOUNS = ("企业", "单位", "公司", "非公", "已建", "小微", "规模", "以上企业", "工会组织")
ORG_NOUNS_AFTER_DE = ("企业", "单位", "公司", "小微企业", "非公企业")
QUOTE_PAIRS = {"“": "”", "\"": "\"", "「": "」", "‘": "’"}
SHORT_QUOTE_MAX = 14


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


def parse_numeral(s: str) -> float | None:
    """Value of a numeral: '1.1亿' → 110000000.0, '三千二百' → 3200.0, '二〇二四' → 2024.0.

    >>> parse_numeral("3万4000"), parse_numeral("千万"), parse_numeral("一百零五"), parse_numeral("廿")
    (34000.0, 10000000.0, 105.0, 20.0)
    """
    s = s.translate(FULLWIDTH).replace(",", "").replace("廿", "二十").replace("余", "").replace("多", "")
    if not s:
        return None
    total = 0.0      # completed 亿 / 万 sections
    section = 0.0    # below 万
    current = None   # last number not yet multiplied
    i = 0
    while i < len(s):
        ch = s[i]
        if ch.isdigit():
            j = i
            while j < len(s) and (s[j].isdigit() or s[j] == "."):
                j += 1
            try:
                current = float(s[i:j])
            except ValueError:
                return None
            i = j
            continue
        if ch in CN_DIGITS:
            d = CN_DIGITS[ch]
            # digit strings such as 二〇二四 concatenate; after a multiplier a digit starts anew
            current = d if current is None else current * 10 + d
        elif ch in CN_SMALL_MULT:
            section += (1 if current is None else current) * CN_SMALL_MULT[ch]
            current = None
        elif ch in CN_BIG_MULT:
            unit_value = section + (current or 0)
            if ch == "亿":
                total = ((total + unit_value) or 1) * CN_BIG_MULT[ch]
            else:
                total += (unit_value or 1) * CN_BIG_MULT[ch]
            section, current = 0.0, None
        else:
            return None
        i += 1
    return float(f"{total + section + (current or 0):.12g}")


def chinese_range(s: str) -> tuple[float, float] | None:
    """'三四百' → (300, 400), '两三' → (2, 3); None when the numeral is not an approximate range."""
    m = re.fullmatch(r"([一二两三四五六七八九])([二三四五六七八九])([十百千万亿]*)", s)
    if not m:
        return None
    a, b = CN_DIGITS[m.group(1)], CN_DIGITS[m.group(2)]
    if b != a + 1:
        return None
    scale = parse_numeral("一" + m.group(3)) if m.group(3) else 1.0
    return a * scale, b * scale


@lru_cache(maxsize=1)
def _unit_re() -> re.Pattern:
    surfaces = sorted(list(units()) + ["个月", "个百分点", "时", "分", "月", "日", "号", "成", "大",
                                       "元人民币"], key=len, reverse=True)
    return re.compile(r"[ \t]?\n?[ \t]?(" + "|".join(re.escape(s) for s in dict.fromkeys(surfaces)) + ")")


def _prefix_qualifier(text: str, start: int) -> tuple[str | None, int]:
    for word, qual in PREFIX_QUALIFIERS:
        if text.startswith(word, start - len(word)):
            return qual, start - len(word)
    return None, start


def _suffix_qualifier(text: str, pos: int) -> tuple[str | None, int]:
    for word, qual in SUFFIX_QUALIFIERS:
        if text.startswith(word, pos):
            return qual, pos + len(word)
    return None, pos


def _quoted_short(text: str, start: int, end: int) -> bool:
    """True when [start, end) sits inside a short quotation (a name, slogan or code)."""
    lo = max(0, start - SHORT_QUOTE_MAX)
    left = text[lo:start]
    for open_q, close_q in QUOTE_PAIRS.items():
        i = left.rfind(open_q)
        if i < 0 or close_q in left[i + 1:] and open_q != close_q:
            continue
        j = text.find(close_q, end, end + SHORT_QUOTE_MAX)
        if j >= 0 and (j - (lo + i)) <= SHORT_QUOTE_MAX + 2 and "\n" not in text[lo + i:j]:
            return True
    return False


def _in_title(text: str, start: int) -> bool:
    i = text.rfind("《", max(0, start - 60), start)
    return i >= 0 and text.find("》", i, start) < 0


def _classify(text: str, start: int, end: int, numeral: str, value: float, unit_surface: str | None,
              is_chinese: bool, qualifier: str | None) -> str:
    """Kind of a span from its surroundings; quantities get their unit's dimension."""
    before = text[max(0, start - 1):start]
    after = text[end:end + 4]
    if before in ("第",) or (before == "首"):
        return "ordinal"
    if before in ("+", "＋") or after[:1] in ("+", "＋") or re.match(r"[A-Za-z]", after[:1] or " ") \
            or re.match(r"[A-Za-z]", before or " "):
        return "code"
    if _in_title(text, start):
        return "title"
    if _quoted_short(text, start, end):
        return "code"
    window = text[max(0, start - 3):end + 3]
    if any(idiom in window for idiom in IDIOMS) or before == "之" or after[:1] == "之":
        return "idiom"
    if unit_surface is None:
        if not is_chinese and value >= 100_000 and value == int(value) and re.fullmatch(r"\d{6,}", numeral):
            return "code"
        return "number"
    if unit_surface == "大":
        return "ordinal" if is_chinese else "count"
    if unit_surface in ("月",):
        return "date" if value == int(value) and 1 <= value <= 12 else "number"
    if unit_surface in ("日", "号"):
        return "date" if value == int(value) and 1 <= value <= 31 else "number"
    if unit_surface in ("时", "分"):
        return "time" if value == int(value) and value <= 60 else "number"
    if unit_surface == "年":
        year_like = value == int(value) and 1900 <= value <= 2100 and qualifier == "exact"
        return "year" if year_like else "duration"
    if unit_surface == "个月":
        return "duration"
    if unit_surface == "成":
        return "percent" if value <= 10 else "number"
    if before == "前" and unit_surface in ("名", "位"):
        return "rank"
    dim = units()[unit_surface].dimension
    if dim in ("duration", "anniversary", "age", "edition", "measure"):
        return dim
    if is_chinese and re.fullmatch(r"[十百千万亿]", numeral) and qualifier == "exact":
        return "idiom"  # 万家, 十项实事, 千家: a lone multiplier is a figure of speech or a name
    if unit_surface == "位" and "一体" in after:
        return "code"  # 四位一体
    if dim == "money_cny":
        return "money"
    if dim in ("percent", "percentage_point", "multiple", "area"):
        return dim
    return "count"


def _is_threshold(text: str, span_start: int, end: int, dim: str, qualifier: str | None) -> bool:
    """百人以上企业, 职工不足25人的小微企业: an eligibility threshold, not a measured amount."""
    if dim != "person":
        return False
    rest = text[end:end + 8]
    m = re.match(r"(以上|以下)?(的)?", rest)
    tail = rest[m.end():]
    bounded = m.group(1) or text[span_start:end].endswith(("以上", "以下"))
    if bounded and tail.startswith(THRESHOLD_NOUNS):
        return True
    if qualifier == "less_than" and m.group(2) and tail.startswith(ORG_NOUNS_AFTER_DE):
        return True
    return False


def scan(text: str) -> list[NumberSpan]:
    """Every numeric expression in `text`, in reading order."""
    spans: list[NumberSpan] = []
    masked: list[tuple[int, int]] = []
    for m in PHONE_RE.finditer(text):
        spans.append(NumberSpan(m.group(), m.start(), m.end(), None, None, None, "exact", "code"))
        masked.append((m.start(), m.end()))
    for m in PERCENT_WORD_RE.finditer(text):
        numeral = m.group(1) or m.group(2)
        value = parse_numeral(numeral)
        if value is None:
            continue
        if m.group(2):
            value = value / 10
        qual, qstart = _prefix_qualifier(text, m.start())
        spans.append(NumberSpan(text[qstart:m.end()], qstart, m.end(), value, None, "%", qual or "exact",
                                "percent", is_chinese=not re.search(r"\d", numeral)))
        masked.append((m.start(), m.end()))

    for m in FRACTION_RE.finditer(text):
        if any(a <= m.start() < b for a, b in masked):
            continue
        denominator, numerator = parse_numeral(m.group(1)), parse_numeral(m.group(2))
        if denominator and numerator is not None and numerator <= denominator:
            qual, qstart = _prefix_qualifier(text, m.start())
            spans.append(NumberSpan(text[qstart:m.end()], qstart, m.end(), round(100 * numerator / denominator, 6),
                                    None, "%", qual or "exact", "percent", is_chinese=True))
            masked.append((m.start(), m.end()))
    for m in DOUBLING_RE.finditer(text):
        times = 2 ** parse_numeral(m.group(1))
        spans.append(NumberSpan(m.group(), m.start(), m.end(), times, None, "倍", "exact", "multiple",
                                is_chinese=not m.group(1).isdigit()))
        masked.append((m.start(), m.end()))

    pos = 0
    unit_re = _unit_re()
    while True:
        m = NUMERAL_RE.search(text, pos)
        if not m:
            break
        pos = m.end()
        if any(a <= m.start() < b for a, b in masked):
            continue
        span = _read_span(text, m, unit_re)
        if span is None:
            continue
        spans.append(span)
        pos = max(pos, span.end)
    spans.sort(key=lambda s: s.start)
    return spans


def _read_span(text: str, m: re.Match, unit_re: re.Pattern) -> NumberSpan | None:
    numeral = m.group()
    # a trailing 多/余 was only kept when a multiplier follows; strip a trailing lone separator
    is_chinese = not re.search(f"[{_DIG}]", numeral)
    if is_chinese and len(numeral) == 1 and numeral in CN_DIGITS and not unit_re.match(text, m.end()):
        return None  # 统一, 一线: a lone Chinese digit without a counter is a word, not a number
    rng = chinese_range(numeral) if is_chinese else None
    value = rng[0] if rng else parse_numeral(numeral)
    if value is None:
        return None
    value_high = rng[1] if rng else None
    qualifier = "approx" if rng else None
    inner_qual = "more_than" if re.search(r"[余多](?=[十百千万亿])", numeral) else None
    pq, start = _prefix_qualifier(text, m.start())
    end = m.end()
    sq, end = _suffix_qualifier(text, end) if not text.startswith("多元", end) else (None, end)
    unit_surface = None
    um = unit_re.match(text, end)
    if um and not (sq and text[end - 1] not in "余多"):
        unit_surface = um.group(1)
        end = um.end()
    post_q, end2 = _suffix_qualifier(text, end) if unit_surface else (None, end)
    if post_q in ("more_than", "approx", "less_than") and text[end:end2] not in ("余", "多"):
        end = end2
    else:
        post_q = None
    if is_chinese and len(numeral) == 1 and (numeral in CN_SMALL_MULT or numeral in CN_BIG_MULT) and unit_surface is None \
            and not pq and not sq and not inner_qual:
        return None  # 万, 百 alone: part of a word
    if sq == "more_than" and text[m.end():m.end() + 1] == "多" and unit_surface is None:
        # 多元, 多个: 多 starts a word; it is no qualifier of the number
        sq, end = None, m.end()
    qualifier = qualifier or pq or inner_qual or sq or post_q or "exact"
    # ranges: 200元~500元, 5万—8万人, 20%-30%, 300元至500元
    rm = RANGE_LINK_RE.match(text, end)
    if rm and value_high is None:
        m2 = NUMERAL_RE.match(text, rm.end())
        if m2:
            um2 = unit_re.match(text, m2.end())
            unit2 = um2.group(1) if um2 else None
            if unit2 and unit_surface in (None, unit2):
                high = parse_numeral(m2.group())
                if high is not None and high > value:
                    value_high = high
                    unit_surface = unit2
                    end = um2.end()
    kind = _classify(text, start, m.end(), numeral, value, unit_surface, is_chinese, qualifier)
    unit = None
    if unit_surface in units():
        unit = units()[unit_surface].unit
        if kind in ("count", "money", "percent", "percentage_point", "multiple", "area") and \
                _is_threshold(text, start, end, units()[unit_surface].dimension, qualifier):
            kind = "threshold"
    elif unit_surface == "成" and kind == "percent":
        value, value_high = value * 10, (value_high * 10 if value_high else None)
        unit = "%"
    elif unit_surface == "大" and kind == "count":
        unit = "个"
    elif unit_surface in ("月", "日", "号", "时", "分") and kind in ("date", "time"):
        unit = None
        end = _extend_date(text, end)
    elif unit_surface is not None and kind == "number":
        end = m.end() if not sq else end - len(unit_surface)
    if kind == "year":
        unit = None
        end = _extend_date(text, end)
    if kind == "number" and is_chinese:
        kind = "rhetoric" if re.fullmatch(r"[十百千万亿]+", numeral) else "number"
    if qualifier == "more_than" and text.startswith("以上", end - 2) and \
            any(v in text[max(0, start - 12):start] for v in AT_LEAST_VERBS[:5]):
        qualifier = "at_least"
    return NumberSpan(text[start:end], start, end, value, value_high, unit, qualifier, kind, is_chinese)


_DATE_TAIL_RE = re.compile(rf"(?:年度|年底|年初|年末|年)?(?:[{_DIG}一二三四五六七八九十]{{1,3}}月)?"
                           rf"(?:[{_DIG}一二三四五六七八九十]{{1,3}}[日号])?")


def _extend_date(text: str, end: int) -> int:
    """2024年9月18日 is one date span."""
    m = _DATE_TAIL_RE.match(text, end)
    return m.end() if m else end


QUANTITY_KINDS = frozenset({"count", "money", "percent", "percentage_point", "multiple", "area"})


def quantities(text: str) -> list[NumberSpan]:
    """Spans that can be facts: quantities with a unit (decoys and bare numbers removed)."""
    return [s for s in scan(text) if s.kind in QUANTITY_KINDS]
