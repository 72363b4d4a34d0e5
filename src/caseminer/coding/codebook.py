"""The project's codebook: import, create, rename, move, merge, delete, undo.

Codes live in the ``codes`` table (open -> axial -> selective, or free codes
without a level). Every change is validated on the whole resulting codebook
(:meth:`caseminer.coding.model.Codebook.validate`: no cycles, no duplicate names
under one parent, levels that descend) before it is written, and is recorded as an
event ``code.<action>`` holding a snapshot of the rows it changed, so that
:func:`undo_codebook` can put them back exactly (codings included).

Concurrent edits: each code row has a ``version``; callers that show a code to a
person (the web workbench) pass ``expected_version`` and get a :class:`Conflict`
when someone else changed the code in between, instead of overwriting it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from ..errors import Conflict, InvalidInput, NotFound
from ..project import Project, now
from .codebook_table import Quotation, QuotationFinder, TableCodebook
from .model import Code, Codebook, new_guid

LEVELS = ("selective", "axial", "open")
CHILD_LEVEL = {"selective": "axial", "axial": "open", "open": None}


# -- reading ------------------------------------------------------------------------


def load_codebook(project: Project) -> Codebook:
    """The project's codebook in display order (parents before children)."""
    memos = {r["target_id"]: r["text"] for r in project.conn.execute(
        "SELECT target_id, text FROM memos WHERE target_kind='code' ORDER BY id")}
    rows = project.conn.execute("SELECT * FROM codes ORDER BY position, rowid").fetchall()
    codes = [_code(r, memos.get(r["id"], "")) for r in rows]
    return Codebook(tuple(_tree_order(codes)), name=str(project.path.name))


def _code(row, memo: str = "") -> Code:
    return Code(id=row["id"], name=row["name"], level=row["level"], parent_id=row["parent_id"],
                description=row["description"], role=row["role"], color=row["color"], memo=memo,
                terms=tuple(json.loads(row["terms"] or "[]")))


def _tree_order(codes: list[Code]) -> list[Code]:
    children: dict[str | None, list[Code]] = {}
    ids = {c.id for c in codes}
    for code in codes:
        children.setdefault(code.parent_id if code.parent_id in ids else None, []).append(code)
    out: list[Code] = []

    def walk(parent):
        for child in children.get(parent, []):
            out.append(child)
            walk(child.id)

    walk(None)
    return out


def coding_counts(project: Project) -> dict[str, int]:
    """code id -> number of codings of that code (codes without codings absent)."""
    return {r[0]: r[1] for r in project.conn.execute("SELECT code_id, COUNT(*) FROM codings GROUP BY code_id")}


def code_version(project: Project, code_id: str) -> int:
    row = project.conn.execute("SELECT version FROM codes WHERE id=?", (code_id,)).fetchone()
    if row is None:
        raise NotFound(f"No code with id {code_id!r}. List the codes with 'caseminer codebook list'.")
    return row["version"]


def resolve_code(project: Project, ref: str) -> Code:
    """A code by id, by name, or by path 'selective/axial/open'."""
    codebook = load_codebook(project)
    if ref in codebook:
        return codebook.get(ref)
    if "/" in ref:
        parent_id = None
        code = None
        for part in ref.split("/"):
            code = codebook.by_name(part.strip(), parent_id=parent_id)
            parent_id = code.id
        return code
    return codebook.by_name(ref)


# -- writing ------------------------------------------------------------------------


def _check(codebook: Codebook) -> None:
    codebook.validate()


def _insert(project: Project, code: Code, position: int, coder: str) -> None:
    project.conn.execute(
        "INSERT INTO codes(id, name, level, parent_id, description, role, color, terms, position, created_by, "
        "created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (code.id, code.name, code.level, code.parent_id, code.description, code.role, code.color,
         json.dumps(list(code.terms), ensure_ascii=False), position, coder, now()),
    )
    if code.memo:
        project.conn.execute(
            "INSERT INTO memos(target_kind, target_id, text, coder, created_at, updated_at) VALUES ('code',?,?,?,?,?)",
            (code.id, code.memo, coder, now(), now()))


