"""Workbooks as Excel, WPS and LibreOffice save them: .xlsx, .xls and .ods, read alike.

A researcher opens a workbook caseminer wrote (the review workbook, the merge
suggestions) or keeps the cases' metadata in whatever the spreadsheet program saves:
LibreOffice offers its own format (.ods) when a workbook is saved, WPS and older Excel
save Excel 97-2003 (.xls), and WPS's own .et is written in that format too. Each is read
here into one shape, the sheets in order with their rows of cell values (str, int for a
whole number, float, bool, datetime or None; empty cells and rows at the end of a row or
a sheet are dropped), so that every reader of a workbook takes them all.

The kind of file is told by its first bytes, not its name: a workbook saved as .xlsx
and renamed .xls is read as .xlsx, and a file that is no workbook (a web page or a CSV
that a web system's 导出Excel names .xls) is refused with what it is and how to save it.
An .ods file is a zip archive of XML: its ``content.xml`` is read with entities and DTDs
refused (:mod:`defusedxml`) and no larger than :data:`MAX_XML_BYTES` unpacked.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import InvalidInput, fail

#: What the readers of this module take (``.xlsm``: a workbook with macros, which are not run;
#: ``.et``: WPS's own spreadsheet, which WPS writes in Excel 97-2003's format and is read so).
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods")
#: The largest ``content.xml`` of an .ods file read (unpacked): a workbook of a million cells
#: is about 100 MB; a larger one is more likely a zip bomb than a table of cases.
MAX_XML_BYTES = 400 * 1024 * 1024

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Excel 97-2003 (and WPS .et)
_ZIP = b"PK\x03\x04"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_SAVE_AS = "Open it in Excel, WPS or LibreOffice and save it as an Excel workbook (.xlsx, 另存为 Excel 工作簿)"


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its name and its rows of cell values."""

    name: str
    rows: list[tuple]


def read_workbook(path: str | Path) -> list[Sheet]:
    """The sheets of the workbook at ``path`` (.xlsx/.xlsm, .xls or .ods, told by content),
    in the workbook's order, hidden ones included."""
    path = Path(path)
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(_ZIP):
        return _read_zip(path)
    if head == _OLE2:
        return _read_xls(path)
    raise _unreadable(path, "an Excel, WPS or LibreOffice workbook", _not_a_workbook(path))


def first_sheet(path: str | Path) -> Sheet:
    """The first sheet of the workbook at ``path`` (its data, when it holds a table)."""
    sheets = read_workbook(path)
    if not sheets:
        raise _unreadable(path, "a workbook", "it has no sheet")
    return sheets[0]


def lost_zeros_hint(value: str, names: Iterable[str]) -> str:
    """Where ``value`` is a name of ``names`` that lost its leading zeros, a hint saying so:
    Excel and WPS turn an id typed as 01 into the number 1 (and keep 01 only in a cell
    formatted as text), so a row added by hand names no case. "" where none or several match.
    """
    if not (value.isascii() and value.isdigit()):
        return ""
    found = sorted({n for n in names
                    if n != value and n.isascii() and n.isdigit() and n.lstrip("0") == value.lstrip("0")})
    if len(found) != 1:
        return ""
    return (f"a spreadsheet turns {found[0]} into {value}: format the column as text (设置单元格格式 → 文本) "
            f"or type '{found[0]} with the apostrophe")


def _unreadable(path: Path, kind: str, reason: str) -> InvalidInput:
    return fail(InvalidInput, "E221", path=path, kind=kind, reason=reason.rstrip(". "), fix=_SAVE_AS)


def _not_a_workbook(path: Path) -> str:
    """What a file that is no workbook seems to be: web systems' 导出Excel often writes an
    HTML table or a CSV and names it .xls."""
    with path.open("rb") as f:
        start = f.read(2048).lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff\x00 \t\r\n").lower()
    if start.startswith((b"<", b"<\x00")):
        return "it is a web page (an HTML table) with a spreadsheet's name"
    if not start:
        return "it is empty"
    if b"\x00" not in start:
        return "it is a text file (perhaps CSV) with a spreadsheet's name; give it the suffix .csv, or save it as .xlsx"
    return "its content is no Excel (.xlsx, .xls) or LibreOffice (.ods) workbook"


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _trim(rows: list[tuple]) -> list[tuple]:
    """Rows without their empty cells at the end, and without empty rows at the end."""
    out = []
    for row in rows:
        cells = list(row)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        out.append(tuple(cells))
    while out and not out[-1]:
        out.pop()
    return out


# --- .xlsx / .xlsm and .ods: zip archives -------------------------------------------


