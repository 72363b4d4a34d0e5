"""One exception tree for caseminer, with a catalogue of coded messages.

Every error a user can meet says what happened, where (file, line, column, case,
setting) and how to fix it. Messages live here, as ``E###`` templates, so that they
can be tested, documented and later translated at the boundary (CLI, web).

The CLI turns any :class:`CaseminerError` into a one-paragraph message and a
non-zero exit code in one place (``caseminer.cli.main``); the web layer turns it
into the JSON error shape ``{"ok": false, "error": ..., "code": ..., "status": ...}``.
"""

from __future__ import annotations


class Messages:
    """The message catalogue. ``E###`` codes are stable: tests and docs cite them."""

    # 1xx: the project file
    E101 = (
        "No caseminer project found (looked at {where}). Create one with "
        "'caseminer init DIR', or point to an existing one with --project DIR or "
        "the CASEMINER_PROJECT variable."
    )
    E102 = (
        "{path} already holds a caseminer project. Use it as it is, or choose "
        "another folder for 'caseminer init'."
    )
    E103 = (
        "The project database {path} was written by a newer caseminer (schema "
        "version {found}, this caseminer knows up to {known}). Upgrade caseminer with "
        "'pip install -U caseminer'."
    )
    E104 = (
        "The project settings file {path} cannot be read: {reason}. Fix the file "
        "(it is TOML) or delete it to get the defaults back."
    )
    E105 = (
        "The project database {path} is damaged ({reason}). Restore it from a backup; "
        "caseminer will not write to a damaged project."
    )

    # 2xx: input files
    E201 = "{path}: {what}. {fix}"
    E202 = (
        "{path}: cannot decode the file as UTF-8, UTF-16 or GB18030 (first bad byte "
        "at line {line}, column {column}). Save it as UTF-8 in your editor (in Excel: "
        "'CSV UTF-8'), then import it again."
    )
    E203 = (
        "{path} is empty. Remove it from the folder or give it text, then import again."
    )
    E204 = (
        "{path} looks like a binary file, not text ({reason}). Import .txt, .md, .docx, .doc, .wps, "
        ".pdf, .html, .csv, .xlsx, .xls, .ods or .jsonl files only."
    )
    E205 = (
        "{path}: no column named {column!r} (columns found: {found}).{meta} Name the text "
        "column with --text-field{hint}, or rename the column in the file."
    )
    E206 = (
        "{path}, line {line}: this row has {got} fields but the header has {expected}. "
        "Check for an unquoted comma or a missing quote on that line."
    )
    E207 = (
        "{path}: {count} metadata row(s) name no imported case: {names}. Check the "
        "spelling of the file names or ids in the first column of the metadata file."
    )
    E208 = (
        "{path}: the file type {suffix!r} is not supported.{hint} Import .txt, .md, .docx, .doc, .wps, "
        ".pdf, .html, .csv, .xlsx, .xls, .ods or .jsonl files."
    )
    E209 = (
        "{path}: cannot read the file as {kind}: {reason}. Open it in its program "
        "and save it again, or export the text as .txt."
    )
    E210 = (
        "{path}: the PDF has no text layer (it is probably a scan). Run OCR on it "
        "first (for example with ocrmypdf), or import the text as .txt."
    )
    E211 = (
        "{path}, line {line}, column {column}: invalid JSON ({reason}). Each line of a "
        ".jsonl file must be one JSON object."
    )
    E212 = (
        "{path}, line {line}: the case has no text in field {column!r}. Fill it in or "
        "remove the row."
    )
    E213 = (
        "{path}: {size} MB is over the limit of {limit} MB for one case. Split the "
        "file into cases, or raise the limit with --max-case-mb."
    )
    E214 = (
        "{path}, line {line}: the id {case_id!r} is used twice in this import. Give "
        "every case its own id."
    )
    E215 = "Nothing to import: {path} does not exist. Check the path."
    E216 = (
        "{count} of {total} file(s) could not be imported; nothing was written.\n"
        "{details}\nFix these files, or give --skip-bad to import the others and list "
        "the bad ones."
    )
    E217 = (
        "{count} problem(s) in {bad} of {total} file(s) stopped the import; nothing was written.\n"
        "{details}\nFix these rows, or give --skip-bad to import the others and list "
        "the bad ones."
    )
    E218 = (
        "{path}: no column named {column!r} for the case ids (columns found: {found}). Give "
        "--id-field one of these, or leave it out: the ids then come from a column named id, 编号 or "
        "案例编号 whose values no two rows share, else each row is named FILE-LINE."
    )
    E219 = (
        "--split-at {pattern!r} is no regular expression ({error}). Give 'cases' (lines that open "
        "with 案例一, 案例 2, 【案例3】 ...) or a Python regular expression that a case's heading line "
        "starts with, e.g. '^第[一二三四五六七八九十]+篇'."
    )
    E220 = (
        "{path}: no line starts with a case heading ({pattern}), so the document was not cut into "
        "cases. Check the headings in the file, give --split-at the pattern they follow, or import "
        "the file without --split-at as one case."
    )
    E221 = "{path}: cannot read the file as {kind}: {reason}. {fix}."
    E223 = (
        "{path}: the PDF's text layer does not hold its text ({reason}): its fonts map the characters "
        "wrongly. Copy a paragraph out of the PDF: if it reads garbled there too, export the PDF again from "
        "the original document (Word or WPS: 另存为 PDF), import the original .docx, or run OCR on the PDF "
        "(ocrmypdf --force-ocr)."
    )
    E224 = (
        "Nothing to import: the folder {path} holds no file caseminer reads as a case ({holds}).{scans} Give the "
        "folder that holds the case files (.txt, .md, .docx, .doc, .wps, .pdf, .html, .csv, .xlsx, .xls, "
        ".ods or .jsonl), or a file's own path."
    )
    E225 = (
        "Nothing to analyse: no case was imported from {paths}, and the project holds none. {why}"
    )
    E226 = (
        "Nothing to analyse: the project {path} holds no case. Give the case files or folders to import: "
        "'caseminer run CASES/ --out {path}'."
    )
    E222 = (
        "The metadata file {path} does not fit the cases; nothing was written.\n{details}\nFix the "
        "metadata file, or give --skip-bad to import the cases with the rows that fit (the others are "
        "listed)."
    )

    # 3xx: settings and stage order
    E301 = "The {name!r} setting of {stage} must be {constraint}. Got {value!r} instead."
    E302 = "{stage} needs {requires} first. Run 'caseminer {command}'."
    E303 = (
        "Unknown segmenter backend {name!r}. Choose one of: {choices}. caseminer "
        "never falls back to another segmenter silently."
    )
    E304 = (
        "The segmenter backend {name!r} needs the package {package!r}, which is not "
        "installed. Install it with: pip install {package}"
    )
    E305 = "No case with id {case_id!r} in this project. List the ids with 'caseminer cases'."
    E306 = "Unknown setting {name!r} for {stage}. Known settings: {known}."
    E307 = "No run with id {run_id} in this project. List the runs with 'caseminer status --history'."
    E308 = (
        "Cannot run the map of {stage} on a {kind}. Pass a dask.distributed Client or a "
        "concurrent.futures Executor (such as ProcessPoolExecutor(4)), or no executor to "
        "run on this machine."
    )
    E309 = (
        "Running on a Dask cluster needs dask's package 'distributed', which is not "
        "installed. Install it with: pip install 'caseminer[dask]'"
    )
    E310 = (
        "No Dask scheduler answered at {address} within {timeout:g} s ({reason}). Start "
        "one ('dask scheduler', then 'dask worker ADDRESS' on each machine) and give the "
        "address it prints, such as tcp://10.0.0.5:8786; or leave out --scheduler to run "
        "on this machine."
    )

    # 4xx: review, codebook, coding
    E401 = "{what}"

    # 5xx: exchange (REFI-QDA, workbooks)
    E501 = "{path}: {what}. {fix}"


