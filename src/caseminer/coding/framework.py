"""The results of coding: the coding table (the study's Table 3), the framework of
selective codes with their roles, exemplary cases with quotes, and saturation.
"""

from __future__ import annotations

import random
from typing import Iterable

from ..errors import InvalidInput, StageNotRun, fail
from ..project import Project
from .codebook import load_codebook
from .codings import list_codings
from .saturation import heldback_check, saturation_curve


def coding_table(project: Project) -> list[dict]:
    """One row per selective -> axial code with its open codes (Table 3 shape), with
    the number of cases coded at each level."""
    codebook = load_codebook(project)
    cases_by_code: dict[str, set[str]] = {}
    for r in project.conn.execute("SELECT code_id, case_id FROM codings"):
        for code in codebook.path(r["code_id"]):
            cases_by_code.setdefault(code.id, set()).add(r["case_id"])
    rows = []
    for selective in codebook.roots():
        axials = codebook.children(selective.id) or [None]
        for axial in axials:
            opens = codebook.children(axial.id) if axial else []
            rows.append({
                "selective": selective.name, "role": selective.role or "",
                "axial": axial.name if axial else "",
                "open": "、".join(code.name for code in opens),
                "n_open": len(opens),
                "cases_selective": len(cases_by_code.get(selective.id, ())),
                "cases_axial": len(cases_by_code.get(axial.id, ())) if axial else 0,
            })
    return rows


def open_coding_table(project: Project, *, quote_chars: int = 80) -> list[dict]:
    """One row per open code, in the order of the codebook, with an example quotation:
    the open-coding table a paper prints (原始语句 | 初始概念 | 范畴 | 主范畴), which
    ``caseminer codebook import`` reads back (:mod:`.codebook_table`).

    The quotation is the code's first coded passage by a person (a span, not a whole
    case), else its first automatic one; for a code coded only whole cases, automatically,
    the sentence that writes the strongest case's first evidence term (the code's own name
    before its terms; a related word is no quotation of the code). It is cut to ``quote_chars`` characters (a cut
    one ends with ……, so that it is not taken for the case's words whole); ``cases`` counts
    the cases coded with the code."""
    from ..pipeline.corpus import get_case

    codebook = load_codebook(project)
    first: dict[str, tuple[tuple, object]] = {}
    cases: dict[str, set[str]] = {}
    for row in list_codings(project):
        cases.setdefault(row.code_id, set()).add(row.case_id)
        if row.start is not None:
            rank: tuple = (0 if row.source == "manual" else 1, row.id)
        elif _evidence_word(row.evidence):
            rank = (2, -(row.score or 0.0), row.id)
        else:
            continue
        if row.code_id not in first or rank < first[row.code_id][0]:
            first[row.code_id] = (rank, row)
    out, originals = [], {}
    for code in codebook:
        if code.level != "open":
            continue
        path = codebook.path(code.id)
        row = first.get(code.id, (None, None))[1]
        text = ""
        if row is not None:
            if row.start is not None:
                text = row.text
            else:  # many codes quote the same strongest case: each case's text is read once
                if row.case_id not in originals:
                    originals[row.case_id] = get_case(project, row.case_id).original_text
                text = _sentence_with(originals[row.case_id], _evidence_word(row.evidence))
            text = " ".join(text.split())
        out.append({"quote": text if len(text) <= quote_chars else text[:quote_chars] + "……",
                    "case_id": row.case_id if text else "", "code_id": code.id, "open": code.name,
                    "axial": path[-2].name if len(path) > 1 else "",
                    "selective": path[-3].name if len(path) > 2 else "", "cases": len(cases.get(code.id, ()))})
    return out


#: The coding table ``caseminer codebook export --format xlsx`` writes: headings that
#: ``codebook import`` reads back (:mod:`.codebook_table`), broad to narrow.
CODING_TABLE_COLUMNS = ("选择性编码", "主轴编码", "初始概念", "定义", "关键词", "原始语句（示例）", "案例", "案例数")
_COLUMN_OF = {"selective": 0, "axial": 1, "open": 2}


def coding_table_rows(project: Project, *, quote_chars: int = 200) -> list[dict]:
    """The codebook as the coding table a paper prints and researchers keep in Excel: a
    row per code with no children (every open code, and a category not yet broken down),
    its selective, axial and open code, description, terms and an example quotation
    (:func:`open_coding_table`). ``caseminer codebook import`` reads it back; roles, colours,
    memos and the descriptions of categories travel in .qdc or YAML only."""
    codebook = load_codebook(project)
    deep = [c.name for c in codebook if len(codebook.path(c.id)) > 3]
    if deep:
        raise InvalidInput(f"The codebook is deeper than selective, axial and open codes ({', '.join(deep[:3])} ...): "
                           "a coding table has three columns of codes. Export it as .qdc or YAML.")
    examples = {r["code_id"]: r for r in open_coding_table(project, quote_chars=quote_chars)}
    rows = []
    for code in codebook:
        if codebook.children(code.id):
            continue
        path = codebook.path(code.id)
        # each code in the column of its level (a codebook of axial and open codes leaves the
        # selective column empty), a free code in the column of its depth
        names = {_COLUMN_OF.get(c.level, depth): c.name for depth, c in enumerate(path)}
        if len(names) < len(path):
            names = {depth: c.name for depth, c in enumerate(path)}
        example = examples.get(code.id, {})
        rows.append({"选择性编码": names.get(0, ""), "主轴编码": names.get(1, ""), "初始概念": names.get(2, ""),
                     "定义": code.description, "关键词": "、".join(code.terms),
                     "原始语句（示例）": example.get("quote", ""), "案例": example.get("case_id", ""),
                     "案例数": example.get("cases", "")})
    return rows


