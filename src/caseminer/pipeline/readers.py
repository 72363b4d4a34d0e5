"""Read case files into raw records: one reader per file type.

A reader turns one file into :class:`RawCase` records (one per file for
documents, one per row for tables) or raises :class:`InvalidInput` naming the
file, the line and column where it can, and the fix. Readers never touch the
project; :mod:`caseminer.pipeline.corpus` decides what to store.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import CaseminerError, InvalidInput, fail
from ..nlp.sections import page_furniture
from . import spreadsheets

DOCUMENT_SUFFIXES = (".txt", ".md", ".docx", ".doc", ".wps", ".pdf", ".html", ".htm")
TABLE_SUFFIXES = (".csv", ".jsonl") + spreadsheets.SUFFIXES
#: ``RawCase.source_kind`` of a table's row (a case of its own file otherwise)
TABLE_KINDS = frozenset(suffix[1:] for suffix in TABLE_SUFFIXES)
SUPPORTED_SUFFIXES = DOCUMENT_SUFFIXES + TABLE_SUFFIXES
_SAVE_AS = (" Open it in Word or WPS and save it as .docx (另存为 / Save As), or convert a folder of them with "
            "LibreOffice: soffice --headless --convert-to docx *{suffix}.")
#: Files of these types in a folder are meant as cases but cannot be read: the import names
#: them with the way to convert them (E208) instead of passing them over as it passes over
#: images and other files.
_CNKI = " It is CNKI's format: open it in CAJViewer and save or print it as PDF, or download the PDF from CNKI."
_SHEET = " Open it in Excel, WPS or LibreOffice and save it as .xlsx or .csv."
_UNPACK = " Unpack it (解压) and import the folder."
#: Images: in a folder of case files, scanned pages, which must be read by OCR first.
SCAN_HINT = ("An image of a scanned page holds no text to read: run it through OCR (文字识别, e.g. in WPS or "
             "Acrobat), save the text as .txt or .docx and import that.")
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif", ".webp", ".heic"})
CONVERTIBLE = {
    ".rtf": _SAVE_AS, ".odt": _SAVE_AS, ".wpd": _SAVE_AS, ".pages": _SAVE_AS,
    ".caj": _CNKI, ".kdh": _CNKI, ".nh": _CNKI,
    ".numbers": _SHEET,
    ".zip": _UNPACK, ".rar": _UNPACK, ".7z": _UNPACK,
    ".qdpx": " It is a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder): import it on its own with "
             "'caseminer import qdpx FILE.qdpx'.",
    ".qdc": " It is a REFI-QDA codebook: import it with 'caseminer codebook import FILE.qdc'.",
}


@dataclass
class RawCase:
    """A case as read from its source, before normalisation."""

    id: str
    text: str
    title: str = ""
    attributes: dict[str, str | None] = field(default_factory=dict)
    source_path: str = ""
    source_kind: str = ""
    source_line: int | None = None
    encoding: str | None = None
    # spans of ``text`` that are the layout, not the document (a PDF's page numbers and
    # running heads): kept in the original, left out of the analysis text
    furniture: list[tuple[int, int]] = field(default_factory=list)
    # every line of ``text`` is a paragraph (a web page's blocks), never a line wrapped by a
    # PDF copy that normalisation would join to the next
    lines_are_paragraphs: bool = False
    # the column of a table the text was read from (None: a document)
    text_column: str | None = None
    # the title was given by a metadata file (案例名称), not read from the case's own file
    title_from_metadata: bool = False


class PartialRead(InvalidInput):
    """Some rows of a table are bad: ``cases`` holds the good ones, ``problems``
    one (path, message) pair per bad row. The import decides (``--skip-bad``)."""

    def __init__(self, message: str, *, cases: list["RawCase"], problems: list[tuple[str, str]]):
        super().__init__(message)
        self.cases = cases
        self.problems = problems


# Title columns of tables, as Chinese researchers name them, after the one TableOptions names.
TITLE_FIELDS = ("title", "Title", "标题", "题目", "案例名称", "案例标题", "名称")
# Id columns as they name them, read when TableOptions names the default "id" and the table has
# no such column: a sheet headed 案例编号 keeps its own case numbers (GZ-01), not FILE-LINE names.
# A row counter (序号) is no id: the same numbers recur in every file.
ID_FIELDS = ("id", "ID", "Id", "case_id", "编号", "案例编号", "案例号", "案例ID", "案例id")
DEFAULT_ID_FIELD = "id"
# Text columns as researchers and scrapers name them, read when TableOptions names the default
# "text" and the table has no such column (a sheet headed 正文, a crawl's full_text).
TEXT_FIELDS = ("text", "Text", "正文", "全文", "内容", "文本", "案例正文", "案例内容", "案例文本", "content",
               "Content", "body", "full_text", "fulltext")
DEFAULT_TEXT_FIELD = "text"


@dataclass(frozen=True)
class TableOptions:
    text_field: str = DEFAULT_TEXT_FIELD
    id_field: str = DEFAULT_ID_FIELD
    title_field: str = "title"


# -- decoding -------------------------------------------------------------------


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Decode a text file: BOM, then UTF-8, UTF-16 without BOM, then GB18030.

    Returns (text, encoding name). A file that no encoding decodes is an error
    naming the first bad byte's line and column (E202); a binary file is E204.
    Never returns mojibake: GB18030 can decode almost any byte string, so its
    result is accepted only if it reads as Chinese text.
    """
    if not data.strip(b"\x00 \t\r\n\xef\xbb\xbf\xff\xfe"):
        raise fail(InvalidInput, "E203", path=path)
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as e:
                raise _decode_error(data, e, path) from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    if b"\x00" in data:
        raise fail(InvalidInput, "E204", path=path, reason="it contains NUL bytes")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        error = utf8_error
    for encoding in ("gb18030", "utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _reads_as_chinese(text):
            return text, encoding
    if _looks_binary(data):
        raise fail(InvalidInput, "E204", path=path, reason="most bytes are not text")
    raise _decode_error(data, error, path)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a BOM shows NUL in every other byte for ASCII, or
    decodes to Chinese text; accept it only when the decoding reads as text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    for encoding, nuls in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        # ASCII-heavy UTF-16 has a NUL in every other byte; Chinese-heavy UTF-16
        # has few, but then every NUL sits on the same side (newlines, digits).
        other = even_nuls if encoding == "utf-16-le" else odd_nuls
        if nuls > 0.3 * half or (nuls > 0 and other == 0 and _decodes_as_chinese(data, encoding)):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _reads_as_text(text):
                return text, encoding
    return None


def _decodes_as_chinese(data: bytes, encoding: str) -> bool:
    try:
        return _reads_as_chinese(data.decode(encoding))
    except UnicodeDecodeError:
        return False


def _reads_as_text(text: str) -> bool:
    if not text:
        return False
    good = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    return good / len(text) > 0.95


def _reads_as_chinese(text: str) -> bool:
    """Decoded text is plausible if most non-ASCII characters are common Han
    characters or CJK punctuation (mojibake is full of rare ones)."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return _reads_as_text(text)
    common = sum(1 for ch in non_ascii if "\u4e00" <= ch <= "\u9fa5" or "\u3000" <= ch <= "\u303f"
                 or "\uff00" <= ch <= "\uffef" or ch in "“”‘’—…·")
    return common / len(non_ascii) > 0.9 and _reads_as_text(text)


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls > 0.05 * len(sample)


def _decode_error(data: bytes, error: UnicodeDecodeError, path: str) -> InvalidInput:
    position = error.start
    before = data[:position]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    if _looks_binary(data):
        return fail(InvalidInput, "E204", path=path, reason=f"undecodable bytes at line {line}, column {column}")
    return fail(InvalidInput, "E202", path=path, line=line, column=column)


# -- document readers -------------------------------------------------------------


def read_text_file(path: Path) -> list[RawCase]:
    text, encoding = decode_bytes(path.read_bytes(), str(path))
    if not text.strip():
        raise fail(InvalidInput, "E203", path=path)
    kind = path.suffix.lower().lstrip(".")
    return [RawCase(id=path.stem, text=text, title=_title_from_text(text, markdown=kind == "md"),
                    source_path=str(path), source_kind=kind, encoding=encoding)]


def read_docx(path: Path) -> list[RawCase]:
    try:
        import docx  # python-docx
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise fail(InvalidInput, "E209", path=path, kind="a Word document (.docx)",
                   reason=f"the file is damaged or truncated ({e})") from None
    except Exception as e:  # python-docx raises its own PackageNotFoundError etc.
        raise fail(InvalidInput, "E209", path=path, kind="a Word document (.docx)", reason=str(e)) from None
    text = "\n".join(_docx_lines(document))
    if not text.strip():
        raise fail(InvalidInput, "E203", path=path)
    title = (document.core_properties.title or "").strip() or _title_from_text(text)
    # Its paragraphs are read as lines of text, not as paragraphs: text pasted from a PDF
    # into Word keeps a paragraph per printed line, which normalisation joins again.
    return [RawCase(id=path.stem, text=text, title=title, source_path=str(path), source_kind="docx")]


def read_doc(path: Path) -> list[RawCase]:
    """A Word 97-2003 document, read by :mod:`caseminer.pipeline.worddoc` (no Word, no
    LibreOffice): its main text, a table row to a line with the cells apart. A WPS Writer
    document (.wps) is read the same way: WPS Office writes it in Word's binary format; one
    it cannot read is an error that says to save it as .docx."""
    from .worddoc import DocFormatError, read_doc_text

    kind = path.suffix.lower().lstrip(".")
    try:
        text = read_doc_text(path.read_bytes())
    except DocFormatError as e:
        what = "a Word 97-2003 document (.doc)" if kind == "doc" else \
            f"a WPS document (.{kind}, read as Word 97-2003; open it in WPS and save it as .docx if it will not read)"
        raise fail(InvalidInput, "E209", path=path, kind=what, reason=str(e)) from None
    if not text.strip():
        raise fail(InvalidInput, "E203", path=path)
    return [RawCase(id=path.stem, text=text, title=_title_from_text(text), source_path=str(path), source_kind=kind)]


def _docx_lines(document) -> Iterator[str]:
    """The body's paragraphs and table rows in document order (a table stays where the
    text refers to it); a row's cells joined by tabs, a merged cell once."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if not isinstance(block, Table):
            yield block.text
            continue
        for row in block.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) not in seen:  # a merged cell is returned once per grid column
                    seen.add(id(cell._tc))
                    cells.append(cell.text)
            yield "\t".join(cells)


