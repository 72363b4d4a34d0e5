"""A codebook from a grounded-theory coding table kept in Excel, WPS or LibreOffice."""

import pytest

from caseminer.coding.codebook_table import codebook_from_rows, read_codebook_table
from caseminer.errors import InvalidInput

HEADER = ["核心范畴（2个）", "主范畴", "初始概念", "内涵", "关键词", "原始语句", "编号"]


def _table(tmp_path, rows, merge=()):
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    for cells in merge:
        workbook.active.merge_cells(cells)
    path = tmp_path / "编码表.xlsx"
    workbook.save(path)
    return path


def test_a_coding_table_with_merged_cells(tmp_path):
    rows = [HEADER,
            ["落实防贫保障", "实施动态监测", "防贫预警", "风险早发现", "防贫预警、返贫预警", "县里建立三色预警", "a1"],
            [None, None, "监测对象", None, "监测对象", "纳入监测对象1286户", "a2"],
            [None, None, "防贫预警", None, "监测预警", "红色预警当天入户", "a3"],
            [None, "强化兜底保障", "低保兜底", None, None, None, "a4"],
            [],
            ["激发内生动力", "扶志扶智", "技能培训", None, "技能培训; 职业培训", None, "a5"]]
    table = read_codebook_table(_table(tmp_path, rows, merge=("A2:A5", "B2:B4")))
    codebook = table.codebook
    by_name = {c.name: c for c in codebook}
    assert [c.name for c in codebook.roots()] == ["落实防贫保障", "激发内生动力"]
    assert [c.name for c in codebook.children(by_name["落实防贫保障"].id)] == ["实施动态监测", "强化兜底保障"]
    assert [c.name for c in codebook.children(by_name["实施动态监测"].id)] == ["防贫预警", "监测对象"]
    assert (by_name["落实防贫保障"].level, by_name["实施动态监测"].level, by_name["防贫预警"].level) == (
        "selective", "axial", "open")
    warning = by_name["防贫预警"]  # two rows, one code: terms and quotations gathered
    assert warning.description == "风险早发现" and warning.terms == ("防贫预警", "返贫预警", "监测预警")
    assert warning.memo == "原始语句：县里建立三色预警\n原始语句：红色预警当天入户"
    assert by_name["技能培训"].terms == ("技能培训", "职业培训")
    assert table.levels == {"核心范畴（2个）": "selective", "主范畴": "axial", "初始概念": "open"}
    assert table.notes == ["Columns not read (no known heading): 编号."]
    again = read_codebook_table(_table(tmp_path, rows, merge=("A2:A5", "B2:B4"))).codebook
    assert [c.id for c in again] == [c.id for c in codebook]  # the same codes when imported again


def test_levels_by_place_where_the_headings_do_not_narrow():
    # 主范畴 and 副范畴 are both axial words: the columns take the levels by place.
    table = codebook_from_rows([["主范畴", "副范畴", "初始概念"], ["产业帮扶", "扶贫车间", "就近就业"]])
    assert [c.level for c in table.codebook] == ["selective", "axial", "open"]
    assert table.notes[0].startswith("The headings name no level for every column, so the columns take them by place")
    four = codebook_from_rows([["维度", "核心范畴", "主范畴", "初始概念"], ["甲", "乙", "丙", "丁"]])
    assert "维度" in four.notes[-1]  # no known heading: not a column of codes


def test_a_concept_written_under_two_categories_is_named_in_the_notes():
    table = codebook_from_rows([["主范畴", "初始概念"], ["产业帮扶", "扶贫车间"], ["就业帮扶", "扶贫车间"],
                                ["就业帮扶", "公益岗位"]])
    workshops = [c for c in table.codebook if c.name == "扶贫车间"]
    assert len(workshops) == 2 and len({c.parent_id for c in workshops}) == 2
    assert table.notes == ["扶贫车间 stands under 2 broader codes (产业帮扶、就业帮扶): it became 2 codes of one "
                           "name, each coded apart. If they are one concept, keep it under one of them."]


def test_a_heading_ending_in_a_description_word_is_a_description():
    table = codebook_from_rows([["主范畴", "初始概念", "初始概念内涵"], ["产业帮扶", "扶贫车间", "在村里办的车间"]])
    assert {c.name: c.description for c in table.codebook}["扶贫车间"] == "在村里办的车间"