def _next_position(project: Project) -> int:
    return project.conn.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM codes").fetchone()[0]


def import_codebook(project: Project, codebook: Codebook, *, coder: str, source: str = "") -> list[str]:
    """Add every code of ``codebook`` to the project (one transaction, one event).

    Codes whose id is already in the project are refused, as are names that clash
    under the same parent: import into an empty codebook, or delete first.
    """
    return _import(project, codebook, coder=coder, source=source, quotations=[]).code_ids


@dataclass
class TableImport:
    """What :func:`import_coding_table` did: the codes, the codings of the table's quotations
    (row, case id, code name, start, end), and the quotations it did not place (row, why)."""

    code_ids: list[str] = field(default_factory=list)
    coded: list[tuple[int, str, str, int, int]] = field(default_factory=list)
    unplaced: list[tuple[int, str]] = field(default_factory=list)
    first_of_several: list[int] = field(default_factory=list)  # rows coded at the first of several occurrences


def import_coding_table(project: Project, table: TableCodebook, *, coder: str, source: str = "") -> TableImport:
    """Import a coding table's codebook and code its quotations where the cases write them.

    A quotation is coded, by ``coder``, with its row's narrowest code, at the passage of
    the case that writes it: the case the row names (by id or title) or else the only case
    that does (:class:`~.codebook_table.QuotationFinder`). One transaction and one event,
    so ``caseminer codebook undo`` takes back the codes and their codings together; a
    quotation that is not placed is reported, not guessed."""
    return _import(project, table.codebook, coder=coder, source=source, quotations=table.quotations)


def _import(project: Project, codebook: Codebook, *, coder: str, source: str,
            quotations: list[Quotation]) -> TableImport:
    codebook.validate()
    current = load_codebook(project)
    clash = [c.id for c in codebook if c.id in current]
    if clash:
        raise Conflict(f"{len(clash)} code(s) of {source or 'this codebook'} are already in the project (same ids), "
                       "e.g. " + ", ".join(current.get(i).name for i in clash[:5])
                       + ". It was imported before; delete those codes first to import it again.")
    combined = Codebook(tuple(current.codes) + tuple(codebook.codes))
    combined.validate()
    position = _next_position(project)
    result = TableImport(code_ids=[c.id for c in codebook])
    with project.transaction():
        for offset, code in enumerate(codebook.codes):
            _insert(project, code, position + offset, coder)
        created = _code_quotations(project, quotations, codebook, coder, result) if quotations else []
        _event(project, "code.import", coder, before={"codes": [], "codings": [], "memos": []},
               created_codes=result.code_ids, created_codings=created,
               detail={"source": source, "codes": len(codebook), "codings": len(created)})
    return result


def _code_quotations(project: Project, quotations: list[Quotation], codebook: Codebook, coder: str,
                     result: TableImport) -> list[int]:
    """Code each quotation where the case it names, or the only case, writes it (inside the
    import's transaction); the ids of the codings made. What is not placed goes to ``result``."""
    from ..pipeline.corpus import list_cases
    from ..pipeline.spreadsheets import lost_zeros_hint
    from .codings import add_coding

    cases = list_cases(project)
    finder = QuotationFinder({c.id: c.original_text for c in cases})
    by_title: dict[str, list[str]] = {}
    for c in cases:
        by_title.setdefault(c.title, []).append(c.id)
    names = {c.id: c.name for c in codebook}
    created, done = [], set()
    for q in quotations:
        case = None
        if q.case:
            titled = by_title.get(q.case, [])
            case = q.case if q.case in finder.texts else titled[0] if len(titled) == 1 else None
            if case is None:
                hint = lost_zeros_hint(q.case, finder.texts)
                result.unplaced.append((q.row, f"names no case {q.case!r} (by id or title)"
                                        + (f"; {hint}" if hint else "")))
                continue
        where = finder.locate(q.text, case)
        if isinstance(where, str):
            result.unplaced.append((q.row, where))
            continue
        case_id, start, end, occurrences = where
        if (q.code_id, case_id, start, end) in done:
            continue  # the same quotation on two rows of one code: one coding
        done.add((q.code_id, case_id, start, end))
        created.append(add_coding(project, case_id, q.code_id, coder=coder, span=(start, end), record=False))
        result.coded.append((q.row, case_id, names[q.code_id], start, end))
        if occurrences > 1:
            result.first_of_several.append(q.row)
    return created


