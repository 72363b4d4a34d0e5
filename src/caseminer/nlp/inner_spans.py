"""Step 2d of discovery: terms that the join step cuts apart or keeps inside formulas.

Why: the join step (2) cuts where no cohesive character n-gram covers a gap, and keeps a
formula that recurs whole (不发生规模性返贫, 建立防止返贫监测和帮扶机制): each of its
character n-grams is cohesive *because* the formula recurs. So a term that the corpus
writes inside such formulas, each time in another frame (规模性返贫, 防止返贫监测), or whose
words are each frequent enough to stand alone (乡村|建设|行动, 脱贫攻坚|责任制, cut
differently in 实施乡村|建设|行动), is seldom one segment, and no candidate; compounds
(2b) join two segments only, and only where the cut falls between them.

What: the texts are cut into the lexicon's words (its most probable segmentation, as
jieba's dictionary cuts them), and every run of two to ``MAX_WORDS`` whole words of
``MIN_SPAN`` to ``MAX_SPAN`` characters whose first and last words have 2+ characters is
a *span*; so is a run of two such words or more and a one-character nominal head
(农民|丰收|节, 国家|扶贫|日: ``lexicon.NOMINAL_HEADS``). An occurrence counts only where the
span stands as a constituent: not next to a one-character word that is no function word
(减|贫事业, 建档立卡贫困|户: a piece of a word there; a one-character verb on the left,
抓|乡村振兴, is allowed), and not ending in a common verb (贫困人口|纳入: a clause). Its
neighbours, for the branching entropy of step 3 (d), are the characters next to it,
except that a function word (的, 和, 在) or a common verb (发生, 实施, 建立: a verb the
lexicon counts ``COMMON_VERB_FREQ`` times or more) next to it is a boundary, distinct at
each occurrence as punctuation is: the verb governs the term, it is not part of it
(发生|规模性返贫). So is a scope on its left (全国, 国务院: ``lexicon.SCOPE_QUALIFIERS``): it
qualifies a name (全国|脱贫攻坚楷模, 国务院|扶贫开发领导小组), and a name written in one scope
every time is a name all the same. A domain verb (脱贫, 扶贫: rare in general language) is
no boundary, so 攻坚成果 in 脱贫攻坚成果 is the piece of a term, and its fixed left
neighbour shows it.

How (map over shards of texts, then merge, as the counting passes): :func:`count_spans`
counts every span's occurrences and texts in one shard; the caller sums the shards
(:func:`merge_counts`), keeps the spans that recur ``min_freq`` times and are no candidates
yet (:func:`choose`), and reads their neighbours in a second pass (:func:`span_neighbours`,
summed likewise). :func:`as_long_segments` gives them the shape of the long segments of
step 2c (:class:`.ngrams.LongSegments`), so steps 3 and 4 score the spans as they score
those (``discovery._score_long``), with a stricter entropy (``MIN_ENTROPY``): a span is
an assumption about where a text divides, so its neighbours must show more variety than
a segment's.

Measured on the xwlb poverty stories (``benchmarks/discovery_domain.py``, README sessions
9 and 10). Pure functions: nothing here touches disk.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from . import ngrams as ng
from .lexicon import NOMINAL_HEADS, SCOPE_QUALIFIERS

#: Longest span, in characters: past ten characters a run of words is a clause, not a term.
MAX_SPAN = 10
#: Shortest span: two-character terms are words of the lexicon or segments already.
MIN_SPAN = 3
#: Most words in a span (2 to 4: 脱贫|攻坚战|三年|行动 is one of four, 乡村|建设|行动 of three;
#: up to three found 5 fewer of the 636 terms of five lists in the top 1000, session 10).
MAX_WORDS = 4
#: A verb this frequent in the lexicon (jieba's counts: 发生 24,052, 实施 10,713, 防止
#: 3,364, 巩固 2,017) governs what follows; domain verbs (扶贫 717, 振兴 659, 脱贫 165) are
#: parts of terms.
COMMON_VERB_FREQ = 1000
#: Least left and right branching entropy (nats) of a span in step 3 (segments: 0.5).
#: Chosen on the term lists of the poverty stories: 0.5 / 1.0 / 1.3 kept 66 / 40 / 30
#: spans of formulas in the top 1000 (fewer pieces such as 群众内生) and found 7 / 6 / 5
#: more list terms (session 9); over whole texts, 1.3 found 6 fewer terms than 1.0 (session 10).
MIN_ENTROPY = 1.0
#: The share of ``DiscoverSettings.min_cohesion`` (1.0) that a span needs (step 3 (c):
#: the minimum PMI over its cut points). A segment needs all of it: a character n-gram
#: whose pieces co-occur by chance is a fragment. A span's cuts fall between whole words,
#: and in a topical corpus the topic's own word is frequent enough to lower the PMI of
#: every term it heads: 社会|扶贫 has 0.98 in the poverty stories (27 occurrences).
#: Measured there (session 24): a half found two more terms of the seen lists in the top
#: 1000 (社会扶贫, 教育脱贫; blind-6 0.830 -> 0.835, blind-7 0.850 -> 0.855), none fewer;
#: none at all (0) found the same two and more pieces (扶贫脱贫). A segment and a one-character
#: head (step 2b: 扶贫|日) need the same share (``discovery._cohesion_floor``).
MIN_COHESION_SHARE = 0.5
# Parts of speech (jieba's tags) of the function words that bound a span on each side.
_LEFT_FUNCTION = frozenset({"p", "c", "d", "u", "uj", "ul", "r", "f", "m"})
_RIGHT_FUNCTION = frozenset({"p", "c", "u", "uj", "ul", "y", "f"})
_LEFT_FUNCTION_OR_VERB = _LEFT_FUNCTION | {"v"}


@dataclass
class SpanCounts:
    """Occurrences and texts of each span (one shard's, or summed over shards)."""

    freq: Counter = field(default_factory=Counter)
    docfreq: Counter = field(default_factory=Counter)


def han_runs(ids: np.ndarray, doc: np.ndarray, within: np.ndarray | None = None) -> Iterator[tuple[int, str]]:
    """``(text index, run)`` for every run of Han characters of a shard encoded by
    :func:`.ngrams.encode` (``ids`` 0 at every other character and between texts), or,
    with ``within`` (sorted positions in ``ids``), for the runs that hold one of them."""
    ids = np.asarray(ids, dtype=np.int64)
    if not len(ids):
        return
    chars = np.where(ids > 0, ids + (ng.HAN_FIRST - 1), 0x0A).astype("<u4")
    text = chars.tobytes().decode("utf-32-le")
    at = 0
    for run in text.split("\n"):
        if run and (within is None or _holds(within, at, at + len(run))):
            yield int(doc[at]), run
        at += len(run) + 1


def _holds(positions: np.ndarray, start: int, end: int) -> bool:
    i = int(np.searchsorted(positions, start))
    return i < len(positions) and positions[i] < end


def _occurrences(runs: Iterable[tuple[int, str]], split: Callable[[str], Sequence[str]],
                 tags: Mapping[str, str], lexicon: Mapping[str, int]) -> Iterator[tuple[int, str, str | None, str | None]]:
    """``(text index, span, left neighbour, right neighbour)`` of every counted occurrence
    (module docstring); a neighbour is None at a boundary."""
    for text_index, run in runs:
        words = list(split(run))
        n = len(words)
        starts = [0]
        for w in words:
            starts.append(starts[-1] + len(w))
        for i in range(n):
            if len(words[i]) < 2:
                continue
            if i > 0 and len(words[i - 1]) == 1 and tags.get(words[i - 1]) not in _LEFT_FUNCTION_OR_VERB:
                continue  # a piece of a word here (减|贫事业); after a one-character verb (抓|乡村振兴) it may not be
            left = None if i == 0 or _bounds_left(words[i - 1], tags, lexicon) else run[starts[i] - 1]
            for j in range(i + 2, min(n, i + MAX_WORDS) + 1):
                length = starts[j] - starts[i]
                if length > MAX_SPAN:
                    break
                last = words[j - 1]
                if length < MIN_SPAN or (len(last) < 2 and not _head_of_a_name(last, j - i)) \
                        or _common_verb(last, tags, lexicon):
                    continue  # a one-character end, or a clause's predicate (贫困人口|纳入)
                if j < n and len(words[j]) == 1 and tags.get(words[j]) not in _RIGHT_FUNCTION:
                    continue  # a piece of a word here (建档立卡贫困|户)
                right = None if j == n or tags.get(words[j]) in _RIGHT_FUNCTION else run[starts[j]]
                yield text_index, run[starts[i]:starts[j]], left, right


def count_spans(runs: Iterable[tuple[int, str]], *, split: Callable[[str], Sequence[str]],
                tags: Mapping[str, str], lexicon: Mapping[str, int]) -> SpanCounts:
    """The map step over one shard: every span's occurrences and texts. ``runs`` are
    ``(text index, Han run)`` (:func:`han_runs`; a text's runs come together), ``split``
    cuts a run into lexicon words and ``tags`` are their parts of speech."""
    out = SpanCounts()
    last_text: dict[str, int] = {}
    freq, docfreq = out.freq, out.docfreq
    for text_index, span, _, _ in _occurrences(runs, split, tags, lexicon):
        freq[span] += 1
        if last_text.get(span) != text_index:
            last_text[span] = text_index
            docfreq[span] += 1
    return out


def merge_counts(parts: Iterable[SpanCounts]) -> SpanCounts:
    """The merge step: the counts of all shards summed (texts never span shards)."""
    out = SpanCounts()
    for part in parts:
        out.freq.update(part.freq)
        out.docfreq.update(part.docfreq)
    return out


def choose(counts: SpanCounts, *, known: Collection[str], min_freq: int) -> list[str]:
    """The spans that occur ``min_freq`` times and are not ``known`` (already candidates), sorted."""
    return sorted(span for span, f in counts.freq.items() if f >= min_freq and span not in known)


def span_neighbours(runs: Iterable[tuple[int, str]], wanted: Collection[str], *,
                    split: Callable[[str], Sequence[str]], tags: Mapping[str, str],
                    lexicon: Mapping[str, int]) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """The second map step: the left and right neighbour characters of the ``wanted``
    spans in one shard (boundaries are not listed: they are distinct). Sum shards with
    :meth:`collections.Counter.update` per span. Runs that hold no wanted span may be left
    out of ``runs`` (:func:`han_runs` with ``within``): most runs of a corpus hold none."""
    left: dict[str, Counter] = {}
    right: dict[str, Counter] = {}
    for _, span, before, after in _occurrences(runs, split, tags, lexicon):
        if span in wanted:
            if before is not None:
                left.setdefault(span, Counter())[before] += 1
            if after is not None:
                right.setdefault(span, Counter())[after] += 1
    return left, right


def as_long_segments(spans: Sequence[str], counts: SpanCounts, left: Mapping[str, Counter],
                     right: Mapping[str, Counter]) -> ng.LongSegments | None:
    """``spans`` with their counts and neighbours as :class:`.ngrams.LongSegments` (None if none)."""
    if not spans:
        return None
    spans = sorted(spans)
    ids = ng.encode_ids(["".join(spans)])
    lengths = np.array([len(s) for s in spans], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    keys = np.stack(ng.pack_long(ids, starts, lengths), axis=1)

    def side(neighbours: Mapping[str, Counter]) -> tuple[np.ndarray, np.ndarray]:
        pairs = [((row << ng.BITS) | (ord(char) - (ng.HAN_FIRST - 1)), count)
                 for row, span in enumerate(spans) for char, count in sorted(neighbours.get(span, {}).items())]
        return (np.array([k for k, _ in pairs], dtype=np.uint64), np.array([c for _, c in pairs], dtype=np.int64))

    left_keys, left_counts = side(left)
    right_keys, right_counts = side(right)
    return ng.LongSegments(keys=keys, freq=np.array([counts.freq[s] for s in spans], dtype=np.int64),
                           docfreq=np.array([counts.docfreq[s] for s in spans], dtype=np.int64),
                           left_keys=left_keys, left_counts=left_counts, right_keys=right_keys,
                           right_counts=right_counts)


def strict(settings):
    """``settings`` (:class:`..discovery.DiscoverSettings`) as steps 3-4 read them for spans:
    at least :data:`MIN_ENTROPY` of branching entropy, and :data:`MIN_COHESION_SHARE` of
    the cohesion a segment needs."""
    return replace(settings, min_entropy=max(settings.min_entropy, MIN_ENTROPY),
                   min_cohesion=settings.min_cohesion * MIN_COHESION_SHARE)


def _common_verb(word: str, tags: Mapping[str, str], lexicon: Mapping[str, int]) -> bool:
    # not vn: a verbal noun (建设, 监测) is as often a part of a term as not
    return tags.get(word, "") == "v" and len(word) >= 2 and lexicon.get(word, 0) >= COMMON_VERB_FREQ


def _bounds_left(word: str, tags: Mapping[str, str], lexicon: Mapping[str, int]) -> bool:
    """Is ``word``, left of a span, a boundary: a function word, a common verb or a scope
    (全国|脱贫攻坚楷模: ``lexicon.SCOPE_QUALIFIERS``)?"""
    return _common_verb(word, tags, lexicon) or tags.get(word, "") in _LEFT_FUNCTION or word in SCOPE_QUALIFIERS


def _head_of_a_name(word: str, n_words: int) -> bool:
    """May the one-character ``word`` end a span of ``n_words`` words? A nominal head
    (``lexicon.NOMINAL_HEADS``) after two words or more: 农民|丰收|节, 脱贫|攻坚|奖, 国家|扶贫|日.
    After one word it makes a word of three characters (贫困|村), a segment already."""
    return word in NOMINAL_HEADS and n_words >= 3
