"""Per-case keywords: whole terms, weighted, with their context (issue 4).

:func:`extract_keywords` turns the tokens of every case into its top ``K``
keywords (K = 3 as in the reference study). Steps:

1. **Candidates** (:mod:`.candidates`): whole terms rebuilt from tokens and the
   discovered lexicon (扶贫 + 车间 -> 扶贫车间), kept if they recur or are
   quoted. Boundary words (the generic list) never start or end a term, nor
   are they keywords however the tokens cut them (中国|特色|社会主义); stop-words
   (generic plus the project's confirmed domain stop-words) are never
   keywords themselves, but domain words may sit inside one (金融扶贫). Words of
   Latin letters other than acronyms (karst, Stephens: English prose, names from
   a reference list) are never keywords; NDVI, PPP and DID模型 may be. Nor is a
   term discovery's term filter takes for a clause piece (上开新局, 全会提出),
   nor the modifier of longer names that neither its case nor (but for a tenth of its
   occurrences) the project ever closes (平遥国际 | 摄影展: :func:`_modifier`).
2. **Scores**, one per method:

   ``tfidf``
       independent frequency in the case x smoothed project IDF
       (:func:`.tfidf.corpus_idf`) x a background factor: the term's IDF in
       jieba's general-language table over that table's median, capped to
       [0.5, 1.5] (raised to ``background_weight``).
   ``textrank``
       PageRank over the case's term co-occurrence graph (:mod:`.textrank`),
       linking terms within ``window`` positions in the longest-match term
       sequence.
   ``discovery``
       the new-word discovery weight of the term (terms not discovered score 0).
   ``fused`` (default)
       boosted trees over the features listed under ``linear`` (:mod:`.trees`:
       up to 200 regression trees of up to 8 leaves, shipped in
       ``data/keyterms/fused_trees.json``), their sum the log-odds that a
       researcher picks the term; plus the hand-set features ``name``,
       ``ubiquity`` and ``sparse`` at their ``linear`` weights (:data:`HAND_SET`:
       the golds hold no example of them, so trees would never split on them),
       plus the tie-breaker of ``linear``. Why trees: the features interact.
       Of the terms a case writes once (the golds' large project), one that ends
       in a measure's head (``MEASURE_HEADS``) is a reader's keyword the more
       often the more cases share it (0.25 under 1 % of the cases, 0.58 at
       5-15 %), any other the less often (0.03, 0.01): the share of cases pulls
       both ways, which one weight in a sum cannot. Fitted with scikit-learn on every case of four golds (87
       passages, three sets of 96 CCTV stories; two annotators each) in a
       project of 1,298 texts, and on the stories again in projects of 96 and
       of 24 of them (a term's share of cases reads differently in a small
       study), by ``benchmarks/keywords_fit.py --trees``. On each gold left out
       of the fit in turn, the mean top-3 hit rate against the ``linear``
       weights' (which saw two of those golds' fit halves): 0.546 / 0.514 in
       the large project, 0.530 / 0.478 in projects of 96, 0.503 / 0.428 of 24.
   ``linear``
       the default until session 28: a weighted sum of the features
       (``FUSED_WEIGHTS``), plus TextRank's reciprocal rank ``1 / (60 + rank)``
       as a tie-breaker::

           1.5  * ln(1 + independent frequency in the case)
         + 1.0  * salience         (cases where the term occurs twice or more + 0.5)
                                   / (cases where it occurs + 1): a term
                                   repeated where it is used is a topic there
                                   (易地扶贫搬迁), one mentioned in passing
                                   everywhere is background (乡村振兴战略)
         + 3.0  * specificity      background IDF of the term / background median
                                   (1 for a term the background does not know)
         + 2.5  * discovery        ln(1 + weight) / ln(1 + largest weight)
         + 2.0  * head             how many distinct terms of the project end in
                                   the term's last word (机制, 体系, 车间),
                                   ln-scaled to [0, 1]
         + 1.0  * measure_head     ends in a noun that names a kind of measure
                                   (``MEASURE_HEADS``: 机制, 模式, 工程, 行动,
                                   车间, 合作社, 基地, 扶贫 ...) after a modifier
                                   of two or more characters (金融扶贫; not the
                                   bare 示范村)
         + 1.5  * quoted           the case writes it in quotation marks (“一县一业”)
         + 1.0  * introduced       written right after a verb that introduces a
                                   measure at least once (实施 | 扶贫生态移民工程;
                                   :data:`.candidates.INTRO_VERBS`)
         + 0.25 * lead             first occurs in the case's first sentence
                                   (its title or lead)
         - 0.25 * single_case      found in this case only, and not quoted
         + 0.0  * position         first occurrence / length of the case (0 since
                                   the refit on the 96 stories; kept for refits)
         - 0.25 * idiom            an idiom or set phrase of the lexicon (固若金汤)
         - 1.75 * bare_verb        a single word the lexicon tags as a verb
                                   (帮扶, 增收): an activity, not a named measure
         - 0.25 * verb_object      starts with a verb that is rare in the project
                                   (1 - share of cases / 0.2, floored at 0): a verb
                                   and its object (加入合作社) rather than a
                                   domain verb modifying a noun (扶贫车间)
         - 1.0  * place            built with a place or person name (闽宁镇高质量)
         - 6.0  * common_parts     share of cases of the term's rarest word (a
                                   one-word compound is split in two words of
                                   the project first; from 10 cases on): high
                                   for a combination of commonplace words
                                   (扶贫 + 资金), low for a term with a
                                   specific word (芙蓉 + 学校)
         - 1.75 * generic_head     ends in a group of people or a quantity
                                   (贫困群众, 脱贫户, 人均纯收入): no measure
         - 3.0  * name             a probable person or place name
         - 6.0  * ubiquity         share of cases with the term above one half,
                                   scaled to [0, 1] (from 10 cases on; set by hand)
         - 9.75 * case_share       share of the project's cases with the term
                                   (from 10 cases on): a term in a third of the
                                   cases (精准扶贫, 特色产业) distinguishes few of
                                   them, before any stop-word is confirmed
         - 2.0  * sparse           ln(expected / occurrences) where a term keying a
                                   long case is expected once per 5,000 characters
                                   (0 in shorter cases, and below 10 cases; set by
                                   hand, :func:`_sparse`):
                                   a programme a 20,000-character report names once
                                   is mentioned in passing

       Why: researchers pick the established *terms of the measures* of a
       case - specific to the domain rather than general language
       (specificity), discovered or headed like policy terms (discovery,
       head, measure_head), topical where used (salience, frequency),
       singled out by quotes or introduced as what the case does
       (introduced, lead) - and never clause pieces, verbs, names, target
       groups, statistics or combinations of commonplace words.
       The weights are round numbers (quarters) from a conditional-logit fit
       (softmax over each case's candidates, L2 penalty 0.001;
       benchmarks/keywords_fit.py) on the fit halves of two development golds:
       the odd-numbered of 87 passages (two annotators) and 48 of 96 CCTV
       stories (two other annotators, ``keyword_gold_ab96.jsonl``); the other
       halves are held back. ``ubiquity`` and ``sparse`` are set by hand (see
       :func:`_ubiquity` and :func:`_sparse`: the golds hold neither terms in most
       cases nor long cases) and ``name`` kept at its earlier weight (the golds hold
       too few names among the candidates to learn it). Against the weights
       before (fitted on the passages alone, with ``case_share`` -24 and
       ``position`` -0.5 chosen by hand): held-back passages 0.473 both, held-back
       stories 0.465 -> 0.549, and on golds not fitted at all 0.29 -> 0.32
       (blind24), 0.42 -> 0.44 (the ``test`` stories of xwlb32), 0.51 -> 0.57
       and 0.45 -> 0.52 (local96 and case96: stories of local practice, made
       after the refit and measured once; a refit with half of case96 gained
       nothing held back). The refit
       weighs discovery, head and common_parts more and case_share less: the
       story annotators, like the reference study (扶贫产业 in 23 of 117 cases),
       also pick terms many cases share when the case is about them.
       Features tried and dropped for no held-out gain: project IDF (and its
       square; tried again with the features above), keyness against the rest
       of the corpus, term length, number of parts, being a lexicon word,
       character-bigram theme scores, the background IDF of the parts, cohesion
       (the term's case count over that of its rarest word), "starts with
       any verb" (replaced by verb_object: it also hit 扶贫车间), and, with the
       96 stories, "seen once in the case" alone and times case_share, and
       case_share times log_tf (held back within +-0.01).

3. **Fragments and overlaps**: going down the ranking, a term is skipped if it
   is part of an already chosen term (防贫 after 防贫预警) or contains one
   (乡村旅游示范村 after 乡村旅游), so the K keywords are K different terms.
   Two exceptions (:func:`_select`): a term that overlaps a chosen one so
   that together they are a candidate of the case (职业教育 and 教育扶贫 of
   职业教育扶贫) replaces it by that whole, and so does one that the case writes
   overlapping the chosen one where either of the two occurs nowhere else, even if
   the whole is too long or written too seldom to be a candidate (扶贫领域作风 and
   作风问题专项治理 of 扶贫领域作风问题专项治理: :func:`_written_whole`); and a practice and its
   institution (科技特派员 / 科技特派员制度, :data:`INSTITUTION_HEADS`) are
   both kept. The shortened form of a chosen term, or the full form of a chosen
   short one, is skipped as well (易地搬迁 and 易地扶贫搬迁, 人大制度 and
   人民代表大会制度: one term written two ways). A term that occurs only inside
   longer candidates (independent frequency 0) is never chosen.

Each :class:`Keyword` carries its weight, frequency in the case, method, first
occurrence (offsets into the analysis text) and a keyword-in-context snippet.
:func:`explain_term` says how any term of a case fares: why it is no candidate
(:data:`INELIGIBLE`), its rank, the keyword it was passed over for, and its ``fused`` or
``linear`` score taken apart by feature (:func:`score_parts`; for the trees, each tree's path
credited to the features it splits on, :meth:`.trees.TreeModel.contributions`), the shares
adding up to the score (``caseminer keywords --explain``).

References:
    Cormack, G. V., Clarke, C. L. A., Büttcher, S. (2009). Reciprocal rank fusion
    outperforms Condorcet and individual rank learning methods. SIGIR 2009.
    Frantzi, K., Ananiadou, S., Mima, H. (2000). C-value/NC-value (see
    :mod:`.candidates`). Mihalcea & Tarau (2004), TextRank (see :mod:`.textrank`).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

import numpy as np

from ...errors import InvalidInput
from ...settings import Boolean, Interval, Options, resolve_jobs, validate
from .. import shardmap
from ..kwic import one_line
from ..termfilter import is_organisation, is_term_like
from ..tokens import Token
from .candidates import CandidateOptions, CaseCandidates, build_candidates, is_probable_name
from .tfidf import background_idf_of, corpus_idf
from .textrank import textrank_scores
from .trees import load_fused_trees

__all__ = [
    "CorpusStats",
    "FUSED_WEIGHTS",
    "HAND_SET",
    "INELIGIBLE",
    "INSTITUTION_HEADS",
    "METHODS",
    "Keyword",
    "KeywordSettings",
    "TIE_BREAK",
    "build_corpus_stats",
    "case_candidates",
    "case_features",
    "explain_cases",
    "explain_term",
    "explain_terms",
    "extract_keywords",
    "fused_features",
    "rank_case",
    "score_parts",
]

log = logging.getLogger(__name__)

METHODS = ("fused", "linear", "tfidf", "textrank", "discovery")
# Heads of terms that name no measure (issue 4): groups of people, the targets
# of measures (贫困群众, 脱贫人口, 贫困劳动力), and quantities (人均纯收入,
# 报销比例). Researchers' keywords name the measures.
GENERIC_HEADS = (
    "群众", "人口", "家庭", "劳动力", "村民", "农户", "贫困户", "脱贫户", "低保户", "困难户", "边缘户", "监测户",
    "养殖户", "种植户", "孩子", "学生", "老人", "居民", "百姓", "乡亲",
    "人员", "人群", "对象", "们",
    "收入", "比例", "比重", "面积", "增速", "产值", "总量", "人数", "户数", "总数", "数量", "金额", "费用",
    # offices held by persons (政协委员, 人大代表, 时任浙江省委书记): people, not measures;
    # the village roles of the domain (第一书记, 村支书) are not listed
    "委员", "代表", "省委书记", "市委书记", "州委书记", "县委书记", "省长", "市长", "州长", "县长", "主席",
    "总理", "部长", "厅长", "局长",
)
# Heads of terms that name a measure, mechanism or model (issue 4: 扶贫车间,
# 利益联结机制, 整村托管 ... are what researchers pick).
MEASURE_HEADS = (
    "模式", "机制", "制度", "体系", "工程", "计划", "行动", "车间", "工厂", "合作社", "基地", "园区", "产业园",
    "产业", "扶贫", "帮扶", "协作", "平台", "中心", "学校", "夜校", "课堂", "基金", "保险", "贷款", "改革", "经济",
    "旅游", "电商", "培训", "整治", "治理", "监测", "预警", "搬迁", "品牌", "示范区", "示范村",
)
# Heads that turn a practice into the institution that fixes it (科技特派员 ->
# 科技特派员制度, 股份合作 -> 股份合作机制): a term and its institution are both
# kept as keywords (:func:`_select`). Heads of plans and campaigns (行动, 计划)
# are left out: X行动 restates X rather than fixing it, and with them the
# development set lost held-out hits.
INSTITUTION_HEADS = ("制度", "机制", "工程")
_RRF_K = 60.0


class Keyword(NamedTuple):
    """One keyword of one case.

    ``rank`` starts at 1; ``weight`` is the method's score (comparable within a
    case and method only; for ``fused`` the log-odds that a researcher picks the
    term, plus the hand-set features, so it may be negative); ``freq`` counts the
    term's occurrences in the case as a whole term; ``start``/``end`` are its first occurrence in the analysis
    text, ``context`` that occurrence with up to ``context_width`` characters on
    each side (``left【term】right``).
    """

    keyword: str
    rank: int
    weight: float
    freq: int
    method: str
    context: str
    start: int
    end: int


@dataclass(frozen=True)
class KeywordSettings:
    """Settings of keyword extraction.

    method: ``fused`` (default), ``linear``, ``tfidf``, ``textrank`` or ``discovery``.
    top: keywords per case (3, as in the reference study).
    window: TextRank co-occurrence window, in terms.
    min_len / max_len: shortest and longest keyword, in characters.
    max_tokens: most words a term may be built of.
    min_case_freq: a multi-word term must occur this often in its case ...
    min_docfreq: ... or in this many cases (recurrence = unithood).
    context_width: characters of context either side of the first occurrence.
    keep_names: allow terms made only of person and place names, and the organisations the
        lexicon names (财政部: :func:`.termfilter.is_organisation`).
    background_weight: exponent on the background factor (0 switches it off).
    """

    method: str = "fused"
    top: int = 3
    window: int = 5
    min_len: int = 2
    max_len: int = 12
    max_tokens: int = 6
    min_case_freq: int = 2
    min_docfreq: int = 2
    context_width: int = 10
    keep_names: bool = False
    background_weight: float = 1.0

    CONSTRAINTS: ClassVar[dict[str, Any]] = {
        "method": Options(METHODS),
        "top": Interval(int, 1, 1000),
        "window": Interval(int, 2, 100),
        "min_len": Interval(int, 1, 50),
        "max_len": Interval(int, 1, 50),
        "max_tokens": Interval(int, 1, 20),
        "min_case_freq": Interval(int, 1),
        "min_docfreq": Interval(int, 1),
        "context_width": Interval(int, 0, 200),
        "keep_names": Boolean(),
        "background_weight": Interval(float, 0.0, 5.0),
    }


def _candidate_options(s: KeywordSettings) -> CandidateOptions:
    return CandidateOptions(
        max_tokens=s.max_tokens,
        min_len=s.min_len,
        max_len=s.max_len,
        min_case_freq=s.min_case_freq,
        min_docfreq=s.min_docfreq,
        keep_names=s.keep_names,
    )


def _longest_match_sequence(cc: CaseCandidates, allowed: Collection[str]) -> list[str]:
    """The case's terms in text order, longest candidate first at each place,
    without overlaps (the node sequence for TextRank)."""
    seq: list[str] = []
    last_end = -1
    # cc.sequence is sorted by (start, end): among equal starts take the longest.
    best: dict[int, tuple[int, str]] = {}
    for s, e, t in cc.sequence:
        if t in allowed and (s not in best or e > best[s][0]):
            best[s] = (e, t)
    for s in sorted(best):
        e, t = best[s]
        if s >= last_end:
            seq.append(t)
            last_end = e
    return seq


def _ranks(scores: Mapping[str, float]) -> dict[str, int]:
    order = sorted(scores, key=lambda t: (-scores[t], t))
    return {t: i + 1 for i, t in enumerate(order)}


@dataclass(frozen=True)
class CorpusStats:
    """What scoring needs to know about the whole project (built by
    :func:`extract_keywords`): project IDF and document frequency, background
    IDF and its median, the general lexicon and the largest discovery weight."""

    idf: Mapping[str, float]
    docfreq: Mapping[str, int]
    background: Mapping[str, float] | None
    background_median: float
    lexicon: Mapping[str, str] | None
    max_discovery: float
    names: dict = dataclasses.field(default_factory=dict)  # term -> probable name (cache)
    heads: Mapping[str, int] = dataclasses.field(default_factory=dict)  # last word -> distinct terms it ends
    max_head: int = 1
    repeated: Mapping[str, int] = dataclasses.field(default_factory=dict)  # term -> cases with it twice or more
    n_cases: int = 0
    # term -> (occurrences, occurrences the text continues as more of a noun phrase), all cases
    continued: Mapping[str, tuple[int, int]] = dataclasses.field(default_factory=dict)

    def is_name(self, term: str) -> bool:
        hit = self.names.get(term)
        if hit is None:
            hit = self.names[term] = is_probable_name(term, self.lexicon)
        return hit

    def names_a_body(self, term: str) -> bool:
        """A name the keywords leave out: a probable person's or place's (:meth:`is_name`),
        or an organisation the lexicon names (全国政协, 国务院新闻办:
        :func:`.termfilter.is_organisation`), which the readers' golds never pick (none of
        their keywords is one) and the readers of the top 3 judged names (3 of 3, session 59)."""
        return self.is_name(term) or (self.lexicon is not None and is_organisation(term, self.lexicon))


# Weights of the fused score (see the module docstring).
FUSED_WEIGHTS: dict[str, float] = {
    "log_tf": 1.5,
    "salience": 1.0,
    "specificity": 3.0,
    "discovery": 2.5,
    "head": 2.0,
    "measure_head": 1.0,
    "quoted": 1.5,
    "introduced": 1.0,
    "lead": 0.25,
    "single_case": -0.25,
    "position": 0.0,
    "idiom": -0.25,
    "bare_verb": -1.75,
    "verb_object": -0.25,
    "place": -1.0,
    "common_parts": -6.0,
    "generic_head": -1.75,
    "name": -3.0,
    "ubiquity": -6.0,
    "case_share": -9.75,
    "sparse": -2.0,
}


def _head(term: str, parts: Sequence[str]) -> str | None:
    """The head of a term: its last word, or the last two characters of a
    one-word term of four or more characters (a discovered compound)."""
    if len(parts) > 1:
        return parts[-1]
    return term[-2:] if len(term) >= 4 else None


def build_corpus_stats(
    per_case: Mapping[str, CaseCandidates],
    docfreq: Mapping[str, int],
    *,
    background_idf: Mapping[str, float] | None = None,
    lexicon: Mapping[str, str] | None = None,
    discovery_weights: Mapping[str, float] | None = None,
) -> CorpusStats:
    """The :class:`CorpusStats` of the candidates of all cases (see
    :func:`extract_keywords` for the arguments)."""
    median = 0.0
    if background_idf:
        vals = sorted(background_idf.values())
        median = vals[len(vals) // 2]
    # Head productivity: how many distinct multi-word terms of the project end
    # in a word. Policy heads (机制, 体系, 工程, 车间) head many terms, the
    # ends of clause pieces few (issue 4).
    ends: dict[str, set[str]] = {}
    for cc in per_case.values():
        for term, parts in cc.parts.items():
            head = _head(term, parts)
            if head:
                ends.setdefault(head, set()).add(term)
    heads = {w: len(ts) for w, ts in ends.items()}
    repeated: Counter[str] = Counter()
    occurrences: Counter[str] = Counter()
    continued: Counter[str] = Counter()
    for cc in per_case.values():
        repeated.update(t for t, f in cc.indep.items() if f >= 2)
        occurrences.update(cc.freq)
        continued.update(cc.continued)
    return CorpusStats(
        idf=corpus_idf(docfreq, len(per_case)),
        docfreq=docfreq,
        background=background_idf,
        background_median=median,
        lexicon=lexicon,
        max_discovery=max((max(0.0, float(w)) for w in (discovery_weights or {}).values()), default=0.0),
        heads=heads,
        max_head=max(heads.values(), default=1),
        repeated=repeated,
        n_cases=len(per_case),
        continued={t: (n, continued[t]) for t, n in occurrences.items()},
    )


def fused_features(
    term: str, cc: CaseCandidates, corpus: CorpusStats, discovery: Mapping[str, float]
) -> dict[str, float]:
    """The features of the fused score for one term of one case."""
    if corpus.background and corpus.background_median > 0:
        bg = corpus.background.get(term, corpus.background_median)
        spec = bg / corpus.background_median
    else:
        spec = 1.0
    quoted = term in cc.quoted
    w = max(0.0, float(discovery.get(term, 0.0)))
    parts = cc.parts.get(term, (term,))
    end = cc.sequence[-1][1] if cc.sequence else 1
    head = _head(term, parts)
    heads = corpus.heads.get(head, 0) if head else 0
    lex = corpus.lexicon or {}
    first = lex.get(parts[0]) or "" if len(parts) > 1 else (lex.get(term[:2]) or "" if len(term) >= 5 else "")
    return {
        "salience": (corpus.repeated.get(term, 0) + 0.5) / (corpus.docfreq.get(term, 1) + 1),
        "log_tf": math.log1p(cc.indep[term]),
        "specificity": spec,
        "discovery": math.log1p(w) / math.log1p(corpus.max_discovery) if corpus.max_discovery > 0 else 0.0,
        "head": math.log1p(heads) / math.log1p(corpus.max_head) if corpus.max_head > 0 else 0.0,
        "quoted": float(quoted),
        "single_case": float(corpus.docfreq.get(term, 1) <= 1 and not quoted),
        "position": cc.first[term][0] / max(1, end),
        "bare_verb": float(len(parts) == 1 and (lex.get(term) or "").startswith("v") and lex.get(term) != "vn"),
        "idiom": float(lex.get(term) in ("i", "l")),
        "place": float(len(parts) > 1 and any(lex.get(p) in ("ns", "nsf", "nr") or corpus.is_name(p) for p in parts)),
        "generic_head": float(term.endswith(GENERIC_HEADS)),
        "name": float(corpus.is_name(term)),
        "ubiquity": _ubiquity(corpus.docfreq.get(term, 1), corpus.n_cases),
        "case_share": _case_share(corpus.docfreq.get(term, 1), corpus.n_cases),
        "introduced": float(cc.introduced.get(term, 0) > 0),
        "lead": float(cc.first[term][0] < cc.lead_end),
        "measure_head": _measure_head(term),
        "common_parts": _common_parts(parts, corpus),
        "verb_object": _verb_object(first, parts, corpus),
        "sparse": _sparse(cc.freq[term], cc.text_end, corpus.n_cases),
    }


#: A keyword of a whole case recurs about once in this many characters of it (see :func:`_sparse`).
CHARS_PER_MENTION = 5000


def _sparse(freq: int, n_chars: int, n_cases: int) -> float:
    """How far a term falls short of recurring through a long case: ln(expected / freq),
    where a term that keys the case is expected once per :data:`CHARS_PER_MENTION`
    characters; 0 in a case shorter than that, for a term written often enough, and in
    a project of fewer than 10 cases.

    Why: in a government work report of 20,000 characters the term written once is a
    programme mentioned in passing, however term-like (none of 24 such top-3 keywords
    was judged a researcher's pick; 44 of 94 written three times or more were); in a
    story of 1,000 characters once is normal. The weights were fitted on passages and
    stories, none longer than a few thousand characters, so they could not learn it:
    the weight is set by hand. It favours what a case repeats, and what every case
    repeats (常态化, 基础设施) only the share of cases holds back, which counts from 10
    cases on (:func:`_case_share`); in a project of one report it let such words in.
    """
    if n_chars <= 0 or n_cases < MIN_SHARE_CASES:
        return 0.0
    return max(0.0, math.log(n_chars / CHARS_PER_MENTION) - math.log(max(1, freq)))


def _verb_object(first_tag: str, parts: Sequence[str], corpus: CorpusStats) -> float:
    """A multi-word term opened by a verb of the lexicon (``first_tag``) that is
    rare in the project: 1 - its share of cases / 0.2, floored at 0. A verb in a
    fifth of the cases or more is a domain verb that modifies nouns (扶贫 |
    车间, 就业 | 扶贫); a rare one takes an object (加入 | 合作社). A first word
    that is no candidate of its own counts as common."""
    if len(parts) < 2 or not (first_tag.startswith("v") and first_tag != "vn") or corpus.n_cases <= 0:
        return 0.0
    share = corpus.docfreq.get(parts[0], corpus.n_cases) / corpus.n_cases
    return max(0.0, 1.0 - share / 0.2)


def _measure_head(term: str) -> float:
    """1 if the term is a measure head with a modifier of two or more characters
    (金融扶贫, 利益联结机制); the bare head (示范村, 合作社) names a kind of
    measure, not one."""
    return float(any(term.endswith(h) and len(term) >= len(h) + 2 for h in MEASURE_HEADS))


def _split_compound(term: str, corpus: CorpusStats) -> tuple[str, ...]:
    """A one-word compound of four or more characters split into two words of the
    project (扶贫项目 -> 扶贫 + 项目), at the first place where both halves are
    candidates of their own; the word itself if there is none."""
    for k in range(2, len(term) - 1):
        if term[:k] in corpus.docfreq and term[k:] in corpus.docfreq and len(term) - k >= 2:
            return (term[:k], term[k:])
    return (term,)


# Shares of cases (case_share, ubiquity, common_parts) count from this many cases on.
MIN_SHARE_CASES = 10


def _common_parts(parts: Sequence[str], corpus: CorpusStats) -> float:
    """How common the rarest word of a multi-word term is: the smallest share of
    cases among its words of two or more characters that are candidates of
    their own (names, numerals and boundary words are not counted). 1 for a
    combination of commonplace words (扶贫 + 资金), near 0 for a term with a
    rare, specific word (芙蓉 + 学校). A one-word compound is split first
    (:func:`_split_compound`); 0 if no word is left, and 0 before
    :data:`MIN_SHARE_CASES` cases, as :func:`_case_share`: in two cases each word of a
    shared term is in half or all of them (扶贫 + 车间), which says nothing of how
    commonplace it is."""
    if corpus.n_cases < MIN_SHARE_CASES:
        return 0.0
    if len(parts) == 1:
        parts = _split_compound(parts[0], corpus)
    if len(parts) < 2:
        return 0.0
    shares = [corpus.docfreq[p] / corpus.n_cases for p in parts if len(p) >= 2 and p in corpus.docfreq]
    return min(shares) if shares else 0.0


def _ubiquity(docfreq: int, n_cases: int) -> float:
    """0 up to half the cases, rising to 1 for a term in every case (from 10 cases on).

    Why: a term in nearly every case distinguishes none of them (the study removed
    脱贫攻坚 and 建档立卡贫困户 as domain stop-words). Stop-words still need a
    researcher's confirmation; this only keeps such terms out of the top ranks
    before that. Not part of the fitted weights: the fitting corpus (news stories
    on many topics) has almost no term above half the cases, so it could not learn it.
    """
    if n_cases < MIN_SHARE_CASES:
        return 0.0
    return max(0.0, (docfreq / n_cases - 0.5) / 0.5)


def _case_share(docfreq: int, n_cases: int) -> float:
    """The share of the cases with the term, from 10 cases on (0 before).

    Why: with a handful of cases a share says little (2 of 5 cases is 0.4), and a
    term the cases share is as likely their common subject as a background word.
    """
    return docfreq / n_cases if n_cases >= MIN_SHARE_CASES else 0.0


def rank_case(
    cc: CaseCandidates,
    corpus: CorpusStats,
    settings: KeywordSettings,
    *,
    stopwords: Collection[str] = (),
    discovery_weights: Mapping[str, float] | None = None,
) -> list[tuple[str, float]]:
    """All eligible terms of one case with their score under ``settings.method``,
    best first (before fragment suppression). See the module docstring."""
    return _scored(cc, corpus, settings, stopwords, discovery_weights or {})[0]


def _scored(cc: CaseCandidates, corpus: CorpusStats, settings: KeywordSettings, stopwords: Collection[str],
            disc: Mapping[str, float]) -> tuple[list[tuple[str, float]], dict[str, dict[str, float]] | None]:
    """:func:`rank_case`'s ranking, and the features it was scored from (``linear`` and
    ``fused``; None for the methods of one score), which :func:`explain_terms` takes apart."""
    terms = _eligible(cc, corpus, settings, stopwords)
    if not terms:
        return [], None
    method = settings.method
    features = None
    if method == "tfidf":
        scores = {}
        for t in terms:
            score = cc.indep[t] * corpus.idf.get(t, 1.0)
            if corpus.background and settings.background_weight > 0 and corpus.background_median > 0:
                bg = background_idf_of(t, cc.parts.get(t), corpus.background, corpus.background_median)
                factor = min(1.5, max(0.5, bg / corpus.background_median))
                score *= factor**settings.background_weight
            scores[t] = score
    elif method == "discovery":
        scores = {t: float(disc.get(t, 0.0)) for t in terms}
    elif method == "textrank":
        scores = _textrank(cc, terms, settings)
    elif method == "linear":
        features = _features(cc, corpus, settings, terms, disc)
        scores = {t: sum(FUSED_WEIGHTS.get(k, 0.0) * v for k, v in f.items()) + f[TIE_BREAK]
                  for t, f in features.items()}
    else:
        features = _features(cc, corpus, settings, terms, disc)
        scores = _boosted(features)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])), features


def _boosted(features: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """The ``fused`` score of each term: the trees, the hand-set features at their linear
    weights, and the tie-breaker (module docstring)."""
    model = load_fused_trees()
    rows = list(features.values())
    trees = model.decision(np.array([[f[n] for n in model.features] for f in rows], dtype=float))
    return {t: float(s) + sum(FUSED_WEIGHTS[k] * f[k] for k in HAND_SET) + f[TIE_BREAK]
            for (t, f), s in zip(features.items(), trees)}


def score_parts(features: Mapping[str, float], method: str) -> tuple[float, list[tuple[str, float, float]]]:
    """A ``fused`` or ``linear`` score taken apart: ``(bias, [(feature, value, share), ...])``,
    bias and shares adding up to the score :func:`rank_case` gives the term (``features``:
    its row of :func:`case_features`). ``fused``: the trees' shares by feature
    (:meth:`.trees.TreeModel.contributions`) and the hand-set features at their weights;
    ``linear``: each weight times its feature. The tie-breaker is the last share."""
    if method == "linear":
        parts = [(k, float(features[k]), FUSED_WEIGHTS[k] * float(features[k])) for k in FUSED_WEIGHTS]
        bias = 0.0
    elif method == "fused":
        model = load_fused_trees()
        shares = model.contributions(np.array([[features[n] for n in model.features]], dtype=float))[0]
        parts = [(n, float(features[n]), float(c)) for n, c in zip(model.features, shares)]
        parts += [(k, float(features[k]), FUSED_WEIGHTS[k] * float(features[k])) for k in HAND_SET]
        bias = model.bias
    else:
        raise InvalidInput(f"The keyword method {method!r} is one score, not a sum of features: "
                           "only 'fused' and 'linear' scores are taken apart.")
    return bias, [*parts, (TIE_BREAK, float(features[TIE_BREAK]), float(features[TIE_BREAK]))]


def explain_term(
    term: str,
    cc: CaseCandidates,
    corpus: CorpusStats,
    settings: KeywordSettings,
    *,
    stopwords: Collection[str] = (),
    discovery_weights: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """How ``term`` fares among one case's keywords, as :func:`extract_keywords` ranks and
    chooses them (same arguments; ``stopwords`` as it passes them to :func:`rank_case`):
    ``eligible`` (None, or the first of :data:`INELIGIBLE` that keeps it out), its ``rank``
    among the case's ``ranked`` eligible terms before the choice, its ``score``, ``keyword``
    (its rank among the chosen keywords, or None), ``skipped`` (how it was passed over:
    "merged", "overlaps" or "other form", and the chosen keyword), ``chosen`` (the
    keywords), ``last_score`` (the last keyword's score), ``freq`` and ``indep`` (its
    occurrences in the case as a whole term, and those not inside a longer term) and, for
    ``fused`` and ``linear``, the score's ``bias`` and ``parts`` (:func:`score_parts`). A keyword
    that is the whole two overlapping terms are written as has ``joined`` (those terms),
    ``joined_ranks`` (their ranks) and ``keyword_score`` (the score it took from them); if the
    whole is no candidate itself, its ``score`` is that too and it has no ``rank``."""
    return explain_terms([term], cc, corpus, settings, stopwords=stopwords, discovery_weights=discovery_weights)[term]


def explain_terms(
    terms: Sequence[str],
    cc: CaseCandidates,
    corpus: CorpusStats,
    settings: KeywordSettings,
    *,
    stopwords: Collection[str] = (),
    discovery_weights: Mapping[str, float] | None = None,
) -> dict[str, dict[str, Any]]:
    """:func:`explain_term` of each of ``terms`` of one case, the case ranked once."""
    ranked, features = _scored(cc, corpus, settings, stopwords, discovery_weights or {})
    skipped: dict[str, tuple[str, str]] = {}
    picked = _select(ranked, settings.top, skipped, written=_writer(cc, corpus, settings))
    chosen = [t for t, _ in picked]
    rank_of = {t: i for i, (t, _) in enumerate(ranked, start=1)}
    stop = set(stopwords)
    last = picked[-1][1] if picked else None
    out = {}
    for term in terms:
        told: dict[str, Any] = {
            "term": term, "method": settings.method, "top": settings.top, "ranked": len(ranked), "chosen": chosen,
            "eligible": _ineligible(term, cc, corpus, settings, stop), "rank": rank_of.get(term), "score": None,
            "keyword": chosen.index(term) + 1 if term in chosen else None, "skipped": skipped.get(term),
            "freq": cc.freq.get(term, 0), "indep": cc.indep.get(term, 0),
            "last_score": last, "n_cases": corpus.n_cases}
        joined = _joined_parts(term, skipped) if term in chosen else []
        if joined:
            # the whole of two overlapping terms: a keyword with the score of the one chosen first
            told["joined"], told["keyword_score"] = joined, picked[chosen.index(term)][1]
            told["joined_ranks"] = [rank_of.get(t) for t in joined]
        if term in chosen and told["rank"] is None:
            # a whole that is no candidate itself (_written_whole) is a keyword all the same,
            # so nothing keeps it out
            told["eligible"], told["score"] = None, told.get("keyword_score")
        if told["rank"] is not None:
            told["score"] = ranked[told["rank"] - 1][1]
            if features is not None:
                told["bias"], told["parts"] = score_parts(features[term], settings.method)
        out[term] = told
    return out


def explain_cases(
    terms: Mapping[str, Sequence[str]],
    per_case: Mapping[str, CaseCandidates],
    corpus: CorpusStats,
    settings: KeywordSettings,
    *,
    stopwords: Collection[str] = (),
    discovery_weights: Mapping[str, float] | None = None,
    n_jobs: int = 1,
    executor: object = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """:func:`explain_terms` of many cases (case id -> its ``terms``; cases without
    candidates left out), mapped over shards of cases as extraction is: the review
    workbook's "why" column explains every keyword of the project, and each case is
    ranked again to do so."""
    cases = [(cid, list(ts)) for cid, ts in terms.items() if cid in per_case and ts]
    shared = (per_case, corpus, settings, tuple(stopwords), discovery_weights or {})
    shards = shardmap.chunks(cases, shardmap.shard_count(n_jobs, executor))
    return dict(pair for part in shardmap.map_shards(_explained_shard, shared, shards, n_jobs=n_jobs,
                                                     executor=executor, what="explaining keywords")
                for pair in part)


def _explained_shard(shared: tuple, cases: list[tuple[str, list[str]]]) -> list[tuple[str, dict]]:
    per_case, corpus, settings, never, discovery_weights = shared
    return [(cid, explain_terms(ts, per_case[cid], corpus, settings, stopwords=never,
                                discovery_weights=discovery_weights)) for cid, ts in cases]


def _joined_parts(whole: str, skipped: Mapping[str, tuple[str, str]]) -> list[str]:
    """The terms :func:`_select` merged into ``whole`` (its ``skipped``), in the order the whole
    writes them (扶贫领域作风, 作风问题专项治理), whichever was chosen first."""
    return sorted((t for t, (how, into) in skipped.items() if how == "merged" and into == whole), key=whole.find)


#: Features the ``fused`` trees leave to their ``linear`` weights, set by hand (module docstring).
HAND_SET = ("name", "ubiquity", "sparse")

#: The feature of :func:`case_features` that breaks ties: TextRank's reciprocal rank.
TIE_BREAK = "textrank_rr"


def case_features(
    cc: CaseCandidates,
    corpus: CorpusStats,
    settings: KeywordSettings,
    *,
    stopwords: Collection[str] = (),
    discovery_weights: Mapping[str, float] | None = None,
) -> dict[str, dict[str, float]]:
    """The fused score's features of every eligible term of one case, plus
    :data:`TIE_BREAK`; what ``fused`` weighs (and what a refit of the weights reads)."""
    return _features(cc, corpus, settings, _eligible(cc, corpus, settings, stopwords), discovery_weights or {})


def _features(cc: CaseCandidates, corpus: CorpusStats, settings: KeywordSettings, terms: list[str],
              discovery: Mapping[str, float]) -> dict[str, dict[str, float]]:
    # TextRank only breaks ties (reciprocal rank, Cormack et al. 2009):
    # on the development set it ranked hub words (产业, 群众) first.
    tr_rank = _ranks(_textrank(cc, terms, settings))
    out = {}
    for t in terms:
        f = fused_features(t, cc, corpus, discovery)
        if settings.background_weight != 1.0:
            f["specificity"] = f["specificity"] ** settings.background_weight
        f[TIE_BREAK] = 1.0 / (_RRF_K + tr_rank[t])
        out[t] = f
    return out


def _textrank(cc: CaseCandidates, terms: list[str], settings: KeywordSettings) -> dict[str, float]:
    """TextRank score of each term over the case's longest-match term sequence (0 if unlinked)."""
    seq = _longest_match_sequence(cc, set(terms))
    tr = textrank_scores(seq, window_size=settings.window) if seq else {}
    return {t: tr.get(t, 0.0) for t in terms}


