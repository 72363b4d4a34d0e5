"""Corpus import: files and tables in, cases (original + analysis text) out.

:func:`import_cases` reads every file first, normalises the text, joins the
metadata, and only then writes, in one transaction: a failed file means nothing
is written (unless ``skip_bad``), so re-running after a fix is always safe.
Re-importing the same text is a no-op (cases are keyed by content hash).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..errors import CaseminerError, ImportFailed, InvalidInput, Messages, NotFound, fail
from ..nlp.markup import markup_counts, markup_spans
from ..nlp.normalize import (TRADITIONAL_SHARE, OffsetMap, left_out_spans, normalise, to_simplified,
                             traditional_share)
from ..nlp.compilation import heading_pattern, split_compilation
from ..nlp.provinces import PROVINCES, REGIONS, normalise_province, province_at_start, region_of
from ..nlp.sections import merged_spans, reference_list
from ..project import InputsRead, Project
from .readers import (DEFAULT_ID_FIELD, DEFAULT_TEXT_FIELD, IMAGE_SUFFIXES, SCAN_HINT, TABLE_KINDS, TABLE_SUFFIXES,
                      TITLE_FIELDS, PartialRead, RawCase, TableOptions, folder_metadata, iter_files, read_file,
                      read_metadata)
from .spreadsheets import lost_zeros_hint

log = logging.getLogger(__name__)

PROVINCE_FIELDS = ("province", "省份", "省", "省区市")
DEFAULT_MAX_CASE_MB = 10.0


@dataclass
class ImportReport:
    """What an import did. ``problems`` are (path, message) pairs of files not imported."""

    run_id: int | None = None
    imported: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)
    # (case id, names of the attributes set or changed) of cases already present
    attributes_updated: list[tuple[str, list[str]]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (case id, id of the same text)
    problems: list[tuple[str, str]] = field(default_factory=list)
    unknown_provinces: list[tuple[str, str]] = field(default_factory=list)  # (case id, value as written)
    # (case id, share of its Han characters that are traditional), imported without --simplify
    traditional: list[tuple[str, float]] = field(default_factory=list)
    # (case id, characters of the original) of the reference lists left out of the analysis text
    references: list[tuple[str, int]] = field(default_factory=list)
    # ids of the PDF cases whose page numbers and running heads were left out of it
    page_furniture: list[str] = field(default_factory=list)
    # (case id, kind -> count) of the markup (HTML tags, formulas, images: nlp.markup) the
    # analysis text holds in another form or leaves out
    markup: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    # text column -> number of files: the columns of TEXT_FIELDS the new cases' texts were read
    # from because no column had the name given (the default "text")
    text_columns: dict[str, int] = field(default_factory=dict)
    files_read: int = 0
    # folder name -> ids of the cases read from a folder named after a province, which took it
    # as their province
    province_folders: dict[str, list[str]] = field(default_factory=dict)
    # province -> ids of the cases whose title (or file name) opens with it, which took it as
    # their province (no metadata, folder or column gave one)
    province_titles: dict[str, list[str]] = field(default_factory=dict)
    # (path, cases, characters left out) of the documents cut into cases (--split-at)
    compilations: list[tuple[str, int, int]] = field(default_factory=list)
    # files in the folders given that are no documents caseminer reads (images, media ...)
    passed_over: list[str] = field(default_factory=list)
    # files in the folders given that document the folder (README.md, SOURCE.md), not read
    folder_docs: list[str] = field(default_factory=list)
    # the metadata file read (--meta, or found in a folder given without it: readers.folder_metadata)
    metadata: str | None = None
    metadata_found: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def traditional_warning(self) -> str | None:
        """What to do about the cases imported in traditional characters (None: there are none)."""
        if not self.traditional:
            return None
        shown = ", ".join(f"{case_id} ({share:.0%})" for case_id, share in self.traditional[:5])
        more = f" and {len(self.traditional) - 5} more" if len(self.traditional) > 5 else ""
        return (f"{len(self.traditional)} case(s) are written in traditional characters (share of their Han "
                f"characters: {shown}{more}). The base lexicon is simplified, so their words would all look new "
                "to segmentation, discovery and keywords. Delete them ('caseminer cases delete ID') and import "
                "them again with --simplify ('caseminer import' or 'caseminer run'), which converts the analysis "
                "text and keeps the original.")

    def notes(self, text_field: str = DEFAULT_TEXT_FIELD) -> list[str]:
        """Every note on how the files were read (which the command line and the workbench
        print after the count), in the order they are printed."""
        return [note for note in (
            self.metadata_found_note(), self.text_columns_note(text_field), self.references_note(),
            self.markup_note(), self.page_furniture_note(), self.province_folders_note(),
            self.province_titles_note(), self.compilations_note(), self.passed_over_note(),
            self.folder_docs_note()) if note]

    def text_columns_note(self, named: str = DEFAULT_TEXT_FIELD) -> str | None:
        """Which columns the texts were read from when none had the name given (None: all had it)."""
        if not self.text_columns:
            return None
        columns = ", ".join(f"{column!r} ({files} file(s))" for column, files in self.text_columns.items())
        return (f"Read the case texts from column {columns}: no column is named {named!r}. "
                "To read another column, give --text-field.")

    def references_note(self) -> str | None:
        """What was left out of the new cases' analysis text as reference lists (None: nothing)."""
        if not self.references:
            return None
        chars = sum(count for _case_id, count in self.references)
        return (f"Left the reference list out of the analysis text of {len(self.references)} case(s) "
                f"({chars} characters: headed 参考文献 or References and followed by entries); the original "
                "text keeps it. To analyse reference lists too, import with --keep-references.")

    def markup_note(self) -> str | None:
        """What markup the new cases' analysis text holds in another form (None: none)."""
        if not self.markup:
            return None
        total: dict[str, int] = {}
        for _case_id, counts in self.markup:
            for kind, count in counts.items():
                total[kind] = total.get(kind, 0) + count
        words = {"tag": "HTML tags", "comment": "HTML comments", "entity": "HTML entities", "image": "images",
                 "link": "link addresses", "formula": "formulas", "heading": "heading marks"}
        shown = ", ".join(f"{words[kind]} {count}" for kind, count in sorted(total.items(), key=lambda kv: -kv[1]))
        return (f"Read the markup of {len(self.markup)} case(s) as a reader sees it ({shown}): table cells stay "
                "apart, formulas read as plain text (50t/(km2·a)), tags, images and link addresses are left out "
                "of the analysis text; the original text keeps them. To analyse the markup as text, import "
                "with --keep-markup.")

    def metadata_found_note(self) -> str | None:
        """Which table of a folder was read as the cases' metadata (None: none was found)."""
        if not self.metadata_found:
            return None
        return (f"Read the case attributes from {self.metadata_found}: its rows name the folder's files. To "
                "read another file as the metadata, give it with --meta.")

    def province_titles_note(self) -> str | None:
        """Which new cases took their province from the start of their title (None: none did)."""
        new = set(self.imported)
        taken = {name: n for name, ids in self.province_titles.items() if (n := sum(i in new for i in ids))}
        if not taken:
            return None
        shown = ", ".join(f"{name} {n}" for name, n in sorted(taken.items(), key=lambda kv: (-kv[1], kv[0]))[:8])
        more = " ..." if len(taken) > 8 else ""
        return (f"Took the province of {sum(taken.values())} case(s) from the start of their title or file name "
                f"({shown}{more}: 贵州威宁：... gives 贵州, a title naming two provinces none); a metadata file "
                "given with --meta overrides it, --no-province-from-title leaves it out.")

    def province_folders_note(self) -> str | None:
        """Which new cases took their province from their folder's name (None: none did)."""
        new = set(self.imported)
        taken = {name: [i for i in ids if i in new] for name, ids in self.province_folders.items()}
        taken = {name: ids for name, ids in taken.items() if ids}
        if not taken:
            return None
        shown = ", ".join(f"{name}/ {len(ids)}" for name, ids in sorted(taken.items()))
        return (f"Took the province of {sum(map(len, taken.values()))} case(s) from the name of their folder "
                f"({shown}); a metadata file given with --meta overrides it.")

    def compilations_note(self) -> str | None:
        """How the documents given with --split-at were cut into cases (None: none was)."""
        if not self.compilations:
            return None
        shown = "; ".join(f"{path}: {cases} cases" + (f", {chars} characters before the first heading or in its "
                                                      "table of contents left out" if chars else "")
                          for path, cases, chars in self.compilations[:5])
        more = f"; and {len(self.compilations) - 5} more" if len(self.compilations) > 5 else ""
        return (f"Cut {len(self.compilations)} document(s) into {sum(c for _, c, _ in self.compilations)} cases at "
                f"their case headings ({shown}{more}); each heading line is its case's title, the ids are FILE-01, "
                "FILE-02 ... Check the cut with 'caseminer cases'.")

    def passed_over_note(self) -> str | None:
        """Which files of the folders given were not read, by type (None: every file was)."""
        if not self.passed_over:
            return None
        kinds: dict[str, int] = {}
        for path in self.passed_over:
            suffix = Path(path).suffix.lower() or "(no extension)"
            kinds[suffix] = kinds.get(suffix, 0) + 1
        shown = ", ".join(f"{count} {suffix}" for suffix, count in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        note = (f"Passed over {len(self.passed_over)} file(s) in the folder(s) that are no documents caseminer "
                f"reads ({shown}), e.g. {self.passed_over[0]}.")
        if any(suffix in IMAGE_SUFFIXES for suffix in kinds):
            note += f" {SCAN_HINT}"
        return note

    def folder_docs_note(self) -> str | None:
        """Which files of the folders given were left out as documenting the folder (None: none)."""
        if not self.folder_docs:
            return None
        shown = ", ".join(self.folder_docs[:3]) + (f" and {len(self.folder_docs) - 3} more"
                                                   if len(self.folder_docs) > 3 else "")
        return (f"Left out {len(self.folder_docs)} file(s) that document the folder rather than hold a case "
                f"({shown}). To import one as a case, give its path: 'caseminer import FILE'.")

    def page_furniture_note(self) -> str | None:
        """How the new PDF cases were read across their pages (None: there are none)."""
        if not self.page_furniture:
            return None
        return (f"Read {len(self.page_furniture)} PDF case(s) across their page breaks: page numbers and running "
                "heads are left out of the analysis text, and a sentence cut by a page break reads on; the "
                "original text keeps the pages as extracted.")

    def attributes_note(self) -> str | None:
        """Which cases already in the project took attribute values from this import."""
        if not self.attributes_updated:
            return None
        names = sorted({name for _case_id, changed in self.attributes_updated for name in changed})
        return (f"{len(self.attributes_updated)} of them took new attribute values from this import "
                f"({', '.join(names)}); empty cells left their values as they were.")

    def as_dict(self) -> dict:
        return {
            "imported": len(self.imported),
            "already_present": len(self.already_present),
            "attributes_updated": [[case_id, names] for case_id, names in self.attributes_updated],
            "duplicates": [list(d) for d in self.duplicates],
            "problems": [list(p) for p in self.problems],
            "unknown_provinces": [list(u) for u in self.unknown_provinces],
            "traditional": [list(t) for t in self.traditional],
            "references": [list(r) for r in self.references],
            "page_furniture": list(self.page_furniture),
            "markup": [[case_id, counts] for case_id, counts in self.markup],
            "files_read": self.files_read,
        }


@dataclass
class PreparedCase:
    raw: RawCase
    text: str
    offsets: OffsetMap
    content_hash: str
    province: str | None


def import_cases(
    project: Project,
    paths: Iterable[str | Path],
    *,
    text_field: str = DEFAULT_TEXT_FIELD,
    id_field: str = DEFAULT_ID_FIELD,
    meta: str | Path | None = None,
    skip_bad: bool = False,
    max_case_mb: float = DEFAULT_MAX_CASE_MB,
    simplify: bool = False,
    keep_references: bool = False,
    keep_markup: bool = False,
    ids_from_folders: bool = False,
    province_from_title: bool = True,
    split_at: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    coder: str | None = None,
) -> ImportReport:
    """Import cases from files, folders and tables into ``project``.

    Parameters: ``paths`` files or folders (.txt .md .docx .pdf .html, one case per
    file; .csv .xlsx .xls .ods .jsonl, one case per row); ``text_field``/``id_field`` name the
    columns of tables; ``meta`` a CSV/XLSX of attributes joined on file name, path
    under the folder or id (it may sit in a folder imported: it is read as metadata only);
    a file in a folder named after a province takes that province unless ``meta`` gives
    one, and else the title (or file name) that opens with one (贵州威宁：...) unless
    ``province_from_title`` is false; ``ids_from_folders`` makes a file's id its path under the folder (江西-案例1);
    ``split_at`` cuts each document into cases at its heading lines ("cases": 案例一,
    案例 2 ...; or a regular expression; :mod:`caseminer.nlp.compilation`);
    ``skip_bad`` imports the good files when some fail (their problems are in the
    report); ``max_case_mb`` refuses larger single cases; ``simplify`` converts
    traditional characters in the analysis text (the original is kept);
    ``keep_references`` keeps a reference list in the analysis text (by default it
    is left out, :mod:`caseminer.nlp.sections`; the original keeps it);
    ``keep_markup`` reads HTML tags, LaTeX formulas and Markdown images as text (by
    default the analysis text reads them as a reader sees them, :mod:`caseminer.nlp.markup`);
    ``progress(done, total, path)`` is called after each file. ``coder``, where given, is
    recorded as the one who imported the cases (the workbench gives the uploader's name).

    Raises :class:`ImportFailed` (nothing written) when a file fails and
    ``skip_bad`` is false. Example::

        report = import_cases(project, ["cases/"], meta="cases/meta.csv")
    """
    paths = list(paths)  # read three times below
    meta_found = None
    if meta is None and (folders := [Path(p) for p in paths if Path(p).is_dir()]):
        # cases/metadata.csv beside the cases, given without --meta: their attributes, no cases
        meta = meta_found = folder_metadata(folders, list(iter_files(folders)))
    settings = {"paths": [str(p) for p in paths], "text_field": text_field, "id_field": id_field,
                "meta": str(meta) if meta else None, "skip_bad": skip_bad, "max_case_mb": max_case_mb,
                "simplify": simplify, "keep_references": keep_references, "keep_markup": keep_markup}
    if meta_found is not None:  # recorded only when found: the settings of earlier runs stay comparable
        settings["meta_found_in_folder"] = True
    if ids_from_folders:  # recorded only when on: the settings of earlier runs stay comparable
        settings["ids_from_folders"] = True
    if not province_from_title:  # recorded only when off, for the same reason
        settings["province_from_title"] = False
    headings = None
    if split_at is not None:
        settings["split_at"] = split_at
        try:
            headings = heading_pattern(split_at)
        except re.error as e:
            raise fail(InvalidInput, "E219", pattern=split_at, error=e) from None
    with project.attempt("import", settings) as inputs:  # the run starts as the files are read
        report = ImportReport(metadata=str(Path(meta)) if meta else None,
                              metadata_found=str(meta_found) if meta_found else None)
        passed_over: list[Path] = []
        folder_docs: list[Path] = []
        files = list(iter_files([Path(p) for p in paths], passed_over, folder_docs))
        if meta is not None:  # kept next to the cases (cases/metadata.csv), it is their metadata, no case table
            files = [f for f in files if not _same_file(f, Path(meta))]
        report.passed_over = [str(p) for p in passed_over]
        report.folder_docs = [str(p) for p in folder_docs]
        # a compilation is cut into cases first, and each case is held to max_case_mb
        raw_cases = _read_files(files, TableOptions(text_field=text_field, id_field=id_field), report,
                                max_case_mb=float("inf") if headings else max_case_mb, progress=progress)
        if headings is not None:
            raw_cases = _split_compilations(raw_cases, headings, split_at, report)
        if id_field.lower() in PROVINCE_FIELDS:
            # A table keyed by province (one report per province): the key is the province too.
            for raw in raw_cases:
                if raw.source_kind in TABLE_KINDS:
                    raw.attributes.setdefault(id_field, raw.id)
        folders = [Path(p) for p in paths if Path(p).is_dir()]
        if ids_from_folders:
            _ids_from_folders(raw_cases, folders)
        if meta is not None:
            _join_metadata(raw_cases, Path(meta), report)
        _provinces_from_folders(raw_cases, folders, report)  # where neither case nor metadata gives one
        if province_from_title:
            _provinces_from_titles(raw_cases, report)  # where no folder does either
        return import_records(project, raw_cases, settings=settings, skip_bad=skip_bad, simplify=simplify,
                              keep_references=keep_references, keep_markup=keep_markup,
                              max_case_mb=max_case_mb, report=report,
                              total=len(files), inputs=inputs, coder=coder)


def _split_compilations(raw_cases: list[RawCase], headings: re.Pattern[str], spec: str,
                        report: ImportReport) -> list[RawCase]:
    """Each document cut into its cases at ``headings`` (:mod:`caseminer.nlp.compilation`):
    ids FILE-01, FILE-02 ..., titles the heading lines; rows of tables stay as they are."""
    out = []
    for raw in raw_cases:
        if raw.source_kind in TABLE_KINDS:
            out.append(raw)
            continue
        pieces, left_out = split_compilation(raw.text, headings, skip=raw.furniture)
        if not pieces:
            shown = "lines that open with 案例一, 案例 2, 【案例3】 ..." if spec == "cases" else f"pattern {spec!r}"
            report.problems.append((raw.source_path, fail(InvalidInput, "E220", path=raw.source_path,
                                                          pattern=shown).message))
            continue
        width = max(2, len(str(len(pieces))))
        for k, piece in enumerate(pieces, start=1):
            out.append(RawCase(
                id=f"{raw.id}-{k:0{width}d}", text=raw.text[piece.start:piece.end], title=piece.title,
                attributes=dict(raw.attributes), source_path=raw.source_path, source_kind=raw.source_kind,
                source_line=piece.line, encoding=raw.encoding, lines_are_paragraphs=raw.lines_are_paragraphs,
                furniture=[(max(a, piece.start) - piece.start, min(b, piece.end) - piece.start)
                           for a, b in raw.furniture if a < piece.end and b > piece.start]))
        report.compilations.append((raw.source_path, len(pieces), sum(b - a for a, b in left_out)))
    return out


def _under_folder(raw: RawCase, folders: list[Path]) -> tuple[str, ...] | None:
    """The folders from one given (its own name first) down to the file ``raw`` was read
    from; None for a file given by name."""
    if not raw.source_path:
        return None
    path = Path(raw.source_path)
    for folder in folders:
        try:
            return (folder.name, *path.relative_to(folder).parent.parts)
        except ValueError:
            continue
    return None


def _ids_from_folders(raw_cases: list[RawCase], folders: list[Path]) -> None:
    """A document's case id from its path under the folder given, folders joined by "-"
    (cases/江西/案例1.txt -> 江西-案例1): files named alike in a folder each (案例1.txt in every
    province's folder) get ids of their own. A file right in the folder keeps its name."""
    for raw in raw_cases:
        if raw.source_kind not in TABLE_KINDS and (parts := _under_folder(raw, folders)) is not None:
            raw.id = "-".join((*parts[1:], raw.id))


def _provinces_from_folders(raw_cases: list[RawCase], folders: list[Path], report: ImportReport) -> None:
    """A case file in a folder named after a province (cases/江西/案例1.txt, 广西壮族自治区/...)
    takes it as its province, the nearest such folder first, unless the case or its metadata
    (joined before) names one."""
    for raw in raw_cases:
        parts = _under_folder(raw, folders)
        if parts is None or any(k.lower() in PROVINCE_FIELDS for k in raw.attributes):
            continue
        named = next((part for part in reversed(parts) if normalise_province(part).canonical), None)
        if named is not None:
            raw.attributes["province"] = named
            report.province_folders.setdefault(named, []).append(raw.id)


def _provinces_from_titles(raw_cases: list[RawCase], report: ImportReport) -> None:
    """A case whose title, or else file name, opens with a province (贵州威宁：..., 【走基层】云南：...,
    01 甘肃省临夏州...; :func:`caseminer.nlp.provinces.province_at_start`) takes it as its
    province, unless the case, its metadata or its folder gives one."""
    for raw in raw_cases:
        if any(k.lower() in PROVINCE_FIELDS and str(v or "").strip() for k, v in raw.attributes.items()):
            continue
        named = province_at_start(raw.title) or (
            province_at_start(Path(raw.source_path).stem) if raw.source_kind not in TABLE_KINDS and raw.source_path
            else None)
        if named is not None:
            raw.attributes = {k: v for k, v in raw.attributes.items() if k.lower() not in PROVINCE_FIELDS}
            raw.attributes["province"] = named
            report.province_titles.setdefault(named, []).append(raw.id)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _read_files(files: list[Path], options: TableOptions, report: ImportReport, *, max_case_mb: float,
                progress: Callable[[int, int, str], None] | None) -> list[RawCase]:
    """The cases of every file that reads; the problems of the others go to ``report``."""
    raw_cases: list[RawCase] = []
    for done, path in enumerate(files, start=1):
        try:
            size_mb = path.stat().st_size / 1e6
            if size_mb > max_case_mb and path.suffix.lower() not in TABLE_SUFFIXES:
                raise fail(InvalidInput, "E213", path=path, size=f"{size_mb:.1f}", limit=f"{max_case_mb:g}")
            raw_cases.extend(read_file(path, options))
        except PartialRead as e:  # a table with some bad rows: the good rows wait for the verdict
            raw_cases.extend(e.cases)
            report.problems.extend(e.problems)
        except CaseminerError as e:
            report.problems.append((str(path), e.message))
        except Exception as e:  # a reader bug must not lose the others' report
            log.exception("unexpected error reading %s", path)
            report.problems.append((str(path), f"{path}: unexpected error {type(e).__name__}: {e}"))
        if progress:
            progress(done, len(files), str(path))
    report.files_read = len(files)
    return raw_cases


def import_records(project: Project, raw_cases: list[RawCase], *, settings: dict, skip_bad: bool = False,
                   simplify: bool = False, keep_references: bool = False, keep_markup: bool = False,
                   max_case_mb: float = DEFAULT_MAX_CASE_MB, report: ImportReport | None = None,
                   total: int | None = None, inputs: InputsRead | None = None,
                   coder: str | None = None) -> ImportReport:
    """Store cases already read (from files, or from a REFI-QDA project) in one run.

    Raises :class:`ImportFailed` with every problem (nothing written) unless
    ``skip_bad``; problems found while reading are passed in ``report``. ``inputs``:
    :meth:`.Project.inputs_read` taken before the cases were read (the run's start);
    by default, now.
    """
    inputs = inputs or project.inputs_read()
    report = report or ImportReport()
    prepared = _prepare(raw_cases, simplify=simplify, keep_references=keep_references, keep_markup=keep_markup,
                        max_case_mb=max_case_mb, report=report)
    _check_ids(project, prepared, report)
    if report.problems and not skip_bad:
        details = "\n".join(f"- {message}" for _path, message in report.problems)
        bad = len({path for path, _message in report.problems})
        total = max(total or len(raw_cases), bad, 1)
        # One problem per file reads as files that failed; several in one table as rows; the
        # metadata file's alone as the metadata's (every case file could be read)
        if report.metadata and {path for path, _message in report.problems} == {report.metadata}:
            raise ImportFailed(Messages.E222.format(path=report.metadata, details=details), problems=report.problems,
                               code="E222")
        template = Messages.E216 if bad == len(report.problems) else Messages.E217
        message = template.format(count=len(report.problems), bad=bad, total=total, details=details)
        raise ImportFailed(message, problems=report.problems)
    with project.run("import", settings, inputs=inputs, coder=coder) as run:
        report.run_id = run.id
        _write(project, prepared, run.id, report)
        new = set(report.imported)
        report.traditional = [(case_id, share) for case_id, share in report.traditional if case_id in new]
        report.references = [(case_id, chars) for case_id, chars in report.references if case_id in new]
        report.page_furniture = [case_id for case_id in report.page_furniture if case_id in new]
        report.markup = [(case_id, counts) for case_id, counts in report.markup if case_id in new]
        report.text_columns = _recognised_text_columns(prepared, new, settings.get("text_field", DEFAULT_TEXT_FIELD))
        run.counts.update({"imported": len(report.imported), "already_present": len(report.already_present),
                           "attributes_updated": len(report.attributes_updated),
                           "duplicates": len(report.duplicates), "problems": len(report.problems),
                           "unknown_provinces": len(report.unknown_provinces),
                           "traditional": len(report.traditional),
                           "references_left_out": len(report.references),
                           "page_furniture_left_out": len(report.page_furniture),
                           "markup_read": len(report.markup)})
        if province_folders := sum(len(ids) for ids in report.province_folders.values()):
            run.counts["province_from_folder"] = province_folders
        if province_titles := sum(i in new for ids in report.province_titles.values() for i in ids):
            run.counts["province_from_title"] = province_titles
        if report.compilations:
            run.counts["cut_into_cases"] = {path: cases for path, cases, _ in report.compilations}
        if report.passed_over:  # the paths: importing a folder again passes over the same files
            run.counts["passed_over"] = report.passed_over
        if report.folder_docs:
            run.counts["folder_docs"] = report.folder_docs
        if report.text_columns:
            run.counts["text_columns"] = report.text_columns
    return report


def _recognised_text_columns(prepared: list[PreparedCase], new: set[str], named: str) -> dict[str, int]:
    """Text column -> number of files, for the new cases read from a column other than ``named``."""
    files: dict[str, set[str]] = {}
    for case in prepared:
        column = case.raw.text_column
        if case.raw.id in new and column is not None and column != named:
            files.setdefault(column, set()).add(case.raw.source_path)
    return {column: len(paths) for column, paths in sorted(files.items())}


def _join_metadata(raw_cases: list[RawCase], meta_path: Path, report: ImportReport) -> None:
    try:
        key, rows = read_metadata(meta_path)
    except CaseminerError as e:
        report.problems.append((str(meta_path), e.message))
        return
    by_name: dict[str, RawCase] = {}
    by_file: dict[str, list[RawCase]] = {}  # a file's name, and its name without the suffix
    for case in raw_cases:
        by_name[case.id] = case
        if case.source_path and case.source_kind not in TABLE_KINDS:
            path = Path(case.source_path)
            for name in dict.fromkeys((path.name, path.stem)):
                by_file.setdefault(name, []).append(case)
    unknown, ambiguous = [], []
    for line, row in rows:
        value = (row.get(key) or "").strip()
        case = by_name.get(value)
        if case is None and ("/" in value or "\\" in value):  # a path under the folder: 江西/案例1.txt
            tail = "/" + value.replace("\\", "/").lstrip("./")
            found = [c for c in raw_cases if c.source_path and (Path(c.source_path).as_posix().endswith(tail)
                     or Path(c.source_path).with_suffix("").as_posix().endswith(tail))]
            case = found[0] if len(found) == 1 else None
        elif case is None:
            found = by_file.get(value) or by_file.get(Path(value).stem) or []
            if len(found) > 1:  # 案例1.txt in two folders: which one is meant?
                ambiguous.append(f"{value!r} (line {line}: {', '.join(c.source_path for c in found[:3])})")
                continue
            case = found[0] if found else by_name.get(Path(value).stem)
        if case is None:
            hint = lost_zeros_hint(value, [*by_name, *by_file])
            unknown.append(f"{value!r} (line {line}" + (f"; {hint}" if hint else "") + ")")
            continue
        for name, attr in row.items():
            if name == key:
                continue
            if name in TITLE_FIELDS:  # the researcher's own name of the case (案例名称), not its file's first line
                if (attr or "").strip():
                    case.title, case.title_from_metadata = attr.strip(), True
            else:
                case.attributes[name] = attr
        if key.lower() in PROVINCE_FIELDS:  # files named by province (上海市.txt): the key is the province too
            case.attributes.setdefault(key, Path(value).stem)
    if unknown:
        shown = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        report.problems.append((str(meta_path), fail(InvalidInput, "E207", path=meta_path, count=len(unknown),
                                                      names=shown).message))
    if ambiguous:
        report.problems.append((str(meta_path), fail(
            InvalidInput, "E201", path=meta_path,
            what=f"{len(ambiguous)} metadata row(s) name a file that several folders hold: {'; '.join(ambiguous[:5])}",
            fix="Name the case by its id or by its path under the folder imported (江西/案例1.txt).").message))


def _prepare(raw_cases: list[RawCase], *, simplify: bool, keep_references: bool, keep_markup: bool,
             max_case_mb: float, report: ImportReport) -> list[PreparedCase]:
    prepared = []
    for raw in raw_cases:
        size_mb = len(raw.text.encode("utf-8")) / 1e6
        if size_mb > max_case_mb:  # rows of tables (files were checked before reading)
            where = f"{raw.source_path}, line {raw.source_line}" if raw.source_line else raw.source_path
            report.problems.append((raw.source_path, fail(InvalidInput, "E213", path=where, size=f"{size_mb:.1f}",
                                                          limit=f"{max_case_mb:g}").message))
            continue
        references = None if keep_references else reference_list(raw.text)
        if references:
            report.references.append((raw.id, references[1] - references[0]))
        if raw.furniture:
            report.page_furniture.append(raw.id)
        leave_out = merged_spans(raw.furniture + ([references] if references else []))
        # markup inside what is left out goes with it and is not counted
        markup = [] if keep_markup else [m for m in markup_spans(raw.text)
                                         if not any(a < m.end and m.start < b for a, b in leave_out)]
        if markup:
            report.markup.append((raw.id, dict(markup_counts(markup))))
        normalised = normalise(raw.text, leave_out=leave_out, wrapped=not raw.lines_are_paragraphs,
                               replace=[(m.start, m.end, m.replacement) for m in markup])
        text = to_simplified(normalised.text) if simplify else normalised.text
        if not simplify and (share := traditional_share(normalised.text)) >= TRADITIONAL_SHARE:
            # jieba's lexicon is simplified: every word of such a text would look new
            report.traditional.append((raw.id, round(share, 3)))
        province_value = next((raw.attributes[k] for k in raw.attributes if k.lower() in PROVINCE_FIELDS), None)
        province = None
        if province_value:
            match = normalise_province(province_value)
            province = match.canonical
            if province is None:
                report.unknown_provinces.append((raw.id, province_value))
        digest = hashlib.sha256(raw.text.encode("utf-8")).hexdigest()
        prepared.append(PreparedCase(raw, text, normalised.offsets, digest, province))
    return prepared


def _check_ids(project: Project, prepared: list[PreparedCase], report: ImportReport) -> None:
    """Refuse an id used twice in one import, or already used in the project for another text."""
    seen: dict[str, PreparedCase] = {}
    for case in prepared:
        other = seen.get(case.raw.id)
        if other is not None and other.content_hash != case.content_hash:
            report.problems.append((case.raw.source_path, fail(
                InvalidInput, "E201", path=case.raw.source_path,
                what=f"the case id {case.raw.id!r} is also used by {other.raw.source_path}",
                fix="Rename one of the files (file names are case ids), or give the rows distinct ids"
                    + (". Files named alike in folders of their own get ids from their folders with "
                       "--ids-from-folders (江西/案例1.txt -> 江西-案例1)."
                       if Path(case.raw.source_path).parent != Path(other.raw.source_path).parent
                       and case.raw.source_kind not in TABLE_KINDS else ".")).message))
        seen.setdefault(case.raw.id, case)
        row = project.conn.execute("SELECT content_hash FROM cases WHERE id=?", (case.raw.id,)).fetchone()
        if row is not None and row["content_hash"] != case.content_hash:
            report.problems.append((case.raw.source_path, fail(
                InvalidInput, "E201", path=case.raw.source_path,
                what=f"the project already has a case {case.raw.id!r} with a different text",
                fix="Rename the file (or the row's id) to import it as a new case, or delete the old case "
                    f"first with 'caseminer cases delete {case.raw.id}'.").message))


def _write(project: Project, prepared: list[PreparedCase], run_id: int, report: ImportReport) -> None:
    conn = project.conn
    position = conn.execute("SELECT COALESCE(MAX(position), 0) FROM cases").fetchone()[0]
    hashes_in_batch: dict[str, str] = {}
    for case in prepared:
        raw = case.raw
        existing = conn.execute("SELECT id FROM cases WHERE content_hash=?", (case.content_hash,)).fetchone()
        if existing is not None:
            if existing["id"] == raw.id:
                report.already_present.append(raw.id)
                # metadata that comes later (--meta on a second import) is joined to the case
                if changed := _update_attributes(conn, case) + _update_title(conn, raw):
                    report.attributes_updated.append((raw.id, sorted(changed)))
            else:
                report.duplicates.append((raw.id, existing["id"]))
            continue
        if case.content_hash in hashes_in_batch:
            report.duplicates.append((raw.id, hashes_in_batch[case.content_hash]))
            continue
        hashes_in_batch[case.content_hash] = raw.id
        position += 1
        conn.execute(
            "INSERT INTO cases(id, title, province, original_text, text, offset_map, content_hash, char_count, "
            "source_path, source_kind, source_line, encoding, import_run_id, position) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (raw.id, raw.title, case.province, raw.text, case.text, json.dumps(case.offsets.to_breakpoints()),
             case.content_hash, len(case.text), raw.source_path, raw.source_kind, raw.source_line, raw.encoding,
             run_id, position),
        )
        conn.executemany(
            "INSERT INTO case_attributes(case_id, name, value) VALUES (?,?,?)",
            [(raw.id, name, value) for name, value in raw.attributes.items()],
        )
        report.imported.append(raw.id)


