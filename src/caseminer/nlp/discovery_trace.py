"""Where discovery dropped a string: its steps run again for that one string (issue 3).

:mod:`.discovery_explain` reads the stored lists. For a string they do not hold, the lists
tell whether the texts hold it often enough and whether it is a piece of a listed string,
and nothing more: which test of which step dropped it needs the counts of steps 1-2, which
no run keeps (tens of MB on a corpus of thousands of cases). :func:`trace_word` counts them
again with a run's settings and follows the one string through the steps in the order
discovery applies them (:mod:`.discovery`'s docstring describes each):

* step 2, the cut: how the cut divides its first occurrences (``cuts``), and how often it
  stands as one segment (``unit``) or as two segments side by side, or a segment and a
  one-character head (``pair``, step 2b); where step 2d runs (a corpus with a topic), how
  often it stands as a run of whole dictionary words (the "span" route);
* steps 2-3, the tests: which of them it fails on each way in (``routes``): the count
  floor (``min_freq``; ``compound_min_freq`` for a pair that is no segment ``min_freq``
  times and for a span), a stop character or a function word at an edge, cohesion,
  branching entropy, an edge that crosses into a word. The relaxable tests are
  independent masks, so one fails exactly when restoring it alone to a scoring with all
  of them off drops the string; the measures shown are that scoring's;
* step 5, fragments (a corpus with a topic): the longer candidate it lies inside and the
  share of its occurrences there, or the share inside longer words of the base lexicon
  (:mod:`.lexicon_pieces`) and the commonest of them, or the share of its occurrences that
  close, for an attribute cut off its head;
* the stage's term filter.

The first step that drops it is the verdict (``step``). A case's list
(:func:`trace_in_case`) is followed more coarsely: the case's steps 2-5 as a whole, then its
weight before steps 6-7 against the case floor, the term filter, and steps 6-7 by elimination. The trace calls discovery's own
step functions (private to :mod:`.discovery`, read here on purpose), so it cannot drift from
what a run does; the tests hold it to the stored lists. Pure functions of the texts and
settings: nothing here reads the database. The cost is one count of steps 1-2, a few
scorings of steps 3-4 and one pass of step 2d: about ten seconds on the 2,962 CCTV poverty
stories (2.5 M characters), under a second on the demo's thirty cases.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ..errors import InvalidInput
from ..settings import validate
from . import discovery as d
from . import inner_spans, lexicon_pieces, nesting
from . import ngrams as ng
from .lexicon import Background, function_words, jieba_tags
from .topicality import Topic

#: The settings that switch off each relaxable test of step 3 (:data:`d.DiscoverSettings`).
_OFF = {"cohesion": {"min_cohesion": -1e9}, "entropy": {"min_entropy": 0.0}, "crossing": {"max_crossing": 2.0}}

#: Characters of context shown on each side of an occurrence in ``cuts``.
CONTEXT = 6
#: Occurrences shown in ``cuts``.
SHOWN = 3

#: The verdicts, in the order of the pipeline.
STEPS = ("not in the texts", "not a string discovery counts", "below min_freq", "step 2", "step 3",
         "step 5 fragment", "step 5 piece", "step 5 headless", "term filter", "kept")
#: The verdicts of a case's list (:func:`trace_in_case`), in the order of its steps.
CASE_STEPS = ("not in the texts", "not a string discovery counts", "below min_freq", "case steps 2-5",
              "case floor", "term filter", "steps 6-7")


@dataclass
class Route:
    """One way into the candidates: ``kind`` "segment" (steps 2-2c) or "span" (step 2d),
    its count there (``freq``: as a unit or a pair; a span's occurrences), the floor that
    count needs and why (``floor_rule``: "min_freq"; "pair", a pair that is no segment
    ``min_freq`` times; "long", past eight characters; "span"), the tests it fails
    (``failed``, of "count", "stop character", "function word", "cohesion", "entropy",
    "crossing"; empty: it is a candidate), its measures with each test's floor
    (``measures``: cohesion, left_entropy, right_entropy, min_cohesion, min_entropy; empty
    where it is not scored), and a span's dictionary words (``parts``)."""

    kind: str
    freq: int
    floor: int
    floor_rule: str
    failed: list[str] = field(default_factory=list)
    measures: dict = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)


