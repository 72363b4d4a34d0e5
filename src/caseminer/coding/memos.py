"""Memos: a researcher's notes on the project, a case, a code or a coding.

Memos are versioned: an edit made against an older version (two people editing
the same memo in the workbench) is refused with :class:`Conflict`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Conflict, InvalidInput, NotFound
from ..project import Project, now

TARGETS = ("project", "case", "code", "coding")


@dataclass(frozen=True)
class MemoRow:
    id: int
    target_kind: str
    target_id: str | None
    text: str
    coder: str
    created_at: str
    updated_at: str
    version: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def add_memo(project: Project, target_kind: str, target_id: str | None, text: str, *, coder: str) -> int:
    if target_kind not in TARGETS:
        raise InvalidInput(f"A memo is about one of: {', '.join(TARGETS)}; got {target_kind!r}.")
    if not text.strip():
        raise InvalidInput("The memo is empty.")
    with project.transaction():
        cur = project.conn.execute(
            "INSERT INTO memos(target_kind, target_id, text, coder, created_at, updated_at) VALUES (?,?,?,?,?,?)",
            (target_kind, None if target_kind == "project" else str(target_id), text, coder, now(), now()))
        project.record_event("memo.add", coder=coder, target=str(target_id), payload={"memo": cur.lastrowid})
    return cur.lastrowid


def update_memo(project: Project, memo_id: int, text: str, *, coder: str, expected_version: int | None = None) -> None:
    row = project.conn.execute("SELECT * FROM memos WHERE id=?", (memo_id,)).fetchone()
    if row is None:
        raise NotFound(f"No memo with id {memo_id}.")
    if expected_version is not None and row["version"] != expected_version:
        raise Conflict(f"Memo {memo_id} was edited by {row['coder']} since you opened it. Reload it, merge your "
                       "text into theirs, and save again.")
    with project.transaction():
        project.conn.execute("UPDATE memos SET text=?, coder=?, updated_at=?, version=version+1 WHERE id=?",
                             (text, coder, now(), memo_id))
        project.record_event("memo.update", coder=coder, target=str(memo_id),
                             payload={"memo": memo_id, "before": row["text"]})


def list_memos(project: Project, target_kind: str | None = None, target_id: str | None = None) -> list[MemoRow]:
    sql = "SELECT * FROM memos WHERE 1=1"
    params: list = []
    if target_kind:
        sql += " AND target_kind=?"
        params.append(target_kind)
    if target_id is not None:
        sql += " AND target_id=?"
        params.append(str(target_id))
    return [MemoRow(r["id"], r["target_kind"], r["target_id"], r["text"], r["coder"], r["created_at"],
                    r["updated_at"], r["version"]) for r in project.conn.execute(sql + " ORDER BY id", params)]
