"""Corpus import: formats, encodings, metadata, provinces, duplicates, atomicity."""

import json
import re
from pathlib import Path

import pytest

from caseminer.errors import ImportFailed, InvalidInput
from caseminer.pipeline.corpus import get_case, import_cases, list_cases

from conftest import db_snapshot

TEXT = "某县建立防贫预警机制。\n２０２１年,全县共识别监测对象１２３户.\n"


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_import_decodes_encodings(empty_project, tmp_path, encoding):
    write(tmp_path / "cases" / "a.txt", TEXT, encoding)
    report = import_cases(empty_project, [tmp_path / "cases"])
    assert report.imported == ["a"]
    case = get_case(empty_project, "a")
    assert case.original_text == TEXT
    assert "2021年，全县共识别监测对象123户。" in case.text


def test_import_keeps_original_and_maps_offsets(empty_project, tmp_path):
    write(tmp_path / "a.txt", TEXT)
    import_cases(empty_project, [tmp_path / "a.txt"])
    case = get_case(empty_project, "a")
    start = case.text.index("123户")
    a, b = case.offsets.span_to_original(start, start + 4)
    assert case.original_text[a:b] == "１２３户"


def test_import_jsonl_with_province_normalised(empty_project, tmp_path):
    rows = [{"id": "c1", "province": "广西壮族自治区", "text": "扶贫车间带动就业。", "year": 2021},
            {"id": "c2", "province": "贵州省", "text": "易地扶贫搬迁后续扶持。", "locality": "某县"},
            {"id": "c3", "province": "火星", "text": "消费扶贫。"}]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = import_cases(empty_project, [path])
    assert report.imported == ["c1", "c2", "c3"]
    assert report.unknown_provinces == [("c3", "火星")]
    cases = {c.id: c for c in list_cases(empty_project)}
    assert cases["c1"].province == "广西"
    assert cases["c1"].attributes["year"] == "2021"
    assert cases["c2"].province == "贵州"
    assert cases["c3"].province is None and cases["c3"].attributes["province"] == "火星"
    assert cases["c1"].as_dict()["attributes"]["province_raw"] == "广西壮族自治区"


def test_import_csv_and_xlsx_text_and_id_fields(empty_project, tmp_path):
    import openpyxl

    (tmp_path / "t.csv").write_text("编号,正文,省份\nx1,发展乡村旅游。,浙江\n", encoding="utf-8-sig")
    workbook = openpyxl.Workbook()
    workbook.active.append(["编号", "正文", "省份"])
    workbook.active.append(["x2", "发展电子商务。", "四川省"])
    workbook.save(tmp_path / "t.xlsx")
    report = import_cases(empty_project, [tmp_path / "t.csv", tmp_path / "t.xlsx"], text_field="正文", id_field="编号")
    assert sorted(report.imported) == ["x1", "x2"]
    assert {c.id: c.province for c in list_cases(empty_project)} == {"x1": "浙江", "x2": "四川"}


def test_import_csv_rows_without_id_are_named_by_the_line_they_start_on(empty_project, tmp_path):
    # a case text with line breaks in it spans several lines of the file: the case is named,
    # and its errors placed, by the line its row starts on, not the one it ends on
    (tmp_path / "reports.csv").write_text('province,text\n贵州,"第一段。\n第二段。\n第三段。"\n\n云南,发展乡村旅游。\n',
                                         encoding="utf-8")
    report = import_cases(empty_project, [tmp_path / "reports.csv"])
    assert sorted(report.imported) == ["reports-2", "reports-6"]
    assert get_case(empty_project, "reports-2").text.startswith("第一段。")
    (tmp_path / "ragged.csv").write_text('province,text\n贵州,"第一段。\n第二段。"\n云南,发展,旅游。\n',
                                        encoding="utf-8")
    with pytest.raises(ImportFailed, match="ragged.csv, line 4: this row has 3 fields"):
        import_cases(empty_project, [tmp_path / "ragged.csv"])