def _read_zip(path: Path) -> list[Sheet]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
                return _read_ods(path, archive)
    except zipfile.BadZipFile as e:
        raise _unreadable(path, "a workbook (a zip archive)", f"the archive is damaged ({e})") from None
    if "xl/workbook.xml" not in names:
        kind = ("a Word document" if "word/document.xml" in names
                else "an OpenDocument file other than a spreadsheet" if "mimetype" in names else "a zip archive")
        raise _unreadable(path, "an Excel or LibreOffice workbook", f"it is {kind}, not a workbook")
    return _read_xlsx(path)


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    # Opened as a file object: openpyxl judges a path by its suffix and refuses an .xlsx
    # named .xls, which this module reads by its content.
    with path.open("rb") as f:
        try:
            workbook = openpyxl.load_workbook(f, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many types for damaged files
            raise _unreadable(path, "an Excel workbook (.xlsx)", str(e) or type(e).__name__) from None
        try:
            return [Sheet(ws.title, _trim([tuple(map(_xlsx_value, row)) for row in ws.iter_rows(values_only=True)]))
                    for ws in workbook.worksheets]
        except Exception as e:
            raise _unreadable(path, "an Excel workbook (.xlsx)", str(e) or type(e).__name__) from None
        finally:
            workbook.close()


def _xlsx_value(value):
    return _number(value) if isinstance(value, float) else value


# --- .xls (Excel 97-2003, as WPS and LibreOffice also write it) ----------------------


def _read_xls(path: Path) -> list[Sheet]:
    import xlrd

    kind = ("a WPS spreadsheet (.et, read as Excel 97-2003)" if path.suffix.lower() == ".et"
            else "an Excel 97-2003 workbook (.xls)")
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as e:  # xlrd raises XLRDError, struct.error, ... for damaged or foreign files
        raise _unreadable(path, kind, str(e) or type(e).__name__) from None
    try:
        sheets = []
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            rows = [tuple(_xls_value(ws.cell(r, c), book.datemode) for c in range(ws.row_len(r)))
                    for r in range(ws.nrows)]
            sheets.append(Sheet(ws.name, _trim(rows)))
        return sheets
    except Exception as e:
        raise _unreadable(path, kind, str(e) or type(e).__name__) from None
    finally:
        book.release_resources()


def _xls_value(cell, datemode: int):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return _number(float(cell.value))
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return _number(float(cell.value))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value


# --- .ods (LibreOffice, OpenDocument) ---------------------------------------------------

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELLS = (_TABLE + "table-cell", _TABLE + "covered-table-cell")
#: Containers a sheet's rows may sit in (header rows, groups of rows)
_ROW_GROUPS = tuple(_TABLE + n for n in ("table-header-rows", "table-row-group", "table-rows"))
#: Repeats beyond this are the empty rest of a sheet (1,048,576 rows, 16,384 columns), never data.
_MAX_REPEAT = 1 << 20


def _read_ods(path: Path, archive: zipfile.ZipFile) -> list[Sheet]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        info = archive.getinfo("content.xml")
    except KeyError:
        raise _unreadable(path, "a LibreOffice workbook (.ods)", "the archive holds no content.xml") from None
    if info.file_size > MAX_XML_BYTES:
        raise _unreadable(path, "a LibreOffice workbook (.ods)",
                          f"its content.xml unpacks to {info.file_size:,} bytes, over the {MAX_XML_BYTES:,} bytes "
                          "caseminer reads")
    try:
        root = fromstring(archive.read(info))
    except DefusedXmlException as e:
        raise _unreadable(path, "a LibreOffice workbook (.ods)", f"its XML declares entities or a DTD ({e!r}), "
                          "which caseminer does not read") from None
    except Exception as e:  # ParseError, zlib.error, BadZipFile on a damaged member
        raise _unreadable(path, "a LibreOffice workbook (.ods)", str(e) or type(e).__name__) from None
    body = root.find(f"{_OFFICE}body/{_OFFICE}spreadsheet")
    if body is None:
        raise _unreadable(path, "a LibreOffice workbook (.ods)", "it holds no spreadsheet")
    return [Sheet(table.get(_TABLE + "name", f"Sheet{i}"), _trim(list(_ods_rows(table))))
            for i, table in enumerate(body.findall(_TABLE + "table"), start=1)]


def _ods_rows(element):
    """The rows of a table element, repeats unrolled; a run of empty rows is held back
    until a row with data follows (the empty rest of a sheet is one row repeated a million
    times)."""
    pending = 0
    for child in element:
        if child.tag in _ROW_GROUPS:
            for row in _ods_rows(child):
                if row:
                    yield from [()] * pending
                    pending = 0
                    yield row
                else:
                    pending += 1
            continue
        if child.tag != _TABLE + "table-row":
            continue
        repeat = min(int(child.get(_TABLE + "number-rows-repeated", "1")), _MAX_REPEAT)
        row = _ods_cells(child)
        if not row:
            pending += repeat
            continue
        yield from [()] * pending
        pending = 0
        yield from [row] * repeat


def _ods_cells(row) -> tuple:
    cells: list = []
    pending = 0  # empty cells not yet written: they count only if a cell with data follows
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        repeat = min(int(cell.get(_TABLE + "number-columns-repeated", "1")), _MAX_REPEAT)
        value = _ods_value(cell)
        if value is None or value == "":
            pending += repeat
            continue
        cells.extend([None] * pending)
        pending = 0
        cells.extend([value] * repeat)
    return tuple(cells)


def _ods_value(cell):
    kind = cell.get(_OFFICE + "value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            return _number(float(cell.get(_OFFICE + "value")))
        except (TypeError, ValueError):
            pass
    elif kind == "date":
        try:
            return dt.datetime.fromisoformat(cell.get(_OFFICE + "date-value", ""))
        except ValueError:
            pass
    elif kind == "boolean":
        return cell.get(_OFFICE + "boolean-value") == "true"
    elif kind == "string" and cell.get(_OFFICE + "string-value") is not None:
        return cell.get(_OFFICE + "string-value")
    paragraphs = cell.findall(_TEXT + "p")
    if not paragraphs:
        return None
    return "\n".join(_ods_text(p) for p in paragraphs)


def _ods_text(element) -> str:
    """A paragraph's text: spans and links read through, ``text:s`` as its count of spaces
    (OpenDocument writes a run of spaces so), tabs and line breaks as themselves."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _TEXT + "s":
            parts.append(" " * int(child.get(_TEXT + "c", "1")))
        elif child.tag == _TEXT + "tab":
            parts.append("\t")
        elif child.tag == _TEXT + "line-break":
            parts.append("\n")
        else:
            parts.append(_ods_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
