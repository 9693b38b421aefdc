"""Chinese and Arabic numerals: the grammar that finds them and the arithmetic that values them.

Text is first *folded* character by character (same length, so offsets stay valid): full-width
digits and signs become ASCII, traditional and financial numerals (萬 億 兩 壹 贰 拾 佰 …) and a few
traditional unit characters (個 點 負 …) become their plain simplified forms. The grammar then
runs on folded text only, and never needs a segmenter or an OpenCC pass.

A numeral is Arabic (9000, 1,100, 1.1, .5, 2e5, 40k), Chinese (三千二百, 二〇二四, 两千万点五) or
mixed (1.1亿, 3万4000, 500余万), optionally with spaces between its tokens (一百 五 十 二, 1000 万),
as in text extracted from PDF.
"""

from __future__ import annotations

import re
from functools import lru_cache

FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "．": ".",
        "％": "%",
        "～": "~",
        "－": "-",
        "／": "/",
        "＋": "+",
        "ｋ": "k",
        "Ｋ": "K",
        "Ｍ": "M",
        "ｅ": "e",
        "Ｅ": "E",
        "\u3000": " ",
        "壹": "一",
        "贰": "二",
        "貳": "二",
        "叁": "三",
        "肆": "四",
        "伍": "五",
        "陆": "六",
        "陸": "六",
        "柒": "七",
        "捌": "八",
        "玖": "九",
        "拾": "十",
        "佰": "百",
        "仟": "千",
        "萬": "万",
        "億": "亿",
        "兩": "两",
        "倆": "两",
        "俩": "两",
        "負": "负",
        "點": "点",
        "幾": "几",
        "餘": "余",
        "個": "个",
        "雙": "双",
        "對": "对",
        # traditional forms of units and qualifiers, so that 4.3萬余項 and 超過 read like simplified text
        "項": "项",
        "條": "条",
        "場": "场",
        "處": "处",
        "戶": "户",
        "張": "张",
        "間": "间",
        "臺": "台",
        "輛": "辆",
        "節": "节",
        "輪": "轮",
        "屆": "届",
        "週": "周",
        "歲": "岁",
        "噸": "吨",
        "畝": "亩",
        "種": "种",
        "類": "类",
        "門": "门",
        "塊": "块",
        "隻": "只",
        "棟": "栋",
        "號": "号",
        "時": "时",
        "鐘": "钟",
        "幣": "币",
        "約": "约",
        "過": "过",
        "將": "将",
        "達": "达",
    }
)
_FOLD_CHARS = {chr(k): v for k, v in FOLD.items()}
_FOLD_RE = re.compile("[" + re.escape("".join(_FOLD_CHARS)) + "]")


def _fold_char(m: re.Match) -> str:
    return _FOLD_CHARS[m.group()]


# characters that are numerals only in financial or traditional writing, and common words otherwise
# (陆续, 队伍, 收拾): a numeral made of one of them alone is no number
WORDLIKE_VARIANTS = frozenset("伍陆陸拾")

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_MULT = {"十": 10, "百": 100, "千": 1000}
BIG_MULT = {"万": 10_000, "亿": 100_000_000, "兆": 1_000_000_000_000}
INNER_QUALIFIERS = "余多几"  # 500余万, 一千多万, 二十几万: more than the round figure