class CaseminerError(Exception):
    """Base of every error caseminer raises on purpose.

    ``code`` is the catalogue code (``"E205"``); ``str(error)`` is the full message.
    """

    code: str = "E000"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code

    @classmethod
    def from_catalogue(cls, code: str, **fields):
        """Build the error from the message template ``Messages.<code>``."""
        template = getattr(Messages, code)
        return cls(template.format(**fields), code=code)

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class ProjectNotFound(CaseminerError):
    """No project where the user pointed (or nowhere at all)."""


class ProjectError(CaseminerError):
    """The project file exists but cannot be used as asked."""


class InvalidInput(CaseminerError):
    """An input file or value is malformed. The message names the place."""


class ImportFailed(InvalidInput):
    """A whole import was refused; ``problems`` lists (path, message) pairs."""

    def __init__(self, message: str, *, problems: list[tuple[str, str]], code: str = "E216"):
        super().__init__(message, code=code)
        self.problems = problems


class InvalidSetting(CaseminerError):
    """A stage setting is out of its range or of the wrong type."""


class StageNotRun(CaseminerError):
    """A stage needs the output of an earlier stage that has not been run."""


class BackendMissing(CaseminerError):
    """An optional backend (segmenter, embedding model) is unknown or not installed."""


class NotFound(CaseminerError):
    """A named object (case, code, keyword, coding) does not exist."""


class Conflict(CaseminerError):
    """A change was made against an older state (concurrent edit, stale workbook)."""


class ExchangeError(CaseminerError):
    """A REFI-QDA file, workbook or archive cannot be read or written safely."""


def fail(cls: type[CaseminerError], code: str, **fields) -> CaseminerError:
    """Shorthand: ``raise fail(InvalidInput, "E205", path=..., ...)``."""
    return cls.from_catalogue(code, **fields)
