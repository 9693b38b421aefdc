"""Articles of a page and the region each speaks for.

A newspaper page holds several articles about different places. An article starts at a headline
group (short lines without sentence marks; photo captions excluded) that is followed by a dateline
(本报讯, 本报记者 …) or that names another region than the article before it. Its region comes from
its headline, dateline and first mentions; a sentence that opens with a sub-region ("李沧区总工会…")
speaks for that sub-region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.extract import periods
from tasks.extract import regions as regions_mod
from tasks.extract.segment import Block, blocks, first_sentence_of, is_dateline

DATELINE_MAX = 80


@dataclass(frozen=True)
class Article:
    number: int
    start: int
    end: int
    region_code: str | None
    year: str  # a year the article opens with ("2024年,…"), else ""
    headline: str = ""  # the headline group, lines joined by spaces
    dateline: str = ""  # 本报讯(记者…) / 本报记者 … line, if any


def split_articles(text: str) -> list[Article]:
    """Articles of a page: a headline group starts a new article when a dateline follows it or
    when it (with the first sentence after it) names another region than the current article."""
    bs = blocks(text)
    starts: list[tuple[int, str | None, str, str]] = []  # (block index, region code, headline, dateline)
    current_region: str | None = None
    i = 0
    while i < len(bs):
        j = i
        while j < len(bs) and bs[j].is_headline and not is_dateline(bs[j]):
            j += 1
        if starts and j == i:  # no headline group here: the current article goes on
            i += 1
            continue
        head = " ".join(b.text for b in bs[i:j])
        body = bs[j] if j < len(bs) else None
        first_sentence = first_sentence_of(body.text) if body else ""
        # a headline's name shared by several places (长安区总工会) is placed by the regions the text names
        # without doubt: the report's first pages for its first article, the lede for the others
        named = text[: bs[i].start + CONTEXT_CHARS] if not starts else first_sentence
        region = _region_of(head, first_sentence, current_region, named)
        new_article = not starts or (
            (body is not None and is_dateline(body)) or (region is not None and not _related(region, current_region))
        )
        if new_article:
            if not starts and region is None:
                region = lede_region(bs[j : j + 3]) or most_mentioned_region(text[:CONTEXT_CHARS])
            dateline = body.text[:DATELINE_MAX] if body is not None and is_dateline(body) else ""
            starts.append((i, region, head, dateline))
            current_region = region or current_region
        i = max(j, i + 1) if j > i else i + 1
    articles = []
    for n, (bi, region, headline, dateline) in enumerate(starts):
        start = bs[bi].start if bs else 0
        end = bs[starts[n + 1][0]].start if n + 1 < len(starts) else len(text)
        region = region or (articles[-1].region_code if articles else None) or most_mentioned_region(text[start:end])
        articles.append(
            Article(n + 1, start, end, region, periods.article_year(_body_text(text, start, end)), headline, dateline)
        )
    return articles or [Article(1, 0, len(text), None, "")]


CONTEXT_CHARS = 2000


def _unambiguous(text: str) -> list[str]:
    """The regions a text names that only one place bears (西安市, 陕西省), in order."""
    return list(dict.fromkeys(m.candidates[0] for m in regions_mod.mentions(text) if len(m.candidates) == 1))


def lede_region(body: list[Block]) -> str | None:
    """The first region named in the opening lines of the body (after the datelines)."""
    lede = " ".join(b.text for b in body if not is_dateline(b))[:150]
    return regions_mod.resolve_chain(lede)


def most_mentioned_region(text: str) -> str | None:
    """The region named most often (prefecture or below preferred over a province on ties)."""
    counts: dict[str, int] = {}
    for m in regions_mod.mentions(text):
        if len(m.candidates) == 1:
            counts[m.candidates[0]] = counts.get(m.candidates[0], 0) + 1
    if not counts:
        return None
    level_rank = {"county": 0, "prefecture": 1, "province": 2}
    return max(counts, key=lambda c: (counts[c], -level_rank.get(regions_mod.regions()[c].level, 3)))


def _body_text(text: str, start: int, end: int) -> str:
    body = [b.text for b in blocks(text[start:end]) if not b.is_headline and not is_dateline(b)]
    return body[0] if body else ""


def _related(code: str, other: str | None) -> bool:
    """Same region, or one inside the other (山东省 and 青岛市 are related)."""
    return bool(other) and (_within(code, other) or _within(other, code))


def _within(code: str, parent: str | None) -> bool:
    """`code` is `parent` or lies inside it (every region lies inside 全国)."""
    return bool(parent) and (
        code == parent or parent == regions_mod.COUNTRY_CODE or parent in regions_mod.ancestors(code)
    )


NATIONAL_RE = re.compile(r"^(?:中华)?全国总工会|^全总|^全国(?:各级)?工会")
# the opening of a news dateline: where the reporter filed (本报北京1月22日电（记者 …）), not what it is about
DATELINE_OPENING_RE = re.compile(
    r"^\s*(?:本报|新华社|中新社|中新网|人民网|新华网|工人日报)?[\u4e00-\u9fff]{0,8}?\d{1,2}月\d{1,2}日(?:电|讯)"
    r"(?:\s*[（(][^)）]{0,30}[)）])?"
)
# the national union as the source of a lede (记者从全国总工会获悉): the article is about 全国
NATIONAL_SOURCE_RE = re.compile(r"(?:从|据|由)(?:中华)?全国总工会|全国各级工会")


def _region_of(head: str, first_sentence: str, context: str | None, around: str = "") -> str | None:
    """Region of an article from its headline (a name shared by several places placed by the regions
    named `around` it), else its first sentence; 全国 for the national union."""
    ctx = [context] + regions_mod.ancestors(context) if context else []
    dateline = DATELINE_OPENING_RE.match(first_sentence)
    lede = first_sentence[dateline.end() :] if dateline else first_sentence
    found = regions_mod.resolve_chain(head, ctx)
    if found is None and around and any(len(m.candidates) > 1 for m in regions_mod.mentions(head)):
        found = regions_mod.resolve_chain(head, ctx + _unambiguous(around))
    found = found or regions_mod.resolve_chain(lede[:80], ctx)
    if found is None and (
        any(NATIONAL_RE.search(t.lstrip()) for t in (head, lede)) or NATIONAL_SOURCE_RE.search(lede[:80])
    ):
        return regions_mod.COUNTRY_CODE
    if found is None and dateline:  # nothing else says where: the newsroom's city
        return regions_mod.resolve_chain(dateline.group(), ctx)
    return found


def sentence_region(sentence: str, article_region: str | None) -> str | None:
    """A sentence that opens with a sub-region, or names "<county>总工会", speaks for it."""
    ctx = [article_region] + regions_mod.ancestors(article_region) if article_region else []
    dateline = DATELINE_OPENING_RE.match(sentence)  # the newsroom's city is no subject
    sentence = sentence[dateline.end() :] if dateline else sentence
    lead = re.sub(r"^(?:\d{1,2}月\d{1,2}日|近日|日前|同时|此外|目前)[,，]?", "", sentence.lstrip())
    code = regions_mod.resolve_chain(lead[:12], ctx) if regions_mod.mentions(lead[:4]) else None
    if code is None:
        m = re.search(r"([\u4e00-\u9fff]{2,8}?(?:区|县|市))(?:总工会|工会)", sentence)
        if m and m.start(1) < 12:
            code = regions_mod.resolve_chain(m.group(1), ctx)
    if code and article_region and code != article_region and not _within(code, article_region):
        # a place outside the article's region: keep it only if it is more specific
        if regions_mod.regions()[code].level != "county":
            return None
    return code


LIST_ITEM_MARKS = "、,，;；:："  # a list item starts after the last of these before its number
LIST_ITEM_OPENER_RE = re.compile(r"^(?:其中|另有|包括|分别为|分别是)")
FULL_NAME_END_RE = re.compile("[区县市省州旗盟]")


def list_item_region(sentence: str, number_start: int, region: str | None) -> str | None:
    """A place that opens the list item a number ends ("其中湖里区57个、思明区49个") speaks for that
    number, when it lies inside the sentence's region; else None."""
    item_from = max(sentence.rfind(mark, 0, number_start) for mark in LIST_ITEM_MARKS) + 1
    item = LIST_ITEM_OPENER_RE.sub("", sentence[item_from:number_start])
    if not FULL_NAME_END_RE.search(item, 0, 8):  # a place written in full ends in 区, 县, 市 …
        return None
    found = regions_mod.mentions(item[:8])
    if not found or found[0].start != 0 or not found[0].is_full_name:
        return None
    ctx = [region] + regions_mod.ancestors(region) if region else []
    code = regions_mod.resolve_chain(item, ctx)
    return code if code and region and code != region and _within(code, region) else None