def read_pdf(path: Path) -> list[RawCase]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError, TypeError) as e:
        raise fail(InvalidInput, "E209", path=path, kind="a PDF", reason=str(e) or type(e).__name__) from None
    pages = [p.strip("\n") for p in pages]
    text = "\n\n".join(pages)
    if not text.strip():
        raise fail(InvalidInput, "E210", path=path)
    if reason := garbled_text_layer(text):
        raise fail(InvalidInput, "E223", path=path, reason=reason)
    furniture = page_furniture(pages, "\n\n")
    first_content = furniture[0][1] if furniture and furniture[0][0] == 0 else 0  # after a page number on top
    title = _title_from_text(text[first_content:])
    return [RawCase(id=path.stem, text=text, title=title, source_path=str(path), source_kind="pdf",
                    furniture=furniture)]


def garbled_text_layer(text: str) -> str | None:
    """Why the text a PDF's fonts give cannot be its text, or None. A font without a proper
    ToUnicode map gives one character for every glyph (临临临临: no Chinese text has one
    character in a quarter of its places; 的, the commonest, is about 4 %), or codes of the
    private-use area and replacement characters (a font's own numbering)."""
    visible = [c for c in text if not c.isspace()]
    if len(visible) < GARBLED_MIN_CHARS:
        return None
    odd = sum("\ue000" <= c <= "\uf8ff" or c == "\ufffd" for c in visible)
    if odd > 0.1 * len(visible):
        return f"{odd} of its {len(visible)} characters are private-use or replacement codes"
    han = [c for c in visible if "\u4e00" <= c <= "\u9fff"]
    if len(han) >= GARBLED_MIN_CHARS:
        char, count = Counter(han).most_common(1)[0]
        if count > 0.25 * len(han):
            return f"{char} stands in {count} of its {len(han)} Chinese characters' places"
    return None


