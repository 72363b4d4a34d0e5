"""The report as data (issue 7): what the collector fills and the writers render.

The collector (``report/collect.py``) reads a project and builds one :class:`Report`;
the writers (:func:`caseminer.report.html.write_html`,
:func:`caseminer.report.xlsx.write_xlsx`, :func:`caseminer.report.docx.write_docx`)
render it without touching the project. Everything here is plain data, so a report
can also be built by hand (the writer tests do) or from another tool.

Conventions shared by the three writers:

* Sections are rendered in list order; every section is optional. The ids the
  collector uses are listed in :data:`SECTION_IDS`; other ids are rendered too.
* A table's ``rows`` are dicts keyed by :attr:`Column.key`; a missing key is an
  empty cell and keys without a column are ignored. Values may be ``str``, ``int``,
  ``float`` (numpy scalars included), ``bool``, ``None``, or a list/tuple of these
  (joined with "、").
* The methods block (:attr:`Report.methods` paragraphs, then the
  :func:`settings_table`) is rendered inside the section with id ``"methods"`` if
  there is one, otherwise as a last section of its own when it is not empty.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import os
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ExchangeError, InvalidInput

__all__ = [
    "SECTION_IDS",
    "Column",
    "Figure",
    "Quote",
    "Report",
    "Section",
    "Table",
    "check_png",
    "check_report",
    "display_width",
    "format_datetime",
    "format_value",
    "is_number",
    "methods_section",
    "output_file",
    "plain",
    "rendered_sections",
    "settings_table",
]

#: Section ids the collector uses, in the order it emits them.
SECTION_IDS = (
    "summary",
    "newwords",
    "newwords_by_case",
    "core_keywords",
    "by_province",
    "specificity",
    "cooccurrence",
    "coding_table",
    "framework",
    "exemplars",
    "agreement",
    "saturation",
    "methods",
)


@dataclass
class Column:
    """One table column: ``key`` into the row dicts, Chinese and English headers.

    ``fmt`` is an optional Python format spec for numbers (``".2f"``, ``".3g"``,
    ``".1%"``, ``","``); without it floats are shown with 2 decimals (4 significant
    digits below 0.01) and integers as they are. XLSX keeps the raw number and maps
    ``".Nf"``/``".N%"`` to an Excel number format.
    """

    key: str
    zh: str
    en: str
    fmt: str = ""


@dataclass
class Table:
    """A table with bilingual title and headers; ``note`` is printed under it."""

    id: str
    title_zh: str
    title_en: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    note: str = ""


@dataclass
class Figure:
    """A figure as files: ``png`` (needed by DOCX, HTML fallback) and optional ``svg``."""

    id: str
    caption_zh: str
    caption_en: str
    png: Path
    svg: Path | None = None


@dataclass
class Quote:
    """A coded passage quoted as evidence; ``start``/``end`` are original-text offsets."""

    case_id: str
    province: str
    code: str
    text: str
    start: int
    end: int


@dataclass
class Section:
    """A report section: paragraphs, then tables, then figures, then quotes."""

    id: str
    title_zh: str
    title_en: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Report:
    """The whole report.

    ``settings`` has one dict per stage run that produced the numbers:
    ``{"stage", "run_id", "started_at", "finished_at", "settings": dict, "versions": dict}``.
    ``generated_at`` may be a ``datetime`` or an ISO 8601 string.
    """

    title: str
    subtitle: str
    generated_at: _dt.datetime | str
    sections: list[Section] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    settings: list[dict[str, Any]] = field(default_factory=list)

    def section(self, section_id: str) -> Section | None:
        """The section with this id, or None."""
        return next((s for s in self.sections if s.id == section_id), None)


# --------------------------------------------------------------------------- checks


def check_report(report: Report, path: str | Path) -> None:
    """Refuse a report the writers cannot render faithfully.

    Checks (over :func:`rendered_sections`, so the generated ``run_settings`` table
    counts too) that section, table and figure ids are non-empty and unique, that column
    keys are unique within a table and that rows are mappings. ``path`` is the file
    being written, named in the message.

    Raises:
        InvalidInput: (code E501) naming the offending id and how to fix it.
    """
    seen: dict[str, set[str]] = {"section": set(), "table": set(), "figure": set()}

    def claim(kind: str, ident: Any, where: str) -> None:
        if not isinstance(ident, str) or not ident.strip():
            raise _bad(path, f"{where} has an empty or non-text id ({ident!r})",
                       f"Give every {kind} a short unique id such as 'core_keywords'.")
        if ident in seen[kind]:
            raise _bad(path, f"two {kind}s have the id {ident!r}",
                       f"Give every {kind} a unique id.")
        seen[kind].add(ident)

    for s_no, section in enumerate(rendered_sections(report), 1):
        claim("section", section.id, f"section {s_no}")
        for table in section.tables:
            claim("table", table.id, f"a table in section {section.id!r}")
            keys = [c.key for c in table.columns]
            if len(set(keys)) != len(keys):
                dup = sorted({k for k in keys if keys.count(k) > 1})
                raise _bad(path, f"table {table.id!r} has duplicate column keys {dup}",
                           "Give every column of a table its own key.")
            for r_no, row in enumerate(table.rows, 1):
                if not isinstance(row, Mapping):
                    raise _bad(path, f"row {r_no} of table {table.id!r} is a "
                               f"{type(row).__name__}, not a dict",
                               "Give each row as a dict keyed by the column keys.")
        for figure in section.figures:
            claim("figure", figure.id, f"a figure in section {section.id!r}")


def check_png(figure: Figure, path: str | Path) -> Path:
    """Return the figure's PNG path, or raise InvalidInput (E501) if it is missing."""
    png = Path(figure.png) if figure.png else None
    if png is None or not png.is_file():
        raise _bad(path, f"the figure {figure.id!r} has no PNG file at {figure.png}",
                   "Re-run 'caseminer stats' to draw the figures again, or leave the "
                   "figure out of the report.")
    return png


