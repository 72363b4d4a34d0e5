import pytest

from caseminer.nlp.normalize import OffsetMap, normalise, to_simplified


@pytest.mark.parametrize(
    "original, expected",
    [
        ("２０２１年共有１２３户", "2021年共有123户"),
        ("脱贫攻坚,乡村振兴.巩固成果;持续推进:", "脱贫攻坚，乡村振兴。巩固成果；持续推进："),
        ("增长3.5个百分点", "增长3.5个百分点"),
        ("实施\"志智双扶\"工程", "实施“志智双扶”工程"),
        ("产业　兴旺", "产业兴旺"),
        ("GDP grew\nquickly.", "GDP grew quickly."),
    ],
)
def test_normalize_rules(original, expected):
    assert normalise(original).text == expected


def test_normalize_joins_pdf_line_breaks_but_keeps_paragraphs():
    line = "全县坚持把巩固拓展脱贫攻坚成果作为头等大事来抓，建立健全"
    original = f"{line}\n防止返贫动态监测和帮扶机制，守住底线。\n二、主要做法\n一是强化组织领导。"
    text = normalise(original).text
    assert "建立健全防止返贫" in text
    assert "守住底线。\n二、主要做法\n一是强化组织领导。" in text


@pytest.mark.parametrize("original", ["２０２１年,全县\r\n共有贫困户１２３户.  脱贫 攻坚", "abc\n\n\n第二段\u3000文字", ""])
def test_normalize_offset_map_round_trip(original):
    result = normalise(original)
    points = result.offsets.to_breakpoints()
    assert OffsetMap.from_breakpoints(points, len(result.text)) == result.offsets
    assert len(result.offsets.starts) == len(result.text) + 1


def test_normalize_spans_map_back_to_original():
    original = "２０２１年,全县建档立卡贫困户\n１２３户."
    result = normalise(original)
    start = result.text.index("建档立卡贫困户")
    a, b = result.offsets.span_to_original(start, start + len("建档立卡贫困户"))
    assert original[a:b] == "建档立卡贫困户"
    a, b = result.offsets.span_to_original(0, 4)
    assert original[a:b] == "２０２１"
    assert result.offsets.span_to_analysis(a, b) == (0, 4)


def test_normalize_traditional_to_simplified_keeps_length():
    assert to_simplified("鄉村振興與產業發展") == "乡村振兴与产业发展"


def test_normalize_traditional_share_tells_a_traditional_text():
    from caseminer.nlp.normalize import TRADITIONAL_SHARE, traditional_share

    traditional = "我們縣發展鄉村產業，農村貧困人口顯著減少，經濟穩定增長。"
    assert traditional_share(traditional) >= TRADITIONAL_SHARE
    assert traditional_share(to_simplified(traditional)) == 0.0
    assert traditional_share("abc 123") == 0.0  # no Han characters: nothing to tell


def test_normalize_keeps_table_cells_apart_and_paragraph_lines():
    assert normalise("村名\t措施\n甲村 \t 扶贫车间").text == "村名\t措施\n甲村\t扶贫车间"
    assert normalise("村名 措施").text == "村名措施"  # a space between Chinese characters is no cell
    wrapped = "各乡镇要建立健全防止返贫动态监测和帮扶机制的具体办法和操作\n流程，守住底线。"
    assert "操作流程" in normalise(wrapped).text
    assert normalise(wrapped, wrapped=False).text == wrapped


def test_normalize_drops_only_blanks_so_nothing_reads_as_left_out():
    from caseminer.nlp.normalize import left_out_spans

    original = "\ufeff扶贫\xa0车间\u2003建设。\u200b\r\n  村里 的 合作社\u3000运营。"
    assert left_out_spans(original, normalise(original).offsets) == []
