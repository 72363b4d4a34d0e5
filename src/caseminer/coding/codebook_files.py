"""Codebook files of every kind caseminer reads and writes, told apart by their suffix.

A REFI-QDA codebook (.qdc: NVivo, ATLAS.ti, MAXQDA, QualCoder), caseminer's YAML, or
the coding table a paper prints (.xlsx, .xls, .et, .ods, .csv: a row per open code,
codes from broad to narrow in columns, quotations coded where the cases write them).
The command line and the workbench both import and export through these two functions,
so that a file means the same wherever it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput, InvalidSetting
from ..pipeline.spreadsheets import SUFFIXES as SHEET_SUFFIXES
from ..project import Project
from . import codebook as cb
from .codebook_table import TableCodebook
from .model import Codebook

TABLE_SUFFIXES = (*SHEET_SUFFIXES, ".csv")
READ_SUFFIXES = (".qdc", ".yaml", ".yml", *TABLE_SUFFIXES)
EXPORT_FORMATS = ("qdc", "yaml", "xlsx")


@dataclass
class CodebookFileImport:
    """What :func:`import_codebook_file` did: the codebook read, the coding table it came from
    (None for .qdc and .yaml), and the codes and codings written."""

    codebook: Codebook
    table: TableCodebook | None
    result: cb.TableImport


def level_counts(codebook: Codebook) -> dict[str, int]:
    """Codes per level ("free" for codes without one), in the order the levels first come."""
    counts: dict[str, int] = {}
    for code in codebook:
        counts[code.level or "free"] = counts.get(code.level or "free", 0) + 1
    return counts


def read_codebook_file(path: str | Path) -> tuple[Codebook, TableCodebook | None]:
    """The codebook in ``path``, its kind told by its suffix, and the coding table it was read
    from (None for .qdc and .yaml), whose quotations an import codes."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        from .codebook_table import read_codebook_table

        table = read_codebook_table(path)
        return table.codebook, table
    if suffix == ".qdc":
        from ..exchange.refi_codebook import read_qdc

        return read_qdc(path), None
    if suffix in (".yaml", ".yml"):
        from .codebook_io import read_codebook_yaml

        return read_codebook_yaml(path), None
    raise InvalidInput(f"{path.name}: a codebook is a .qdc (REFI-QDA: NVivo, ATLAS.ti, MAXQDA, QualCoder) "
                       "or .yaml file, or a coding table (.xlsx, .xls, .et, .ods, .csv); save it as one of "
                       "these.")


def import_codebook_file(project: Project, path: str | Path, *, coder: str,
                         source: str | None = None) -> CodebookFileImport:
    """Import the codebook in ``path`` (:func:`read_codebook_file`); a coding table's
    quotations are coded, by ``coder``, where the cases write them. ``source`` names the
    file in the project's history (default: the path)."""
    codebook, table = read_codebook_file(path)
    return store_codebook(project, codebook, table, coder=coder, source=source or str(path))


def store_codebook(project: Project, codebook: Codebook, table: TableCodebook | None, *, coder: str,
                   source: str) -> CodebookFileImport:
    """Import a codebook :func:`read_codebook_file` read: its codes, and where it came from a
    coding table, the table's quotations coded by ``coder``."""
    if table is not None:
        return CodebookFileImport(codebook, table, cb.import_coding_table(project, table, coder=coder, source=source))
    ids = cb.import_codebook(project, codebook, coder=coder, source=source)
    return CodebookFileImport(codebook, None, cb.TableImport(code_ids=ids))


def export_codebook_file(project: Project, path: str | Path, fmt: str) -> int:
    """Write the codebook to ``path`` as ``fmt``: "qdc" (REFI-QDA, validated against its
    schema), "yaml", or "xlsx" (the coding table a paper prints: a row per open code with its
    description, terms and an example quotation; roles and colours travel in qdc and yaml).
    Returns the number of codes (xlsx: rows) written."""
    if fmt == "xlsx":
        from ..report.sheets import write_xlsx
        from .framework import CODING_TABLE_COLUMNS, coding_table_rows

        rows = coding_table_rows(project)
        write_xlsx({"编码表": (CODING_TABLE_COLUMNS, rows)}, path)
        return len(rows)
    if fmt not in EXPORT_FORMATS:
        raise InvalidSetting(f"Unknown codebook format {fmt!r}. Choose one of: {', '.join(EXPORT_FORMATS)}.")
    from ..exchange.refi_codebook import write_qdc
    from .codebook_io import write_codebook_yaml

    codebook = cb.load_codebook(project)
    (write_qdc if fmt == "qdc" else write_codebook_yaml)(path, codebook)
    return len(codebook)
