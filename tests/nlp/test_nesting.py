import pytest

from caseminer.errors import InvalidInput, InvalidSetting
from caseminer.nlp.nesting import container_shares, fragments, headless


def test_nesting_piece_of_a_formula_is_a_fragment():
    # 易地扶贫 occurs 100 times, 95 of them inside 易地扶贫搬迁: a piece of the formula.
    words = ["易地扶贫搬迁", "易地扶贫", "扶贫搬迁", "搬迁"]
    counts = [95, 100, 96, 400]
    assert fragments(words, counts) == {"易地扶贫", "扶贫搬迁"}
    shares = container_shares(words, counts)
    assert shares[1] == (0.95, "易地扶贫搬迁")
    assert shares[0] == (0.0, None)  # nothing longer contains the formula


def test_nesting_term_used_on_its_own_too_is_kept():
    # 小康社会 is inside 全面建成小康社会 most of the time, but not 90 % of it.
    assert fragments(["全面建成小康社会", "小康社会"], [89, 100]) == set()
    # The largest container decides, not the sum of several.
    assert fragments(["扶贫车间", "扶贫车间里", "建扶贫车间"], [100, 50, 45]) == set()


def test_nesting_a_name_in_a_scope_is_no_container():
    from caseminer.nlp.discovery import _in_scope

    # 脱贫攻坚楷模 written after 全国 every time: a piece of it by counts alone, a name in a scope
    words, counts = ["全国脱贫攻坚楷模", "脱贫攻坚楷模"], [18, 18]
    assert fragments(words, counts) == {"脱贫攻坚楷模"}
    assert fragments(words, counts, in_scope=_in_scope) == set()
    assert container_shares(words, counts, _in_scope)[1] == (0.0, None)
    # only a scope and the whole name: other containers count as before
    more = ["全国脱贫攻坚楷模称号", "脱贫攻坚楷模", "易地扶贫搬迁", "易地扶贫", "中国农民丰收节", "农民丰收节"]
    assert fragments(more, [18, 18, 95, 100, 26, 26], in_scope=_in_scope) == {
        "脱贫攻坚楷模", "易地扶贫", "农民丰收节"}  # 中国 opens names of its own: no scope
    # the scope must be a word of the container: 国家电网 is one word, 国际交流|合作 another cut
    assert fragments(["国家电网", "电网", "国际交流合作", "交流合作"], [20, 20, 9, 9], in_scope=_in_scope) == {
        "电网", "交流合作"}


def test_nesting_threshold_is_a_setting():
    assert fragments(["全面建成小康社会", "小康社会"], [89, 100], threshold=0.85) == {"小康社会"}
    with pytest.raises(InvalidSetting, match="share in"):
        fragments(["a"], [1], threshold=0)
    with pytest.raises(InvalidInput, match="one count per word"):
        container_shares(["扶贫"], [])


def test_nesting_an_attribute_the_texts_always_continue_is_cut_off_its_head():
    ends_with_poverty = lambda w: w.endswith("贫困")  # noqa: E731 (the attribute test of the caller)
    words = ["建档立卡贫困", "深度贫困", "农村贫困", "扶贫车间"]
    # 建档立卡贫困 never closes (贫困户, 贫困人口 follow); 深度贫困 closes 22 times in 414
    # (5 %); 农村贫困 once in 40 (2.5 %); 扶贫车间 ends with no attribute.
    got = headless(words, [273, 414, 40, 90], [0, 22, 1, 0], ends_with_poverty)
    assert got == {"建档立卡贫困", "农村贫困"}
    # three occurrences tell nothing
    assert headless(["建档立卡贫困"], [3], [0], ends_with_poverty) == set()
    with pytest.raises(InvalidInput, match="one count and one closing count per word"):
        headless(["扶贫"], [1], [], ends_with_poverty)
