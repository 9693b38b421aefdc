"""What sort of statistic a fact is (`measure`) and whether it was achieved or is a goal (`status`),
from the words that govern it (../shared/eval/FACTS.md):

- measure: `change` (a difference from a base: 增长12%, 提高4.2个百分点, 比上年增加180家), `share` (a rate
  or proportion: 入会率78.6%, 三成), `average` (per time unit or head: 每年, 年均, 日均, 人均), `level`
  (what stands at a date: 截至…, 现有, 总数, 达到 for what is not an activity), else `total` (what
  happened during the period: 新建, 发放, 培训);
- status: `target` when a plan governs the number: a plan word before it in its paragraph (力争, 计划,
  目标是, 将 + a verb of intent), a year ahead of the report's own (到2025年), or a heading of plans
  (二、2025年工作要点, 六、下半年重点工作); else `reported`.

The words are roles of seeds/lexicon.csv; the grammar (which span of text a word governs) is here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tasks import lexicon

if TYPE_CHECKING:
    from tasks.extract.numbers import NumberSpan

MEASURES = ("level", "total", "average", "share", "change")
STATUSES = ("reported", "target")


AVERAGE_RE = re.compile(lexicon.alternation("average_marker"))
AVERAGE_WORDS = frozenset(lexicon.words("average_marker"))
LEVEL_RE = re.compile(lexicon.alternation("level_marker"))
NOUN_AFTER_VERB = lexicon.words("noun_after_verb")
ACTIVITY_RE = re.compile(
    "(?:" + lexicon.alternation("activity_verb") + ")(?!" + lexicon.alternation("noun_after_verb") + ")"
)
FLOW_UNITS = lexicon.words("flow_unit")
AS_OF_RE = re.compile(r"截[至止]")
COMPARISON_REACH = 24  # characters before a number a comparison ending at it can span
# a comparison with a base right before the number: 较去年同期增加180家, 比上年多
COMPARISON_RE = re.compile(
    r"(?:比|较|同比|环比)[^,，。；;]{0,12}?(?:" + lexicon.alternation("change_verb_after_base") + r")了?$"
)
PLAN_RE = re.compile(
    lexicon.alternation("plan_word") + r"|目标[是为:：]|将(?=" + lexicon.alternation("intent_verb") + ")"
)
# before a plan word: the plan is referred to, not stated (按照规划, 根据计划, 超额完成年度目标)
REFERENCED_PLAN_RE = re.compile(r"按照|根据|对照|依据|完成")
PLAN_REFERENCE_REACH = 10
REFERABLE_PLANS = ("规划", "目标")  # a plan's name (按照规划); 计划, 力争 still state one (根据计划,明年将…)
# after a number in its clause: what was planned is done (计划完成的120项任务已全部完成)
DONE_AFTER_RE = re.compile(r"[^，,。；;]{0,10}?(?:已|均已|已经)(?:全部|全面|超额|圆满)?完成|全部完成|超额完成")
FUTURE_YEAR_RE = re.compile(r"(?:到|至|力争到)(20\d\d)年")
PLAN_HEADING_RE = re.compile(lexicon.alternation("plan_heading_word"))
# section headings by level: 第一部分 / 一、 / （一）
HEADING_RES = (
    re.compile(r"^\s*第[一二三四五六七八九十]+部分"),
    re.compile(r"^\s*[一二三四五六七八九十]+[、.．]"),
    re.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]"),
)
HEADING_MAX_CHARS = 30
YEAR_RE = re.compile(r"(20\d\d)年")


def measure_of(
    kind: str, unit: str | None, number: str, clause_before: str, period: str, sentence_before: str = ""
) -> str:
    """The measure of a fact from its kind, unit, the number as written and the words before it. An
    activity during the period (新建, 培训, 签订) makes a total even as of a date (截至目前签订集体合同
    215份); a date or a stock word (总数, 现有, 达到, 覆盖) makes a level. A clause without either
    takes the nearest one before it in the sentence (a list shares its verb: 新建驿站12个,其中24小时驿站
    3个), else it is a total.

    >>> measure_of("count", "家", "1.42万家", "基层工会组织达到", ""), measure_of("count", "家", "1100家", "新建基层工会组织达到", "")
    ('level', 'total')
    >>> measure_of("count", "个", "3个", "其中24小时驿站", "", "截至年底建成驿站12个,其中24小时驿站")
    'level'
    """
    if kind == "change" or number.startswith("翻") or COMPARISON_RE.search(clause_before[-COMPARISON_REACH:]):
        return "change"
    if kind == "rate" or unit == "%":
        return "share"
    if AVERAGE_RE.search(clause_before) or period in AVERAGE_WORDS:
        return "average"
    own = _stock_or_flow(clause_before)
    if own:
        return own
    if period.startswith("截至"):
        return "level"
    return _stock_or_flow(sentence_before, nearest=True) or "total"


def _stock_or_flow(text: str, nearest: bool = False) -> str | None:
    """total for an activity verb, level for a date or stock word; with `nearest`, the one closest to
    the end of the text decides (else an activity wins)."""
    activity = [m.end() for m in ACTIVITY_RE.finditer(text)]
    stock = [m.end() for m in (*AS_OF_RE.finditer(text), *LEVEL_RE.finditer(text))]
    if not activity and not stock:
        return None
    if nearest and stock and (not activity or max(stock) > max(activity)):
        return "level"
    return "total" if activity else "level"


def heading_level(line: str) -> int | None:
    """0, 1, 2 for a section heading (第一部分, 一、, （一）) of at most HEADING_MAX_CHARS; else None."""
    if len(line.strip()) > HEADING_MAX_CHARS:
        return None
    return next((level for level, r in enumerate(HEADING_RES) if r.match(line)), None)


def is_plan_heading(line: str, report_year: int | None) -> bool:
    """Whether a section heading opens a section of plans (二、2025年工作要点, 六、下半年重点工作)."""
    if PLAN_HEADING_RE.search(line):
        return True
    years = [int(y) for y in YEAR_RE.findall(line)]
    return bool(report_year and years and min(years) > report_year)


def states_plan(text: str, report_year: int | None) -> bool:
    """The text holds a plan word (力争, 计划, 目标是, 将 + a verb of intent) or a year ahead of the
    report's own (到2027年): what follows it in its paragraph is a goal."""
    return plan_end(text, report_year) is not None