def _eligible(cc: CaseCandidates, corpus: CorpusStats, settings: KeywordSettings,
              stopwords: Collection[str]) -> list[str]:
    """The terms of a case that may be keywords: occurring on their own, no stop-word,
    of the allowed length, no clause piece, and (unless ``keep_names``) no probable name.

    A clause piece is a Han term that discovery's term filter rejects
    (:func:`..termfilter.is_term_like`: 上开新局 from 在……上开新局, 全会提出, 打好精准). On the
    development gold (``benchmarks/keywords_eval.py``) this changed the hit rate 0.540 -> 0.544
    without stop-words (fit half 0.598 -> 0.614, held back 0.481 -> 0.473) and 0.552 -> 0.556
    with them; xwlb32 0.43 -> 0.44 (test unchanged), blind24 unchanged: about even on the
    held-back data, and no keyword a reader would strike out as a piece of a sentence."""
    stop = set(stopwords)
    return [t for t in cc.indep if _ineligible(t, cc, corpus, settings, stop) is None]


#: Why a term of a case is no keyword candidate (:func:`_ineligible`), in the order tested.
INELIGIBLE = ("stop-word", "not in the case", "never on its own", "length", "English word", "clause piece",
              "modifier", "name")


def _ineligible(term: str, cc: CaseCandidates, corpus: CorpusStats, settings: KeywordSettings,
                stop: Collection[str]) -> str | None:
    """The first of :data:`INELIGIBLE` that keeps ``term`` from being a keyword of the case
    (:func:`_eligible`), or None."""
    if term in stop:
        return "stop-word"
    if term not in cc.freq:
        return "not in the case"
    if cc.indep.get(term, 0) <= 0:
        return "never on its own"
    if not settings.min_len <= len(term) <= settings.max_len:
        return "length"
    if _prose_word(term):
        return "English word"
    if _HAN.match(term) and not is_term_like(term):
        return "clause piece"
    if _modifier(term, cc, corpus):
        return "modifier"
    if not settings.keep_names and corpus.names_a_body(term):
        return "name"
    return None


