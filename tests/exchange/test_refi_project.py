"""Tests for REFI-QDA projects (.qdpx): lossless round trips and refused inputs."""

import dataclasses
import zipfile
from datetime import date, datetime, timedelta, timezone

import pytest

from caseminer.coding.codebook_io import load_example
from caseminer.coding.model import Coding, Memo
from caseminer.errors import ExchangeError, InvalidInput
from caseminer.exchange.refi import CaseRecord, read_qdpx, write_qdpx
from caseminer.exchange.safe_xml import parse_xml, validate_against

BOOK = load_example("poverty-six-dimensions")
WARN = BOOK.by_name("防贫预警").id
PARK = BOOK.by_name("扶贫产业").id
SHOP = BOOK.by_name("扶贫车间").id
T1 = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)
T2 = datetime(2024, 5, 7, 9, 0, tzinfo=timezone(timedelta(hours=8)))
T3 = datetime(2024, 5, 8, 10, 30)  # naive stays naive

# "𠀀" (U+20000) is outside the BMP: one code point, two UTF-16 units, four UTF-8 bytes.
TEXT1 = "𠀀某县建设扶贫产业园，\r\n建立防贫预警机制。"
TEXT2 = "村里办起扶贫车间，群众在家门口就业。"
CASES = [
    CaseRecord("江西-01", "某县产业园", TEXT1,
               {"province": "江西", "year": 2020, "share": 0.25, "pilot": True,
                "reported": date(2021, 3, 1), "at": T3}),
    CaseRecord("甘肃-02", "", TEXT2,
               {"province": "甘肃", "year": 2019, "share": 1.5e-07, "pilot": False}),
]
CODINGS = [
    Coding("江西-01", PARK, 5, 10, "张三", T1, memo="产业园\n第二行", score=0.75, evidence="扶贫产业园"),
    Coding("江西-01", WARN, None, None, "李四", None),
    Coding("江西-01", WARN, 16, 20, "李四", T3, id="my-coding-1"),
    Coding("甘肃-02", SHOP, 4, 8, "张三", T2, id="5E6F7A8B-0000-4000-8000-000000000004"),
]
MEMOS = [
    Memo("m1", "总体备忘\n多行", author="张三", created_at=T1, title="总"),
    Memo("m2", "案例备忘", "case", "甘肃-02"),
    Memo("2B3C4D5E-0000-4000-8000-000000000001", "编码备忘", "code", WARN, author="王五"),
]


@pytest.fixture
def qdpx(tmp_path):
    path = tmp_path / "project.qdpx"
    write_qdpx(path, cases=CASES, codebook=BOOK, codings=CODINGS, memos=MEMOS,
               coders=["王五", "张三"], project_name="巩固成果")
    return path


def test_refi_project_round_trip_loses_nothing(qdpx):
    bundle = read_qdpx(qdpx)
    assert bundle.project_name == "巩固成果"
    assert bundle.cases == CASES
    assert [type(v) for v in bundle.cases[0].attributes.values()] == [str, int, float, bool, date, datetime]
    assert bundle.codebook == BOOK  # codes, order, name, description
    assert bundle.coders == ["王五", "张三", "李四"]  # given order, then the others
    assert [dataclasses.replace(c, id=None) for c in bundle.codings] == [
        dataclasses.replace(c, id=None) for c in CODINGS
    ]
    assert bundle.codings[2].id == "my-coding-1"  # a non-GUID id survives as metadata
    assert bundle.codings[3].id == CODINGS[3].id  # a GUID id is the Coding guid
    assert bundle.memos == MEMOS


def test_refi_project_twice_is_identical(qdpx, tmp_path):
    bundle = read_qdpx(qdpx)
    again = tmp_path / "again.qdpx"
    write_qdpx(again, cases=bundle.cases, codebook=bundle.codebook, codings=bundle.codings,
               memos=bundle.memos, coders=bundle.coders, project_name=bundle.project_name)
    assert read_qdpx(again) == bundle


