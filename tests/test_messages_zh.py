"""The library's messages in Chinese (caseminer.messages_zh): every catalogued error, every
note of an import and the prose caseminer puts into them, built the way the library builds
them, reads in Chinese; a message with prose that has no Chinese stays English whole."""

import re
import string

import pytest

from caseminer.errors import CaseminerError, InvalidInput, Messages, fail
from caseminer.messages_zh import ERRORS, PROSE, in_language, to_chinese
from caseminer.pipeline.corpus import ImportReport, import_cases

#: Words that stay in Latin letters in the Chinese: names of programs, formats and encodings.
NAMES = {"caseminer", "UTF", "GB", "CSV", "Excel", "WPS", "LibreOffice", "Word", "PDF", "OCR", "HTML", "JSON", "TOML",
         "NUL", "Python", "Dask", "REFI", "QDA", "NVivo", "ATLAS", "ti", "MAXQDA", "QualCoder", "CAJViewer", "CNKI",
         "References", "Acrobat", "ocrmypdf", "OpenDocument", "MB", "id", "zip", "pip", "true", "false", "Client",
         "Executor", "ProcessPoolExecutor", "concurrent", "futures", "distributed", "dask", "txt", "md", "docx",
         "doc", "wps", "pdf", "html", "csv", "xlsx", "xls", "ods", "jsonl", "qdpx", "qdc", "et", "soffice", "xml",
         "CASEMINER_PROJECT", "metadata", "tcp", "install", "DTD", "DOCTYPE", "XML", "slip"}
#: The catalogued errors whose fields are whole English sentences (never translated).
SENTENCES = {"E201", "E401", "E501"}


def english_left(text: str) -> list[str]:
    """The English words (three letters or more) of ``text`` outside quotes ('caseminer import FILE'), options,
    paths and the names above: what a reader of Chinese would still have to read in English."""
    text = re.sub(r"'[^'\n]*'|urn:[^\s。，]+|<\w+>", " ", text)  # quoted, an XML namespace, an element
    words = [w for w in re.split(r"[\s，。：；（）、“”,;:()]+", text) if w]
    return [w for w in words if re.fullmatch(r"[A-Za-z]{3,}", w) and w not in NAMES]  # not ids such as b


def reads_chinese(message: str) -> bool:
    zh = to_chinese(message)
    # a reader's own exception text (why python-docx could not open a file) is quoted as it is
    shown = re.sub(r"(无法作为.*?读取：).*?(。请在相应的程序)", r"\1\2", zh)
    return zh != message and not english_left(shown) and re.search(r"[\u4e00-\u9fff]", zh) is not None


