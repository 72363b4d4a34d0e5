import pytest

from caseminer.nlp.termfilter import is_term_like


@pytest.mark.parametrize("word", ["防贫预警", "易地搬迁", "扶贫产业园", "建档立卡贫困户", "新型经营主体", "以奖代补",
                                  "志智双扶", "两不愁三保障", "三变改革", "一村一品", "村集体经济", "五防机制"])
def test_termfilter_keeps_terms(word):
    assert is_term_like(word)


@pytest.mark.parametrize("word", ["在内地贫困地区", "落后的观念", "新的", "年年", "有暴雨", "没少", "年全县",
                                  "习近平总书记来到", "在全县", "户村民"])
def test_termfilter_rejects_clause_pieces(word):
    assert not is_term_like(word)