def test_refi_project_layout_and_positions(qdpx):
    with zipfile.ZipFile(qdpx) as zf:
        names = zf.namelist()
        qde = zf.read("project.qde")
        sources = {n: zf.read(n) for n in names if n.startswith("sources/")}
    assert names[0] == "project.qde" and len(sources) == 2
    assert TEXT1.encode("utf-8") in sources.values()  # original text, \r\n kept, no BOM
    root = parse_xml(qde)
    validate_against(root, "Project.xsd", source="test")
    ns = {"q": "urn:QDA-XML:project:1.0"}
    src = root.find("q:Sources/q:TextSource[@name='某县产业园']", ns)
    assert src.get("plainTextPath") == f"internal://{src.get('guid')}.txt"
    assert f"sources/{src.get('guid')}.txt" in sources
    sels = src.findall("q:PlainTextSelection", ns)
    # code points, not UTF-16 units (6/11) or UTF-8 bytes
    assert (sels[0].get("startPosition"), sels[0].get("endPosition")) == ("5", "10")
    assert TEXT1[5:10] == "扶贫产业园"
    # whole case: the full text plus a marker
    assert (sels[1].get("startPosition"), sels[1].get("endPosition")) == ("0", str(len(TEXT1)))
    assert "scope: case" in sels[1].find("q:Description", ns).text
    users = {u.get("name"): u.get("guid") for u in root.iterfind("q:Users/q:User", ns)}
    coding = sels[0].find("q:Coding", ns)
    assert coding.get("creatingUser") == users["张三"]
    assert coding.find("q:CodeRef", ns).get("targetGUID") == PARK
    case = root.find("q:Cases/q:Case[@name='甘肃-02']", ns)
    kinds = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind("q:Variables/q:Variable", ns)}
    assert kinds == {"province": "Text", "year": "Integer", "share": "Float", "pilot": "Boolean",
                     "reported": "Date", "at": "DateTime"}
    assert case.find("q:VariableValue/q:FloatValue", ns).text == "0.00000015"  # no exponent


@pytest.mark.parametrize(
    "change, message",
    [
        ({"codings": [Coding("北京", PARK, 0, 1, "张三")]}, "names a case that is not exported"),
        ({"codings": [Coding("甘肃-02", "nope", 0, 1, "张三")]}, "names a code that is not in the codebook"),
        ({"codings": [Coding("甘肃-02", PARK, 0, 99, "张三")]}, "ends at 99, past the end of the text"),
        ({"cases": CASES + [CASES[0]]}, "'江西-01' is used twice"),
        ({"memos": [Memo("m", "x", "case", "北京")]}, "about case '北京', which is not exported"),
        ({"cases": [CaseRecord("c", "坏\x01标题", "文")]}, "characters XML cannot carry"),
        ({"cases": [CaseRecord("c", "t", "文", {"x": float("nan")})]}, "cannot store"),
    ],
)
def test_refi_project_write_rejects_inconsistent_input(tmp_path, change, message):
    args = dict(cases=CASES, codebook=BOOK, codings=[], memos=[], coders=[])
    args.update(change)
    with pytest.raises(InvalidInput, match=message):
        write_qdpx(tmp_path / "x.qdpx", **args)
    assert not (tmp_path / "x.qdpx").exists()