# Latin letters only, with a run of three lower-case ones: a word, or a name however it is
# capitalised (McEwen, DeLong); acronyms (NDVI, PhD, DiD) have no such run.
_LATIN = re.compile(r"^(?=[A-Za-z]+$).*[a-z]{3}")
_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")


#: A term that its case never closes, and the project closes in less than this share of its
#: occurrences, is the modifier of longer terms, no keyword (:func:`_modifier`).
MODIFIER_CLOSING = 0.1


def _modifier(term: str, cc: CaseCandidates, corpus: CorpusStats) -> bool:
    """Is ``term`` only ever the modifier of a longer noun phrase: every occurrence in the
    case, and all but a few (``MODIFIER_CLOSING``) in the project, followed by more of a noun
    phrase (平遥国际 | 摄影展 / 摄影大展, 环中国国际公路 | 自行车赛, 审批制度 | 改革)? The researcher writes
    the whole term, or a term the texts also write on their own (of their occurrences in the
    2,962 poverty stories, 中国特色社会主义 closes 19 %, 国内旅游 14 %: both stay). A word the
    starter list names as a boundary (工作, 格局) closes a term."""
    if cc.continued[term] < cc.freq[term]:
        return False
    n, cont = corpus.continued.get(term, (0, 0))
    return n > 0 and n - cont < MODIFIER_CLOSING * n