def plan_end(text: str, report_year: int | None) -> int | None:
    """Where the first plan of the text ends (see `states_plan`), or None: a number after it is a
    goal. Read once per sentence, for all its numbers."""
    m = PLAN_RE.search(text)
    while (
        m
        and m.group().startswith(REFERABLE_PLANS)
        and REFERENCED_PLAN_RE.search(text, max(0, m.start() - PLAN_REFERENCE_REACH), m.start())
    ):
        m = PLAN_RE.search(text, m.end())  # "按照十四五规划目标,全市建成…": a plan named as the frame of a result
    end = m.end() if m else None
    if report_year and "20" in text:
        for year in FUTURE_YEAR_RE.finditer(text, 0, end if end is not None else len(text)):
            if int(year.group(1)) > report_year:
                return year.end()
    return end


def status_of(
    plan_before: bool, plan_in_sentence: int | None, sentence: str, span: NumberSpan, in_plan_section: bool
) -> str:
    """`target` when a plan governs the number: a plan earlier in its paragraph (`plan_before`) or
    before it in its sentence (`plan_in_sentence`, from `plan_end`), or a section of plans — unless its
    clause says after it that it was done (…任务已全部完成); else `reported`. Each sentence is read
    once for the paragraph and its numbers."""
    if DONE_AFTER_RE.match(sentence, span.end):
        return "reported"
    if in_plan_section or plan_before or (plan_in_sentence is not None and plan_in_sentence <= span.start):
        return "target"
    return "reported"