#: The fewest characters :func:`garbled_text_layer` judges: fewer are no sample.
GARBLED_MIN_CHARS = 30


def read_html(path: Path) -> list[RawCase]:
    from bs4 import BeautifulSoup

    raw, encoding = decode_bytes(path.read_bytes(), str(path))
    soup = BeautifulSoup(raw, "lxml")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    if soup.title:
        soup.title.decompose()
    body = soup.body or soup
    blocks = []
    for element in body.find_all(["p", "h1", "h2", "h3", "h4", "li", "td", "div"]):
        if element.find(["p", "div", "li", "td"]):
            continue  # a container: its children carry the text
        text = element.get_text(" ", strip=True)
        if text:
            blocks.append(text)
    text = "\n".join(blocks) if blocks else body.get_text("\n", strip=True)
    if not text.strip():
        raise fail(InvalidInput, "E203", path=path)
    return [RawCase(id=path.stem, text=text, title=title or _title_from_text(text),
                    source_path=str(path), source_kind="html", encoding=encoding, lines_are_paragraphs=bool(blocks))]


def _title_from_text(text: str, *, markdown: bool = False) -> str:
    """The first non-empty line, if it reads as a title: short, and not a sentence (a
    text that opens with its first paragraph has no title line)."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if markdown:
            line = line.lstrip("#").strip()
            if not line:
                continue
        sentence = "。" in line or line[-1] in "。.！!？?；;，,"
        return line if len(line) <= 60 and not sentence else ""
    return ""


# -- table readers -------------------------------------------------------------------


def read_csv(path: Path, options: TableOptions) -> list[RawCase]:
    text, encoding = decode_bytes(path.read_bytes(), str(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise fail(InvalidInput, "E203", path=path) from None
    header = [h.strip() for h in header]
    rows: list[tuple[int, list[str]]] = []
    try:
        for line, row in _numbered_rows(reader):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise fail(InvalidInput, "E206", path=path, line=line, got=len(row), expected=len(header))
            rows.append((line, row))
    except csv.Error as e:
        raise fail(InvalidInput, "E201", path=path, what=f"line {reader.line_num}: malformed CSV ({e})",
                   fix="Check the quotes on that line.") from None
    return _table_cases(path, header, rows, options, kind="csv", encoding=encoding)


def read_workbook_table(path: Path, options: TableOptions) -> list[RawCase]:
    """A table of cases in the first sheet of a workbook (.xlsx, .xls, .ods)."""
    header, rows = sheet_rows(path)
    return _table_cases(path, header, rows, options, kind=path.suffix.lower()[1:], encoding=None)


def read_jsonl(path: Path, options: TableOptions) -> list[RawCase]:
    text, encoding = decode_bytes(path.read_bytes(), str(path))
    cases = []
    header_keys: list[str] = []
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise fail(InvalidInput, "E211", path=path, line=number, column=e.colno, reason=e.msg) from None
        if not isinstance(obj, dict):
            raise fail(InvalidInput, "E211", path=path, line=number, column=1,
                       reason=f"found a JSON {type(obj).__name__}, not an object")
        for key in obj:
            if key not in header_keys:
                header_keys.append(key)
        rows.append((number, obj))
    if not rows:
        raise fail(InvalidInput, "E203", path=path)
    table_rows = [(n, [_cell(obj.get(k)) for k in header_keys]) for n, obj in rows]
    cases = _table_cases(path, header_keys, table_rows, options, kind="jsonl", encoding=encoding)
    return cases


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


#: Least mean number of Chinese characters of a column named as the likely text column in E205.
TEXT_COLUMN_HINT_CHARS = 20
_HAN_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _han_means(header: list[str], rows: list[tuple[int, list[str]]]) -> list[float]:
    """Mean number of Chinese characters in each column's cells."""
    return [sum(len(_HAN_CHAR.findall(row[i])) for _, row in rows if i < len(row)) / max(len(rows), 1)
            for i in range(len(header))]


