"""The tables workbook (issue 7): every report table as its own sheet.

Layout of each table sheet (chosen so that the Chinese headers can be copied into a
Chinese paper and the English ones into an English paper, without splitting text):

* row 1: Chinese headers (bold), row 2: English headers (bold, grey), data from row
  3; panes frozen below row 2, an autofilter on the English header row;
* numbers stay numbers, at full precision (``Column.fmt`` ``".2f"`` becomes the
  number format ``0.00``; without a ``fmt`` Excel's General format shows them);
* column widths fitted to the text, CJK characters counting 2;
* text that starts with ``=`` is stored as text, never as a formula.

To read a sheet back with pandas: ``pd.read_excel(path, sheet_name=id, header=1)``
(English headers) or ``header=0, skiprows=[1]`` (Chinese headers).

The first sheet, "说明 About", lists the sheets with their table numbers, titles and
notes (each linked to its sheet), then the methods paragraphs. Sheet names are the
table ids, cleaned for Excel (at most 31 characters, none of ``[]:*?/\\``, unique
ignoring case). Exemplar quotes, if any, go to a last sheet ``quotes``.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import __version__
from .model import (
    Column,
    Report,
    Table,
    check_report,
    display_width,
    format_datetime,
    format_value,
    output_file,
    plain,
    rendered_sections,
)

__all__ = ["ABOUT_SHEET", "write_xlsx", "sheet_name", "table_sheets"]

log = logging.getLogger(__name__)

#: Name of the first sheet.
ABOUT_SHEET = "说明 About"
_MAX_CELL = 32767  # Excel's limit on characters in one cell
_MAX_WIDTH = 60
_WIDTH_SAMPLE = 2000  # rows looked at to fit column widths
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(report: Report, path: str | Path) -> Path:
    """Write every table of ``report`` to an Excel workbook and return its path.

    Args:
        report: the report (see :mod:`caseminer.report.model`).
        path: the ``.xlsx`` file; missing folders are created, an existing file is
            replaced only once the new one is complete.

    Returns:
        ``Path(path)``.

    Raises:
        InvalidInput: the report is inconsistent (duplicate ids, bad rows).
        ExchangeError: the file cannot be written (e.g. it is open in Excel).

    Example:
        >>> write_xlsx(report, "out/tables.xlsx")  # doctest: +SKIP
        PosixPath('out/tables.xlsx')
    """
    from openpyxl import Workbook

    path = Path(path)
    check_report(report, path)
    wb = Workbook()
    about = wb.active
    about.title = ABOUT_SHEET
    taken = _reserved_sheets()

    listed: list[tuple[str, int, Table]] = []
    for number, (name, table) in enumerate(_named_tables(report, taken), 1):
        _write_table(wb.create_sheet(name), table)
        listed.append((name, number, table))
    quotes = [(s, q) for s in rendered_sections(report) for q in s.quotes]
    quotes_name = None
    if quotes:
        quotes_name = sheet_name("quotes", taken)
        _write_table(wb.create_sheet(quotes_name), _quotes_table(quotes))
    _write_about(about, report, listed, quotes_name, len(quotes))
    with output_file(path, "Excel workbook") as tmp:
        wb.save(tmp)
    log.info("wrote %s (%d sheets)", path, len(wb.sheetnames))
    return path


def table_sheets(report: Report) -> dict[str, str]:
    """The sheet each table of ``report`` gets in its workbook, by table id.

    The Word report names the sheet where a table it shortens is whole.
    """
    return {table.id: name for name, table in _named_tables(report, _reserved_sheets())}


def _reserved_sheets() -> set[str]:
    return {ABOUT_SHEET.casefold(), "history"}  # "History" is reserved by Excel


def _named_tables(report: Report, taken: set[str]) -> Iterator[tuple[str, Table]]:
    for section in rendered_sections(report):
        for table in section.tables:
            yield sheet_name(table.id, taken), table


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unused Excel sheet name for ``wanted``; adds it to ``taken``.

    ``taken`` holds casefolded names (Excel compares sheet names ignoring case).

    Example:
        >>> taken = set()
        >>> sheet_name("a/b", taken), sheet_name("A_B", taken), sheet_name("x" * 40, taken)
        ('a_b', 'A_B~2', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')
    """
    base = _BAD_SHEET_CHARS.sub("_", wanted).strip().strip("'")[:31] or "table"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f"~{n}"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


def _excel_format(fmt: str) -> str | None:
    match = re.fullmatch(r",?\.(\d+)([f%])", fmt or "")
    if match:
        decimals = int(match.group(1))
        core = "#,##0" if fmt.startswith(",") else "0"
        core += "." + "0" * decimals if decimals else ""
        return core + ("%" if match.group(2) == "%" else "")
    if fmt == ",":
        return "#,##0"
    return None