def test_a_table_in_the_order_of_the_coding_narrow_to_broad(tmp_path):
    # 原始语句 | 初始概念 | 初始范畴 | 主范畴, as many papers print it, the broad cells merged on the right
    rows = [["原始语句", "贴标签", "初始范畴", "主范畴"],
            ["车间建在村口", "就近就业", "扶贫车间", "产业帮扶"],
            ["老人也能干", "灵活用工", None, None],
            ["合作社分红", "收益分红", "利益联结", None]]
    table = read_codebook_table(_table(tmp_path, rows, merge=("C2:C3", "D2:D4")))
    by_name = {c.name: c for c in table.codebook}
    assert [c.name for c in table.codebook.roots()] == ["产业帮扶"]
    assert [c.name for c in table.codebook.children(by_name["产业帮扶"].id)] == ["扶贫车间", "利益联结"]
    assert by_name["灵活用工"].parent_id == by_name["扶贫车间"].id and by_name["灵活用工"].memo == "原始语句：老人也能干"
    assert table.levels == {"主范畴": "selective", "初始范畴": "axial", "贴标签": "open"}
    assert table.notes[0] == "The code columns run from narrow to broad; they were read from the right."
    two = codebook_from_rows([["一级编码（开放式编码）", "二级编码"], ["就近就业", "产业帮扶"]])
    assert two.levels == {"二级编码": "axial", "一级编码（开放式编码）": "open"}


@pytest.mark.parametrize("rows, said", [
    ([["编号", "原始语句"], ["a1", "县里建立三色预警"]], r"no column of codes \(headings found: 编号, 原始语句\)"),
    ([["初始概念", "主范畴", "概念"], ["a", "b", "c"]], "go neither from broad to narrow nor from narrow to broad"),
    ([["主范畴", "初始概念"], [None, "防贫预警"]], "row 2: the 主范畴 cell is empty and no row above names one"),
    ([], "is empty"),
])
def test_tables_that_say_what_is_wrong(rows, said):
    rows = [["" if c is None else c for c in row] for row in rows]
    with pytest.raises(InvalidInput, match=said):
        codebook_from_rows(rows, source="t.xlsx")


def test_cli_codebook_import_of_a_coding_table(tmp_path, empty_project, cli):
    from caseminer.coding import codebook as cb

    path = _table(tmp_path, [["主范畴", "初始概念"], ["产业帮扶", "扶贫车间"], [None, "就近就业"]], merge=("A2:A3",))
    result = cli("-p", empty_project.path, "codebook", "import", path, "--coder", "A")
    assert result.exit_code == 0, result.output
    assert "Imported 3 codes" in result.output and "1 axial, 2 open" in result.output
    assert "Columns read as codes: 主范畴 (axial), 初始概念 (open)." in result.output
    assert {c.name for c in cb.load_codebook(empty_project)} == {"产业帮扶", "扶贫车间", "就近就业"}


def test_quotations_found_where_the_cases_write_them():
    from caseminer.coding.codebook_table import QuotationFinder

    finder = QuotationFinder({"a": "县里建立“三色预警”机制。\n红色预警当天入户。", "b": "县里建立“三色预警”机制。",
                              "c": "监测对象1286户，\n纳入监测。监测对象"})
    assert finder.locate("红色预警当天入户") == ("a", 14, 22, 1)
    assert finder.locate("机制。 红色预警") == ("a", 10, 18, 1)  # white space left out of both
    assert finder.locate("1286户，纳入监测") == ("c", 4, 15, 1)
    assert finder.locate("监测对象") == ("c", 0, 4, 2)  # coded at the first of two
    assert finder.locate("三色预警").startswith("written in 2 cases (a, b): name its case")
    assert finder.locate("三色预警", "b") == ("b", 5, 9, 1)
    assert finder.locate("五防机制").startswith("written in no case")
    assert finder.locate("红色预警", "b").startswith("not written in case b")


