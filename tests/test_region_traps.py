"""A common word is not a place, a newsroom is not the subject, the national union speaks for 全国:
probes written for each phenomenon."""

from __future__ import annotations

import pytest

from tasks.extract.facts import extract
from tasks.read.normalize import normalize

CASES = [
    # (report text, number, region)
    ("洛阳市总工会2024年工作总结\n\n全年新建工会驿站36个,新建基层工会组织120家。", "36个", "洛阳市"),
    ("洛阳市总工会2024年工作总结\n\n全年新建基层工会组织120家。", "120家", "洛阳市"),
    ("南昌市总工会2024年工作总结\n\n新建区总工会新建工会驿站12个。", "12个", "南昌市新建区"),
    ("天津市总工会工作综述\n\n全市以和平发展为主题,和平工会组织职工志愿者300名。", "300名", "天津市"),
    (
        "全国工会深化服务职工工作\n\n本报北京1月22日电（记者 王明）记者从全国总工会获悉,全年新建工会驿站1.2万个。",
        "1.2万个",
        "全国",
    ),
    ("青岛工会服务职工\n\n本报青岛3月2日电（记者 李华）全年新建工会驿站120个。", "120个", "青岛市"),
    ("济南市总工会2024年工作综述\n\n全市新建驿站90个,其中历下区30个、市中区25个。", "30个", "济南市历下区"),
    ("济南市总工会2024年工作综述\n\n全市新建驿站90个,其中历下区30个、市中区25个。", "90个", "济南市"),
    (
        "全国工会工作综述\n\n本报北京1月2日电 记者从全国总工会获悉,全国新建驿站1万个。\n\n江苏省新建驿站1200个。",
        "1200个",
        "江苏省",
    ),
    # a title's name shared by several places (长安区: 西安 and 石家庄; 鼓楼区: 福州, 南京…) is placed by
    # the regions the report names without doubt; the parent union it names does not take its place
    ("长安区总工会2024年工作总结\n\n2024年，在西安市总工会的指导下，全区新建工会组织56家。", "56家", "西安市长安区"),
    ("长安区总工会2024年工作总结\n\n全区新建工会组织56家。陕西省总工会授予我区职工之家3个。", "3个", "西安市长安区"),
    ("鼓楼区总工会2024年工作总结\n\n全区新建工会组织56家，福州市总工会表彰我区先进集体3个。", "56家", "福州市鼓楼区"),
    ("长安区总工会2024年工作总结\n\n2024年，全区新建工会组织56家。", "56家", ""),
    # a place opening a later list item is a sibling of the sentence's first place, inside the article's
    ("泉州市总工会工作综述\n\n全市驿站达到420个。晋江市建成驿站98个，石狮市建成驿站45个。", "45个", "泉州市石狮市"),
]


@pytest.mark.parametrize("text, number, region", CASES, ids=[str(n) for n in range(len(CASES))])
def test_a_fact_is_placed_where_the_text_says_not_where_a_word_looks_like_a_place(text, number, region):
    facts = {f.text: f for f in extract("probe.txt", text)}
    assert facts[number].region == region, (text, facts[number])


def test_a_pdf_title_repeated_as_running_header_still_titles_the_report():
    page = "洛阳市总工会2024年工作总结\n{}\n— {} —"
    text = "\f".join(page.format(body, n) for n, body in enumerate(["全年新建驿站36个。", "正文二。", "正文三。"], 1))
    normalized, _ = normalize(text)
    assert normalized.startswith("洛阳市总工会2024年工作总结")
    assert normalized.count("洛阳市总工会2024年工作总结") == 1
    fact = extract("probe.txt", normalized)[0]
    assert (fact.region, fact.period_id) == ("洛阳市", "2024")


def test_the_headlines_of_a_related_news_list_yield_no_facts():
    text = (
        "厦门工会服务职工\n\n全市建成驿站120个。\n\n相关新闻\n泉州返还小微企业工会经费3100余万元\n"
        "漳州建成户外劳动者服务站点268个\n\n全市新发展会员2000名。"
    )
    assert [f.text for f in extract("probe.txt", text)] == ["120个", "2000名"]


def test_a_headline_ending_in_a_number_is_not_joined_to_the_dateline_under_it():
    page = (
        "本版综合\n\n青岛：建成驿站300个\n\n本报讯 青岛市总工会今年新建工会驿站50个，总数达到300个。\n\n"
        "烟台：会员突破100万\n\n本报讯 烟台市总工会会员总数突破100万人，全年新发展会员3万人。"
    )
    text, _ = normalize(page)
    assert "100万本" not in text
    facts = [(f.text, f.region, f.subject) for f in extract("probe.txt", text)]
    assert ("突破100万人", "烟台市", "会员总数") in facts
    assert ("3万人", "烟台市", "新发展会员") in facts
    assert ("300个", "青岛市", "工会驿站总数") in facts
