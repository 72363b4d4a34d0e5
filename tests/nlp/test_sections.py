"""Reference lists found and left out of the analysis text (hand-written texts)."""

import pytest

from caseminer.nlp.normalize import OffsetMap, normalise
from caseminer.nlp.sections import page_furniture, reference_list

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
    # a heading spaced out as a PDF sets it
    "参 考 文 献\n[1] 王某.易地搬迁[J].农村经济,2019.\n[2] 张某.后续帮扶[M].2021.\n",
    # plain numbers and an English heading
    "References\n1 Sen A. Poverty and Famines. Oxford, 1981.\n2 Ravallion M. The Economics of Poverty. 2016.\n",
    # a flattened list on the heading's line
    "参考文献：[1]王某.易地搬迁[J].农村经济,2019.[2]张某.后续帮扶[M].2021.\n",
])
def test_reference_list_found_in_its_styles(references):
    text = BODY + references
    assert _span(text) == references
    assert normalise(text, leave_out=[reference_list(text)]).text == normalise(BODY).text


def test_reference_list_ends_at_an_appendix():
    references = "# 参考文献\n\n[1] 王某.易地搬迁[J].农村经济,2019,(3).\n[2] 张某.后续帮扶[M].2021.\n\n"
    appendix = "# 附录1：访谈提纲\n\n请谈谈搬迁后家里的收入来源。\n"
    text = BODY + references + appendix
    assert _span(text) == references
    analysis = normalise(text, leave_out=[reference_list(text)]).text
    assert "访谈提纲" in analysis and "农村经济" not in analysis


def test_reference_list_ends_where_the_next_chapter_begins():
    references = "参考文献\n[1] 王某.易地搬迁[J].农村经济,2019,(3).\n[2] 张某.后续帮扶[M].2021.\n\n"
    chapter = ("第二章 后续产业\n\n安置点周边建起了扶贫车间和社区工厂，搬迁群众在家门口就业，"
               "人均年收入比搬迁前增加了三千多元，孩子们也在新学校里上学。\n")
    text = BODY + references + chapter
    assert _span(text) == references
    # English abstracts and author notes after the list are no Chinese prose: they go with it
    notes = "Abstract: Relocation and follow-up support.\n作者贡献说明：王某，设计研究；张某，调查。\n"
    assert _span(BODY + references + notes) == references + notes


@pytest.mark.parametrize("text", [
    BODY,
    # the word in a sentence, not a heading
    BODY + "参考文献资料显示，搬迁户收入增长较快。\n\n[1] 下文分三部分。\n",
    # a heading followed by prose, not entries
    BODY + "参考文献\n\n本文参考了县扶贫办提供的工作总结和村委会的台账。\n两份材料都未公开发表。\n",
    # a text that is only a reference list keeps it: it has nothing else
    "# 参考文献\n\n[1] 王某.易地搬迁[J].农村经济,2019.\n[2] 张某.后续帮扶[M].2021.\n",
    # a numbered list of measures is no reference list without the heading
    BODY + "一是稳岗就业。\n1 发展扶贫车间。\n2 设立公益岗位。\n3 开展技能培训。\n",
])
def test_no_reference_list_in_case_texts(text):
    assert reference_list(text) is None


def test_left_out_list_keeps_offsets_into_the_original():
    references = "参考文献\n[1] 王某.易地搬迁[J].农村经济,2019.\n[2] 张某.后续帮扶[M].2021.\n"
    text = BODY + references
    result = normalise(text, leave_out=[reference_list(text)])
    start = result.text.index("后续产业")
    assert text[slice(*result.offsets.span_to_original(start, start + 4))] == "后续产业"
    # a span that ends the analysis text ends where the list begins, not at the end of the original
    a, b = result.offsets.span_to_original(len(result.text) - 3, len(result.text))
    assert text[a:b] == "就业。" and b <= text.index("参考文献")
    assert result.offsets.to_analysis(text.index("王某")) == len(result.text)
    stored = result.offsets.to_breakpoints()  # as the project stores it
    assert OffsetMap.from_breakpoints(stored, len(result.text)) == result.offsets


# Lines as wide as a printed page's, so that normalisation reads the short ones as ends of paragraphs.
LINE_A = "全县坚持把巩固拓展脱贫攻坚成果作为头等大事来抓，各乡镇要建立健全"
LINE_B = "防止返贫动态监测和帮扶机制，做到早发现、早干预、早帮扶，守住底线。"
LINE_C = "二是发展联农带农产业，每个脱贫村至少有一个扶贫车间或合作社运营。"


def _analysis(pages):
    text = "\n\n".join(pages)
    spans = page_furniture(pages)
    return text, spans, normalise(text, leave_out=spans).text


def test_page_numbers_and_running_heads_left_out_and_the_sentence_joined():
    pages = [f"某县人民政府文件\n一是强化监测帮扶。\n{LINE_A}\n— 1 —",
             f"某县乡村振兴局\n{LINE_B}\n{LINE_C}\n— 2 —",
             f"某县乡村振兴局\n{LINE_C}\n第 3 页 共 3 页"]
    text, spans, analysis = _analysis(pages)
    assert [text[a:b].strip() for a, b in spans] == ["— 1 —\n\n某县乡村振兴局", "— 2 —\n\n某县乡村振兴局",
                                                     "第 3 页 共 3 页"]
    assert "建立健全防止返贫动态监测" in analysis  # the page break no longer cuts the sentence
    assert f"守住底线。\n{LINE_C}" in analysis and "乡村振兴局" not in analysis and "—" not in analysis
    assert analysis.startswith("某县人民政府文件")  # the first page's head is the document's


def test_page_break_after_a_full_stop_stays_a_paragraph_break():
    pages = [f"{LINE_A}\n{LINE_B}", f"{LINE_C}\n{LINE_B}"]
    _text, spans, analysis = _analysis(pages)
    assert f"{LINE_B}\n{LINE_C}" in analysis
    assert len(spans) == 1  # one of the two line breaks between the pages


def test_a_line_on_two_pages_of_many_is_content():
    # 持续巩固 stands at the top of two pages of six: not a running head
    pages = [f"持续巩固\n{LINE_A}{i}。" if i in (2, 4) else f"{LINE_B}{i}" for i in range(6)]
    _text, _spans, analysis = _analysis(pages)
    assert analysis.count("持续巩固") == 2


def test_blank_and_number_only_pages_leave_nothing_behind():
    pages = ["— 1 —", f"{LINE_A}\n— 2 —", "", f"{LINE_B}\n— 4 —"]
    _text, _spans, analysis = _analysis(pages)
    assert analysis == f"{LINE_A}{LINE_B}"
