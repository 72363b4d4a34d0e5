"""A project to and from a REFI-QDA project file (.qdpx).

Export: cases as text sources (the *original* text) with their attributes as
variables, the codebook, every coding (manual, automatic and imported, each with
its coder) as plain-text selections in Unicode code points, memos as notes, coders
as users. Import: the same, into the project, in one transaction; the round trip
caseminer -> qdpx -> caseminer keeps ids, names, levels, roles, colours, spans,
coders, memos, scores and evidence.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..coding.codebook import import_codebook, load_codebook
from ..coding.model import Code, Codebook, Coding, Memo
from ..errors import Conflict
from ..pipeline.corpus import ImportReport, import_records, list_cases
from ..pipeline.readers import RawCase
from ..project import InputsRead, Project, now
from .refi_project import CaseRecord, ProjectBundle, write_qdpx
from .refi_project_read import read_qdpx


def _time(value: str | None):
    if not value:
        return None
    try:
        return _dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def export_project(project: Project, path: str | Path) -> dict[str, int]:
    """Write the whole project as a .qdpx file; returns what was written."""
    cases = list_cases(project)
    records = []
    for case in cases:
        attributes = {k: v for k, v in case.attributes.items() if v is not None}
        if case.province:
            attributes["province"] = case.province
        records.append(CaseRecord(case.id, case.title, case.original_text, attributes))
    codebook = load_codebook(project)
    plain_codes = Codebook(tuple(Code(c.id, c.name, c.level, c.parent_id, c.description, c.role, c.color, "", c.terms)
                                 for c in codebook), name=codebook.name)
    codings = []
    for r in project.conn.execute("SELECT * FROM codings ORDER BY id"):
        codings.append(Coding(r["case_id"], r["code_id"], r["start_char"], r["end_char"], r["coder"],
                              _time(r["created_at"]), r["memo"] or "", r["score"], r["evidence"], id=None))
    memos = []
    for r in project.conn.execute("SELECT * FROM memos WHERE target_kind IN ('project', 'case', 'code') ORDER BY id"):
        memos.append(Memo(f"memo-{r['id']}", r["text"], r["target_kind"],
                          None if r["target_kind"] == "project" else r["target_id"], r["coder"],
                          _time(r["created_at"])))
    coders = sorted({c.coder for c in codings} | {m.author for m in memos if m.author})
    write_qdpx(path, cases=records, codebook=plain_codes, codings=codings, memos=memos, coders=coders,
               project_name=str(project.settings().get("project", {}).get("name", project.path.name)))
    return {"cases": len(records), "codes": len(plain_codes), "codings": len(codings), "memos": len(memos),
            "coders": len(coders)}


def import_project(project: Project, path: str | Path, *, coder: str, source: str | None = None) -> dict[str, int]:
    """Read a .qdpx (from caseminer, NVivo, ATLAS.ti, MAXQDA, QualCoder ...) into the
    project: cases, codebook, codings and memos, all or nothing. ``source`` names the
    file in the run's settings and the cases' origin (default: the path; the workbench
    gives an upload's own name, not the temporary file it was saved to)."""
    source = source or str(path)
    with project.attempt("import", {"qdpx": source}) as inputs:  # the import run starts as the archive is read
        bundle = read_qdpx(path)
        existing = {c.id for c in load_codebook(project)}
        clash = [c.name for c in bundle.codebook if c.id in existing]
        if clash:
            raise Conflict(f"{source}: {len(clash)} of its codes are already in this project "
                           f"(e.g. {', '.join(clash[:3])}); it was imported before. Import it into a new project: "
                           f"caseminer init NEW, then caseminer -p NEW import qdpx {source}.")
        with project.transaction():
            return _store_bundle(project, bundle, source, coder=coder, inputs=inputs)


def _store_bundle(project: Project, bundle: ProjectBundle, path: str, *, coder: str,
                  inputs: InputsRead) -> dict[str, int]:
    """Write a read .qdpx into the project, inside the caller's transaction."""
    raw = [RawCase(id=c.id, text=c.text, title=c.title,
                   attributes={k: (None if v is None else str(v)) for k, v in c.attributes.items()},
                   source_path=path, source_kind="qdpx") for c in bundle.cases]
    report: ImportReport = import_records(
        project, raw, settings={"qdpx": path, "keep_references": False, "keep_markup": False}, inputs=inputs,
        coder=coder)
    codes = Codebook(tuple(Code(c.id, c.name, c.level, c.parent_id, c.description, c.role, c.color, c.memo,
                                c.terms) for c in bundle.codebook), name=bundle.codebook.name)
    if len(codes):
        import_codebook(project, codes, coder=coder, source=path)
    for coding in bundle.codings:
        source = "auto" if coding.coder == "caseminer-auto" else "import"
        created = coding.created_at.isoformat() if coding.created_at else now()
        project.conn.execute(
            "INSERT OR IGNORE INTO codings(case_id, code_id, start_char, end_char, coder, created_at, memo, score, "
            "evidence, source) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (coding.case_id, coding.code_id, coding.start, coding.end, coding.coder, created, coding.memo or "",
             coding.score, coding.evidence, source))
    for memo in bundle.memos:
        created = memo.created_at.isoformat() if memo.created_at else now()
        project.conn.execute(
            "INSERT INTO memos(target_kind, target_id, text, coder, created_at, updated_at) VALUES (?,?,?,?,?,?)",
            (memo.target_type, memo.target_id, memo.text, memo.author or coder, created, created))
    project.record_event("exchange.import_qdpx", coder=coder, target=path,
                         payload={"cases": len(raw), "codes": len(codes), "codings": len(bundle.codings),
                                  "memos": len(bundle.memos)})
    return {"cases": len(report.imported), "already_present": len(report.already_present), "codes": len(codes),
            "codings": len(bundle.codings), "memos": len(bundle.memos),
            "reference lists left out": len(report.references)}