def test_import_docx_html_md(empty_project, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("案例标题")
    document.add_paragraph("村集体经济收入稳步增长。")
    document.save(tmp_path / "d.docx")
    (tmp_path / "h.html").write_text("<html><head><title>网页案例</title><script>alert(1)</script></head>"
                                     "<body><p>发展庭院经济。</p><p>推进一村一品。</p></body></html>", encoding="utf-8")
    (tmp_path / "m.md").write_text("# 标题\n\n建立利益联结机制。\n", encoding="utf-8")
    import_cases(empty_project, [tmp_path])
    cases = {c.id: c for c in list_cases(empty_project)}
    assert "村集体经济收入稳步增长" in cases["d"].text and cases["d"].title == "案例标题"
    assert cases["h"].title == "网页案例" and "alert" not in cases["h"].text
    assert "发展庭院经济。\n推进一村一品。" in cases["h"].text
    assert cases["m"].title == "标题"


def test_import_docx_keeps_a_table_where_the_text_puts_it(empty_project, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("表1列出各村的帮扶措施。")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "村名"
    table.cell(0, 2).text = "措施"
    for column, value in enumerate(["甲村", "乙组", "扶贫车间"]):
        table.cell(1, column).text = value
    document.add_paragraph("三个村都已脱贫出列。")
    document.save(tmp_path / "t.docx")
    import_cases(empty_project, [tmp_path / "t.docx"])
    case = get_case(empty_project, "t")
    assert case.original_text == "表1列出各村的帮扶措施。\n村名\t措施\n甲村\t乙组\t扶贫车间\n三个村都已脱贫出列。"
    # each row its own line, each cell apart: no n-gram runs from one cell or row into the next
    assert case.text == case.original_text


def test_import_web_blocks_stay_paragraphs_and_pasted_word_lines_join(empty_project, tmp_path):
    import docx

    (tmp_path / "h.html").write_text("<html><body><p>消费帮扶专馆</p><p>县里组织企业采购脱贫地区农产品</p>"
                                     "<p>利益联结机制</p></body></html>", encoding="utf-8")
    document = docx.Document()  # text pasted from a PDF: a paragraph per printed line
    for line in ["全县坚持把巩固拓展脱贫攻坚成果作为头等大事来抓，各乡镇要建立健全",
                 "防止返贫动态监测和帮扶机制，做到早发现、早干预、早帮扶，守住底线。"]:
        document.add_paragraph(line)
    document.save(tmp_path / "w.docx")
    import_cases(empty_project, [tmp_path / "h.html", tmp_path / "w.docx"])
    assert get_case(empty_project, "h").text == "消费帮扶专馆\n县里组织企业采购脱贫地区农产品\n利益联结机制"
    assert "建立健全防止返贫动态监测" in get_case(empty_project, "w").text


def test_import_title_is_a_title_line_not_the_first_sentence(empty_project, tmp_path):
    write(tmp_path / "c" / "a.txt", "某县建立防贫预警机制，开展动态监测。\n全县识别监测对象123户。\n")
    write(tmp_path / "c" / "b.txt", "防贫预警机制的做法\n某县建立防贫预警机制。\n")
    write(tmp_path / "c" / "m.md", "#\n\n# 防贫预警\n\n正文。\n")
    import_cases(empty_project, [tmp_path / "c"])
    titles = {case.id: case.title for case in list_cases(empty_project)}
    assert titles == {"a": "", "b": "防贫预警机制的做法", "m": "防贫预警"}


def test_import_table_reads_a_chinese_title_column(empty_project, tmp_path):
    write(tmp_path / "cases.csv", "编号,标题,省份,正文\n3,山地农业,贵州,发展山地特色农业。\n", encoding="gb18030")
    import_cases(empty_project, [tmp_path / "cases.csv"], text_field="正文", id_field="编号")
    case = get_case(empty_project, "3")
    assert case.title == "山地农业" and "标题" not in case.attributes and case.province == "贵州"


def test_import_keyed_by_province_keeps_the_province(empty_project, tmp_path):
    # One report per province, keyed by it (--id-field province; files named 广西.txt with a
    # metadata table keyed by 省份): the key is each case's province too.
    path = tmp_path / "reports.jsonl"
    rows = [{"province": "广西壮族自治区", "full_text": "推进消费帮扶。", "year": "2026"},
            {"province": "上海市", "full_text": "建设五个中心。", "year": "2026"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    import_cases(empty_project, [path], text_field="full_text", id_field="province")
    write(tmp_path / "c" / "贵州省.txt", "发展山地特色农业。")
    write(tmp_path / "meta.csv", "省份,年份\n贵州省.txt,2025\n")
    import_cases(empty_project, [tmp_path / "c"], meta=tmp_path / "meta.csv")
    cases = {c.id: c for c in list_cases(empty_project)}
    assert {c.id: c.province for c in cases.values()} == {"广西壮族自治区": "广西", "上海市": "上海", "贵州省": "贵州"}
    assert cases["贵州省"].attributes["年份"] == "2025" and cases["上海市"].attributes["year"] == "2026"


PAPER = ("# 易地搬迁社区的后续帮扶\n\n搬迁群众的就业靠扶贫车间和公益岗位。\n\n# 参考文献\n\n"
         "[1] 王某.易地搬迁与生计重建[J].农村经济,2019,(3):12-18.\n[2] 张某.后续帮扶研究[M].北京,2021.\n")


def test_import_leaves_a_reference_list_out_of_the_analysis_text(empty_project, tmp_path):
    write(tmp_path / "c" / "paper.md", PAPER)
    write(tmp_path / "c" / "story.txt", TEXT)
    report = import_cases(empty_project, [tmp_path / "c"])
    listed = PAPER[PAPER.index("# 参考文献"):]
    assert report.references == [("paper", len(listed))]
    assert report.references_note().startswith(
        f"Left the reference list out of the analysis text of 1 case(s) ({len(listed)} characters")
    paper = get_case(empty_project, "paper")
    assert paper.original_text == PAPER
    assert paper.text.endswith("公益岗位。") and "农村经济" not in paper.text
    assert paper.char_count == len(paper.text)
    assert get_case(empty_project, "story").text.endswith("123户。")
    run = empty_project.conn.execute("SELECT settings, counts FROM runs WHERE stage='import'").fetchone()
    assert json.loads(run["settings"])["keep_references"] is False
    assert json.loads(run["counts"])["references_left_out"] == 1


CONVERTED = ("# 某县扶贫车间调查\n\n<table><tr><td>车间</td><td>就业人数</td></tr><tr><td>服装车间</td>"
             "<td>$1 2 0$</td></tr></table>\n\n![](images/a.jpg)\n车间吸纳就业 $4 2 \\%$ ，带动增收。\n")


def test_import_reads_markup_as_a_reader_sees_it(empty_project, tmp_path, cli):
    write(tmp_path / "c" / "survey.md", CONVERTED)
    write(tmp_path / "k" / "kept.md", CONVERTED.replace("某县", "另一县"))
    write(tmp_path / "k" / "figure.md", "见![](images/a.jpg)，搬迁户在车间就业。")  # kept as text
    result = cli("-p", empty_project.path, "import", tmp_path / "c")
    assert result.exit_code == 0, result.output
    assert "Read the markup of 1 case(s) as a reader sees it (HTML tags 14, formulas 2, heading marks 1, images 1)" \
        in result.output and "--keep-markup" in result.output
    case = get_case(empty_project, "survey")
    assert case.original_text == CONVERTED
    assert case.text == "某县扶贫车间调查\n车间\t就业人数\n服装车间\t120\n车间吸纳就业42%，带动增收。"
    at = case.text.index("服装车间")
    assert case.original_text[slice(*case.offsets.span_to_original(at, at + 4))] == "服装车间"
    counts = json.loads(empty_project.last_run("import")["counts"])
    assert counts["markup_read"] == 1
    assert json.loads(empty_project.last_run("import")["settings"])["keep_markup"] is False
    # asked to, the import analyses the markup as text
    result = cli("-p", empty_project.path, "import", tmp_path / "k", "--keep-markup")
    assert result.exit_code == 0 and "markup" not in result.output
    assert "<td>" in get_case(empty_project, "kept").text
    assert get_case(empty_project, "figure").text.startswith("见![](images/a.jpg")
    from caseminer.pipeline.corpus import left_out_of_analysis
    assert left_out_of_analysis(empty_project)["markup"] == 1


def test_import_keeps_references_when_asked(empty_project, tmp_path):
    write(tmp_path / "c" / "paper.md", PAPER)
    report = import_cases(empty_project, [tmp_path / "c"], keep_references=True)
    assert report.references == [] and report.references_note() is None
    assert "农村经济" in get_case(empty_project, "paper").text


def test_report_methods_count_the_reference_lists_left_out(empty_project, tmp_path):
    from caseminer.pipeline.corpus import left_out_of_analysis
    from caseminer.report.collect import _methods

    write(tmp_path / "a" / "left.md", PAPER.replace("# 参考文献", "  参考文献"))  # an indented heading too
    write(tmp_path / "a" / "appendix.md", PAPER + "\n# 附录\n访谈提纲：家里的收入来源。\n")
    write(tmp_path / "a" / "story.txt", TEXT)
    import_cases(empty_project, [tmp_path / "a"])
    write(tmp_path / "k" / "kept.md", PAPER.replace("易地搬迁社区", "安置社区"))
    import_cases(empty_project, [tmp_path / "k"], keep_references=True)
    # the three papers' Markdown headings (# ...) are read without their marks
    assert left_out_of_analysis(empty_project) == {"references": 2, "markup": 3, "pdf": 0}
    assert "the reference lists of 2 texts (a heading 参考文献 or References followed by entries) were left out " \
           "of the analysis" in _methods(empty_project)[0]


def _pdf(path, pages):
    """A PDF with real text: one figure per page, each line placed where a page puts it."""
    import matplotlib
    import pylopdf_fonts_zh_cn
    from matplotlib import font_manager
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    font = font_manager.FontProperties(fname=pylopdf_fonts_zh_cn.sans_path())
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        for lines in pages:
            figure = Figure(figsize=(8.27, 11.69))
            for i, line in enumerate(lines[:-1]):
                figure.text(0.08, 0.95 - 0.04 * i, line, fontproperties=font, fontsize=11)
            figure.text(0.45, 0.03, lines[-1], fontproperties=font, fontsize=9)  # the foot of the page
            pdf.savefig(figure)
    return path


def test_import_pdf_reads_across_page_breaks(empty_project, tmp_path):
    wide = "全县坚持把巩固拓展脱贫攻坚成果作为头等大事来抓，各乡镇要建立健全"
    rest = "防止返贫动态监测和帮扶机制，做到早发现、早干预、早帮扶，守住底线。"
    other = "二是发展联农带农产业，每个脱贫村至少有一个扶贫车间或合作社运营。"
    (tmp_path / "c").mkdir()
    _pdf(tmp_path / "c" / "plan.pdf", [["某县巩固脱贫成果实施方案", "一是强化监测帮扶。", wide, "— 1 —"],
                                        ["某县乡村振兴局", rest, other, "— 2 —"],
                                        ["某县乡村振兴局", other, "第 3 页 共 3 页"]])
    report = import_cases(empty_project, [tmp_path / "c"])
    case = get_case(empty_project, "plan")
    assert report.page_furniture == ["plan"] and case.title == "某县巩固脱贫成果实施方案"
    assert report.page_furniture_note().startswith("Read 1 PDF case(s) across their page breaks")
    from caseminer.report.collect import _methods

    assert "; 1 PDF text was read across page breaks, without page numbers and running heads)" in \
        _methods(empty_project)[0]
    assert "— 2 —" in case.original_text and case.original_text.count("某县乡村振兴局") == 2
    assert "建立健全防止返贫动态监测" in case.text  # one sentence across the page break
    assert "乡村振兴局" not in case.text and "—" not in case.text and "页" not in case.text
    start = case.text.index("防止返贫")
    assert case.original_text[slice(*case.offsets.span_to_original(start, start + 4))] == "防止返贫"
    from caseminer.nlp.normalize import left_out_spans

    shown = [case.original_text[a:b] for a, b in left_out_spans(case.original_text, case.offsets)]
    assert shown == ["— 1 —\n\n某县乡村振兴局", "— 2 —\n\n某县乡村振兴局", "第 3 页 共 3 页"]


def test_import_metadata_joins_by_file_name(empty_project, tmp_path):
    write(tmp_path / "c" / "01_a.txt", "发展乡村旅游。")
    write(tmp_path / "c" / "02_b.txt", "推进消费扶贫。")
    write(tmp_path / "meta.csv", "file,province,year\n01_a.txt,广西,2021\n02_b,新疆生产建设兵团,2022\n")
    import_cases(empty_project, [tmp_path / "c"], meta=tmp_path / "meta.csv")
    cases = {c.id: c for c in list_cases(empty_project)}
    assert cases["01_a"].province == "广西" and cases["01_a"].attributes["year"] == "2021"
    assert cases["02_b"].province == "新疆兵团"


def test_import_metadata_kept_in_the_folder_of_the_cases(empty_project, tmp_path):
    # A researcher keeps metadata.csv next to the case files: imported without --meta, it is
    # found (its rows name the folder's files) and read as their metadata, not as cases, and
    # the import says so; given with --meta, the same.
    write(tmp_path / "c" / "01_a.txt", "发展乡村旅游。")
    write(tmp_path / "c" / "02_b.txt", "推进消费扶贫。")
    write(tmp_path / "c" / "metadata.csv", "file,province\n01_a.txt,广西\n02_b.txt,云南\n")
    report = import_cases(empty_project, [tmp_path / "c"])
    assert report.ok and report.files_read == 2 and sorted(report.imported) == ["01_a", "02_b"]
    assert {c.id: c.province for c in list_cases(empty_project)} == {"01_a": "广西", "02_b": "云南"}
    assert report.metadata_found_note() == (f"Read the case attributes from {tmp_path / 'c' / 'metadata.csv'}: its "
                                            "rows name the folder's files. To read another file as the metadata, "
                                            "give it with --meta.")
    assert json.loads(empty_project.last_run("import")["settings"])["meta_found_in_folder"] is True
    write(tmp_path / "c" / "03_c.txt", "建设扶贫车间。")  # a case the metadata does not name (yet)
    report = import_cases(empty_project, [tmp_path / "c"], meta=tmp_path / "c" / ".." / "c" / "metadata.csv")
    assert report.ok and report.imported == ["03_c"] and report.metadata_found is None


def test_import_two_metadata_tables_in_the_folder_are_not_guessed_between(empty_project, tmp_path):
    write(tmp_path / "c" / "01_a.txt", "发展乡村旅游。")
    write(tmp_path / "c" / "02_b.txt", "推进消费扶贫。")
    write(tmp_path / "c" / "metadata.csv", "file,province\n01_a.txt,广西\n02_b.txt,云南\n")
    write(tmp_path / "c" / "metadata_old.csv", "file,province\n01_a.txt,广东\n02_b.txt,云南\n")
    with pytest.raises(ImportFailed) as info:
        import_cases(empty_project, [tmp_path / "c"])
    assert (f"metadata.csv: no column named 'text' (columns found: 'file', 'province'). Its first column names "
            f"files ('01_a.txt' ...): if it holds the cases' metadata, give it with --meta "
            f"{tmp_path / 'c' / 'metadata.csv'} (a folder's metadata file given so is not read as cases). Name the "
            "text column with --text-field, or rename the column in the file.") in str(info.value)


def test_import_metadata_of_the_folder_naming_a_missing_file_is_the_metadatas_problem(empty_project, tmp_path):
    write(tmp_path / "c" / "01_a.txt", "发展乡村旅游。")
    write(tmp_path / "c" / "metadata.csv", "file,province\n01_a.txt,广西\n02_b.txt,云南\n")
    before = len(list_cases(empty_project))
    with pytest.raises(ImportFailed) as info:
        import_cases(empty_project, [tmp_path / "c"])
    assert info.value.code == "E222" and str(info.value).startswith(
        f"The metadata file {tmp_path / 'c' / 'metadata.csv'} does not fit the cases; nothing was written.")
    assert "1 metadata row(s) name no imported case: '02_b.txt' (line 3)" in str(info.value)
    assert len(list_cases(empty_project)) == before
    report = import_cases(empty_project, [tmp_path / "c"], skip_bad=True)
    assert report.imported == ["01_a"] and list_cases(empty_project)[0].province == "广西"


def test_import_takes_the_province_of_a_case_from_its_folder(empty_project, tmp_path):
    # Case files kept in a folder per province: the nearest folder named after a province
    # gives the province (as written, then normalised); metadata overrides it.
    write(tmp_path / "c" / "江西" / "赣州" / "a.txt", "发展乡村旅游。")
    write(tmp_path / "c" / "广西壮族自治区" / "b.txt", "推进消费扶贫。")
    write(tmp_path / "c" / "河南" / "c.txt", "建设扶贫车间。")
    write(tmp_path / "c" / "2021" / "d.txt", "实施易地搬迁。")
    write(tmp_path / "meta.csv", "file,province\nc.txt,湖北\n")
    report = import_cases(empty_project, [tmp_path / "c"], meta=tmp_path / "meta.csv")
    assert {c.id: c.province for c in list_cases(empty_project)} == {"a": "江西", "b": "广西", "c": "湖北", "d": None}
    assert report.province_folders_note() == ("Took the province of 2 case(s) from the name of their folder "
                                              "(广西壮族自治区/ 1, 江西/ 1); a metadata file given with --meta "
                                              "overrides it.")
    # a folder given by its own name (cases of one province) counts; a file given alone does not
    write(tmp_path / "云南" / "e.txt", "发展特色产业。")
    write(tmp_path / "贵州" / "f.txt", "推进东西部协作。")
    import_cases(empty_project, [tmp_path / "云南", tmp_path / "贵州" / "f.txt"])
    provinces = {c.id: c.province for c in list_cases(empty_project)}
    assert provinces["e"] == "云南" and provinces["f"] is None


def test_import_takes_the_province_a_title_or_file_name_opens_with(empty_project, tmp_path):
    # Titles as news items and case reports write them; a province from the metadata, a table's
    # column or a folder comes first, and a title naming two provinces gives none.
    rows = [{"id": "n1", "title": "【走基层】贵州威宁：产业化扶贫促农增收", "text": "第一个案例发展乡村旅游。"},
            {"id": "n2", "title": "广东清远对口帮扶广西百色", "text": "第二个案例推进东西部协作。"},
            {"id": "n3", "title": "甘肃临夏：发展牛羊产业", "text": "第三个案例发展特色产业。", "省份": "青海"},
            {"id": "n4", "title": "云南：农业生产恢复", "text": "第四个案例建设扶贫车间。", "province": ""},
            {"id": "n5", "title": "海南藏族自治州推进生态移民", "text": "第五个案例实施生态移民。"}]
    write(tmp_path / "news.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    write(tmp_path / "c" / "01 西藏自治区那曲市案例.txt", "实施易地搬迁。")  # no title line: the file name
    write(tmp_path / "c" / "江西" / "湖南十八洞村.txt", "湖南十八洞村\n探索精准扶贫。")  # the folder comes first
    report = import_cases(empty_project, [tmp_path / "news.jsonl", tmp_path / "c"])
    assert {c.id: c.province for c in list_cases(empty_project)} == {
        "n1": "贵州", "n2": None, "n3": "青海", "n4": "云南", "n5": None, "01 西藏自治区那曲市案例": "西藏",
        "湖南十八洞村": "江西"}
    assert report.province_titles_note() == (
        "Took the province of 3 case(s) from the start of their title or file name (云南 1, 西藏 1, 贵州 1: "
        "贵州威宁：... gives 贵州, a title naming two provinces none); a metadata file given with --meta "
        "overrides it, --no-province-from-title leaves it out.")
    run = empty_project.conn.execute("SELECT counts, settings FROM runs WHERE stage = 'import' AND status = 'done'")
    counts, settings = map(json.loads, run.fetchone())
    assert counts["province_from_title"] == 3 and "province_from_title" not in settings


def test_import_without_provinces_from_titles(empty_project, tmp_path):
    write(tmp_path / "news.jsonl", json.dumps({"id": "n1", "title": "贵州威宁：产业化扶贫", "text": "发展乡村旅游。"},
                                              ensure_ascii=False))
    report = import_cases(empty_project, [tmp_path / "news.jsonl"], province_from_title=False)
    assert list_cases(empty_project)[0].province is None and report.province_titles_note() is None
    settings = empty_project.conn.execute("SELECT settings FROM runs WHERE stage = 'import' AND status = 'done'")
    assert json.loads(settings.fetchone()[0])["province_from_title"] is False


def test_import_files_named_alike_in_a_folder_each_get_ids_from_their_folders(empty_project, tmp_path):
    write(tmp_path / "c" / "江西" / "案例1.txt", "发展乡村旅游。")
    write(tmp_path / "c" / "河南" / "案例1.txt", "推进消费扶贫。")
    write(tmp_path / "c" / "河南" / "县" / "案例2.txt", "建设扶贫车间。")
    write(tmp_path / "c" / "总述.txt", "实施易地搬迁。")
    with pytest.raises(ImportFailed) as info:
        import_cases(empty_project, [tmp_path / "c"])
    assert ("Files named alike in folders of their own get ids from their folders with --ids-from-folders "
            "(江西/案例1.txt -> 江西-案例1).") in str(info.value)
    report = import_cases(empty_project, [tmp_path / "c"], ids_from_folders=True)
    assert sorted(report.imported) == ["总述", "江西-案例1", "河南-县-案例2", "河南-案例1"]
    assert {c.id: c.province for c in list_cases(empty_project)}["河南-县-案例2"] == "河南"
    settings = empty_project.conn.execute("SELECT settings FROM runs WHERE stage = 'import' AND status = 'done'")
    assert json.loads(settings.fetchone()[0])["ids_from_folders"] is True



def test_import_metadata_names_files_of_alike_names_by_their_path(empty_project, tmp_path):
    write(tmp_path / "c" / "甲" / "案例1.txt", "发展乡村旅游。")
    write(tmp_path / "c" / "乙" / "案例1.txt", "推进消费扶贫。")
    # a file name two folders hold joins neither, and says why
    write(tmp_path / "bad.csv", "file,year\n案例1.txt,2021\n")
    with pytest.raises(ImportFailed) as info:
        import_cases(empty_project, [tmp_path / "c"], meta=tmp_path / "bad.csv", ids_from_folders=True)
    assert "1 metadata row(s) name a file that several folders hold: '案例1.txt' (line 2: " in str(info.value)
    assert "Name the case by its id or by its path under the folder imported (江西/案例1.txt)." in str(info.value)
    # its path under the folder, or its id, does
    write(tmp_path / "meta.csv", "file,year\n甲/案例1.txt,2021\n乙-案例1,2022\n")
    import_cases(empty_project, [tmp_path / "c"], meta=tmp_path / "meta.csv", ids_from_folders=True)
    assert {c.id: c.attributes["year"] for c in list_cases(empty_project)} == {"甲-案例1": "2021", "乙-案例1": "2022"}


def test_import_paths_may_be_any_iterable(empty_project, tmp_path):
    write(tmp_path / "c" / "a.txt", "发展乡村旅游。")
    report = import_cases(empty_project, (p for p in [tmp_path / "c"]))
    assert report.imported == ["a"]


def _compilation(path):
    import docx

    d = docx.Document()
    d.add_heading("典型案例汇编", 0)
    for line in ("前言", "本汇编收录各地巩固脱贫成果的做法。", "目录", "案例一 宁川县 …… 3", "案例二 临湍县 …… 7"):
        d.add_paragraph(line)
    d.add_heading("案例一：宁川县构建防贫监测体系", 1)
    d.add_paragraph("宁川县建立县乡村三级防贫监测网络，对脱贫不稳定户实行动态管理，识别监测对象１２３户。")
    d.add_heading("案例二：临湍县引入防贫保险", 1)
    d.add_paragraph("临湍县由财政出资购买防贫保险，对因病、因灾致贫返贫风险进行兜底，户均赔付八千元。")
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)


def test_import_cuts_a_compilation_into_its_cases(empty_project, tmp_path):
    _compilation(tmp_path / "c" / "汇编.docx")
    write(tmp_path / "c" / "单篇.txt", "某县发展乡村旅游，带动农户增收。")
    with pytest.raises(ImportFailed) as info:  # a document without headings is named, nothing written
        import_cases(empty_project, [tmp_path / "c"], split_at="cases")
    assert ("单篇.txt: no line starts with a case heading (lines that open with 案例一, 案例 2, 【案例3】 ...), so the "
            "document was not cut into cases.") in str(info.value)
    assert empty_project.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0
    report = import_cases(empty_project, [tmp_path / "c" / "汇编.docx"], split_at="cases")
    assert report.imported == ["汇编-01", "汇编-02"]
    cases = {c.id: c for c in list_cases(empty_project)}
    assert cases["汇编-02"].title == "案例二：临湍县引入防贫保险"
    case = get_case(empty_project, "汇编-01")
    assert case.original_text.startswith("案例一：宁川县构建防贫监测体系\n宁川县建立") and "目录" not in case.original_text
    assert "123户" in case.text  # normalised as any case
    assert report.compilations_note().startswith("Cut 1 document(s) into 2 cases at their case headings (")
    counts = empty_project.conn.execute("SELECT counts FROM runs WHERE stage = 'import' AND status = 'done'")
    assert list(json.loads(counts.fetchone()[0])["cut_into_cases"].values()) == [2]


def test_a_pdf_compilations_page_furniture_goes_with_its_cases():
    from caseminer.nlp.compilation import heading_pattern
    from caseminer.pipeline.corpus import ImportReport, _split_compilations
    from caseminer.pipeline.readers import RawCase

    body = "某县建立防贫监测网络，对脱贫不稳定户实行动态管理，全县识别监测对象。"
    # a page's foot and the next page's running head (a case heading too) are furniture
    text = f"案例一\n{body}\n— 2 —\n案例一 宁川县\n{body}\n案例二\n{body}\n— 3 —\n"
    pages = [(m.start(), m.end()) for m in re.finditer(r"— \d —\n(?:案例一 宁川县)?", text)]
    raw = RawCase(id="书", text=text, source_path="书.pdf", source_kind="pdf", furniture=pages)
    first, second = _split_compilations([raw], heading_pattern("cases"), "cases", ImportReport())
    assert [first.text[a:b] for a, b in first.furniture] == ["— 2 —\n案例一 宁川县"]
    assert [second.text[a:b] for a, b in second.furniture] == ["— 3 —\n"]
    assert (first.id, second.id, second.source_line) == ("书-01", "书-02", 6)


def test_import_split_at_a_bad_pattern_is_a_clear_error(empty_project, tmp_path):
    from caseminer.errors import InvalidInput

    write(tmp_path / "a.txt", "案例一\n某县发展乡村旅游，带动农户增收，成效明显，群众满意度高。")
    with pytest.raises(InvalidInput, match=r"--split-at '第\[一二' is no regular expression \("):
        import_cases(empty_project, [tmp_path / "a.txt"], split_at="第[一二")


def test_import_metadata_given_later_joins_the_cases_already_present(empty_project, tmp_path):
    # Cases imported without metadata take it from a second import with --meta; an empty
    # cell leaves a value as it was, and a third import changes nothing.
    write(tmp_path / "c" / "01_a.txt", "发展乡村旅游。")
    write(tmp_path / "c" / "02_b.txt", "推进消费扶贫。")
    import_cases(empty_project, [tmp_path / "c"])
    assert {c.id: (c.province, c.attributes) for c in list_cases(empty_project)} == \
        {"01_a": (None, {}), "02_b": (None, {})}
    write(tmp_path / "meta.csv", "file,province,year\n01_a.txt,广西,2021\n02_b,新疆生产建设兵团,\n")
    report = import_cases(empty_project, [tmp_path / "c"], meta=tmp_path / "meta.csv")
    assert report.imported == [] and report.already_present == ["01_a", "02_b"]
    assert report.attributes_updated == [("01_a", ["province", "year"]), ("02_b", ["province"])]
    assert "took new attribute values from this import (province, year)" in report.attributes_note()
    cases = {c.id: c for c in list_cases(empty_project)}
    assert cases["01_a"].province == "广西" and cases["01_a"].attributes["year"] == "2021"
    assert cases["02_b"].province == "新疆兵团" and "year" not in cases["02_b"].attributes
    write(tmp_path / "meta.csv", "file,province,year\n01_a.txt,,\n02_b,新疆生产建设兵团,\n")
    again = import_cases(empty_project, [tmp_path / "c"], meta=tmp_path / "meta.csv")
    assert again.attributes_updated == [] and again.attributes_note() is None
    assert get_case(empty_project, "01_a").province == "广西"  # an empty cell erases nothing


def test_import_is_idempotent_and_reports_duplicates(empty_project, tmp_path):
    write(tmp_path / "c" / "a.txt", "发展乡村旅游。")
    write(tmp_path / "c" / "b.txt", "发展乡村旅游。")
    first = import_cases(empty_project, [tmp_path / "c"])
    assert first.imported == ["a"] and first.duplicates == [("b", "a")]
    before = db_snapshot(empty_project)
    second = import_cases(empty_project, [tmp_path / "c"])
    assert second.imported == [] and second.already_present == ["a"]
    assert len(list_cases(empty_project)) == 1
    # Only a new run row was added: the cases are untouched.
    after = db_snapshot(empty_project)
    assert [line for line in after if "INSERT INTO \"cases\"" in line] == \
           [line for line in before if "INSERT INTO \"cases\"" in line]


def test_import_skip_bad_imports_the_good_and_lists_the_bad(empty_project, tmp_path):
    write(tmp_path / "c" / "good.txt", "发展乡村旅游。")
    (tmp_path / "c" / "empty.txt").write_bytes(b"")
    report = import_cases(empty_project, [tmp_path / "c"], skip_bad=True)
    assert report.imported == ["good"]
    assert len(report.problems) == 1 and "empty.txt is empty" in report.problems[0][1]


def test_import_refuses_same_id_with_other_text(empty_project, tmp_path):
    write(tmp_path / "a.txt", "发展乡村旅游。")
    import_cases(empty_project, [tmp_path / "a.txt"])
    write(tmp_path / "a.txt", "发展电子商务。")
    with pytest.raises(ImportFailed, match="already has a case 'a' with a different text"):
        import_cases(empty_project, [tmp_path / "a.txt"])


def test_import_table_bad_rows_listed_and_skippable(empty_project, tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"id": "a", "text": "发展产业。"}\n{"id": "b", "text": ""}\n{"id": "a", "text": "又一个。"}\n'
                    '{"id": "c", "text": "乡村旅游。"}\n', encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        import_cases(empty_project, [path])
    assert "line 2: the case has no text in field 'text'" in str(info.value)
    assert "line 3: the id 'a' is used twice in this import" in str(info.value)
    assert list_cases(empty_project) == []
    report = import_cases(empty_project, [path], skip_bad=True)
    assert report.imported == ["a", "c"] and len(report.problems) == 2


def test_import_warns_of_a_case_in_traditional_characters(empty_project, tmp_path, cli):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "trad.txt").write_text("我們縣發展鄉村產業，農村貧困人口顯著減少，經濟穩定增長。", encoding="utf-8")
    (folder / "simp.txt").write_text("我们县发展乡村旅游，带动群众增收。", encoding="utf-8")
    report = import_cases(empty_project, [folder])
    assert [case_id for case_id, _share in report.traditional] == ["trad"]
    assert "caseminer cases delete ID" in report.traditional_warning()
    assert json.loads(empty_project.last_run("import")["counts"])["traditional"] == 1
    # the advice works: deleted and imported again with --simplify, it is analysed simplified
    result = cli("-p", empty_project.path, "cases", "delete", "trad", "--yes")
    assert result.exit_code == 0, result.output
    result = cli("-p", empty_project.path, "import", folder, "--simplify")
    assert result.exit_code == 0 and "traditional characters" not in result.output
    case = get_case(empty_project, "trad")
    assert case.text.startswith("我们县发展乡村产业") and case.original_text.startswith("我們縣")
    # a second project imported without --simplify says so on the command line
    cli("init", tmp_path / "other")
    result = cli("-p", tmp_path / "other", "import", folder)
    assert "Warning: 1 case(s) are written in traditional characters (share of their Han characters: trad" \
        in result.output


def test_import_table_takes_case_ids_from_a_chinese_id_column(empty_project, tmp_path):
    # A sheet as researchers head it (案例编号, 标题, 省份, 正文): the ids are the sheet's own
    # case numbers without --id-field, not FILE-LINE names, and the column is no attribute.
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["案例编号", "标题", "省份", "正文"])
    workbook.active.append(["GZ-01", "搬迁", "贵州", "推进易地扶贫搬迁。"])
    workbook.active.append(["YN-02", "产业", "云南", "发展特色产业。"])
    workbook.save(tmp_path / "cases.xlsx")
    report = import_cases(empty_project, [tmp_path / "cases.xlsx"], text_field="正文")
    assert sorted(report.imported) == ["GZ-01", "YN-02"]
    case = get_case(empty_project, "GZ-01")
    assert case.title == "搬迁" and case.province == "贵州" and "案例编号" not in case.attributes
    # a column named "id" wins over 编号, which then stays an attribute
    write(tmp_path / "both.csv", "编号,id,text\n7,c7,发展乡村旅游。\n")
    import_cases(empty_project, [tmp_path / "both.csv"])
    assert get_case(empty_project, "c7").attributes["编号"] == "7"
    # numbered per county (1, 2, 1): no id column; the rows are named by their lines, as before
    write(tmp_path / "counties.csv", "县,编号,text\n甲县,1,推进消费扶贫。\n甲县,2,建设扶贫车间。\n乙县,1,发展庭院经济。\n")
    report = import_cases(empty_project, [tmp_path / "counties.csv"])
    assert sorted(report.imported) == ["counties-2", "counties-3", "counties-4"]
    assert get_case(empty_project, "counties-4").attributes == {"县": "乙县", "编号": "1"}


def test_import_table_refuses_an_id_column_it_lacks(empty_project, tmp_path):
    # --id-field names a column on purpose: a table without it is an error naming the columns,
    # never ids read from another column, and nothing is written
    write(tmp_path / "cases.csv", "编号,text\n1,发展乡村旅游。\n")
    before = db_snapshot(empty_project)
    with pytest.raises(ImportFailed, match=r"cases.csv: no column named '案例号' for the case ids "
                                           r"\(columns found: '编号', 'text'\)"):
        import_cases(empty_project, [tmp_path / "cases.csv"], id_field="案例号")
    assert db_snapshot(empty_project) == before


def test_import_metadata_keyed_by_a_chinese_id_column(empty_project, tmp_path):
    # a metadata sheet that numbers its rows first (序号) and keys them by 案例编号
    write(tmp_path / "c" / "GZ-01.txt", "发展乡村旅游。")
    write(tmp_path / "meta.csv", "序号,案例编号,省份\n1,GZ-01,贵州\n")
    import_cases(empty_project, [tmp_path / "c"], meta=tmp_path / "meta.csv")
    case = get_case(empty_project, "GZ-01")
    assert case.province == "贵州" and case.attributes["序号"] == "1"


def test_import_table_reads_texts_from_a_column_named_as_researchers_name_it(empty_project, tmp_path, cli):
    # No column is named "text": a sheet's 正文 or a crawl's full_text holds the texts, and the
    # import says which column it read; a 内容 column of short labels is no text column.
    text_a = "县里把扶贫车间建在村口，留守妇女在家门口就业，每月收入两千元左右。"
    text_b = "合作社带动农户种植茶叶，统一收购加工，贫困户按股分红，稳定增收。"
    write(tmp_path / "sheet.csv", f"案例编号,标题,正文\nGZ-01,扶贫车间,{text_a}\n")
    write(tmp_path / "crawl.csv", f"id,内容,full_text\nweb-1,产业扶贫,{text_b}\n")
    report = import_cases(empty_project, [tmp_path / "sheet.csv", tmp_path / "crawl.csv"])
    assert sorted(report.imported) == ["GZ-01", "web-1"]
    assert get_case(empty_project, "GZ-01").text == text_a
    crawled = get_case(empty_project, "web-1")
    assert crawled.text == text_b and crawled.attributes == {"内容": "产业扶贫"}
    assert report.text_columns == {"full_text": 1, "正文": 1}
    assert "Read the case texts from column 'full_text' (1 file(s)), '正文' (1 file(s)): no column is named 'text'" \
        in report.text_columns_note()
    assert json.loads(empty_project.last_run("import")["counts"])["text_columns"] == {"full_text": 1, "正文": 1}
    # the command line says it too
    write(tmp_path / "more.csv", "id,全文\nweb-2,村里成立劳务公司，组织脱贫劳动力外出务工，人均年收入增加一万元。\n")
    result = cli("-p", empty_project.path, "import", tmp_path / "more.csv")
    assert result.exit_code == 0 and "Read the case texts from column '全文' (1 file(s))" in result.output


def test_import_table_without_a_text_column_is_refused(empty_project, tmp_path):
    # only short labels (内容): E205 names the columns, nothing written; a --text-field named on
    # purpose is never replaced by another column
    write(tmp_path / "labels.csv", "id,内容\nc1,产业扶贫\n")
    write(tmp_path / "texts.csv", "id,全文\nc2,合作社带动农户种植茶叶，统一收购加工，贫困户按股分红，稳定增收。\n")
    before = db_snapshot(empty_project)
    with pytest.raises(ImportFailed, match=r"labels.csv: no column named 'text' \(columns found: 'id', '内容'\)"):
        import_cases(empty_project, [tmp_path / "labels.csv"])
    with pytest.raises(ImportFailed, match=r"texts.csv: no column named '正文' \(columns found: 'id', '全文'\)\. "
                                           r"Name the text column with --text-field \(the texts look like column "
                                           r"'全文': --text-field 全文\)"):
        import_cases(empty_project, [tmp_path / "texts.csv"], text_field="正文")
    assert db_snapshot(empty_project) == before


def test_import_table_of_one_row_is_named_by_its_file(empty_project, tmp_path):
    # A crawl's folder of one report per file, without id columns: each case is named by its
    # file, as a document is (not 2026_贵州-2), so a metadata sheet keyed by file name joins
    write(tmp_path / "crawl" / "2026_贵州.csv", "title,full_text\n贵州报告,大力发展山地特色高效农业，巩固拓展脱贫攻坚成果，守住不发生规模性返贫底线。\n")
    write(tmp_path / "crawl" / "2026_云南.csv", "title,full_text\n云南报告,打造世界一流绿色食品牌，推进高原特色现代农业，促进脱贫人口持续增收。\n")
    write(tmp_path / "meta.csv", "文件名,省份\n2026_贵州.csv,贵州\n2026_云南.csv,云南\n")
    report = import_cases(empty_project, [tmp_path / "crawl"], meta=tmp_path / "meta.csv")
    assert sorted(report.imported) == ["2026_云南", "2026_贵州"]
    assert get_case(empty_project, "2026_贵州").province == "贵州"
    # two rows: each named by its line, as before
    write(tmp_path / "two.csv", "text\n村里建起光伏电站，收益用于公益岗位。\n县里建设冷链物流中心，农产品卖得更远。\n")
    assert sorted(import_cases(empty_project, [tmp_path / "two.csv"]).imported) == ["two-2", "two-3"]


WORD97 = Path(__file__).parent / "data" / "word97" / "workshops.doc"  # written by us, saved as Word 97-2003


def test_import_reads_a_word_97_document(empty_project, tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "workshops.doc").write_bytes(WORD97.read_bytes())
    (folder / "wps.wps").write_bytes(b"not Word's format")  # WPS writes .wps as Word 97-2003; this one is not
    report = import_cases(empty_project, [folder], skip_bad=True)
    assert report.imported == ["workshops"]
    assert [message.split(": ", 1)[1] for _path, message in report.problems] == [
        "cannot read the file as a WPS document (.wps, read as Word 97-2003; open it in WPS and save it as .docx "
        "if it will not read): it is not a Word 97-2003 file (no OLE compound file header; a file renamed to .doc, "
        "or cut short). Open it in its program and save it again, or export the text as .txt."]
    case = get_case(empty_project, "workshops")
    assert case.source_path.endswith("workshops.doc") and case.title == "某县扶贫车间调查"
    kind = empty_project.conn.execute("SELECT source_kind FROM cases WHERE id=?", ("workshops",)).fetchone()[0]
    assert kind == "doc"
    assert case.original_text == (
        "某县扶贫车间调查\n二〇二〇年，某县建成扶贫车间１２个，吸纳搬迁群众就业。防贫预警机制覆盖全县。\n"
        "详见县政府网站：扶贫专栏\n车间\t就业人数\n服装车间\t120\n电商车间\t45\n"
        "Poverty alleviation workshops (PAW) in English.\n换行后的同一段落。\n“志智双扶”让群众增收。\n")
    assert "HYPERLINK" not in case.original_text  # a field's code is dropped, its result kept
    assert "扶贫车间12个" in case.text  # normalised as any text


@pytest.mark.parametrize("damage", [lambda b: b[:3000], lambda b: b"PK\x03\x04" + b[4:], lambda b: b"x"])
def test_import_a_damaged_word_97_document_is_a_clear_error(empty_project, tmp_path, damage):
    bad = tmp_path / "bad.doc"
    bad.write_bytes(damage(WORD97.read_bytes()))
    with pytest.raises(ImportFailed) as info:
        import_cases(empty_project, [bad])
    assert "cannot read the file as a Word 97-2003 document (.doc)" in str(info.value)
    assert empty_project.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0


def test_import_names_documents_of_a_folder_that_must_be_converted(empty_project, tmp_path):
    folder = tmp_path / "c"
    write(folder / "story.txt", TEXT)
    (folder / "old.rtf").write_bytes(b"{\\rtf1 ...}")
    (folder / "paper.caj").write_bytes(b"CAJ")
    (folder / "more.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")  # no case text: passed over
    with pytest.raises(ImportFailed) as info:
        import_cases(empty_project, [folder])
    message = str(info.value)
    assert "old.rtf: the file type '.rtf' is not supported. Open it in Word or WPS and save it as .docx" in message
    assert "paper.caj: the file type '.caj' is not supported. It is CNKI's format" in message
    assert "more.zip: the file type '.zip' is not supported. Unpack it (解压) and import the folder." in message
    assert "photo.jpg" not in message
    report = import_cases(empty_project, [folder], skip_bad=True)
    assert report.imported == ["story"] and len(report.problems) == 3


def test_import_says_which_files_of_a_folder_it_passed_over(empty_project, tmp_path):
    folder = tmp_path / "c"
    write(folder / "story.txt", TEXT)
    for name in ("scan-1.JPG", "scan-2.jpg", "sub/scan-3.png", "interview.mp3"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"\xff\xd8\xff")
    (folder / ".DS_Store").write_bytes(b"\0")  # hidden: neither read nor named
    report = import_cases(empty_project, [folder])
    assert report.imported == ["story"] and report.ok
    assert sorted(Path(p).name for p in report.passed_over) == ["interview.mp3", "scan-1.JPG", "scan-2.jpg",
                                                                "scan-3.png"]
    note = report.passed_over_note()
    assert note.startswith("Passed over 4 file(s) in the folder(s) that are no documents caseminer reads "
                           "(2 .jpg, 1 .mp3, 1 .png)")
    assert "run it through OCR" in note
    run = empty_project.conn.execute("SELECT counts FROM runs WHERE stage = 'import'").fetchone()[0]
    assert sorted(json.loads(run)["passed_over"]) == sorted(report.passed_over)
    import_cases(empty_project, [folder])  # again: the same files, counted once
    from caseminer.report.collect import _methods
    assert _methods(empty_project)[1] == ("The folders imported also held 4 files that are no text document (images "
                                          "such as scanned pages, media); caseminer passed them over and read none "
                                          "of their content.")
    # a file given by name is read whatever it is, and a folder of documents only says nothing
    assert import_cases(empty_project, [folder / "story.txt"]).passed_over_note() is None


def test_a_folder_with_no_case_file_is_an_error_that_says_what_it_holds(empty_project, tmp_path):
    # a wrong folder given imported nothing and succeeded (and 'caseminer run' then said
    # "segment needs cases first. Run 'caseminer import PATH'" after importing it)
    media = tmp_path / "media"
    media.mkdir()
    (media / "talk.mp4").write_bytes(b"\0")
    (media / "talk2.MP4").write_bytes(b"\0")
    with pytest.raises(InvalidInput) as e:
        import_cases(empty_project, [media])
    assert e.value.code == "E224"
    assert f"the folder {media} holds no file caseminer reads as a case (it holds 2 .mp4)" in str(e.value)
    assert "OCR" not in str(e.value)
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "p1.jpg").write_bytes(b"\xff\xd8\xff")
    (scans / "README.md").write_text("扫描件的说明", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"\(it holds 1 \.jpg; README\.md, which document the folder[^)]*\)\. "
                                           r"An image of a scanned page.*import that\. Give the folder"):
        import_cases(empty_project, [scans])
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / ".DS_Store").write_bytes(b"\0")
    with pytest.raises(InvalidInput, match="it is empty, or holds hidden files only"):
        import_cases(empty_project, [empty])
    # nothing was written: the folder is checked before the run is stored
    assert empty_project.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0
    assert empty_project.conn.execute("SELECT COUNT(*) FROM runs WHERE status = 'done'").fetchone()[0] == 0


