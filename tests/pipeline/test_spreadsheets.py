"""Workbooks as Excel, WPS and LibreOffice save them (.xlsx, .xls, .ods), read alike.

``tests/data/sheets/cases.xls`` and ``cases.ods`` are LibreOffice's saves of ``cases.xlsx``
(``make_sheets.py`` there); the hand-built .ods files test what LibreOffice writes only in
larger sheets or never (entities)."""

import datetime as dt

import pytest
from conftest import REPO, write_ods

from caseminer.errors import InvalidInput
from caseminer.pipeline.spreadsheets import first_sheet, read_workbook

SHEETS = REPO / "tests" / "data" / "sheets"
CASES = [
    ("编号", "省份", "年份", "日期", "得分", "正文"),
    ("01", "江西", 2021, dt.datetime(2021, 5, 1), 3.25, "宁川县建起扶贫产业园，带动  周边农户务工。"),
    ("02", "贵州", 2020, dt.datetime(2020, 11, 30, 9, 30), 12, "第一行写消费扶贫。\n第二行写电商平台。"),
    ("03", None, 2019, None, -0.5, "石桥村推行“积分超市”，群众以表现换积分。"),
    (),
    ("04", "甘肃", 2022, None, None, "东坡镇设公益性岗位，安置脱贫劳动力就业。"),
]


@pytest.mark.parametrize("suffix", ["xlsx", "xls", "ods"])
def test_the_three_formats_read_alike(suffix):
    # Whole numbers as int (xlrd and OpenDocument give floats), dates as datetime, a run of
    # spaces (text:s) and a line break (two paragraphs) as written, the hidden sheet kept,
    # and LibreOffice's million repeated empty rows at the end of each sheet dropped.
    sheets = read_workbook(SHEETS / f"cases.{suffix}")
    assert [s.name for s in sheets] == ["案例", "_note"]
    assert sheets[0].rows == CASES
    assert sheets[1].rows == [("format", "demo-1"), ("count", 4)]
    assert type(sheets[0].rows[1][2]) is int and type(sheets[1].rows[1][1]) is int


def test_the_kind_is_told_by_content_not_name(tmp_path):
    renamed = tmp_path / "cases.xls"
    renamed.write_bytes((SHEETS / "cases.xlsx").read_bytes())
    assert first_sheet(renamed).rows == CASES
    ods_as_xlsx = tmp_path / "cases.xlsx"
    ods_as_xlsx.write_bytes((SHEETS / "cases.ods").read_bytes())
    assert first_sheet(ods_as_xlsx).rows == CASES


@pytest.mark.parametrize("content, said", [
    (b"<html><body><table><tr><td>01</td></tr></table></body></html>", "it is a web page (an HTML table)"),
    ("编号,正文\n01,扶贫产业园\n".encode("gb18030"), "it is a text file (perhaps CSV)"),
    (b"", "it is empty"),
])
def test_a_file_that_is_no_workbook_is_named(tmp_path, content, said):
    # Web systems' 导出Excel often writes an HTML table or a CSV and names it .xls.
    path = tmp_path / "导出.xls"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match="cannot read the file as an Excel, WPS or LibreOffice workbook") as e:
        read_workbook(path)
    assert said in str(e.value) and "save it as an Excel workbook (.xlsx" in str(e.value)
    assert e.value.code == "E221"


def test_a_damaged_or_foreign_archive_is_named(tmp_path):
    import zipfile

    docx = tmp_path / "a.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InvalidInput, match="it is a Word document, not a workbook"):
        read_workbook(docx)
    cut = tmp_path / "b.ods"
    cut.write_bytes((SHEETS / "cases.ods").read_bytes()[:3000])
    with pytest.raises(InvalidInput, match="b.ods: cannot read the file as a workbook"):
        read_workbook(cut)
    cut_xls = tmp_path / "c.xls"
    cut_xls.write_bytes((SHEETS / "cases.xls").read_bytes()[:1500])
    with pytest.raises(InvalidInput, match=r"c.xls: cannot read the file as an Excel 97-2003 workbook \(.xls\)"):
        read_workbook(cut_xls)


NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _content(tables: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {NS}><office:body>'
            f"<office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>")


def test_ods_repeats_spans_and_groups(tmp_path):
    # Repeated cells and rows unrolled where data follows, never where only emptiness does
    # (a sheet's rest: 16,384 columns, a million rows); rows inside header-rows and groups;
    # spans, links, spaces, tabs and line breaks read through; a cell's comment left out.
    table = (
        '<table:table table:name="表1">'
        "<table:table-header-rows><table:table-row>"
        '<table:table-cell office:value-type="string"><text:p>编号</text:p></table:table-cell>'
        '<table:table-cell table:number-columns-repeated="2"/>'
        '<table:table-cell office:value-type="string"><text:p>正文</text:p></table:table-cell>'
        '<table:table-cell table:number-columns-repeated="16380"/>'
        "</table:table-row></table:table-header-rows>"
        '<table:table-row table:number-rows-repeated="2">'
        '<table:table-cell office:value-type="float" office:value="7"><text:p>7.00</text:p></table:table-cell>'
        '<table:table-cell office:value-type="percentage" office:value="0.25"><text:p>25%</text:p></table:table-cell>'
        '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><office:annotation><text:p>批注</text:p></office:annotation>'
        '<text:p>乡村<text:span>振兴</text:span><text:s text:c="3"/>战略<text:tab/>'
        '<text:a xlink:href="http://x" xmlns:xlink="http://www.w3.org/1999/xlink">链接</text:a>'
        "<text:line-break/>下一行</text:p></table:table-cell>"
        "</table:table-row>"
        '<table:table-row-group><table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
        '<table:table-row><table:covered-table-cell/><table:table-cell office:value-type="date" '
        'office:date-value="2024-03-08"><text:p>2024/3/8</text:p></table:table-cell></table:table-row>'
        "</table:table-row-group>"
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/>'
        "</table:table-row></table:table>")
    path = write_ods(tmp_path / "t.ods", [], content=_content(table))
    text = "乡村振兴   战略\t链接\n下一行"
    assert read_workbook(path)[0].rows == [
        ("编号", None, None, "正文"), (7, 0.25, True, text), (7, 0.25, True, text), (), (), (),
        (None, dt.datetime(2024, 3, 8))]