@dataclass
class WordTrace:
    """What :func:`trace_word` found; ``step`` is the verdict (one of :data:`STEPS`)."""

    word: str
    step: str = ""
    occurrences: int = 0
    cases: int = 0
    min_freq: int = 0
    compound_floor: int = 0
    cuts: list[str] = field(default_factory=list)
    unit: int | None = None  # None: fewer than min_freq (the segment table does not keep it)
    pair: int | None = None
    topical: bool = False  # the corpus has a topic or a subject: steps 2d and 5 run
    routes: list[Route] = field(default_factory=list)
    container: str | None = None
    share: float = 0.0  # of its occurrences inside ``container``
    closing: float | None = None  # share of its occurrences that close (an attribute's head test)
    term_filter: bool = True  # the stage's term filter lists it
    few_texts: bool = False  # a corpus of fewer than FEW_TEXTS texts: its list stops at a case's floor too
    case: bool = False  # a case's list (:func:`trace_in_case`)
    weight: float | None = None  # in a case: its weight after step 5, before steps 6-7 (the plain G²)
    termhood: float | None = None  # in a case: its probability of being a term, where the caller knows it


def trace_word(word: str, texts: Sequence[str], settings: d.DiscoverSettings, *, lexicon: Mapping[str, int],
               keep: Callable[[str], bool] | None = None, tags: Mapping[str, str] | None = None,
               split: Callable[[str], Sequence[str]] | None = None, n_jobs: int | None = None) -> WordTrace:
    """Follow ``word`` through the corpus-level steps of :func:`.discovery.discover` on
    ``texts`` with ``settings`` and ``lexicon`` (module docstring). ``keep`` is the
    stage's term filter (None: none), ``split`` the cut of a run into dictionary words that
    step 2d reads (as :func:`.discovery.weigh_topical`'s)."""
    return trace_words([word], texts, settings, lexicon=lexicon, keep=keep, tags=tags, split=split,
                       n_jobs=n_jobs)[0]


def trace_words(words: Sequence[str], texts: Sequence[str], settings: d.DiscoverSettings, *,
                lexicon: Mapping[str, int], keep: Callable[[str], bool] | None = None,
                tags: Mapping[str, str] | None = None, split: Callable[[str], Sequence[str]] | None = None,
                n_jobs: int | None = None) -> list[WordTrace]:
    """:func:`trace_word` for each of ``words``, counting and scoring the corpus once for all
    (a benchmark asks why each of a term list's misses went)."""
    settings = validate(settings, d.STAGE)
    if any(not w or not w.strip() for w in words):
        raise InvalidInput("Give the string to trace, e.g. 以工代赈.")
    corpus = _Corpus(list(texts), settings, lexicon, tags, split, n_jobs)
    return [_trace_one(word, corpus, keep) for word in words]


class _Corpus:
    """What the traces of one corpus share, each part made when a trace first needs it: the
    counts of steps 1-2, the candidates of steps 2-4 (and with each relaxable test off, or
    all off but one), the topic and step 2d's candidates."""

    def __init__(self, texts: list[str], settings: d.DiscoverSettings, lexicon: Mapping[str, int],
                 tags: Mapping[str, str] | None, split: Callable[[str], Sequence[str]] | None, n_jobs: int | None):
        self.texts, self.settings, self.lexicon, self.tags, self.split = texts, settings, lexicon, tags, split
        self.n_jobs = n_jobs or settings.n_jobs
        self._scored: dict[tuple, dict[str, d.Candidate]] = {}

    @functools.cached_property
    def stats(self) -> d.NgramStats:
        return d.corpus_stats(self.texts, self.settings, n_jobs=self.n_jobs)

    @functools.cached_property
    def base(self) -> list[d.Candidate]:
        return d.score(self.stats, replace(self.settings, top=None), lexicon=self.lexicon)

    @functools.cached_property
    def topical(self) -> bool:
        """Do steps 2d and 5 run: has the corpus topic seeds, or (without) a subject?"""
        return bool(d.topic_seeds(self.base, self.stats, self.settings, tags=self.tags)
                    or d.subject_words(self.base, self.stats, self.settings, tags=self.tags))

    @functools.cached_property
    def spans(self) -> list[d.Candidate]:
        """Step 2d's candidates (none where it does not run)."""
        if not (self.topical and self.settings.inner_spans):
            return []
        shards = d._shards(self.texts, self.settings.shard_chars)
        return d._inner_span_candidates(self.base, shards, self.n_jobs, self.stats, self.settings, self.lexicon,
                                        self.tags, self.split)

    @functools.cached_property
    def word_tags(self) -> Mapping[str, str]:
        """The tags step 2d reads (as :func:`.discovery.weigh_topical`'s default)."""
        return self.tags if self.tags is not None else jieba_tags()

    @functools.cached_property
    def cut(self) -> Callable[[str], Sequence[str]]:
        """The cut into dictionary words step 2d reads (as :func:`.discovery.weigh_topical`'s default)."""
        if self.split is not None:
            return self.split
        return Background(self.lexicon, max_word_len=max(map(len, self.lexicon), default=1)).best_split

    def scored(self, **changes) -> dict[str, d.Candidate]:
        """Steps 2-4's candidates by string, with the settings ``changes``."""
        key = tuple(sorted(changes.items()))
        if key not in self._scored:
            found = d.score(self.stats, replace(self.settings, top=None, **changes), lexicon=self.lexicon)
            self._scored[key] = {c.word: c for c in found}
        return self._scored[key]