def test_files_that_document_a_folder_are_not_read_as_cases(empty_project, tmp_path, cli):
    # a dataset's folder documents itself (README.md, SOURCE.md, LICENSE.txt, 说明.txt):
    # imported, SOURCE.md was a 32nd case of the 31 provincial reports, its top keywords
    # "of", "BOM", "UTF"
    folder = tmp_path / "reports"
    write(folder / "story.txt", TEXT)
    for name in ("README.md", "SOURCE.md", "LICENSE.txt", "说明.txt", "README_zh.md", "sub/readme.txt"):
        write(folder / name, "本文件夹收录案例文本，来源见下。")
    write(folder / "案例情况说明.txt", TEXT + "此外，该村成立了合作社。")  # a case whose title ends in 说明
    write(folder / "source_code.md", TEXT + "该县建立了防贫监测机制。")  # only the exact stem is a document
    report = import_cases(empty_project, [folder])
    assert sorted(report.imported) == ["source_code", "story", "案例情况说明"]
    assert sorted(Path(p).name for p in report.folder_docs) == ["LICENSE.txt", "README.md", "README_zh.md",
                                                                 "SOURCE.md", "readme.txt", "说明.txt"]
    note = report.folder_docs_note()
    assert note.startswith("Left out 6 file(s) that document the folder rather than hold a case (")
    assert note.endswith("To import one as a case, give its path: 'caseminer import FILE'.")
    run = empty_project.conn.execute("SELECT counts FROM runs WHERE stage = 'import'").fetchone()[0]
    assert len(json.loads(run)["folder_docs"]) == 6
    from caseminer.report.collect import _methods
    assert ("6 files documenting the folders imported (LICENSE.txt, README.md, README_zh.md, SOURCE.md) were not "
            "read as cases.") in _methods(empty_project)
    # given by its own path, such a file is a case
    assert import_cases(empty_project, [folder / "SOURCE.md"]).imported == ["SOURCE"]
    cli("init", tmp_path / "p")
    result = cli("-p", tmp_path / "p", "import", folder)
    assert result.exit_code == 0 and "Imported 3 case(s) from 3 file(s)." in result.output
    assert "Left out 6 file(s) that document the folder" in result.output


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_import_a_table_of_cases_saved_as_xls_or_ods(empty_project, tmp_path, suffix):
    # WPS and older Excel save .xls, LibreOffice .ods (tests/data/sheets: LibreOffice's saves);
    # both were refused ("save it as .xlsx"). Whole numbers read as such (2021, not 2021.0),
    # a date without a time as the day, a cell's line break kept.
    from conftest import REPO

    report = import_cases(empty_project, [REPO / "tests" / "data" / "sheets" / f"cases.{suffix}"], text_field="正文")
    assert sorted(report.imported) == ["01", "02", "03", "04"]
    cases = {c.id: c for c in list_cases(empty_project)}
    assert cases["01"].province == "江西" and cases["01"].attributes["年份"] == "2021"
    assert cases["01"].attributes["日期"] == "2021-05-01" and cases["02"].attributes["日期"] == "2020-11-30 09:30:00"
    assert cases["02"].attributes["得分"] == "12" and cases["03"].attributes["得分"] == "-0.5"
    assert get_case(empty_project, "02").original_text == "第一行写消费扶贫。\n第二行写电商平台。"
    assert f"cases.{suffix}" in cases["01"].source_path


