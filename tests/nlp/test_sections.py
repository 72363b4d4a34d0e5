"""Reference lists found and left out of the analysis text (hand-written texts)."""

import pytest

from caseminer.nlp.normalize import normalise
from caseminer.nlp.sections import reference_list

BODY = "# 某县易地扶贫搬迁后续帮扶研究\n\n搬迁群众稳得住、能致富，关键在后续产业和就业。\n\n"


def _span(text):
    span = reference_list(text)
    return None if span is None else text[span[0]:span[1]]


@pytest.mark.parametrize("references", [
    # numbered in brackets, document types
    "# 参考文献\n\n[1] 王某,李某.易地搬迁与生计重建[J].农村经济,2019,(3):12-18.\n"
    "[2] 张某.后续帮扶的县域实践[M].北京:某出版社,2021.\n[3] 刘某.社区治理研究[D].某大学,2020.\n",
    # full-width brackets and a bilingual heading whose English half is on the next line
    "参考文献\n(References)\n\n［1］赵某，钱某.扶贫车间调查.地理研究，2018，37（2)：1-9.\n"
    "［2］孙某.产业帮扶评估.经济地理，2020，40（5)：3-8.\n",
    # author-year style, years as OCR writes them
    "# 参考文献：\n\n陈某,周某.(2017).稀缺心态研究.心理科学,40(2),1-8.\n"
    "Smith, A., & Jones, B. (20l6). Poverty and cognition. Science, 3, 1-2.\n"
    "吴某等.(2020).脱贫户的发展动力.社会学研究,35(1),9-20.\n",
    # plain numbers and an English heading
    "References\n1 Sen A. Poverty and Famines. Oxford, 1981.\n2 Ravallion M. The Economics of Poverty. 2016.\n",
    # a flattened list on the heading's line
    "参考文献：[1]王某.易地搬迁[J].农村经济,2019.[2]张某.后续帮扶[M].2021.\n",
])
def test_reference_list_found_in_its_styles(references):
    text = BODY + references
    assert _span(text) == references
    assert normalise(text, leave_out=reference_list(text)).text == normalise(BODY).text


def test_reference_list_ends_at_an_appendix():
    references = "# 参考文献\n\n[1] 王某.易地搬迁[J].农村经济,2019,(3).\n[2] 张某.后续帮扶[M].2021.\n\n"
    appendix = "# 附录1：访谈提纲\n\n请谈谈搬迁后家里的收入来源。\n"
    text = BODY + references + appendix
    assert _span(text) == references
    analysis = normalise(text, leave_out=reference_list(text)).text
    assert "访谈提纲" in analysis and "农村经济" not in analysis


@pytest.mark.parametrize("text", [
    BODY,
    # the word in a sentence, not a heading
    BODY + "参考文献资料显示，搬迁户收入增长较快。\n\n[1] 下文分三部分。\n",
    # a heading followed by prose, not entries
    BODY + "参考文献\n\n本文参考了县扶贫办提供的工作总结和村委会的台账。\n两份材料都未公开发表。\n",
    # a numbered list of measures is no reference list without the heading
    BODY + "一是稳岗就业。\n1 发展扶贫车间。\n2 设立公益岗位。\n3 开展技能培训。\n",
])
def test_no_reference_list_in_case_texts(text):
    assert reference_list(text) is None


def test_left_out_list_keeps_offsets_into_the_original():
    references = "参考文献\n[1] 王某.易地搬迁[J].农村经济,2019.\n[2] 张某.后续帮扶[M].2021.\n"
    text = BODY + references
    result = normalise(text, leave_out=reference_list(text))
    start = result.text.index("后续产业")
    assert text[slice(*result.offsets.span_to_original(start, start + 4))] == "后续产业"
    # a span that ends the analysis text ends where the list begins, not at the end of the original
    a, b = result.offsets.span_to_original(len(result.text) - 3, len(result.text))
    assert text[a:b] == "就业。" and b <= text.index("参考文献")
    assert result.offsets.to_analysis(text.index("王某")) == len(result.text)
