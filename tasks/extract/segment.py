"""Segmentation: articles of a page, sentences of an article, words (jieba) of a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tasks.seeds import USER_DICT

SENTENCE_END_RE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』)）]?|\n|$)")
SENTENCE_MARKS = "。！？!?；;…"
CLAUSE_DELIMS = "，,。；;！？!?：:\n"
DATELINE_RE = re.compile(r"^(?:本报讯|本网讯|本台讯|本刊讯|本报记者|本报通讯员|记者|通讯员|\(记者|（记者|新华社)")
HEADLINE_MAX = 60
# photo captions: "图为…", "… 本报通讯员 沈岳 摄", "(新华社发)"; they belong to the article they follow
CAPTION_RE = re.compile(r"^(?:图为|图：|图:|上图|下图|左图|右图)|摄$|摄\)$|摄）$|(?:新华社|本报)发$")


@dataclass(frozen=True)
class Block:
    """A paragraph of the normalized text, with its offsets."""

    text: str
    start: int
    end: int

    @property
    def is_headline(self) -> bool:
        text = self.text.rstrip("”’」』)）】 ")
        return len(self.text) <= HEADLINE_MAX and bool(text) and text[-1] not in SENTENCE_MARKS and not self.is_caption

    @property
    def is_caption(self) -> bool:
        return bool(CAPTION_RE.search(self.text.strip()))


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def blocks(text: str) -> list[Block]:
    """Paragraphs (separated by line breaks), with offsets into `text`."""
    return [Block(m.group(), m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


MAX_SENTENCE_CHARS = 600  # longer "sentences" (tables pasted as text, PDF figures) are cut into pieces
SOFT_BREAKS = "，,、：:)）"  # where a piece may end, latest first; else at a space, else anywhere


def sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Sentences ending in 。！？；or a line break, with offsets (plus `offset`) into the text; one
    longer than MAX_SENTENCE_CHARS is cut at clause marks (what reads one sentence is then bounded:
    every later stage stays linear in the text).

    >>> [len(s.text) for s in sentences("全市新建工会驿站120个," * 100 + "。")]
    [598, 598, 105]
    """
    return [
        Sentence(text[start:end], start + offset, end + offset)
        for m in _sentence_matches(text)
        for start, end in _pieces(m.start(), m.end(), text)
    ]


def first_sentence_of(text: str) -> str:
    """The first sentence of `text` (as sentences(text)[0].text, without splitting the rest).

    >>> first_sentence_of("  \\n一是建会。二是入会。")
    '一是建会。'
    """
    for m in _sentence_matches(text):
        start, end = next(_pieces(m.start(), m.end(), text))
        return text[start:end]
    raise IndexError("no sentence in the text")


def _sentence_matches(text: str):
    return (m for m in SENTENCE_END_RE.finditer(text) if m.group().strip())


def _pieces(start: int, end: int, text: str):
    """(start, end) of the pieces of one sentence, each at most MAX_SENTENCE_CHARS long, cut after
    the latest clause mark in its second half, else the latest space, else at the limit."""
    while end - start > MAX_SENTENCE_CHARS:
        limit, half = start + MAX_SENTENCE_CHARS, start + MAX_SENTENCE_CHARS // 2
        cut = max(text.rfind(mark, half, limit) for mark in SOFT_BREAKS)
        if cut < 0:
            cut = max(text.rfind(" ", half, limit), text.rfind("\u3000", half, limit))
        cut = cut + 1 if cut >= 0 else limit
        yield start, cut
        start = cut
    yield start, end


def clause_start(text: str, pos: int) -> int:
    """Where the clause holding `pos` begins: after the last comma, colon or sentence mark."""
    i = pos
    while i > 0 and text[i - 1] not in CLAUSE_DELIMS:
        i -= 1
    return i


def clause_end(text: str, pos: int) -> int:
    """Where the clause holding `pos` ends (at its delimiter, or the end of the text)."""
    i = pos
    while i < len(text) and text[i] not in CLAUSE_DELIMS:
        i += 1
    return i


def is_dateline(block: Block) -> bool:
    return bool(DATELINE_RE.match(block.text))


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.load_userdict(str(USER_DICT))
    return jieba


def words(text: str) -> list[str]:
    """jieba words of a text, with the union user dictionary loaded (HMM off: stable, fast)."""
    return _jieba().lcut(text, HMM=False)
