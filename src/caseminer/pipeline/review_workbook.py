"""The review workbook: keywords out to Excel/WPS, decisions back in.

``export_review`` writes one sheet ``review`` with a row per case x keyword and a
hidden sheet ``_caseminer`` recording the state exported (the last review event
id). ``import_review`` reads the decisions back and applies them all in one
transaction, or none:

- a row whose (case, keyword) was decided again in the project after the export is
  a conflict: the whole workbook is refused, naming the rows, and the researcher
  exports again (nothing is half-applied);
- unknown case ids, unknown decisions, accept/reject/rename of a keyword the case
  does not have, and an added keyword its case does not write are errors naming the
  sheet row (every such row, before anything is applied);
- a deleted row changes nothing (its keyword keeps its state); an added row with
  decision ``add`` adds the keyword (written in column keyword, or in new_keyword when
  keyword is empty);
- a decision equal to the current state is skipped, so importing the same workbook
  twice records nothing new;
- a renamed sheet is found by its header row, if exactly one sheet has it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Conflict, ExchangeError, InvalidInput
from ..project import Project, now
from .corpus import list_cases
from .events import active_events, last_event_id
from .review import as_written, keyword_table
from .spreadsheets import lost_zeros_hint, read_workbook

SHEET = "review"
META_SHEET = "_caseminer"
FORMAT = "caseminer-review-1"
COLUMNS = ["case_id", "province", "title", "rank", "keyword", "weight", "freq", "status", "context", "decision",
           "new_keyword", "reason", "why"]
HEADERS_ZH = {"case_id": "案例编号", "province": "省份", "title": "标题", "rank": "排名", "keyword": "关键词",
              "weight": "权重", "freq": "词频", "status": "当前状态", "context": "上下文", "decision": "决定",
              "new_keyword": "新关键词", "reason": "理由", "why": "权重来由"}
DECISIONS = {"accept": "accept", "接受": "accept", "保留": "accept", "reject": "reject", "拒绝": "reject",
             "删除": "reject", "rename": "rename", "改名": "rename", "重命名": "rename", "add": "add", "添加": "add",
             "增加": "add"}
_STATUS_OF = {"accept": ("accepted",), "reject": ("rejected",), "add": ("accepted", "added")}


def export_review(project: Project, path: str | Path, *, n_jobs: int = 1) -> int:
    """Write the review workbook; returns the number of keyword rows. Its last column
    ("why") gives, for each extracted keyword, the three features that moved its score most
    (``caseminer keywords --explain`` in short), where the stored keyword run is up to date
    and its score is a sum of features (:func:`.keywords.keyword_reasons`); importing reads
    the decision columns only. ``n_jobs`` processes rank the cases for that column."""
    import openpyxl

    from ..report.sheets import decision_sheet
    from .keywords import keyword_reasons

    table = keyword_table(project)
    cases = {c.id: c for c in list_cases(project)}
    # a renamed keyword's score is its extracted form's
    reasons = keyword_reasons(project, {case_id: [r.original or r.keyword for r in table.get(case_id, [])
                                                  if r.rank is not None] for case_id in cases},
                              n_jobs=n_jobs) or {}
    rows: list[list] = []
    exported: list[tuple[str, str]] = []
    for case_id, case in cases.items():
        for row in table.get(case_id, []):
            exported.append((case_id, row.keyword))
            rows.append([case_id, case.province or case.attributes.get("province") or "", case.title, row.rank,
                         row.keyword, None if row.weight is None else round(row.weight, 4), row.freq, row.status,
                         row.context, "", "", "", reasons.get((case_id, row.original or row.keyword), "")])
    workbook = openpyxl.Workbook()
    decision_sheet(workbook, SHEET, COLUMNS, HEADERS_ZH, rows, decision="decision",
                   choices=("accept", "reject", "rename", "add"),
                   widths=(16, 8, 28, 6, 16, 8, 6, 10, 40, 10, 16, 24, 60), wrap=("context", "why"), freeze="F2")
    meta = workbook.create_sheet(META_SHEET)
    for key, value in (("format", FORMAT), ("project", str(project.path.resolve())), ("exported_at", now()),
                       ("last_event_id", last_event_id(project, "keyword.")), ("rows", len(rows))):
        meta.append([key, value])
    meta.append(["exported_rows", "case_id / keyword follow"])
    for case_id, keyword in exported:
        meta.append(["row", case_id, keyword])
    meta.sheet_state = "hidden"
    workbook.save(str(path))
    return len(rows)


@dataclass
class ReviewImport:
    applied: list[int] = field(default_factory=list)  # event ids
    unchanged: int = 0
    rows_missing: int = 0
    sheet: str = SHEET


def import_review(project: Project, path: str | Path, *, coder: str) -> ReviewImport:
    """Apply the decisions of an edited review workbook (all or nothing)."""
    path = Path(path)
    sheet_name, header, rows, meta = _read(path)
    result = ReviewImport(sheet=sheet_name)
    table = keyword_table(project)
    texts = {c.id: c.text for c in list_cases(project)}
    since = int(meta.get("last_event_id") or 0)
    touched_since = {(e.target, e.payload.get("keyword")) for e in active_events(project, "keyword.") if e.id > since}
    touched_since |= {(e.target, e.payload.get("new")) for e in active_events(project, "keyword.rename") if e.id > since}

    errors: list[str] = []
    conflicts: list[str] = []
    decisions: list[tuple[str, str, str, str | None, str | None]] = []
    for number, values in rows:
        record = dict(zip(header, values))
        case_id = _text(record.get("case_id"))
        keyword = _text(record.get("keyword"))
        raw_decision = _text(record.get("decision"))
        if not raw_decision:
            continue
        where = f"sheet {sheet_name!r}, row {number}"
        decision = DECISIONS.get(raw_decision.lower())
        if decision is None:
            errors.append(f"{where}: unknown decision {raw_decision!r} (use accept, reject, rename or add)")
            continue
        if case_id not in texts:
            hint = lost_zeros_hint(case_id, texts)
            errors.append(f"{where}: no case with id {case_id!r} in this project" + (f" ({hint})" if hint else ""))
            continue
        new = _text(record.get("new_keyword")) or None
        if decision == "add" and not keyword and new:
            keyword, new = new, None  # the added keyword written in new_keyword: there is no other reading
        if not keyword:
            errors.append(f"{where}: the keyword cell is empty (write the keyword this decision is about"
                          + (", or for 'add' the keyword to add)" if decision == "add" else ")"))
            continue
        current = {r.keyword: r for r in table.get(case_id, [])}
        # A renamed keyword is still found under its extracted form (re-imports are no-ops).
        current.update({r.original: r for r in table.get(case_id, []) if r.original and r.original not in current})
        if decision != "add" and keyword not in current:
            errors.append(f"{where}: case {case_id} has no keyword {keyword!r} (to add one, write 'add')")
            continue
        if decision == "rename" and not new:
            errors.append(f"{where}: 'rename' needs the new keyword in column new_keyword")
            continue
        written = as_written(texts[case_id], keyword) if decision == "add" else keyword
        if written is None:
            # checked here, not first in the transaction, so that every such row is named
            errors.append(f"{where}: {keyword!r} does not occur in case {case_id} (add a term as the case writes "
                          "it; you can rename it afterwards)")
            continue
        keyword = written  # an added phrase as the case writes it (五防機制 -> 五防机制 in a simplified case)
        row = current.get(keyword)
        if row is not None and decision in _STATUS_OF and row.status in _STATUS_OF[decision]:
            result.unchanged += 1
            continue
        if row is not None and decision == "rename" and row.keyword == new:
            result.unchanged += 1
            continue
        if (case_id, keyword) in touched_since:
            conflicts.append(f"{where}: {case_id} / {keyword} was decided in the project after this workbook was "
                             "exported")
            continue
        decisions.append((case_id, decision, keyword, new, _text(record.get("reason")) or None))

    if errors:
        raise InvalidInput(f"{path}: {len(errors)} row(s) cannot be applied; nothing was changed.\n"
                           + "\n".join(f"- {e}" for e in errors[:30])
                           + ("\n- ..." if len(errors) > 30 else "")
                           + "\nCorrect these rows and import the workbook again.")
    if conflicts:
        raise Conflict(f"{path} was exported before other review decisions were made on the same keywords; "
                       "nothing was changed.\n" + "\n".join(f"- {c}" for c in conflicts[:30])
                       + "\nExport a fresh workbook with 'caseminer review export', copy your decisions into it, "
                       "and import that.")

    from .review import decide

    present = {(_text(dict(zip(header, v)).get("case_id")), _text(dict(zip(header, v)).get("keyword")))
               for _n, v in rows}
    result.rows_missing = sum(1 for key in meta["_exported"] if key not in present)
    with project.transaction():
        for case_id, decision, keyword, new, reason in decisions:
            result.applied.append(decide(project, case_id, decision, keyword, coder=coder, new=new, reason=reason,
                                         table=table))
    return result


def _text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _read(path: Path):
    """The review sheet's header and rows and the hidden sheet's record, from the workbook
    as Excel, WPS or LibreOffice saved it (.xlsx, .xls or .ods; :mod:`.spreadsheets`)."""
    if not path.is_file():
        raise InvalidInput(f"{path} does not exist. Give the path of the workbook written by 'caseminer review export'.")
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        raise ExchangeError(f"{path} is a text table, which keeps one sheet: the workbook's hidden sheet "
                            f"{META_SHEET!r}, which records the state it was exported from, is lost. Open the "
                            "exported workbook again, enter the decisions there and save it as .xlsx (or .xls or "
                            ".ods).")
    sheets = {sheet.name: sheet.rows for sheet in read_workbook(path)}
    if META_SHEET not in sheets:
        raise ExchangeError(f"{path} has no {META_SHEET!r} sheet, so it was not written by 'caseminer review export' "
                            "(or the hidden sheet was deleted). Export a fresh workbook and enter the decisions there.")
    meta_rows = [r for r in sheets[META_SHEET] if r and r[0]]
    meta = {str(r[0]): (r[1] if len(r) > 1 else None) for r in meta_rows if r[0] != "row"}
    meta["_exported"] = [(_text(r[1]), _text(r[2])) for r in meta_rows if r[0] == "row" and len(r) >= 3]
    if meta.get("format") != FORMAT:
        raise ExchangeError(f"{path}: unknown review workbook format {meta.get('format')!r}; expected {FORMAT!r}.")
    candidates = []
    for name, rows in sheets.items():
        if name == META_SHEET:
            continue
        header = [_column_key(v) for v in (rows[0] if rows else ())]
        if "case_id" in header and "keyword" in header and "decision" in header:
            candidates.append((name, header))
    if SHEET in [c[0] for c in candidates]:
        name, header = next(c for c in candidates if c[0] == SHEET)
    elif len(candidates) == 1:
        name, header = candidates[0]
    elif not candidates:
        raise ExchangeError(f"{path}: no sheet has the review header (columns case_id, keyword, decision). "
                            f"Keep the first row of the {SHEET!r} sheet as it was exported.")
    else:
        raise ExchangeError(f"{path}: several sheets look like review sheets ({', '.join(c[0] for c in candidates)}). "
                            f"Name the one to import {SHEET!r}.")
    rows = [(number, list(values)) for number, values in enumerate(sheets[name][1:], start=2)]
    return name, header, rows, meta


def _column_key(value) -> str:
    """Header cells are '关键词 keyword': the English key is the last word."""
    text = _text(value)
    return text.split()[-1] if text else ""
