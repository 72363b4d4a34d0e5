"""Codings: a code applied to a span of a case's original text, or to the whole case.

Offsets are character offsets (Python ``str`` indices) into the case's *original*
text, as imported; the coded text is always derived from them (never stored), as
spaCy's ``Span`` is a view of its ``Doc``. Every change is an event with a snapshot
(``code.coding.add``/``code.coding.delete``/``code.coding.memo``), so
``caseminer codebook undo`` takes it back, and every coding carries its coder.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Conflict, InvalidInput, NotFound
from ..pipeline.corpus import get_case
from ..project import Project, now
from .codebook import _event, load_codebook, resolve_code


@dataclass(frozen=True)
class CodingRow:
    id: int
    case_id: str
    code_id: str
    code: str
    level: str | None
    start: int | None
    end: int | None
    text: str
    coder: str
    created_at: str
    memo: str
    score: float | None
    evidence: str | None
    source: str
    version: int

    def as_dict(self) -> dict:
        return {"id": self.id, "case_id": self.case_id, "code": self.code, "code_id": self.code_id,
                "level": self.level, "start": self.start, "end": self.end, "text": self.text, "coder": self.coder,
                "created_at": self.created_at, "memo": self.memo, "score": self.score, "evidence": self.evidence,
                "source": self.source, "version": self.version}


def locate_quote(text: str, quote: str, *, occurrence: int | None = None) -> tuple[int, int]:
    """The span of ``quote`` in ``text``; ambiguous quotes need ``occurrence`` (1-based)."""
    quote = quote.strip()
    if not quote:
        raise InvalidInput("The quote is empty. Quote the passage to code as it is written in the case.")
    starts = []
    i = text.find(quote)
    while i != -1:
        starts.append(i)
        i = text.find(quote, i + 1)
    if not starts:
        raise NotFound(f"The quote {quote[:30]!r} does not occur in the case. Copy it exactly from "
                       "'caseminer show CASE' (the original text), or give --span START:END.")
    if occurrence is None:
        if len(starts) > 1:
            raise InvalidInput(f"The quote {quote[:30]!r} occurs {len(starts)} times (at characters "
                               f"{', '.join(map(str, starts[:10]))}). Quote a longer passage, or choose one with "
                               "--occurrence N.")
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise InvalidInput(f"--occurrence must be between 1 and {len(starts)} for this quote.")
    start = starts[occurrence - 1]
    return start, start + len(quote)


def add_coding(project: Project, case_id: str, code_ref: str, *, coder: str, span: tuple[int, int] | None = None,
               quote: str | None = None, occurrence: int | None = None, whole_case: bool = False, memo: str = "",
               score: float | None = None, evidence: str | None = None, source: str = "manual",
               run_id: int | None = None, record: bool = True) -> int:
    """Code a span (``span`` in original-text offsets, or a ``quote``) or the whole case.

    Returns the coding id. The same code, span and coder twice is refused (a
    duplicate would double counts in agreement and statistics).
    """
    case = get_case(project, case_id)
    code = resolve_code(project, code_ref)
    chosen = sum(x is not None and x is not False for x in (span, quote, whole_case or None))
    if chosen != 1:
        raise InvalidInput("Give exactly one of --span START:END, --quote TEXT or --whole-case.")
    if quote is not None:
        start, end = locate_quote(case.original_text, quote, occurrence=occurrence)
    elif span is not None:
        start, end = span
        if not (0 <= start < end <= len(case.original_text)):
            raise InvalidInput(f"The span {start}:{end} is outside case {case_id}, whose text has "
                               f"{len(case.original_text)} characters. Spans are START:END character offsets "
                               "into the original text (END excluded).")
    else:
        start = end = None
    exists = project.conn.execute(
        "SELECT id FROM codings WHERE code_id=? AND case_id=? AND coder=? AND start_char IS ? AND end_char IS ?",
        (code.id, case_id, coder, start, end)).fetchone()
    if exists:
        raise Conflict(f"{coder} already coded this {'case' if start is None else 'span'} with {code.name!r} "
                       f"(coding {exists['id']}).")
    with project.transaction():
        cur = project.conn.execute(
            "INSERT INTO codings(case_id, code_id, start_char, end_char, coder, created_at, memo, score, evidence, "
            "source, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (case_id, code.id, start, end, coder, now(), memo, score, evidence, source, run_id))
        if record:
            _event(project, "code.coding.add", coder, before={"codes": [], "codings": [], "memos": []},
                   created_codings=[cur.lastrowid],
                   detail={"code": code.name, "case_id": case_id, "start": start, "end": end})
    return cur.lastrowid


def delete_coding(project: Project, coding_id: int, *, coder: str, expected_version: int | None = None) -> None:
    row = _row(project, coding_id)
    if expected_version is not None and row["version"] != expected_version:
        raise Conflict(f"Coding {coding_id} was changed by someone else since you loaded it. Reload and try again.")
    with project.transaction():
        before = {"codes": [], "memos": [], "codings": [dict(row)]}
        project.conn.execute("DELETE FROM codings WHERE id=?", (coding_id,))
        _event(project, "code.coding.delete", coder, before=before, detail={"coding": coding_id})


def set_coding_memo(project: Project, coding_id: int, memo: str, *, coder: str,
                    expected_version: int | None = None) -> None:
    row = _row(project, coding_id)
    if expected_version is not None and row["version"] != expected_version:
        raise Conflict(f"Coding {coding_id} was changed by someone else since you loaded it. Reload and try again.")
    with project.transaction():
        before = {"codes": [], "memos": [], "codings": [dict(row)]}
        project.conn.execute("UPDATE codings SET memo=?, version=version+1 WHERE id=?", (memo, coding_id))
        _event(project, "code.coding.memo", coder, before=before, detail={"coding": coding_id})


def _row(project: Project, coding_id: int):
    row = project.conn.execute("SELECT * FROM codings WHERE id=?", (coding_id,)).fetchone()
    if row is None:
        raise NotFound(f"No coding with id {coding_id}. List codings with 'caseminer code list'.")
    return row


def list_codings(project: Project, *, case_id: str | None = None, code: str | None = None,
                 coder: str | None = None, source: str | None = None, include_descendants: bool = False) -> list[CodingRow]:
    """Codings with their text (derived from the offsets), in case order then position."""
    codebook = load_codebook(project)
    sql = ("SELECT g.*, c.original_text FROM codings g JOIN cases c ON c.id = g.case_id WHERE 1=1")
    params: list = []
    if case_id is not None:
        sql += " AND g.case_id=?"
        params.append(case_id)
    if code is not None:
        target = resolve_code(project, code)
        ids = [target.id] + ([c.id for c in codebook.descendants(target.id)] if include_descendants else [])
        sql += f" AND g.code_id IN ({','.join('?' * len(ids))})"
        params.extend(ids)
    if coder is not None:
        sql += " AND g.coder=?"
        params.append(coder)
    if source is not None:
        sql += " AND g.source=?"
        params.append(source)
    sql += " ORDER BY c.position, COALESCE(g.start_char, -1), g.id"
    out = []
    for r in project.conn.execute(sql, params):
        code_obj = codebook.get(r["code_id"])
        text = r["original_text"][r["start_char"]:r["end_char"]] if r["start_char"] is not None else ""
        out.append(CodingRow(r["id"], r["case_id"], r["code_id"], code_obj.name, code_obj.level, r["start_char"],
                             r["end_char"], text, r["coder"], r["created_at"], r["memo"], r["score"], r["evidence"],
                             r["source"], r["version"]))
    return out


def coders(project: Project) -> list[str]:
    return [r[0] for r in project.conn.execute("SELECT DISTINCT coder FROM codings ORDER BY coder")]