def test_import_metadata_saved_as_ods(empty_project, tmp_path):
    from conftest import write_ods

    write(tmp_path / "c" / "01_a.txt", "发展乡村旅游。")
    write(tmp_path / "c" / "02_b.txt", "推进消费扶贫。")
    write_ods(tmp_path / "c" / "meta.ods", [("元数据", [["文件名", "省份", "年份"], ["01_a.txt", "广西", 2021],
                                                     ["02_b", "贵州", 2022]])])
    import_cases(empty_project, [tmp_path / "c"], meta=tmp_path / "c" / "meta.ods")
    cases = {c.id: c for c in list_cases(empty_project)}
    assert set(cases) == {"01_a", "02_b"}
    assert cases["01_a"].province == "广西" and cases["02_b"].attributes["年份"] == "2022"


def test_import_leaves_out_the_lock_files_of_open_documents(empty_project, tmp_path):
    # Word and Excel keep ~$NAME beside a document that is open (the user's name in a few
    # bytes, no document): a folder copied while 案例1.docx was open held one, and the import
    # failed on it.
    folder = tmp_path / "cases"
    write(folder / "案例1.txt", "发展乡村旅游，带动农户增收。")
    (folder / "~$案例2.docx").write_bytes(b"\x06zhang san" + b"\x00" * 40)
    (folder / "~$metadata.xlsx").write_bytes(b"\x06zhang san" + b"\x00" * 40)
    report = import_cases(empty_project, [folder])
    assert report.imported == ["案例1"] and report.passed_over == []


