"""Keyword review: decisions as events, undo, history, survival across re-extraction,
and the review workbook round trip."""

import pytest

from caseminer.errors import Conflict, ExchangeError, InvalidInput, NotFound
from caseminer.pipeline import review
from caseminer.pipeline.corpus import import_cases
from caseminer.pipeline.review_workbook import export_review, import_review

CASES = {
    "a": "某县建设扶贫产业园，完善利益联结机制，扶贫产业园带动就业。推行五防机制。",
    "b": "某县发展乡村旅游，推进消费扶贫，乡村旅游收入增长。",
}


def _insert_extracted(project, rows):
    """Stand-in for a keywords run: rows of (case, keyword, rank, weight)."""
    with project.run("keywords", {"method": "test"}) as run:
        project.conn.execute("DELETE FROM keywords")
        for case_id, keyword, rank, weight in rows:
            project.conn.execute(
                "INSERT INTO keywords(case_id, keyword, rank, weight, freq, method, context, run_id) "
                "VALUES (?,?,?,?,?,?,?,?)", (case_id, keyword, rank, weight, 2, "fused", "", run.id))


@pytest.fixture
def project(empty_project, tmp_path):
    for name, text in CASES.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    import_cases(empty_project, [tmp_path / "a.txt", tmp_path / "b.txt"])
    _insert_extracted(empty_project, [("a", "扶贫产业园", 1, 9.0), ("a", "利益联结机制", 2, 5.0),
                                      ("b", "乡村旅游", 1, 8.0), ("b", "消费扶贫", 2, 4.0)])
    return empty_project


def statuses(project, case_id):
    return {row.keyword: row.status for row in review.keyword_table(project)[case_id]}


def test_review_actions_and_undo(project):
    review.decide(project, "a", "accept", "扶贫产业园", coder="A", reason="central measure")
    review.decide(project, "a", "reject", "利益联结机制", coder="A")
    review.decide(project, "a", "add", "五防机制", coder="B", reason="free phrase the statistics missed")
    review.decide(project, "b", "rename", "乡村旅游", coder="A", new="乡村旅游业")
    assert statuses(project, "a") == {"扶贫产业园": "accepted", "利益联结机制": "rejected", "五防机制": "added"}
    assert statuses(project, "b") == {"乡村旅游业": "renamed", "消费扶贫": "proposed"}
    added = next(r for r in review.keyword_table(project)["a"] if r.keyword == "五防机制")
    assert added.decided_by == "B" and added.reason == "free phrase the statistics missed" and added.freq == 1
    undone = review.undo_review(project, coder="A")
    assert undone.kind == "keyword.rename"
    assert statuses(project, "b")["乡村旅游"] == "proposed"
    history = review.review_history(project)
    assert [e.kind for e in history][:2] == ["keyword.rename.undo", "keyword.rename"]


def test_review_decisions_survive_reextraction(project):
    review.decide(project, "a", "reject", "利益联结机制", coder="A")
    review.decide(project, "a", "add", "五防机制", coder="A")
    _insert_extracted(project, [("a", "利益联结机制", 1, 7.0), ("a", "扶贫产业园", 2, 6.0), ("b", "乡村旅游", 1, 8.0)])
    assert statuses(project, "a") == {"利益联结机制": "rejected", "扶贫产业园": "proposed", "五防机制": "added"}


@pytest.mark.parametrize("action, keyword, error, match", [
    ("accept", "不存在", NotFound, "Case a has no keyword '不存在'"),
    ("add", "火星基地", InvalidInput, "'火星基地' does not occur in case a"),
    ("explode", "扶贫产业园", InvalidInput, "Unknown review action 'explode'"),
])
def test_review_bad_decisions(project, action, keyword, error, match):
    with pytest.raises(error, match=match):
        review.decide(project, "a", action, keyword, coder="A")


def test_review_stale_view_is_refused(project):
    from caseminer.pipeline.events import last_event_id

    seen = last_event_id(project, "keyword.")
    review.decide(project, "a", "accept", "扶贫产业园", coder="A", seen_event_id=seen)
    with pytest.raises(Conflict, match="A changed the keyword '扶贫产业园' of case a"):
        review.decide(project, "a", "reject", "扶贫产业园", coder="B", seen_event_id=seen)
    # another keyword of the same case is not a conflict
    review.decide(project, "a", "reject", "利益联结机制", coder="B", seen_event_id=seen)


