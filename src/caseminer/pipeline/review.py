"""Researcher review of keywords: accept, reject, add, rename, undo.

Every decision is an event ``keyword.<action>`` with target = case id and payload
``{"keyword": ..., "new": ...}``; :func:`keyword_table` derives the current keywords
of every case from the extracted keywords (table ``keywords``) plus the active
decisions, in order. Decisions are keyed by (case, keyword), so they survive
re-running extraction: a rejected keyword stays rejected when extraction proposes it
again, and a keyword a researcher added stays whether or not extraction finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import Conflict, InvalidInput, NotFound, fail
from ..nlp.kwic import kwic
from ..project import Project
from .corpus import get_case
from .events import Event, active_events, history, undo

ACTIONS = ("accept", "reject", "add", "rename")
STATUSES = ("proposed", "accepted", "rejected", "added", "renamed")


@dataclass(frozen=True)
class KeywordRow:
    case_id: str
    keyword: str
    rank: int | None
    weight: float | None
    freq: int | None
    method: str
    context: str
    status: str  # proposed | accepted | rejected | added | renamed
    decided_by: str | None = None
    decided_at: str | None = None
    reason: str | None = None
    original: str | None = None  # for renamed keywords: the extracted form

    @property
    def active(self) -> bool:
        """Counts as a keyword of the case (everything but a rejection)."""
        return self.status != "rejected"

    def as_dict(self) -> dict:
        return {"case_id": self.case_id, "rank": self.rank, "keyword": self.keyword, "weight": self.weight,
                "freq": self.freq, "method": self.method, "context": self.context, "status": self.status,
                "decided_by": self.decided_by, "decided_at": self.decided_at, "reason": self.reason,
                "original": self.original}


def extracted_keywords(project: Project) -> dict[str, list[KeywordRow]]:
    out: dict[str, list[KeywordRow]] = {}
    for r in project.conn.execute(
        "SELECT k.* FROM keywords k JOIN cases c ON c.id = k.case_id ORDER BY c.position, k.rank"
    ):
        out.setdefault(r["case_id"], []).append(KeywordRow(
            r["case_id"], r["keyword"], r["rank"], r["weight"], r["freq"], r["method"], r["context"], "proposed"))
    return out


def keyword_table(project: Project, *, include_rejected: bool = True) -> dict[str, list[KeywordRow]]:
    """case id -> keyword rows after applying every active review decision in order."""
    table = extracted_keywords(project)
    for event in active_events(project, "keyword."):
        _apply(table, event, project)
    if not include_rejected:
        table = {case: [row for row in rows if row.active] for case, rows in table.items()}
    return table


def _apply(table: dict[str, list[KeywordRow]], event: Event, project: Project) -> None:
    case_id = event.target
    keyword = event.payload.get("keyword")
    rows = table.setdefault(case_id, [])
    index = next((i for i, row in enumerate(rows) if row.keyword == keyword), None)
    stamp = {"decided_by": event.coder, "decided_at": event.at, "reason": event.reason}
    action = event.kind.split(".", 1)[1]
    if action in ("accept", "reject"):
        if index is None:
            return  # the keyword is no longer extracted; the decision waits for it to come back
        rows[index] = replace(rows[index], status="accepted" if action == "accept" else "rejected", **stamp)
    elif action == "add":
        if index is not None:
            rows[index] = replace(rows[index], status="added" if rows[index].status == "rejected" else "accepted", **stamp)
        else:
            rows.append(KeywordRow(case_id, keyword, None, None, event.payload.get("freq"), "manual",
                                   event.payload.get("context", ""), "added", **stamp))
    elif action == "rename":
        new = event.payload["new"]
        if index is None:
            return
        old = rows[index]
        rows[index] = replace(old, keyword=new, status="renamed", original=old.original or old.keyword, **stamp)


def decide(project: Project, case_id: str, action: str, keyword: str, *, coder: str, new: str | None = None,
           reason: str | None = None, table: dict[str, list[KeywordRow]] | None = None,
           seen_event_id: int | None = None) -> int:
    """Record one review decision; returns the event id.

    ``accept``/``reject``/``rename`` need a keyword the case has; ``add`` takes any
    term, which must occur in the case text (a free phrase such as 五防机制 is fine;
    a term absent from the text is refused, since nothing could evidence it).
    """
    if action not in ACTIONS:
        raise InvalidInput(f"Unknown review action {action!r}. Choose one of: {', '.join(ACTIONS)}.")
    keyword = (keyword or "").strip()
    if not keyword:
        raise InvalidInput("The keyword is empty. Give the keyword as it appears in the case.")
    if seen_event_id is not None:
        _check_not_decided_since(project, case_id, keyword, seen_event_id)
    case = get_case(project, case_id)
    payload: dict = {"keyword": keyword}
    if action == "add":
        written = as_written(case.text, keyword)
        if written is None:
            raise InvalidInput(f"{keyword!r} does not occur in case {case_id}. Add terms as they are written in the "
                               "case (you can rename the keyword afterwards).")
        if written != keyword:
            payload.update({"keyword": written, "typed": keyword})
        hits = kwic(case.text, written, width=12)
        payload.update({"freq": len(hits), "context": _context(hits[0])})
    else:
        rows = (table if table is not None else keyword_table(project)).get(case_id, [])
        if not any(row.keyword == keyword for row in rows):
            raise fail(NotFound, "E401", what=f"Case {case_id} has no keyword {keyword!r}. List its keywords with "
                                              f"'caseminer review list --case {case_id}'.")
    if action == "rename":
        new = (new or "").strip()
        if not new:
            raise InvalidInput("rename needs the new keyword (--to NEW).")
        payload["new"] = new
    return project.record_event(f"keyword.{action}", coder=coder, target=case_id, payload=payload, reason=reason)


def as_written(text: str, keyword: str) -> str | None:
    """``keyword`` as the case's analysis ``text`` writes it, or None if it does not.

    A researcher copies a phrase from the original (in Word, from a PDF) or types it:
    full-width letters and digits (５Ｇ基站), ASCII punctuation (两不愁,三保障), spaces and,
    in a case imported with --simplify, traditional characters (五防機制) are normalised as
    the analysis text was, so that the phrase is found where the case writes it."""
    from ..nlp.normalize import normalise, to_simplified

    keyword = keyword.strip()
    normalised = normalise(keyword, wrapped=False).text
    for form in dict.fromkeys((keyword, normalised, to_simplified(normalised))):
        if form and form in text:
            return form
    return None


def _check_not_decided_since(project: Project, case_id: str, keyword: str, seen_event_id: int) -> None:
    """Refuse a decision made on a stale view: someone decided on the same keyword
    of the same case after the decider loaded it (``seen_event_id``)."""
    for event in history(project, "keyword.", target=case_id):
        if event.id <= seen_event_id:
            break
        if keyword in (event.payload.get("keyword"), event.payload.get("new")) or event.payload.get("undid"):
            raise Conflict(f"{event.coder} changed the keyword {keyword!r} of case {case_id} at {event.at}, after you "
                           "loaded it. Reload to see their decision; yours was not recorded.")


def _context(hit) -> str:
    return f"{hit.left}【{hit.term}】{hit.right}"


def undo_review(project: Project, *, coder: str, event_id: int | None = None) -> Event:
    """Undo the latest review decision (or the one with ``event_id``)."""
    return undo(project, "keyword.", coder=coder, event_id=event_id)


def review_history(project: Project, *, case_id: str | None = None, limit: int | None = None) -> list[Event]:
    return history(project, "keyword.", target=case_id, limit=limit)


@dataclass
class ReviewSummary:
    cases: int = 0
    proposed: int = 0
    accepted: int = 0
    rejected: int = 0
    added: int = 0
    renamed: int = 0


def review_summary(project: Project) -> ReviewSummary:
    summary = ReviewSummary()
    table = keyword_table(project)
    summary.cases = len(table)
    for rows in table.values():
        for row in rows:
            setattr(summary, row.status, getattr(summary, row.status) + 1)
    return summary
