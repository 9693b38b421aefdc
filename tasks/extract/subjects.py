"""What a number counts: a short phrase from the words around it ("建成136家惠工家" → 惠工家).

All numbers of a sentence are read together, because lists share their head noun ("1个省级、9个
市级工匠学院" → 省级工匠学院, 市级工匠学院), list members share their subject ("比例分别达到68%、
40%") and a clause that only says 服务/覆盖/惠及 speaks about the sentence's topic ("打造784个工会
驿站,累计服务职工300余万人次" → 工会驿站服务职工), and one that only says 新增/新建 counts more of
it ("建成职工书屋320家,其中新建45家" → 新建职工书屋).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks import lexicon
from tasks.extract.numbers import NumberSpan
from tasks.extract.periods import BASE_VALUE_RE
from tasks.extract.regions import UNION_SUFFIXES, mentions, opens_with_a_name
from tasks.extract.segment import clause_start, words

SUBJECT_DELIMS = '，,。；;、：:！？!?（(）)“”"《》…\n'
CONJUNCTIONS = lexicon.words("conjunction")
SUBJECT_MAX = 16
# a short parenthetical inside a name: 区(市)工会, 镇街(园区)职工法律服务站, 社区(村庄)
INNER_PARENS_RE = re.compile(r"[(（][\u4e00-\u9fff]{1,4}[)）](?=[\u4e00-\u9fff])")
LEADING_WORDS = lexicon.words("leading_word")
OBJECT_VERBS = lexicon.words("object_verb")
COUNT_VERBS = lexicon.words("count_verb")
STATISTIC_WORDS = lexicon.words("statistic_word")
PART_VERBS = frozenset(lexicon.words("part_verb"))
BARE_ACTS = frozenset(OBJECT_VERBS) | frozenset(LEADING_WORDS)  # a subject that is only one names no thing
# an act in the phrase before a number (the first is taken): who acted is no part of what is counted
ACT_RE = re.compile(
    "(?:("
    + lexicon.alternation("object_verb")
    + ")|("
    + lexicon.alternation("count_verb")
    + '))(?=[\u4e00-\u9fff“"(（]{2})'
)
TRAILING_WORDS = lexicon.words("trailing_word")
# where the phrase after a number stops naming what is counted ("职工在竞赛中", "企业提供服务")
SUBJECT_CUT_RE = re.compile(
    r"在|参加|参与|进行|开展|实现|享受|获得|提升|报名|受益|入会|从事|覆盖|走进|^实施|"
    r"等|的“|提供|为|以(?![上下来])|中(?=[,，。；]|$)|打造|成立|形成|同场|用于"
)
# a phrase before 的 that starts with one of these is a relative clause ("面向全区职工的…活动")
RELATIVE_CLAUSE_VERBS = lexicon.words("relative_clause_verb")
# "13人获评省、市五一劳动奖章": the award names what the persons are
AWARD_RE = re.compile(
    r"([\u4e00-\u9fff]{0,6}?)(?:分别|先后|均)?(?:荣获|获评|获得|被评为|被授予|当选|入选)"
    r"([^，,。；;！？!?:：\s]{2,24})"
)
AWARD_TITLE_RE = re.compile(r"之星|奖|称号|先锋号|工匠|劳模|模范|能手|标兵|示范|先进|之家|巾帼|优秀")
AWARD_OBJECT_END_RE = re.compile(r"(?:称号|荣誉称号|荣誉)$")
# clause openers that say what was done for people, not what: they take the sentence's topic
SERVICE_VERBS = lexicon.words("service_verb")
# a subject that is only one of these says how the sentence's thing changed: "会员达到50万人,新增3万人"
# counts new 会员 (新增工会会员)
CHANGE_VERBS = lexicon.words("change_verb")
# a comparison with before and the change it states: a subject that is only one ("较上年提高2.3个百分点")
# is the change of what the sentence counted before (职工满意度提高); one that ends a longer phrase
# leaves the thing and its change ("入会职工数较2022年底增加" → 入会职工数增加)
COMPARISON_BASE = r"(?:较|比|同比|环比|相比)(?:(?:19|20)[0-9]{2}年(?:底|末|初)?|上年|去年|上一年|年初)?(?:同期)?"
COMPARISON_RE = re.compile(COMPARISON_BASE + r"(提高|增长|增加|上升|下降|减少|降低|回落|新增|净增)")
COMPARED_AT_END_RE = re.compile(COMPARISON_RE.pattern + "$")
# a comparison with no verb before its number ("比2020年翻一番"): the thing grew
BASE_ONLY_RE = re.compile(COMPARISON_BASE)
MONEY_WORDS = lexicon.words("money_word")
# the words between two numbers of a list that share a head noun: "1个省级、9个市级…工匠学院"
LIST_MODIFIER_RE = re.compile(r"[\u4e00-\u9fff()（）]{1,6}?(?:、|和|及|与|以及)")
# a time adverbial inside the phrase before a number is no part of what is counted: the phrase starts
# after it ("总工会2024年累计培训职工12.5万人次" → 培训职工)
TIME_IN_PHRASE_RE = re.compile(
    r"(?:(?:(?:19|20)[0-9]{2}年(?:度|底|初|末)?|今年|去年|当年|上半年|下半年)"
    r"(?:[0-9一二三四五六七八九十]{1,2}月(?:份|底)?)?(?:以来|来)?"
    r"|(?:前|第)?[一二三四1-4]季度|[0-9]{1,2}\s*[-—~至到]\s*[0-9]{1,2}月(?:份)?"
    r"|[一二三四五六七八九十两]{1,3}年(?:以)?来|近年来|[“\"]?十[一二三四五六七八九]五[”\"]?(?:以来|期间|时期)"
    r"|年底|年初|期间|前夕|之际|当天)"  # 中秋节前夕, 国庆节期间, 开学之际: when, not what
)
CJK_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# a news lede's byline before its first words: "本报讯 烟台市总工会…", "本报青岛1月5日电 …"
BYLINE_RE = re.compile(r"^\s*(?:本报讯|本报记者|本报通讯员|新华社电|[\u4e00-\u9fff]{0,8}?\d{1,2}月\d{1,2}日电)\s*")
BEFORE_BREAK_RE = re.compile(r"[、（(）)“”《》]")  # the phrase before a number starts after these
QUOTED_END_RE = re.compile(r"[“\"][^“”\"]{2,12}[”\"]$")  # a short name in quotes ends the text
TOPIC_BREAK_RE = re.compile(r"[“”\"《》]")
TITLE_MARKS_RE = re.compile(r"[、“”\"‘’《》]")
TITLE_END_RE = re.compile(r"(?:等|的|和其他)")


@dataclass(frozen=True)
class _Reading:
    subject: str
    from_after: bool  # read from the words after the number
    cut_by_next: bool  # the phrase after the number ran into the next number of a list


def subjects(sentence: str, spans: list[NumberSpan]) -> list[str]:
    """The subject of each span of a sentence, in order."""
    readings = [_read(sentence, spans, i) for i in range(len(spans))]
    out = [r.subject for r in readings]
    for i in range(len(spans) - 2, -1, -1):  # list heads: right to left, so chains resolve
        if readings[i].cut_by_next and out[i + 1]:
            out[i] = _with_shared_head(out[i], out[i + 1])
    for i in range(1, len(spans)):  # "比例分别达到68%、40%": members take the first one's subject
        if not out[i] and _in_list(sentence, spans[i - 1], spans[i]):
            out[i] = out[i - 1]
    topic, last_subject = "", ""  # the topic is read only when a 服务/覆盖 clause needs it
    after_base = False
    for i, span in enumerate(spans):
        is_base = bool(last_subject) and bool(BASE_VALUE_RE.search(_text_before(sentence, spans, i)))
        if is_base:  # "较去年同期的560家": what the sentence counted, at the base date
            out[i] = last_subject
        elif out[i].startswith(SERVICE_VERBS) and not readings[i].from_after:
            topic = topic or _head_noun(last_subject) or _topic_before(sentence, span.start)
            if topic and not out[i].startswith(topic):
                out[i] = (topic + out[i])[: SUBJECT_MAX + 4]
        elif out[i] in CHANGE_VERBS and not readings[i].from_after and last_subject:
            thing = _head_noun(last_subject, max_len=10)  # "其中新建45家": 新建 + the thing counted before
            out[i] = thing + out[i] if after_base else out[i] + thing  # "…的560家增加180家": the change
        elif (compared := COMPARISON_RE.fullmatch(out[i])) and last_subject:
            out[i] = _head_noun(last_subject, max_len=10) + compared.group(1)  # 较上年提高 → 职工满意度提高
        elif BASE_ONLY_RE.fullmatch(out[i]) and last_subject:
            out[i] = _head_noun(last_subject, max_len=10) + "增长"  # "比2020年翻一番"
        elif last_subject and _is_place(out[i]):  # "其中湖里区57个": a place's share of the thing
            out[i] = _head_noun(last_subject, max_len=10)
        elif last_subject and out[i].lstrip("被已") in PART_VERBS and not readings[i].from_after:
            out[i] = out[i].lstrip("被已") + _head_noun(_without_act(last_subject), max_len=10)  # 采纳合理化建议
        elif last_subject and out[i] in STATISTIC_WORDS and not readings[i].from_after:
            out[i] = _head_noun(_without_act(last_subject), max_len=10) + out[i]  # "新建驿站50个,总数达到300个"
        elif last_subject and out[i] in BARE_ACTS and not readings[i].from_after:
            out[i] = _head_noun(_without_act(last_subject), max_len=10)  # "新建驿站36个,累计建成268个"
        elif out[i]:
            topic, last_subject = "", out[i]
        after_base = is_base
    return out


def _text_before(sentence: str, spans: list[NumberSpan], i: int) -> str:
    """The text of the number's clause before it, from the previous number on."""
    begin = clause_start(sentence, spans[i].start)
    if i > 0:
        begin = max(begin, spans[i - 1].end)
    return sentence[begin : spans[i].start]