def create_code(project: Project, name: str, *, coder: str, level: str | None = None, parent: str | None = None,
                description: str = "", role: str | None = None, color: str | None = None,
                terms: Iterable[str] = ()) -> Code:
    """Create a code (under ``parent``, a code id/name/path); level defaults to the one below the parent's."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("A code needs a name.")
    parent_code = resolve_code(project, parent) if parent else None
    if level is None and parent_code is not None and parent_code.level:
        level = CHILD_LEVEL[parent_code.level]
    code = Code(new_guid(), name, level, parent_code.id if parent_code else None, description, role, color,
                terms=tuple(terms))
    _check(Codebook(load_codebook(project).codes + (code,)))
    with project.transaction():
        _insert(project, code, _next_position(project), coder)
        _event(project, "code.create", coder, before={"codes": [], "codings": [], "memos": []},
               created_codes=[code.id], detail={"name": name})
    return code


def update_code(project: Project, ref: str, *, coder: str, expected_version: int | None = None,
                reason: str | None = None, **changes: Any) -> Code:
    """Change fields of a code: name (rename), parent_id (move), level, description, role, color, terms."""
    allowed = {"name", "parent_id", "level", "description", "role", "color", "terms"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(f"Cannot change {', '.join(sorted(unknown))} of a code; changeable: {', '.join(sorted(allowed))}.")
    code = resolve_code(project, ref)
    _check_version(project, code.id, expected_version)
    if "terms" in changes:
        changes["terms"] = tuple(changes["terms"])
    updated = replace(code, **changes)
    codebook = load_codebook(project)
    _check(Codebook(tuple(updated if c.id == code.id else c for c in codebook.codes)))
    kind = "code.rename" if set(changes) == {"name"} else "code.move" if "parent_id" in changes else "code.update"
    with project.transaction():
        before = _snapshot(project, [code.id], codings=False)
        project.conn.execute(
            "UPDATE codes SET name=?, level=?, parent_id=?, description=?, role=?, color=?, terms=?, "
            "version=version+1 WHERE id=?",
            (updated.name, updated.level, updated.parent_id, updated.description, updated.role, updated.color,
             json.dumps(list(updated.terms), ensure_ascii=False), code.id))
        _event(project, kind, coder, before=before, detail={"code": code.name, **{
            k: v if not isinstance(v, tuple) else list(v) for k, v in changes.items()}}, reason=reason)
    return updated


def rename_code(project: Project, ref: str, new_name: str, *, coder: str, expected_version: int | None = None) -> Code:
    return update_code(project, ref, coder=coder, expected_version=expected_version, name=new_name.strip())


def move_code(project: Project, ref: str, new_parent: str | None, *, coder: str,
              expected_version: int | None = None, level: str | None = ...) -> Code:
    """Move a code under ``new_parent`` (None: to the top). Its level follows the new
    parent (selective > axial > open) unless given."""
    parent = resolve_code(project, new_parent) if new_parent else None
    changes: dict[str, Any] = {"parent_id": parent.id if parent else None}
    if level is not ...:
        changes["level"] = level
    elif parent is not None and parent.level:
        changes["level"] = CHILD_LEVEL[parent.level]
    return update_code(project, ref, coder=coder, expected_version=expected_version, **changes)


def merge_codes(project: Project, source_ref: str, target_ref: str, *, coder: str,
                reason: str | None = None) -> dict[str, int]:
    """Merge ``source`` into ``target``: its codings and children move to the target,
    then the source is deleted. Codings that would duplicate one of the target's are
    dropped. Undo restores all of it."""
    source = resolve_code(project, source_ref)
    target = resolve_code(project, target_ref)
    if source.id == target.id:
        raise InvalidInput("A code cannot be merged into itself.")
    codebook = load_codebook(project)
    if target.id in {c.id for c in codebook.descendants(source.id)}:
        raise InvalidInput(f"Cannot merge {source.name!r} into its own descendant {target.name!r}.")
    with project.transaction():
        before = _snapshot(project, [source.id] + [c.id for c in codebook.children(source.id)], codings=True,
                           code_ids_for_codings=[source.id, target.id])
        moved = dropped = 0
        for row in project.conn.execute("SELECT * FROM codings WHERE code_id=?", (source.id,)).fetchall():
            duplicate = project.conn.execute(
                "SELECT 1 FROM codings WHERE code_id=? AND case_id=? AND coder=? AND "
                "start_char IS ? AND end_char IS ?",
                (target.id, row["case_id"], row["coder"], row["start_char"], row["end_char"])).fetchone()
            if duplicate:
                project.conn.execute("DELETE FROM codings WHERE id=?", (row["id"],))
                dropped += 1
            else:
                project.conn.execute("UPDATE codings SET code_id=?, version=version+1 WHERE id=?", (target.id, row["id"]))
                moved += 1
        project.conn.execute("UPDATE codes SET parent_id=?, version=version+1 WHERE parent_id=?", (target.id, source.id))
        project.conn.execute("DELETE FROM memos WHERE target_kind='code' AND target_id=?", (source.id,))
        project.conn.execute("DELETE FROM codes WHERE id=?", (source.id,))
        _check(load_codebook(project))
        _event(project, "code.merge", coder, before=before, reason=reason,
               detail={"code": source.name, "source": source.name, "target": target.name, "codings_moved": moved,
                       "codings_dropped": dropped})
    return {"codings_moved": moved, "codings_dropped": dropped}


def delete_plan(project: Project, ref: str) -> dict[str, Any]:
    """What deleting a code would remove: the code, its descendants and their codings."""
    code = resolve_code(project, ref)
    codebook = load_codebook(project)
    ids = [code.id] + [c.id for c in codebook.descendants(code.id)]
    n = project.conn.execute(f"SELECT COUNT(*) FROM codings WHERE code_id IN ({','.join('?' * len(ids))})",
                             ids).fetchone()[0]
    return {"code": code, "codes": len(ids), "codings": n, "ids": ids}


def delete_code(project: Project, ref: str, *, coder: str, expected_version: int | None = None,
                reason: str | None = None) -> dict[str, int]:
    """Delete a code with its descendants and all their codings (undoable)."""
    plan = delete_plan(project, ref)
    _check_version(project, plan["code"].id, expected_version)
    ids = plan["ids"]
    marks = ",".join("?" * len(ids))
    with project.transaction():
        before = _snapshot(project, ids, codings=True, code_ids_for_codings=ids)
        project.conn.execute(f"DELETE FROM codings WHERE code_id IN ({marks})", ids)
        project.conn.execute(f"DELETE FROM memos WHERE target_kind='code' AND target_id IN ({marks})", ids)
        for code_id in reversed(ids):  # children first (foreign keys)
            project.conn.execute("DELETE FROM codes WHERE id=?", (code_id,))
        _event(project, "code.delete", coder, before=before, reason=reason,
               detail={"code": plan["code"].name, "codes": plan["codes"], "codings": plan["codings"]})
    return {"codes": plan["codes"], "codings": plan["codings"]}


def codes_from_keywords(project: Project, *, coder: str, parent: str | None = None) -> list[Code]:
    """Make every core keyword an open code (skipping names already in the codebook)."""
    from ..pipeline.normalise import core_frequencies, thesaurus

    existing = {c.name for c in load_codebook(project)}
    mapping = thesaurus(project)
    variants: dict[str, list[str]] = {}
    for variant, core in mapping.items():
        variants.setdefault(core, []).append(variant)
    made = []
    with project.transaction():
        for row in core_frequencies(project):
            name = row["core_keyword"]
            if name in existing:
                continue
            made.append(create_code(project, name, coder=coder, level="open", parent=parent,
                                    terms=[name] + sorted(variants.get(name, [])),
                                    description=f"core keyword of {row['cases']} case(s)"))
    return made


# -- snapshots and undo ------------------------------------------------------------------


def _snapshot(project: Project, code_ids: list[str], *, codings: bool, code_ids_for_codings: list[str] | None = None):
    def rows(sql, params):
        return [dict(r) for r in project.conn.execute(sql, params)]

    marks = ",".join("?" * len(code_ids))
    snap = {"codes": rows(f"SELECT * FROM codes WHERE id IN ({marks})", code_ids),
            "memos": rows(f"SELECT * FROM memos WHERE target_kind='code' AND target_id IN ({marks})", code_ids),
            "codings": []}
    if codings:
        ids = code_ids_for_codings or code_ids
        snap["codings"] = rows(f"SELECT * FROM codings WHERE code_id IN ({','.join('?' * len(ids))})", ids)
    return snap


def _event(project: Project, kind: str, coder: str, *, before: dict, created_codes: list[str] | None = None,
           created_codings: list[int] | None = None, detail: dict | None = None, reason: str | None = None) -> int:
    payload = {"before": before, "created_codes": created_codes or [], "created_codings": created_codings or [],
               **(detail or {})}
    return project.record_event(kind, coder=coder, target=(detail or {}).get("code"), payload=payload, reason=reason)


def _check_version(project: Project, code_id: str, expected: int | None) -> None:
    if expected is None:
        return
    current = code_version(project, code_id)
    if current != expected:
        raise Conflict(f"The code was changed by someone else since you loaded it (version {current}, you had "
                       f"{expected}). Reload to see the change, then try again.")


def restore_snapshot(project: Project, payload: dict) -> None:
    """Put back the rows an event changed (used by undo)."""
    before = payload["before"]
    conn = project.conn
    for coding_id in payload.get("created_codings", []):
        conn.execute("DELETE FROM codings WHERE id=?", (coding_id,))
    for code_id in reversed(payload.get("created_codes", [])):
        conn.execute("DELETE FROM codings WHERE code_id=?", (code_id,))
        conn.execute("DELETE FROM memos WHERE target_kind='code' AND target_id=?", (code_id,))
        conn.execute("UPDATE codes SET parent_id=NULL WHERE parent_id=?", (code_id,))
        conn.execute("DELETE FROM codes WHERE id=?", (code_id,))
    # Parents before children: insert codes ordered so that a parent exists first.
    pending = list(before.get("codes", []))
    for _ in range(len(pending) + 1):
        remaining = []
        for row in pending:
            parent = row["parent_id"]
            if parent is None or conn.execute("SELECT 1 FROM codes WHERE id=?", (parent,)).fetchone() or \
                    parent not in {r["id"] for r in pending}:
                _upsert(conn, "codes", row)
            else:
                remaining.append(row)
        pending = remaining
        if not pending:
            break
    for row in before.get("memos", []):
        _upsert(conn, "memos", row)
    for row in before.get("codings", []):
        _upsert(conn, "codings", row)


def _upsert(conn, table: str, row: dict) -> None:
    # UPDATE-or-INSERT, never INSERT OR REPLACE: REPLACE deletes first, which would
    # cascade to the codings of a code.
    columns = [c for c in row if c != "id"]
    updated = conn.execute(f"UPDATE {table} SET {', '.join(f'{c}=?' for c in columns)} WHERE id=?",
                           [row[c] for c in columns] + [row["id"]]).rowcount
    if not updated:
        conn.execute(f"INSERT INTO {table}(id, {','.join(columns)}) VALUES (?, {','.join('?' * len(columns))})",
                     [row["id"]] + [row[c] for c in columns])


def undo_codebook(project: Project, *, coder: str, event_id: int | None = None):
    """Undo the latest codebook or coding change (or the one with ``event_id``)."""
    from ..pipeline.events import undo

    with project.transaction():
        event = undo(project, "code.", coder=coder, event_id=event_id)
        restore_snapshot(project, event.payload)
    return event