def _prose_word(term: str) -> bool:
    """A word of Latin letters that is no acronym (karst, Stephens, McEwen): English prose or a
    name from a reference list, which a Chinese case names no measure with; acronyms
    (NDVI, PPP) and mixed terms (DID模型) stay."""
    return _LATIN.match(term) is not None


def _overlap_whole(a: str, b: str, eligible: Mapping[str, float]) -> str | None:
    """The whole of two overlapping terms, if the case has it as a candidate:
    职业教育 + 教育扶贫 -> 职业教育扶贫 (the end of one is the start of the
    other). Longest overlap first, either order; None if there is no such term."""
    for x, y in ((a, b), (b, a)):
        for k in range(min(len(x), len(y)) - 1, 0, -1):
            if x.endswith(y[:k]):
                whole = x + y[k:]
                if whole in eligible:
                    return whole
    return None


def _written_whole(a: str, b: str, cc: CaseCandidates, corpus: CorpusStats, settings: KeywordSettings) -> str | None:
    """The one term the case writes where ``a`` and ``b`` overlap in its text, if one of them
    occurs only there: 扶贫领域作风 + 作风问题专项治理, written 扶贫领域作风问题专项治理 and
    作风问题专项治理 nowhere else. That whole is no candidate (too long, or written once), but
    one of the two is plainly a piece of it, and the researcher writes the whole (issue 4: a
    reader's keyword 扶贫领域作风问题专项治理 came out as its two halves). None where the two
    never overlap in the text, where each also stands apart, where the overlaps read
    differently, or where the whole is a candidate that is kept out (a name, a stop-word ...)
    or no term (a clause piece)."""
    occ_a = [(s, e) for s, e, t in cc.sequence if t == a]
    occ_b = [(s, e) for s, e, t in cc.sequence if t == b]
    spans: set[tuple[int, int]] = set()
    wholes: set[str] = set()
    for sa, ea in occ_a:
        for sb, eb in occ_b:
            if sa < sb < ea < eb:
                spans.add((sa, eb))
                wholes.add(a + b[ea - sb:])
            elif sb < sa < eb < ea:
                spans.add((sb, ea))
                wholes.add(b + a[eb - sa:])
    if len(wholes) != 1:
        return None

    def only_inside(occ: list[tuple[int, int]]) -> bool:
        return all(any(ws <= s and e <= we for ws, we in spans) for s, e in occ)

    whole = wholes.pop()
    if not (only_inside(occ_a) or only_inside(occ_b)) or whole in cc.freq:
        return None
    if (_HAN.match(whole) and not is_term_like(whole)) or (not settings.keep_names and corpus.names_a_body(whole)):
        return None
    return whole


