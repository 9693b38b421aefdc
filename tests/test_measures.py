"""measure and status of facts, on sentences written for the phenomenon (not taken from the dev
reports): a stock or a flow, per head or per year, a share, a change; a plan or an achievement."""

from __future__ import annotations

import pytest

from tasks.extract.facts import extract

REPORT = "某市总工会2024年工作总结\n\n"

MEASURES = [
    ("全市现有工会驿站320个。", "320个", "level"),
    ("全年新建职工书屋45家。", "45家", "total"),
    ("年均培训职工2万人次。", "2万人次", "average"),
    ("人均发放慰问金500元。", "500元", "average"),
    ("职工入会率达到92%。", "92%", "share"),
    ("全市工会会员人数比上年增长15%。", "15%", "change"),
    ("基层工会数量较上年减少120家。", "120家", "change"),
    ("截至9月底,累计建成爱心驿站88个。", "88个", "level"),
    ("截至目前,为职工办理实事1200件。", "1200件", "total"),
    ("全市基层工会组织总数达到6500家。", "6500家", "level"),
    ("全市建成驿站120个,其中24小时驿站41个。", "41个", "total"),
    ("截至年底,全市驿站达到120个,其中24小时驿站41个。", "41个", "level"),
    ("集体合同覆盖职工35万人。", "35万人", "level"),
    ("全年开展各类培训380场。", "380场", "total"),
    ("目前全市已建成驿站120个。", "120个", "level"),
    ("全市共建成职工之家1200家,今年新建120家。", "1200家", "level"),
    ("全市共建成职工之家1200家,今年新建120家。", "120家", "total"),
    ("目前已为职工办理实事1200件。", "1200件", "total"),
    ("每万名职工拥有驿站3.5个。", "3.5个", "average"),
    ("全年新建驿站12个,累计建成驿站268个。", "268个", "level"),
    ("五年来累计投入帮扶资金3亿元。", "3亿元", "total"),
]


@pytest.mark.parametrize("sentence, number, measure", MEASURES, ids=[m[0][:12] for m in MEASURES])
def test_measure_says_what_sort_of_statistic_a_number_is(sentence, number, measure):
    facts = {f.text: f for f in extract("probe.txt", REPORT + sentence)}
    assert facts[number].measure == measure, (sentence, facts[number])


STATUSES = [
    ("2024年,全市新建工会组织50家。", "50家", "reported"),
    ("2025年,全区工会将持续深化改革,力争新建工会组织50家,新发展会员3000名。", "3000名", "target"),
    ("明年计划开展技能培训3000人次。", "3000人次", "target"),
    ("到2027年,全市建成职工驿站100个。", "100个", "target"),
    ("到2020年底,全市已建成职工驿站20个。", "20个", "reported"),
    ("全市工会超额完成年度目标任务,新建驿站12个。", "12个", "reported"),
    # a later sentence that opens with a time already past reports again; one that does not stays a plan
    ("2025年,全区工会将新建驿站80个。一年来,全市发展会员2万人。", "2万人", "reported"),
    ("2025年,全区工会将新建驿站80个。同时新发展会员3000名。", "3000名", "target"),
    # a plan named as the frame of a result, or done as the clause says after the number, is reported
    ("按照“十四五”规划目标,全市建成驿站300个。", "300个", "reported"),
    ("全市工会计划完成的120项任务已全部完成。", "120项", "reported"),
    ("根据计划,明年新建驿站50个。", "50个", "target"),
]


@pytest.mark.parametrize("sentence, number, status", STATUSES, ids=[s[0][:12] for s in STATUSES])
def test_status_says_whether_a_number_is_achieved_or_a_goal(sentence, number, status):
    facts = {f.text: f for f in extract("probe.txt", REPORT + sentence)}
    assert facts[number].status == status, (sentence, facts[number])


def test_a_section_of_plans_makes_its_numbers_targets_until_the_next_section():
    text = (
        REPORT
        + "一、2024年工作回顾\n全年新建驿站12个。\n二、2025年工作安排\n新建驿站20个。\n三、保障措施\n全年投入资金300万元。"
    )
    status = {f.text: f.status for f in extract("probe.txt", text)}
    assert status == {"12个": "reported", "20个": "target", "300万元": "reported"}
