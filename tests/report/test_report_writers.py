"""The report writers render a hand-built Report to HTML, XLSX and DOCX (issue 7)."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from caseminer.errors import ExchangeError, InvalidInput, InvalidSetting
from caseminer.report.docx import write_docx
from caseminer.report.html import LONG_TABLE_ROWS, sanitize_svg, write_html
from caseminer.report.model import (
    Column,
    Figure,
    Quote,
    Report,
    Section,
    Table,
    format_value,
    rendered_sections,
)
from caseminer.report.xlsx import ABOUT_SHEET, sheet_name, write_xlsx

HOSTILE = "<script>alert(1)</script> 与 <img src=x onerror=alert(1)>"
SECTION_TITLES = {
    "summary": ("语料概况", "Corpus summary"),
    "newwords": ("新词发现", "New words"),
    "newwords_by_case": ("各案例新词", "New words by case"),
    "core_keywords": ("核心关键词案例频次", "Core keywords by case frequency"),
    "by_province": ("关键词与省份", "Keywords by province"),
    "coding_table": ("编码表", "Coding table"),
    "exemplars": ("典型案例", "Exemplars"),
    "methods": ("研究方法", "Methods"),
}
NEWWORD_COLUMNS = [
    Column("word", "词语", "word"),
    Column("pos", "词性", "pos"),
    Column("weight", "权重", "weight", ".2f"),
    Column("freq", "频次", "freq"),
]
NEWWORDS = [
    {"word": "扶贫产业园", "pos": "n_new", "weight": 92.4, "freq": 56},
    {"word": "脱贫攻坚", "pos": "n_new", "weight": 20.64, "freq": 9},
    {"word": "=HYPERLINK(\"x\")", "pos": "n_new", "weight": 1.5, "freq": 1},
]


def _png(path: Path, width: int = 4, height: int = 3) -> Path:
    """A valid RGB PNG written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x2b\x4c\x7e" * width for _ in range(height))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


HOSTILE_SVG = """<?xml version="1.0" encoding="utf-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="100pt" height="50pt" viewBox="0 0 100 50" onload="alert(1)">
  <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
  <script>alert(2)</script>
  <defs><clipPath id="clip1"><rect width="100" height="50"/></clipPath>
    <path id="glyph" d="M0 0L1 1"/></defs>
  <g clip-path="url(#clip1)" onclick="alert(3)">
    <rect x="1" y="1" width="10" height="10" style="fill:url(https://evil.example/x.svg)"/>
    <use xlink:href="#glyph"/>
    <image href="https://evil.example/track.png" width="1" height="1"/>
    <a href="javascript:alert(4)"><text>扶贫产业 &lt;b&gt;</text></a>
    <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
    <set attributeName="href" to="javascript:alert(5)"/>
  </g>
</svg>
"""