def _is_place(phrase: str) -> bool:
    found = mentions(phrase) if 2 <= len(phrase) <= 12 and opens_with_a_name(phrase) else []
    return len(found) == 1 and found[0].start == 0 and found[0].end == len(phrase)


def subject_of(sentence: str, span: NumberSpan) -> str:
    """The subject of one number read on its own (see `subjects` for a whole sentence)."""
    return _read(sentence, [span], 0).subject


def _read(sentence: str, spans: list[NumberSpan], i: int) -> _Reading:
    span = spans[i]
    limit = spans[i + 1].start if i + 1 < len(spans) else len(sentence)
    award = AWARD_RE.match(sentence, span.end)
    if award and AWARD_TITLE_RE.search(award.group(2)):
        return _Reading(_award_subject(award, span), True, False)
    after = _phrase_after(sentence, span.end, limit)
    phrase = _trim_after(after, span)
    if len(phrase) >= 2 and CJK_RE.match(phrase):
        cut_by_next = i + 1 < len(spans) and bool(LIST_MODIFIER_RE.fullmatch(sentence[span.end : limit]))
        return _Reading(phrase[:SUBJECT_MAX], True, cut_by_next)
    before = _phrase_before(sentence, spans, i)
    if span.kind == "money" and before and len(before) <= 3 and not before.endswith(MONEY_WORDS):
        before += "资金"  # "投入60万元": what was put in is money
    return _Reading(before, False, False)