def test_every_catalogued_error_has_chinese_with_the_same_fields():
    codes = {name for name in vars(Messages) if re.fullmatch(r"E\d{3}", name)}
    assert set(ERRORS) == codes - SENTENCES
    for code, zh in ERRORS.items():
        english = {name for _, name, _, _ in string.Formatter().parse(getattr(Messages, code)) if name}
        chinese = [(name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(zh) if name]
        assert {name for name, _, _ in chinese} == english, code
        assert all(conversion is None and not spec for _, conversion, spec in chinese), code
        assert set(PROSE.get(code, ())) <= english, code


def _sample(code: str) -> dict:
    """Values for every field of ``code``: prose fields get prose caseminer writes."""
    from caseminer.pipeline.spreadsheets import _SAVE_AS

    prose = {"meta": "", "hint": "", "kind": "a PDF", "fix": _SAVE_AS,
             "holds": "it is empty, or holds hidden files only",
             "scans": "", "why": "The files given hold no case text (a table without rows?); check them with "
             "'caseminer import'.", "constraint": "true or false", "stage": "segment", "requires": "cases"}
    values = {}
    for _, name, _, _ in string.Formatter().parse(getattr(Messages, code)):
        if name is None:
            continue
        if name in PROSE.get(code, ()):
            values[name] = prose[name]
        elif name == "details":
            values[name] = f"- {Messages.E203.format(path='案例1.txt')}\n- {Messages.E215.format(path='缺.txt')}"
        elif name in ("line", "column", "count", "total", "bad", "got", "expected", "found", "known", "run_id", "size",
                      "limit"):
            values[name] = 7 if name != "column" or code in ("E202", "E211") else "正文"
        elif name == "timeout":
            values[name] = 5.0
        else:
            values[name] = f"值{name}"
    return values


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_each_error_reads_in_chinese_with_its_values_as_written(code):
    values = _sample(code)
    english = getattr(Messages, code).format(**values)
    zh = to_chinese(english)
    assert reads_chinese(english), (english, zh)
    for name, value in values.items():  # the values from outside stay as the English wrote them
        if name not in PROSE.get(code, ()) and name != "details" and value != "":
            template = getattr(Messages, code)
            bare = f"{{{name}}}" in template or f"{{{name}:" in template
            shown = format(value, "g" if name == "timeout" else "") if bare else repr(value)
            assert shown in zh, (name, shown, zh)
    if "details" in values:
        assert "- 案例1.txt 是空文件。" in zh and "- 没有可导入的内容：缺.txt 不存在。" in zh


def test_a_message_with_prose_unknown_here_stays_english_whole():
    english = Messages.E209.format(path="a.docx", kind="a kind of file nobody wrote Chinese for", reason="x")
    assert to_chinese(english) == english
    assert to_chinese("Something no template says.") == "Something no template says."
    assert in_language(Messages.E203.format(path="a.txt"), "en") == Messages.E203.format(path="a.txt")


def _import_error(project, *paths, **options) -> CaseminerError:
    with pytest.raises(CaseminerError) as caught:
        import_cases(project, list(paths), **options)
    return caught.value


def _single(error: CaseminerError) -> str:
    """The one problem of a refused import (E216 lists it), or the error itself."""
    problems = getattr(error, "problems", None)
    return problems[0][1] if problems else error.message


def test_errors_of_an_import_read_in_chinese(empty_project, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    media = tmp_path / "media"
    media.mkdir()
    (media / "a.mp4").write_bytes(b"\0\0")
    (media / "b.mp4").write_bytes(b"\0\0")
    (media / "README.md").write_text("这个文件夹存放录像。", encoding="utf-8")
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "p1.jpg").write_bytes(b"\xff\xd8")
    errors = [_import_error(empty_project, folder) for folder in (empty, media, scans)]
    assert "其中有 2 个 .mp4 文件；README.md（说明文件夹的文件" in to_chinese(errors[1].message)
    assert "扫描页面的图片中没有可读取的文本" in to_chinese(errors[2].message)
    for suffix, content in ((".rtf", b"{\\rtf1 x}"), (".caj", b"CAJ"), (".zip", b"PK\3\4"), (".qdpx", b"PK\3\4"),
                            (".qdc", b"<x/>")):
        path = tmp_path / f"案例{suffix}"
        path.write_bytes(content)
        errors.append(_import_error(empty_project, path))
    (tmp_path / "坏.docx").write_bytes(b"PK\3\4 not a docx")
    (tmp_path / "网页.xls").write_text("<table><tr><td>案例</td></tr></table>", encoding="utf-8")
    (tmp_path / "零.txt").write_bytes(b"abc\0def")
    (tmp_path / "空.txt").write_text("", encoding="utf-8")
    (tmp_path / "表.csv").write_text("编号,内容\n1," + "脱贫攻坚取得决定性胜利" * 5 + "\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,province\n案例1.txt,贵州\n案例2.txt,云南\n", encoding="utf-8")
    for name in ("坏.docx", "网页.xls", "零.txt", "空.txt", "表.csv", "metadata.csv"):
        errors.append(_import_error(empty_project, tmp_path / name, text_field="正文"))
    both = _import_error(empty_project, tmp_path / "零.txt", tmp_path / "空.txt")  # E216 and its list
    errors.append(both)
    messages = [error.message if error is both else _single(error) for error in errors]
    for message in messages:
        assert reads_chinese(message), (message, to_chinese(message))
    zh = to_chinese(both.message)
    assert zh.startswith("2 个文件中有 2 个无法导入；没有写入任何内容。\n- ") and "零.txt 看起来是二进制文件" in zh


def test_errors_of_settings_and_stage_order_read_in_chinese(empty_project):
    from caseminer.errors import InvalidSetting, StageNotRun
    from caseminer.pipeline.discover import discover_words
    from caseminer.pipeline.segment import segment_cases
    from caseminer.pipeline.stats import StatsSettings, stats_tables

    for call in (lambda: segment_cases(empty_project), lambda: discover_words(empty_project),
                 lambda: discover_words(empty_project, overrides={"min_freq": 0}),
                 lambda: discover_words(empty_project, overrides={"no_such": 1}),
                 lambda: stats_tables(empty_project, settings=StatsSettings(source="codes"))):
        with pytest.raises((InvalidSetting, StageNotRun)) as caught:
            call()
        assert reads_chinese(caught.value.message), (caught.value.message, to_chinese(caught.value.message))


def test_every_note_of_an_import_reads_in_chinese():
    report = ImportReport(imported=["c1", "c2"], text_columns={"正文": 2}, references=[("c1", 812)],
                          markup=[("c1", {"tag": 12, "image": 2, "formula": 1})], page_furniture=["c2"],
                          metadata_found="cases/metadata.csv", province_folders={"贵州": ["c1"], "云南": ["c2"]},
                          province_titles={"贵州": ["c1", "c2"]}, compilations=[("汇编.docx", 12, 340), ("b.docx", 3, 0)],
                          passed_over=["cases/p1.jpg", "cases/x"],
                          folder_docs=["README.md", "SOURCE.md", "说明.txt", "LICENSE"],
                          traditional=[(f"c{i}", 0.9) for i in range(7)])
    notes = report.notes() + [report.traditional_warning()]
    assert len(notes) == 11
    for note in notes:
        assert reads_chinese(note), (note, to_chinese(note))
    report = ImportReport(imported=["c1"], passed_over=["cases/a.mp4"], folder_docs=["README.md"],
                          traditional=[("c1", 0.8)])
    for note in (report.passed_over_note(), report.folder_docs_note(), report.traditional_warning()):
        assert reads_chinese(note), (note, to_chinese(note))


def test_a_refused_import_through_fail_keeps_its_code(tmp_path):
    error = fail(InvalidInput, "E203", path=tmp_path / "空.txt")
    assert error.code == "E203" and to_chinese(error.message).endswith("是空文件。请把它移出文件夹或写入文本，然后重新导入。")


def test_the_workbench_s_analysis_that_stopped_reads_in_chinese():
    from caseminer.web.analysis import STOPPED

    message = STOPPED.format(code=-9, project="/home/王/研究")
    assert to_chinese(message) == ("分析进程未给出结果就停止了（退出码 -9）；请查看服务器日志，并运行 "
                                   "'caseminer run --out /home/王/研究' 查看错误。")


@pytest.mark.parametrize("name", ["", "a\0b.txt", "sources\\a.txt", "/etc/passwd", "../evil.txt"])
def test_an_archive_s_refused_member_name_reads_in_chinese(name):
    import zipfile

    from caseminer.errors import ExchangeError
    from caseminer.exchange.safe_archive import check_member_name

    info = zipfile.ZipInfo("x")
    info.filename, info.flag_bits = name, 0x800
    with pytest.raises(ExchangeError) as caught:
        check_member_name(info, source="项目.qdpx")
    assert reads_chinese(caught.value.message), to_chinese(caught.value.message)


def test_a_damaged_or_hostile_exchange_file_reads_in_chinese(tmp_path):
    import zipfile

    from caseminer.errors import ExchangeError
    from caseminer.exchange.safe_archive import SafeZipReader
    from caseminer.exchange.safe_xml import parse_xml, read_xml_file

    messages = []
    for call in (lambda: SafeZipReader(tmp_path / "无.qdpx"), lambda: read_xml_file(tmp_path / "无.qdc"),
                 lambda: parse_xml(b'<!DOCTYPE p [<!ENTITY e "x">]><p>&e;</p>', source="实体.qdc"),
                 lambda: parse_xml(b"<p><q></p>", source="坏.qdc")):
        with pytest.raises(ExchangeError) as caught:
            call()
        messages.append(caught.value.message)
    (tmp_path / "不是.qdpx").write_bytes(b"PK\3\4 not a zip")
    with zipfile.ZipFile(tmp_path / "缺.qdpx", "w") as z:
        z.writestr("sources/a.txt", "x")
    for path, member in ((tmp_path / "不是.qdpx", None), (tmp_path / "缺.qdpx", "project.qde")):
        with pytest.raises(ExchangeError) as caught:
            with SafeZipReader(path) as archive:
                archive.read(member)
        messages.append(caught.value.message)
    for message in messages:  # the parser's or zipfile's own words stay, in brackets (mismatched tag)
        zh = to_chinese(message)
        assert zh != message and not english_left(re.sub(r"（[^（）]*）", "", zh)), (message, zh)


def test_a_codebook_or_project_from_another_program_refused_reads_in_chinese(empty_project, tmp_path):
    import zipfile

    from caseminer.coding.codebook import import_codebook
    from caseminer.coding.codebook_files import read_codebook_file
    from caseminer.coding.codebook_io import load_example
    from caseminer.exchange.refi_codebook import read_qdc
    from caseminer.exchange.refi_project import read_qdpx

    with zipfile.ZipFile(tmp_path / "无项目.qdpx", "w") as z:
        z.writestr("sources/a.txt", "x")
    with zipfile.ZipFile(tmp_path / "错根.qdpx", "w") as z:
        z.writestr("project.qde", '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>')
    (tmp_path / "错根.qdc").write_text('<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0"/>',
                                      encoding="utf-8")
    (tmp_path / "编码.docx").write_bytes(b"PK")
    book = load_example("poverty-six-dimensions")
    import_codebook(empty_project, book, coder="A", source="六维框架.yaml")
    calls = [lambda: read_qdpx(tmp_path / "无项目.qdpx"), lambda: read_qdpx(tmp_path / "错根.qdpx"),
             lambda: read_qdc(tmp_path / "错根.qdc"), lambda: read_codebook_file(tmp_path / "编码.docx"),
             lambda: import_codebook(empty_project, book, coder="A", source="六维框架.yaml")]
    for call in calls:
        with pytest.raises(CaseminerError) as caught:
            call()
        assert reads_chinese(caught.value.message), (caught.value.message, to_chinese(caught.value.message))


def test_decisions_the_library_refuses_read_in_chinese(empty_project, tmp_path):
    # What the workbench's pages meet when a decision is refused: review, merges, the
    # thesaurus, the codebook, codings, memos and the lexicon.
    from caseminer.coding import codebook, codings, memos
    from caseminer.pipeline import lexicon, normalise, review

    p = empty_project
    (tmp_path / "甲.txt").write_text("某县建设扶贫车间，扶贫车间吸纳就业，发展庭院经济。", encoding="utf-8")
    import_cases(p, [tmp_path / "甲.txt"])
    review.decide(p, "甲", "add", "扶贫车间", coder="A")
    normalise.merge(p, "扶贫车间", "车间", coder="A")
    parent = codebook.create_code(p, "产业", coder="A", level="selective")
    child = codebook.create_code(p, "车间", coder="A", parent=parent.id)
    coding = codings.add_coding(p, "甲", child.id, coder="A", span=(4, 8))
    memo = memos.add_memo(p, "project", None, "初稿", coder="A")
    (tmp_path / "词表.csv").write_text("变体,核心\n甲,乙\n", encoding="utf-8")
    (tmp_path / "决定.csv").write_text("variant,core,decision\n庭院经济,经济,maybe\n", encoding="utf-8")
    (tmp_path / "空.csv").write_text("variant,core,decision\n,经济,merge\n", encoding="utf-8")
    (tmp_path / "环.csv").write_text("variant,core\n车间,扶贫车间\n", encoding="utf-8")
    calls = [
        lambda: review.decide(p, "甲", "add", " ", coder="A"),
        lambda: review.decide(p, "甲", "add", "光伏扶贫", coder="A"),
        lambda: review.decide(p, "甲", "accept", "光伏扶贫", coder="A"),
        lambda: review.decide(p, "甲", "rename", "扶贫车间", coder="A"),
        lambda: normalise.merge(p, "", "车间", coder="A"),
        lambda: normalise.merge(p, "车间", "车间", coder="A"),
        lambda: normalise.merge(p, "车间", "扶贫车间", coder="A"),
        lambda: normalise.unmerge(p, "庭院经济", coder="A"),
        lambda: normalise.import_thesaurus(p, tmp_path / "无.csv", coder="A"),
        lambda: normalise.import_thesaurus(p, tmp_path / "词表.csv", coder="A"),
        lambda: normalise.import_thesaurus(p, tmp_path / "决定.csv", coder="A"),
        lambda: normalise.import_thesaurus(p, tmp_path / "空.csv", coder="A"),
        lambda: normalise.import_thesaurus(p, tmp_path / "环.csv", coder="A"),
        lambda: codebook.create_code(p, " ", coder="A"),
        lambda: codebook.merge_codes(p, parent.id, parent.id, coder="A"),
        lambda: codebook.merge_codes(p, parent.id, child.id, coder="A"),
        lambda: codebook.update_code(p, child.id, coder="A", expected_version=99, name="新名"),
        lambda: codebook.code_version(p, "无此编码"),
        lambda: codings.add_coding(p, "甲", child.id, coder="A", span=(4, 8)),
        lambda: codings.delete_coding(p, coding, coder="A", expected_version=99),
        lambda: codings.delete_coding(p, 999, coder="A"),
        lambda: memos.add_memo(p, "project", None, " ", coder="A"),
        lambda: memos.update_memo(p, 999, "x", coder="A"),
        lambda: memos.update_memo(p, memo, "x", coder="B", expected_version=99),
        lambda: lexicon.remove_words(p, ["不在词典"], coder="A"),
    ]
    for number, call in enumerate(calls):
        with pytest.raises(CaseminerError) as caught:
            call()
        message = caught.value.message
        assert reads_chinese(message), (number, message, to_chinese(message))


def _stage_names() -> list[str]:
    """The pipeline's stages and the other names settings and stage order are checked under."""
    from caseminer.pipeline import STAGES

    return [stage.name for stage in STAGES] + ["stopwords", "normalise", "review export", "run", "code auto"]


@pytest.mark.parametrize("stage", _stage_names())
def test_every_stage_a_setting_belongs_to_has_a_chinese_name(stage):
    english = Messages.E306.format(name=repr("x"), stage=stage, known="a, b")
    assert reads_chinese(english), to_chinese(english)
