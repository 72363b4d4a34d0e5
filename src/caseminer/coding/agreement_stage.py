"""Inter-coder agreement over the project's codings, and where coders disagree.

Case level: each case x code is a unit, present or absent per coder (a code
counts as present when the coder coded it anywhere in the case, or coded a code
below it when ``level`` rolls codings up). Span level: each character of each
case x code is a unit (the overlap rule of
:func:`caseminer.coding.agreement.span_agreement`). Statistics: percent agreement,
Cohen's kappa (two coders) and Krippendorff's alpha (any number), per code and
pooled. Only cases that at least one of the compared coders coded are compared,
unless ``case_ids`` names them.
"""

from __future__ import annotations

from typing import Iterable

from ..errors import InvalidInput
from ..project import Project
from .agreement import case_agreement, span_agreement
from .codebook import load_codebook
from .model import Coding


def _codings(project: Project, coders: list[str], level: str | None) -> tuple[list[Coding], dict[str, str]]:
    """The coders' codings, rolled up to ``level`` (None: as coded). Returns the
    codings and code id -> name."""
    codebook = load_codebook(project)
    names = {c.id: c.name for c in codebook}

    def target(code_id: str) -> str | None:
        if level is None:
            return code_id
        for code in codebook.path(code_id):
            if code.level == level:
                return code.id
        return None

    out = []
    marks = ",".join("?" * len(coders))
    for r in project.conn.execute(f"SELECT * FROM codings WHERE coder IN ({marks})", coders):
        code_id = target(r["code_id"])
        if code_id is None:
            continue
        out.append(Coding(r["case_id"], code_id, r["start_char"], r["end_char"], r["coder"]))
    return out, names


def human_coders(project: Project) -> list[str]:
    """The coders who coded by hand (not the automatic coding), the most codings first: the
    coders an agreement compares unless told which."""
    return [r[0] for r in project.conn.execute(
        "SELECT coder FROM codings WHERE source != 'auto' GROUP BY coder ORDER BY COUNT(*) DESC, coder")]


def agreement_report(project: Project, *, coders: Iterable[str], level: str | None = None, unit: str = "case",
                     case_ids: Iterable[str] | None = None) -> dict:
    """Agreement of ``coders`` per code and overall, as plain rows.

    Returns ``{"unit", "level", "coders", "cases", "overall": {...}, "per_code": [{code, n_units,
    percent, kappa, alpha, positives...}]}``.
    """
    coders = [c.strip() for c in coders if c.strip()]
    if len(coders) < 2:
        raise InvalidInput("Agreement needs at least two coders, e.g. --coders A,B. List them with "
                           "'caseminer code list'.")
    known = {r[0] for r in project.conn.execute("SELECT DISTINCT coder FROM codings")}
    missing = [c for c in coders if c not in known]
    if missing:
        raise InvalidInput(f"No codings by {', '.join(missing)}. Coders with codings: "
                           f"{', '.join(sorted(known)) or 'none'}.")
    if unit not in ("case", "span"):
        raise InvalidInput(f"The unit must be 'case' or 'span'; got {unit!r}.")
    codings, names = _codings(project, coders, level)
    if case_ids is None:
        case_ids = sorted({c.case_id for c in codings})
    case_ids = list(case_ids)
    if unit == "case":
        report = case_agreement(codings, case_ids=case_ids, coders=coders)
    else:
        lengths = {r["id"]: len(r["original_text"]) for r in project.conn.execute(
            f"SELECT id, original_text FROM cases WHERE id IN ({','.join('?' * len(case_ids))})", case_ids)}
        report = span_agreement([c for c in codings if c.case_id in lengths], case_lengths=lengths, coders=coders)

    def row(stats) -> dict:
        out = {"n_units": stats.n_units, "percent": _round(stats.percent), "kappa": _round(stats.kappa),
               "alpha": _round(stats.alpha)}
        out.update({f"n_{coder}": n for coder, n in stats.positives.items()})
        return out

    per_code = [{"code": names.get(code_id, code_id), **row(stats)} for code_id, stats in report.per_code.items()]
    per_code.sort(key=lambda r: r["code"])
    return {"unit": unit, "level": level, "coders": list(coders), "cases": len(case_ids),
            "overall": {"code": "(all codes)", **row(report.overall)}, "per_code": per_code}


def _round(value):
    if value is None:
        return None
    if value != value:  # nan: undefined (no variation)
        return None
    return round(float(value), 4)


def disagreements(project: Project, *, coders: Iterable[str], level: str | None = None,
                  case_id: str | None = None) -> list[dict]:
    """Case x code units where the coders differ, with each coder's passages side by side."""
    coders = [c for c in coders if c]
    codings, names = _codings(project, coders, level)
    texts = {r["id"]: r["original_text"] for r in project.conn.execute("SELECT id, original_text FROM cases")}
    grouped: dict[tuple[str, str], dict[str, list[Coding]]] = {}
    for c in codings:
        if case_id is not None and c.case_id != case_id:
            continue
        grouped.setdefault((c.case_id, c.code_id), {}).setdefault(c.coder, []).append(c)
    out = []
    for (cid, code_id), by_coder in sorted(grouped.items()):
        spans = {coder: sorted((c.start, c.end) for c in by_coder.get(coder, [])) for coder in coders}
        if len({tuple(s) for s in spans.values()}) == 1:
            continue
        passages = {coder: [texts[cid][s:e] if s is not None else "(whole case)" for s, e in spans[coder]]
                    for coder in coders}
        kind = "presence" if any(not spans[c] for c in coders) else "extent"
        out.append({"case_id": cid, "code": names.get(code_id, code_id), "kind": kind, "spans": spans,
                    "passages": passages})
    return out