DIG = "零〇一二两三四五六七八九"
MULT = "十百千万亿兆"
CN = DIG + MULT + "廿卅"
_MULT_TOKEN = r"(?:[十百千万亿]|兆(?![瓦赫字帕]))"  # 5兆瓦 is megawatts, not 5 trillion
_SP = r"[ \t]*"
ARABIC = (
    r"(?:(?<![0-9])(?:[0-9]{1,3}(?:[,，][0-9]{3}(?![0-9]))+|[0-9]+)(?:\.[0-9]+(?![0-9]|\.[0-9]))?"
    r"|(?<![0-9.])\.[0-9]+)"
)
ARABIC_TAIL = r"(?:[eE][+\-]?[0-9]+(?![A-Za-z])|\^[+\-]*[0-9]+(?:\.[0-9]+)?|[ ]?[kKM](?![A-Za-z]))?"
NUMERAL_RE = re.compile(
    rf"(?:{ARABIC}{ARABIC_TAIL}|[{DIG}十百千万亿廿卅]|{_MULT_TOKEN}"
    rf"|几(?=[十百千万亿])|(?<![人总次件户个项指倍分系参函变])数(?=[十百千万亿]))"  # 几十万, 数十亿
    rf"(?:(?<=[0-9]){_SP}{_MULT_TOKEN}"  # 1.1亿, 1000 万
    rf"|(?<=[{CN}{INNER_QUALIFIERS}数]){_SP}(?:[{DIG}廿卅]|{_MULT_TOKEN})"  # 三千 二百, 500余万
    rf"|(?<=[{MULT}零]){_SP}{ARABIC}"  # 3万4000, 1千零20
    rf"|(?<=(?<![0-9.])[0-9])[ \t][0-9](?={_SP}折)"  # 7 2折: a discount's digits split by a space
    rf"|{_SP}[{INNER_QUALIFIERS}](?={_SP}{_MULT_TOKEN})"  # 十 余 万
    rf"|(?<=[{CN}]){_SP}点{_SP}[零〇一二三四五六七八九]+(?!{_SP}[十百千])"  # 十五点七, not 八点二十分
    rf")*"
)
# every numeral starts with one of these characters (the first alternatives of NUMERAL_RE)
NUMERAL_START_RE = re.compile(rf"[0-9.{DIG}十百千万亿廿卅兆几数]")
# 1.2.3: not one decimal. Possessive, and tried only where a run of digits starts: a run of n digits
# costs n steps, not n² (tables pasted as text are such runs)
DOTTED_RE = re.compile(r"(?<![0-9])[0-9]++(?:\.[0-9]++){2,}+(?![0-9])")
_EXP_RE = re.compile(r"([0-9.]+)(?:[eE]([+\-]?[0-9]+)|\^([+\-]*)([0-9.]+))")
_SPACES = re.compile(r"[ \t,]")
# two neighbouring digits in one digit's place: 三四百, 十一二, 三十五六, 一百五六十, 一两, 三两
_RANGE_PAIR_RE = re.compile(
    r"(?:^|(?<=[十百千万亿]))([一二两三四五六七八九])([一二两三四五六七八九])(?=[十百千万亿]|$)"
)


def search_numeral(text: str, pos: int = 0) -> re.Match | None:
    """NUMERAL_RE.search(text, pos), 4× faster: the regex is tried only where a numeral can start
    (its lookbehinds keep the regex engine from skipping ahead to such places by itself).

    >>> search_numeral("统一建成1.1亿元", 0).group(), search_numeral("职工之家", 0)
    ('一', None)
    """
    while (candidate := NUMERAL_START_RE.search(text, pos)) is not None:
        m = NUMERAL_RE.match(text, candidate.start())
        if m:
            return m
        pos = candidate.start() + 1
    return None


def fold(text: str) -> str:
    """Same-length folding of numeral variants: '１２３．５萬' → '123.5万', '壹佰' → '一百'.

    >>> fold("貳拾萬個"), len(fold("貳拾萬個"))
    ('二十万个', 4)
    """
    return _FOLD_RE.sub(_fold_char, text)  # a regex pass is 15x faster than str.translate here


def parse_numeral(s: str) -> float | None:
    """Value of a numeral: '1.1亿' → 110000000.0, '三千二百' → 3200.0, '二〇二四' → 2024.0.

    >>> parse_numeral("3万4000"), parse_numeral("千万"), parse_numeral("一百零五"), parse_numeral("廿")
    (34000.0, 10000000.0, 105.0, 20.0)
    >>> parse_numeral("一万三"), parse_numeral("两千三百五"), parse_numeral("4.78万亿"), parse_numeral("四万万")
    (13000.0, 2350.0, 4780000000000.0, 400000000.0)
    >>> parse_numeral("两千万点五五四四"), parse_numeral("十 余 万"), parse_numeral("40k"), parse_numeral("2e5")
    (20000000.5544, 100000.0, 40000.0, 200000.0)
    >>> parse_numeral("一万零十二"), parse_numeral("一百零十万"), parse_numeral("五十千"), parse_numeral("2千零30万")
    (10012.0, 1100000.0, 50000.0, 20300000.0)
    """
    return value_of(fold(s))


@lru_cache(maxsize=8192)
def value_of(s: str) -> float | None:
    """Value of an already folded numeral (see fold); parse_numeral for any numeral (remembered:
    reports repeat their numerals)."""
    if " " in s or "\t" in s or "," in s or "，" in s:
        s = _SPACES.sub("", s).replace("，", "")
    s = s.replace("廿", "二十").replace("卅", "三十")
    for q in INNER_QUALIFIERS + "数":
        s = s.replace(q, "")
    if not s:
        return None
    scale = 1.0
    if s[-1] in "kKM":
        scale, s = (1e6 if s[-1] == "M" else 1e3), s[:-1]
    m = _EXP_RE.fullmatch(s)
    if m:
        try:
            base = float(m.group(1))
            if m.group(2) is not None:
                return round_value(base * 10 ** int(m.group(2)) * scale)
            exponent = float(m.group(4)) * (-1 if m.group(3).count("-") % 2 else 1)
            return round_value(base**exponent * scale)
        except (ValueError, OverflowError, ZeroDivisionError):
            return None
    if "点" in s:
        whole, _, rest = s.partition("点")
        m = re.fullmatch(rf"([{DIG}]+)([万亿兆]*)", rest)
        if not m:
            return None
        head = _parse_integer(whole) if whole else 0.0
        if head is None:
            return None
        value = head + float("0." + "".join(str(CN_DIGITS[c]) for c in m.group(1)))
        for big in m.group(2):
            value *= BIG_MULT[big]
        return round_value(value * scale)
    value = _parse_integer(s)
    return None if value is None else round_value(value * scale)


