"""Apply the schema migrations of :mod:`caseminer.store.schema` to a connection."""

from __future__ import annotations

import sqlite3

from ..errors import ProjectError, fail
from .schema import MIGRATIONS

SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: sqlite3.Connection) -> int:
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
    ).fetchone()
    if not has_meta:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection, path: str) -> int:
    """Bring the database to :data:`SCHEMA_VERSION`, all steps in one transaction.

    Returns the number of migrations applied. A database from a newer caseminer is
    refused (E103) rather than touched.
    """
    version = current_version(conn)
    if version > SCHEMA_VERSION:
        raise fail(ProjectError, "E103", path=path, found=version, known=SCHEMA_VERSION)
    if version == SCHEMA_VERSION:
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        for _name, sql in MIGRATIONS[version:]:
            for statement in _statements(sql):
                conn.execute(statement)
        conn.execute(
            "INSERT INTO meta(key, value) VALUES('schema_version', ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (str(SCHEMA_VERSION),),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return SCHEMA_VERSION - version


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (executescript would commit implicitly)."""
    out, buf = [], []
    for line in sql.splitlines():
        if line.strip().startswith("--"):
            continue
        buf.append(line)
        if line.rstrip().endswith(";") and sqlite3.complete_statement("\n".join(buf)):
            out.append("\n".join(buf))
            buf = []
    if "".join(buf).strip():
        out.append("\n".join(buf))
    return out
