"""Step 2d of discovery: terms that a topical corpus writes inside longer formulas.

Why: the join step (2) keeps a formula that recurs whole (不发生规模性返贫,
守牢不发生规模性返贫致贫底线, 建立防止返贫监测和帮扶机制): each of its character n-grams is
cohesive *because* the formula recurs. A term the corpus writes mostly inside such
formulas, each time in another frame (规模性返贫, 防止返贫监测, 常态化帮扶), is then seldom a
segment of its own and no candidate; compounds (2b) do not reach it either, since its
frame is not a segment of its own.

What (:func:`inner_spans`, a pure function of the merged segment counts): every segment of
5+ characters seen as a unit at least twice is a *container*; the lexicon's most
probable segmentation splits it into words, and every run of whole words of 3 to
``MAX_SPAN`` characters inside it (not the whole container) whose first and last words
have 2+ characters is a *span*. A span's occurrences are its containers' unit
occurrences (and its own as a segment), counted only where it stands as a constituent:
not next to a one-character word that is no function word (减|贫事业, 建档立卡贫困|户: a
piece of a word there). Its neighbours, for the branching entropy of step 3 (d), are
the characters next to it, except that a function word (的, 和, 在) or a common verb
(发生, 实施, 建立: a verb the lexicon counts ``COMMON_VERB_FREQ`` times or more) next to
it is a boundary, distinct at each occurrence as punctuation is: the verb governs the
term, it is not part of it (发生|规模性返贫). A domain verb (脱贫, 扶贫: rare in general
language) is no boundary, so 攻坚成果 in 脱贫攻坚成果 is the piece of a term, and its
fixed left neighbour shows it. At a container's edge the container's own neighbours
count. A span must sit in ``MIN_CONTAINERS`` distinct containers. The result has the
shape of the long segments of step 2c (:class:`.ngrams.LongSegments`), so steps 3 and 4
score the spans as they score those (``discovery._score_long``), with a stricter entropy
(``MIN_ENTROPY``): a span is an assumption about where a formula divides, so its
neighbours must show more variety than a segment's.

Measured on the xwlb poverty stories (``benchmarks/discovery_domain.py``, README session 9).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence

import numpy as np

from . import ngrams as ng

#: Longest span, in characters: past ten characters a run of words inside a formula is a
#: clause, not a term.
MAX_SPAN = 10
#: Shortest span: two-character terms are words of the lexicon or segments already.
MIN_SPAN = 3
#: Shortest container: the spans of a four-character segment would be three-character
#: pieces of it, mostly fragments.
MIN_CONTAINER = 5
#: A span must occur in this many distinct containers (in one only, it is that
#: container's piece, and the container is judged whole).
MIN_CONTAINERS = 2
#: A verb this frequent in the lexicon (jieba's counts: 发生 24,052, 实施 10,713, 防止
#: 3,364, 巩固 2,017) governs what follows; domain verbs (扶贫 717, 振兴 659, 脱贫 165) are
#: parts of terms.
COMMON_VERB_FREQ = 1000
#: Least left and right branching entropy (nats) of a span in step 3 (segments: 0.5).
#: Chosen on three term lists of the poverty stories: 0.5 / 1.0 / 1.3 kept 66 / 40 / 30
#: spans in the top 1000 (fewer pieces such as 群众内生) and found 7 / 6 / 5 more list terms.
MIN_ENTROPY = 1.0
# Parts of speech (jieba's tags) of the function words that bound a span on each side.
_LEFT_FUNCTION = frozenset({"p", "c", "d", "u", "uj", "ul", "r", "f", "m"})
_RIGHT_FUNCTION = frozenset({"p", "c", "u", "uj", "ul", "y", "f"})
_LEFT_FUNCTION_OR_VERB = _LEFT_FUNCTION | {"v"}


def inner_spans(
    segments: ng.SegmentStats,
    *,
    split: Callable[[str], Sequence[str]],
    tags: Mapping[str, str],
    lexicon: Mapping[str, int],
    known: Collection[str],
    n_texts: int,
    min_freq: int,
    stop_chars: Collection[str] = (),
) -> ng.LongSegments | None:
    """The spans inside the segments of ``segments`` (module docstring) that occur
    ``min_freq`` times and are not ``known`` (already candidates), as
    :class:`.ngrams.LongSegments` (``docfreq`` an upper bound: the containers' texts,
    capped at ``n_texts``), or None when there are none. ``split`` segments a string into
    lexicon words; ``tags`` are the lexicon's parts of speech; a neighbour in
    ``stop_chars`` counts as a boundary."""
    words = ng.unpack_keys(segments.hi, segments.lo)
    long_ok = np.array([len(w) >= MIN_CONTAINER for w in words], dtype=bool)
    rows = np.flatnonzero((segments.unit >= 2) & long_ok)
    left, right = _neighbours(segments, rows)
    containers = [(words[r], int(segments.unit[r]), int(segments.docfreq[r]), left[r], right[r],
                   int(segments.freq[r])) for r in rows.tolist()]
    if segments.long is not None:
        long_words = segments.long.words()
        long_rows = np.flatnonzero(segments.long.freq >= 2)
        left2, right2 = _neighbours(segments.long, long_rows)
        containers += [(long_words[r], int(segments.long.freq[r]), int(segments.long.docfreq[r]), left2[r],
                        right2[r], int(segments.long.freq[r])) for r in long_rows.tolist()]
    stop = frozenset(stop_chars)
    spans: dict[str, list] = {}
    for word, unit, docfreq, c_left, c_right, freq in containers:
        _add_spans(spans, word, unit, docfreq, c_left, c_right, unit / max(freq, 1), split(word), tags, lexicon,
                   stop)
    own = {w: r for r, w in enumerate(words)}
    chosen = [span for span, entry in spans.items() if span not in known and entry[2] >= MIN_CONTAINERS]
    # a span's own occurrences as a segment count too, with that segment's neighbours
    own_rows = {span: own[span] for span in chosen if span in own and segments.unit[own[span]] > 0}
    own_left, own_right = _neighbours(segments, np.array(sorted(own_rows.values()), dtype=np.int64))
    kept = []
    for span in chosen:
        count, docs, _, s_left, s_right = spans[span]
        row = own_rows.get(span)
        if row is not None:
            unit = int(segments.unit[row])
            count, docs = count + unit, docs + int(segments.docfreq[row])
            share = unit / max(int(segments.freq[row]), 1)
            _add_edge(s_left, own_left.get(row, {}), share, stop)
            _add_edge(s_right, own_right.get(row, {}), share, stop)
        if count >= min_freq:
            kept.append((span, count, min(docs, n_texts), s_left, s_right))
    return _as_long_segments(sorted(kept)) if kept else None


def _add_spans(spans, word, unit, docfreq, c_left, c_right, share, parts, tags, lexicon, stop) -> None:
    """Count the spans of one container (``unit`` occurrences; ``share`` of its stored
    neighbour counts are of those occurrences)."""
    n = len(parts)
    if n < 2:
        return
    starts = [0]
    for p in parts:
        starts.append(starts[-1] + len(p))
    for i in range(n):
        if len(parts[i]) < 2:
            continue
        if i > 0 and len(parts[i - 1]) == 1 and tags.get(parts[i - 1]) not in _LEFT_FUNCTION_OR_VERB:
            continue  # a piece of a word here (减|贫事业); after a one-character verb (抓|乡村振兴) it may not be
        left_bound = i > 0 and _bounds_left(parts[i - 1], tags, lexicon)
        for j in range(i + 1, n + 1):
            if i == 0 and j == n:
                break
            length = starts[j] - starts[i]
            if length > MAX_SPAN:
                break
            if length < MIN_SPAN or len(parts[j - 1]) < 2:
                continue
            if j < n and len(parts[j]) == 1 and tags.get(parts[j]) not in _RIGHT_FUNCTION:
                continue  # a piece of a word here (建档立卡贫困|户)
            # occurrences, texts (summed over containers), containers, left and right neighbours
            entry = spans.setdefault(word[starts[i]:starts[j]], [0, 0, 0, Counter(), Counter()])
            entry[0] += unit
            entry[1] += docfreq
            entry[2] += 1
            if i == 0:
                _add_edge(entry[3], c_left, share, stop)
            elif not left_bound:
                entry[3][word[starts[i] - 1]] += unit
            if j == n:
                _add_edge(entry[4], c_right, share, stop)
            elif tags.get(parts[j]) not in _RIGHT_FUNCTION:
                entry[4][word[starts[j]]] += unit


def _bounds_left(word: str, tags: Mapping[str, str], lexicon: Mapping[str, int]) -> bool:
    """Is ``word``, left of a span, a boundary: a function word or a common verb?"""
    tag = tags.get(word, "")
    if tag == "v":  # not vn: a verbal noun (建设, 培育) is as often a part of a term as not
        return len(word) >= 2 and lexicon.get(word, 0) >= COMMON_VERB_FREQ
    return tag in _LEFT_FUNCTION


def _add_edge(counter: Counter, neighbours: Mapping[str, int], share: float, stop: frozenset) -> None:
    for char, count in neighbours.items():
        if char not in stop:
            counter[char] += count * share


def _neighbours(segs, rows: np.ndarray) -> tuple[dict, dict]:
    """row -> {character: count} of the left and of the right neighbours of ``rows``."""
    out = []
    wanted = np.asarray(rows, dtype=np.int64)
    for keys, counts in ((segs.left_keys, segs.left_counts), (segs.right_keys, segs.right_counts)):
        key_rows = (keys >> np.uint64(ng.BITS)).astype(np.int64)
        hit = np.isin(key_rows, wanted)
        ids = (keys[hit] & np.uint64((1 << ng.BITS) - 1)).astype(np.int64)
        table: dict = defaultdict(dict)
        for row, char_id, count in zip(key_rows[hit].tolist(), ids.tolist(), counts[hit].tolist()):
            table[row][chr(char_id + ng.HAN_FIRST - 1)] = count
        out.append(table)
    return out[0], out[1]


def _as_long_segments(kept: list) -> ng.LongSegments:
    ids = ng.encode_ids(["".join(span for span, *_ in kept)])
    lengths = np.array([len(span) for span, *_ in kept], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    keys = np.stack(ng.pack_long(ids, starts, lengths), axis=1)

    def side(index: int) -> tuple[np.ndarray, np.ndarray]:
        pairs = [((row << ng.BITS) | (ord(char) - (ng.HAN_FIRST - 1)), count)
                 for row, entry in enumerate(kept) for char, count in sorted(entry[index].items())]
        pairs = [(k, c) for k, c in pairs if round(c) > 0]
        return (np.array([k for k, _ in pairs], dtype=np.uint64),
                np.array([round(c) for _, c in pairs], dtype=np.int64))

    left_keys, left_counts = side(3)
    right_keys, right_counts = side(4)
    return ng.LongSegments(keys=keys, freq=np.array([k[1] for k in kept], dtype=np.int64),
                           docfreq=np.array([k[2] for k in kept], dtype=np.int64), left_keys=left_keys,
                           left_counts=left_counts, right_keys=right_keys, right_counts=right_counts)