def _cell_value(value: Any, column: Column | None) -> Any:
    """The value to store: numbers stay numbers, everything else becomes clean text."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = plain(value)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else format_value(value, column)
    text = format_value(value, column) if not isinstance(value, str) else value
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > _MAX_CELL:
        log.warning("a cell of %d characters was cut to Excel's limit of %d", len(text), _MAX_CELL)
        text = text[: _MAX_CELL - 1] + "…"
    return text


def _put(ws, row: int, column: int, value: Any, col: Column | None = None):
    """Write one cell; text starting with '=' stays text (no formula injection)."""
    value = _cell_value(value, col)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def _write_table(ws, table: Table) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    en_font = Font(bold=True, color="555555")
    rule = Border(bottom=Side(style="thin"))
    widths = []
    for col_no, column in enumerate(table.columns, 1):
        zh = _put(ws, 1, col_no, column.zh)
        en = _put(ws, 2, col_no, column.en)
        zh.font, en.font, en.border = bold, en_font, rule
        widths.append(max(display_width(column.zh), display_width(column.en)))
    wrap = Alignment(wrap_text=True, vertical="top")
    for r_no, row in enumerate(table.rows, 3):
        for col_no, column in enumerate(table.columns, 1):
            cell = _put(ws, r_no, col_no, row.get(column.key), column)
            value = cell.value
            if isinstance(value, str):
                width = display_width(value)
                if width > _MAX_WIDTH:
                    cell.alignment = wrap
            elif isinstance(value, float):
                fmt = _excel_format(column.fmt)
                if fmt:  # without one, Excel's General keeps the full precision
                    cell.number_format = fmt
                    width = len(format_value(value, column))
                else:
                    width = min(len(repr(value)), 12)
            else:
                width = len(str(value)) if value is not None else 0
            if r_no - 3 < _WIDTH_SAMPLE and width > widths[col_no - 1]:
                widths[col_no - 1] = width
    for col_no, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col_no)].width = min(max(width, 6), _MAX_WIDTH) + 2
    ws.freeze_panes = "A3"
    if table.columns:
        last = get_column_letter(len(table.columns))
        ws.auto_filter.ref = f"A2:{last}{max(2, len(table.rows) + 2)}"


def _quotes_table(quotes) -> Table:
    columns = [
        Column("section", "章节", "Section"),
        Column("case_id", "案例", "Case"),
        Column("province", "省份", "Province"),
        Column("code", "编码", "Code"),
        Column("start", "起始字符", "Start"),
        Column("end", "结束字符", "End"),
        Column("text", "引文", "Quote"),
    ]
    rows = [
        {"section": s.id, "case_id": q.case_id, "province": q.province, "code": q.code,
         "start": q.start, "end": q.end, "text": q.text}
        for s, q in quotes
    ]
    return Table("quotes", "典型案例引文", "Exemplar quotes", columns, rows)


def _write_about(ws, report: Report, listed, quotes_name: str | None, n_quotes: int) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    bold = Font(bold=True)
    _put(ws, 1, 1, report.title)
    ws["A1"].font = Font(bold=True, size=14)
    row = 2
    for line in (
        report.subtitle,
        f"生成时间 Generated: {format_datetime(report.generated_at)} · caseminer {__version__}",
        "每个表格工作表第 1 行为中文表头，第 2 行为英文表头，数据从第 3 行开始。"
        "Row 1 of each table sheet holds the Chinese headers, row 2 the English ones; "
        "data start on row 3.",
    ):
        if line:
            _put(ws, row, 1, line)
            row += 1
    row += 1
    headers = ["工作表 Sheet", "编号 No.", "中文标题 Title (zh)", "英文标题 Title (en)",
               "行数 Rows", "注 Note"]
    for col_no, text in enumerate(headers, 1):
        ws.cell(row=row, column=col_no, value=text).font = bold
    entries = [(name, f"表 {n} Table {n}", t.title_zh, t.title_en, len(t.rows), t.note)
               for name, n, t in listed]
    if quotes_name:
        entries.append((quotes_name, "", "典型案例引文", "Exemplar quotes", n_quotes, ""))
    for entry in entries:
        row += 1
        for col_no, value in enumerate(entry, 1):
            _put(ws, row, col_no, value)
        link = ws.cell(row=row, column=1)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{entry[0]}'!A1",
                                   display=entry[0])
        link.font = Font(color="2B4C7E", underline="single")
    widths = [max([display_width(str(e[i])) for e in entries] + [display_width(headers[i])])
              for i in range(len(headers))]
    for letter, width in zip("ABCDEF", widths, strict=True):
        ws.column_dimensions[letter].width = min(max(width, 6), 50) + 2
    if report.methods:
        row += 2
        ws.cell(row=row, column=1, value="研究方法 Methods").font = bold
        span = sum(min(max(w, 6), 50) + 2 for w in widths)
        wrap = Alignment(wrap_text=True, vertical="top")
        for paragraph in report.methods:
            row += 1
            cell = _put(ws, row, 1, paragraph)
            cell.alignment = wrap
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
            lines = max(1, math.ceil(display_width(paragraph) / max(span, 1)) + 1)
            ws.row_dimensions[row].height = 15 * lines
