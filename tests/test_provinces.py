import pytest

from caseminer.nlp.provinces import PROVINCES, normalise_province, province_at_start, region_of


@pytest.mark.parametrize(
    "value, canonical",
    [("广西", "广西"), ("广西壮族自治区", "广西"), ("广西省", "广西"), ("Guangxi", "广西"),
     ("新疆生产建设兵团", "新疆兵团"), ("兵团", "新疆兵团"), ("内蒙古自治区", "内蒙古"), ("北京市", "北京"),
     (" 贵州省 ", "贵州"), ("宁夏回族自治区", "宁夏"), ("香港特别行政区", "香港"), ("重庆", "重庆")],
)
def test_provinces_common_forms(value, canonical):
    assert normalise_province(value).canonical == canonical


@pytest.mark.parametrize("value", ["火星", "广", "", None])
def test_provinces_unknown_is_kept_not_guessed(value):
    match = normalise_province(value)
    assert match.canonical is None


def test_provinces_canonical_list_is_complete():
    assert len(PROVINCES) == 31 + 1 + 3
    assert region_of("贵州") == "西部"


@pytest.mark.parametrize("title, province", [
    ("【决战决胜脱贫攻坚】贵州威宁：产业化扶贫促农增收", "贵州"),
    ("【在习近平新时代中国特色社会主义思想指引下——新时代 新气象 新作为】西藏：乡村振兴 让农牧区富起来", "西藏"),
    ("甘肃“联村联户”行动助农增收", "甘肃"),
    ("01 甘肃省临夏州东乡县", "甘肃"), ("案例3：湖南十八洞村", "湖南"), ("案例一 湖南省花垣县", "湖南"),
    ("3. 内蒙古赤峰：沙地治理", "内蒙古"), ("2019年西藏19个贫困县区达到摘帽标准", "西藏"), ("１２　贵州", "贵州"),
    ("新疆生产建设兵团第十四师", "新疆兵团"), ("兵团：团场改革", "新疆兵团"), ("海南：自贸港", "海南"),
    # none: another province named too, a place of Qinghai named like a province, no province first
    ("广东清远对口帮扶广西百色", None), ("江西赣州：学习浙江经验", None), ("【纠正“四风”不止步】宁夏 山西：狠抓落实", None),
    ("海南藏族自治州贵德县", None), ("河南蒙古族自治县", None),
    ("习近平在贵州考察", None), ("宁川县构建防贫监测体系", None), ("2025年中华人民共和国国务院政府工作报告", None),
    ("", None), (None, None),
])
def test_province_a_title_opens_with(title, province):
    assert province_at_start(title) == province
