"""Facts from a normalized report: which numbers count something, what, where and when."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

from tasks import numbers, periods
from tasks.indicators import classify
from tasks import regions as regions_mod
from tasks.segment import Block, blocks, is_dateline, sentences
from tasks.subjects import SUBJECT_DELIMS, subjects

CLAUSE_DELIMS = "，,。；;！？!?：:\n"
# the noun after a small Chinese numeral that makes it a manner of speaking, not a count
ABSTRACT_NOUNS = ("方面", "精神", "意识", "自信", "服从", "责任", "维护", "作用", "环节", "领域", "层面",
                  "重点", "原则", "目标", "理念", "坚持", "结合", "统一", "转变", "一体", "字", "步",
                  "阶段", "特色", "机制", "体系", "模式", "平台", "品牌", "工程", "行动", "措施", "实事",
                  "之家", "大", "队", "中队", "大队")
PERSON_NOUNS = ("职工", "会员", "新就业形态劳动者", "劳动者", "农民工", "工人", "员工", "志愿者", "党员",
                "人才", "群众", "货车司机", "快递员", "外卖", "骑手", "妇女", "青年", "学生")
CHANGE_WORDS = ("下降", "增长", "提高了", "减少", "上升", "降低", "增加", "增幅", "降幅", "同比",
                "提升了", "缩短", "减轻")
VAGUE_MAGNITUDE_RE = re.compile(r"(?:近|约|超|逾|上)?[几数幾][十百千万亿拾佰仟萬億]")


@dataclass(frozen=True)
class Fact:
    doc: str
    article: int
    text: str
    value: float
    value_high: float | None
    unit: str
    qualifier: str
    kind: str
    region: str
    region_code: str | None
    subject: str
    indicator: str
    period: str
    sentence: str
    start: int
    end: int
    sentence_start: int | None = None  # of `sentence` in the normalized text
    # where the report wrote it: offsets into the decoded original (set by the pipeline)
    source_start: int | None = None
    source_end: int | None = None
    source_text: str | None = None
    source_sentence: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Article:
    number: int
    start: int
    end: int
    region_code: str | None
    year: str


def split_articles(text: str) -> list[Article]:
    """Articles of a page: a headline group starts a new article when a dateline follows it or
    when it (with the first sentence after it) names another region than the current article."""
    bs = blocks(text)
    starts: list[tuple[int, str | None]] = []  # (block index, region code)
    current_region: str | None = None
    i = 0
    while i < len(bs):
        j = i
        while j < len(bs) and bs[j].is_headline and not is_dateline(bs[j]):
            j += 1
        head = " ".join(b.text for b in bs[i:j])
        body = bs[j] if j < len(bs) else None
        first_sentence = sentences(body.text)[0].text if body else ""
        region = _region_of(head, first_sentence, current_region)
        new_article = not starts or j > i and (
            (body is not None and is_dateline(body)) or (region is not None and not _related(region, current_region)))
        if new_article:
            if not starts and region is None:
                region = lede_region(bs[j:j + 3]) or most_mentioned_region(text[:2000])
            starts.append((i, region))
            current_region = region or current_region
        i = max(j, i + 1) if j > i else i + 1
    articles = []
    for n, (bi, region) in enumerate(starts):
        start = bs[bi].start if bs else 0
        end = bs[starts[n + 1][0]].start if n + 1 < len(starts) else len(text)
        region = region or (articles[-1].region_code if articles else None) or \
            most_mentioned_region(text[start:end])
        articles.append(Article(n + 1, start, end, region, periods.article_year(_body_text(text, start, end))))
    return articles or [Article(1, 0, len(text), None, "")]


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
    return bool(parent) and (code == parent or parent in regions_mod.ancestors(code))


NATIONAL_RE = re.compile(r"^(?:中华)?全国总工会|^全总|^全国(?:各级)?工会")


def _region_of(head: str, first_sentence: str, context: str | None) -> str | None:
    """Region of an article from its headline, else its first sentence; 全国 for the national union."""
    ctx = [context] + regions_mod.ancestors(context) if context else []
    found = regions_mod.resolve_chain(head, ctx) or regions_mod.resolve_chain(first_sentence[:80], ctx)
    if found is None and any(NATIONAL_RE.search(t.lstrip()) for t in (head, first_sentence)):
        return regions_mod.COUNTRY_CODE
    return found


def sentence_region(sentence: str, article_region: str | None) -> str | None:
    """A sentence that opens with a sub-region, or names "<county>总工会", speaks for it."""
    ctx = [article_region] + regions_mod.ancestors(article_region) if article_region else []
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


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in CLAUSE_DELIMS:
        i -= 1
    return i


PERSON_SUFFIXES = ("能手", "标兵", "代表", "选手", "人才", "工匠", "劳模", "职工", "员", "者", "师", "家庭成员")


def unit_of(span: numbers.NumberSpan, sentence: str, subject: str) -> str:
    """个 counts persons when what it counts are persons ("职工创新能手100个")."""
    if span.unit != "个":
        return span.unit
    m = re.match(r"[^的" + SUBJECT_DELIMS + "]*", sentence[span.end:])
    counted = m.group() if m and m.group() else subject
    return "人" if counted.endswith(PERSON_SUFFIXES) else span.unit


def kind_of(span: numbers.NumberSpan, text: str) -> str:
    if span.kind == "percent" or span.kind == "percentage_point":
        window = text[max(0, span.start - 8):span.start]
        return "change" if any(w in window for w in CHANGE_WORDS) or span.kind == "percentage_point" \
            else "rate"
    if span.value_high is not None:
        return "range"
    if span.kind in ("money",):
        return "money"
    return "count"


def as_share(span: numbers.NumberSpan) -> numbers.NumberSpan:
    """A fraction of a whole (三分之一的职工, 2/3) is tabulated as a percentage."""
    if span.kind != "fraction" or span.value is None:
        return span
    return replace(span, value=round(span.value * 100, 6), unit="%", kind="percent")


def is_fact(span: numbers.NumberSpan, text: str) -> bool:
    """Quantities that a statistician would tabulate; figures of speech and names are not."""
    if span.kind not in numbers.QUANTITY_KINDS:
        return False
    if VAGUE_MAGNITUDE_RE.match(span.text):
        return False  # 几十台, 数十家: an order of magnitude, not a figure
    if span.is_chinese and span.value == 1 and span.qualifier == "exact":
        return False  # 一个中央厨房, 一批: an article, not a count
    if span.is_chinese and span.value < 11:
        following = text[span.end:span.end + 4]
        if following.startswith(ABSTRACT_NOUNS):
            return False
    return True


def bare_person_count(span: numbers.NumberSpan, text: str) -> numbers.NumberSpan | None:
    """"194万会员", "近12万职工创业": a number directly before people counts persons."""
    if span.kind != "number" or span.value is None or span.value < 10:
        return None
    numeral_has_digit = re.search(r"\d", span.text)
    if not numeral_has_digit and span.qualifier == "exact":
        return None  # 百万职工: rhetoric
    if text.startswith(PERSON_NOUNS, span.end):
        return replace(span, unit="人", kind="count")
    return None


def _propagate_at_least(items: list[numbers.NumberSpan], text: str) -> list[numbers.NumberSpan]:
    """"比例分别达到68%、40%、31%以上": the 以上 and the 达到 hold for every member of the list."""
    out = list(items)
    for idx, span in enumerate(out):
        if span.qualifier != "at_least":
            continue
        j = idx - 1
        while j >= 0 and text[out[j].end:out[j + 1].start] in ("、", "和", "及", ",", "，") and \
                out[j].unit == span.unit and out[j].qualifier == "exact":
            out[j] = replace(out[j], qualifier="at_least")
            j -= 1
    return out


@dataclass(frozen=True)
class Extraction:
    facts: list[Fact]
    article_count: int
    numbers_seen: int  # numeric expressions the parser found, facts or not


def extract(doc: str, text: str) -> list[Fact]:
    """Every fact of a normalized report, in reading order."""
    return extract_document(doc, text).facts


def extract_document(doc: str, text: str) -> Extraction:
    """Facts of a normalized report with what was read to find them (one pass)."""
    facts: list[Fact] = []
    articles = split_articles(text)
    numbers_seen = 0
    for article in articles:
        body = text[article.start:article.end]
        for sent in sentences(body, article.start):
            spans = []
            scanned = numbers.scan(sent.text)
            numbers_seen += len(scanned)
            for span in scanned:
                span = as_share(span)
                if span.kind == "number":
                    span = bare_person_count(span, sent.text) or span
                if is_fact(span, sent.text):
                    spans.append(span)
            if not spans:
                continue
            spans = _propagate_at_least(spans, sent.text)
            region_code = sentence_region(sent.text, article.region_code) or article.region_code
            for span, subject in zip(spans, subjects(sent.text, spans)):
                clause_start = _clause_start(sent.text, span.start)
                clause_end = span.end
                while clause_end < len(sent.text) and sent.text[clause_end] not in CLAUSE_DELIMS:
                    clause_end += 1
                unit = unit_of(span, sent.text, subject)
                facts.append(Fact(
                    doc=doc, article=article.number, text=span.text, value=span.value,
                    value_high=span.value_high, unit=unit, qualifier=span.qualifier,
                    kind=kind_of(span, sent.text), region=regions_mod.display_name(region_code),
                    region_code=region_code, subject=subject,
                    indicator=classify(unit, subject, sent.text[clause_start:clause_end], sent.text),
                    period=periods.period_of(sent.text[clause_start:span.start], sent.text[:span.start],
                                             article.year),
                    sentence=sent.text.strip(), start=sent.start + span.start, end=sent.start + span.end,
                    sentence_start=sent.start + len(sent.text) - len(sent.text.lstrip()),
                ))
    return Extraction(facts, len(articles), numbers_seen)