def _phrase_after(sentence: str, start: int, limit: int) -> str:
    """The words after a number up to a delimiter or the next number, short parentheticals kept."""
    k = start
    while k < limit and sentence[k] in '“"‘':
        k += 1
    begin = k
    while k < limit and k - begin < SUBJECT_MAX + 6:
        if sentence[k] in "(（":
            m = INNER_PARENS_RE.match(sentence, k)
            if m and m.end() <= limit:
                k = m.end()
                continue
        if sentence[k] == "、" and 2 <= k - begin <= 4 and k + 1 < limit:
            k += 1  # "356个区域性、行业性工会联合会": modifiers of one head
            continue
        if sentence[k] in SUBJECT_DELIMS:
            break
        k += 1
    return sentence[begin:k].replace("、", "")


def _trim_after(after: str, span: NumberSpan) -> str:
    phrase = after
    for sep in CONJUNCTIONS:  # "市级和" before the next number: the modifier alone
        if phrase.endswith(sep) and len(phrase) > len(sep) + 1:
            phrase = phrase[: -len(sep)]
    if "的" in phrase:
        head, _, tail = phrase.partition("的")
        # "96%的百人以上企业": a share of what follows; "194万会员的组织网络": the persons;
        # "24支具备创作能力的文艺骨干队伍": a relative clause, then what is counted
        is_share = span.kind in ("percent", "percentage_point", "fraction")
        phrase = tail if (is_share or head.startswith(RELATIVE_CLAUSE_VERBS) or not head) and tail else head
    cut = SUBJECT_CUT_RE.search(phrase)
    if cut:
        phrase = phrase[: cut.start()] if cut.start() >= 2 else ""
    return phrase.strip('”"’ ')


