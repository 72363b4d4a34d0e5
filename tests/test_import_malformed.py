"""The malformed-input suite: each bad input gives a clear error (what, where, how
to fix) and leaves the project exactly as it was."""

import pytest

from caseminer.errors import ImportFailed
from caseminer.pipeline.corpus import import_cases, list_cases

from conftest import db_snapshot


def _empty(tmp):
    p = tmp / "empty.txt"
    p.write_bytes(b"")
    return p, "is empty"


def _binary(tmp):
    p = tmp / "binary.txt"
    p.write_bytes(bytes(range(256)) * 20)
    return p, "looks like a binary file"


def _undecodable(tmp):
    p = tmp / "latin.txt"
    p.write_bytes("Stra\xdfe caf\xe9 na\xefve r\xe9sum\xe9 ".encode("latin-1") * 3)
    return p, "cannot decode the file as UTF-8, UTF-16 or GB18030 (first bad byte at line 1, column 5)"


def _truncated_docx(tmp):
    import docx

    full = tmp / "full.docx"
    document = docx.Document()
    document.add_paragraph("扶贫车间带动就业。" * 50)
    document.save(full)
    p = tmp / "truncated.docx"
    p.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    full.unlink()
    return p, "cannot read the file as a Word document (.docx)"


def _pdf_without_text(tmp):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    p = tmp / "scan.pdf"
    with open(p, "wb") as f:
        writer.write(f)
    return p, "the PDF has no text layer"


def garbled_pdf(codes: bytes, mapping: dict[int, str]) -> bytes:
    """A one-page PDF whose text is ``codes`` in a font whose ToUnicode map is ``mapping``
    (code -> character): a font without its characters' map gives one character for all."""
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def 1 begincodespacerange "
            "<00> <FF> endcodespacerange %d beginbfchar %s endbfchar endcmap CMapName currentdict /CMap "
            "defineresource pop end end" % (len(mapping), " ".join(
                f"<{code:02X}> <{ord(ch):04X}>" for code, ch in mapping.items()))).encode()
    content = b"BT /F1 12 Tf 72 700 Td <" + codes.hex().upper().encode() + b"> Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
               b"/Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
               b"<< /Type /Font /Subtype /TrueType /BaseFont /Fake /FirstChar 0 /LastChar 255 /Widths [%s] "
               b"/ToUnicode 6 0 R >>" % b" ".join([b"500"] * 256),
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap)]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _pdf_of_one_character(tmp):
    # LibreOffice's PDF of a text in a font without Chinese glyphs: every glyph maps to 临
    p = tmp / "garbled.pdf"
    p.write_bytes(garbled_pdf(bytes([1] * 60 + [2] + [1] * 40), {1: "临", 2: " "}))
    return p, "the PDF's text layer does not hold its text (临 stands in 100 of its 100 Chinese characters' places)"


def _csv_missing_text(tmp):
    p = tmp / "cases.csv"
    p.write_text("id,province,body\n1,贵州,发展产业。\n", encoding="utf-8")
    return p, "no column named 'text' (columns found: 'id', 'province', 'body'). Name the text column with --text-field"


def _jsonl_text_elsewhere(tmp):
    # the texts are in another field: the message names it
    p = tmp / "papers.jsonl"
    p.write_text('{"id": "a", "title": "产业扶贫", "text_md": "# 产业扶贫\\n\\n该县发展特色产业，带动贫困户增收，建立利益联结机制。"}\n',
                 encoding="utf-8")
    return p, ("no column named 'text' (columns found: 'id', 'title', 'text_md'). Name the text column with "
               "--text-field (the texts look like column 'text_md': --text-field text_md)")


def _csv_addresses_only(tmp):
    # a table of web addresses holds no case texts: its longest column is not named as one
    p = tmp / "manifest.csv"
    p.write_text("province,source_url\n贵州,https://example.org/gov/2026/report/guizhou-zhengfu-gongzuo-baogao.html\n",
                 encoding="utf-8")
    return p, ("no column named 'text' (columns found: 'province', 'source_url'). Name the text column with "
               "--text-field, or rename the column in the file.")


def _csv_ragged(tmp):
    p = tmp / "ragged.csv"
    p.write_text("id,province,text\n1,贵州,发展产业。\n2,云南,发展,旅游。\n", encoding="utf-8")
    return p, "ragged.csv, line 3: this row has 4 fields but the header has 3"