def test_cli_codebook_import_codes_the_quotations(tmp_path, empty_project, cli):
    import json

    from caseminer.pipeline.corpus import import_cases

    (tmp_path / "c1.txt").write_text("宁川县建起扶贫车间。\n车间建在村口，老人也能干。", encoding="utf-8")
    (tmp_path / "c2.txt").write_text("合作社分红到户，车间建在村口。", encoding="utf-8")
    import_cases(empty_project, [tmp_path / "c1.txt", tmp_path / "c2.txt"])
    rows = [["主范畴", "初始概念", "原始语句", "案例"],
            ["产业帮扶", "就近就业", "车间建在村口，老人也能干", None],
            [None, "就近就业", "车间建在村口", "c2"],
            [None, "收益分红", "合作社分红到户", None],
            [None, "收益分红", "按股分红", None],
            [None, "灵活用工", "老人也能干", "c9"]]
    path = _table(tmp_path, rows, merge=("A2:A6",))
    result = cli("-p", empty_project.path, "codebook", "import", path, "--coder", "张三")
    assert result.exit_code == 0, result.output
    assert "Coded 3 of 5 quotation(s) where 2 case(s) write them." in result.output
    assert "row 5: not coded, written in no case" in result.output
    assert "row 6: not coded, names no case 'c9' (by id or title)" in result.output
    codings = json.loads(cli("-p", empty_project.path, "code", "list", "--format", "json").output)
    assert sorted((c["case_id"], c["code"], c["text"], c["coder"]) for c in codings) == [
        ("c1", "就近就业", "车间建在村口，老人也能干", "张三"), ("c2", "就近就业", "车间建在村口", "张三"),
        ("c2", "收益分红", "合作社分红到户", "张三")]
    # one event: undone, codes and codings go together
    assert cli("-p", empty_project.path, "codebook", "undo", "--coder", "张三").exit_code == 0
    assert json.loads(cli("-p", empty_project.path, "code", "list", "--format", "json").output) == []
    assert cli("-p", empty_project.path, "codebook", "list", "--format", "json").output.strip() in ("[]", "")


def test_quotations_cut_short_and_too_short():
    from caseminer.coding.codebook_table import QuotationFinder

    finder = QuotationFinder({"a": "县里建立三色预警机制。红色预警当天入户。"})
    assert finder.locate("……三色预警机制。红色……") == ("a", 4, 13, 1)
    assert finder.locate("三色预警机制...") == ("a", 4, 10, 1)
    assert finder.locate("……") == finder.locate("县") == "too short to tell where it is written"


def test_the_reports_open_coding_table_reads_back_as_a_codebook(tmp_path, empty_project):
    # The report's table of open codes (原始语句（示例） | 案例 | 初始概念 | 主轴编码 | 选择性编码 | 案例数),
    # read by `codebook import` into another project: the same tree, the quotations coded again.
    from caseminer.coding import codebook as cb
    from caseminer.coding import framework as fw
    from caseminer.coding.codings import add_coding, list_codings
    from caseminer.pipeline.corpus import import_cases
    from caseminer.project import Project

    text = "宁川县建起扶贫车间，车间建在村口，老人也能干，一个月能挣两千多元，不少外出务工的年轻人也回来了。"
    (tmp_path / "c1.txt").write_text(text, encoding="utf-8")
    import_cases(empty_project, [tmp_path / "c1.txt"])
    rows = [["主范畴", "范畴", "初始概念"], ["产业帮扶", "扶贫车间", "就近就业"], [None, None, "返乡创业"]]
    cb.import_coding_table(empty_project, codebook_from_rows(rows), coder="A")
    add_coding(empty_project, "c1", "就近就业", coder="A", quote="车间建在村口，老人也能干，一个月能挣两千多元，不少外出务工的年轻人也回来了")
    table = fw.open_coding_table(empty_project, quote_chars=12)
    for row in table:
        del row["code_id"]
    assert table == [
        {"quote": "车间建在村口，老人也能干……", "case_id": "c1", "open": "就近就业", "axial": "扶贫车间",
         "selective": "产业帮扶", "cases": 1},
        {"quote": "", "case_id": "", "open": "返乡创业", "axial": "扶贫车间", "selective": "产业帮扶", "cases": 0}]
    header = ["原始语句（示例）", "案例", "初始概念", "主轴编码", "选择性编码", "案例数"]
    back = codebook_from_rows([header] + [[str(r[k]) for k in ("quote", "case_id", "open", "axial", "selective",
                                                                 "cases")] for r in table])
    assert [(c.name, c.level) for c in back.codebook] == [(c.name, c.level) for c in cb.load_codebook(empty_project)]
    other = Project.create(tmp_path / "other", coder="B")
    import_cases(other, [tmp_path / "c1.txt"])
    done = cb.import_coding_table(other, back, coder="B")
    assert [(c.case_id, c.code, c.text) for c in list_codings(other)] == [("c1", "就近就业", "车间建在村口，老人也能干")]
    assert done.unplaced == []
    other.close()


def test_a_title_above_and_a_second_row_of_headings():
    rows = [["表3 开放式编码结果", None, None], [], ["主范畴", "初始概念", "原始语句"],
            ["Axial code", "Open code", "Quotation"], ["产业帮扶", "就近就业", "车间建在村口"], [None, None, None],
            [None, None, "老人也能干"]]
    table = codebook_from_rows(rows)
    assert [c.name for c in table.codebook] == ["产业帮扶", "就近就业"]
    assert [(q.row, q.text) for q in table.quotations] == [(5, "车间建在村口")]
    assert table.notes == ["Row 7 names no code; it was passed over."]  # rows numbered as in the sheet