def _update_title(conn, raw: RawCase) -> list[str]:
    """Set the title of a case already present to the one this import's metadata file gives
    (案例名称), if it gives one; returns ["title"] when it changed. A title read from the case's
    own file never replaces a stored one (it may have come from the metadata before)."""
    stored = conn.execute("SELECT title FROM cases WHERE id=?", (raw.id,)).fetchone()["title"]
    if not raw.title_from_metadata or raw.title == stored:
        return []
    conn.execute("UPDATE cases SET title=? WHERE id=?", (raw.title, raw.id))
    return ["title"]


def _update_attributes(conn, case: PreparedCase) -> list[str]:
    """Set the attributes of a case already present to the values this import gives
    (an empty value changes nothing); returns the names set or changed."""
    stored = {r["name"]: r["value"] for r in conn.execute(
        "SELECT name, value FROM case_attributes WHERE case_id=?", (case.raw.id,))}
    changed = sorted(name for name, value in case.raw.attributes.items()
                     if value not in (None, "") and stored.get(name) != value)
    conn.executemany("INSERT OR REPLACE INTO case_attributes(case_id, name, value) VALUES (?,?,?)",
                     [(case.raw.id, name, case.raw.attributes[name]) for name in changed])
    if any(name.lower() in PROVINCE_FIELDS for name in changed):
        # as a new case's: the canonical province, or none for a value it does not know (reported)
        conn.execute("UPDATE cases SET province=? WHERE id=?", (case.province, case.raw.id))
    return changed