def _trace_one(word: str, corpus: _Corpus, keep: Callable[[str], bool] | None) -> WordTrace:
    settings = corpus.settings
    t = WordTrace(word, min_freq=settings.min_freq, compound_floor=d.compound_floor(settings))
    holding = [text for text in corpus.texts if word in text]
    t.occurrences, t.cases = sum(text.count(word) for text in holding), len(holding)
    if _uncounted(t, settings.max_len):
        return t
    t.cuts = cuts(word, holding, [d.joiners(corpus.stats, settings)])
    t.unit, t.pair = _segment_counts(corpus.stats.segments, word)
    t.topical = corpus.topical
    found = corpus.scored().get(word)
    if found is None:
        t.routes.append(_segment_route(t, corpus))
        if t.topical and settings.inner_spans:
            t.routes.append(_span_route(word, holding, corpus))
            found = _find(corpus.spans, word)
    if found is None:
        counted = any(r.freq >= r.floor for r in t.routes)
        return _verdict(t, "step 3" if counted else "step 2")
    if t.topical:
        longer = [c for c in [*corpus.base, *corpus.spans] if word in c.word and len(c.word) > len(word)]
        candidates = [found, *longer]
        counts, _, closing, *_ = Topic([c.word for c in candidates], ()).count(holding)
        if 0 not in d._not_fragments(candidates, counts.tolist(), closing.tolist()):
            shares = nesting.container_shares([c.word for c in candidates], counts.tolist(), in_scope=d._in_scope)
            t.share, t.container = shares[0]
            if t.share >= nesting.FRAGMENT_SHARE:
                return _verdict(t, "step 5 fragment")
            t.closing = int(closing[0]) / max(int(counts[0]), 1)
            return _verdict(t, "step 5 headless")
        n, inside = lexicon_pieces.PieceCounter([word], d._containers(corpus.lexicon)).count(holding)
        if lexicon_pieces.pieces([word], n, inside):
            t.share, t.container = int(inside[0]) / int(n[0]), "、".join(_covering(word, holding, corpus.lexicon))
            return _verdict(t, "step 5 piece")
    t.term_filter = keep is None or keep(word)
    t.few_texts = d.few_texts(corpus.stats.n_texts)
    return _verdict(t, "kept" if t.term_filter else "term filter")


def _covering(word: str, texts: Sequence[str], lexicon: Mapping[str, int], shown: int = 3) -> list[str]:
    """The longer lexicon words that hold ``word`` most often in ``texts`` (the trace of a piece)."""
    counts: Counter[str] = Counter()
    for text in texts:
        at = text.find(word)
        while at >= 0:
            for a in range(max(0, at - 6), at + 1):
                for b in range(at + len(word), min(len(text), a + 8) + 1):
                    if b - a > len(word) and lexicon.get(text[a:b], 0) > 0:
                        counts[text[a:b]] += 1
            at = text.find(word, at + 1)
    return [w for w, _ in counts.most_common(shown)]


def trace_in_case(word: str, text: str, corpus: d.NgramStats, settings: d.DiscoverSettings, *,
                  lexicon: Mapping[str, int], keep: Callable[[str], bool] | None = None,
                  known: Collection[str] | None = None, termhood: float | None = None) -> WordTrace:
    """Follow ``word`` through the steps of one case's list (:func:`.discovery.case_candidates`
    and :func:`.discovery.weigh_case`): ``text`` is the case's analysis text, ``corpus`` the
    corpus's counts of steps 1-2 (:func:`.discovery.corpus_stats`), ``known`` the corpus
    list's strings as the stage passes them. Steps 2-5 of a case are followed as a whole
    (verdict "case steps 2-5" where they do not keep it, with the case's cut of it); past
    them, its weight before steps 6-7 against the case floor ("case floor"), the term filter,
    and, by elimination, steps 6-7 ("steps 6-7": they only lower a weight). ``termhood``: the
    string's probability of being a term (step 6 reads the string alone, so the corpus list's
    is the case's), where the caller knows it; the kinship of step 7 is standardised on the
    case's list and is not known here."""
    settings = validate(settings, d.STAGE)
    if not word or not word.strip():
        raise InvalidInput("Give the string to trace, e.g. 以工代赈.")
    t = WordTrace(word, min_freq=settings.min_freq_case, compound_floor=settings.min_freq_case, case=True,
                  termhood=termhood)
    t.occurrences = text.count(word)
    t.cases = int(t.occurrences > 0)
    if _uncounted(t, settings.max_len):
        return t
    own = d.count_shard([text])
    t.cuts = cuts(word, [text], [d.joiners(own, settings, min_freq=settings.min_freq_case), d.joiners(corpus, settings)])
    open_floor = replace(settings, min_weight_case=None, case_keep_freq=None)
    found = _find(d.case_candidates(text, corpus, open_floor, lexicon=lexicon, known=known), word)
    if found is None:
        return _verdict(t, "case steps 2-5")
    t.weight = found.weight
    if not d.reaches_case_floor(found, settings):
        return _verdict(t, "case floor")
    t.term_filter = keep is None or keep(word)
    return _verdict(t, "steps 6-7" if t.term_filter else "term filter")


