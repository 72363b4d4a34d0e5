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
    (
        "text stages, review, codebook and codings",
        """
-- Segmentation: one row per case, tokens as JSON [[word, pos, start, end], ...] in analysis offsets.
CREATE TABLE tokens (
    case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    tokens TEXT NOT NULL
);

-- New-word discovery: scope '*' is the corpus list, otherwise a case id.
CREATE TABLE candidates (
    scope TEXT NOT NULL,
    word TEXT NOT NULL,
    rank INTEGER NOT NULL,
    weight REAL NOT NULL,
    freq INTEGER NOT NULL,
    docfreq INTEGER NOT NULL,
    in_lexicon INTEGER NOT NULL,
    measures TEXT NOT NULL DEFAULT '{}',
    run_id INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (scope, word)
);
CREATE INDEX candidates_rank ON candidates(scope, rank);

-- Extracted keywords of the latest keywords run (decisions on them live in events).
CREATE TABLE keywords (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    keyword TEXT NOT NULL,
    rank INTEGER NOT NULL,
    weight REAL NOT NULL,
    freq INTEGER NOT NULL,
    method TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '',
    start_char INTEGER,
    end_char INTEGER,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (case_id, keyword)
);

-- Merge proposals of the latest 'normalise suggest' (decisions live in events).
CREATE TABLE merge_suggestions (
    variant TEXT NOT NULL,
    core TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL DEFAULT '{}',
    run_id INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (variant, core)
);

-- The codebook: open -> axial -> selective (level NULL: a free code).
CREATE TABLE codes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT CHECK (level IN ('open', 'axial', 'selective') OR level IS NULL),
    parent_id TEXT REFERENCES codes(id),
    description TEXT NOT NULL DEFAULT '',
    role TEXT,
    color TEXT,
    terms TEXT NOT NULL DEFAULT '[]',        -- JSON: words that evidence the code in text
    position INTEGER NOT NULL DEFAULT 0,
    created_by TEXT,
    created_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX codes_unique_name ON codes(COALESCE(parent_id, ''), name);

-- A coding: a code applied to a span of a case (original-text character offsets),
-- or to the whole case (start_char and end_char NULL).
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    code_id TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    start_char INTEGER,
    end_char INTEGER,
    coder TEXT NOT NULL,
    created_at TEXT NOT NULL,
    memo TEXT NOT NULL DEFAULT '',
    score REAL,
    evidence TEXT,
    source TEXT NOT NULL DEFAULT 'manual',   -- manual | auto | import
    run_id INTEGER REFERENCES runs(id),
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((start_char IS NULL) = (end_char IS NULL)),
    CHECK (start_char IS NULL OR (start_char >= 0 AND end_char > start_char))
);
CREATE UNIQUE INDEX codings_unique_span ON codings(code_id, case_id, start_char, end_char, coder)
    WHERE start_char IS NOT NULL;
CREATE UNIQUE INDEX codings_unique_case ON codings(code_id, case_id, coder) WHERE start_char IS NULL;
CREATE INDEX codings_case ON codings(case_id);

-- Auto-coding scores of the latest 'code auto' run: every code of every level per case.
CREATE TABLE autocode_scores (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    code_id TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    level TEXT NOT NULL,
    score REAL NOT NULL,
    rank INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (case_id, code_id)
);

CREATE TABLE memos (
    id INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('project', 'case', 'code', 'coding')),
    target_id TEXT,
    text TEXT NOT NULL,
    coder TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX memos_target ON memos(target_kind, target_id);
""",
    ),
    (
        "vector cache",
        """
-- Embeddings of short strings (discovery's step 6 reads each listed string's), kept so
-- that re-running a stage does not embed the same strings again. Derived data: deleting
-- the rows costs only time. model: the embedder and its package version (a new version
-- of the model embeds again); key: SHA-1 of (kind, text), as nlp.embeddings keys it;
-- vector: float32, little-endian.
CREATE TABLE vector_cache (
    model TEXT NOT NULL,
    key TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, key)
) WITHOUT ROWID;
""",
    ),
    (
        "runs remember the decisions they read",
        """
-- events_seen: the id of the last event of the log when the stage read its inputs; a
-- decision with a larger id is one the run has not seen (caseminer status), however close
-- in time. NULL for runs recorded before this column: status compares times for them.
ALTER TABLE runs ADD COLUMN events_seen INTEGER;
""",
    ),
]
