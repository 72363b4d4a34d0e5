"""The project schema, as an ordered list of migrations.

Each entry is one schema version; a project records the versions it has applied
in ``meta.schema_version`` and :func:`caseminer.store.migrations.migrate` applies
the rest in one transaction. Never edit a released migration: add a new one.

Vocabulary (STYLE.md lesson 7): a *case* is one policy text plus metadata; a
*coding* is a code applied to a span of a case; offsets are character offsets
(Python ``str`` indices) into the case's *original* text unless a column says
``analysis``.
"""

MIGRATIONS: list[tuple[str, str]] = [
    (
        "cases and runs",
        """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Every stage run: what ran, with which settings and versions, when, and what it made.
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    stage TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',      -- JSON
    versions TEXT NOT NULL DEFAULT '{}',      -- JSON: caseminer, python, jieba, ...
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',   -- running | done | failed
    counts TEXT NOT NULL DEFAULT '{}',        -- JSON
    coder TEXT
);
CREATE INDEX runs_stage ON runs(stage, id);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    province TEXT,                            -- canonical short name, NULL if unknown/absent
    original_text TEXT NOT NULL,              -- as decoded from the source, never changed
    text TEXT NOT NULL,                       -- analysis text (caseminer.nlp.normalize)
    offset_map TEXT NOT NULL,                 -- JSON breakpoints: analysis -> original offsets
    content_hash TEXT NOT NULL UNIQUE,        -- sha256 of original_text
    char_count INTEGER NOT NULL,
    source_path TEXT,
    source_kind TEXT,                         -- txt, md, docx, pdf, html, csv, xlsx, jsonl, qdpx
    source_line INTEGER,                      -- row or line for tabular sources
    encoding TEXT,
    import_run_id INTEGER REFERENCES runs(id),
    position INTEGER NOT NULL                 -- import order, for stable listings
);

CREATE TABLE case_attributes (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (case_id, name)
);
CREATE INDEX case_attributes_name ON case_attributes(name, value);

-- Append-only log of every manual decision (who, when, what, why): review,
-- lexicon, stop-words, thesaurus, codebook and coding edits.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    coder TEXT NOT NULL,
    kind TEXT NOT NULL,                       -- e.g. keyword.accept, lexicon.add, code.rename
    target TEXT,                              -- the object the decision is about
    payload TEXT NOT NULL DEFAULT '{}',       -- JSON: the decision's data
    reason TEXT,
    undoes INTEGER REFERENCES events(id),     -- set on an undo event
    undone_by INTEGER REFERENCES events(id)   -- set on the event an undo cancelled
);
CREATE INDEX events_kind ON events(kind, target);
""",
    ),
]