# -- reading cases back -----------------------------------------------------------------


@dataclass
class Case:
    """A case as stored: both texts, the offset map and the attributes."""

    id: str
    title: str
    province: str | None
    original_text: str
    text: str
    offsets: OffsetMap
    attributes: dict[str, str | None]
    char_count: int
    source_path: str | None

    def as_dict(self, *, with_text: bool = False) -> dict:
        attributes = dict(self.attributes)
        for name in list(attributes):
            if name.lower() in PROVINCE_FIELDS:
                raw_value = attributes.pop(name)
                if raw_value != self.province:
                    attributes[f"{name}_raw"] = raw_value
        out = {"id": self.id, "title": self.title, "province": self.province, "attributes": attributes,
               "chars": self.char_count, "source": self.source_path}
        if with_text:
            out["text"] = self.original_text
        return out


def corpus_summary(project: Project) -> dict[str, int]:
    """Cases, characters and distinct known provinces of the project."""
    cases, chars, provinces = project.conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(char_count), 0), COUNT(DISTINCT province) FROM cases").fetchone()
    return {"cases": cases, "characters": chars, "provinces": provinces}


def list_cases(project: Project, *, where: dict[str, str] | None = None) -> list[Case]:
    """All cases in import order, optionally filtered by attribute values (``province`` is canonical)."""
    rows = project.conn.execute("SELECT * FROM cases ORDER BY position").fetchall()
    attributes = _attributes(project)
    cases = [_case(row, attributes.get(row["id"], {})) for row in rows]
    for name, value in (where or {}).items():
        if name == "province":
            canonical = normalise_province(value).canonical or value
            cases = [c for c in cases if c.province == canonical]
        else:
            cases = [c for c in cases if c.attributes.get(name) == value]
    return cases