def round_value(x: float) -> float:
    """A computed value without float noise (12 significant digits): 0.1 × 3 is 0.3."""
    return float(f"{x:.12g}")


def _parse_integer(s: str) -> float | None:
    total = 0.0  # completed 万 / 亿 / 兆 sections
    section = 0.0  # below 万
    current = None  # last number not yet multiplied
    largest_big = 0
    prev = None  # kind of the previous token: digit (one Chinese or Arabic digit), number, zero, mult, big
    last_mult = 0
    i = 0
    while i < len(s):
        ch = s[i]
        if ch.isdigit() and ch.isascii() or ch == ".":
            j = i
            while j < len(s) and (s[j].isascii() and s[j].isdigit() or s[j] == "."):
                j += 1
            try:
                current = float(s[i:j])
            except ValueError:
                return None
            prev = "digit" if j - i == 1 else "number"
            i = j
            continue
        if ch in CN_DIGITS:
            d = CN_DIGITS[ch]
            # digit strings such as 二〇二四 concatenate; after a multiplier a digit starts anew
            if current is None or prev in ("mult", "big"):
                current = d
                prev = "zero" if d == 0 else ("digit" if prev in ("mult", "big") else "number")
            else:
                current = current * 10 + d
                prev = "number"
        elif ch in SMALL_MULT:
            mult = SMALL_MULT[ch]
            if current is None and prev == "mult" and last_mult < mult:
                section *= mult  # 五十千: fifty thousands
            else:  # after 零 a unit counts one of itself: 一万零十二 is 10012
                section += (1 if current is None or prev == "zero" else current) * mult
            current, prev, last_mult = None, "mult", mult
        elif ch in BIG_MULT:
            unit = BIG_MULT[ch]
            value = section + (current or 0)
            if prev == "big" and not value:
                total = (total or 1) * unit  # 万万, 万亿
            elif largest_big and unit > largest_big:
                total = (total + value) * unit  # 三万五千亿
            else:
                total += (value or 1) * unit
            largest_big = max(largest_big, unit)
            section, current, prev, last_mult = 0.0, None, "big", unit
        else:
            return None
        i += 1
    if current is not None and prev == "digit" and last_mult >= 100:
        current *= last_mult / 10  # 一万三 is 13000, 两千三百五 is 2350: the next lower unit is implied
    return total + section + (current or 0)


def chinese_range(s: str) -> tuple[float, float] | None:
    """The ends of an approximate range written as two neighbouring digits in one place: '三四百' →
    (300, 400), '十一二' → (11, 12), '一百五六十' → (150, 160), '三两' → (2, 3); None otherwise.

    >>> chinese_range("三四百"), chinese_range("十一二"), chinese_range("三十五六"), chinese_range("一两")
    ((300.0, 400.0), (11.0, 12.0), (35.0, 36.0), (1.0, 2.0))
    >>> chinese_range("三两"), chinese_range("五五"), chinese_range("十一"), chinese_range("二〇二三")
    ((2.0, 3.0), None, None, None)
    """
    folded = fold(s) if len(s) >= 2 else ""
    pairs = list(_RANGE_PAIR_RE.finditer(folded))
    if len(pairs) != 1:
        return None
    m = pairs[0]
    a, b = sorted((CN_DIGITS[m.group(1)], CN_DIGITS[m.group(2)]))
    if b != a + 1 and (a, b) != (3, 5):  # 三四百, 两三个, and the colloquial 三五百
        return None
    low = value_of(folded[: m.start()] + m.group(1) + folded[m.end() :])
    high = value_of(folded[: m.start()] + m.group(2) + folded[m.end() :])
    if low is None or high is None:
        return None
    return (low, high) if low < high else (high, low)


def is_chinese(numeral: str) -> bool:
    """True when a numeral has no Arabic digit: 三千二百余, not 1.1亿."""
    return not any(c.isascii() and c.isdigit() for c in fold(numeral))
