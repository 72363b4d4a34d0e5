"""Tests for REFI-QDA codebooks (.qdc): round trips, schema, hostile and broken files."""

import time

import pytest

from caseminer.coding.codebook_io import load_example
from caseminer.coding.model import Code, Codebook
from caseminer.errors import ExchangeError, InvalidInput
from caseminer.exchange.refi import codebook_to_qdc, qdc_to_codebook, read_qdc, write_qdc
from caseminer.exchange.refi_codebook import join_meta, split_meta
from caseminer.exchange.safe_xml import parse_xml, validate_against

G = "{:08X}-0000-4000-8000-000000000000".format


def test_refi_codebook_round_trip_example(tmp_path):
    book = load_example("poverty-six-dimensions")
    write_qdc(tmp_path / "six.qdc", book)
    back = read_qdc(tmp_path / "six.qdc")
    assert back.codes == book.codes  # ids, names, levels, roles, colours, terms, order
    data = (tmp_path / "six.qdc").read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"')
    text = data.decode("utf-8")
    assert 'name="落实防贫保障" isCodable="true" color="#C0392B"' in text
    assert "role: 基础" in text


def test_refi_codebook_round_trip_everything():
    book = Codebook([
        Code(G(1), "选择", "selective", None, "两行\n说明", "基础", "#A1B2C3", "备忘\n第二行"),
        Code("my-own-id", "自由", None, G(1), "role: 不是元数据", terms=["甲", '"引号"']),
        Code(G(3), "开放", "open", "my-own-id", "  留白  "),
        Code(G(4), "主轴", "axial", G(1), role="自定义", memo='"quoted"'),
        Code(G(5), "深层", None, G(3)),
        Code(G(6), "深层开放", "open", G(4)),
    ])
    back = qdc_to_codebook(codebook_to_qdc(book))
    # the nesting carries sibling order, so the codes come back depth first
    assert back.codes == tuple(code for _, code in book.walk())
    assert set(back.codes) == set(book.codes)


@pytest.mark.parametrize(
    "text, meta",
    [
        ("", {}),
        ("普通说明", {}),
        ("普通说明", {"role": "基础"}),
        ("", {"role": "基础", "terms": ["a", "b"]}),
        ("结尾\n\nrole: 像元数据", {}),  # prose that looks like metadata survives
        ("结尾\n\nrole: 像元数据", {"memo": "x\ny"}),
        ("结尾\n", {"level": "free"}),
        ("x", {"memo": "[not json"}),
    ],
)
def test_refi_codebook_description_meta_round_trip(text, meta):
    joined = join_meta(text, meta)
    assert split_meta(joined, {"role", "memo", "terms", "level"}) == (text, meta)


def test_refi_codebook_export_is_schema_valid_and_refuses_bad_books():
    data = codebook_to_qdc(load_example("poverty-six-dimensions"))
    validate_against(parse_xml(data), "Codebook.xsd", source="t")  # no error
    with pytest.raises(InvalidInput, match="cycle"):
        codebook_to_qdc(Codebook([Code(G(1), "甲", None, G(2)), Code(G(2), "乙", None, G(1))]))
    with pytest.raises(InvalidInput, match="no codes"):
        codebook_to_qdc(Codebook([]))


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="OtherQDA 1.0">
  <Codes>
    <Code guid="{G1}" name="主题" isCodable="false" color="#aB0">
      <Code guid="{G2}" name="类属" isCodable="true">
        <Description>来自别的软件</Description>
        <Code guid="{G3}" name="概念" isCodable="true">
          <Code guid="{G4}" name="更深" isCodable="true"/>
        </Code>
      </Code>
    </Code>
  </Codes>
  <Sets><Set guid="{G5}" name="集合"><MemberCode guid="{G3}"/></Set></Sets>