def _award_subject(award: re.Match, span: NumberSpan) -> str:
    """ "2人荣获全国五一劳动奖章" → 全国五一劳动奖章获得者; "7个集体荣获省、市工人先锋号" → …集体."""
    holder, title = award.group(1), award.group(2)
    title = TITLE_MARKS_RE.sub("", title)
    title = TITLE_END_RE.split(title)[0]
    title = AWARD_OBJECT_END_RE.sub("", title)
    if holder and holder not in ("人", "名", "位"):
        return (title + holder)[: SUBJECT_MAX + 4]
    return (title + "获得者")[: SUBJECT_MAX + 4] if span.unit in ("人", "名", "位") else title[: SUBJECT_MAX + 4]


def _phrase_before(sentence: str, spans: list[NumberSpan], i: int) -> str:
    start = spans[i].start
    before = sentence[clause_start(sentence, start) : start]
    pieces = BEFORE_BREAK_RE.split(before) if before else [before]
    quoted = len(pieces) > 1 and QUOTED_END_RE.search(before[: len(before) - len(pieces[-1])])
    if quoted and not pieces[-1]:  # "评选出“齐鲁最美职工”10名": the name in quotes is what is counted
        before = pieces[-2]
    elif quoted and len(pieces[-1]) <= 4:  # "“职工之家”示范点32个": the name and the noun it qualifies
        before = pieces[-2] + pieces[-1]
    elif not pieces[-1] and before.endswith(("）", ")")) and len(pieces) > 1:
        before = pieces[-2]  # "服务站点（工会驿站）17.2万个": the name in brackets is what it is called
    else:
        before = pieces[-1]
    if i > 0 and spans[i - 1].end > start - len(before):
        before = sentence[spans[i - 1].end : start]
    before = BYLINE_RE.sub("", before).strip('“”"‘’ ')
    compared = COMPARED_AT_END_RE.search(before)
    if compared and compared.start() >= 2:
        before = before[: compared.start()] + compared.group(1)
    times = [m for m in TIME_IN_PHRASE_RE.finditer(before) if before[m.start() - 1 : m.start()] not in ("较", "比")]
    if times and len(before) - times[-1].end() >= 2:
        before = before[times[-1].end() :].lstrip(",，")
    place = _leading_place(before)
    if place and len(before) - place >= 2:
        before = before[place:]
    if not before.startswith("占"):  # a share's base names no act
        before = _from_first_act(before)
    before = _without_leading_and_trailing_words(before)
    if before.startswith("占"):  # "占会员总数的45%": a share of the members
        before = _without_statistic_word(before)
    if "等" in before[:-4]:  # "心理疏导等服务项目": the kind, not the examples
        before = before.rsplit("等", 1)[1]
    return _whole_words(before[-SUBJECT_MAX:].strip('“”"‘’ '), before)