def _writer(cc: CaseCandidates, corpus: CorpusStats, settings: KeywordSettings) -> Callable[[str, str], str | None]:
    """:func:`_written_whole` for one case, as :func:`_select` takes it."""
    return lambda a, b: _written_whole(a, b, cc, corpus, settings)


def _institution_pair(a: str, b: str) -> bool:
    """Is one term the other plus an institution head (科技特派员 /
    科技特派员制度)? See :func:`_select`."""
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short) and long_[len(short):] in INSTITUTION_HEADS


def _select(ranked: Sequence[tuple[str, float]], top: int,
            skipped: dict[str, tuple[str, str]] | None = None,
            written: Callable[[str, str], str | None] | None = None) -> list[tuple[str, float]]:
    """The top terms, each a different term (module docstring, step 3).

    Going down the ranking, a term that overlaps a chosen one so that together
    they are a candidate of the case (职业教育 and 教育扶贫 of
    职业教育扶贫) replaces that keyword by the whole: two readings of one
    term, and the researcher writes the whole. A term that is part of or
    contains a chosen one is skipped, except a term and its institution (X and
    X制度, X机制, X工程: :data:`INSTITUTION_HEADS`): the practice and the
    policy instrument that fixes it are two terms, and researchers list both
    (科技特派员 / 科技特派员制度); both occur on their own in the case, or
    they would not be ranked. A shortened form of a chosen term (易地搬迁 after
    易地扶贫搬迁: :func:`_short_form`), or its full form, is skipped too. ``skipped``, if
    given, gets each term passed over or merged: term -> (how, the chosen keyword), how
    being "merged", "overlaps" or "other form".

    Where the whole of two overlapping terms is no candidate, ``written`` (two terms -> the
    whole the case writes them as, or None: :func:`_written_whole`) may still join them. Either
    way the keyword is the whole with the place and score of the one chosen first: a whole
    that is a candidate ranks lower on its own, and a keyword list whose weights rose down
    the ranks would read as an error (后续产业发展模式, keyword 1 of a paper, scored 0.31 on
    its own, under keyword 2's 1.50).
    """
    skipped = {} if skipped is None else skipped
    eligible = dict(ranked)
    chosen: list[tuple[str, float]] = []
    for term, score in ranked:
        if len(chosen) >= top:
            break
        merged = False
        for k, (c, _) in enumerate(chosen):
            if term in c or c in term:
                continue
            whole = _overlap_whole(c, term, eligible)
            if whole is None and written is not None:
                whole = written(c, term)
            if whole is not None:
                others = [o for j, (o, _) in enumerate(chosen) if j != k]
                if not any(whole in o or o in whole for o in others):
                    # the whole takes c's place and score, so weights fall with rank (its own
                    # score, if it is a candidate, is lower: it ranks below c, or c were inside it)
                    chosen[k] = (whole, chosen[k][1])
                    skipped[c] = skipped[term] = ("merged", whole)
                else:
                    skipped[term] = ("overlaps", c)
                merged = True
                break
        if merged:
            continue
        inside = next((c for c, _ in chosen if (term in c or c in term) and not _institution_pair(term, c)), None)
        if inside is not None:
            skipped[term] = ("overlaps", inside)
            continue  # a fragment of, or an extension of, a chosen keyword
        other = next((c for c, _ in chosen if _short_form(term, c)), None)
        if other is not None:
            skipped[term] = ("other form", other)
            continue  # the other form of a chosen keyword: 易地搬迁 after 易地扶贫搬迁
        chosen.append((term, score))
    return chosen