</CodeBook>
"""


def test_refi_codebook_never_follows_schema_location(monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    data = (
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="urn:QDA-XML:codebook:1.0 http://example.invalid/Codebook.xsd">'
        f'<Codes><Code guid="{G(1)}" name="甲" isCodable="true"/></Codes></CodeBook>'
    ).encode()
    assert [c.name for c in qdc_to_codebook(data)] == ["甲"]


def test_refi_codebook_reads_foreign_file():
    data = FOREIGN.format(G1=G(1), G2=G(2), G3=G(3), G4="{" + G(4) + "}", G5=G(5)).encode()
    book = qdc_to_codebook(data)
    assert [(c.name, c.level) for c in book] == [
        ("主题", "selective"), ("类属", "axial"), ("概念", "open"), ("更深", None),
    ]
    assert book.get(G(1)).color == "#AABB00"  # short #RGB widened
    assert book.get(G(2)).description == "来自别的软件"
    assert book.get("{" + G(4) + "}").parent_id == G(3)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="00000001-0000-4000-8000-000000000000" name="&lol9;" isCodable="true"/>
</Codes></CodeBook>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="00000001-0000-4000-8000-000000000000" name="&x;" isCodable="true"/>
</Codes></CodeBook>
"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_refi_codebook_refuses_entities_without_expanding(tmp_path, payload):
    path = tmp_path / "hostile.qdc"
    path.write_text(payload, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ExchangeError, match="declares a DTD") as err:
        read_qdc(path)
    assert time.perf_counter() - started < 1.0
    assert str(path) in err.value.message and err.value.code == "E501"


def test_refi_codebook_refuses_huge_file(tmp_path):
    path = tmp_path / "huge.qdc"
    path.write_bytes(b"<CodeBook>" + b" " * (2 * 1024 * 1024) + b"</CodeBook>")
    with pytest.raises(ExchangeError, match=r"2\.0 MB is over the limit of 1\.0 MB"):
        read_qdc(path, max_bytes=1024 * 1024)
    with pytest.raises(ExchangeError, match="over the limit"):
        qdc_to_codebook(path.read_bytes(), max_bytes=1024 * 1024)


@pytest.mark.parametrize(
    "xml, message",
    [
        ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n<Codes>\n<Code name="x"></Codes>',
         r"line 3, column \d+: not well-formed XML"),
        ('<CodeBook xmlns="urn:QDA-XML:codebook:1:0"><Codes/></CodeBook>', "not <CodeBook> in the namespace"),
        ('<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>', "use read_qdpx"),
        ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n<Codes>\n<Code guid="{g}" name="x"/>\n</Codes></CodeBook>',
         r"does not follow the REFI-QDA schema Codebook\.xsd: line 3"),
        ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{g}" name="x" isCodable="true"/>'
         '<Code guid="{g}" name="y" isCodable="true"/></Codes></CodeBook>', "used by two codes"),
        ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{g}" name="x" isCodable="true"/>'
         '<Code guid="{h}" name="x" isCodable="true"/></Codes></CodeBook>', "two codes are named 'x' at the top level"),
        ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{g}" name="x" isCodable="true">'
         '<Description>level: core</Description></Code></Codes></CodeBook>', "level 'core'"),
    ],
)
def test_refi_codebook_rejects_broken_files(xml, message):
    data = xml.replace("{g}", G(1)).replace("{h}", G(2)).encode()
    with pytest.raises(ExchangeError, match=message):
        qdc_to_codebook(data, source="in.qdc")


@pytest.mark.parametrize("name, description, role", [
    ("落实防贫保障（基础）", "", "基础"), ("夯实发展基础(前提)", "", "前提"), ("构建长效机制", "关键", "关键"),
    ("强化志智双扶", "作用：根本。防止返贫", "根本"), ("推进产业升级", "role: 重心", "重心"),
    ("衔接乡村振兴", "与乡村振兴的政策衔接", None),
])
def test_refi_codebook_role_from_other_tools(name, description, role):
    from caseminer.exchange.refi_codebook import role_from_text

    assert role_from_text(name, description) == role