def rewrite(src, dst, *, qde=None, extra=()):
    """Copy a .qdpx, optionally editing project.qde and adding members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "project.qde" and qde is not None:
                data = qde(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item.filename, data)
        for name, data in extra:
            zout.writestr(name, data)
    return dst


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda x: x.replace(f'targetGUID="{PARK}"', 'targetGUID="00000000-0000-4000-8000-00000000FFFF"', 1),
         "refers to the code '00000000-0000-4000-8000-00000000FFFF', which is not in"),
        (lambda x: x.replace('endPosition="10"', 'endPosition="999"', 1), r"spans \[5, 999\), outside the text"),
        (lambda x: x.replace("internal://", "relative://", 1), "lives outside the archive"),
        (lambda x: x.replace('<?xml version="1.0" encoding="utf-8"?>',
                             '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "b">]>'), "declares a DTD"),
        (lambda x: x.replace("<Users>", "<Users><Bogus/>", 1), "does not follow the REFI-QDA schema Project.xsd: line"),
        (lambda x: x.replace("urn:QDA-XML:project:1.0", "urn:other", 1), "not <Project> in the namespace"),
    ],
)
def test_refi_project_read_rejects_broken_projects(qdpx, tmp_path, edit, message):
    bad = rewrite(qdpx, tmp_path / "bad.qdpx", qde=edit)
    with pytest.raises(ExchangeError, match=message) as err:
        read_qdpx(bad)
    assert str(bad) in err.value.message


def test_refi_project_read_refuses_hostile_archives(qdpx, tmp_path):
    slip = rewrite(qdpx, tmp_path / "slip.qdpx", extra=[("../../evil.sh", b"rm -rf /")])
    with pytest.raises(ExchangeError, match="zip-slip"):
        read_qdpx(slip)
    empty = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("other.xml", b"<x/>")
    with pytest.raises(ExchangeError, match="no project.qde"):
        read_qdpx(empty)


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="外来项目">
  <Users><User guid="{u}" name="赵六"/></Users>
  <CodeBook><Codes><Code guid="{k}" name="帮扶" isCodable="true"/></Codes></CodeBook>
  <Variables><Variable guid="{v}" name="地区" typeOfVariable="Text"/></Variables>
  <Cases>
    <Case guid="{c}" name="一组"><SourceRef targetGUID="{s1}"/><SourceRef targetGUID="{s2}"/></Case>
  </Cases>
  <Sources>
    <TextSource guid="{s1}" name="访谈一">
      <PlainTextContent>驻村干部上门帮扶。</PlainTextContent>
      <PlainTextSelection guid="{p}" startPosition="0" endPosition="4" creatingUser="{u}"
          creationDateTime="2023-01-02T03:04:05Z">
        <Coding guid="{g}" creatingUser="{u}"><CodeRef targetGUID="{k}"/></Coding>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="{v}"/><TextValue>西部</TextValue></VariableValue>
    </TextSource>
    <TextSource guid="{s2}" name="访谈二"><PlainTextContent>第二篇。</PlainTextContent></TextSource>
  </Sources>
  <Notes><Note guid="{n}" name="散记"><PlainTextContent>无人引用的笔记</PlainTextContent></Note></Notes>
</Project>
"""


def test_refi_project_reads_foreign_project(tmp_path):
    keys = ("s1", "s2", "u", "k", "v", "c", "p", "g", "n")
    ids = {k: f"{i:08X}-0000-4000-8000-000000000000" for i, k in enumerate(keys, 1)}
    xml = FOREIGN
    for key in keys:
        xml = xml.replace("{" + key + "}", ids[key])
    path = tmp_path / "foreign.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", xml.encode("utf-8"))
    bundle = read_qdpx(path)
    # a REFI case grouping two sources: each source becomes a caseminer case
    assert [(c.id, c.title, c.text) for c in bundle.cases] == [
        ("访谈一", "访谈一", "驻村干部上门帮扶。"), ("访谈二", "访谈二", "第二篇。"),
    ]
    assert bundle.cases[0].attributes == {"地区": "西部"}
    assert bundle.codebook.get(ids["k"]).level == "selective"
    [coding] = bundle.codings
    assert (coding.case_id, coding.start, coding.end, coding.coder) == ("访谈一", 0, 4, "赵六")
    assert coding.created_at == datetime(2023, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert [(m.target_type, m.text, m.title) for m in bundle.memos] == [("project", "无人引用的笔记", "散记")]
