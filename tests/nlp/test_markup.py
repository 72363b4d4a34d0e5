"""Markup read as a reader sees it (nlp.markup) and its place in the analysis text (nlp.normalize)."""

import pytest

from caseminer.nlp.markup import formula_text, markup_counts, markup_spans
from caseminer.nlp.normalize import normalise

# Written for these tests, in the shape a PDF-to-Markdown converter gives a table, a figure and formulas.
PAPER = (
    "# 某县易地扶贫搬迁后续产业调查\n\n"
    "表1 搬迁户收入构成\n"
    "<html><body><table><tr><td>收入来源</td><td>占比</td></tr>"
    "<tr><td>务工收入</td><td>$6 2 . 5 \\%$</td></tr><tr><td>扶贫车间</td><td>>20%</td></tr></table></body></html>\n\n"
    "![](images/0a1b2c.jpg)\n图1 安置区位置\n\n"
    "安置区面积约 $1 . 2 \\mathrm { k m } ^ { 2 }$ ，详见[县扶贫办网站](http://example.cn/a)。"
    "R&amp;D投入增加，价格为$5和$6。"
)


def analysis(text: str) -> str:
    return normalise(text, replace=[(m.start, m.end, m.replacement) for m in markup_spans(text)]).text


def test_markup_table_cells_stay_apart_and_tags_go():
    text = analysis(PAPER)
    assert text.startswith("某县易地扶贫搬迁后续产业调查\n")  # the heading's words, not its mark
    assert "收入来源\t占比\n务工收入\t62.5%\n扶贫车间\t>20%" in text
    assert "<" + "td" not in text and "html" not in text
    # read as plain text, the cells ran together into one string
    assert "务工收入62.5%扶贫车间" not in text


def test_markup_formulas_read_as_plain_text_and_prices_stay():
    text = analysis(PAPER)
    assert "安置区面积约1.2km2，" in text  # km² folded to km2, as the analysis text folds all compatibility forms
    assert "mathrm" not in text and "$" not in text.replace("$5和$6", "")
    assert "价格为$5和$6。" in text  # dollars, not a formula


def test_markup_images_and_link_addresses_left_out_words_kept():
    text = analysis(PAPER)
    assert "images" not in text and "jpg" not in text
    assert "详见县扶贫办网站。" in text and "http" not in text
    assert "R&D投入" in text


def test_markup_offsets_point_into_the_original():
    result = normalise(PAPER, replace=[(m.start, m.end, m.replacement) for m in markup_spans(PAPER)])
    for word in ("扶贫车间", "务工收入", "县扶贫办网站", "安置区面积"):
        at = result.text.index(word)
        start, end = result.offsets.span_to_original(at, at + len(word))
        assert PAPER[start:end] == word
    at = result.text.index("1.2km2")
    start, end = result.offsets.span_to_original(at, at + len("1.2km2"))
    assert PAPER[start:end] == "$1 . 2 \\mathrm { k m } ^ { 2 }$"  # the whole formula
    assert list(result.offsets.starts) == sorted(result.offsets.starts)


def test_markup_spans_are_disjoint_and_counted():
    spans = markup_spans(PAPER)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    counts = markup_counts(spans)
    assert counts["image"] == 1 and counts["link"] == 1 and counts["formula"] == 2 and counts["entity"] == 1
    assert counts["tag"] == 2 + 1 + 3 * 2 + 12 + 3  # html body table, tr open/close, td, closings
    assert counts["heading"] == 1


@pytest.mark.parametrize("text", [
    "贫困发生率<5%，比上年下降。", "人均收入>4000元。", "《关于打赢脱贫攻坚战的决定》", "价格$5和$6。",
    "A < B 且 C > D", "US$5 and $6", "<扶贫车间>", "#扶贫日 话题", "第#1号",
])
def test_markup_prose_is_no_markup(text):
    assert markup_spans(text) == []


@pytest.mark.parametrize("latex, plain", [
    ("5 0 \\mathrm { t } / ( \\mathrm { k m } ^ { 2 } { \\cdot } \\mathrm { a } )", "50t/(km²·a)"),
    ("42 \\%", "42%"),
    ("9 3 ~ ^ { \\circ } 2 8 ~ ^ { \\prime }", "93°28′"),
    ("\\frac { a + b } { 2 }", "(a+b)/2"),
    ("R ^ { 2 } = 0 . 8 5", "R²=0.85"),
    ("\\alpha \\leq 0 . 0 5", "α≤0.05"),
    ("\\mathrm { P M } _ { 2 . 5 }", "PM2.5"),
    ("3 . 7 \\times 1 0 ^ { 5 }", "3.7×10⁵"),
    ("\\begin{array} { r l } a & b \\end{array}", "a&b"),
    ("p < 0 . 0 5 \\", "p<0.05"),
    ("x \\quad y", "x y"),
])
def test_markup_formula_text(latex, plain):
    assert formula_text(latex) == plain


def test_markup_display_formula_is_a_line_of_its_own():
    text = analysis("计算公式如下：\n$$\nY = \\sum _ { i } w _ { i } x _ { i }\n$$\n其中w为权重。")
    assert "Y=∑iwixi" in text and "$$" not in text


def test_markup_tags_are_left_out_whole():
    from caseminer.nlp.normalize import left_out_spans

    original = "<table><tr><td>车间</td><td>就业人数</td></tr></table>"
    result = normalise(original, replace=[(m.start, m.end, m.replacement) for m in markup_spans(original)])
    assert result.text == "车间\t就业人数"
    shown = [original[a:b] for a, b in left_out_spans(original, result.offsets, result.text)]
    assert shown == ["<table><tr><td>", "</td><td>", "</td></tr></table>"]
    # without the analysis text, the first character of a tag a tab stands for counts as analysed
    assert [original[a:b] for a, b in left_out_spans(original, result.offsets)][1] == "/td><td>"


def test_markup_inside_a_span_left_out_is_dropped():
    original = "正文。<b>加粗</b>\n参考文献\n[1] <i>某</i>文献"
    at = original.index("参考文献")
    spans = [(m.start, m.end, m.replacement) for m in markup_spans(original)]
    result = normalise(original, leave_out=[(at, len(original))], replace=spans)
    assert result.text == "正文。加粗"