def _edit(path, edits=None, *, delete_rows=(), append=None, rename_sheet=None):
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    sheet = workbook["review"]
    header = [str(c.value).split()[-1] for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        values = {h: c for h, c in zip(header, row)}
        key = (values["case_id"].value, values["keyword"].value)
        if edits and key in edits:
            decision, *rest = edits[key]
            values["decision"].value = decision
            if rest:
                values["new_keyword"].value = rest[0]
    for index in sorted(delete_rows, reverse=True):
        sheet.delete_rows(index)
    if append:
        for row in append:
            sheet.append([row.get(h) for h in header])
    if rename_sheet:
        sheet.title = rename_sheet
    workbook.save(path)


def test_review_workbook_round_trip(project, tmp_path):
    path = tmp_path / "review.xlsx"
    assert export_review(project, path) == 4
    _edit(path, {("a", "扶贫产业园"): ("接受",), ("a", "利益联结机制"): ("reject",),
                 ("b", "乡村旅游"): ("rename", "乡村旅游业")},
          append=[{"case_id": "a", "keyword": "五防机制", "decision": "add"}], delete_rows=[5])
    result = import_review(project, path, coder="C")
    assert len(result.applied) == 4 and result.rows_missing == 1
    assert statuses(project, "a") == {"扶贫产业园": "accepted", "利益联结机制": "rejected", "五防机制": "added"}
    assert statuses(project, "b") == {"乡村旅游业": "renamed", "消费扶贫": "proposed"}
    again = import_review(project, path, coder="C")
    assert again.applied == [] and again.unchanged >= 3


def test_review_workbook_added_keyword_in_either_column(project, tmp_path):
    # An added row may carry its keyword in new_keyword (the column a reader fills to name a
    # keyword); a row with neither says what to write.
    path = tmp_path / "review.xlsx"
    export_review(project, path)
    _edit(path, append=[{"case_id": "a", "new_keyword": "五防机制", "decision": "add"},
                        {"case_id": "b", "decision": "add"}])
    with pytest.raises(InvalidInput, match=r"row 7: the keyword cell is empty \(write the keyword this decision is "
                                           r"about, or for 'add' the keyword to add\)"):
        import_review(project, path, coder="C")
    assert "五防机制" not in statuses(project, "a")
    _edit(path, delete_rows=[7])
    assert len(import_review(project, path, coder="C").applied) == 1
    assert statuses(project, "a")["五防机制"] == "added"


def test_review_workbook_renamed_sheet_is_found(project, tmp_path):
    path = tmp_path / "review.xlsx"
    export_review(project, path)
    _edit(path, {("b", "消费扶贫"): ("reject",)}, rename_sheet="我的审阅")
    result = import_review(project, path, coder="C")
    assert result.sheet == "我的审阅" and len(result.applied) == 1


def test_review_workbook_unknown_case_changes_nothing(project, tmp_path):
    path = tmp_path / "review.xlsx"
    export_review(project, path)
    _edit(path, {("a", "扶贫产业园"): ("accept",)},
          append=[{"case_id": "zz", "keyword": "乡村旅游", "decision": "add"}])
    with pytest.raises(InvalidInput, match=r"row 6: no case with id 'zz' in this project"):
        import_review(project, path, coder="C")
    assert statuses(project, "a")["扶贫产业园"] == "proposed"


def test_review_workbook_names_every_added_row_its_case_does_not_write(project, tmp_path):
    # Checked with the other rows, before anything is applied: each such row is named, not
    # only the first, and an accepted row of the same workbook waits for them.
    path = tmp_path / "review.xlsx"
    export_review(project, path)
    _edit(path, {("a", "扶贫产业园"): ("accept",)},
          append=[{"case_id": "a", "keyword": "慈善救助", "decision": "add"},
                  {"case_id": "b", "keyword": "五防机制", "decision": "添加"}])
    with pytest.raises(InvalidInput, match=r"2 row\(s\) cannot be applied; nothing was changed") as e:
        import_review(project, path, coder="C")
    assert "row 6: '慈善救助' does not occur in case a (add a term as the case writes it" in str(e.value)
    assert "row 7: '五防机制' does not occur in case b" in str(e.value)
    assert statuses(project, "a")["扶贫产业园"] == "proposed"


def test_review_workbook_stale_is_refused(project, tmp_path):
    path = tmp_path / "review.xlsx"
    export_review(project, path)
    review.decide(project, "a", "accept", "扶贫产业园", coder="A")
    _edit(path, {("a", "扶贫产业园"): ("reject",), ("b", "消费扶贫"): ("reject",)})
    with pytest.raises(Conflict, match="a / 扶贫产业园 was decided in the project after this workbook was exported"):
        import_review(project, path, coder="C")
    assert statuses(project, "b")["消费扶贫"] == "proposed"  # nothing half-applied


def test_review_workbook_without_meta_sheet(project, tmp_path):
    import openpyxl

    path = tmp_path / "review.xlsx"
    export_review(project, path)
    workbook = openpyxl.load_workbook(path)
    del workbook["_caseminer"]
    workbook.save(path)
    with pytest.raises(ExchangeError, match="has no '_caseminer' sheet"):
        import_review(project, path, coder="C")


def test_review_workbook_saved_as_ods_by_libreoffice_users(project, tmp_path):
    # LibreOffice offers its own format when a workbook is saved: the decisions come back
    # from the .ods as from the .xlsx (the hidden sheet and all).
    from conftest import xlsx_as_ods

    path = tmp_path / "review.xlsx"
    export_review(project, path)
    _edit(path, {("a", "扶贫产业园"): ("accept",), ("b", "乡村旅游"): ("rename", "乡村旅游业")},
          append=[{"case_id": "a", "keyword": "五防机制", "decision": "add"}])
    result = import_review(project, xlsx_as_ods(path, tmp_path / "review.ods"), coder="C")
    assert len(result.applied) == 3
    assert statuses(project, "a") == {"扶贫产业园": "accepted", "利益联结机制": "proposed", "五防机制": "added"}
    assert statuses(project, "b") == {"乡村旅游业": "renamed", "消费扶贫": "proposed"}


@pytest.mark.parametrize("kind", ["xls", "ods", "xlsx"])
def test_review_workbook_saved_by_libreoffice(project, tmp_path, kind):
    # The real thing where LibreOffice is installed: Excel 97-2003 (as WPS also saves), its
    # own format, and its .xlsx.
    from conftest import soffice_convert

    path = tmp_path / "review.xlsx"
    export_review(project, path)
    _edit(path, {("a", "利益联结机制"): ("reject",), ("b", "消费扶贫"): ("rename", "消费帮扶")})
    saved = soffice_convert(path, kind, tmp_path / "saved")
    assert len(import_review(project, saved, coder="C").applied) == 2
    assert statuses(project, "a")["利益联结机制"] == "rejected"
    assert statuses(project, "b") == {"乡村旅游": "proposed", "消费帮扶": "renamed"}


def test_review_workbook_row_added_with_an_id_excel_made_a_number(empty_project, tmp_path):
    # A row typed in Excel with case id 01 holds the number 1: the error says why.
    (tmp_path / "01.txt").write_text(CASES["a"], encoding="utf-8")
    import_cases(empty_project, [tmp_path / "01.txt"])
    _insert_extracted(empty_project, [("01", "扶贫产业园", 1, 9.0)])
    path = tmp_path / "review.xlsx"
    export_review(empty_project, path)
    _edit(path, append=[{"case_id": 1, "keyword": "五防机制", "decision": "add"}])
    with pytest.raises(InvalidInput, match=r"row 3: no case with id '1' in this project \(a spreadsheet turns 01 "
                                           r"into 1: format the column as text"):
        import_review(empty_project, path, coder="C")


def test_review_add_finds_a_phrase_as_the_case_writes_it(empty_project, tmp_path):
    # Copied from the original (full-width letters, ASCII comma) or from a traditional text
    # imported with --simplify: the analysis text writes it otherwise, and the phrase was
    # refused as absent. It is added as the case writes it, the typed form kept.
    (tmp_path / "t.txt").write_text("建成５Ｇ基站十座，落实两不愁,三保障，推行五防機制。", encoding="utf-8")
    import_cases(empty_project, [tmp_path / "t.txt"], simplify=True)
    _insert_extracted(empty_project, [("t", "基站", 1, 1.0)])
    review.decide(empty_project, "t", "add", "５Ｇ基站", coder="A")
    review.decide(empty_project, "t", "add", "两不愁,三保障", coder="A")
    assert set(statuses(empty_project, "t")) == {"基站", "5G基站", "两不愁，三保障"}
    event = review.review_history(empty_project)[0]
    assert event.payload["keyword"] == "两不愁，三保障" and event.payload["typed"] == "两不愁,三保障"
    path = tmp_path / "review.xlsx"
    export_review(empty_project, path)
    _edit(path, append=[{"case_id": "t", "keyword": "五防機制", "decision": "add"}])
    assert len(import_review(empty_project, path, coder="C").applied) == 1
    assert statuses(empty_project, "t")["五防机制"] == "added"
    assert import_review(empty_project, path, coder="C").applied == []  # the same workbook again: nothing new
    with pytest.raises(InvalidInput, match="'六防机制' does not occur in case t"):
        review.decide(empty_project, "t", "add", "六防机制", coder="A")


def test_review_workbook_saved_as_csv_is_refused(project, tmp_path):
    path = tmp_path / "review.csv"
    path.write_text("case_id,keyword,decision\na,扶贫产业园,accept\n", encoding="utf-8")
    with pytest.raises(ExchangeError, match="a text table, which keeps one sheet: the workbook's hidden sheet "
                                            "'_caseminer', which records the state it was exported from, is lost"):
        import_review(project, path, coder="C")
    assert statuses(project, "a")["扶贫产业园"] == "proposed"


def test_events_refuse_if_decided_since_is_atomic_with_the_decision(project):
    from caseminer.pipeline import lexicon
    from caseminer.pipeline.events import last_event_id, refuse_if_decided_since

    seen = last_event_id(project, "lexicon.")
    lexicon.add_words(project, ["五防机制"], coder="A")
    with pytest.raises(Conflict, match="A changed 五防机制"):
        with project.transaction():
            refuse_if_decided_since(project, "lexicon.", seen, ["五防机制"], ("words",))
            lexicon.remove_words(project, ["五防机制"], coder="B")
    assert "五防机制" in lexicon.current_lexicon(project)
    with project.transaction():  # another word: no conflict
        refuse_if_decided_since(project, "lexicon.", seen, ["扶贫产业园"], ("words",))


def test_cli_review_history_table_shows_the_minute_and_json_the_whole_time(project, cli):
    import json
    import re

    assert cli("-p", project.path, "review", "accept", "a", "扶贫产业园", "--coder", "C").exit_code == 0
    [event] = json.loads(cli("-p", project.path, "review", "history", "--format", "json").output)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", event["at"]) and event["coder"] == "C"
    table = cli("-p", project.path, "review", "history").output
    assert event["at"][11:16] in table and "+00:00" not in table  # (the cell may wrap at its dashes)
    # an undo names the decision it undid and that decision's keyword
    assert cli("-p", project.path, "review", "undo", "--coder", "C").exit_code == 0
    undo, accept = json.loads(cli("-p", project.path, "review", "history", "--format", "json").output)
    assert (undo["action"], undo["keyword"], accept["undone_by"]) == (f"undo {accept['id']} (accept)", "扶贫产业园",
                                                                      undo["id"])
    assert len(json.loads(cli("-p", project.path, "review", "history", "--format", "json", "--limit", "1").output)) == 1


def test_cli_review_add_says_what_it_added(project, cli):
    result = cli("-p", project.path, "review", "add", "a", "五防機制", "--coder", "C")
    assert result.exit_code == 0
    assert result.output.startswith("add: a / 五防机制 (decision ")
    assert result.output.rstrip().endswith("; typed '五防機制', added as the case writes it")
    result = cli("-p", project.path, "review", "add", "b", "乡村旅游", "--coder", "C")
    assert result.output.rstrip().endswith(")") and "typed" not in result.output


def test_review_workbook_errors_read_in_chinese_for_the_workbench(project, tmp_path):
    # What a reviewer who edited the workbook in Excel meets when the workbench takes it back:
    # every refusal of the workbook and of its rows, in Chinese (caseminer.messages_zh).
    import openpyxl

    from caseminer.errors import CaseminerError
    from caseminer.messages_zh import to_chinese
    from test_messages_zh import english_left

    def refusal(path) -> str:
        with pytest.raises(CaseminerError) as caught:
            import_review(project, path, coder="C")
        return caught.value.message

    messages = []
    rows = tmp_path / "rows.xlsx"
    export_review(project, rows)
    _edit(rows, {("a", "扶贫产业园"): ("maybe",), ("a", "利益联结机制"): ("rename",)},
          append=[{"case_id": "zz", "keyword": "乡村旅游", "decision": "add"}, {"case_id": "b", "decision": "add"},
                  {"case_id": "b", "keyword": "光伏扶贫", "decision": "reject"},
                  {"case_id": "b", "keyword": "五防机制", "decision": "add"}])
    messages.append(refusal(rows))
    stale = tmp_path / "stale.xlsx"
    export_review(project, stale)
    review.decide(project, "b", "accept", "消费扶贫", coder="A")
    _edit(stale, {("b", "消费扶贫"): ("reject",)})
    messages.append(refusal(stale))
    for change in ("meta", "header", "two"):
        path = tmp_path / f"{change}.xlsx"
        export_review(project, path)
        workbook = openpyxl.load_workbook(path)
        if change == "meta":
            del workbook["_caseminer"]
        elif change == "header":
            workbook["review"].delete_rows(1)
        else:
            workbook.copy_worksheet(workbook["review"]).title = "副本"
            workbook["review"].title = "我的审阅"
        workbook.save(path)
        messages.append(refusal(path))
    (tmp_path / "review.csv").write_text("case_id,keyword,decision\n", encoding="utf-8")
    messages.append(refusal(tmp_path / "review.csv"))
    assert "unknown decision 'maybe'" in messages[0] and "does not occur in case b" in messages[0]
    for message in messages:
        zh = to_chinese(message)
        assert zh != message and not english_left(zh), (message, zh)
    assert "- 工作表 'review' 第 2 行：未知的决定 'maybe'（请填 接受、拒绝、重命名 或 添加）\n" in to_chinese(messages[0])
    assert "rows.xlsx：有 6 行无法应用；没有做任何更改。" in to_chinese(messages[0])