@pytest.fixture
def report(tmp_path: Path) -> Report:
    png = _png(tmp_path / "heatmap.png")
    svg = tmp_path / "heatmap.svg"
    svg.write_text(HOSTILE_SVG, encoding="utf-8")
    network_png = _png(tmp_path / "network.png", 6, 4)
    by_case = [
        Table(f"newwords_{i:03d}", f"案例 {i} 的新词", f"New words of case {i}",
              NEWWORD_COLUMNS, NEWWORDS[:2])
        for i in range(8)
    ]
    long_rows = [{"keyword": f"关键词{i}", "cases": 100 - i} for i in range(LONG_TABLE_ROWS + 5)]
    quote = Quote("jx-07", "江西", "扶贫产业", HOSTILE + "\n第二行", 120, 168)
    sections = [
        Section("summary", *SECTION_TITLES["summary"],
                paragraphs=["共 117 个案例，来自 32 个省级单位。", HOSTILE]),
        Section("newwords", *SECTION_TITLES["newwords"],
                tables=[Table("newwords", "新词表", "New words", NEWWORD_COLUMNS, NEWWORDS,
                              note="权重为 PMI 与邻接熵的组合。")]),
        Section("newwords_by_case", *SECTION_TITLES["newwords_by_case"], tables=by_case),
        Section("core_keywords", *SECTION_TITLES["core_keywords"],
                tables=[Table("core_keywords", "核心关键词案例频次", "Case frequency",
                              [Column("keyword", "核心关键词", "core keyword"),
                               Column("cases", "案例数", "cases")], long_rows)]),
        Section("by_province", *SECTION_TITLES["by_province"],
                figures=[Figure("heatmap", "关键词 × 省份热力图", "Keyword × province heatmap",
                                png, svg),
                         Figure("network", "共现网络", "Co-occurrence network", network_png)]),
        Section("coding_table", *SECTION_TITLES["coding_table"],
                tables=[Table("coding_table", "编码表", "Coding table",
                              [Column("open", "开放编码", "open codes"),
                               Column("axial", "主轴编码", "axial code"),
                               Column("selective", "选择编码", "selective code")],
                              [{"open": ["防贫预警", "数据平台", "分级预警"],
                                "axial": "实施动态监测", "selective": "落实防贫保障"}])]),
        Section("exemplars", *SECTION_TITLES["exemplars"], quotes=[quote]),
        Section("methods", *SECTION_TITLES["methods"], paragraphs=["编码由两名研究者独立完成。"]),
    ]
    return Report(
        title="巩固拓展脱贫攻坚成果案例分析",
        subtitle="caseminer 报告 <b>测试</b>",
        generated_at=dt.datetime(2026, 5, 1, 10, 30, tzinfo=dt.timezone.utc),
        sections=sections,
        methods=["新词发现使用 PMI 与左右邻接熵（min_count=5）。"],
        settings=[{"stage": "discover", "run_id": 3, "started_at": "2026-05-01T09:58:00Z",
                   "finished_at": "2026-05-01T10:00:00Z",
                   "settings": {"min_count": 5, "min_pmi": 3.0},
                   "versions": {"caseminer": "0.1.0", "jieba": "0.42.1"}}],
    )


