"""Page 9: files in and out. What the command line exports (the review workbook, the merge
suggestions, the thesaurus, the codebook, the coding table, the REFI-QDA project, the
report) downloaded from the browser, and the files researchers edit in Excel, WPS or
another QDA program brought back (an edited review or suggestions workbook, a thesaurus,
a codebook or coding table, a .qdpx project), each through the one library function the
command of the same name calls.

An upload is never trusted: only the suffixes its kind reads are taken, the file is saved
under a fresh temporary folder (its own name reduced to a bare file name, so no path of the
request reaches the file system), read by the library's reader (which refuses zip-slip
members and XML entities in a .qdpx) and deleted afterwards. Messages name the file by the
name it was uploaded with. Downloads are written into a temporary folder and sent from
memory; the report's files are served from the project's report folder by fixed names.

Case files are the exception to "deleted afterwards": they are the sources of the cases, kept
in the project's ``sources/upload-TIME/`` as sent (each part of a folder's path made a file
name, '..' dropped) and imported from there as `caseminer import FOLDER` imports a folder.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from flask import Blueprint, current_app, render_template, request, send_file, send_from_directory

from ...errors import CaseminerError
from ...pipeline.spreadsheets import SUFFIXES as SHEET_SUFFIXES
from ...project import Project
from .base import WebError, coder, done, lang, param, project, said, t
from .stats import grouping_names

bp = Blueprint("files", __name__)

#: Largest upload taken (a .qdpx holds every case's text; the workbench's other requests keep
#: the app's 2 MB limit).
UPLOAD_MB = 200
#: The routes that take uploads, and so UPLOAD_MB (the app sets the limit before the form is read).
UPLOAD_ENDPOINTS = ("files.upload", "files.upload_cases")
#: Case files taken in one upload, and the folder depth kept of a folder sent whole.
MAX_CASE_FILES = 5000
MAX_DEPTH = 6
#: The report's files, by the names write_report gives them; nothing else is served.
REPORT_FILES = ("report.html", "report.docx", "tables.xlsx")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


@dataclass(frozen=True)
class Download:
    filename: str
    label: str  # what it is, in the page's words
    write: Callable[[Project, Path], None]


def _review(p: Project, path: Path) -> None:
    from ...pipeline.review_workbook import export_review

    export_review(p, path)


def _suggestions(p: Project, path: Path) -> None:
    from ...pipeline.normalise import export_suggestions

    export_suggestions(p, path)


def _thesaurus(p: Project, path: Path) -> None:
    from ...pipeline.normalise import export_thesaurus

    path.write_text(export_thesaurus(p), encoding="utf-8-sig")  # Excel reads a CSV with a BOM as UTF-8


def _codebook(fmt: str) -> Callable[[Project, Path], None]:
    def write(p: Project, path: Path) -> None:
        from ...coding.codebook_files import export_codebook_file

        export_codebook_file(p, path, fmt)
    return write


def _qdpx(p: Project, path: Path) -> None:
    from ...exchange.project_io import export_project

    export_project(p, path)


DOWNLOADS: dict[str, Download] = {
    "review": Download("review.xlsx", "Review workbook: a row per case and keyword, a decision column to fill in",
                       _review),
    "suggestions": Download("merge-suggestions.xlsx", "Merge suggestions: fill in merge or reject", _suggestions),
    "thesaurus": Download("thesaurus.csv", "Thesaurus: variant and core keyword", _thesaurus),
    "codebook": Download("codebook.qdc", "Codebook for NVivo, ATLAS.ti, MAXQDA, QualCoder (REFI-QDA .qdc)",
                         _codebook("qdc")),
    "coding-table": Download("coding-table.xlsx", "Coding table as a paper prints it", _codebook("xlsx")),
    "qdpx": Download("project.qdpx", "The whole project for NVivo, ATLAS.ti, MAXQDA, QualCoder (REFI-QDA .qdpx)",
                     _qdpx),
}


@dataclass(frozen=True)
class Upload:
    suffixes: tuple[str, ...]
    label: str
    read: Callable[[Project, Path, str, str], str]  # (project, file, its name, coder) -> what was done


def _read_review(p: Project, path: Path, _name: str, who: str) -> str:
    from ...pipeline.review_workbook import import_review

    result = import_review(p, path, coder=who)
    message = t("Applied {n} decision(s) from sheet {sheet}; {same} row(s) already had that state.").format(
        n=len(result.applied), sheet=result.sheet, same=result.unchanged)
    if result.rows_missing:
        gone = t("{n} exported row(s) are no longer in the workbook; their keywords keep their current state.")
        message += " " + gone.format(n=result.rows_missing)
    return message


def _read_thesaurus(p: Project, path: Path, _name: str, who: str) -> str:
    from ...pipeline.normalise import counts, import_thesaurus

    recorded = import_thesaurus(p, path, coder=who)
    now = counts(p)
    return t("Recorded {n} decision(s). Keywords: {raw} raw, {distinct} distinct, {core} core.").format(
        n=recorded, raw=now.raw_keywords, distinct=now.distinct_keywords, core=now.core_keywords)


def _read_codebook(p: Project, path: Path, name: str, who: str) -> str:
    from ...coding.codebook_files import import_codebook_file

    done_ = import_codebook_file(p, path, coder=who, source=f"{name} (uploaded)")
    message = t("Imported {n} codes from {name}.").format(n=len(done_.result.code_ids), name=name)
    if done_.table is not None and done_.table.quotations:
        message += " " + t("Coded {n} of {total} quotation(s) where the cases write them.").format(
            n=len(done_.result.coded), total=len(done_.table.quotations))
    return message


def _read_qdpx(p: Project, path: Path, name: str, who: str) -> str:
    from ...exchange.project_io import import_project

    got = import_project(p, path, coder=who, source=f"{name} (uploaded)")
    return t("Imported {name}: {cases} cases, {codes} codes, {codings} codings, {memos} memos.").format(
        name=name, cases=got.get("cases", 0), codes=got.get("codes", 0), codings=got.get("codings", 0),
        memos=got.get("memos", 0))


UPLOADS: dict[str, Upload] = {
    "review": Upload(SHEET_SUFFIXES, "Edited review workbook", _read_review),
    "thesaurus": Upload((".csv", *SHEET_SUFFIXES), "Thesaurus (CSV) or edited merge suggestions", _read_thesaurus),
    "codebook": Upload((".qdc", ".yaml", ".yml", ".csv", *SHEET_SUFFIXES), "Codebook (.qdc, .yaml) or coding table",
                       _read_codebook),
    "qdpx": Upload((".qdpx",), "REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, QualCoder", _read_qdpx),
}


@bp.get("/files")
def files_page():
    folder = project().path / "report"
    report = [(name, datetime.fromtimestamp((folder / name).stat().st_mtime))
              for name in REPORT_FILES if (folder / name).is_file()]
    return render_template("files.html", downloads=DOWNLOADS, uploads=UPLOADS, report=report,
                           upload_mb=UPLOAD_MB, groupings=grouping_names(project()))


@bp.get("/files/download/<key>")
def download(key: str):
    item = DOWNLOADS.get(key)
    if item is None:
        raise WebError(t("Not found."), 404)
    folder = Path(tempfile.mkdtemp(prefix="caseminer-download-"))
    try:
        path = folder / item.filename
        item.write(project(), path)
        data = io.BytesIO(path.read_bytes())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    name = item.filename if key != "qdpx" else f"{current_app.config['PROJECT_DIR'].name}.qdpx"
    return send_file(data, as_attachment=True, download_name=name)


@bp.get("/files/report/<name>")
def report_file(name: str):
    if name not in REPORT_FILES:
        raise WebError(t("Not found."), 404)
    response = send_from_directory(project().path / "report", name, as_attachment=name != "report.html")
    if name == "report.html":
        # the report is one self-contained file: its styles, fonts and figures inline, no script;
        # the workbench's own policy ('self' only) would show it unstyled
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'")
    return response


@bp.post("/files/report")
def write_report_files():
    from ...report.collect import write_report

    by = param("by", "province")
    paths = write_report(project(), project().path / "report", by=by, periods=param("periods"))
    message = t("Wrote the report: {files}.").format(files=", ".join(p.name for p in paths.values()))
    return done({"message": message, "files": [p.name for p in paths.values()]}, message=message)


@bp.post("/files/upload/<kind>")
def upload(kind: str):
    item = UPLOADS.get(kind)
    if item is None:
        raise WebError(t("Not found."), 404)
    who = coder()
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        raise WebError(t("Choose a file first."), 400)
    name = upload_name(sent.filename)
    if Path(name).suffix.lower() not in item.suffixes:
        raise WebError(t("{name}: this takes {suffixes} files.").format(name=name, suffixes=" ".join(item.suffixes)),
                       400)
    folder = Path(tempfile.mkdtemp(prefix="caseminer-upload-"))
    try:
        path = folder / name
        sent.save(path)
        with named_as_sent(folder):
            message = item.read(project(), path, name, who)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return done({"message": message}, message=message)


@bp.post("/files/cases")
def upload_cases():
    """Case files (several, or a folder's), kept in the project's folder ``sources/`` as sent
    and imported from there as `caseminer import FOLDER` imports them; the files of an import
    that brings no new case are not kept."""
    from ...pipeline.corpus import import_cases

    who = coder()  # a change of the project: made by someone named, recorded on the import's run
    sent = [f for f in request.files.getlist("files") if f.filename]
    if not sent:
        raise WebError(t("Choose a file first."), 400)
    if len(sent) > MAX_CASE_FILES:
        raise WebError(t("At most {n} files at once; import a larger corpus with 'caseminer import FOLDER'.").format(
            n=MAX_CASE_FILES), 400)
    places = [upload_path(f.filename) for f in sent]
    if len(set(places)) != len(places):
        raise WebError(t("Two files have the same name: {name}.").format(
            name=next(str(p) for p in places if places.count(p) > 1)), 400)
    p = project()
    folder = p.path / "sources" / f"upload-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}"
    try:
        for storage, place in zip(sent, places):
            (folder / place).parent.mkdir(parents=True, exist_ok=True)
            storage.save(folder / place)
        # a folder sent whole arrives as FOLDER/...: import FOLDER, so that a metadata table in it is found
        tops = {place.parts[0] for place in places}
        root = folder / tops.pop() if len(tops) == 1 and all(len(place.parts) > 1 for place in places) else folder
        with named_as_sent(folder):  # the two options of `caseminer import` a case file most often needs
            report = import_cases(p, [root], simplify=param("simplify") == "1",
                                  split_at="cases" if param("split_at_cases") == "1" else None, coder=who)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not report.imported:
        shutil.rmtree(folder, ignore_errors=True)
    lines = [t("Imported {n} case(s) from {files} file(s).").format(n=len(report.imported), files=report.files_read)]
    if report.already_present:
        lines.append(t("{n} case(s) were already in the project.").format(n=len(report.already_present)))
    warning = report.traditional_warning()
    lines += [said(_as_sent(note, folder)) for note in [*report.notes(), *([warning] if warning else [])]]
    message = ("" if lang() == "zh" else " ").join(lines)  # Chinese sentences run on
    return done({"message": message, "imported": report.imported}, message=message)


@contextmanager
def named_as_sent(folder: Path):
    """The library names a file by its path; the person knows it by the name it was sent with."""
    try:
        yield
    except CaseminerError as error:
        error.args = (_as_sent(error.message, folder),)
        raise


def _as_sent(message: str, folder: Path) -> str:
    return message.replace(str(folder) + "/", "").replace(str(folder), t("(the upload)"))


def upload_path(sent: str) -> Path:
    """Where a case file sent (a bare name, or a folder's FOLDER/sub/name) is kept under the
    upload's folder: each part made a file name (:func:`_file_name`), '.', '..' and empty parts
    dropped, so no name sent reaches outside."""
    parts = [part for part in re.split(r"[/\\]", sent) if part not in ("", ".", "..")]
    kept = [_file_name(part) or "_" for part in parts[-MAX_DEPTH:]]
    return Path(*kept) if kept else Path("upload")


def upload_name(sent: str) -> str:
    """A bare file name for an upload: the last part of what the browser sent (some send a
    whole Windows path), without characters no file name may hold, never empty or hidden."""
    name = _file_name(re.split(r"[/\\]", sent)[-1]).lstrip(".")
    return name if Path(name).stem else f"upload{Path(name).suffix}"


def _file_name(part: str) -> str:
    """``part`` without characters no file name may hold, at most 120 characters (its suffix kept)."""
    name = _UNSAFE_NAME.sub("_", part).strip()
    suffix = Path(name).suffix
    return name[:120 - len(suffix)] + suffix if len(name) > 120 else name
