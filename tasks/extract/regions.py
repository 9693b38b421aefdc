"""Finding administrative regions in text and naming them the way readers do (青岛市即墨区)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from tasks import lexicon
from tasks.seeds import Region, regions

UNION_SUFFIXES = lexicon.words("union_suffix")
# names that begin with a place name but are not about the place
NOT_PLACES = lexicon.words("not_a_place")
# short names that are ordinary words (新建 is "newly built", 和平 "peace"): a place only written in full
COMMON_WORD_NAMES = frozenset(lexicon.words("common_word_name"))
# nouns after 工会 that make "<word>工会<noun>" a compound (新建工会驿站), not "<county>'s union"
UNION_COMPOUND_NOUNS = lexicon.words("union_compound_noun")
COUNTRY_CODE = "000000"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    candidates: tuple[str, ...]  # region codes the name may stand for
    is_full_name: bool


@lru_cache(maxsize=1)
def _names() -> dict[str, dict[str, tuple[tuple[str, ...], bool]]]:
    """First two characters → {name: (codes, is_full_name)}."""
    by_name: dict[str, list[str]] = defaultdict(list)
    full: set[str] = set()
    for r in regions().values():
        if r.code == COUNTRY_CODE:
            continue
        by_name[r.name].append(r.code)
        full.add(r.name)
        if r.short_name != r.name and len(r.short_name) >= 2:
            by_name[r.short_name].append(r.code)
    index: dict[str, dict[str, tuple[tuple[str, ...], bool]]] = defaultdict(dict)
    for name, codes in by_name.items():
        index[name[:2]][name] = (tuple(dict.fromkeys(codes)), name in full)
    return index


def opens_with_a_name(text: str) -> bool:
    """Whether some region's name could start the text (a quick test before `mentions`)."""
    return text[:2] in _names()


def mentions(text: str) -> list[Mention]:
    """Region names in `text`, longest match at each position, left to right.

    Short names of counties (即墨, 莱西) count only when followed by 工会/总工会/区总…, since
    many are ordinary words (和平, 新华).
    """
    index = _names()
    out: list[Mention] = []
    i, n = 0, len(text)
    while i < n - 1:
        bucket = index.get(text[i : i + 2])
        best = None
        if bucket and text.startswith(NOT_PLACES, i):
            i += 2
            continue
        if bucket:
            for name, (codes, is_full) in bucket.items():
                if text.startswith(name, i) and (best is None or len(name) > len(best[0])):
                    best = (name, codes, is_full)
        if best:
            name, codes, is_full = best
            end = i + len(name)
            if not is_full:
                levels = {regions()[c].level for c in codes}
                if levels == {"county"} and not _union_follows(text, end) or name in COMMON_WORD_NAMES:
                    i += 1
                    continue
                codes = tuple(c for c in codes if regions()[c].level != "county") or codes
            out.append(Mention(i, end, codes, is_full))
            i = end
        else:
            i += 1
    return out


def _union_follows(text: str, end: int) -> bool:
    """A union suffix follows a short name (即墨区总工会, 即墨工会,) and does not open a compound noun."""
    suffix = next((s for s in UNION_SUFFIXES if text.startswith(s, end)), None)
    return suffix is not None and not text.startswith(UNION_COMPOUND_NOUNS, end + len(suffix))


def ancestors(code: str) -> list[str]:
    """The chain of parents of a region, nearest first, without 全国."""
    chain = []
    parent = regions()[code].parent_code
    while parent and parent != COUNTRY_CODE and parent in regions():
        chain.append(parent)
        parent = regions()[parent].parent_code
    return chain


def choose(candidates: tuple[str, ...], context: list[str]) -> str | None:
    """Pick the candidate that sits under (or is) a region of the context; else the only one."""
    if len(candidates) == 1:
        return candidates[0]
    for ctx in context:
        for code in candidates:
            if code == ctx or ctx in ancestors(code):
                return code
    return None


def resolve_chain(text: str, context: list[str] | None = None) -> str | None:
    """The most specific region named by the first chain of mentions in `text`.

    A chain is consecutive names, each inside the previous: 江西省抚州市资溪县, 日照岚山区.
    """
    context = list(context or [])
    found = mentions(text)
    if not found:
        return None
    chain_code = None
    prev_end = None
    for m in found:
        if prev_end is not None and m.start != prev_end:
            break
        code = choose(m.candidates, ([chain_code] if chain_code else []) + context)
        if code is None:
            if chain_code is None:
                prev_end = m.end
                continue
            break
        if chain_code and chain_code not in ancestors(code):
            break
        chain_code = code
        prev_end = m.end
    return chain_code


def display_name(code: str | None) -> str:
    """青岛市即墨区 for a county, 青岛市 for a prefecture, 福建省 for a province."""
    if not code:
        return ""
    region: Region = regions()[code]
    if region.level == "county":
        parent = regions().get(region.parent_code)
        return (parent.name if parent and parent.code != COUNTRY_CODE else "") + region.name
    return region.name