def _by_char(words: tuple[str, ...], at: int) -> dict[str, tuple[str, ...]]:
    """Words grouped by their first (at=0) or last (at=-1) character, each group in file order."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[at], []).append(w)
    return {c: tuple(ws) for c, ws in groups.items()}


TRAILING_BY_LAST = _by_char(TRAILING_WORDS, -1)
LEADING_BY_FIRST = _by_char(LEADING_WORDS, 0)


def _without_leading_and_trailing_words(phrase: str) -> str:
    """The phrase with trailing words (达到, 累计…) and leading words (全市, 已…) stripped until none is
    left, the first of each role's file order that fits; a word is looked up by its end character (the
    words of 200 are not each tried on every phrase)."""
    while phrase:
        trailing = next(
            (w for w in TRAILING_BY_LAST.get(phrase[-1], ()) if phrase.endswith(w) and len(phrase) > len(w)), None
        )
        if trailing:
            phrase = phrase[: -len(trailing)]
            continue
        leading = next(
            (w for w in LEADING_BY_FIRST.get(phrase[0], ()) if phrase.startswith(w) and len(phrase) > len(w) + 1),
            None,
        )
        if not leading:
            return phrase
        phrase = phrase[len(leading) :]
    return phrase


def _from_first_act(phrase: str) -> str:
    """The phrase from its first act on: after an act whose object is what is counted (工会受理职工法律
    援助案件 → 职工法律援助案件), at an act that belongs to it (工会为职工挽回经济损失 → 挽回经济损失). The
    first, because a name can hold a verb (发放困难职工帮扶资金); not when only a word for money is left
    (投入资金 says more than 资金, and who put it in no more)."""
    act = ACT_RE.search(phrase)
    if act is None:
        return phrase
    if act.group(1):
        rest = phrase[act.end(1) :]
        return phrase[act.start(1) :] if rest in MONEY_WORDS else rest
    return phrase[act.start(2) :]


UNION_AGENTS = ("全市各级工会", "各级工会", "全市工会", "全区工会", "全县工会", "全省工会", "工会")


def _leading_place(phrase: str) -> int:
    """The length of a place (with its union) that opens the phrase and is followed by a leading word
    ("临沂市已建成…", "淄博市总工会累计…", "全国已建成…": the place is the fact's region, not its
    subject); 0 when a noun follows (潍坊工匠, 全国劳模 are titles)."""
    if phrase.startswith("全国"):  # the nation, which the gazetteer's mentions leave out
        end = 2
    elif agent := next((a for a in UNION_AGENTS if phrase.startswith(a)), ""):
        # "全市工会累计培训职工"; not "工会组织" (组织 is the thing here, not the act)
        return (
            len(agent)
            if phrase.startswith(LEADING_WORDS, len(agent)) and phrase[len(agent) :] not in LEADING_WORDS
            else 0
        )
    else:
        found = mentions(phrase[:16]) if opens_with_a_name(phrase) else []
        if not found or found[0].start != 0:
            return 0
        end = found[0].end
        for m in found[1:]:  # a chain of places: 湖南省岳阳市
            if m.start != end:
                break
            end = m.end
    agent = next((a for a in UNION_AGENTS if phrase.startswith(a, end) and a != "工会"), "")
    if agent:  # "湖南省岳阳市各级工会筹集…": the place's unions act
        end += len(agent)
        return end if phrase.startswith(LEADING_WORDS, end) or ACT_RE.match(phrase, end) else 0
    union = next((u for u in UNION_SUFFIXES if phrase.startswith(u, end)), "")
    end += len(union)
    if union.endswith("总工会") and len(phrase) - end >= 2 and phrase[end:] not in LEADING_WORDS:
        return end  # "烟台市总工会会员总数": the union's members (a union's place is never a title)
    return end if phrase.startswith(LEADING_WORDS, end) else 0


def _with_shared_head(modifier: str, last: str) -> str:
    """ "市级" before "区(市)级工人文化宫" → 市级工人文化宫; "省级" + "工匠学院" → 省级工匠学院."""
    if len(modifier) > 6:
        return modifier
    marker = modifier[-1]
    if marker not in last[:-1]:
        return modifier
    return modifier + last[last.index(marker) + 1 :]


def _in_list(sentence: str, previous: NumberSpan, span: NumberSpan) -> bool:
    return sentence[previous.end : span.start] in ("、", "和", "及", "与", ",", "，") and previous.unit == span.unit


def _topic_before(sentence: str, pos: int) -> str:
    """The thing the sentence is about: the noun that ends the clause before the number's clause."""
    begin = clause_start(sentence, pos)
    if begin == 0:
        return ""
    previous = sentence[clause_start(sentence, begin - 1) : begin - 1]
    previous = TOPIC_BREAK_RE.split(previous.strip('“”"《》 '))[-1]
    return _head_noun(previous)


def _head_noun(phrase: str, max_len: int = 6) -> str:
    """The last words of a noun phrase, at most `max_len` characters (新时代区域共享职工之家 → 共享职工之家)."""
    if not phrase:
        return ""
    phrase = _without_statistic_word(phrase)
    ws = words(phrase)
    out = ""
    for w in reversed(ws):
        if not CJK_RE.match(w) or len(out) + len(w) > max_len:
            break
        out = w + out
    return out


def _without_act(phrase: str) -> str:
    """新建工会驿站 → 工会驿站: the thing an act made."""
    act = next((a for a in COUNT_VERBS if phrase.startswith(a)), "")
    return phrase[len(act) :] if act and len(phrase) - len(act) >= 2 else phrase


def _without_statistic_word(phrase: str) -> str:
    """驿站总数 → 驿站: the thing whose count the phrase names."""
    for w in STATISTIC_WORDS:
        if phrase.endswith(w) and len(phrase) > len(w) + 1:
            return phrase[: -len(w)]
    return phrase


def _whole_words(phrase: str, context: str) -> str:
    """Drop a leading fragment of a word cut by the length limit or a split ("级工会" → "工会")."""
    if not phrase or phrase == context:
        return phrase
    offset = len(context) - len(context.lstrip('“”"‘’ ')) + context.strip('“”"‘’ ').rfind(phrase)
    pos = 0
    for w in words(context):
        if pos >= offset:
            return context[pos : pos + len(phrase) - (pos - offset)] if pos > offset else phrase
        pos += len(w)
    return phrase
