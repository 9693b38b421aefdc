"""Offset maps: where each character of a rewritten text came from in the text before.

A map is a list with one entry per character of the new text plus one for its end: `m[i]` is the
position in the old text of new character `i`. `None` stands for "unchanged" (identity), so steps
that change nothing cost nothing. Replacements map every new character to the start of what they
replaced; deletions simply have no entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable

OffsetMap = list[int] | None


def sub_mapped(pattern: re.Pattern, repl: str | Callable[[re.Match], str], text: str) -> tuple[str, OffsetMap]:
    """pattern.sub(repl, text) with its offset map.

    >>> sub_mapped(re.compile("ab"), "X", "zabz")
    ('zXz', [0, 1, 3, 4])
    """
    pieces: list[str] = []
    mapping: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        start, end = m.span()
        new = repl(m) if callable(repl) else m.expand(repl)
        if new == m.group():
            continue
        pieces.append(text[last:start])
        mapping.extend(range(last, start))
        pieces.append(new)
        mapping.extend(range(start, end) if len(new) == end - start else [start] * len(new))
        last = end
    if not pieces:
        return text, None
    pieces.append(text[last:])
    mapping.extend(range(last, len(text) + 1))
    return "".join(pieces), mapping


def strip_mapped(text: str) -> tuple[str, OffsetMap]:
    """text.strip() with its offset map."""
    stripped = text.strip()
    if len(stripped) == len(text):
        return text, None
    start = len(text) - len(text.lstrip())
    return stripped, list(range(start, start + len(stripped) + 1))


def compose(first: OffsetMap, second: OffsetMap) -> OffsetMap:
    """The map of applying `first` and then `second`: new positions → original positions."""
    if first is None:
        return second
    if second is None:
        return first
    return [first[i] for i in second]


def source_span(mapping: OffsetMap, start: int, end: int) -> tuple[int, int]:
    """Original [start, end) of the normalized [start, end).

    >>> source_span([0, 1, 3, 4], 1, 3)  # "zabz" → "zXz": X came from "ab"
    (1, 4)
    """
    if mapping is None:
        return start, end
    if end <= start:
        return mapping[start], mapping[start]
    return mapping[start], mapping[end - 1] + 1
