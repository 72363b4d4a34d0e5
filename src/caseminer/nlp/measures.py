"""Pure measures of new-word discovery (steps 2-4 of :mod:`caseminer.nlp.discovery`).

Every function here is a pure function of numpy arrays and count tables
(``n -> ngrams.Table``): pointwise mutual information over cut points
(Church & Hanks 1990), branching entropy (Huang & Powers 2003), Dunning's signed
G² (Dunning 1993) and the background log-probability ``ln q(w)`` of a candidate
(module docstring of :mod:`caseminer.nlp.discovery`, step 4).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from . import ngrams as ng


def min_cut_pmi(tables: dict, codes: np.ndarray, n: int, n_chars: int, counts: np.ndarray) -> np.ndarray:
    """Minimum PMI over the internal cut points of n-grams given by their codes."""
    out = np.full(len(codes), np.inf)
    log_num = np.log(np.maximum(counts, 0.5)) + math.log(max(n_chars, 1))
    for i in range(1, n):
        left = codes >> np.uint64(ng.BITS * (n - i))
        right = codes & np.uint64((1 << (ng.BITS * (n - i))) - 1)
        cl = tables[i].lookup(left)
        cr = tables[n - i].lookup(right)
        pmi = log_num - np.log(np.maximum(cl, 1)) - np.log(np.maximum(cr, 1))
        out = np.minimum(out, pmi)
    return out


def cohesion(mat: np.ndarray, lengths: np.ndarray, freq: np.ndarray, tables: dict, n_chars: int):
    """Minimum PMI over all internal cut points (pieces capped at 4 chars next to the cut).

    Also returns the log counts of the left and right piece at every cut, shape
    (candidates, width - 1) with ``width`` the columns of ``mat`` (8, or 16 for the
    long segments), NaN where there is no such cut.
    """
    whole = ng.lookup_var(tables, ng.pack_var(mat, np.zeros_like(lengths), np.minimum(lengths, 4)), np.minimum(lengths, 4))
    num = np.where(lengths <= 4, np.maximum(whole, freq), freq)
    log_num = np.log(np.maximum(num, 1)) + math.log(max(n_chars, 1))
    out = np.full(len(mat), np.inf)
    width = mat.shape[1]  # MAX_PACKED, or MAX_LONG for long segments
    left_log = np.full((len(mat), width - 1), np.nan)
    right_log = np.full((len(mat), width - 1), np.nan)
    for k in range(1, width):
        m = lengths > k
        if not m.any():
            break
        sub, ln = mat[m], lengths[m]
        l_start = np.full(len(sub), max(0, k - 4))
        l_len = np.full(len(sub), min(k, 4))
        r_start = np.full(len(sub), k)
        r_len = np.minimum(ln - k, 4)
        cl = ng.lookup_var(tables, ng.pack_var(sub, l_start, l_len), l_len)
        cr = ng.lookup_var(tables, ng.pack_var(sub, r_start, r_len), r_len)
        lcl, lcr = np.log(np.maximum(cl, 1)), np.log(np.maximum(cr, 1))
        left_log[m, k - 1], right_log[m, k - 1] = lcl, lcr
        out[m] = np.minimum(out[m], log_num[m] - lcl - lcr)
    return out, left_log, right_log


def side_entropy(segs: ng.SegmentStats | ng.LongSegments, side: str) -> np.ndarray:
    """Branching entropy (nats) of each segment of ``segs`` on ``side`` ("left" or
    "right"); boundary occurrences are distinct.

    Read straight from the packed ``row << 16 | neighbour`` keys of
    :class:`~caseminer.nlp.ngrams.SegmentStats` (no expanded copy: ~100 MB less at the
    peak of scoring the whole xwlb corpus).
    """
    keys, cnt = (segs.left_keys, segs.left_counts) if side == "left" else (segs.right_keys, segs.right_counts)
    s = np.zeros(len(segs.freq))
    # A million keys at a time: the keys are sorted by row, so each chunk adds to one
    # contiguous run of rows, and the temporaries stay small.
    for start in range(0, len(keys), 1 << 20):
        rows = (keys[start : start + (1 << 20)] >> np.uint64(16)).astype(np.intp)
        c = cnt[start : start + (1 << 20)].astype(float)
        first = int(rows[0])
        s[first : int(rows[-1]) + 1] += np.bincount(rows - first, weights=c * np.log(np.maximum(c, 1.0)))
    f = np.maximum(segs.freq, 1).astype(float)
    # at least 0, as an entropy is: one neighbour every time leaves -4e-16 from rounding, which
    # a test at 0 (min_entropy 0: off) would read as below it
    return np.maximum(np.log(f) - s / f, 0.0)


def two_char_codes(words: Iterable[str]) -> np.ndarray:
    """The two-Han-character ``words`` as sorted ``uint32`` codes ``id(a) << 16 | id(b)``
    (character ids as :mod:`.ngrams` encodes them), for :func:`crossing_share`."""
    codes = [((ord(w[0]) - ng.HAN_FIRST + 1) << 16) | (ord(w[1]) - ng.HAN_FIRST + 1) for w in words
             if len(w) == 2 and ng.is_han_text(w)]
    return np.unique(np.array(codes, dtype=np.uint32))


def crossing_share(segs: ng.SegmentStats | ng.LongSegments, side: str, edge: np.ndarray,
                   codes: np.ndarray) -> np.ndarray:
    """For each segment, the share of its occurrences whose edge character on ``side``
    ("left": its first, "right": its last) makes a two-character word of ``codes``
    (:func:`two_char_codes`) with the character next to it there: 劳务输出专 before 列 and
    线 (专列, 专线) ends inside a word every time. ``edge`` holds each row's edge character
    id (0: not judged, share 0); occurrences at a boundary never cross. Read from the
    packed neighbour keys, a million at a time, as :func:`side_entropy`."""
    keys, cnt = (segs.left_keys, segs.left_counts) if side == "left" else (segs.right_keys, segs.right_counts)
    crossing = np.zeros(len(segs.freq))
    if not len(codes):
        return crossing
    for start in range(0, len(keys), 1 << 20):
        chunk = keys[start : start + (1 << 20)]
        rows = (chunk >> np.uint64(16)).astype(np.intp)
        judged = np.flatnonzero(edge[rows] > 0)  # few rows are judged: the rest costs no temporaries
        rows = rows[judged]
        nb = (chunk[judged] & np.uint64(0xFFFF)).astype(np.uint32)
        e = edge[rows].astype(np.uint32)
        code = (e << np.uint32(16)) | nb if side == "right" else (nb << np.uint32(16)) | e
        pos = np.minimum(np.searchsorted(codes, code), len(codes) - 1)
        hit = codes[pos] == code
        np.add.at(crossing, rows[hit], cnt[start : start + (1 << 20)][judged][hit].astype(float))
    return crossing / np.maximum(segs.freq, 1)


def signed_g2(f: np.ndarray, expected: np.ndarray, total: float) -> np.ndarray:
    """Dunning's G² of observed ``f`` against ``expected`` out of ``total``, signed."""
    f = f.astype(float)
    e = np.clip(expected, 1e-300, total * (1 - 1e-12))
    rest = np.maximum(total - f, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(f > 0, f * np.log(f / e), 0.0)
        t2 = np.where(rest > 0, rest * np.log1p((e - f) / (total - e)), 0.0)
    g2 = np.maximum(2.0 * (t1 + t2), 0.0)
    return np.where(f >= e, g2, -g2)


def background_log_rate(background, mat: np.ndarray, lengths: np.ndarray, freq: np.ndarray) -> np.ndarray:
    """ln of each candidate's relative frequency in a background corpus (-inf if unseen).

    Exact substring counts for up to 4 characters; longer strings take the best
    two-piece split (pieces capped at 4 characters next to the cut). When the
    background holds segments, a string's occurrences as a unit there count too.
    """
    log_n = math.log(background.n_chars)
    short = np.minimum(lengths, 4)
    whole = ng.lookup_var(background.tables, ng.pack_var(mat, np.zeros_like(lengths), short), short)
    with np.errstate(divide="ignore"):
        rate = np.where(whole > 0, np.log(np.maximum(whole, 1)) - log_n, -np.inf)
    _, left_log, right_log = cohesion(mat, lengths, np.ones_like(freq), background.tables, background.n_chars)
    split = np.nanmax(np.where(np.isnan(left_log), -np.inf, left_log + right_log), axis=1) - 2 * log_n
    rate = np.where(lengths <= 4, rate, split)
    segs = background.segments
    if segs is not None and len(segs.hi):
        # Occurrences as a unit in the background: exact for strings of any length.
        hi, lo = ng.pack_matrix(mat)
        rows = ng.find_rows(segs.hi, segs.lo, hi, lo)
        seg_count = np.where(rows >= 0, segs.freq[np.maximum(rows, 0)], 0)
        with np.errstate(divide="ignore"):
            rate = np.maximum(rate, np.where(seg_count > 0, np.log(np.maximum(seg_count, 1)) - log_n, -np.inf))
    return rate


class LexiconKeys:
    """A lexicon (word -> frequency) as packed keys with each word's log-probability
    ``ln(f) - log_total`` (-inf when ``f`` is 0 or missing, as :func:`log_expectation`
    reads it); membership is key membership, whatever the frequency."""

    def __init__(self, lexicon: Mapping[str, float], log_total: float):
        self.table = ng.StringTable(lexicon)
        # math.log, word by word, as the string-level functions compute it.
        words = self.table.words
        self.log_prob = np.fromiter((_log_freq(lexicon[w], log_total) for w in words), dtype=float, count=len(words))

    def rows(self, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
        return self.table.rows(hi, lo)

    def log_probs(self, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
        rows = self.rows(hi, lo)
        if len(self.log_prob) == 0:
            return np.full(len(rows), -np.inf)
        return np.where(rows >= 0, self.log_prob[np.maximum(rows, 0)], -np.inf)


def _log_freq(f, log_total: float) -> float:
    return math.log(f) - log_total if f and f > 0 else -math.inf


def _packed_words(words: Sequence[str], what: str) -> tuple[np.ndarray, np.ndarray]:
    hi, lo, ok = ng.pack_strings(list(words))
    if not ok.all():
        bad = list(words)[int(np.flatnonzero(~ok)[0])]
        raise ValueError(f"{what} must be strings of 1-{ng.MAX_PACKED} Han characters, got {bad!r}. "
                         "Pass candidate strings as discovery produces them (Han runs, no digits or Latin).")
    return hi, lo


def log_expectation(
    words: Sequence[str],
    rows: np.ndarray,
    left_log: np.ndarray,
    right_log: np.ndarray,
    log_n: float,
    lexicon: Mapping[str, int],
    log_total: float,
) -> np.ndarray:
    """``ln q(w)`` of ``words[i]`` for ``i`` in ``rows``, given a lexicon (step 4).

    ``q(w)`` is the largest of ``w``'s lexicon probability and its best two-piece
    split. When some cut leaves two lexicon words, only such cuts count and each
    piece is at its lexicon probability (general language: 旅游扶贫 =
    P(旅游) P(扶贫), however often 扶贫 occurs in the texts). Otherwise (a piece is
    not a word: a fragment or a name) each piece is at the larger of its lexicon
    probability and its relative frequency in the texts, ``left_log``/``right_log``
    being the log counts of the pieces at every cut (from :func:`cohesion`) and
    ``log_n`` the log number of Han characters. Words are Han strings of 1-8
    characters; :func:`log_expectation_keys` is the same on packed keys.
    """
    rows = np.asarray(rows, dtype=np.int64)
    hi, lo = _packed_words([words[i] for i in rows.tolist()], "log_expectation's words")
    return log_expectation_keys(hi, lo, left_log[rows], right_log[rows], log_n, LexiconKeys(lexicon, log_total))


def log_expectation_keys(
    hi: np.ndarray, lo: np.ndarray, left_log: np.ndarray, right_log: np.ndarray, log_n: float, lexicon: LexiconKeys
) -> np.ndarray:
    """:func:`log_expectation` of packed strings (``left_log``/``right_log`` aligned
    with them), one cut position at a time over all strings instead of a Python loop
    over the strings: the same operations on the same numbers, so the same result."""
    lengths = ng.key_lengths(hi, lo)
    whole = lexicon.log_probs(hi, lo)
    word_cut = np.full(len(hi), -np.inf)  # best cut into two lexicon words
    any_word_cut = np.zeros(len(hi), dtype=bool)
    text_cut = np.full(len(hi), -np.inf)  # best cut at the larger of lexicon and text rates
    for k in range(1, ng.MAX_PACKED):
        m = np.flatnonzero(lengths > k)
        if not len(m):
            break
        a = lexicon.log_probs(*ng.key_prefix(hi[m], lo[m], k))
        b = lexicon.log_probs(*ng.key_suffix(hi[m], lo[m], k))
        both = (a > -np.inf) & (b > -np.inf)
        word_cut[m] = np.where(both, np.maximum(word_cut[m], a + b), word_cut[m])
        any_word_cut[m] |= both
        with np.errstate(invalid="ignore"):
            text = np.maximum(left_log[m, k - 1] - log_n, a) + np.maximum(right_log[m, k - 1] - log_n, b)
        text_cut[m] = np.maximum(text_cut[m], text)
    return np.maximum(whole, np.where(any_word_cut, word_cut, text_cut))


def log_expectation_strings(
    words: Sequence[str], left_log: np.ndarray, right_log: np.ndarray, log_n: float,
    lexicon: Mapping[str, int], log_total: float,
) -> np.ndarray:
    """:func:`log_expectation` of strings of any length, one by one (the long segments,
    9-16 characters, which no packed key holds; there are few): the same rule,
    with the lexicon read as a dictionary."""
    out = np.empty(len(words))
    for i, w in enumerate(words):
        best_word, any_word, best_text = -math.inf, False, -math.inf
        for k in range(1, len(w)):
            a, b = _log_freq(lexicon.get(w[:k]), log_total), _log_freq(lexicon.get(w[k:]), log_total)
            if a > -math.inf and b > -math.inf:
                any_word, best_word = True, max(best_word, a + b)
            best_text = max(best_text, max(left_log[i, k - 1] - log_n, a) + max(right_log[i, k - 1] - log_n, b))
        out[i] = max(_log_freq(lexicon.get(w), log_total), best_word if any_word else best_text)
    return out


def nested_counts(
    containers: Sequence[str],
    freq: np.ndarray,
    docfreq: np.ndarray,
    kept: Sequence[str],
    lexicon: Mapping[str, int],
) -> tuple[np.ndarray, np.ndarray]:
    """Occurrences of each ``kept`` word inside longer ``containers`` (C-value style).

    A container (a segment string with its ``freq`` and ``docfreq``) adds its counts to
    a kept word ``w`` when it splits as ``w + r`` or ``r + w`` with ``r`` of 2+
    characters that is itself kept or a lexicon word; each container counts once per
    word. Returns (extra freq, extra docfreq) aligned with ``kept``. Containers and
    kept words are Han strings of 1-8 characters; :func:`nested_counts_keys` is the
    same on packed keys.

    Reference: Frantzi, K., Ananiadou, S. & Mima, H. (2000). Automatic recognition of
    multi-word terms: the C-value/NC-value method. Int. J. on Digital Libraries 3(2).
    """
    c_hi, c_lo = _packed_words(containers, "nested_counts' containers")
    k_hi, k_lo = _packed_words(kept, "nested_counts' kept words")
    order = np.lexsort((k_lo, k_hi))
    f_sorted, d_sorted = nested_counts_keys(c_hi, c_lo, freq, docfreq, k_hi[order], k_lo[order], ng.StringTable(lexicon))
    extra_f, extra_d = np.zeros_like(f_sorted), np.zeros_like(d_sorted)
    extra_f[order], extra_d[order] = f_sorted, d_sorted
    return extra_f, extra_d


def nested_counts_keys(
    c_hi: np.ndarray,
    c_lo: np.ndarray,
    freq: np.ndarray,
    docfreq: np.ndarray,
    kept_hi: np.ndarray,
    kept_lo: np.ndarray,
    lexicon: ng.StringTable,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`nested_counts` of packed containers and packed kept words (sorted by
    ``(hi, lo)``, unique): one cut position at a time over all containers, then each
    (container, word) pair counted once."""
    lengths = ng.key_lengths(c_hi, c_lo)
    freq, docfreq = np.asarray(freq, dtype=np.int64), np.asarray(docfreq, dtype=np.int64)
    pairs = []
    for k in range(2, ng.MAX_PACKED - 1):
        m = np.flatnonzero(lengths >= k + 2)  # both pieces of 2+ characters
        if not len(m):
            break
        a_hi, a_lo = ng.key_prefix(c_hi[m], c_lo[m], k)
        b_hi, b_lo = ng.key_suffix(c_hi[m], c_lo[m], k)
        ja, jb = ng.find_rows(kept_hi, kept_lo, a_hi, a_lo), ng.find_rows(kept_hi, kept_lo, b_hi, b_lo)
        # A piece's lexicon membership matters only where the other piece is kept.
        a_word, b_word = ja >= 0, jb >= 0
        ask = np.flatnonzero(b_word & ~a_word)
        a_word[ask] = lexicon.contains(a_hi[ask], a_lo[ask])
        ask = np.flatnonzero((ja >= 0) & ~b_word)
        b_word[ask] = lexicon.contains(b_hi[ask], b_lo[ask])
        for j, other in ((ja, b_word), (jb, a_word)):
            hit = (j >= 0) & other
            pairs.append(m[hit] * max(len(kept_hi), 1) + j[hit])
    extra_f = np.zeros(len(kept_hi), dtype=np.int64)
    extra_d = np.zeros(len(kept_hi), dtype=np.int64)
    if pairs:
        # A container counts once per word. (Sorted by hand: np.unique without counts
        # takes a hash path, ~7x slower than a sort on these integers in numpy 2.4.)
        pair = np.sort(np.concatenate(pairs))
        first = np.ones(len(pair), dtype=bool)
        first[1:] = pair[1:] != pair[:-1]
        pair = pair[first]
        row, j = np.divmod(pair, max(len(kept_hi), 1))
        np.add.at(extra_f, j, freq[row])
        np.add.at(extra_d, j, docfreq[row])
    return extra_f, extra_d