def _text_column_hint(header: list[str], rows: list[tuple[int, list[str]]]) -> str:
    """`` (the texts look like column 'body': --text-field body)`` for the column whose
    cells hold the most Chinese characters on average, if that is enough to be the case
    texts; else "". Characters of Chinese, not length: a column of web addresses is long."""
    if not header or not rows:
        return ""
    means = _han_means(header, rows)
    best = max(range(len(header)), key=means.__getitem__)
    if means[best] < TEXT_COLUMN_HINT_CHARS or not header[best]:
        return ""
    return f" (the texts look like column {header[best]!r}: --text-field {header[best]})"


def _text_column(path: Path, header: list[str], rows: list[tuple[int, list[str]]], text_field: str) -> int:
    """The index of the text column: the one ``text_field`` names; with the default ("text"),
    the first of :data:`TEXT_FIELDS` the header has whose cells hold texts (on average at
    least :data:`TEXT_COLUMN_HINT_CHARS` Chinese characters: a 内容 column of short labels is
    no text column). Else E205, naming the columns and the likely one."""
    if text_field in header:
        return header.index(text_field)
    if text_field == DEFAULT_TEXT_FIELD:
        means = _han_means(header, rows)
        for name in TEXT_FIELDS:
            if name in header and means[header.index(name)] >= TEXT_COLUMN_HINT_CHARS:
                return header.index(name)
    raise fail(InvalidInput, "E205", path=path, column=text_field, found=_column_names(header),
               hint=_text_column_hint(header, rows), meta=_metadata_hint(path, rows))


