"""caseminer import, cases, show."""

from __future__ import annotations

import sys

import click

from ..errors import ImportFailed
from ..nlp.normalize import left_out_spans
from ..pipeline.corpus import delete_case, get_case, import_cases, list_cases
from .context import CliContext
from .output import case_layout_options, emit, format_option, out_option
from .progress import progress_bar


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--text-field", default="text", show_default=True,
              help="Text column of .csv/.xlsx/.xls/.ods/.jsonl files; with the default, a column named text, 正文, 全文, 内容 or "
                   "full_text that holds the texts (the import says which it read).")
@click.option("--id-field", default="id", show_default=True, help="Id column of .csv/.xlsx/.xls/.ods/.jsonl files; with the default, a column named id, 编号 or "
                   "案例编号 (a row without an id is named FILE-LINE, the line it starts on; the only row "
                   "of a file, FILE).")
@click.option("--meta", type=click.Path(dir_okay=False), default=None,
              help="CSV/XLSX/XLS/ODS of case attributes (province, locality, year, ...), joined on file name or id; "
                   "cases already in the project take its values too. It may sit in the folder of the cases: it is "
                   "not read as a table of cases. Without --meta, the one table in a folder given whose rows name "
                   "its files is read so (the import says which).")
@case_layout_options
@click.option("--skip-bad", is_flag=True, help="Import the good files when some fail; list the bad ones (exit 1).")
@click.option("--max-case-mb", type=float, default=10.0, show_default=True, help="Refuse larger single cases.")
@click.option("--simplify", is_flag=True, help="Convert traditional characters in the analysis text (OpenCC t2s).")
@click.option("--keep-references", is_flag=True,
              help="Analyse reference lists (参考文献, References) too; by default they are left out of the "
                   "analysis text (the original keeps them).")
@click.option("--keep-markup", is_flag=True,
              help="Analyse HTML tags, LaTeX formulas and Markdown images as text; by default table cells stay "
                   "apart, formulas read as plain text and the rest is left out of the analysis text (the "
                   "original keeps it).")
@click.pass_obj
def import_cmd(obj: CliContext, paths: tuple[str, ...], text_field: str, id_field: str, meta: str | None,
               split_at: str | None, ids_from_folders: bool, province_from_title: bool, skip_bad: bool, max_case_mb: float, simplify: bool, keep_references: bool,
               keep_markup: bool) -> None:
    """Import cases from files, folders and tables.

    Folders of .txt/.md/.docx/.doc/.wps/.pdf/.html hold one case per file (the file name
    is the case id); .csv/.xlsx/.xls/.ods/.jsonl hold one case per row. The import is one
    transaction: if a file fails, nothing is written unless --skip-bad is given. A REFI-QDA
    project (.qdpx from NVivo, ATLAS.ti, MAXQDA or QualCoder) given alone is imported with
    its codes, codings and memos, as 'caseminer import qdpx FILE.qdpx' does.

    Example: caseminer import cases/ --meta cases/metadata.csv
    """
    if paths and (paths[0] == "qdpx" or (len(paths) == 1 and paths[0].lower().endswith(".qdpx"))):
        from .exchange_cmds import import_qdpx

        # 'caseminer import study.qdpx' means the project NVivo or MAXQDA wrote, as 'import qdpx' does
        import_qdpx(obj, paths[1:] if paths[0] == "qdpx" else paths)
        return
    try:
        with progress_bar("Importing") as bar:
            report = import_cases(
                obj.project, list(paths), text_field=text_field, id_field=id_field, meta=meta, skip_bad=skip_bad,
                max_case_mb=max_case_mb, simplify=simplify, keep_references=keep_references,
                ids_from_folders=ids_from_folders, split_at=split_at, province_from_title=province_from_title,
                keep_markup=keep_markup, progress=bar.update)
    except ImportFailed:
        raise
    click.echo(f"Imported {len(report.imported)} case(s) from {report.files_read} file(s).")
    if report.already_present:
        note = report.attributes_note()
        click.echo(f"{len(report.already_present)} case(s) were already in the project"
                   + (f"; {note}" if note else " (unchanged)."))
    for case_id, other in report.duplicates:
        click.echo(f"Warning: {case_id} has the same text as {other}; not imported again.", err=True)
    for case_id, value in report.unknown_provinces:
        click.echo(f"Warning: {case_id}: province {value!r} is not a known province; kept as written. "
                   "Check its spelling (e.g. 广西, 广西壮族自治区).", err=True)
    if warning := report.traditional_warning():
        click.echo(f"Warning: {warning}", err=True)
    for note in report.notes(text_field):
        click.echo(note)
    if report.problems:
        click.echo(f"{len(report.problems)} file(s) or row(s) were not imported:", err=True)
        for _path, message in report.problems:
            click.echo(f"- {message}", err=True)
        sys.exit(1)


