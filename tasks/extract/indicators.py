"""Which indicator of the taxonomy (seeds/indicators.csv) a fact reports.

Match rules, in order: only indicators that accept the unit's dimension compete (a count of 驿站
cannot be money); the subject is read first, then the fact's clause, then its sentence; at the first
of these that any indicator matches, the longest matching keyword wins (法律服务站 beats 服务站), then
the one that ends later (Chinese phrases end in their head noun: 参赛国家 counts countries), then the
indicator listed first; an indicator whose `exclude` words occur in that text does not
match there. A keyword written `A+B` matches when both parts occur (技能人才+占比). The clause
overrides the subject when it holds a longer keyword that contains the subject's (新就业形态劳动者
入会 over 新就业形态劳动者). No match anywhere: `unclassified`.
"""

from __future__ import annotations

from functools import cache, lru_cache

from tasks.seeds import Indicator, indicators, unit_dimensions

UNCLASSIFIED = "unclassified"


def classify(unit: str, subject: str, clause: str = "", sentence: str = "") -> str:
    """Indicator code for a fact with this unit, subject and context.

    >>> classify("家", "工会驿站")
    'site_stations'
    >>> classify("家", "镇街职工法律服务站")
    'rights_legal_sites'
    >>> classify("元", "工会驿站")
    'unclassified'
    >>> classify("人次", "服务职工", "累计服务职工300余万人次")
    'service_people_served'
    """
    dimension = unit_dimensions().get(unit, "other")
    found = _match(dimension, subject)
    if found:
        wider = _match(dimension, clause)
        if wider and len(wider[1]) > len(found[1]) and found[1] in wider[1]:
            return wider[0].code
        return found[0].code
    for text in (clause, sentence):
        found = _match(dimension, text)
        if found:
            return found[0].code
    return UNCLASSIFIED


@lru_cache(maxsize=8192)
def _match(dimension: str, text: str) -> tuple[Indicator, str] | None:
    """_best_match, remembered: the numbers of one sentence share its clauses and the sentence."""
    return _best_match(_candidates(dimension), text)


@cache
def _candidates(dimension: str) -> tuple[tuple[Indicator, tuple[str, ...], tuple[tuple[str, ...], ...]], ...]:
    """Indicators accepting a unit dimension, with plain keywords and A+B keywords apart."""
    return tuple(
        (
            ind,
            tuple(k for k in ind.keywords if "+" not in k),
            tuple(tuple(k.split("+")) for k in ind.keywords if "+" in k),
        )
        for ind in indicators()
        if dimension in ind.dimensions
    )


def _best_match(candidates, text: str) -> tuple[Indicator, str] | None:
    """The indicator with the longest keyword in `text` (then the one ending last), and that keyword."""
    if not text:
        return None
    best, best_keyword, best_rank = None, "", (0, 0)
    for ind, plain, compound in candidates:
        if ind.exclude and any(word in text for word in ind.exclude):
            continue
        for keyword in plain:
            if keyword in text:
                rank = (len(keyword), text.rfind(keyword) + len(keyword))
                if rank > best_rank:
                    best, best_keyword, best_rank = ind, keyword, rank
        for parts in compound:
            if all(part in text for part in parts):
                rank = (sum(map(len, parts)), max(text.rfind(part) + len(part) for part in parts))
                if rank > best_rank:
                    best, best_keyword, best_rank = ind, "".join(parts), rank
    return (best, best_keyword) if best else None