def search_cases(project: Project, query: str, *, where: dict[str, str] | None = None,
                 limit: int | None = None) -> list[tuple[Case, list[tuple[int, int]]]]:
    """Cases whose text contains ``query`` (after the same normalisation as the texts,
    so ２０２１ finds 2021), with the hit spans in *original* offsets, best first."""
    needle = normalise(query).text.strip()
    if not needle:
        return []
    out = []
    for case in list_cases(project, where=where):
        spans = []
        start = case.text.find(needle)
        while start != -1:
            spans.append(case.offsets.span_to_original(start, start + len(needle)))
            start = case.text.find(needle, start + 1)
        if spans:
            out.append((case, spans))
    out.sort(key=lambda item: -len(item[1]))
    return out[:limit] if limit else out


def left_out_of_analysis(project: Project) -> dict[str, int]:
    """How many cases' analysis texts leave out a reference list (found in the original
    and not analysed), how many read their markup as a reader sees it (:mod:`caseminer.nlp.markup`)
    and how many are PDFs read across their page breaks, from the stored texts (so a case
    deleted since its import no longer counts)."""
    references = markup = pdfs = 0
    for row in project.conn.execute("SELECT original_text, text, offset_map, source_kind FROM cases"):
        pdfs += row["source_kind"] == "pdf"
        original = row["original_text"]
        span = reference_list(original)
        # the first markup outside a reference list (no entity: &amp; stands for the & it starts
        # with): does the analysis text hold its first character as written (a ! or ( of it
        # maybe made Chinese punctuation), or leave it out, or hold what stands for it?
        first = next((m.start for m in markup_spans(original) if m.kind != "entity"
                      and not (span is not None and span[0] <= m.start < span[1])), None)
        if span is None and first is None:
            continue
        offsets = OffsetMap.from_breakpoints(json.loads(row["offset_map"]), len(row["text"]))
        if span is not None:  # found in the original: was its heading left out?
            listed = original[span[0]:span[1]]  # its heading's first word, after a Markdown mark (# 参考文献)
            heading = span[0] + len(listed) - len(listed.lstrip().lstrip("#").lstrip())
            references += any(a <= heading < b for a, b in left_out_spans(original, offsets))
        if first is not None:
            k = bisect.bisect_left(offsets.starts, first)
            markup += not (k < len(row["text"]) and offsets.starts[k] == first
                           and unicodedata.normalize("NFKC", row["text"][k]) == original[first])
    return {"references": references, "markup": markup, "pdf": pdfs}