class _Page(HTMLParser):
    """Collects every start tag with its attributes, and the text, of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None
        self.headings: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "h2":
            self._heading = []

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "h2" and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.tags if a.get("id")]


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


# ------------------------------------------------------------------------- HTML


def test_html_renders_every_section_in_order_with_toc(report, tmp_path):
    out = write_html(report, tmp_path / "out" / "report.html")
    page = _parse(out)
    section_ids = [a["data-section"] for t, a in page.tags if t == "section"]
    assert section_ids == [s.id for s in report.sections]
    for sid, (zh, en) in SECTION_TITLES.items():
        assert any(zh in h and en in h for h in page.headings), sid
    ids = set(page.ids())
    links = [a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("#")]
    assert {f"#{s.id}" for s in report.sections} <= set(links)
    assert all(link[1:] in ids for link in links)  # every TOC link resolves


def test_html_escapes_hostile_text_everywhere(report, tmp_path):
    page = _parse(write_html(report, tmp_path / "report.html"))
    assert not [t for t, _ in page.tags if t == "script"]
    assert all(_is_png_data_uri(a) for t, a in page.tags if t == "img")
    assert not any(k.lower().startswith("on") for _, attrs in page.tags for k in attrs)
    text = "".join(page.text)
    assert "<script>alert(1)</script>" in text  # shown as text: summary and quote
    assert "<img src=x onerror=alert(1)>" in text
    assert "<b>测试</b>" in text  # the subtitle is text, not markup
    assert "第二行" in text and "jx-07" in text and "江西" in text


def _is_png_data_uri(attrs: dict) -> bool:
    return (attrs.get("src") or "").startswith("data:image/png;base64,")


def test_html_has_no_external_resources(report, tmp_path):
    raw = write_html(report, tmp_path / "report.html").read_text(encoding="utf-8")
    page = _parse(tmp_path / "report.html")
    for tag, attrs in page.tags:
        for key in ("src", "href", "xlink:href", "action", "srcset", "poster"):
            value = (attrs.get(key) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "javascript:")), (tag, key)
    assert not [a for t, a in page.tags if t in ("link", "iframe", "object", "embed")]
    assert "http://" not in raw and "https://" not in raw
    assert "@import" not in raw
    # The one @font-face is the embedded CJK subset, as a data URL.
    faces = re.findall(r"@font-face\{[^}]*\}", raw)
    assert len(faces) == 1 and "url(data:font/woff;base64," in faces[0]


def test_html_embeds_the_glyphs_it_uses(report, tmp_path):
    import base64
    import io

    from fontTools.ttLib import TTFont

    raw = write_html(report, tmp_path / "report.html").read_text(encoding="utf-8")
    data = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", raw).group(1)
    cmap = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
    body = raw.split("</style>", 1)[1]
    missing = {ch for ch in body if "\u4e00" <= ch <= "\u9fff" and ord(ch) not in cmap}
    assert not missing


def test_html_inlines_sanitised_svg_and_png_data_uri(report, tmp_path):
    page = _parse(write_html(report, tmp_path / "report.html"))
    tags = [t for t, _ in page.tags]
    assert tags.count("svg") == 1  # heatmap: SVG inline
    imgs = [a for t, a in page.tags if t == "img"]
    assert len(imgs) == 1 and _is_png_data_uri(imgs[0])  # network: PNG only
    assert "foreignobject" not in tags and "metadata" not in tags and "set" not in tags
    # ids are prefixed per figure and references follow them
    assert "heatmap-clip1" in page.ids()
    clip = [a["clip-path"] for t, a in page.tags if t == "g" and "clip-path" in a]
    assert clip == ["url(#heatmap-clip1)"]
    uses = [a for t, a in page.tags if t == "use"]
    assert uses[0]["xlink:href"] == "#heatmap-glyph"
    assert "扶贫产业 <b>" in "".join(page.text)


def test_html_puts_long_and_many_tables_in_details(report, tmp_path):
    raw = write_html(report, tmp_path / "report.html").read_text(encoding="utf-8")
    details = re.findall(r"<details>.*?</details>", raw, re.S)
    collapsed = [re.search(r'data-table="([^"]+)"', d).group(1) for d in details]
    assert "core_keywords" in collapsed  # > LONG_TABLE_ROWS rows
    assert sum(c.startswith("newwords_0") for c in collapsed) == 8  # > MANY_TABLES tables
    assert "newwords" not in collapsed and "coding_table" not in collapsed


def test_html_tables_have_bilingual_headers_and_formatted_cells(report, tmp_path):
    raw = write_html(report, tmp_path / "report.html").read_text(encoding="utf-8")
    table = re.search(r'<table id="table-newwords".*?</table>', raw, re.S).group(0)
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)
    assert headers[0] == '词语<span class="en">word</span>'
    assert "<td class=\"num\">92.40</td>" in table and "<td class=\"num\">56</td>" in table
    assert "防贫预警、数据平台、分级预警" in raw  # list cells joined
    assert "min_count=5; min_pmi=3.0" in raw and "jieba=0.42.1" in raw  # settings table
    assert raw.index("新词发现使用 PMI") > raw.index('data-section="methods"')


def test_html_methods_section_appended_when_absent(report, tmp_path):
    report.sections = [s for s in report.sections if s.id != "methods"]
    page = _parse(write_html(report, tmp_path / "report.html"))
    assert [a["data-section"] for t, a in page.tags if t == "section"][-1] == "methods"


@pytest.mark.parametrize("svg", [
    "<svg", "<html><body/></html>", "<!DOCTYPE x [<!ENTITY a 'b'>]><svg>&a;</svg>",
])
def test_html_sanitize_svg_refuses_bad_svg(svg):
    with pytest.raises(ValueError):
        sanitize_svg(svg)


@pytest.mark.parametrize("css, expected", [
    ("*{stroke-linejoin: round}", "<style>#f-svg *{stroke-linejoin: round}</style>"),
    (".a, g > p{fill:blue}", "<style>#f-svg .a,#f-svg g &gt; p{fill:blue}</style>"),
    ("@import 'x.css'; *{a:b}", ""),
    ("}body{display:none}", ""),
    ("*{fill:url(https://evil.example/p)}", ""),
])
def test_html_sanitize_svg_scopes_style_to_the_figure(css, expected):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><style>{css}</style><g/></svg>'
    assert sanitize_svg(svg, id_prefix="f-") == f'<svg id="f-svg" role="img">{expected}<g /></svg>'


def test_html_sanitize_svg_matplotlib_output_is_kept(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.bar(["a", "b"], [3, 1])
    ax.imshow([[0, 1], [1, 0]], extent=(0, 1, 0, 1))
    fig.savefig(tmp_path / "f.svg")
    plt.close(fig)
    out = sanitize_svg((tmp_path / "f.svg").read_bytes(), id_prefix="f-")
    assert out.startswith("<svg") and "<path" in out and "<image" in out
    assert "data:image/png;base64," in out  # matplotlib's embedded raster survives
    assert "http" not in out and "<metadata" not in out


def test_html_missing_png_is_an_error_naming_the_figure(report, tmp_path):
    report.sections[4].figures[1].png = tmp_path / "gone.png"
    with pytest.raises(InvalidInput, match=r"figure 'network' has no PNG file.*caseminer stats"):
        write_html(report, tmp_path / "report.html")
    assert not (tmp_path / "report.html").exists()


def test_html_duplicate_table_ids_are_refused(report, tmp_path):
    report.sections[1].tables.append(report.sections[1].tables[0])
    with pytest.raises(InvalidInput, match="two tables have the id 'newwords'"):
        write_html(report, tmp_path / "report.html")


def test_html_unwritable_target_is_an_exchange_error(report, tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(ExchangeError, match="this is a folder"):
        write_html(report, tmp_path / "taken")


# ------------------------------------------------------------------------- XLSX


def test_xlsx_every_table_is_a_sheet_with_two_header_rows(report, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = write_xlsx(report, tmp_path / "tables.xlsx")
    wb = openpyxl.load_workbook(out)
    tables = [t for s in rendered_sections(report) for t in s.tables]
    assert wb.sheetnames == [ABOUT_SHEET, *[t.id for t in tables], "quotes"]
    ws = wb["newwords"]
    assert [c.value for c in ws[1]] == ["词语", "词性", "权重", "频次"]
    assert [c.value for c in ws[2]] == ["word", "pos", "weight", "freq"]
    assert ws["A1"].font.bold and ws["A2"].font.bold and ws.freeze_panes == "A3"
    assert [c.value for c in ws[3]] == ["扶贫产业园", "n_new", 92.4, 56]
    assert ws["C3"].number_format == "0.00"
    # a formula-looking word is stored as text, never evaluated
    assert ws["A5"].value.startswith("=HYPERLINK") and ws["A5"].data_type == "s"
    # CJK characters count double when fitting widths
    assert ws.column_dimensions["A"].width >= 2 * len("扶贫产业园")
    assert wb["coding_table"]["A3"].value == "防贫预警、数据平台、分级预警"
    assert [c.value for c in wb["run_settings"][3]][:4] == [
        "discover", 3, "2026-05-01T09:58:00Z", "2026-05-01T10:00:00Z"]
    assert wb["run_settings"]["E3"].value == "min_count=5; min_pmi=3.0"
    quotes = wb["quotes"]
    assert quotes["G3"].value.startswith(HOSTILE) and quotes["B3"].value == "jx-07"


def test_xlsx_about_sheet_lists_sheets_and_methods(report, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(write_xlsx(report, tmp_path / "tables.xlsx"))
    about = wb[ABOUT_SHEET]
    values = [c.value for row in about.iter_rows() for c in row if c.value is not None]
    assert values[0] == report.title
    assert "新词表" in values and "New words" in values and "核心关键词案例频次" in values
    assert report.methods[0] in values
    linked = [c.hyperlink.location for row in about.iter_rows() for c in row if c.hyperlink]
    assert "'newwords'!A1" in linked and "'quotes'!A1" in linked


@pytest.mark.parametrize("wanted, taken, expected", [
    ("a/b:c*?[x]\\", set(), "a_b_c___x__"),
    ("x" * 40, set(), "x" * 31),
    ("Newwords", {"newwords"}, "Newwords~2"),
    ("y" * 40, {"y" * 31}, "y" * 29 + "~2"),
    ("History", {"history"}, "History~2"),
    ("'", set(), "table"),
])
def test_xlsx_sheet_name_is_valid_and_unique(wanted, taken, expected):
    name = sheet_name(wanted, taken)
    assert name == expected and len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    assert name.casefold() in taken


def test_xlsx_long_clashing_table_ids_get_distinct_sheets(report, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    cols = [Column("a", "甲", "a")]
    report.sections[0].tables = [Table("t" * 40 + "1", "甲", "A", cols, [{"a": 1}]),
                                 Table("T" * 40 + "2", "乙", "B", cols, [{"a": 2}])]
    wb = openpyxl.load_workbook(write_xlsx(report, tmp_path / "tables.xlsx"))
    assert wb.sheetnames[1:3] == ["t" * 31, "T" * 29 + "~2"]


# ------------------------------------------------------------------------- DOCX


def test_docx_headings_tables_figures_and_quotes(report, tmp_path):
    docx = pytest.importorskip("docx")
    out = write_docx(report, tmp_path / "report.docx")
    doc = docx.Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == len(report.sections)
    for heading, section in zip(headings, report.sections, strict=True):
        assert section.title_zh in heading and section.title_en in heading
    n_tables = sum(len(s.tables) for s in rendered_sections(report))
    assert len(doc.tables) == n_tables
    first = doc.tables[0]
    assert first.style.name == "Table Grid"
    assert [c.text for c in first.rows[0].cells] == ["词语", "词性", "权重", "频次"]
    assert [c.text for c in first.rows[1].cells] == ["word", "pos", "weight", "freq"]
    assert [c.text for c in first.rows[2].cells] == ["扶贫产业园", "n_new", "92.40", "56"]
    assert len(doc.inline_shapes) == 2
    assert abs(doc.inline_shapes[0].width.cm - 15.0) < 0.01
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("图 1 关键词 × 省份热力图") for c in captions)
    assert any(c.startswith("表 1 新词表 / Table 1 New words") for c in captions)
    quotes = [p for p in doc.paragraphs if p.paragraph_format.left_indent is not None]
    assert quotes[0].text.startswith(HOSTILE) and quotes[0].paragraph_format.left_indent.cm > 0.9
    assert quotes[1].text == "案例 Case jx-07 · 江西 · 编码 Code 扶贫产业 · 字符 chars 120–168"
    assert 'TOC \\o "1-2"' in doc.element.body.xml  # the contents field
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "新词发现使用 PMI" in body and "编码由两名研究者独立完成。" in body


def test_docx_sets_east_asian_font_and_language(report, tmp_path):
    docx = pytest.importorskip("docx")
    from docx.oxml.ns import qn

    doc = docx.Document(str(write_docx(report, tmp_path / "report.docx")))
    for name, font in (("Normal", "宋体"), ("Heading 1", "黑体"), ("Caption", "黑体")):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font
        assert fonts.get(qn("w:eastAsiaTheme")) is None
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert defaults.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_docx_missing_png_is_refused_before_writing(report, tmp_path):
    pytest.importorskip("docx")
    report.sections[4].figures[0].png = tmp_path / "gone.png"
    with pytest.raises(InvalidInput, match="figure 'heatmap' has no PNG file"):
        write_docx(report, tmp_path / "report.docx")
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.glob(".*.tmp"))


def test_docx_control_characters_do_not_break_the_file(report, tmp_path):
    docx = pytest.importorskip("docx")
    report.sections[0].paragraphs.append("页\x00眉\x0b文本")
    doc = docx.Document(str(write_docx(report, tmp_path / "report.docx")))
    assert any(p.text == "页眉文本" for p in doc.paragraphs)


# ------------------------------------------------------------------------ values


@pytest.mark.parametrize("value, fmt, expected", [
    (92.4, "", "92.40"), (56, "", "56"), (0.00012, "", "0.00012"), (None, "", ""),
    (float("nan"), "", ""), (0.25, ".1%", "25.0%"), (["甲", "乙"], "", "甲、乙"), (True, "", "是 yes"),
])
def test_model_format_value(value, fmt, expected):
    assert format_value(value, Column("k", "键", "key", fmt)) == expected


def test_docx_wide_table_goes_on_a_landscape_page(report, tmp_path):
    docx = pytest.importorskip("docx")
    from docx.enum.section import WD_ORIENT

    provinces = [Column(f"p{i}", f"省份{i}", f"province {i}") for i in range(32)]
    wide = Table("by_province", "关键词 × 省份", "Keyword × province",
                 [Column("keyword", "关键词", "keyword"), *provinces],
                 [{"keyword": "扶贫产业", **{f"p{i}": i % 3 for i in range(32)}}])
    report.sections[4].tables = [wide]
    doc = docx.Document(str(write_docx(report, tmp_path / "report.docx")))
    orientations = [s.orientation for s in doc.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert doc.sections[1].page_width > doc.sections[1].page_height
    table = next(t for t in doc.tables if len(t.columns) == 33)
    assert table.rows[2].cells[3].text == "2"
    # the keyword column wide enough for a term on one line, the 32 columns of counts share the rest
    widths = [cell.width.cm for cell in table.rows[2].cells]
    assert widths[0] == pytest.approx(3.0, abs=0.01) and widths[1] == pytest.approx(21.7 / 32, abs=0.01)
    assert [c.width.cm for c in table.columns][:2] == pytest.approx(widths[:2], abs=0.01)


def test_docx_prints_a_long_table_up_to_its_limit_and_names_the_whole_sheet(report, tmp_path):
    docx = pytest.importorskip("docx")
    from caseminer.report.xlsx import table_sheets

    doc = docx.Document(str(write_docx(report, tmp_path / "report.docx", printed_rows=LONG_TABLE_ROWS)))
    long_table = next(t for t in doc.tables if t.rows[0].cells[0].text == "核心关键词")
    assert len(long_table.rows) == 2 + LONG_TABLE_ROWS  # two header rows
    assert long_table.rows[-1].cells[0].text == f"关键词{LONG_TABLE_ROWS - 1}"
    sheet = table_sheets(report)["core_keywords"]
    notes = [p.text for p in doc.paragraphs if p.text.startswith("注 Note:")]
    assert any(f"只列出前 {LONG_TABLE_ROWS:,} 行（共 {LONG_TABLE_ROWS + 5:,} 行）" in n
               and f"sheet {sheet} of tables.xlsx" in n for n in notes)
    shortened = [n for n in notes if "只列出" in n]
    assert len(shortened) == 1  # the short tables are whole, without the note
    first = doc.tables[0]
    assert len(first.rows) == 2 + len(NEWWORDS) and "权重为 PMI" in notes[0]


def test_docx_and_xlsx_agree_on_sheet_names(report, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from caseminer.report.xlsx import table_sheets

    report.sections[2].tables[1].id = report.sections[2].tables[0].id.upper()  # clashes in Excel
    names = table_sheets(report)
    book = openpyxl.load_workbook(write_xlsx(report, tmp_path / "tables.xlsx"), read_only=True)
    assert list(names.values()) == book.sheetnames[1: 1 + len(names)]
    assert len(set(names.values())) == len(names)


def test_docx_printed_rows_below_one_is_a_setting_error(report, tmp_path):
    pytest.importorskip("docx")
    with pytest.raises(InvalidSetting, match="printed_rows"):
        write_docx(report, tmp_path / "report.docx", printed_rows=0)
    assert not list(tmp_path.glob("*.docx"))


def test_docx_figure_that_is_no_image_is_an_error_naming_it(report, tmp_path):
    pytest.importorskip("docx")
    report.sections[4].figures[0].png.write_bytes(b"not a picture")
    with pytest.raises(InvalidInput, match="the figure 'heatmap' cannot be read as an image"):
        write_docx(report, tmp_path / "report.docx")
    assert not list(tmp_path.glob("*.docx"))