def _short_form(a: str, b: str) -> bool:
    """Is one term a shortened form of the other, the same term written two ways:
    易地搬迁 / 易地扶贫搬迁, 人大制度 / 人民代表大会制度, 美疾控中心 / 美国疾控中心? The
    shorter (three characters or more) is a subsequence of the longer, not a substring,
    with the same first character and the same last two (the head), and the longer adds
    no more characters than the shorter has. See :func:`_select`.

    Why: in a project of 2,962 poverty stories 37 cases had two such forms among their
    top 3 (易地扶贫搬迁 and 易地搬迁 in 14), and a researcher writes one keyword for them.
    Different heads stay apart (少先队员 / 少先队辅导员, 网络扶贫 / 网络公益扶贫联盟).
    """
    short, long_ = sorted((a, b), key=len)
    if len(short) < 3 or short in long_ or short[0] != long_[0] or short[-2:] != long_[-2:]:
        return False
    if len(long_) - len(short) > len(short):
        return False
    rest = iter(long_)
    return all(ch in rest for ch in short)


def extract_keywords(
    cases_tokens: Mapping[str, Sequence[Token]],
    texts: Mapping[str, str],
    *,
    settings: KeywordSettings | None = None,
    discovery_weights: Mapping[str, float] | None = None,
    list_weights: Mapping[str, float] | None = None,
    stopwords: Collection[str] = (),
    background_idf: Mapping[str, float] | None = None,
    boundary_words: Collection[str] | None = None,
    lexicon: Mapping[str, str] | None = None,
    n_jobs: int = 1,
    executor: object = None,
) -> dict[str, list[Keyword]]:
    """The top ``settings.top`` keywords of every case.

    Args:
        cases_tokens: case id -> tokens of its analysis text (from the
            segmenter; discovered words tagged ``n_new`` are kept whole).
            All cases of the project: IDF and recurrence are computed over them.
        texts: case id -> analysis text (for the contexts).
        settings: :class:`KeywordSettings` (validated here).
        discovery_weights: discovered word -> weight (method ``discovery``,
            and a bonus in ``fused``).
        list_weights: discovered word -> its weight in the corpus list, which decides
            whether a stop-word is cut off the end of a discovered word (the ``weights``
            of :func:`.candidates.build_candidates`: 新发展格局 stays whole, as 新发展 weighs
            less); None: ``discovery_weights`` decide it.
        stopwords: confirmed domain and generic stop-words; never keywords,
            never the first or last word of a term.
        background_idf: general-language IDF table, e.g.
            :func:`caseminer.nlp.keyterms.load_background_idf`; None: no
            background contrast.
        boundary_words: words that never start or end a multi-word term
            and are never a keyword, however the case's tokens cut them
            (default: ``stopwords``). Pass the generic list here (发展 cuts
            发展特色产业) and keep domain stop-words out of it: 扶贫 must
            not cut 金融扶贫, only never be a keyword itself.
        lexicon: a general lexicon word -> part of speech (jieba's dictionary,
            :func:`caseminer.nlp.lexicon.jieba_tags`), used to recognise names
            of people and places (:func:`.candidates.is_probable_name`) and
            general words. None: only forms of address are recognised.
        n_jobs: worker processes for the two maps over shards of cases (the
            cases' candidates, then their scores); the corpus statistics between
            them are merged from the first. The keywords are the same for any number.
        executor: run both maps there instead (a ``dask.distributed`` client or a
            ``concurrent.futures`` executor; :mod:`caseminer.nlp.shardmap`).

    Returns:
        case id -> list of :class:`Keyword`, best first (shorter if the case
        has fewer eligible terms).

    Example::

        >>> from caseminer.nlp.tokens import Token
        >>> text = "建设扶贫车间。扶贫车间吸纳就业。"
        >>> toks = [Token("建设", "vn", 0, 2), Token("扶贫", "v", 2, 4), Token("车间", "n", 4, 6),
        ...         Token("。", "x", 6, 7), Token("扶贫", "v", 7, 9), Token("车间", "n", 9, 11),
        ...         Token("吸纳", "v", 11, 13), Token("就业", "v", 13, 15), Token("。", "x", 15, 16)]
        >>> kws = extract_keywords({"a": toks}, {"a": text}, stopwords=["建设"])
        >>> kws["a"][0].keyword, kws["a"][0].freq, kws["a"][0].context
        ('扶贫车间', 2, '建设【扶贫车间】。扶贫车间吸纳就业。')
    """
    settings = validate(settings or KeywordSettings(), "keywords")
    if settings.min_len > settings.max_len:
        raise InvalidInput(
            f"The keywords settings min_len ({settings.min_len}) is larger than max_len "
            f"({settings.max_len}). Lower min_len or raise max_len."
        )
    missing = [cid for cid in cases_tokens if cid not in texts]
    if missing:
        raise InvalidInput(
            f"{len(missing)} case(s) have tokens but no text: {', '.join(map(str, missing[:5]))}. "
            "Pass the analysis text of every segmented case."
        )
    if settings.method == "discovery" and not discovery_weights:
        raise InvalidInput(
            "The keyword method 'discovery' needs discovery weights, and none were given. "
            "Run new-word discovery first, or choose the method 'fused' or 'tfidf'."
        )
    shardmap.check_executor(executor, "keywords")
    n_jobs = resolve_jobs(n_jobs, "keywords")
    per_case, corpus, never = case_candidates(cases_tokens, settings=settings, discovery_weights=discovery_weights,
                                              list_weights=list_weights, stopwords=stopwords,
                                              background_idf=background_idf, boundary_words=boundary_words,
                                              lexicon=lexicon, n_jobs=n_jobs, executor=executor)
    shared = (corpus, settings, never, discovery_weights)
    cases = [(cid, cc, texts[cid]) for cid, cc in per_case.items()]
    shards = shardmap.chunks(cases, shardmap.shard_count(n_jobs, executor))
    found = dict(pair for part in shardmap.map_shards(_keywords_of_shard, shared, shards, n_jobs=n_jobs,
                                                      executor=executor, what="keyword extraction")
                 for pair in part)
    return {cid: found[cid] for cid in per_case}  # in the cases' order, as the map returns in any