def require_case(project: Project, case_id: str) -> None:
    """E305 unless the project holds a case ``case_id``."""
    if project.conn.execute("SELECT 1 FROM cases WHERE id=?", (case_id,)).fetchone() is None:
        raise fail(NotFound, "E305", case_id=case_id)


def get_case(project: Project, case_id: str) -> Case:
    row = project.conn.execute("SELECT * FROM cases WHERE id=?", (case_id,)).fetchone()
    if row is None:
        raise fail(NotFound, "E305", case_id=case_id)
    attrs = {r["name"]: r["value"] for r in project.conn.execute(
        "SELECT name, value FROM case_attributes WHERE case_id=?", (case_id,))}
    return _case(row, attrs)


def case_texts(project: Project) -> dict[str, str]:
    """case id -> analysis text, in import order (the input of the text stages)."""
    return {row["id"]: row["text"] for row in project.conn.execute("SELECT id, text FROM cases ORDER BY position")}


#: Attributes read from the province where no case has one of its own: ``region``, the
#: National Bureau of Statistics' four regions (东部, 中部, 西部, 东北; 港澳台 apart), the
#: grouping Chinese policy studies compare when a province holds a few cases each.
DERIVED_FROM_PROVINCE = {"region": region_of}


def attribute_names(project: Project) -> list[str]:
    """Every attribute name used by at least one case, plus ``province``, plus the
    attributes derived from it (``region``) where a case has a province."""
    names = {r[0] for r in project.conn.execute("SELECT DISTINCT name FROM case_attributes")}
    if project.conn.execute("SELECT 1 FROM cases WHERE province IS NOT NULL LIMIT 1").fetchone():
        names |= set(DERIVED_FROM_PROVINCE)
    return sorted(names | {"province"})