def test_ods_with_entities_is_refused(tmp_path):
    # An uploaded or e-mailed workbook is not trusted: a DTD's entities (billion laughs, a
    # file read through an external entity) are refused, not expanded.
    prolog = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    table = '<table:table table:name="t"><table:table-row><table:table-cell><text:p>&e;</text:p>' \
            '</table:table-cell></table:table-row></table:table>'
    path = write_ods(tmp_path / "x.ods", [], content=_content(table, prolog))
    with pytest.raises(InvalidInput, match="declares entities or a DTD"):
        read_workbook(path)


def test_ods_too_large_is_refused(tmp_path, monkeypatch):
    from caseminer.pipeline import spreadsheets

    path = write_ods(tmp_path / "big.ods", [("t", [["正文"], ["扶贫产业园" * 50]])])
    monkeypatch.setattr(spreadsheets, "MAX_XML_BYTES", 200)
    with pytest.raises(InvalidInput, match=r"its content.xml unpacks to [\d,]+ bytes, over the 200 bytes caseminer reads"):
        read_workbook(path)


def test_write_ods_helper_round_trips(tmp_path):
    path = write_ods(tmp_path / "h.ods", [("s", [["a", 1, None, 2.5], [], ["第一\n第二"]])])
    assert read_workbook(path)[0].rows == [("a", 1, None, 2.5), (), ("第一\n第二",)]


def test_no_sheet_at_all(tmp_path):
    path = write_ods(tmp_path / "empty.ods", [])
    with pytest.raises(InvalidInput, match="it has no sheet"):
        first_sheet(path)


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_libreoffice_saves_of_what_caseminer_reads(tmp_path, suffix):
    # The committed saves were made by one LibreOffice; this one, where installed, too.
    from conftest import soffice_convert

    saved = soffice_convert(SHEETS / "cases.xlsx", suffix, tmp_path)
    assert [s.rows for s in read_workbook(saved)] == [CASES, [("format", "demo-1"), ("count", 4)]]


def test_lost_zeros_hint():
    from caseminer.pipeline.spreadsheets import lost_zeros_hint

    assert lost_zeros_hint("1", ["01", "02", "01_a"]) == (
        "a spreadsheet turns 01 into 1: format the column as text (设置单元格格式 → 文本) or type '01 with the apostrophe")
    assert lost_zeros_hint("1", ["01", "001"]) == ""  # which one? no guess
    assert lost_zeros_hint("1", ["1", "2"]) == "" and lost_zeros_hint("01_a", ["01_a"]) == ""
    assert lost_zeros_hint("①", ["0①"]) == ""


def test_a_wps_et_file_is_read_as_excel_97_2003(tmp_path):
    # WPS writes its own .et in Excel 97-2003's format; one that is not says so.
    et = tmp_path / "cases.et"
    et.write_bytes((SHEETS / "cases.xls").read_bytes())
    assert first_sheet(et).rows == CASES
    et.write_bytes((SHEETS / "cases.xls").read_bytes()[:1500])
    with pytest.raises(InvalidInput, match=r"cannot read the file as a WPS spreadsheet \(.et, read as Excel 97-2003\)"):
        read_workbook(et)


def test_a_word_list_in_a_workbook(tmp_path, empty_project, cli):
    # A researcher's term list kept in Excel: the first column of the first sheet, under a
    # heading or not; a bad entry is named by its row.
    import openpyxl

    from caseminer.pipeline.lexicon import current_lexicon, read_word_file

    workbook = openpyxl.Workbook()
    for row in (["词语", "来源"], ["扶贫车间", "案例汇编"], [None, None], ["五防机制", None], ["5G基站", None]):
        workbook.active.append(row)
    workbook.save(tmp_path / "words.xlsx")
    assert read_word_file(tmp_path / "words.xlsx") == ["扶贫车间", "五防机制", "5G基站"]
    ods = write_ods(tmp_path / "words.ods", [("表", [["易地扶贫搬迁"], ["以工代赈"]])])
    assert read_word_file(ods) == ["易地扶贫搬迁", "以工代赈"]
    result = cli("-p", empty_project.path, "lexicon", "add", "--file", tmp_path / "words.xlsx", "--coder", "A")
    assert result.exit_code == 0 and {"扶贫车间", "五防机制", "5G基站"} <= set(current_lexicon(empty_project))
    write_ods(tmp_path / "bad.ods", [("表", [["词语"], ["扶贫车间"], ["两不愁、三保障"]])])
    with pytest.raises(InvalidInput, match=r"bad.ods, first column: entry 3 \('两不愁、三保障'\) is not a word"):
        read_word_file(tmp_path / "bad.ods")