def _bad(path: str | Path, what: str, fix: str) -> InvalidInput:
    return InvalidInput.from_catalogue("E501", path=path, what=what, fix=fix)


# ------------------------------------------------------------------- methods block


_SETTINGS_COLUMNS = [
    Column("stage", "阶段", "Stage"),
    Column("run_id", "运行编号", "Run"),
    Column("started_at", "开始时间", "Started"),
    Column("finished_at", "完成时间", "Finished"),
    Column("settings", "设置", "Settings"),
    Column("versions", "版本", "Versions"),
]


def _exact(value: Any) -> str:
    """Settings are shown exactly as used: 3.0 stays 3.0, 1e-05 stays 1e-05."""
    value = plain(value)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "none"}[value]
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Mapping):
        return "{" + _pairs(value) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_exact(v) for v in value) + "]"
    return format_value(value)


def _pairs(mapping: Any) -> str:
    if not isinstance(mapping, Mapping):
        return _exact(mapping)
    return "; ".join(f"{k}={_exact(v)}" for k, v in mapping.items())


def settings_table(report: Report) -> Table | None:
    """The runs behind the numbers as a table (id ``run_settings``), or None if none.

    Example:
        >>> r = Report("t", "", "2026-01-01", settings=[{"stage": "discover",
        ...     "run_id": 3, "finished_at": "2026-01-01T10:00", "settings":
        ...     {"min_count": 5}, "versions": {"caseminer": "0.1.0"}}])
        >>> settings_table(r).rows[0]["settings"]
        'min_count=5'
    """
    if not report.settings:
        return None
    rows = [
        {
            "stage": run.get("stage", ""),
            "run_id": run.get("run_id", ""),
            "started_at": format_datetime(run.get("started_at")),
            "finished_at": format_datetime(run.get("finished_at")),
            "settings": _pairs(run.get("settings") or {}),
            "versions": _pairs(run.get("versions") or {}),
        }
        for run in report.settings
    ]
    return Table("run_settings", "各阶段运行设置与软件版本",
                 "Settings and software versions of each stage run",
                 list(_SETTINGS_COLUMNS), rows)


