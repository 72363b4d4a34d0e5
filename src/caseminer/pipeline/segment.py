"""Segmentation stage: every case's analysis text into tokens, with the domain lexicon.

Reads the cases and the project lexicon (:mod:`caseminer.pipeline.lexicon`), calls
:func:`caseminer.nlp.segmenters.segment_many` over shards of cases, and stores one
token list per case (words, POS tags, analysis offsets). Re-running replaces the
previous tokens.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import StageNotRun, fail
from ..nlp import shardmap
from ..nlp.segmenters import SegmentSettings, segment_many, segment_processes
from ..nlp.tokens import Token
from ..project import Project
from ..settings import as_dict, build
from .corpus import case_texts
from .lexicon import current_lexicon


def segment_cases(project: Project, *, settings: SegmentSettings | None = None, n_jobs: int = 1,
                  overrides: dict[str, Any] | None = None, executor: object = None) -> dict[str, int]:
    """Segment every case; returns counts (cases, tokens, lexicon words used).

    ``executor`` (a ``dask.distributed`` client, or a ``concurrent.futures`` executor)
    segments the shards of cases instead of ``n_jobs`` local processes
    (:mod:`caseminer.nlp.shardmap`); the tokens are the same, and the run records where
    they were made (``ran_on``).

    Example::

        segment_cases(project, overrides={"backend": "jieba", "hmm": False})
    """
    settings = settings or build(SegmentSettings, "segment", overrides)
    with project.attempt("segment", as_dict(settings)) as inputs:  # before the lexicon is read
        shardmap.check_executor(executor, "segment")
        texts = case_texts(project)
        if not texts:
            raise fail(StageNotRun, "E302", stage="segment", requires="cases", command="import PATH")
        lexicon = {word: entry.pos for word, entry in current_lexicon(project).items()}
        ids = list(texts)
        ordered = [texts[i] for i in ids]
        # The run records the processes used, not asked for (the tokens are the same either way).
        processes = 0 if executor is not None else segment_processes(ordered, n_jobs)
        token_lists = segment_many(ordered, settings, lexicon, n_jobs=processes or 1, executor=executor)
        record = {**as_dict(settings), "n_jobs": processes or None, "ran_on": shardmap.where(executor, processes),
                  "lexicon_words": len(lexicon)}
        with project.run("segment", record, extra_versions=("jieba-fast-dat",), inputs=inputs) as run:
            project.conn.execute("DELETE FROM tokens")
            project.conn.executemany(
                "INSERT INTO tokens(case_id, run_id, tokens) VALUES (?,?,?)",
                ((case_id, run.id, encode_tokens(tokens)) for case_id, tokens in zip(ids, token_lists)),
            )
            run.counts.update({"cases": len(ids), "tokens": sum(len(t) for t in token_lists),
                               "lexicon_words": len(lexicon)})
    return run.counts


def last_settings(project: Project) -> SegmentSettings:
    """The settings of the latest segmentation run (StageNotRun if there is none)."""
    run = project.last_run("segment")
    if run is None:
        raise fail(StageNotRun, "E302", stage="this step", requires="segmentation", command="segment")
    recorded = json.loads(run["settings"] or "{}")
    fields = SegmentSettings.__dataclass_fields__
    return SegmentSettings(**{k: v for k, v in recorded.items() if k in fields})


def segment_with(project: Project, texts: dict[str, str], words: dict[str, str], *,
                 n_jobs: int = 1, executor: object = None) -> dict[str, list[Token]]:
    """Tokens of ``texts`` with the latest segmentation run's settings and the project
    lexicon plus ``words`` (word -> POS; the lexicon's entries win); nothing is stored.
    ``n_jobs`` processes (at most one per 200,000 characters) or ``executor`` cut them."""
    lexicon = {**words, **{word: entry.pos for word, entry in current_lexicon(project).items()}}
    ids = list(texts)
    return dict(zip(ids, segment_many([texts[i] for i in ids], last_settings(project), lexicon, n_jobs=n_jobs,
                                      executor=executor)))


def encode_tokens(tokens: list[Token]) -> str:
    """Compact storage: parallel lists of words, tags and start offsets (end = start + len)."""
    return json.dumps({"w": [t.word for t in tokens], "p": [t.pos for t in tokens], "s": [t.start for t in tokens]},
                      ensure_ascii=False, separators=(",", ":"))


def decode_tokens(data: str) -> list[Token]:
    raw = json.loads(data)
    return [Token(w, p, s, s + len(w)) for w, p, s in zip(raw["w"], raw["p"], raw["s"])]


def case_tokens(project: Project, case_id: str | None = None) -> dict[str, list[Token]]:
    """case id -> tokens (all cases, or one); StageNotRun if segmentation has not run."""
    if project.last_run("segment") is None:
        raise fail(StageNotRun, "E302", stage="this step", requires="segmentation", command="segment")
    sql = "SELECT t.case_id, t.tokens FROM tokens t JOIN cases c ON c.id = t.case_id"
    params: tuple = ()
    if case_id is not None:
        sql += " WHERE t.case_id = ?"
        params = (case_id,)
    sql += " ORDER BY c.position"
    return {r["case_id"]: decode_tokens(r["tokens"]) for r in project.conn.execute(sql, params)}
