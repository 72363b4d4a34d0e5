"""Plain tables as Excel sheets, for every layer that exports rows (stats,
normalisation, the CLI's --format xlsx), and the decision sheets of the workbooks a
researcher edits and brings back (review, normalisation)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence


def write_xlsx(sheets: dict[str, tuple[Sequence[str], list[dict[str, Any]]]], path: str | Path) -> None:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, (columns, rows) in sheets.items():
        sheet = workbook.create_sheet(_sheet_name(name))
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_flat(row.get(c)) for c in columns])
        sheet.freeze_panes = "A2"
    workbook.save(str(path))


def decision_sheet(workbook: Any, title: str, columns: Sequence[str], headers_zh: dict[str, str],
                   rows: list[list[Any]], *, decision: str, choices: Sequence[str], widths: Sequence[int],
                   wrap: Sequence[str], freeze: str) -> Any:
    """Fill the active sheet of ``workbook`` with ``rows`` under headings in Chinese and
    English ("决定 decision"; importers read the last word), a drop-down of ``choices``
    in the ``decision`` column (200 rows past the data, for rows the researcher adds),
    column ``widths``, the ``wrap`` columns wrapped, and panes frozen at ``freeze``."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = workbook.active
    sheet.title = title
    sheet.append([f"{headers_zh[c]} {c}" for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        sheet.append(row)
    letter = get_column_letter(list(columns).index(decision) + 1)
    validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{max(len(rows) + 200, 2)}")
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    for name in wrap:
        number = list(columns).index(name) + 1
        for cells in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True)
    sheet.freeze_panes = freeze
    return sheet


def _sheet_name(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "_")
    return name[:31] or "data"


def _flat(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value
