"""Normalization as a row of small named `str → str` steps, applied in order.

`normalize(text)` returns the normalized text and the names of the steps that changed it;
`normalize_mapped(text)` also returns an offset map: for every position of the normalized text, the
position in the original it came from, so that a fact found in normalized text can be shown as the
report wrote it (traditional characters, pinyin noise and all). Each step is written once, as a
function `(text) → (new text, map)`; its `str → str` form (with the doctests) is derived from it.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from tasks.operations import limits
from tasks.read import t2s
from tasks.read.offsets import OffsetMap, compose, strip_mapped, sub_mapped

HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
BROKEN_TAG_RE = re.compile(r"[<?]?/(?:span|div|p|font|strong|em|br|a|b|i|u|td|tr)\s*>", re.IGNORECASE)
HTML_ENTITY_RE = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,5});")
TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# "業(yè)", and "獎?wù)" where the conversion also lost the opening parenthesis
PINYIN_RE = re.compile(rf"(?<=[\u4e00-\u9fff])[(?](?=[a-z{TONE_VOWELS}]*[{TONE_VOWELS}])[a-z{TONE_VOWELS}]{{1,7}}\)")
ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# characters used only in traditional writing; a handful per hundred marks a traditional text
TRADITIONAL_MARKERS = frozenset(
    "們這會發與國職業勞動為來經時區開長實現進體關員學務協織問題過還點總農費錢際認參機構運義黨處"
    "幫維權資產級單設區劃導廣東衛優當則據戰觀這樣險場線團聯車氣讓歷邊萬億廠熱書辦屆務濟華準"
)
TRADITIONAL_MARKER_RE = re.compile("[" + "".join(sorted(TRADITIONAL_MARKERS)) + "]")
NON_CJK_RUN_RE = re.compile("[^\u4e00-\u9fff]+")
TERMINAL = "。！？!?；;…”’」』)）】"
FULLWIDTH_TABLE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "％": "%",
    }
)
FULLWIDTH_NUMBER_PUNCT_RE = re.compile(r"(?<=[0-9０-９])[．，](?=[0-9０-９])")
FULLWIDTH_RE = re.compile("[" + re.escape("".join(map(chr, FULLWIDTH_TABLE))) + "]")  # what the table rewrites


def _chain(text: str, *rewrites) -> tuple[str, OffsetMap]:
    """Apply (pattern, replacement) rewrites in order, composing their offset maps."""
    mapping: OffsetMap = None
    for pattern, repl in rewrites:
        text, m = sub_mapped(pattern, repl, text)
        mapping = compose(mapping, m)
    return text, mapping


def _entity(m: re.Match) -> str:
    return html.unescape(m.group()).replace("\xa0", " ")


def strip_html_residue_mapped(text: str) -> tuple[str, OffsetMap]:
    if "<" not in text and "&" not in text and "/" not in text:
        return text, None
    return _chain(text, (HTML_TAG_RE, ""), (BROKEN_TAG_RE, ""), (HTML_ENTITY_RE, _entity))


def remove_pinyin_annotations_mapped(text: str) -> tuple[str, OffsetMap]:
    return sub_mapped(PINYIN_RE, "", text) if ")" in text else (text, None)


def is_traditional(text: str, sample: int = 4000) -> bool:
    """True when a text is written in traditional characters (judged on a sample).

    >>> is_traditional("匯聚工人階級磅礴力量做好廣大職工"), is_traditional("汇聚工人阶级磅礴力量")
    (True, False)
    """
    head = text[:sample]
    cjk = len(NON_CJK_RUN_RE.sub("", head))  # what is left is the CJK characters (2.5× faster than a list of them)
    return cjk > 0 and len(TRADITIONAL_MARKER_RE.findall(head)) / cjk > 0.02


def to_simplified_mapped(text: str) -> tuple[str, OffsetMap]:
    if not is_traditional(text):
        return text, None
    return t2s.to_simplified(text), None  # character for character: positions unchanged


def halfwidth_numbers_mapped(text: str) -> tuple[str, OffsetMap]:
    """Full-width digits, Latin letters and ％ as ASCII; ．and ，between digits as . and ,.

    >>> halfwidth_numbers_mapped("ＧＤＰ增长１２．５％,ｋｍ"), halfwidth_numbers_mapped("１，２００名")[0]
    (('GDP增长12.5%,km', None), '1,200名')
    """
    text = FULLWIDTH_NUMBER_PUNCT_RE.sub(lambda m: "." if m.group() == "．" else ",", text)
    if not FULLWIDTH_RE.search(text):  # most reports: translating would copy the text for nothing
        return text, None
    return text.translate(FULLWIDTH_TABLE), None  # one character for one: positions unchanged


_LINE_START, _LINE_END = r"(?:^|(?<=[\n\f]))[ \t]*", r"[ \t]*(?:\n|(?=\f)|$)"
PAGE_FOOTER_RE = re.compile(
    _LINE_START + r"(?:[—–\-－]+[ \t]*\d{1,4}[ \t]*[—–\-－]+|·[ \t]*\d{1,4}[ \t]*·"
    r"|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*[,，/][ \t]*共[ \t]*\d{1,4}[ \t]*页)?"
    r"|\d{1,4}[ \t]*/[ \t]*\d{1,4})" + _LINE_END
)


def drop_page_furniture_mapped(text: str) -> tuple[str, OffsetMap]:
    """Page footers ("— 2 —", "第3页"), running headers repeated at the top of pages (PDF text)."""
    if "\f" not in text and not PAGE_FOOTER_RE.search(text):
        return text, None
    pages = text.split("\f")
    firsts = Counter(p.strip().split("\n", 1)[0].strip() for p in pages if p.strip())
    running = {
        line for line, n in firsts.items() if len(pages) >= 3 and n >= max(2, len(pages) // 2) and len(line) <= 40
    }
    rewrites = [(PAGE_FOOTER_RE, "")]
    if running:
        # the first page's copy opens the document: it is the report's title, and stays
        opening = len(text) - len(text.lstrip())
        rewrites.append(
            (
                re.compile(_LINE_START + "(?:" + "|".join(re.escape(r) for r in running) + ")" + _LINE_END),
                lambda m: m.group() if m.start() <= opening else "",
            )
        )
    return _chain(text, *rewrites)


# a run of spaces ending a line is matched from its first space only, and possessively: a line of n
# spaces costs n steps, not n²
LINE_EDGE_RE = re.compile(r"^[ \t\u3000]+|(?<![ \t\u3000])[ \t\u3000]++$", re.MULTILINE)


def clean_whitespace_mapped(text: str) -> tuple[str, OffsetMap]:
    text, mapping = _chain(
        text,
        (ZERO_WIDTH_RE, ""),
        (re.compile(r"\r\n?|\f"), "\n"),
        (LINE_EDGE_RE, ""),
        (re.compile("\u3000"), " "),
        (re.compile(r"\n{3,}"), "\n\n"),
    )
    text, m = strip_mapped(text)
    return text, compose(mapping, m)


DANGLING = "第的和与及、"  # characters a line or headline never ends with
BLOCK_SEPARATOR_RE = re.compile(r"\n\s*\n|\n")
NEW_PARAGRAPH_OPENERS = ("本报", "■", "图为", "#", "记者", "通讯员", "新华社")
CLAUSE_MARK_RE = re.compile(r"[，,。；;]")
NUMBER_END_RE = re.compile(r"[0-9一二三四五六七八九十百千万亿余多.]$")


def join_broken_lines_mapped(text: str) -> tuple[str, OffsetMap]:
    separators = list(BLOCK_SEPARATOR_RE.finditer(text))
    if not separators:
        return text, None
    decisions = []
    long_line = _long_line(text)
    current = text[: separators[0].start()]
    for i, sep in enumerate(separators):
        following = text[sep.end() : separators[i + 1].start() if i + 1 < len(separators) else len(text)]
        if _continues(current, following, long_line):
            decisions.append("")
            current += following
        else:
            decisions.append("\n\n")
            current = following
    replacements = iter(decisions)
    return sub_mapped(BLOCK_SEPARATOR_RE, lambda m: next(replacements), text)


WRAP_LONG_LINE = 30  # a line this long that ends no sentence is a paragraph broken by a line break
WRAP_MIN_LINES = 3


def _long_line(text: str) -> int:
    """How long a line must be to be wrapped: 30 characters, or less in a text wrapped at a fixed width
    (a PDF's page: most lines are about as long as the longest quarter, 28 to 32 characters)."""
    lengths = sorted(n for n in (len(line.strip()) for line in text.split("\n")) if n >= 12)
    if len(lengths) < WRAP_MIN_LINES:
        return WRAP_LONG_LINE
    width = lengths[3 * len(lengths) // 4]
    near = sum(1 for n in lengths if abs(n - width) <= 3)
    if near < WRAP_MIN_LINES or near < 0.4 * len(lengths):
        return WRAP_LONG_LINE
    return max(20, min(WRAP_LONG_LINE, width - 3))


def _continues(previous: str, block: str, long_line: int = WRAP_LONG_LINE) -> bool:
    if not previous or not block:
        return False
    if block.startswith(NEW_PARAGRAPH_OPENERS):
        return False  # a dateline or a caption opens its own paragraph (…会员突破100万 / 本报讯: no 万本)
    if NUMBER_END_RE.search(previous) and _starts_with_unit(block) and previous[-1] not in TERMINAL:
        return True  # "会员1200\n人": a number and its unit
    if previous[-1].isdigit() and block[0].isdigit() and len(previous) >= 20:
        return True  # "作品135\n0个": a number wrapped in the middle
    if previous[-1] in DANGLING and (block[0].isalnum()) and previous[-1] != block[0]:
        return True  # "委员会第\n四次会议": no line ends with 第 or 的
    if len(previous) < long_line or previous[-1] in TERMINAL or previous.endswith("摄"):
        return False
    if not CLAUSE_MARK_RE.search(previous):
        return False  # a headline, not a paragraph
    if len(block) < 20 and block[-1] not in TERMINAL and not CLAUSE_MARK_RE.search(block):
        return False  # the next block is a headline (a short line with no comma)
    if block.startswith(("(", "（", "-", "—")):
        return False
    first = block[0]
    return first.isalnum() or first in "、,，:：”%"


@lru_cache(maxsize=1)
def _unit_start_re() -> re.Pattern:
    from tasks.seeds import units

    surfaces = sorted(set(units()) | {"万", "亿", "余", "多"}, key=len, reverse=True)
    return re.compile("|".join(re.escape(u) for u in surfaces))


def _starts_with_unit(block: str) -> bool:
    return bool(_unit_start_re().match(block))


def strip_html_residue(text: str) -> str:
    """Tags and entities left in plain text.

    >>> strip_html_residue("獎章</span>1285名&nbsp;人,獎?/span>1285名")
    '獎章1285名 人,獎1285名'
    """
    return strip_html_residue_mapped(text)[0]


def remove_pinyin_annotations(text: str) -> str:
    """Pinyin in parentheses after a character, left by a conversion: "業(yè)" → "業".

    >>> remove_pinyin_annotations("事業(yè)發(fā)展,獎?wù)1285名,区(市)县,(记者田国全 通讯员潘伟)")
    '事業發展,獎1285名,区(市)县,(记者田国全 通讯员潘伟)'
    """
    return remove_pinyin_annotations_mapped(text)[0]


def to_simplified(text: str) -> str:
    """Traditional → simplified with OpenCC, only when the text is traditional.

    >>> to_simplified("職工書屋"), to_simplified("职工书屋")
    ('职工书屋', '职工书屋')
    """
    return to_simplified_mapped(text)[0]


def halfwidth_numbers(text: str) -> str:
    """Full-width digits, Latin letters and % → half-width; "．"/"，" between digits too.

    >>> halfwidth_numbers("１２３．５万元，ＡＢ％")
    '123.5万元，AB%'
    """
    return halfwidth_numbers_mapped(text)[0]


def drop_page_furniture(text: str) -> str:
    """Page footers and running headers of PDF text; form feeds stay for clean_whitespace.

    >>> drop_page_furniture("工会工作报告\\n正文一。\\n— 1 —\\f工会工作报告\\n正文二。\\n第2页\\f工会工作报告\\n正文三。")
    '工会工作报告\\n正文一。\\n\\x0c正文二。\\n\\x0c正文三。'
    """
    return drop_page_furniture_mapped(text)[0]


def clean_whitespace(text: str) -> str:
    """Zero-width characters removed, \\r\\n unified, lines stripped, blank-line runs collapsed.

    >>> clean_whitespace("a\\u200b b \\r\\n\\n\\n\\n c ")
    'a b\\n\\nc'
    """
    return clean_whitespace_mapped(text)[0]


def join_broken_lines(text: str) -> str:
    """A paragraph cut mid-sentence ("聚力建\\n\\n功助发展") is joined again, and so is a number cut
    from its unit ("会员1200\\n人").

    A block is joined to the next when it is long (not a headline), does not end a sentence,
    and the next block continues it (starts with a character, digit or a continuing mark).

    >>> join_broken_lines("第十四次工会以来,全市青岛市总工会维权提效、服务提质、聚力建\\n\\n功助发展,储备工匠人才。\\n\\n标题")
    '第十四次工会以来,全市青岛市总工会维权提效、服务提质、聚力建功助发展,储备工匠人才。\\n\\n标题'
    >>> join_broken_lines("全市共有会员1200\\n人。")
    '全市共有会员1200人。'
    """
    return join_broken_lines_mapped(text)[0]


@dataclass(frozen=True)
class Step:
    name: str
    mapped: Callable[[str], tuple[str, OffsetMap]]

    def fn(self, text: str) -> str:
        return self.mapped(text)[0]


STEPS: tuple[Step, ...] = (
    Step("strip_html_residue", strip_html_residue_mapped),
    Step("remove_pinyin_annotations", remove_pinyin_annotations_mapped),
    Step("to_simplified", to_simplified_mapped),
    Step("halfwidth_numbers", halfwidth_numbers_mapped),
    Step("drop_page_furniture", drop_page_furniture_mapped),
    Step("clean_whitespace", clean_whitespace_mapped),
    Step("join_broken_lines", join_broken_lines_mapped),
)


@dataclass(frozen=True)
class Normalized:
    text: str
    steps: list[str]  # names of the steps that changed the text
    offsets: OffsetMap  # normalized position → original position (None: unchanged)


def normalize_mapped(text: str, steps: tuple[Step, ...] = STEPS) -> Normalized:
    """Apply the steps in order, keeping the way back to the original text."""
    changed: list[str] = []
    mapping: OffsetMap = None
    for step in steps:
        limits.check()  # each step is one linear pass over the text
        new, m = step.mapped(text)
        if new != text:
            changed.append(step.name)
            mapping = compose(mapping, m)
        text = new
    return Normalized(text, changed, mapping)


def normalize(text: str, steps: tuple[Step, ...] = STEPS) -> tuple[str, list[str]]:
    """Apply the steps in order; return the text and the names of the steps that changed it."""
    result = normalize_mapped(text, steps)
    return result.text, result.steps