def _jsonl_bad_line(tmp):
    p = tmp / "bad.jsonl"
    p.write_text('{"id": "a", "text": "发展产业。"}\n{"id": "b", "text": 发展}\n', encoding="utf-8")
    return p, "bad.jsonl, line 2, column 21: invalid JSON (Expecting value)"


def _big_file(tmp):
    p = tmp / "huge.txt"
    chunk = ("巩固拓展脱贫攻坚成果同乡村振兴有效衔接。" * 1000).encode("utf-8")
    with open(p, "wb") as f:
        for _ in range(50_000_000 // len(chunk) + 1):
            f.write(chunk)
    return p, "MB is over the limit of 10 MB for one case"


def _unknown_suffix(tmp):
    p = tmp / "notes.rtf"
    p.write_text("{\\rtf1 hello}", encoding="utf-8")
    return p, "the file type '.rtf' is not supported"


BAD_INPUTS = [_empty, _binary, _undecodable, _truncated_docx, _pdf_without_text, _pdf_of_one_character,
              _csv_missing_text,
              _jsonl_text_elsewhere, _csv_addresses_only, _csv_ragged,
              _jsonl_bad_line, _big_file, _unknown_suffix]


@pytest.mark.parametrize("make_bad", BAD_INPUTS, ids=lambda f: f.__name__.strip("_"))
def test_import_malformed_input_changes_nothing(empty_project, tmp_path, make_bad):
    good = tmp_path / "good.txt"
    good.write_text("已有案例：发展乡村旅游。", encoding="utf-8")
    import_cases(empty_project, [good])
    before = db_snapshot(empty_project)
    bad, expected = make_bad(tmp_path)
    with pytest.raises(ImportFailed) as info:
        import_cases(empty_project, [bad, tmp_path / "good.txt"])
    message = str(info.value)
    assert expected in message
    assert str(bad) in message
    assert "nothing was written" in message and "--skip-bad" in message
    assert db_snapshot(empty_project) == before
    assert empty_project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(list_cases(empty_project)) == 1


def test_import_metadata_naming_unknown_files_changes_nothing(empty_project, tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("发展乡村旅游。", encoding="utf-8")
    (tmp_path / "meta.csv").write_text("file,province\na.txt,贵州\nmissing.txt,云南\n", encoding="utf-8")
    before = db_snapshot(empty_project)
    with pytest.raises(ImportFailed, match=r"1 metadata row\(s\) name no imported case: 'missing.txt' \(line 3\)"):
        import_cases(empty_project, [tmp_path / "c"], meta=tmp_path / "meta.csv")
    assert db_snapshot(empty_project) == before


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_import_gb18030_and_utf16_are_not_errors(empty_project, tmp_path, encoding):
    p = tmp_path / f"{encoding}.txt"
    p.write_bytes("建立健全防止返贫动态监测和帮扶机制。".encode(encoding))
    report = import_cases(empty_project, [p])
    assert report.imported == [p.stem]
    assert list_cases(empty_project)[0].original_text == "建立健全防止返贫动态监测和帮扶机制。"


def test_a_pdf_whose_fonts_map_its_characters_reads_as_written(empty_project, tmp_path):
    text = "临湍县引入防贫保险构建防贫险市场化防线脱贫攻坚取得全面胜利后县财政出资为农村低收入人口购买防贫保险"
    chars = sorted(set(text))
    path = tmp_path / "fine.pdf"
    path.write_bytes(garbled_pdf(bytes(1 + chars.index(c) for c in text), {i + 1: c for i, c in enumerate(chars)}))
    import_cases(empty_project, [path])
    assert list_cases(empty_project)[0].original_text == text


@pytest.mark.parametrize("text,said", [
    ("临" * 40 + "县乡村", "临 stands in 40 of its 43 Chinese characters' places"),
    ("\ue001\ue002\ue003" * 12 + "扶贫车间带动就业" * 5, "36 of its 76 characters are private-use or replacement codes"),
    ("\ufffd" * 10 + "扶贫车间带动就业" * 5, "10 of its 50 characters are private-use or replacement codes"),
    ("的的的的的的的的的的的的的的的", None),  # too few characters to judge
])
def test_garbled_text_layers_are_told_from_text(text, said):
    from caseminer.pipeline.readers import garbled_text_layer

    assert garbled_text_layer(text) == said


def test_no_text_of_the_demo_reads_as_garbled(demo_dir):
    from caseminer.pipeline.readers import garbled_text_layer

    texts = [p.read_text(encoding="utf-8") for p in sorted((demo_dir / "cases").glob("*.txt"))]
    assert len(texts) == 30 and not any(garbled_text_layer(t) for t in texts)