def _metadata_hint(path: Path, rows: list[tuple[int, list[str]]]) -> str:
    """What to do with a table of the cases' metadata read as a table of cases (a folder's
    metadata.csv, imported without --meta): most cells of its first column name documents."""
    named = [row[0].strip() for _, row in rows if row and row[0].strip().lower().endswith(DOCUMENT_SUFFIXES)]
    if not named or len(named) * 2 <= len(rows):
        return ""
    return (f" Its first column names files ({named[0]!r} ...): if it holds the cases' metadata, give it "
            f"with --meta {path} (a folder's metadata file given so is not read as cases).")


def _column_names(header: list[str]) -> str:
    """The header as error messages list it: 'id', 'text' (or "none")."""
    return ", ".join(repr(h) for h in header) or "none"


def _id_column(path: Path, header: list[str], rows: list[tuple[int, list[str]]], id_field: str) -> int | None:
    """The index of the id column: the one ``id_field`` names; with the default ("id"), the
    first of :data:`ID_FIELDS` the header has whose values are all given and all different,
    or None (rows are named FILE-LINE, the only row of a file FILE). A column numbered per
    group (编号 1, 2, 1, 2 for each county) is no id: it stays an attribute, as before it was
    read. A column named on purpose (--id-field) that the table lacks is an error, not
    another column."""
    if id_field in header:
        return header.index(id_field)
    if id_field != DEFAULT_ID_FIELD:
        raise fail(InvalidInput, "E218", path=path, column=id_field, found=_column_names(header))
    for name in ID_FIELDS:
        if name in header:
            i = header.index(name)
            values = [row[i].strip() if i < len(row) else "" for _, row in rows]
            if all(values) and len(set(values)) == len(values):
                return i
    return None


def _numbered_rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """The rows of a ``csv.reader`` with the line each starts on. ``reader.line_num`` is
    the line a row ends on: a case text with line breaks in it spans many lines."""
    end = reader.line_num
    for row in reader:
        yield end + 1, row
        end = reader.line_num


def _table_cases(path: Path, header: list[str], rows: list[tuple[int, list[str]]], options: TableOptions,
                 *, kind: str, encoding: str | None) -> list[RawCase]:
    text_index = _text_column(path, header, rows, options.text_field)
    id_index = _id_column(path, header, rows, options.id_field)
    title_index = next((header.index(name) for name in (options.title_field, *TITLE_FIELDS) if name in header), None)
    cases = []
    problems: list[tuple[str, str]] = []
    seen: dict[str, int] = {}

    def unnamed(line: int) -> str:
        # A row without an id is named by its file and line; the only row of a file (a crawl's
        # one report per file) by its file alone, as a document is.
        return path.stem if len(rows) == 1 else f"{path.stem}-{line}"

    for number, row in rows:
        text = row[text_index]
        if not text.strip():
            problems.append((str(path), fail(InvalidInput, "E212", path=path, line=number,
                                               column=header[text_index]).message))
            continue
        case_id = row[id_index].strip() if id_index is not None and row[id_index].strip() else unnamed(number)
        if case_id in seen:
            problems.append((str(path), fail(InvalidInput, "E214", path=path, line=number, case_id=case_id).message))
            continue
        seen[case_id] = number
        attributes = {
            name: (value if value != "" else None)
            for i, (name, value) in enumerate(zip(header, row))
            if i not in (text_index, id_index, title_index) and name
        }
        title = row[title_index].strip() if title_index is not None else ""
        cases.append(RawCase(id=case_id, text=text, title=title, attributes=attributes, source_path=str(path),
                             source_kind=kind, source_line=number, encoding=encoding,
                             text_column=header[text_index]))
    if problems:
        raise PartialRead(f"{path}: {len(problems)} bad row(s)", cases=cases, problems=problems)
    return cases


