"""The indicator taxonomy (seeds/indicators.csv) and its match rules."""

from __future__ import annotations

import pytest
from conftest import SAMPLES, load_cases

from tasks.extract.facts import extract
from tasks.extract.indicators import UNCLASSIFIED, classify
from tasks.read.normalize import normalize
from tasks.seeds import indicators, unit_dimensions

CASES = load_cases("indicators")
CATEGORIES = {"组织建设", "服务阵地", "帮扶救助", "维权服务", "技能竞赛与创新", "劳模工匠", "思想文化", "经费保障"}


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_indicator_case(case):
    got = classify(case["unit"], case["text"], case.get("clause", ""), case.get("sentence", ""))
    assert got == case["indicator"], case["why"]


def test_taxonomy_is_complete_and_consistent():
    inds = indicators()
    codes = [i.code for i in inds]
    assert len(inds) >= 40 and len(set(codes)) == len(codes)
    assert CATEGORIES <= {i.category for i in inds}
    known_dimensions = set(unit_dimensions().values())
    for ind in inds:
        assert ind.keywords and all(k.strip() for k in ind.keywords), ind.code
        assert set(ind.dimensions) <= known_dimensions, (ind.code, set(ind.dimensions) - known_dimensions)
        assert not set(ind.keywords) & set(ind.exclude), ind.code


def test_most_sample_facts_are_classified():
    facts = []
    for path in sorted(SAMPLES.glob("*.txt")):
        text, _ = normalize(path.read_text(encoding="utf-8"))
        facts += extract(path.name, text)
    classified = sum(f.indicator_code != UNCLASSIFIED for f in facts)
    assert classified / len(facts) >= 0.85, (classified, len(facts))


def test_every_classified_fact_has_a_unit_its_indicator_accepts():
    by_code = {i.code: i for i in indicators()}
    text, _ = normalize((SAMPLES / "000_90a44285579183c2.txt").read_text(encoding="utf-8"))
    for fact in extract("000.txt", text):
        if fact.indicator_code != UNCLASSIFIED:
            assert unit_dimensions().get(fact.unit, "other") in by_code[fact.indicator_code].dimensions, fact