def test_open_coding_table_quotes_the_sentence_of_an_automatic_codings_evidence(tmp_path, empty_project):
    import json

    from caseminer.coding import codebook as cb
    from caseminer.coding import framework as fw
    from caseminer.coding.codings import add_coding
    from caseminer.pipeline.corpus import import_cases

    (tmp_path / "c1.txt").write_text("县里办起扶贫车间。车间建在村口，就近就业有了门路！外出的人回来了。", encoding="utf-8")
    import_cases(empty_project, [tmp_path / "c1.txt"])
    cb.import_coding_table(empty_project, codebook_from_rows(
        [["主范畴", "初始概念"], ["产业帮扶", "就近就业"], [None, "返乡创业"], [None, "消费帮扶"]]), coder="A")
    evidence = {"terms": [["门路", 20, 22, "related"], ["就近就业", 16, 20, "name"]]}
    add_coding(empty_project, "c1", "就近就业", coder="auto", whole_case=True, score=2.0, source="auto",
               evidence=json.dumps(evidence, ensure_ascii=False))
    add_coding(empty_project, "c1", "返乡创业", coder="auto", whole_case=True, score=1.0, source="auto",
               evidence=json.dumps({"terms": [["回来", 27, 29, "related"]]}, ensure_ascii=False))
    quotes = {r["open"]: (r["quote"], r["case_id"], r["cases"]) for r in fw.open_coding_table(empty_project)}
    assert quotes == {"就近就业": ("车间建在村口，就近就业有了门路！", "c1", 1),
                      "返乡创业": ("", "", 1),  # a related word is no quotation of the code
                      "消费帮扶": ("", "", 0)}


def test_a_workbook_of_many_tables_and_a_table_3_shaped_sheet(tmp_path):
    # caseminer's tables.xlsx: the sheet with codes and quotations is read, not the first
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "说明 About"
    workbook.active.append(["本工作簿的各表"])
    table3 = workbook.create_sheet("coding_table")
    for row in (["开放式编码", "主轴编码", "选择性编码", "案例数（主轴）"], ["Open codes", "Axial code", "Selective code",
                                                                   "Cases (axial)"],
                ["防贫预警、数据平台", "实施动态监测", "落实防贫保障", 3]):
        table3.append(row)
    opens = workbook.create_sheet("open_coding")
    for row in (["原始语句（示例）", "案例", "初始概念", "主轴编码", "选择性编码", "案例数"],
                ["车间建在村口", "c1", "就近就业", "扶贫车间", "产业帮扶", 1]):
        opens.append(row)
    workbook.save(tmp_path / "tables.xlsx")
    table = read_codebook_table(tmp_path / "tables.xlsx")
    assert [c.name for c in table.codebook] == ["产业帮扶", "扶贫车间", "就近就业"]
    assert [(q.text, q.case) for q in table.quotations] == [("车间建在村口", "c1")]
    del workbook["open_coding"]
    workbook.save(tmp_path / "tables.xlsx")
    table = read_codebook_table(tmp_path / "tables.xlsx")  # the Table-3 sheet: a cell lists the open codes
    assert [c.name for c in table.codebook] == ["落实防贫保障", "实施动态监测", "防贫预警", "数据平台"]
    assert table.levels == {"选择性编码": "selective", "主轴编码": "axial", "开放式编码": "open"}


def test_cli_codebook_export_xlsx_reads_back(tmp_path, empty_project, cli):
    # export as the coding table, import into another project: the same tree, terms and
    # open-code descriptions; a category with no codes under it keeps its row
    from caseminer.coding import codebook as cb
    from caseminer.project import Project

    cli("-p", empty_project.path, "codebook", "import", "--example", "poverty-six-dimensions", "--coder", "A")
    cb.create_code(empty_project, "尚未细分的范畴", coder="A", level="axial", parent="落实防贫保障")
    out = tmp_path / "编码表.xlsx"
    result = cli("-p", empty_project.path, "codebook", "export", "--format", "xlsx", "--out", out)
    assert result.exit_code == 0 and "Wrote the coding table of 74 code(s)" in result.output
    other = Project.create(tmp_path / "other", coder="B")
    assert cli("-p", other.path, "codebook", "import", out, "--coder", "B").exit_code == 0

    def tree(project):
        book = cb.load_codebook(project)
        return sorted((tuple(c.name for c in book.path(code.id)), code.level, code.terms,
                       code.description if code.level == "open" else "") for code in book)

    assert tree(other) == tree(empty_project)
    other.close()