def _uncounted(t: WordTrace, max_len: int) -> bool:
    """Set the verdicts that need no counting: the texts do not hold ``t.word``, it is no
    string of 2 to ``max_len`` Han characters, or they hold it fewer than ``t.min_freq``
    times. True if one was set."""
    if not t.occurrences:
        _verdict(t, "not in the texts")
    elif not ng.is_han_text(t.word) or not 2 <= len(t.word) <= max_len:
        _verdict(t, "not a string discovery counts")
    elif t.occurrences < t.min_freq:
        _verdict(t, "below min_freq")
    return bool(t.step)


def _verdict(t: WordTrace, step: str) -> WordTrace:
    t.step = step
    return t


def cuts(word: str, texts: Sequence[str], join: Sequence[dict], shown: int = SHOWN, context: int = CONTEXT) -> list[str]:
    """The first ``shown`` occurrences of ``word`` in ``texts`` as step 2 cuts them: a
    window of ``context`` characters on each side, the occurrence in ``[ ]`` and ``|``
    where the cut falls between two Han characters (``join``: the cohesive n-grams that
    join, :func:`.discovery.joiners`; a case's own and the corpus's for a case's cut):
    ``打好[精准脱贫攻坚战]；以|打赢`` is glued to 打好."""
    out = []
    for text in texts:
        at = text.find(word)
        if at < 0:
            continue
        ids, _ = ng.encode([text])
        joined = ng.joined_gaps(ids, list(join))
        start, end = max(0, at - context), min(len(text), at + len(word) + context)
        marked = []
        for k in range(start, end):
            marked.append("[" if k == at else "")
            marked.append(text[k])
            marked.append("]" if k == at + len(word) - 1 else "")
            if k + 1 < end and ids[k] > 0 and ids[k + 1] > 0 and not joined[k]:
                marked.append("|")
        out.append("".join(marked).replace("\n", " "))
        if len(out) == shown:
            break
    return out


def _segment_counts(segs: ng.SegmentStats, word: str) -> tuple[int | None, int | None]:
    """Occurrences of ``word`` as one segment and as a pair (step 2b); None where the
    segment table does not hold it (seen fewer than ``min_freq`` times)."""
    if len(word) > ng.MAX_PACKED:
        long = segs.long
        if long is None or not len(long):
            return None, None
        rows = [i for i, w in enumerate(long.words()) if w == word]
        return (int(long.freq[rows[0]]), 0) if rows else (None, None)
    row = _packed_row(segs, word)
    if row < 0:
        return None, None
    return int(segs.unit[row]), int(segs.freq[row] - segs.unit[row])


def _packed_row(segs: ng.SegmentStats, word: str) -> int:
    """The row of ``word`` (1-8 characters) in the segment table; -1 if it is not there."""
    hi, lo = ng.pack_string(word)
    return int(ng.find_rows(segs.hi, segs.lo, np.array([hi], np.uint64), np.array([lo], np.uint64))[0])


def _cohesion_floor_of(word: str, segs: ng.SegmentStats, settings: d.DiscoverSettings,
                       lexicon: Mapping[str, int]) -> float:
    """The cohesion ``word`` needs as a segment (step 3c), by discovery's own rule
    (:func:`.discovery._cohesion_floor`: half for a segment and a one-character head); the
    whole floor past eight characters or where the table does not hold it."""
    row = _packed_row(segs, word) if len(word) <= ng.MAX_PACKED else -1
    if row < 0:
        return settings.min_cohesion
    keep = np.zeros(len(segs), dtype=bool)
    keep[row] = True
    mat = ng.id_matrix(segs.hi[keep], segs.lo[keep])
    floor = d._cohesion_floor([word], mat, (mat > 0).sum(axis=1), segs, keep, settings.min_freq, settings, lexicon)
    return float(np.broadcast_to(floor, (1,))[0])


