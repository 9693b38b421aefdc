"""Qualifiers of a number: the words before it (近, 超过, 不少于 …) and after it (余, 多, 左右, 以上 …)
that say it is approximate or a bound, from seeds/lexicon.csv (roles prefix_qualifier,
suffix_qualifier), and 达到…以上, which makes "more than" mean "at least"."""

from __future__ import annotations

from tasks import lexicon

PREFIX_QUALIFIERS = tuple(lexicon.values("prefix_qualifier").items())  # longest first
SUFFIX_QUALIFIERS = tuple(lexicon.values("suffix_qualifier").items())
_PREFIX_LAST_CHARS = frozenset(w[-1] for w, _ in PREFIX_QUALIFIERS)
_SUFFIX_FIRST_CHARS = frozenset(w[0] for w, _ in SUFFIX_QUALIFIERS)
AT_LEAST_VERBS = lexicon.words("level_verb")


def prefix_qualifier(t: str, start: int) -> tuple[str | None, int]:
    if start == 0 or t[start - 1] not in _PREFIX_LAST_CHARS:
        return None, start
    for word, qual in PREFIX_QUALIFIERS:
        if t.startswith(word, start - len(word)):
            return qual, start - len(word)
    return None, start


def suffix_qualifier(t: str, pos: int) -> tuple[str | None, int]:
    at = pos
    while at < len(t) and t[at] in " \t":  # 三千二百 余 人, as PDF text has it
        at += 1
    if at >= len(t) or t[at] not in _SUFFIX_FIRST_CHARS:
        return None, pos
    for word, qual in SUFFIX_QUALIFIERS:
        if t.startswith(word, at):
            return qual, at + len(word)
    return None, pos


def trailing_qualifier(t: str, end: int, after: int | None = None) -> tuple[str | None, int]:
    """A qualifier after a complete span (300人左右, 50万元（含）以上); 余/多/几 belong before the unit."""
    qual, end2 = suffix_qualifier(t, end if after is None else after)
    if qual in ("more_than", "approx", "less_than") and t[end:end2] not in ("余", "多", "几"):
        return qual, end2
    return None, end


def at_least(t: str, start: int, end: int, qualifier: str) -> str:
    """达到…以上, 保持在…以上: more_than becomes at_least."""
    if (
        qualifier == "more_than"
        and t.startswith("以上", end - 2)
        and any(v in t[max(0, start - 12) : start] for v in AT_LEAST_VERBS)
    ):
        return "at_least"
    return qualifier