def case_candidates(
    cases_tokens: Mapping[str, Sequence[Token]],
    *,
    settings: KeywordSettings,
    discovery_weights: Mapping[str, float] | None = None,
    list_weights: Mapping[str, float] | None = None,
    stopwords: Collection[str] = (),
    background_idf: Mapping[str, float] | None = None,
    boundary_words: Collection[str] | None = None,
    lexicon: Mapping[str, str] | None = None,
    n_jobs: int = 1,
    executor: object = None,
) -> tuple[dict[str, CaseCandidates], CorpusStats, frozenset[str]]:
    """The first half of :func:`extract_keywords` (same arguments): every case's candidate
    terms, the project statistics over them, and the words that are never keywords (the
    stop-words and boundary words) that :func:`rank_case` and :func:`explain_term` read."""
    boundary = stopwords if boundary_words is None else boundary_words
    per_case, df = build_candidates(
        cases_tokens,
        stopwords=boundary,
        options=_candidate_options(settings),
        domain_words=stopwords,
        weights=discovery_weights if list_weights is None else list_weights,
        n_jobs=n_jobs,
        executor=executor,
    )
    corpus = build_corpus_stats(per_case, df, background_idf=background_idf, lexicon=lexicon,
                                discovery_weights=discovery_weights)
    # A boundary word is never a keyword either, also where the case writes it in
    # several tokens (中国 | 特色 | 社会主义): the cut above sees single tokens only.
    return per_case, corpus, frozenset(set(stopwords) | set(boundary))


