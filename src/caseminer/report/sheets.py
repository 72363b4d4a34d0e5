"""Plain tables as Excel sheets, for every layer that exports rows (stats,
normalisation, the CLI's --format xlsx)."""

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


def _sheet_name(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "_")
    return name[:31] or "data"


def _flat(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value
