"""Tests for caseminer.coding.model: the codebook tree and its validation."""

import pytest

from caseminer.coding.model import Code, Codebook, Coding, Memo, is_guid, stable_guid
from caseminer.errors import InvalidInput, NotFound


def small_book(*extra: Code) -> Codebook:
    codes = [
        Code("S1", "落实防贫保障", "selective", None, role="基础", color="#C0392B"),
        Code("A1", "实施动态监测", "axial", "S1"),
        Code("O1", "防贫预警", "open", "A1", terms=["防贫预警", "返贫预警"]),
        Code("O2", "数据平台", "open", "A1"),
        Code("S2", "衔接乡村振兴", "selective", None, role="目标"),
        *extra,
    ]
    return Codebook(codes)


def test_model_tree_lookups():
    book = small_book().validate()
    assert [c.id for c in book.roots()] == ["S1", "S2"]
    assert [c.id for c in book.children("A1")] == ["O1", "O2"]
    assert book.by_name("数据平台").id == "O2"
    assert [c.name for c in book.path("O2")] == ["落实防贫保障", "实施动态监测", "数据平台"]
    assert [(d, c.id) for d, c in book.walk()] == [
        (0, "S1"), (1, "A1"), (2, "O1"), (2, "O2"), (0, "S2"),
    ]
    assert [c.id for c in book.descendants("S1")] == ["A1", "O1", "O2"]
    assert book.counts() == {"selective": 2, "axial": 1, "open": 2}
    assert book.get("O1").terms == ("防贫预警", "返贫预警")  # stored as a tuple


def test_model_lookup_errors():
    book = small_book(Code("A2", "数据平台", "axial", "S2")).validate()
    with pytest.raises(NotFound, match="No code named '不存在'"):
        book.by_name("不存在")
    with pytest.raises(InvalidInput, match="ambiguous"):
        book.by_name("数据平台")
    assert book.by_name("数据平台", parent_id="S2").id == "A2"
    with pytest.raises(NotFound, match="No code with id 'X'"):
        book.get("X")


@pytest.mark.parametrize(
    "extra, message",
    [
        (Code("S1", "另一个", "selective", None), "the id 'S1' is used by both"),
        (Code("O3", "防贫预警", "open", "A1"), "two codes are named '防贫预警' under '实施动态监测'"),
        (Code("S3", "衔接乡村振兴", None, None), "two codes are named '衔接乡村振兴' at the top level"),
        (Code("X1", "错层", "selective", "A1"), r"'错层' \(selective\) sits under '实施动态监测' \(axial\)"),
        (Code("X2", "同层", "axial", "A1"), r"'同层' \(axial\) sits under '实施动态监测' \(axial\)"),
        (Code("X3", "坏层级", "core", None), "has the level 'core'"),
        (Code("X4", "无父", "open", "NOPE"), "names the parent id 'NOPE'"),
        (Code("X5", "坏颜色", "open", "A1", color="red"), "has the colour 'red'"),
        (Code("X6", "自指", "open", "X6"), "is its own parent"),
        (Code("", "无编号", "open", None), "has no id"),
        (Code("X7", " ", "open", None), "has no name"),
    ],
)
def test_model_validate_rejects(extra, message):
    with pytest.raises(InvalidInput, match=message):
        small_book(extra).validate()


def test_model_validate_rejects_cycle_and_names_it():
    book = Codebook([
        Code("a", "甲", None, "c"),
        Code("b", "乙", None, "a"),
        Code("c", "丙", None, "b"),
    ])
    with pytest.raises(InvalidInput, match="cycle") as err:
        book.validate(where="book.yaml")
    assert "book.yaml" in err.value.message and "甲" in err.value.message


def test_model_free_codes_anywhere():
    book = small_book(
        Code("F1", "自由编码", None, "O1"),        # free under open
        Code("O9", "开放在顶层", "open", None),     # open at the root
        Code("F2", "自由在顶层", None, None),
        Code("O8", "开放在自由下", "open", "F2"),   # any level under a free code
    )
    assert book.validate() is book


def test_model_coding_spans():
    whole = Coding("c1", "O1", None, None, "张三")
    assert whole.whole_case
    assert not Coding("c1", "O1", 0, 3, "张三").whole_case
    with pytest.raises(InvalidInput, match="both be None"):
        Coding("c1", "O1", 3, None, "张三")
    with pytest.raises(InvalidInput, match=r"\[5, 2\) is not valid"):
        Coding("c1", "O1", 5, 2, "张三")
    with pytest.raises(InvalidInput, match=r"\[-1, 2\) is not valid"):
        Coding("c1", "O1", -1, 2, "张三")


def test_model_memo_targets():
    Memo("m", "文本")
    Memo("m", "文本", "case", "c1")
    with pytest.raises(InvalidInput, match="needs a target_id"):
        Memo("m", "文本", "code")
    with pytest.raises(InvalidInput, match="'project', 'case' or 'code'"):
        Memo("m", "文本", "coding", "x")


def test_model_stable_guid():
    assert stable_guid("code", "防贫预警") == stable_guid("code", "防贫预警")
    assert stable_guid("code", "防贫预警") != stable_guid("code", "数据平台")
    # separator keeps ("ab", "c") and ("a", "bc") apart
    assert stable_guid("ab", "c") != stable_guid("a", "bc")
    assert is_guid(stable_guid("x"))
    assert is_guid("{6F1C2A4E-3B7D-5E80-9A21-C4D5E6F70812}")
    assert not is_guid("6F1C2A4E-3B7D-5E80-9A21-C4D5E6F70812}")
    assert not is_guid("S1")