def _evidence_word(evidence: str | None) -> str:
    """The first evidence term of an automatic coding: its code's name before the code's
    terms ("" if it has neither: related words only)."""
    import json

    try:
        terms = json.loads(evidence or "{}").get("terms") or []
    except (ValueError, AttributeError):
        return ""
    order = {"name": 0, "term": 1}
    found = sorted(((order[t[3]], i, t[0]) for i, t in enumerate(terms) if len(t) > 3 and t[0] and t[3] in order))
    return found[0][2] if found else ""


def _sentence_with(text: str, word: str) -> str:
    """The sentence of ``text`` (between 。！？ or line breaks) that first writes ``word``."""
    at = text.find(word) if word else -1
    if at < 0:
        return ""
    start = max(text.rfind(ch, 0, at) for ch in "。！？!?\n") + 1
    ends = [e for e in (text.find(ch, at + len(word)) for ch in "。！？!?\n") if e >= 0]
    return text[start:min(ends) + 1 if ends else len(text)].strip()


def framework(project: Project) -> list[dict]:
    """The selective codes with their roles, descriptions and case counts, in order."""
    codebook = load_codebook(project)
    table = coding_table(project)
    out = []
    for code in codebook.roots():
        n = next((r["cases_selective"] for r in table if r["selective"] == code.name), 0)
        out.append({"code": code.name, "role": code.role or "", "description": code.description,
                    "color": code.color, "axial": [c.name for c in codebook.children(code.id)], "cases": n})
    return out


def exemplars(project: Project, *, per_code: int = 3, quote_chars: int = 120, coder: str | None = None) -> list[dict]:
    """For each selective code, the cases that best exemplify it, with quoted spans.

    A case's strength for a code is the sum of its codings' scores below the code
    (manual codings score 1; automatic ones their score). The quote is the case's
    highest-scoring coded span, cut to ``quote_chars`` characters.
    """
    codebook = load_codebook(project)
    provinces = {r["id"]: r["province"] for r in project.conn.execute("SELECT id, province FROM cases")}
    strength: dict[tuple[str, str], float] = {}
    best: dict[tuple[str, str], tuple[float, object]] = {}
    for row in list_codings(project, coder=coder):
        root = codebook.path(row.code_id)[0]
        key = (root.id, row.case_id)
        score = row.score if row.score is not None else 1.0
        strength[key] = strength.get(key, 0.0) + score
        if row.start is not None and (key not in best or score > best[key][0]):
            best[key] = (score, row)
    out = []
    for root in codebook.roots():
        ranked = sorted(((s, case_id) for (rid, case_id), s in strength.items() if rid == root.id), reverse=True)
        for score, case_id in ranked[:per_code]:
            quote_row = best.get((root.id, case_id), (None, None))[1]
            quote = quote_row.text[:quote_chars] if quote_row is not None else ""
            out.append({"code": root.name, "role": root.role or "", "case_id": case_id,
                        "province": provinces.get(case_id) or "", "strength": round(score, 3), "quote": quote,
                        "start": quote_row.start if quote_row is not None else None,
                        "end": quote_row.end if quote_row is not None else None,
                        "quote_code": quote_row.code if quote_row is not None else ""})
    return out


def case_codes(project: Project, *, level: str = "open", coders: Iterable[str] | None = None) -> dict[str, set[str]]:
    """case id -> names of the codes (at ``level``) it was coded with, for every case."""
    codebook = load_codebook(project)
    out: dict[str, set[str]] = {r["id"]: set() for r in project.conn.execute("SELECT id FROM cases ORDER BY position")}
    coders = list(coders) if coders else None
    for r in project.conn.execute("SELECT case_id, code_id, coder FROM codings"):
        if coders and r["coder"] not in coders:
            continue
        for code in codebook.path(r["code_id"]):
            if code.level == level or (level == "open" and code.level is None and code.id == r["code_id"]):
                out[r["case_id"]].add(code.name)
    return out


def saturation(project: Project, *, level: str = "open", order: str = "given", permutations: int = 20,
               seed: int = 0, heldback_share: float = 0.2, coders: Iterable[str] | None = None) -> dict:
    """New codes as cases are added (the given import order and random orders), and
    the held-back check: codes that appear only in a held-back share of cases."""
    codes = case_codes(project, level=level, coders=coders)
    coded = {case_id: c for case_id, c in codes.items() if c}
    if len(coded) < 2:
        raise fail(StageNotRun, "E302", stage="saturation", requires="codings in at least two cases",
                   command="code auto (or code add)")
    if order not in ("given", "random"):
        raise InvalidInput(f"order must be 'given' or 'random'; got {order!r}.")
    case_order = list(coded)
    if order == "random":
        random.Random(seed).shuffle(case_order)
    result = saturation_curve(coded, order=case_order, permutations=permutations, seed=seed)
    held = heldback_check(coded, heldback_share=heldback_share, seed=seed)
    rows = []
    for i, case_id in enumerate(case_order):
        rows.append({"step": i + 1, "case_id": case_id, "new_codes": result.observed.new_codes[i],
                     "cumulative": result.observed.cumulative[i],
                     "mean_new_random": round(result.mean_new[i], 3),
                     "mean_cumulative_random": round(result.mean_cumulative[i], 3),
                     "min_cumulative_random": result.min_cumulative[i],
                     "max_cumulative_random": result.max_cumulative[i]})
    return {"level": level, "total_codes": result.total_codes, "cases": len(coded), "permutations": permutations,
            "curve": rows,
            "heldback": {"cases": list(held.heldback_cases), "new_codes": {k: list(v) for k, v in held.new_codes.items()},
                         "new_share": round(held.new_share, 4), "tolerance": held.tolerance,
                         "saturated": held.saturated}}