@click.group("cases", invoke_without_command=True)
@click.option("--where", "where", multiple=True, metavar="ATTR=VALUE", help="Filter, e.g. --where province=贵州.")
@format_option()
@out_option()
@click.pass_context
def cases_cmd(ctx: click.Context, where: tuple[str, ...], fmt: str, out: str | None) -> None:
    """List cases: id, title, attributes, character count."""
    if ctx.invoked_subcommand is not None:
        return
    filters = {}
    for item in where:
        if "=" not in item:
            raise click.BadParameter(f"{item!r} is not ATTR=VALUE", param_hint="--where")
        name, value = item.split("=", 1)
        filters[name.strip()] = value.strip()
    cases = list_cases(ctx.obj.project, where=filters)
    records = [c.as_dict() for c in cases]
    attribute_names = sorted({name for r in records for name in r["attributes"]})
    rows = [{"id": r["id"], "title": r["title"], "province": r["province"], "chars": r["chars"],
             **r["attributes"]} for r in records]
    emit(rows, ["id", "title", "province", *attribute_names, "chars"], fmt=fmt, out=out, title="cases",
         json_value=records)


@cases_cmd.command("delete")
@click.argument("case_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def cases_delete_cmd(obj: CliContext, case_id: str, yes: bool) -> None:
    """Delete one case and everything derived from it (keywords, codings)."""
    if not yes:
        click.confirm(f"Delete case {case_id} and its codings?", abort=True)
    delete_case(obj.project, case_id)
    click.echo(f"Deleted {case_id}.")


@click.command("show")
@click.argument("case_id")
@click.option("--analysis", is_flag=True, help="Show the normalised analysis text instead of the original.")
@format_option(choices=("table", "json"))
@click.pass_obj
def show_cmd(obj: CliContext, case_id: str, analysis: bool, fmt: str) -> None:
    """Print one case: its attributes and text."""
    case = get_case(obj.project, case_id)
    left_out = left_out_spans(case.original_text, case.offsets, case.text)
    if fmt == "json":
        record = case.as_dict(with_text=True)
        if analysis:
            record["analysis_text"] = case.text
        record["not_analysed"] = [list(span) for span in left_out]
        emit([], [], fmt="json", out=None, json_value=record)
        return
    record = case.as_dict()
    click.echo(f"{case.id}  {case.title}")
    click.echo(f"province: {case.province or '-'}")
    for name, value in record["attributes"].items():
        click.echo(f"{name}: {value if value is not None else '-'}")
    click.echo(f"characters: {case.char_count}   source: {case.source_path or '-'}")
    if left_out:
        spans = ", ".join(f"{a}-{b}" for a, b in left_out[:5]) + (" ..." if len(left_out) > 5 else "")
        click.echo(f"not analysed: characters {spans} of the original ({sum(b - a for a, b in left_out)} in all: "
                   "a reference list, page numbers or running heads, markup such as HTML tags and images; "
                   "--analysis shows what was analysed)")
    click.echo("")
    click.echo(case.text if analysis else case.original_text)


COMMANDS = [import_cmd, cases_cmd, show_cmd]
