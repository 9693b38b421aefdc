"""The word lists are data (seeds/lexicon.csv): every role described, read by the rule it names,
and free of repeated or empty words."""

from __future__ import annotations

import importlib
import re
from collections import Counter

import pytest

from tasks import lexicon
from tasks.seeds import read_csv

ROLES = read_csv(lexicon.ROLES)
WORDS = read_csv(lexicon.LEXICON)


def test_every_role_of_the_lexicon_is_described_and_every_described_role_has_words():
    described = [r["role"] for r in ROLES]
    assert len(described) == len(set(described))
    assert {w["role"] for w in WORDS} == set(described)
    assert all(r["meaning"].strip() for r in ROLES), [r["role"] for r in ROLES if not r["meaning"].strip()]


def test_no_word_is_empty_or_repeated_within_its_role():
    assert all(w["word"] and w["word"] == w["word"].strip() for w in WORDS)
    repeated = [key for key, n in Counter((w["role"], w["word"]) for w in WORDS).items() if n > 1]
    assert repeated == []


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r["role"])
def test_the_rule_named_for_a_role_reads_its_words_in_file_order(role):
    module_name, attribute = role["used_by"].rsplit(".", 1)
    value = getattr(importlib.import_module(module_name), attribute)
    words = [w["word"] for w in WORDS if w["role"] == role["role"]]
    if isinstance(value, re.Pattern):  # a pattern built from the words: each is an alternative of it
        assert all(re.escape(w) in value.pattern for w in words)
    elif isinstance(value, frozenset):  # looked up, not tried in order
        assert value == set(words)
    elif isinstance(value, dict):
        assert list(value) == words
    elif value and isinstance(value[0], tuple):  # (word, value) pairs
        assert value == tuple(lexicon.values(role["role"]).items())
    else:
        assert value == lexicon.words(role["role"]) == tuple(words)


def test_an_unknown_role_is_named_in_the_error():
    with pytest.raises(KeyError, match="no words of role 'no_such_role'"):
        lexicon.words("no_such_role")