def _keywords_of_shard(shared: tuple, cases: list[tuple[str, CaseCandidates, str]]) -> list[tuple[str, list]]:
    corpus, settings, never, discovery_weights = shared
    return [(cid, _case_keywords(cid, cc, text, corpus, settings, never, discovery_weights))
            for cid, cc, text in cases]


def _case_keywords(cid: str, cc: CaseCandidates, text: str, corpus: CorpusStats, settings: KeywordSettings,
                   never: Collection[str], discovery_weights: Mapping[str, float] | None) -> list[Keyword]:
    ranked = rank_case(cc, corpus, settings, stopwords=never, discovery_weights=discovery_weights)
    w = settings.context_width
    kws = []
    for rank, (term, score) in enumerate(_select(ranked, settings.top, written=_writer(cc, corpus, settings)), 1):
        if term in cc.first:
            (s, e), freq = cc.first[term], cc.freq[term]
        else:  # two overlapping terms joined into the whole the text writes (_written_whole)
            s = text.find(term)
            e, freq = s + len(term), text.count(term)
        left = one_line(text[max(0, s - w) : s])
        right = one_line(text[e : e + w])
        if text[s:e] != term:  # tokens and text disagree: a caller bug
            raise InvalidInput(
                f"Case {cid!r}: the tokens say {term!r} is at {s}-{e} but the text has "
                f"{text[s:e]!r} there. Pass the analysis text the tokens were cut from."
            )
        kws.append(
            Keyword(term, rank, _round(score), freq, settings.method,
                    f"{left}【{term}】{right}", s, e)
        )
    return kws


def _round(x: float) -> float:
    return float(f"{x:.6g}") if math.isfinite(x) else x
