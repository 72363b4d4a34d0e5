"""The project codebook and codings: import, edits, validation, undo, concurrency."""

import pytest

from caseminer.coding import codebook as cb
from caseminer.coding import codings as cg
from caseminer.coding.codebook_io import load_example
from caseminer.errors import Conflict, InvalidInput, NotFound
from caseminer.pipeline.corpus import import_cases

from conftest import db_snapshot

TEXT = "某县建立防贫预警机制，开发防贫保险。\n同时开展技能培训，推进移风易俗。"


@pytest.fixture
def project(empty_project, tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "c" / "b.txt").write_text("发展乡村旅游和电子商务。", encoding="utf-8")
    import_cases(empty_project, [tmp_path / "c"])
    cb.import_codebook(empty_project, load_example("poverty-six-dimensions"), coder="lead")
    return empty_project


def test_codebook_example_levels(project):
    codebook = cb.load_codebook(project)
    levels = [c.level for c in codebook]
    assert levels.count("selective") == 6 and levels.count("axial") == 19 and levels.count("open") == 73
    assert {c.role for c in codebook.roots()} == {"基础", "前提", "关键", "根本", "重心", "目标"}
    assert [c.name for c in codebook.path(cb.resolve_code(project, "防贫预警").id)] == \
        ["落实防贫保障", "实施动态监测", "防贫预警"]


def test_codebook_import_twice_is_refused(project):
    with pytest.raises(Conflict, match="already in the project"):
        cb.import_codebook(project, load_example("poverty-six-dimensions"), coder="lead")


def test_codebook_create_under_parent_takes_level_below(project):
    code = cb.create_code(project, "防贫保险新品", coder="lead", parent="落实防贫保障/引入市场机制")
    assert code.level == "open"
    with pytest.raises(InvalidInput, match="two codes are named .防贫保险. under .引入市场机制."):
        cb.create_code(project, "防贫保险", coder="lead", parent="引入市场机制")


def test_codebook_move_refuses_cycle(project):
    with pytest.raises(InvalidInput):
        cb.move_code(project, "落实防贫保障", "防贫预警", coder="lead", level="open")


def test_codings_span_quote_whole_case(project):
    first = cg.add_coding(project, "a", "防贫预警", coder="A", quote="防贫预警机制")
    second = cg.add_coding(project, "a", "技能培训", coder="A", span=(TEXT.index("技能培训"), TEXT.index("技能培训") + 4))
    third = cg.add_coding(project, "a", "落实防贫保障", coder="B", whole_case=True)
    rows = {r.id: r for r in cg.list_codings(project, case_id="a")}
    assert rows[first].text == "防贫预警机制" and rows[first].start == TEXT.index("防贫预警机制")
    assert rows[second].text == "技能培训" and rows[third].start is None
    with pytest.raises(Conflict, match="already coded"):
        cg.add_coding(project, "a", "防贫预警", coder="A", quote="防贫预警机制")
    with pytest.raises(InvalidInput, match="occurs 2 times"):
        cg.add_coding(project, "a", "防贫预警", coder="A", quote="防贫")
    with pytest.raises(InvalidInput, match="outside case a"):
        cg.add_coding(project, "a", "防贫预警", coder="A", span=(0, 999))
    with pytest.raises(NotFound, match="does not occur"):
        cg.add_coding(project, "a", "防贫预警", coder="A", quote="不存在的话")


def test_codebook_merge_and_delete_are_undoable(project):
    cg.add_coding(project, "a", "防贫预警", coder="A", quote="防贫预警机制")
    cg.add_coding(project, "a", "数据平台", coder="A", quote="防贫预警机制")  # same span: dropped on merge
    cg.add_coding(project, "b", "数据平台", coder="A", whole_case=True)
    before = db_snapshot(project)
    result = cb.merge_codes(project, "数据平台", "防贫预警", coder="lead")
    assert result == {"codings_moved": 1, "codings_dropped": 1}
    assert {r.code for r in cg.list_codings(project)} == {"防贫预警"}
    cb.undo_codebook(project, coder="lead")
    assert sorted(r.code for r in cg.list_codings(project)) == ["数据平台", "数据平台", "防贫预警"]
    plan = cb.delete_plan(project, "落实防贫保障")
    assert plan["codes"] == 1 + 3 + 10 and plan["codings"] == 3
    cb.delete_code(project, "落实防贫保障", coder="lead")
    assert cg.list_codings(project) == []
    cb.undo_codebook(project, coder="lead")
    assert len(cg.list_codings(project)) == 3
    after = sorted(line for line in db_snapshot(project) if not line.startswith('INSERT INTO "events"'))
    assert after == sorted(line for line in before if not line.startswith('INSERT INTO "events"'))


def test_codebook_concurrent_rename_is_detected(project):
    code = cb.resolve_code(project, "防贫预警")
    version = cb.code_version(project, code.id)
    cb.rename_code(project, code.id, "监测预警", coder="A", expected_version=version)
    with pytest.raises(Conflict, match="changed by someone else"):
        cb.rename_code(project, code.id, "返贫预警", coder="B", expected_version=version)
    assert cb.resolve_code(project, code.id).name == "监测预警"


def test_codebook_qdc_round_trip(project, tmp_path):
    from caseminer.exchange.refi_codebook import read_qdc, write_qdc

    write_qdc(tmp_path / "cb.qdc", cb.load_codebook(project))
    again = read_qdc(tmp_path / "cb.qdc")
    original = cb.load_codebook(project)
    assert [(c.name, c.level, c.role) for c in again] == [(c.name, c.level, c.role) for c in original]
