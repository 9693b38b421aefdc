"""Facts from a normalized report: which numbers count something, what, where and when."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import date

from tasks import fact_schema, lexicon
from tasks.extract import measures, numbers, periods, tables
from tasks.extract import regions as regions_mod
from tasks.extract.articles import Article, list_item_region, sentence_region, split_articles
from tasks.extract.bounds import bounds
from tasks.extract.indicators import classify
from tasks.extract.segment import clause_end, clause_start, sentences
from tasks.extract.subjects import SUBJECT_DELIMS, subjects
from tasks.operations import limits

# the noun after a small Chinese numeral that makes it a manner of speaking, not a count
ABSTRACT_NOUNS = lexicon.words("abstract_noun")
PERSON_NOUNS = lexicon.words("person_noun")
CHANGE_WORDS = lexicon.words("change_word")
VAGUE_MAGNITUDE_RE = re.compile(r"(?:近|约|超|逾|上)?[几数幾][十百千万亿拾佰仟萬億]")


@dataclass(frozen=True)
class Fact:
    """A fact as the extractor sees it; its fields are the warehouse's columns (tasks/fact_schema.py)
    and a few of its own (fact_schema.FACT_ONLY_ATTRIBUTES)."""

    doc: str
    article_no: int
    text: str
    value: float
    value_high: float | None
    value_min: float | None  # bounds from the qualifier (tasks/extract/bounds.py); None: open
    value_max: float | None
    unit: str
    qualifier: str
    kind: str
    measure: str
    status: str
    region: str
    region_code: str | None
    subject: str
    indicator_code: str
    period_id: str
    period_source: str  # sentence, previous_sentence, paragraph, section, headline, title, publication, rate or ""
    sentence: str
    start_offset: int
    end_offset: int
    sentence_start: int | None = None  # of `sentence` in the normalized text
    # where the report wrote it: offsets into the decoded original (set by the pipeline)
    source_start: int | None = None
    source_end: int | None = None
    source_text: str | None = None
    source_sentence: str | None = None

    def as_dict(self) -> dict:
        """The fact under the names of the labeling spec (`unionfacts extract` output)."""
        return fact_schema.labelled(asdict(self))


PERSON_SUFFIXES = lexicon.words("person_suffix")


def unit_of(span: numbers.NumberSpan, sentence: str, subject: str) -> str:
    """个 counts persons when what it counts are persons ("职工创新能手100个")."""
    if span.unit != "个":
        return span.unit
    m = re.match(r"[^的" + SUBJECT_DELIMS + "]*", sentence[span.end :])
    counted = m.group() if m and m.group() else subject
    return "人" if counted.endswith(PERSON_SUFFIXES) else span.unit


def kind_of(span: numbers.NumberSpan, text: str) -> str:
    if span.kind == "percent" or span.kind == "percentage_point":
        window = text[max(0, span.start - 8) : span.start]
        return "change" if any(w in window for w in CHANGE_WORDS) or span.kind == "percentage_point" else "rate"
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
        following = text[span.end : span.end + 4]
        if following.startswith(ABSTRACT_NOUNS):
            return False
    return True


# "12351职工服务热线": a number that names a hotline or a platform, not persons
SERVICE_LINE_RE = re.compile(r"[\u4e00-\u9fff]{0,6}(?:热线|专线|电话|短号|服务号)")


def bare_person_count(span: numbers.NumberSpan, text: str) -> numbers.NumberSpan | None:
    """ "194万会员", "近12万职工创业": a number directly before people counts persons."""
    if span.kind != "number" or span.value is None or span.value < 10:
        return None
    numeral_has_digit = re.search(r"\d", span.text)
    if not numeral_has_digit and span.qualifier == "exact":
        return None  # 百万职工: rhetoric
    if text.startswith(PERSON_NOUNS, span.end) and not SERVICE_LINE_RE.match(text, span.end):
        return replace(span, unit="人", kind="count")
    return None


def _looks_back(sentence: str, anchor: periods.Anchor | None, report_year: int | None) -> bool:
    """The sentence opens with a time that is not ahead of the report's year (一年来, 去年, 2023年,) and
    states no plan itself: what it says was done."""
    opening = periods.opening_scope(sentence, anchor)
    years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", opening)]
    return (
        bool(years)
        and bool(report_year)
        and max(years) <= report_year
        and not measures.states_plan(sentence, report_year)
    )


def _cell_span(row: str, cell: tables.Cell) -> numbers.NumberSpan:
    return numbers.NumberSpan(
        row[cell.start : cell.end], cell.start, cell.end, cell.value, None, cell.unit, "exact", "count"
    )


def _propagate_at_least(items: list[numbers.NumberSpan], text: str) -> list[numbers.NumberSpan]:
    """ "比例分别达到68%、40%、31%以上": the 以上 and the 达到 hold for every member of the list."""
    out = list(items)
    for idx, span in enumerate(out):
        if span.qualifier != "at_least":
            continue
        j = idx - 1
        while (
            j >= 0
            and text[out[j].end : out[j + 1].start] in ("、", "和", "及", ",", "，")
            and out[j].unit == span.unit
            and out[j].qualifier == "exact"
        ):
            out[j] = replace(out[j], qualifier="at_least")
            j -= 1
    return out


@dataclass(frozen=True)
class Extraction:
    facts: list[Fact]
    articles: tuple[Article, ...]
    numbers_seen: int  # numeric expressions the parser found, facts or not
    anchor: periods.Anchor | None = None  # what relative periods (今年, 五年来) were resolved against

    @property
    def article_count(self) -> int:
        return len(self.articles)


RELATED_LIST_RE = re.compile(r"^\s*[【\[]?(?:" + lexicon.alternation("related_list_label") + r")[】\]]?\s*[:：]?\s*$")
LINK_LINE_MAX = 40  # a headline of the list: short, without a sentence's end
ELABORATION_RE = re.compile(r"^\s*其中")  # a sentence that details the one before it


def in_list_of_links(line: str, listing: bool) -> bool:
    """The label of a list of other articles (相关新闻, 热点新闻, 推荐阅读), or, inside such a list, one
    of its headlines (a short line that ends no sentence).

    >>> in_list_of_links("相关新闻", False), in_list_of_links("漳州建成服务站点268个", True)
    (True, True)
    >>> in_list_of_links("全市建成服务站点268个，服务职工10万人次。", True)
    False
    """
    if RELATED_LIST_RE.match(line):
        return True
    stripped = line.strip()
    return listing and len(stripped) <= LINK_LINE_MAX and not stripped.endswith(("。", "！", "？", "；", ";"))


def extract(doc: str, text: str, published_on: date | None = None) -> list[Fact]:
    """Every fact of a normalized report, in reading order."""
    return extract_document(doc, text, published_on).facts


def extract_document(
    doc: str, text: str, published_on: date | None = None, saved_on: date | None = None, web_page: bool = False
) -> Extraction:
    """Facts of a normalized report with what was read to find them (one pass); `saved_on`, the day
    the file says it was saved, anchors 今年 only in a text that states no year; `web_page`: a page
    dated by its markup or a 发布时间 line, which speaks as of its publication like a news article."""
    facts: list[Fact] = []
    anchor = periods.reference_date(published_on, text, saved_on)
    articles = split_articles(text)
    numbers_seen = 0
    title = text.lstrip().split("\n", 1)[0]
    report_scope = periods.scope_of(title, anchor)  # "…总工会2024年工作综述" scopes the whole report
    report_year = anchor.year if anchor else None
    for article in articles:
        body = text[article.start : article.end]
        # what a fact without its own period inherits: the last paragraph opening that states one (until
        # the next heading), its sections' headings (the innermost that states one), its article's headline,
        # the report's title
        headline_scope = periods.scope_of(article.headline or "", anchor, periods.part_year(report_scope))
        article_scope, article_source = (headline_scope, "headline") if headline_scope else (report_scope, "title")
        if not article_scope and (article.dateline or web_page) and anchor and anchor.day:
            # a news article says what stands or was done as of its publication: the year it was published
            article_scope, article_source = str(anchor.year), "publication"
        sections: list[tuple[str, bool]] = [("", False)] * len(measures.HEADING_RES)  # (period, of plans)
        paragraph_scope, paragraph_at = "", -1
        listing = False  # inside a list of links to other articles
        plan_in_paragraph = False  # the paragraph so far states a plan
        previous_start = paragraph_start = article.start
        stated_before, stated_in_paragraph = "", -1  # the period the previous sentence stated
        legends = tables.legends(body) if "单位" in body else []  # a table's units, given once
        for sent in sentences(body, article.start):
            limits.check()  # a sentence is bounded (segment.MAX_SENTENCE_CHARS): the file's budget holds
            limits.check_facts(len(facts))
            if in_list_of_links(sent.text, listing):
                listing = True  # a "相关新闻" list's headlines are other articles: no facts, no scope
                continue
            listing = False
            level = measures.heading_level(sent.text)
            if level is not None:  # a heading: its own section and those under it start again
                plans = measures.is_plan_heading(sent.text, anchor.year if anchor else None)
                enclosing = next((period for period, _ in reversed(sections[:level]) if period), article_scope)
                heading_scope = periods.scope_of(sent.text, anchor, periods.part_year(enclosing))
                sections[level:] = [(heading_scope, plans)] + [("", False)] * (len(sections) - level - 1)
                paragraph_scope, paragraph_at = "", -1
            in_plans = any(plans for _, plans in sections)
            section_scope = next((period for period, _ in reversed(sections) if period), "")
            # the paragraph's start: the last line break since the previous sentence began (read once:
            # a text without line breaks is not searched back to its start for every sentence)
            line_break = text.rfind("\n", previous_start, sent.start)
            paragraph_start = line_break + 1 if line_break >= 0 else paragraph_start
            previous_start = sent.start
            if paragraph_start != paragraph_at:  # a paragraph's first sentence: does it open with a time?
                paragraph_at, plan_in_paragraph = paragraph_start, False
                # an opening governs until another opening or the next heading (FACTS.md)
                enclosing = section_scope or article_scope
                paragraph_scope = (
                    periods.opening_scope(sent.text, anchor, periods.part_year(enclosing)) or paragraph_scope
                )
            elif plan_in_paragraph and _looks_back(sent.text, anchor, report_year):
                plan_in_paragraph = False  # "今年将新建驿站80个。一年来,全市发展会员2万人": reported again
            plan_before = plan_in_paragraph  # a plan in an earlier sentence of the paragraph
            plan_in_sentence = measures.plan_end(sent.text, report_year)
            plan_in_paragraph = plan_before or plan_in_sentence is not None
            scope, scope_source = next(
                ((s, source) for s, source in ((paragraph_scope, "paragraph"), (section_scope, "section")) if s),
                (article_scope, article_source),
            )
            if paragraph_start != stated_in_paragraph:
                stated_before = ""  # a new paragraph: the previous sentence's period governs no more
            if stated_before and ELABORATION_RE.match(sent.text):  # "其中，…": a part of what it just said
                scope, scope_source = stated_before, "previous_sentence"
            legend = next((lg for at, lg in reversed(legends) if article.start + at < sent.start), None)
            row = tables.row_cells(sent.text, legend) if legend else None
            if row:  # "西工区  新建工会 86  驿站 28" under a legend: each cell a fact of its column
                spans = [_cell_span(sent.text, cell) for cell in row[1]]
                numbers_seen += len(spans)
                sentence_subjects = [cell.label for cell in row[1]]
                as_of = [cell.as_of for cell in row[1]]
            else:
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
                    stated_before = ""  # 其中 after a sentence without figures details no figure
                    continue
                spans = _propagate_at_least(spans, sent.text)
                sentence_subjects = subjects(sent.text, spans)
                as_of = [False] * len(spans)
            region_code = sentence_region(sent.text, article.region_code) or article.region_code
            stated_in_sentence = ""
            for span, subject, column_as_of in zip(spans, sentence_subjects, as_of):
                clause_from, clause_to = clause_start(sent.text, span.start), clause_end(sent.text, span.end)
                unit = unit_of(span, sent.text, subject)
                low, high = bounds(span.text, span.value, span.value_high, span.qualifier)
                kind = kind_of(span, sent.text)
                # a place opening the number's list item: inside the sentence's region (其中历下区30个), or a
                # sibling of it inside the article's (晋江市建成驿站98个,石狮市建成驿站45个)
                fact_region = list_item_region(sent.text, span.start, region_code)
                if fact_region is None and article.region_code != region_code:
                    fact_region = list_item_region(sent.text, span.start, article.region_code)
                fact_region = fact_region or region_code
                period, period_source = periods.period_and_source(
                    sent.text[clause_from : span.start], sent.text[: span.start], scope, scope_source, anchor
                )
                if period_source in ("sentence", "previous_sentence"):
                    stated_in_sentence = period
                facts.append(
                    Fact(
                        doc=doc,
                        article_no=article.number,
                        text=span.text,
                        value=span.value,
                        value_high=span.value_high,
                        value_min=low,
                        value_max=high,
                        unit=unit,
                        qualifier=span.qualifier,
                        kind=kind,
                        measure="level"
                        if column_as_of
                        else measures.measure_of(
                            kind, unit, span.text, sent.text[clause_from : span.start], period, sent.text[: span.start]
                        ),
                        status=measures.status_of(plan_before, plan_in_sentence, sent.text, span, in_plans),
                        region=regions_mod.display_name(fact_region),
                        region_code=fact_region,
                        subject=subject,
                        indicator_code=classify(unit, subject, sent.text[clause_from:clause_to], sent.text),
                        period_id=period,
                        period_source=period_source,
                        sentence=sent.text.strip(),
                        start_offset=sent.start + span.start,
                        end_offset=sent.start + span.end,
                        sentence_start=sent.start + len(sent.text) - len(sent.text.lstrip()),
                    )
                )
            stated_before, stated_in_paragraph = stated_in_sentence, paragraph_start
    return Extraction(facts, tuple(articles), numbers_seen, anchor)