def methods_section(report: Report) -> Section | None:
    """The section the writers render for the methods (see the module docstring).

    Returns the ``methods`` section extended with :attr:`Report.methods` and the
    settings table, a new section when there is none but methods or settings exist,
    or None when there is nothing to say.
    """
    table = settings_table(report)
    base = report.section("methods")
    if base is None and not report.methods and table is None:
        return None
    if base is None:
        base = Section("methods", "研究方法与设置", "Methods and settings")
    return Section(
        base.id, base.title_zh, base.title_en,
        paragraphs=[*report.methods, *base.paragraphs],
        tables=[*base.tables, *([table] if table is not None else [])],
        figures=list(base.figures), quotes=list(base.quotes),
    )


def rendered_sections(report: Report) -> list[Section]:
    """The sections in render order, with the methods block merged in or appended."""
    methods = methods_section(report)
    out = [methods if (s.id == "methods" and methods is not None) else s
           for s in report.sections]
    if methods is not None and report.section("methods") is None:
        out.append(methods)
    return out


# ------------------------------------------------------------------------- values


def is_number(value: Any) -> bool:
    """True for ints and finite or non-finite reals, False for bools."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def plain(value: Any) -> Any:
    """Python scalar for numpy scalars; NaN becomes None. Other values unchanged."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        return None if math.isnan(value) else value
    return value


def format_value(value: Any, column: Column | None = None) -> str:
    """Text for a cell, as the HTML and DOCX writers show it.

    Example:
        >>> format_value(92.4), format_value(0.00012), format_value(56)
        ('92.40', '0.00012', '56')
        >>> format_value(0.5, Column("p", "比例", "share", ".1%"))
        '50.0%'
    """
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "、".join(format_value(v, column) for v in items)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return format_datetime(value)
    if is_number(value):
        if column is not None and column.fmt:
            try:
                return format(value, column.fmt)
            except (ValueError, TypeError):
                pass  # e.g. ".2f" given for an int column: fall through
        if isinstance(value, int):
            return str(value)
        if math.isinf(value):
            return "∞" if value > 0 else "-∞"
        if value != 0 and abs(value) < 0.01:
            return f"{value:.4g}" if abs(value) >= 1e-4 else f"{value:.3e}"
        return f"{value:.2f}"
    return str(value)


def format_datetime(value: Any) -> str:
    """``2026-05-01 10:30 UTC`` for datetimes, the ISO text as given otherwise."""
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc)
            return value.strftime("%Y-%m-%d %H:%M UTC")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def display_width(text: str) -> int:
    """Width in terminal/Excel columns: wide (CJK, full-width) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# ------------------------------------------------------------------------ output


@contextmanager
def output_file(path: str | Path, what: str) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place on success.

    A failed write never leaves a half-written report (nor replaces a good one).
    Missing parent folders are created. ``what`` names the file in messages
    ("HTML report").

    Raises:
        ExchangeError: (code E501) when the folder or file cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise ExchangeError.from_catalogue(
            "E501", path=path, what=f"this is a folder, not a file name for the {what}",
            fix="Give a file name such as report.html, or remove the folder.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExchangeError.from_catalogue(
            "E501", path=path,
            what=f"cannot create the folder {path.parent} ({exc.strerror or exc})",
            fix="Choose a folder you can write to (caseminer report --out DIR).") from exc
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        raise ExchangeError.from_catalogue(
            "E501", path=path,
            what=f"cannot write the {what} ({exc.strerror or exc})",
            fix="Check that the folder is writable and that the file is not open in "
            "another program (Excel and Word lock open files), then write the report "
            "again.") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
