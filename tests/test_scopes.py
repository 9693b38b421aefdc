"""A fact without its own period inherits the nearest enclosing scope that states one: its
paragraph's opening, its section's heading, its report's title. Probes written for the phenomenon."""

from __future__ import annotations

import pytest

from tasks.extract.facts import extract
from tasks.read.metadata import document_metadata

CASES = [
    # (report text, number, period)
    ("某市总工会2023年工作综述\n\n全市新建驿站12个。", "12个", "2023"),
    (
        "某市总工会工作报告\n\n一、2024年工作回顾\n全市新建驿站12个。\n二、2025年工作安排\n新建驿站20个。",
        "20个",
        "2025",
    ),
    ("某市总工会工作报告\n\n一、2024年工作回顾\n（一）组织建设。全市新建驿站12个。", "12个", "2024"),
    ("某市总工会工作报告（2025年1月10日）\n\n一、过去一年的工作\n全市新建驿站12个。", "12个", "2024"),
    ("某市总工会工作综述\n\n2022年,全市新建驿站12个;新发展会员3000名。\n\n全市表彰劳模30名。", "3000名", "2022"),
    ("某市总工会2024年工作综述\n\n会员人数比2020年增长15%。", "15%", "2024"),
    ("某市总工会2024年工作综述\n\n全市人均发放慰问金500元。", "500元", "2024"),
    ("某市总工会2024年工作综述\n\n2021—2024年,年均培训职工2万人次。", "2万人次", "2021-2024"),
    # 一年来 and 过去一年 are the year before a report delivered early in a year, its own in a December review
    ("某市总工会工作报告\n\n（2024年1月18日）\n\n一年来,全市新建驿站12个。", "12个", "2023"),
    ("某市工会工作综述\n\n（2023年12月20日）\n\n过去一年,全市新建驿站12个。", "12个", "2023"),
    # parts of a year named alone are of the report's year, even when it was delivered in the next
    ("某市总工会2023年度工作报告\n\n（2024年2月20日）\n\n1至10月,受理法律咨询2000人次。", "2000人次", "2023年1-10月"),
    ("某市总工会2023年度工作报告\n\n（2024年2月20日）\n\n截至10月底,全市建成驿站120个。", "120个", "截至2023年10月"),
    # a news article (a dateline) speaks as of its publication: a fact with no time of its own is of that year
    (
        "泉州工会驿站建设提速\n\n发布时间：2023-06-12\n\n本网讯 泉州市总工会新建驿站56个。\n\n晋江市建成驿站98个。",
        "98个",
        "2023",
    ),
    # …but a report without a dateline and with no date either states nothing
    ("全市工会工作情况\n\n全市建成驿站98个。", "98个", ""),
    # 截至年底 is the end of the report's year, even when the report's plans name a later one
    (
        "某市总工会2024年工作总结\n\n一、工作回顾\n截至年底,全市建成驿站436个。\n二、2025年工作打算\n2025年,力争新建驿站50个。",
        "436个",
        "截至2024年底",
    ),
    # the base of a comparison is a figure of the base's year; the change is of the report's
    ("某市总工会2024年工作总结\n\n全市新建工会组织740家,较去年同期的560家增加180家。", "560家", "2023"),
    ("某市总工会2024年工作总结\n\n全市新建工会组织740家,较去年同期的560家增加180家。", "180家", "2024"),
    ("某市总工会2024年工作总结\n\n会员达到120万人,比2020年的80万人增长50%。", "80万人", "2020"),
    # 其中 details the sentence before it: its year, not the report's
    ("某市总工会2024年工作综述\n\n记者获悉，2023年全市筹集资金3.2亿元。其中，县区筹集1.1亿元。", "1.1亿元", "2023"),
    # …but not after a paragraph break, nor after a sentence without figures
    ("某市总工会2024年工作综述\n\n2023年全市筹集资金3.2亿元。\n\n其中，县区筹集1.1亿元。", "1.1亿元", "2024"),
]


@pytest.mark.parametrize("text, number, period", CASES, ids=[str(n) for n in range(len(CASES))])
def test_a_fact_takes_the_period_of_the_nearest_scope_that_states_one(text, number, period):
    published_on = document_metadata(text).published_on  # a date line under the title, as a run reads it
    facts = {f.text: f for f in extract("probe.txt", text, published_on)}
    assert facts[number].period_id == period, (text, facts[number])


def test_an_opening_governs_until_another_opening_or_the_next_heading():
    text = (
        "某市总工会工作综述\n\n2022年,全市新建驿站12个。\n\n全市表彰劳模30名。\n\n2023年,新建驿站8个。\n\n"
        "二、保障措施\n投入资金300万元。"
    )
    periods = {f.text: f.period_id for f in extract("probe.txt", text)}
    assert periods == {"12个": "2022", "30名": "2022", "8个": "2023", "300万元": ""}


def test_each_fact_records_where_its_period_came_from():
    text = (
        "某市总工会工作报告\n\n一、2024年工作回顾\n全市新建驿站12个。\n\n2023年,新建书屋8家;2024年新建书屋9家。\n\n"
        "全市人均发放慰问金500元。"
    )
    sources = {f.text: (f.period_id, f.period_source) for f in extract("probe.txt", text)}
    assert sources["12个"] == ("2024", "section")
    assert sources["8家"] == ("2023", "sentence")
    assert sources["9家"] == ("2024", "sentence")
    assert sources["500元"] == ("2023", "paragraph")


def test_a_sentence_that_details_the_one_before_takes_its_period():
    text = "全国工会工作综述\n\n本报北京1月10日电 记者获悉，2023年全国各级工会筹集送温暖资金32.6亿元。其中，广东省总工会筹集2.1亿元。"
    sources = {f.text: (f.period_id, f.period_source, f.region) for f in extract("probe.txt", text)}
    assert sources["2.1亿元"] == ("2023", "previous_sentence", "广东省")
