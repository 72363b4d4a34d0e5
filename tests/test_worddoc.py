"""Word 97-2003 text (pipeline.worddoc): control characters to plain text; damaged files."""

from pathlib import Path

import pytest

from caseminer.pipeline.worddoc import DocFormatError, _plain, read_doc_text

WORD97 = Path(__file__).parent / "data" / "word97" / "workshops.doc"


@pytest.mark.parametrize("raw, plain", [
    ("第一段\r第二段\r", "第一段\n第二段\n"),
    ("换行\x0b同段", "换行\n同段"),
    # a table: each cell ends in \x07, the row's end adds one more
    ("车间\x07人数\x07\x07服装\x07120\x07\x07", "车间\t人数\n服装\t120\n"),
    # a field: its code dropped, its result kept; nested fields; a field without a result
    ("见\x13 HYPERLINK \"http://x.cn\" \x14扶贫专栏\x15。", "见扶贫专栏。"),
    ("\x13 IF \x13 PAGE \x14 3\x15 \x14结果\x15", "结果"),
    ("页码\x13 PAGE \x15。", "页码。"),
    # object anchors and soft hyphens go; a non-breaking hyphen is a hyphen
    ("图\x01片\x08", "图片"), ("可\x1f持续", "可持续"), ("2020\x1e2021", "2020-2021"),
])
def test_worddoc_plain(raw, plain):
    assert _plain(raw) == plain


def test_worddoc_reads_the_fixture():
    text = read_doc_text(WORD97.read_bytes())
    assert text.startswith("某县扶贫车间调查\n") and "服装车间\t120\n" in text


@pytest.mark.parametrize("data", [b"", b"x" * 10, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 3000])
def test_worddoc_refuses_what_is_no_word_97_file(data):
    with pytest.raises(DocFormatError):
        read_doc_text(data)


@pytest.mark.parametrize("data, says", [
    (b"PK\x03\x04" + b"\0" * 100, "it is a Word 2007+ document (.docx) named .doc: rename it to .docx"),
    (b"{\\rtf1\\ansi ...}", "it is an RTF file named .doc"),
    ("<html><body>扶贫车间</body></html>".encode("utf-8"), "it is a web page (HTML or MHTML) named .doc"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related", "it is a web page (HTML or MHTML) named .doc"),
])
def test_worddoc_names_the_format_of_a_file_misnamed_doc(data, says):
    with pytest.raises(DocFormatError) as info:
        read_doc_text(data)
    assert str(info.value).startswith(says)


def test_worddoc_says_a_word_95_file_is_too_old():
    data = WORD97.read_bytes()
    at = next(i for i in range(0, len(data), 512) if data[i:i + 2] == b"\xec\xa5")  # the WordDocument stream
    with pytest.raises(DocFormatError, match="older than Word 97"):
        read_doc_text(data[:at] + b"\xdc\xa5" + data[at + 2:])
