import pytest

from caseminer.nlp.provinces import PROVINCES, normalise_province, region_of


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
