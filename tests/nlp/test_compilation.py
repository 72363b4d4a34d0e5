"""A compilation (案例汇编) cut into its cases at their heading lines (nlp.compilation)."""

import re

import pytest

from caseminer.nlp.compilation import heading_pattern, split_compilation

BODY = "某县建立防贫监测网络，对脱贫不稳定户实行动态管理，全县识别监测对象一百余户。"


@pytest.mark.parametrize("heading", ["案例一：宁川县防贫监测", "案例 12 宁川县", "【案例3】宁川县", "典型案例之五",
                                     "案例二十一、宁川县", "  案例１０．宁川县", "（案例4）宁川县", "案例七"])
def test_case_headings_of_compilations(heading):
    pieces, left = split_compilation(f"{heading}\n{BODY}\n", heading_pattern("cases"))
    assert [p.title for p in pieces] == [heading.strip()] and left == []


@pytest.mark.parametrize("line", ["案例分析表明，监测要早。", "如案例一所示，监测要早。", "案例库建设", "案例一二三四五六"])
def test_lines_that_are_no_case_headings(line):
    assert split_compilation(f"{line}\n{BODY}\n", heading_pattern("cases")) == ([], [])


def test_preface_and_table_of_contents_are_left_out_and_pieces_cover_the_cases():
    text = ("前言\n本书收录各地做法。\n目录\n案例一 宁川县 …… 3\n案例二 临湍县 …… 7\n"
            f"案例一：宁川县\n{BODY}\n案例二：临湍县\n{BODY}")
    pieces, left = split_compilation(text, heading_pattern("cases"))
    assert [p.title for p in pieces] == ["案例一：宁川县", "案例二：临湍县"]
    assert [p.line for p in pieces] == [6, 8]
    assert left == [(0, text.index("案例一：宁川县"))]  # the preface and both table-of-contents entries
    assert pieces[0].end == pieces[1].start and pieces[1].end == len(text)
    assert text[pieces[1].start:pieces[1].end] == f"案例二：临湍县\n{BODY}"


def test_a_pattern_of_ones_own():
    text = f"第一篇 产业\n{BODY}\n第二篇 就业\n{BODY}\n"
    pieces, _ = split_compilation(text, heading_pattern(r"^第[一二三四五六七八九十]+篇"))
    assert [p.title for p in pieces] == ["第一篇 产业", "第二篇 就业"]
    with pytest.raises(re.error):
        heading_pattern("第[一二")
