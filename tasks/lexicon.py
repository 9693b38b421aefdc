"""The word lists of the extraction rules, as data: `seeds/lexicon.csv` (role, word, value, note; one
row per word of a role, in the order the rules try them) and `seeds/lexicon_roles.csv` (what each
role means and which rule reads it). A domain expert adds a counter word, a decoy or a leading verb
in a diff of those files; the grammar that uses them stays in the code.

Read once per process.

>>> words("union_suffix")[:2]
('总工会', '工会')
>>> numbers("plan_period")["十四五"]
2021
"""

from __future__ import annotations

import re
from functools import lru_cache

from tasks.seeds import read_csv

LEXICON = "lexicon.csv"
ROLES = "lexicon_roles.csv"


@lru_cache(maxsize=1)
def _rows() -> dict[str, list[dict[str, str]]]:
    by_role: dict[str, list[dict[str, str]]] = {}
    known = {row["role"] for row in read_csv(ROLES)}
    for row in read_csv(LEXICON):
        if row["role"] not in known:
            raise ValueError(f"seeds/{LEXICON}: role {row['role']!r} is not described in seeds/{ROLES}")
        by_role.setdefault(row["role"], []).append(row)
    return by_role


def words(role: str) -> tuple[str, ...]:
    """The words of a role, in file order (rules that try them in turn take the first that fits)."""
    try:
        return tuple(row["word"] for row in _rows()[role])
    except KeyError:
        raise KeyError(f"no words of role {role!r} in seeds/{LEXICON}") from None


def numbers(role: str) -> dict[str, int | float]:
    """Word → its number for a role whose words carry one (an integer unless written with a point)."""
    try:
        return {row["word"]: float(row["value"]) if "." in row["value"] else int(row["value"]) for row in _rows()[role]}
    except KeyError:
        raise KeyError(f"no words of role {role!r} in seeds/{LEXICON}") from None


def values(role: str) -> dict[str, str]:
    """Word → its value as written, for a role whose words carry a name (a qualifier), in file order."""
    try:
        return {row["word"]: row["value"] for row in _rows()[role]}
    except KeyError:
        raise KeyError(f"no words of role {role!r} in seeds/{LEXICON}") from None


def alternation(role: str) -> str:
    """The words of a role as a regular-expression alternation, each escaped, in file order."""
    return "|".join(map(re.escape, words(role)))