def test_import_metadata_with_ids_excel_made_numbers(empty_project, tmp_path):
    import openpyxl

    write(tmp_path / "c" / "01.txt", "发展乡村旅游。")
    write(tmp_path / "c" / "02.txt", "推进消费扶贫。")
    workbook = openpyxl.Workbook()
    workbook.active.append(["编号", "省份"])
    workbook.active.append([1, "广西"])  # typed 01, kept by Excel as the number 1
    workbook.active.append(["02", "贵州"])
    workbook.save(tmp_path / "meta.xlsx")
    with pytest.raises(ImportFailed, match=r"1 metadata row\(s\) name no imported case: '1' \(line 2; a spreadsheet "
                                           r"turns 01 into 1: format the column as text"):
        import_cases(empty_project, [tmp_path / "c"], meta=tmp_path / "meta.xlsx")


def test_a_metadata_file_s_title_column_names_the_cases(empty_project, tmp_path):
    # researchers keep each case's name in their sheet (案例名称); it was stored as an attribute
    # called 案例名称 while tables and the report showed the file's first line
    folder = tmp_path / "c"
    write(folder / "a.txt", "宁川县“三色预警”防贫\n该县建立防贫监测机制，对边缘户开展动态监测。\n")
    write(folder / "b.txt", "该村发展光伏扶贫，村集体经济稳定增收。\n")
    meta = tmp_path / "meta.csv"
    write(meta, "file,案例名称,province\na.txt,宁川县三色预警防贫监测,江西\nb.txt,,甘肃\n")
    import_cases(empty_project, [folder], meta=meta)
    cases = {c.id: c for c in list_cases(empty_project)}
    assert cases["a"].title == "宁川县三色预警防贫监测" and "案例名称" not in cases["a"].attributes
    assert cases["b"].title == "" and cases["b"].province == "甘肃"  # an empty cell leaves the title as read
    # imported again without the metadata, the researcher's title stays
    import_cases(empty_project, [folder])
    assert get_case(empty_project, "a").title == "宁川县三色预警防贫监测"
    # and a corrected sheet corrects it, said as an attribute it changed
    write(meta, "file,案例名称\na.txt,宁川县三色预警\nb.txt,光伏扶贫村\n")
    report = import_cases(empty_project, [folder], meta=meta)
    assert get_case(empty_project, "a").title == "宁川县三色预警" and get_case(empty_project, "b").title == "光伏扶贫村"
    assert report.attributes_note().startswith("2 of them took new attribute values from this import (title)")


def test_a_title_column_that_is_the_metadata_s_key_names_no_case(empty_project, tmp_path):
    # a sheet keyed by its first column, headed 名称 and holding the files' names: the key
    folder = tmp_path / "c"
    write(folder / "甲.txt", "宁川县“三色预警”防贫\n该县建立防贫监测机制，对边缘户开展动态监测。\n")
    meta = tmp_path / "meta.csv"
    write(meta, "名称,year\n甲,2021\n")
    import_cases(empty_project, [folder], meta=meta)
    case = get_case(empty_project, "甲")
    assert case.title == "宁川县“三色预警”防贫" and case.attributes == {"year": "2021"}
