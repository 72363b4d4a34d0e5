"""Pure measures of new-word discovery (steps 2-4 of :mod:`caseminer.nlp.discovery`).

Every function here is a pure function of numpy arrays and count tables
(``n -> ngrams.Table``): pointwise mutual information over cut points
(Church & Hanks 1990), branching entropy (Huang & Powers 2003), Dunning's signed
G² (Dunning 1993) and the background log-probability ``ln q(w)`` of a candidate
(module docstring of :mod:`caseminer.nlp.discovery`, step 4).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

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
    (candidates, 7), NaN where there is no such cut.
    """
    whole = ng.lookup_var(tables, ng.pack_var(mat, np.zeros_like(lengths), np.minimum(lengths, 4)), np.minimum(lengths, 4))
    num = np.where(lengths <= 4, np.maximum(whole, freq), freq)
    log_num = np.log(np.maximum(num, 1)) + math.log(max(n_chars, 1))
    out = np.full(len(mat), np.inf)
    left_log = np.full((len(mat), ng.MAX_PACKED - 1), np.nan)
    right_log = np.full((len(mat), ng.MAX_PACKED - 1), np.nan)
    for k in range(1, ng.MAX_PACKED):
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


def side_entropy(segs: ng.SegmentStats, side: str) -> np.ndarray:
    """Branching entropy (nats) of each segment of ``segs`` on ``side`` ("left" or
    "right"); boundary occurrences are distinct.

    Read straight from the packed ``row << 16 | neighbour`` keys of
    :class:`~caseminer.nlp.ngrams.SegmentStats` (no expanded copy: ~100 MB less at the
    peak of scoring the whole xwlb corpus).
    """
    keys, cnt = (segs.left_keys, segs.left_counts) if side == "left" else (segs.right_keys, segs.right_counts)
    s = np.zeros(len(segs.hi))
    # A million keys at a time: the keys are sorted by row, so each chunk adds to one
    # contiguous run of rows, and the temporaries stay small.
    for start in range(0, len(keys), 1 << 20):
        rows = (keys[start : start + (1 << 20)] >> np.uint64(16)).astype(np.intp)
        c = cnt[start : start + (1 << 20)].astype(float)
        first = int(rows[0])
        s[first : int(rows[-1]) + 1] += np.bincount(rows - first, weights=c * np.log(np.maximum(c, 1.0)))
    f = np.maximum(segs.freq, 1).astype(float)
    return np.log(f) - s / f


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
    ``log_n`` the log number of Han characters.
    """

    def lex(piece: str) -> float:
        f = lexicon.get(piece)
        return math.log(f) - log_total if f and f > 0 else -math.inf

    out = np.empty(len(rows))
    for j, i in enumerate(rows):
        w = words[i]
        best = lex(w)
        pieces = [(lex(w[:k]), lex(w[k:])) for k in range(1, len(w))]
        words_cut = [a + b for a, b in pieces if a > -math.inf and b > -math.inf]
        if words_cut:
            best = max(best, max(words_cut))
        else:
            for k, (a, b) in enumerate(pieces):
                a = max(left_log[i, k] - log_n, a)
                b = max(right_log[i, k] - log_n, b)
                best = max(best, a + b)
        out[j] = best
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
    word. Returns (extra freq, extra docfreq) aligned with ``kept``.

    Reference: Frantzi, K., Ananiadou, S. & Mima, H. (2000). Automatic recognition of
    multi-word terms: the C-value/NC-value method. Int. J. on Digital Libraries 3(2).
    """
    pos = {w: j for j, w in enumerate(kept)}
    extra_f = np.zeros(len(kept), dtype=np.int64)
    extra_d = np.zeros(len(kept), dtype=np.int64)
    for w, f, df in zip(containers, np.asarray(freq).tolist(), np.asarray(docfreq).tolist()):
        if len(w) < 4:
            continue
        hit = set()
        for k in range(2, len(w) - 1):
            a, b = w[:k], w[k:]
            if a in pos and (b in pos or b in lexicon):
                hit.add(pos[a])
            if b in pos and (a in pos or a in lexicon):
                hit.add(pos[b])
        for j in hit:
            extra_f[j] += f
            extra_d[j] += df
    return extra_f, extra_d
