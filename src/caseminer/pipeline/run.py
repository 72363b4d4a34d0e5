"""``caseminer run``: the whole pipeline on a corpus, into a project, in one call.

Each stage is called through its own library function, exactly as the individual
commands do. Re-running continues: texts already imported are not imported again,
each later stage replaces its own previous output, and researchers' decisions
(review, stop-words, thesaurus, lexicon, codebook edits, manual codings) are kept.
Steps that need a researcher are proposed, never taken: stop-words are proposed,
merges suggested, keywords left for review; the summary lists them.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import InvalidInput, fail
from ..project import DB_NAME, Project
from ..settings import resolve_jobs
from .corpus import ImportReport, import_cases
from .readers import DEFAULT_ID_FIELD, DEFAULT_TEXT_FIELD

log = logging.getLogger(__name__)


@dataclass
class PipelineSummary:
    project_dir: Path
    import_report: ImportReport | None = None
    stages: list[tuple[str, str]] = field(default_factory=list)  # (stage, one-line result)
    todo: list[str] = field(default_factory=list)  # decisions left to a researcher
    report_files: dict[str, Path] = field(default_factory=dict)


def run_pipeline(corpus: list[str | Path], out: str | Path, *, meta: str | Path | None = None,
                 text_field: str = DEFAULT_TEXT_FIELD, id_field: str = DEFAULT_ID_FIELD, codebook: str | Path | None = None,
                 example: str | None = None, semantic: bool = False, n_jobs: int = 1, report: bool = True,
                 skip_bad: bool = False, simplify: bool = False, keep_references: bool = False,
                 keep_markup: bool = False, ids_from_folders: bool = False, split_at: str | None = None,
                 province_from_title: bool = True,
                 progress: Callable[[str], None] | None = None,
                 executor: object = None) -> PipelineSummary:
    """Run every stage on ``corpus`` into the project in ``out`` (created if needed).
    With no ``corpus`` (an empty list), analyse the cases the project holds again (after
    lexicon words were accepted, stop-words confirmed, cases added), importing nothing.

    ``codebook`` (.qdc or .yaml) or ``example`` (a built-in codebook name) turns on
    auto-coding; ``semantic`` adds the offline embedding model to it. A project coded
    automatically before is coded again (with the ``semantic`` setting of that run), so
    its automatic codings follow the cases and the lexicon. ``n_jobs``
    worker processes (-1: one per CPU) segment and discover, or ``executor`` (a
    ``dask.distributed`` client, a ``concurrent.futures`` executor) does; the results
    are the same.
    ``skip_bad``, ``simplify``, ``keep_references``, ``keep_markup``, ``ids_from_folders``, ``split_at`` and
    ``province_from_title`` are :func:`~caseminer.pipeline.corpus.import_cases`'s.
    """
    n_jobs = resolve_jobs(n_jobs, "run")
    out = Path(out)
    if not corpus and not (out / DB_NAME).is_file():  # nothing to analyse: no project made for it
        raise fail(InvalidInput, "E226", path=out)
    project = Project.open(out) if (out / DB_NAME).is_file() else Project.create(out)
    say = progress or (lambda message: None)
    summary = PipelineSummary(out)
    try:
        _run(project, summary, say, corpus=corpus, meta=meta, text_field=text_field, id_field=id_field,
             codebook=codebook, example=example, semantic=semantic, n_jobs=n_jobs, report=report,
             skip_bad=skip_bad, simplify=simplify, keep_references=keep_references, keep_markup=keep_markup,
             ids_from_folders=ids_from_folders, split_at=split_at, province_from_title=province_from_title,
             executor=executor)
    finally:
        project.close()
    return summary


def _nothing_imported(imported: ImportReport) -> str:
    """Why an import brought no case, for E225."""
    if imported.problems:
        shown = "\n".join(f"- {message}" for _path, message in imported.problems[:5])
        more = f"\n- and {len(imported.problems) - 5} more" if len(imported.problems) > 5 else ""
        return (f"{len(imported.problems)} file(s) or row(s) could not be imported:\n{shown}{more}\n"
                "Fix them and run again.")
    return "The files given hold no case text (a table without rows?); check them with 'caseminer import'."


def _run(project: Project, summary: PipelineSummary, say, *, corpus, meta, text_field, id_field, codebook,
         example, semantic, n_jobs, report, skip_bad, simplify, keep_references, keep_markup, ids_from_folders,
         split_at, province_from_title, executor) -> None:
    if corpus:
        _import(project, summary, say, corpus=corpus, meta=meta, text_field=text_field, id_field=id_field,
                skip_bad=skip_bad, simplify=simplify, keep_references=keep_references, keep_markup=keep_markup,
                ids_from_folders=ids_from_folders, split_at=split_at, province_from_title=province_from_title)
    elif not project.conn.execute("SELECT 1 FROM cases LIMIT 1").fetchone():
        raise fail(InvalidInput, "E226", path=project.path)
    _analyse(project, summary, say, codebook=codebook, example=example, semantic=semantic, n_jobs=n_jobs,
             report=report, executor=executor)


def _import(project: Project, summary: PipelineSummary, say, *, corpus, meta, text_field, id_field, skip_bad,
            simplify, keep_references, keep_markup, ids_from_folders, split_at, province_from_title) -> None:
    say("import")
    imported = import_cases(project, corpus, meta=meta, text_field=text_field, id_field=id_field, skip_bad=skip_bad,
                            simplify=simplify, keep_references=keep_references, keep_markup=keep_markup,
                            ids_from_folders=ids_from_folders, split_at=split_at,
                            province_from_title=province_from_title)
    summary.import_report = imported
    if not project.conn.execute("SELECT 1 FROM cases LIMIT 1").fetchone():
        # under --skip-bad every file may have failed: say so here, not "segment needs cases first"
        raise fail(InvalidInput, "E225", paths=", ".join(map(str, corpus)), why=_nothing_imported(imported))
    left_out = f", reference list left out of {len(imported.references)}" if imported.references else ""
    if imported.page_furniture:
        left_out += f", {len(imported.page_furniture)} PDF(s) read across page breaks"
    if imported.markup:
        left_out += f", markup (tags, formulas, images) read as shown in {len(imported.markup)}"
    for note in (imported.province_folders_note(), imported.province_titles_note()):
        if note:
            left_out += f", {note[0].lower()}{note[1:note.index(';')]}"
    if imported.compilations:
        left_out += (f", {len(imported.compilations)} document(s) cut into "
                     f"{sum(c for _, c, _ in imported.compilations)} cases at their headings")
    if imported.passed_over:
        left_out += f", {len(imported.passed_over)} file(s) of the folder(s) passed over (not documents)"
    if imported.folder_docs:
        left_out += f", {len(imported.folder_docs)} file(s) documenting the folder(s) left out (README, SOURCE)"
    if imported.text_columns:
        left_out += ", texts from column " + ", ".join(repr(column) for column in imported.text_columns)
    if imported.metadata_found:
        left_out += f", attributes from {imported.metadata_found} (found in the folder)"
    summary.stages.append(("import", f"{len(imported.imported)} new case(s), {len(imported.already_present)} "
                                     f"already present, {len(imported.duplicates)} duplicate(s){left_out}"))
    if imported.problems:
        summary.todo.append(f"{len(imported.problems)} file(s) or row(s) were not imported: "
                            + "; ".join(message for _path, message in imported.problems[:3]))
    if warning := imported.traditional_warning():
        summary.todo.append(warning)
    if note := imported.passed_over_note():
        summary.todo.append(note)
    if note := imported.folder_docs_note():
        summary.todo.append(note)
    if imported.unknown_provinces:
        summary.todo.append(f"{len(imported.unknown_provinces)} case(s) have an unknown province; check the "
                            "metadata ('caseminer cases').")


def _analyse(project: Project, summary: PipelineSummary, say, *, codebook, example, semantic, n_jobs, report,
             executor) -> None:
    """Every stage after the import, on the cases the project holds."""
    from ..coding.autocode_stage import run_autocode
    from .discover import discover_words
    from .keywords import extract_case_keywords
    from .normalise import counts, suggest
    from .review import review_summary
    from .segment import segment_cases
    from .stats import no_comparison, run_stats
    from .stopwords import boundary_words, propose

    say("segment")
    seg = segment_cases(project, n_jobs=n_jobs, executor=executor)
    summary.stages.append(("segment", f"{seg['tokens']} tokens, domain lexicon {seg['lexicon_words']} words"))

    say("discover")
    found = discover_words(project, overrides={"n_jobs": n_jobs}, executor=executor)
    summary.stages.append(("discover", f"{found['new_words']} new words in the corpus list, "
                                       f"{found['case_candidates']} per-case candidates"))
    summary.todo.append("Accept discovered words into the lexicon ('caseminer discover', then 'caseminer lexicon add "
                        "--from-discovery N' or 'caseminer lexicon add WORD ...'), then re-run.")

    say("keywords")
    kw = extract_case_keywords(project, n_jobs=n_jobs, executor=executor)
    summary.stages.append(("keywords", f"{kw['keywords']} keywords ({kw['distinct']} distinct)"))
    boundary, released = boundary_words(project)
    summary.todo.append(f"{len(boundary)} words of the shipped starter list (generic policy words, slogans) were never "
                        f"keywords{f' ({len(released)} released)' if released else ''}: see them with 'caseminer "
                        "stopwords starter', release one with 'caseminer stopwords reject WORD'.")
    proposals = [p for p in propose(project) if p["state"] == "proposed"]
    if proposals:
        summary.todo.append(f"{len(proposals)} domain stop-word(s) proposed (e.g. "
                            f"{'、'.join(p['term'] for p in proposals[:5])}): confirm or reject with "
                            "'caseminer stopwords propose' / 'caseminer stopwords confirm TERM'.")
    pending = review_summary(project).proposed
    if pending:
        summary.todo.append(f"{pending} keyword(s) await review: 'caseminer review export --out review.xlsx'.")

    say("normalise")
    suggestions = [s for s in suggest(project, semantic=False) if s.state == "open"]
    c = counts(project)
    summary.stages.append(("normalise", f"{c.raw_keywords} keywords -> {c.distinct_keywords} distinct -> "
                                        f"{c.core_keywords} core; {len(suggestions)} merge suggestion(s)"))
    if suggestions:
        summary.todo.append(f"{len(suggestions)} merge suggestion(s) to decide: 'caseminer normalise suggest'.")

    coded_before = project.last_run("autocode")
    if codebook or example or coded_before is not None:
        if codebook or example:
            say("codebook")
            summary.stages.append(("codebook", _ensure_codebook(project, codebook, example)))
        else:  # coded automatically before: again, as then
            semantic = bool(json.loads(coded_before["settings"] or "{}").get("semantic", False))
        say("code auto")
        auto = run_autocode(project, overrides={"semantic": semantic})
        summary.stages.append(("code auto", f"{auto['codings']} automatic coding(s) in {auto['cases']} case(s)"))
        summary.todo.append("Check the automatic codings ('caseminer code list --source auto') and code by hand "
                            "('caseminer code add' or 'caseminer serve').")

    say("stats")
    stats = run_stats(project, out_dir=project.path / "stats", figures=False)
    no_groups = no_comparison(project, "province")
    summary.stages.append(("stats", f"{len(stats['tables']['case_frequency'])} core keywords, "
                                    + ("no comparison by province" if no_groups else
                                       f"{sum(1 for r in stats['tables']['specificity'] if r['significant'])} "
                                       "significant province cell(s)")
                                    + f"; tables in {project.path / 'stats'}"))
    if no_groups:
        summary.todo.append(no_groups[1])

    if report:
        from ..report.collect import write_report

        say("report")
        summary.report_files = write_report(project, project.path / "report")
        summary.stages.append(("report", ", ".join(str(p) for p in summary.report_files.values())))


def _ensure_codebook(project: Project, codebook, example) -> str:
    from ..coding.codebook import load_codebook
    from ..coding.codebook_files import read_codebook_file, store_codebook
    from ..coding.codebook_io import load_example

    if example:
        (book, table), source = (load_example(example), None), f"example {example}"
    else:
        (book, table), source = read_codebook_file(codebook), str(codebook)
    present = {c.id for c in load_codebook(project)}
    if all(code.id in present for code in book):
        return f"{source} already imported ({len(book)} codes)"
    # a coding table's quotations are coded too, as 'caseminer codebook import' codes them
    store_codebook(project, book, table, coder=project.coder(), source=source)
    return f"imported {len(book)} codes from {source}"