def folder_metadata(folders: list[Path], files: list[Path]) -> Path | None:
    """The metadata file kept in a folder of cases (cases/metadata.csv), given without
    --meta: the one table right in a folder given whose key column (:func:`read_metadata`)
    names, in half of its rows or more, documents of ``files`` (by name, with or without
    suffix; the other rows may name cases still to come, which the import then names);
    None where no table does, or more than one (then the import names the table it cannot
    read as cases, and --meta chooses)."""
    documents = {name for f in files if f.suffix.lower() in DOCUMENT_SUFFIXES for name in (f.name, f.stem)}
    if not documents:
        return None
    found = []
    for path in files:
        if path.parent not in folders or path.suffix.lower() not in (".csv", ".tsv", *spreadsheets.SUFFIXES):
            continue
        try:
            key, rows = read_metadata(path)
        except CaseminerError:
            continue
        names = [(row.get(key) or "").strip() for _, row in rows]
        if names and sum(name in documents for name in names) * 2 >= len(names):
            found.append(path)
    return found[0] if len(found) == 1 else None


def read_metadata(path: Path) -> tuple[str, list[tuple[int, dict[str, str | None]]]]:
    """Read a metadata CSV/TSV/XLSX: returns (key column name, [(line, row dict)]).

    The key column is the one named file/filename/id/case_id (or 文件/文件名), else an id
    column of :data:`ID_FIELDS` (编号, 案例编号), else the first column; it holds file names
    (with or without suffix) or case ids.
    """
    path = Path(path)
    if not path.is_file():
        raise fail(InvalidInput, "E215", path=path)
    suffix = path.suffix.lower()
    if suffix in spreadsheets.SUFFIXES:
        header, raw_rows = sheet_rows(path)
    elif suffix in (".csv", ".tsv", ".txt"):
        text, _encoding = decode_bytes(path.read_bytes(), str(path))
        dialect = csv.excel_tab if suffix == ".tsv" else csv.excel
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        header = [h.strip() for h in next(reader, [])]
        raw_rows = []
        for line, row in _numbered_rows(reader):
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise fail(InvalidInput, "E206", path=path, line=line, got=len(row), expected=len(header))
            raw_rows.append((line, row))
    else:
        raise fail(InvalidInput, "E208", path=path, suffix=suffix, hint=_conversion_hint(suffix))
    if not header or not header[0]:
        raise fail(InvalidInput, "E201", path=path, what="the metadata file has no header row",
                   fix="Its first row must name the columns; the first column holds file names or case ids.")
    named = ("file", "filename", "id", "case_id", "文件", "文件名")
    ids = tuple(name.lower() for name in ID_FIELDS)
    key = next((h for h in header if h.lower() in named), None) or next(
        (h for h in header if h.lower() in ids), header[0])
    rows = [(n, {h: (v.strip() or None) for h, v in zip(header, row)}) for n, row in raw_rows]
    return key, rows


def sheet_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the numbered rows (as text, padded to the header) of a workbook's
    first sheet, as Excel, WPS or LibreOffice saved it (:mod:`.spreadsheets`); rows with no
    text are left out."""
    values = spreadsheets.first_sheet(path).rows
    if not values:
        raise fail(InvalidInput, "E203", path=path)
    header = [_cell_text(h).strip() for h in values[0]]
    while header and not header[-1]:
        header.pop()
    rows = []
    for number, row in enumerate(values[1:], start=2):
        cells = [_cell_text(v) for v in row[: len(header)]]
        cells += [""] * (len(header) - len(cells))
        if any(c.strip() for c in cells):
            rows.append((number, cells))
    return header, rows


def _cell_text(value) -> str:
    """A cell as text: a date without a time of 00:00:00 (2024-05-01, not 2024-05-01 00:00:00)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return str(value)


