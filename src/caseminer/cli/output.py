"""Rendering tables for the terminal and for machines (csv, json, xlsx).

Every table-producing command accepts ``--format table|csv|json|xlsx`` and
``--out FILE``; this module is the one place that writes them.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, Sequence

import click

from ..report.sheets import _flat, write_xlsx

FORMATS = ("table", "csv", "json", "xlsx")


def format_option(default: str = "table", choices: Sequence[str] = FORMATS):
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True,
                        help="Output format.")


def out_option():
    return click.option("--out", "out", type=click.Path(dir_okay=False, writable=True, allow_dash=True), default=None,
                        help="Write to this file instead of the terminal (required for xlsx; '-' is the terminal).")


def jobs_option():
    """``--jobs``: one worker process per CPU unless told otherwise. The results never
    depend on it (every stage's shards merge exactly; tested)."""
    return click.option("--jobs", "-j", "n_jobs", type=int, default=-1,
                        help="Worker processes (default: one per CPU, -1; 1 works in this process). "
                        "The results are the same for any number.")


def case_layout_options(command):
    """``--split-at``, ``--ids-from-folders`` and ``--no-province-from-title`` of import and run:
    how the files given are cut into cases, named and placed (:func:`caseminer.pipeline.corpus.import_cases`)."""
    command = click.option(
        "--province-from-title/--no-province-from-title", default=True, show_default=True,
        help="A case with no province in its metadata, table or folder takes the one its title or file name "
             "opens with (贵州威宁：..., 【走基层】云南：..., 01 甘肃省临夏州...; none where it names two); the "
             "import says which.")(command)
    command = click.option(
        "--ids-from-folders", is_flag=True,
        help="A file's case id is its path under the folder given, folders joined by '-' (江西/案例1.txt -> "
             "江西-案例1): for files named alike in a folder each.")(command)
    return click.option(
        "--split-at", "split_at", metavar="PATTERN", default=None,
        help="Cut each document (a compilation, 案例汇编) into cases at its heading lines: 'cases' for lines "
             "that open with 案例一, 案例 2, 【案例3】 ..., or a regular expression a heading line starts with. "
             "Ids FILE-01, FILE-02 ...; the heading is the title; a preface and table of contents are left out.")(command)


def scheduler_option():
    """``--scheduler``: the map over shards runs on a Dask cluster (:mod:`..nlp.shardmap`)."""
    return click.option("--scheduler", default=None, envvar="CASEMINER_SCHEDULER", metavar="ADDRESS",
                        help="Run the work over shards of cases on the Dask cluster whose scheduler is at ADDRESS "
                        "(tcp://host:8786; also CASEMINER_SCHEDULER; needs pip install 'caseminer[dask]') "
                        "instead of --jobs local processes. The results are the same.")


def emit(rows: list[dict[str, Any]], columns: Sequence[str], *, fmt: str, out: str | None,
         title: str | None = None, json_value: Any = None) -> None:
    """Write ``rows`` (dicts keyed by ``columns``) in the chosen format.

    ``json_value`` replaces the rows for JSON output when a command has a richer
    shape for machines (nested attributes, for example). ``out`` "-" is the terminal
    (standard output), as in most command-line tools.
    """
    if out == "-":
        if fmt == "xlsx":
            raise click.UsageError("--format xlsx writes a workbook, not text: give --out a file name "
                                   "such as FILE.xlsx, or choose --format csv or json for '--out -'.")
        out = None
        if fmt == "table":
            fmt = "plain"  # piped: tab-separated, no box drawing
    if fmt == "xlsx":
        if not out:
            raise click.UsageError("--format xlsx needs --out FILE.xlsx")
        write_xlsx({title or "data": (columns, rows)}, out)
        click.echo(f"Wrote {len(rows)} rows to {out}", err=True)
        return
    if fmt == "json":
        text = json.dumps(json_value if json_value is not None else rows, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _flat(row.get(k)) for k in columns})
        text = buffer.getvalue()
    else:
        if out or fmt == "plain":
            text = _plain_table(rows, columns)
        else:
            _rich_table(rows, columns, title)
            return
    if out:
        Path(out).write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        click.echo(f"Wrote {len(rows)} rows to {out}", err=True)
    else:
        sys.stdout.write(text)


def _plain_table(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    lines = ["\t".join(columns)]
    for row in rows:
        lines.append("\t".join("" if row.get(c) is None else str(_flat(row.get(c))) for c in columns))
    return "\n".join(lines) + "\n"


def _rich_table(rows: list[dict[str, Any]], columns: Sequence[str], title: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_shown(row.get(c)) for c in columns))
    Console(soft_wrap=False).print(table)


def _shown(value: Any) -> str:
    """A cell of the terminal's table: floats to four significant digits (a p-value of
    3.7048313545416512e-09 folded over six lines of a narrow column reads as nothing; CSV,
    JSON and workbooks keep every digit)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(_flat(value))
