"""Normalization as a row of small named `str → str` steps, applied in order.

`normalize(text)` returns the normalized text and the names of the steps that changed it.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
BROKEN_TAG_RE = re.compile(r"[<?]?/(?:span|div|p|font|strong|em|br|a|b|i|u|td|tr)\s*>", re.IGNORECASE)
HTML_ENTITY_RE = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,5});")
TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
PINYIN_RE = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-z{TONE_VOWELS}]*[{TONE_VOWELS}])[a-z{TONE_VOWELS}]{{1,7}}\)")
ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# characters used only in traditional writing; a handful per hundred marks a traditional text
TRADITIONAL_MARKERS = frozenset(
    "們這會發與國職業勞動為來經時區開長實現進體關員學務協織問題過還點總農費錢際認參機構運義黨處"
    "幫維權資產級單設區劃導廣東衛優當則據戰觀這樣險場線團聯車氣讓歷邊萬億廠熱書辦屆務濟華準")
TERMINAL = "。！？!?；;…”’」』)）】"
FULLWIDTH_TABLE = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                                 **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
                                 **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
                                 "％": "%"})
FULLWIDTH_NUMBER_PUNCT_RE = re.compile(r"(?<=[0-9０-９])[．，](?=[0-9０-９])")


def strip_html_residue(text: str) -> str:
    """Tags and entities left in plain text.

    >>> strip_html_residue("獎章</span>1285名&nbsp;人,獎?/span>1285名")
    '獎章1285名 人,獎1285名'
    """
    if "<" not in text and "&" not in text and "/" not in text:
        return text
    text = BROKEN_TAG_RE.sub("", HTML_TAG_RE.sub("", text))
    return HTML_ENTITY_RE.sub(lambda m: html.unescape(m.group()).replace("\xa0", " "), text)


def remove_pinyin_annotations(text: str) -> str:
    """Pinyin in parentheses after a character, left by a conversion: "業(yè)" → "業".

    >>> remove_pinyin_annotations("事業(yè)發(fā)展,区(市)县,(记者田国全 通讯员潘伟)")
    '事業發展,区(市)县,(记者田国全 通讯员潘伟)'
    """
    return PINYIN_RE.sub("", text) if "(" in text else text


def is_traditional(text: str, sample: int = 4000) -> bool:
    """True when a text is written in traditional characters (judged on a sample).

    >>> is_traditional("匯聚工人階級磅礴力量做好廣大職工"), is_traditional("汇聚工人阶级磅礴力量")
    (True, False)
    """
    head = text[:sample]
    cjk = sum(1 for ch in head if "\u4e00" <= ch <= "\u9fff")
    marks = sum(1 for ch in head if ch in TRADITIONAL_MARKERS)
    return cjk > 0 and marks / cjk > 0.02


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # opencc-python-reimplemented; imported only for traditional texts

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified with OpenCC, only when the text is traditional.

    >>> to_simplified("職工書屋"), to_simplified("职工书屋")
    ('职工书屋', '职工书屋')
    """
    return _t2s().convert(text) if is_traditional(text) else text


def halfwidth_numbers(text: str) -> str:
    """Full-width digits, Latin letters and % → half-width; "．"/"，" between digits too.

    >>> halfwidth_numbers("１２３．５万元，ＡＢ％")
    '123.5万元，AB%'
    """
    text = FULLWIDTH_NUMBER_PUNCT_RE.sub(lambda m: "." if m.group() == "．" else ",", text)
    return text.translate(FULLWIDTH_TABLE)


def clean_whitespace(text: str) -> str:
    """Zero-width characters removed, \\r\\n unified, lines stripped, blank-line runs collapsed.

    >>> clean_whitespace("a\\u200b b \\r\\n\\n\\n\\n c ")
    'a b\\n\\nc'
    """
    text = ZERO_WIDTH_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = [line.strip().replace("\u3000", " ") for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def join_broken_lines(text: str) -> str:
    """A paragraph cut mid-sentence ("聚力建\\n\\n功助发展") is joined again.

    A block is joined to the next when it is long (not a headline), does not end a sentence,
    and the next block continues it (starts with a character, digit or a continuing mark).

    >>> join_broken_lines("第十四次工会以来,全市青岛市总工会维权提效、服务提质、聚力建\\n\\n功助发展,储备工匠人才。\\n\\n标题")
    '第十四次工会以来,全市青岛市总工会维权提效、服务提质、聚力建功助发展,储备工匠人才。\\n\\n标题'
    """
    blocks = re.split(r"\n\s*\n|\n", text)
    out: list[str] = []
    for block in blocks:
        if out and _continues(out[-1], block):
            out[-1] += block
        else:
            out.append(block)
    return "\n\n".join(b for b in out if b)


def _continues(previous: str, block: str) -> bool:
    if len(previous) < 30 or not block or previous[-1] in TERMINAL or previous.endswith("摄"):
        return False
    if not re.search(r"[，,。；;]", previous):
        return False  # a headline, not a paragraph
    if len(block) < 20 and block[-1] not in TERMINAL:
        return False  # the next block is a headline
    if block.startswith(("本报", "■", "图为", "(", "（", "-", "—", "#")):
        return False
    first = block[0]
    return "\u4e00" <= first <= "\u9fff" or first.isdigit() or first in "、,，:：”"


@dataclass(frozen=True)
class Step:
    name: str
    fn: Callable[[str], str]


STEPS: tuple[Step, ...] = (
    Step("strip_html_residue", strip_html_residue),
    Step("remove_pinyin_annotations", remove_pinyin_annotations),
    Step("to_simplified", to_simplified),
    Step("halfwidth_numbers", halfwidth_numbers),
    Step("clean_whitespace", clean_whitespace),
    Step("join_broken_lines", join_broken_lines),
)


def normalize(text: str, steps: tuple[Step, ...] = STEPS) -> tuple[str, list[str]]:
    """Apply the steps in order; return the text and the names of the steps that changed it."""
    changed = []
    for step in steps:
        new = step.fn(text)
        if new != text:
            changed.append(step.name)
        text = new
    return text, changed