READERS: dict[str, Callable[..., list[RawCase]]] = {
    ".txt": read_text_file,
    ".md": read_text_file,
    ".docx": read_docx,
    ".doc": read_doc,
    ".wps": read_doc,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
}
TABLE_READERS = {".csv": read_csv, ".jsonl": read_jsonl, **dict.fromkeys(spreadsheets.SUFFIXES, read_workbook_table)}


def read_file(path: Path, options: TableOptions) -> list[RawCase]:
    suffix = path.suffix.lower()
    if suffix in READERS:
        return READERS[suffix](path)
    if suffix in TABLE_READERS:
        return TABLE_READERS[suffix](path, options)
    raise fail(InvalidInput, "E208", path=path, suffix=suffix, hint=_conversion_hint(suffix))


def _conversion_hint(suffix: str) -> str:
    return CONVERTIBLE.get(suffix, "").format(suffix=suffix)


# A dataset's folder documents itself in files of these names (README.md, SOURCE.md,
# LICENSE.txt, 说明.txt); read as a case, such a file would count as one and bring its
# words (UTF, BOM, licence terms) into the corpus. Stems compared in lower case; a README
# may carry a language or other suffix (README_zh.md, README.en.txt).
FOLDER_DOC_STEMS = frozenset({"source", "sources", "license", "licence", "copying", "changelog", "citation",
                              "notice", "authors", "contributing",
                              "说明", "数据说明", "使用说明", "说明文档"})
FOLDER_DOC_SUFFIXES = frozenset({".md", ".txt"})


def is_folder_doc(path: Path) -> bool:
    """Whether a file in a folder of cases documents the folder (README.md, SOURCE.md ...)."""
    stem = path.stem.lower()
    return path.suffix.lower() in FOLDER_DOC_SUFFIXES and (
        stem in FOLDER_DOC_STEMS or stem == "readme" or stem.startswith(("readme_", "readme-", "readme.")))


def _folder_holds(docs: list[Path], others: list[Path]) -> dict[str, str]:
    """What a folder without case files holds, the fields of E224."""
    if not docs and not others:
        return {"holds": "it is empty, or holds hidden files only", "scans": ""}
    kinds: dict[str, int] = {}
    for path in others:
        suffix = path.suffix.lower() or "file(s) without extension"
        kinds[suffix] = kinds.get(suffix, 0) + 1
    parts = [f"{count} {suffix}" for suffix, count in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))]
    if docs:
        parts.append(", ".join(p.name for p in docs[:3]) + ", which document the folder and are read as "
                     "cases only when given by their own path")
    scans = f" {SCAN_HINT}" if kinds.keys() & IMAGE_SUFFIXES else ""
    return {"holds": "it holds " + "; ".join(parts), "scans": scans}


def iter_files(paths: list[Path], passed_over: list[Path] | None = None,
               folder_docs: list[Path] | None = None) -> Iterator[Path]:
    """The files to import: given files as they are, folders walked in sorted order.
    In folders, hidden files and the lock files Word and Excel keep beside an open file
    (~$案例1.docx, which hold the user's name, no text) are left out, and files of other
    types (images, media) are passed over,
    and appended to ``passed_over`` if given, so that the import can say what it left
    (a folder of case files often holds scanned pages); documents of a type that must be
    converted first (:data:`CONVERTIBLE`: .rtf, .caj ...) are not, so that the import names
    them (E208) rather than import a folder of them as nothing. Files that document the
    folder (:func:`is_folder_doc`: README.md, SOURCE.md) are left out and appended to
    ``folder_docs`` if given; given by their own path, they are read as cases. A folder
    with no file to read is an error (E224) that says what it holds: a wrong folder given
    would otherwise import nothing and succeed."""
    for path in paths:
        if path.is_dir():
            found, docs, others = 0, [], []
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith((".", "~$")) for part in child.relative_to(path).parts):
                    if is_folder_doc(child):
                        docs.append(child)
                    elif child.suffix.lower() in SUPPORTED_SUFFIXES or child.suffix.lower() in CONVERTIBLE:
                        found += 1
                        yield child
                    else:
                        others.append(child)
            if not found:
                raise fail(InvalidInput, "E224", path=path, **_folder_holds(docs, others))
            if folder_docs is not None:
                folder_docs.extend(docs)
            if passed_over is not None:
                passed_over.extend(others)
        elif path.exists():
            yield path
        else:
            raise fail(InvalidInput, "E215", path=path)