def _segment_route(t: WordTrace, corpus: _Corpus) -> Route:
    """Which tests of steps 2-3 drop ``t.word`` as a segment or a pair (module docstring)."""
    word, settings, lexicon = t.word, corpus.settings, corpus.lexicon
    unit, pair = t.unit or 0, t.pair or 0
    # A pair that is no segment min_freq times needs compound_min_freq (long segments too).
    rule = "long" if len(word) > ng.MAX_PACKED else "pair" if unit < settings.min_freq else "min_freq"
    route = Route("segment", unit + pair, settings.min_freq if rule == "min_freq" else t.compound_floor, rule)
    if route.freq < route.floor:
        route.failed.append("count")
    relaxed = {"compound_min_freq": settings.min_freq, **{k: v for off in _OFF.values() for k, v in off.items()}}
    scored = corpus.scored(**relaxed).get(word)
    if scored is None:
        if route.freq >= settings.min_freq:
            route.failed += _edge_tests(word, settings, lexicon)
        return route
    route.measures = {"cohesion": scored.cohesion, "left_entropy": scored.left_entropy,
                      "right_entropy": scored.right_entropy, "min_entropy": settings.min_entropy,
                      "min_cohesion": _cohesion_floor_of(word, corpus.stats.segments, settings, lexicon)}
    for test, off in _OFF.items():
        if word not in corpus.scored(**{**relaxed, **{k: getattr(settings, k) for k in off}}):
            route.failed.append(test)
    return route


def _span_route(word: str, holding: Sequence[str], corpus: _Corpus) -> Route:
    """Which tests of step 2d and of steps 3-4 for spans drop ``word`` as a run of whole
    dictionary words. Its occurrences are all in the texts ``holding`` it, so counting
    those gives the corpus's counts."""
    stats, settings, lexicon, tags, split = corpus.stats, corpus.settings, corpus.lexicon, corpus.word_tags, corpus.cut
    ids, doc = ng.encode(list(holding))
    args = {"split": split, "tags": tags, "lexicon": lexicon}
    counts = inner_spans.count_spans(inner_spans.han_runs(ids, doc), **args)
    strict = inner_spans.strict(settings)
    route = Route("span", counts.freq.get(word, 0), d.compound_floor(settings), "span", parts=list(split(word)))
    if route.freq < route.floor:
        route.failed.append("count")
    if not route.freq:
        return route
    left, right = inner_spans.span_neighbours(inner_spans.han_runs(ids, doc), {word}, **args)
    counts = inner_spans.SpanCounts(Counter({word: counts.freq[word]}), Counter({word: counts.docfreq[word]}))
    segs = inner_spans.as_long_segments([word], counts, left, right)

    def scored(s: d.DiscoverSettings) -> d.Candidate | None:
        found = d._score_long(segs, stats.tables, stats.n_chars, s, lexicon, 1, float(max(stats.segments.n_tokens, 1)),
                              -np.inf, 1, d.counts_each_text_once(settings, stats.n_texts))
        return _find(found, word)

    relaxed = replace(strict, **{k: v for off in _OFF.values() for k, v in off.items()})
    found = scored(relaxed)
    if found is None:
        route.failed += _edge_tests(word, settings, lexicon)
        return route
    route.measures = {"cohesion": found.cohesion, "left_entropy": found.left_entropy,
                      "right_entropy": found.right_entropy, "min_entropy": strict.min_entropy,
                      "min_cohesion": strict.min_cohesion}
    for test, off in _OFF.items():
        if scored(replace(relaxed, **{k: getattr(strict, k) for k in off})) is None:
            route.failed.append(test)
    return route


def _edge_tests(word: str, settings: d.DiscoverSettings, lexicon: Mapping[str, int]) -> list[str]:
    """The tests of step 3 that no setting switches off: a stop character (3a) or a
    function word (3b) at an edge. A word of the lexicon passes both."""
    if word in lexicon:
        return []
    failed = ["stop character"] if d._stop_edge(word, lexicon) else []
    model, _ = d._lexicon_models(lexicon, min(settings.max_len, ng.MAX_PACKED))
    if d._opens_or_closes_with_function_word(word, model, function_words()):
        failed.append("function word")
    return failed


def _find(candidates: Sequence[d.Candidate], word: str) -> d.Candidate | None:
    return next((c for c in candidates if c.word == word), None)
