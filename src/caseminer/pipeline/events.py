"""Reading the decision log: active events, history and undo.

Manual decisions are appended to the ``events`` table (see
:meth:`caseminer.project.Project.record_event`). The current state of the lexicon,
the domain stop-words, the keyword review and the thesaurus is *derived* by folding
the active events of a kind in order, so a decision survives re-running a stage, and
undo is just another event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import Conflict, NotFound
from ..project import Project


@dataclass(frozen=True)
class Event:
    id: int
    at: str
    coder: str
    kind: str
    target: str | None
    payload: dict[str, Any]
    reason: str | None
    undoes: int | None
    undone_by: int | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "coder": self.coder, "kind": self.kind, "target": self.target,
                "payload": self.payload, "reason": self.reason, "undoes": self.undoes, "undone_by": self.undone_by}


def _event(row) -> Event:
    return Event(row["id"], row["at"], row["coder"], row["kind"], row["target"], json.loads(row["payload"]),
                 row["reason"], row["undoes"], row["undone_by"])


def active_events(project: Project, prefix: str) -> list[Event]:
    """Events whose kind starts with ``prefix``, not undone, oldest first (undo events excluded)."""
    rows = project.conn.execute(
        "SELECT * FROM events WHERE kind LIKE ? AND undone_by IS NULL AND undoes IS NULL ORDER BY id",
        (prefix + "%",),
    )
    return [_event(r) for r in rows]


def history(project: Project, prefix: str = "", *, target: str | None = None, limit: int | None = None) -> list[Event]:
    """Every event of a kind (undone ones and undo events included), newest first."""
    sql = "SELECT * FROM events WHERE kind LIKE ?"
    params: list[Any] = [prefix + "%"]
    if target is not None:
        sql += " AND target = ?"
        params.append(target)
    sql += " ORDER BY id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [_event(r) for r in project.conn.execute(sql, params)]


def event(project: Project, event_id: int) -> Event:
    """The event ``event_id`` (what a decision recorded: an added keyword as the case writes it)."""
    row = project.conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
    if row is None:
        raise NotFound(f"No event {event_id} in this project. See the history with 'caseminer review history'.")
    return _event(row)


def last_event_id(project: Project, prefix: str = "") -> int:
    row = project.conn.execute("SELECT COALESCE(MAX(id), 0) FROM events WHERE kind LIKE ?", (prefix + "%",)).fetchone()
    return int(row[0])


def undo(project: Project, prefix: str, *, coder: str, event_id: int | None = None,
         reason: str | None = None) -> Event:
    """Cancel one decision: ``event_id``, or the latest active one of ``prefix`` by anyone.

    The undo is itself an event (kind ``<kind>.undo``), so the log keeps both.
    """
    if event_id is None:
        rows = project.conn.execute(
            "SELECT * FROM events WHERE kind LIKE ? AND undone_by IS NULL AND undoes IS NULL ORDER BY id DESC LIMIT 1",
            (prefix + "%",),
        ).fetchall()
        if not rows:
            raise NotFound(f"There is no {prefix.rstrip('.') or 'decision'} to undo: every decision of this kind is "
                           "already undone, or none was made. See the history with the 'history' command.")
        target = _event(rows[0])
    else:
        row = project.conn.execute("SELECT * FROM events WHERE id=?", (event_id,)).fetchone()
        if row is None or not row["kind"].startswith(prefix) or row["undoes"] is not None:
            raise NotFound(f"No {prefix.rstrip('.') or 'decision'} with event id {event_id}. List the ids with the "
                           "'history' command.")
        target = _event(row)
        if target.undone_by is not None:
            raise NotFound(f"Decision {event_id} was already undone by event {target.undone_by}.")
    project.record_event(target.kind + ".undo", coder=coder, target=target.target,
                         payload={"undid": target.id}, reason=reason, undoes=target.id)
    return target


def refuse_if_decided_since(project: Project, prefix: str, seen_event_id: int | None, terms: list[str],
                            fields: tuple[str, ...]) -> None:
    """Raise :class:`Conflict` if a decision of ``prefix`` on one of ``terms`` was made
    after ``seen_event_id`` (the last event the decider saw). Call it inside the
    same ``project.transaction()`` as the new decision, so check and write are atomic.
    ``fields`` name the payload keys that hold the terms (a value or a list)."""
    if seen_event_id is None:
        return
    wanted = set(terms)
    for event in history(project, prefix):
        if event.id <= seen_event_id:
            break
        touched: set = set()
        for name in fields:
            value = event.payload.get(name)
            touched.update(value if isinstance(value, list) else [value])
        if wanted & touched:
            raise Conflict(f"{event.coder} changed {', '.join(sorted(wanted & touched))} at {event.at}, after you "
                           "loaded it. Reload to see their decision; yours was not recorded.")