def attribute_order(name: str) -> list[str] | None:
    """The order a table lists the groups of an attribute in, where it has one of its own:
    provinces as the statistical yearbooks list them (北京, 天津, 河北 ...), regions as the
    National Bureau of Statistics does (东部, 中部, 西部, 东北); None for the others (numbers
    in order, text by code point)."""
    return {"province": list(PROVINCES), "region": list(REGIONS)}.get(name)


def derived_attribute(project: Project, name: str) -> bool:
    """Whether ``name`` is read from the cases' provinces (no case has it of its own)."""
    return name in DERIVED_FROM_PROVINCE and not project.conn.execute(
        "SELECT 1 FROM case_attributes WHERE name=? LIMIT 1", (name,)).fetchone()


def case_attribute_values(project: Project, name: str) -> dict[str, str | None]:
    """case id -> value of one attribute (``province`` gives the canonical province,
    ``region`` its region unless the cases have a region of their own).

    An attribute no case has is an error naming the ones that exist (a typo in
    ``--by`` must not put every case into one "(missing)" group)."""
    if name not in attribute_names(project):
        raise InvalidInput(f"No case has an attribute {name!r}. Attributes in this project: "
                           f"{', '.join(attribute_names(project))}.")
    if name == "province":
        return {r["id"]: r["province"] for r in project.conn.execute("SELECT id, province FROM cases")}
    if derived_attribute(project, name):
        derive = DERIVED_FROM_PROVINCE[name]
        return {r["id"]: r["province"] and derive(r["province"])
                for r in project.conn.execute("SELECT id, province FROM cases")}
    values = {r["id"]: None for r in project.conn.execute("SELECT id FROM cases")}
    for r in project.conn.execute("SELECT case_id, value FROM case_attributes WHERE name=?", (name,)):
        values[r["case_id"]] = r["value"]
    return values


def delete_case(project: Project, case_id: str) -> None:
    get_case(project, case_id)
    with project.transaction() as conn:
        conn.execute("DELETE FROM cases WHERE id=?", (case_id,))


def _attributes(project: Project) -> dict[str, dict[str, str | None]]:
    out: dict[str, dict[str, str | None]] = {}
    for r in project.conn.execute("SELECT case_id, name, value FROM case_attributes ORDER BY rowid"):
        out.setdefault(r["case_id"], {})[r["name"]] = r["value"]
    return out


def _case(row, attributes: dict[str, str | None]) -> Case:
    offsets = OffsetMap.from_breakpoints(json.loads(row["offset_map"]), len(row["text"]))
    return Case(row["id"], row["title"], row["province"], row["original_text"], row["text"], offsets,
                attributes, row["char_count"], row["source_path"])
