"""The gazetteer (seeds/regions.csv) and finding regions in text."""

from __future__ import annotations

import pytest

from tasks.extract import regions
from tasks.seeds import read_csv

GAZETTEER = read_csv("regions.csv")


def test_gazetteer_is_nationwide_hierarchical_and_dated():
    codes = {r["region_code"] for r in GAZETTEER}
    levels = [r["level"] for r in GAZETTEER]
    assert levels.count("country") == 1 and levels.count("province") >= 34
    assert levels.count("prefecture") >= 330 and levels.count("county") >= 2800
    for row in GAZETTEER:
        assert len(row["region_code"]) == 6 and row["region_code"].isdigit(), row
        assert row["level"] == "country" or row["parent_code"] in codes, row
        assert row["vintage"], row
        assert row["name"].startswith(row["short_name"]) or row["short_name"] == row["name"], row


@pytest.mark.parametrize(
    "text, context, code",
    [
        ("青岛", [], "370200"),
        ("青岛李沧区", [], "370213"),
        ("李沧区", [], "370213"),
        ("江西省抚州市资溪县", [], "361028"),
        ("日照岚山区", [], "371103"),
        ("天津市和平区", [], "120101"),
        ("和平区", ["120000"], "120101"),
        ("和平区", ["210100"], "210102"),
        ("鼓楼区", ["350100"], "350102"),
        ("广西", [], "450000"),
        ("延边州", [], "222400"),
    ],
)
def test_names_resolve_to_codes(text, context, code):
    assert regions.resolve_chain(text, context) == code


def test_a_shared_name_without_context_is_not_guessed():
    assert regions.resolve_chain("鼓楼区", []) is None


@pytest.mark.parametrize("text", ["上海合作组织国家职工技能大赛", "和平发展", "新华社记者", "长安街"])
def test_words_that_begin_with_a_place_name_are_not_places(text):
    assert not regions.mentions(text)
