"""Fast character n-gram counting over texts, shaped as map-over-shards plus merge.

Texts are turned into one integer array per shard: each Han character of the
blocks U+3400-U+4DBF and U+4E00-U+9FFF becomes a 16-bit id (its code point minus
0x3400, plus 1), every other character becomes 0, which acts as a boundary (no
n-gram crosses punctuation, digits, Latin letters or the end of a text). An
n-gram of up to four characters is then one ``uint64`` (four 16-bit ids), and a
string of up to eight characters is two ``uint64`` (``hi``, ``lo``), so counting is
done by numpy sorting in C, not by Python dictionaries: radix passes over 16-bit
digits (:func:`radix_sort`; numpy's stable sort of ``uint16`` is a counting sort),
~1.5x faster than ``np.sort`` on these codes.

Why sorting and not ``collections.Counter``: counting all 1-4-grams of 35 M
characters with ``Counter`` over string slices runs at ~0.3 MB/s; numpy sorting
of packed codes runs at several MB/s per core. Tables are exact (no pruning), so
merging shards in any order gives identical counts. They are kept sorted: a merge
is a linear merge of sorted runs or an insertion of a much smaller table
(:func:`merge_sorted`), never a re-sort. Memory
grows with the number of distinct n-grams (12 bytes each: uint64 key + int32
count), not with the corpus: the 103 MB xwlb corpus has 0.8 M distinct bigrams and
2.5 M distinct 3-grams made of frequent bigrams (:func:`count_longer_ngrams`); all
its distinct 1-4-grams, unpruned, are ~40 M (~0.5 GB).

Everything here is a pure function of its inputs; nothing prints or touches disk.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .lexicon import NOMINAL_HEADS

HAN_FIRST = 0x3400
HAN_LAST = 0x9FFF
MAX_PACKED = 8  # longest string representable as two uint64 keys
MAX_LONG = 16  # longest segment of the string path (:class:`LongSegments`)
BITS = 16


def is_han_text(text: str) -> bool:
    """True if every character of ``text`` is a Han character of the counted blocks."""
    return bool(text) and all(HAN_FIRST <= ord(ch) <= HAN_LAST for ch in text)


def encode(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Encode texts as one int64 id array plus the text index of every position.

    Texts are joined with a boundary (id 0) between them. Returns ``(ids, doc)``
    of equal length, where ``doc[i]`` is the index in ``texts`` of position ``i``.

    Example::

        >>> ids, doc = encode(["扶贫a", "脱贫"])
        >>> (ids > 0).tolist(), doc.tolist()
        ([True, True, False, False, True, True], [0, 0, 0, 0, 1, 1])
    """
    return _encode(texts, _code_points(texts))


def encode_marked(texts: Sequence[str], marks: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`encode` plus the positions of the characters of ``marks`` (sentence ends,
    say), which :func:`encode` turns into plain boundaries like any non-Han character.

    Example::

        >>> encode_marked(["扶贫。脱贫"], "。")[2].tolist()
        [2]
    """
    cps = _code_points(texts)
    codes = np.array(sorted({ord(c) for c in marks}), dtype=np.uint32)
    return (*_encode(texts, cps), np.flatnonzero(np.isin(cps, codes)))


def encode_ids(texts: Sequence[str]) -> np.ndarray:
    """The ``ids`` of :func:`encode` alone (passes that need no text index)."""
    if not texts:
        return np.zeros(0, dtype=np.int64)
    return _ids(_code_points(texts))


def _code_points(texts: Sequence[str]) -> np.ndarray:
    return np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)


def _ids(cps: np.ndarray) -> np.ndarray:
    return np.where((cps >= HAN_FIRST) & (cps <= HAN_LAST), cps.astype(np.int64) - (HAN_FIRST - 1), 0)


def _encode(texts: Sequence[str], cps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ids = _ids(cps)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)[: len(ids)]
    return ids, doc


def window_codes(ids: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Packed codes of all n-grams (n <= 4) lying inside one Han run.

    Returns ``(codes, starts)``: the uint64 code of each n-gram (first character
    in the highest bits) and its start position in ``ids``.
    """
    if not 1 <= n <= 4:
        raise ValueError(f"n must be in 1..4, got {n}")
    m = len(ids) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    ok = ids[:m] > 0
    code = ids[:m].astype(np.uint64)
    for k in range(1, n):
        part = ids[k : k + m]
        ok &= part > 0
        code = (code << np.uint64(BITS)) | part.astype(np.uint64)
    starts = np.flatnonzero(ok)
    return code[starts], starts


def dense_codes(ids: np.ndarray, n: int = 4) -> np.ndarray:
    """The code (as :func:`window_codes`) of the ``n`` characters from every position,
    ``ids`` padded with 0 past its end; ``code >> (16 * (n - m))`` is the m-gram there.

    No compaction to Han windows: a window holding a boundary (id 0) has a zero
    16-bit field, so it equals no code of a table or set of n-grams (0 aside).
    """
    padded = np.concatenate([ids, np.zeros(n - 1, dtype=ids.dtype)]).astype(np.uint64)
    code = padded[: len(ids)].copy()
    for k in range(1, n):
        code <<= np.uint64(BITS)
        code |= padded[k : k + len(ids)]
    return code


def pack(chars: str) -> int:
    """The uint64 code of a Han string of 1-4 characters (as :func:`window_codes`)."""
    code = 0
    for ch in chars:
        code = (code << BITS) | (ord(ch) - (HAN_FIRST - 1))
    return code


@dataclass
class Table:
    """Counts of distinct keys: ``keys`` sorted ascending and unique, ``counts`` aligned."""

    keys: np.ndarray
    counts: np.ndarray

    def __len__(self) -> int:
        return len(self.keys)

    def lookup(self, codes: np.ndarray) -> np.ndarray:
        """Counts of ``codes`` (0 for codes not in the table)."""
        codes = np.asarray(codes, dtype=np.uint64)
        if len(self.keys) == 0 or len(codes) == 0:
            return np.zeros(len(codes), dtype=np.int64)
        # Searching sorted queries walks the table in order (cache hits): with
        # the sort included, ~3x faster than searching text-ordered codes. Queries
        # often come sorted already (prefixes of sorted strings): no sort then.
        if (codes[1:] >= codes[:-1]).all():
            pos = np.searchsorted(self.keys, codes)
        else:
            order = np.argsort(codes)
            pos = np.empty(len(codes), dtype=np.intp)
            pos[order] = np.searchsorted(self.keys, codes[order])
        pos = np.minimum(pos, len(self.keys) - 1)
        return np.where(self.keys[pos] == codes, self.counts[pos], 0).astype(np.int64)

    @property
    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.counts.nbytes)


def count_codes(codes: np.ndarray) -> Table:
    """Count a code array into a :class:`Table` (int32 counts: half the memory of int64)."""
    if len(codes) and codes.max() <= np.iinfo(np.uint32).max:
        # Bigram codes fit in 32 bits (ids < 2^15): two radix passes instead of three.
        keys, counts = unique_counts(codes.astype(np.uint32))
        return Table(keys.astype(np.uint64), counts.astype(np.int32))
    keys, counts = unique_counts(codes)
    return Table(keys, counts.astype(np.int32))


def radix_sort(codes: np.ndarray) -> np.ndarray:
    """``np.sort(codes)`` of unsigned integer codes, by least-significant-digit radix
    sort on 16-bit digits: numpy's stable sort of ``uint16`` is a counting sort, so
    each pass is linear. On the n-gram codes of a shard (15-48 bits used) ~1.5x
    faster than ``np.sort``'s comparison sort of 32/64-bit keys."""
    out = codes
    if len(codes) == 0:
        return codes.copy()
    for k in range(max(1, (int(codes.max()).bit_length() + BITS - 1) // BITS)):
        digit = (out >> out.dtype.type(BITS * k)).astype(np.uint16)
        out = out[np.argsort(digit, kind="stable")]
    return out


def radix_argsort(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` of unsigned integer keys, by the radix
    passes of :func:`radix_sort`."""
    order = np.arange(len(keys))
    if len(keys) == 0:
        return order
    for k in range(max(1, (int(keys.max()).bit_length() + BITS - 1) // BITS)):
        order = order[np.argsort((keys[order] >> keys.dtype.type(BITS * k)).astype(np.uint16), kind="stable")]
    return order


def lexsort_pairs(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """``np.lexsort((lo, hi))`` (the stable order by ``(hi, lo)``) of packed strings, by
    radix passes; ~1.7x faster on a shard's segments, most of which have ``lo == 0``
    (4 characters or fewer): those need no pass on ``lo``, they come first."""
    longer = np.flatnonzero(lo)
    order = np.concatenate([np.flatnonzero(lo == 0), longer[radix_argsort(lo[longer])]])
    return order[radix_argsort(hi[order])]


def unique_counts(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(codes, return_counts=True)`` of unsigned integer codes, sorted by
    :func:`radix_sort`."""
    ordered = radix_sort(codes)
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(first)
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


def count_ngrams(ids: np.ndarray, max_n: int = 4) -> dict[int, Table]:
    """Count all 1..max_n-grams (max_n <= 4) of an encoded shard.

    Example::

        >>> ids, _ = encode(["扶贫扶贫"])
        >>> tables = count_ngrams(ids, 2)
        >>> int(tables[2].lookup(np.array([pack("扶贫")]))[0])
        2
    """
    # Unigrams by bincount: ids are below 2^15, so no sorting is needed.
    per_id = np.bincount(ids[ids > 0], minlength=1)
    unigrams = np.flatnonzero(per_id)
    tables = {1: Table(unigrams.astype(np.uint64), per_id[unigrams].astype(np.int32))}
    tables.update((n, count_codes(window_codes(ids, n)[0])) for n in range(2, max_n + 1))
    return tables


def count_longer_ngrams(ids: np.ndarray, frequent: "CodeSet", orders=(3, 4), part: int = 2) -> dict[int, Table]:
    """Count the n-grams (n in ``orders``) whose every ``part``-gram is in ``frequent`` (Apriori).

    An n-gram occurs at most as often as each of its pieces, so if the ``part``-grams
    kept are those counted at least k times in the whole corpus, no n-gram with
    a corpus count >= k is skipped, and the counts of the n-grams kept are exact
    (the filter depends on the n-gram, not on the shard). Rare n-grams, most of
    the table, are never stored (Agrawal & Srikant 1994).
    """
    longest = max(orders)
    code = dense_codes(ids, longest)
    # Only the part-grams of Han characters are looked up (one compaction, ~20 %
    # fewer probes): the others are in no table.
    han = np.zeros(len(ids) + longest, dtype=bool)
    han[: len(ids)] = ids > 0
    ask = han[: len(ids)].copy()
    for k in range(1, part):
        ask &= han[k : k + len(ids)]
    ask = np.flatnonzero(ask)
    ok = np.zeros(len(ids) + longest, dtype=bool)  # a frequent part-gram starts here
    ok[ask] = frequent.contains(code[ask] >> np.uint64(BITS * (longest - part)))
    del han, ask
    out = {}
    for n in orders:
        keep = ok[: len(ids)].copy()
        for k in range(1, n - part + 1):
            keep &= ok[k : k + len(ids)]
        out[n] = count_codes(code[keep] >> np.uint64(BITS * (longest - n)))
    return out


def merge_sorted(keys_a: np.ndarray, counts_a: np.ndarray, keys_b: np.ndarray, counts_b: np.ndarray):
    """Sum two count tables with sorted unique keys; returns ``(keys, counts)``, sorted.

    Tables of similar size: a stable sort of the two concatenated runs is a linear
    merge (timsort finds the runs), several times faster than sorting unsorted keys;
    each key then occurs at most twice, next to itself. A table much smaller than
    the other (a shard into a running sum): its keys are binary-searched in the
    larger one and inserted, which is as fast and needs about half the temporary
    memory (no concatenated copy, no sort order).
    """
    if len(keys_a) < len(keys_b):
        keys_a, counts_a, keys_b, counts_b = keys_b, counts_b, keys_a, counts_a
    if 4 * len(keys_b) <= len(keys_a):
        return _merge_into(keys_a, counts_a, keys_b, counts_b)
    keys = np.concatenate([keys_a, keys_b])
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    counts = np.concatenate([counts_a, counts_b])[order]
    del order
    dup = np.flatnonzero(keys[1:] == keys[:-1])
    counts[dup] += counts[dup + 1]
    keep = np.ones(len(keys), dtype=bool)
    keep[dup + 1] = False
    return keys[keep], counts[keep]


def _merge_into(keys_a: np.ndarray, counts_a: np.ndarray, keys_b: np.ndarray, counts_b: np.ndarray):
    """:func:`merge_sorted` by inserting the (fewer) keys of ``b`` into ``a``."""
    pos = np.searchsorted(keys_a, keys_b)
    hit = pos < len(keys_a)
    hit[hit] = keys_a[pos[hit]] == keys_b[hit]
    counts = counts_a.astype(np.result_type(counts_a, counts_b))  # a copy
    counts[pos[hit]] += counts_b[hit]
    new, dest, from_a = _insertion(pos, hit, len(keys_a))
    return _interleave(keys_a, keys_b[new], dest, from_a), _interleave(counts, counts_b[new], dest, from_a)


def _insertion(pos: np.ndarray, hit: np.ndarray, n_a: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where the rows of ``b`` that are not in ``a`` go when inserted at their sorted
    positions ``pos``: ``(their indices in b, their rows in the result, mask of the
    result's rows that come from a)``."""
    new = np.flatnonzero(~hit)
    dest = pos[new] + np.arange(len(new))
    from_a = np.ones(n_a + len(new), dtype=bool)
    from_a[dest] = False
    return new, dest, from_a


def _interleave(col_a: np.ndarray, col_new: np.ndarray, dest: np.ndarray, from_a: np.ndarray) -> np.ndarray:
    out = np.empty(len(from_a), dtype=col_a.dtype)
    out[from_a] = col_a
    out[dest] = col_new
    return out


def merge_tables(tables: Iterable[Table]) -> Table:
    """Sum several tables into one (exact; the order of the parts does not matter)."""
    tables = [t for t in tables if len(t)]
    if not tables:
        return Table(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))
    if len(tables) == 1:
        return Table(tables[0].keys.copy(), tables[0].counts.astype(np.int32))
    merged = _smallest_first(tables, lambda a, b: Table(*merge_sorted(a.keys, a.counts, b.keys, b.counts)))
    return Table(merged.keys, merged.counts.astype(np.int32, copy=False))


def _smallest_first(parts: list, merge2):
    """Merge ``parts`` pairwise, always the two smallest first (Huffman order).

    A large running total is then merged once per call rather than once per part,
    and ``k`` similar parts cost ``O(k log k)`` part-sizes of copying, not ``O(k^2)``.
    ``merge2(larger, smaller)``.
    """
    heap = [(len(p), i, p) for i, p in enumerate(parts)]
    heapq.heapify(heap)
    tick = len(heap)
    while len(heap) > 1:
        _, _, small = heapq.heappop(heap)
        _, _, large = heapq.heappop(heap)
        merged = merge2(large, small)
        heapq.heappush(heap, (len(merged), tick, merged))
        tick += 1
    return heap[0][2]


def prune_table(table: Table, min_count: int) -> Table:
    """Keep the keys counted at least ``min_count`` times."""
    if min_count <= 1:
        return table
    keep = table.counts >= min_count
    return Table(table.keys[keep], table.counts[keep])


# ---------------------------------------------------------------- strings up to 8 chars


def pack_spans(ids: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pack spans of at most 8 characters into two uint64 keys ``(hi, lo)``.

    ``hi`` holds characters 0-3 and ``lo`` characters 4-7, each first character
    in the highest bits, padded with 0; so sorting by ``(hi, lo)`` is a
    deterministic order and the keys decode back to the exact string.
    """
    hi = np.zeros(len(starts), dtype=np.uint64)
    lo = np.zeros(len(starts), dtype=np.uint64)
    for k in range(MAX_PACKED):
        take = lengths > k
        idx = np.where(take, starts + k, 0)
        part = np.where(take, ids[idx], 0).astype(np.uint64)
        if k < 4:
            hi |= part << np.uint64(BITS * (3 - k))
        else:
            lo |= part << np.uint64(BITS * (7 - k))
    return hi, lo


def unpack_keys(hi: np.ndarray, lo: np.ndarray, chunk: int = 65536) -> list[str]:
    """Decode ``(hi, lo)`` keys made by :func:`pack_spans` back to strings.

    Decoded ``chunk`` keys at a time, so the temporary character matrix stays small
    next to the strings it yields.
    """
    out: list[str] = []
    for start in range(0, len(hi), chunk):
        h, l_ = hi[start : start + chunk], lo[start : start + chunk]
        cols = []
        for k in range(MAX_PACKED):
            src = h if k < 4 else l_
            shift = np.uint64(BITS * (3 - (k % 4)))
            part = ((src >> shift) & np.uint64(0xFFFF)).astype(np.uint32)
            cols.append(np.where(part > 0, part + (HAN_FIRST - 1), 0).astype(np.uint32))
        flat = np.stack(cols, axis=1).tobytes().decode("utf-32-le")
        out.extend(flat[i : i + MAX_PACKED].rstrip("\x00") for i in range(0, len(flat), MAX_PACKED))
    return out


def pack_string(text: str) -> tuple[int, int]:
    """``(hi, lo)`` of one Han string of 1-8 characters."""
    ids = np.array([ord(c) - (HAN_FIRST - 1) for c in text], dtype=np.int64)
    hi, lo = pack_spans(ids, np.array([0]), np.array([len(text)]))
    return int(hi[0]), int(lo[0])


def pack_strings(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(hi, lo, ok)`` of many strings at once; ``ok`` is False (and the keys 0) for
    a string that is not 1-8 Han characters, which no packed key can stand for.

    Example::

        >>> hi, lo, ok = pack_strings(["扶贫", "A股"])
        >>> ok.tolist(), (int(hi[0]), int(lo[0])) == pack_string("扶贫")
        ([True, False], True)
    """
    if not words:
        empty = np.zeros(0, dtype=np.uint64)
        return empty, empty.copy(), np.zeros(0, dtype=bool)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    ids = _ids(_code_points(words))
    starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
    non_han = np.concatenate([[0], np.cumsum(ids == 0)])  # non-Han characters before each position
    ok = (lengths >= 1) & (lengths <= MAX_PACKED)
    ok &= non_han[np.minimum(starts + lengths, len(ids))] == non_han[starts]
    del non_han
    hi, lo = pack_spans(ids, starts, np.where(ok, lengths, 0))
    return hi, lo, ok


def key_prefix(hi: np.ndarray, lo: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Packed keys of the first ``k`` characters (1 <= k <= 8) of packed strings."""
    if k <= 4:
        return hi & np.uint64(((1 << (BITS * k)) - 1) << (BITS * (4 - k))), np.zeros_like(lo)
    return hi, lo & np.uint64(((1 << (BITS * (k - 4))) - 1) << (BITS * (8 - k)))


def key_suffix(hi: np.ndarray, lo: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Packed keys of the characters from ``k`` on (0 <= k < 8) of packed strings (the
    128-bit key shifted left by ``k`` characters; the padding stays 0)."""
    if k == 0:
        return hi, lo
    if k < 4:
        shift = np.uint64(BITS * k)
        return (hi << shift) | (lo >> np.uint64(64 - BITS * k)), lo << shift
    return lo << np.uint64(BITS * (k - 4)), np.zeros_like(lo)


def key_lengths(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Number of characters of packed strings (the non-zero 16-bit fields)."""
    out = np.zeros(len(hi), dtype=np.int64)
    for src in (hi, lo):
        for j in range(4):
            out += ((src >> np.uint64(BITS * j)) & np.uint64(0xFFFF)) != 0
    return out


class StringTable:
    """A set of strings looked up by packed keys, vectorised (lexicon membership and
    probabilities in discovery's scoring, without a Python loop over candidates).

    Only strings of 1-8 Han characters are stored: no packed key can equal any other
    string, so leaving them out changes no lookup. ``words`` are the stored strings in
    key order; ``rows`` returns the index into ``words`` (-1 where absent).
    """

    def __init__(self, words: Iterable[str], chunk: int = 1 << 16):
        words = [w for w in words if 1 <= len(w) <= MAX_PACKED]
        # Packed a chunk at a time: the temporaries stay small next to the table.
        packed = [pack_strings(words[i : i + chunk]) for i in range(0, len(words), chunk)] or [pack_strings([])]
        hi, lo, ok = (np.concatenate([p[j] for p in packed]) for j in range(3))
        del packed
        index = np.flatnonzero(ok)
        index = index[np.lexsort((lo[index], hi[index]))]
        hi, lo = hi[index], lo[index]
        first = np.ones(len(index), dtype=bool)  # a string given twice is stored once
        first[1:] = (hi[1:] != hi[:-1]) | (lo[1:] != lo[:-1])
        index, self.hi, self.lo = index[first], hi[first], lo[first]
        self.words = [words[i] for i in index.tolist()]

    def __len__(self) -> int:
        return len(self.hi)

    def rows(self, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
        return find_rows(self.hi, self.lo, hi, lo)

    def contains(self, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
        return self.rows(hi, lo) >= 0


def _search_pairs(hi_table: np.ndarray, lo_table: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """``searchsorted`` (left) of ``(hi, lo)`` pairs in a table sorted by ``(hi, lo)``."""
    # Search hi, then binary-search lo inside each block of equal hi (mostly 0 or
    # 1 long): ~10x faster than searchsorted over a structured (hi, lo) array.
    left = np.searchsorted(hi_table, hi, side="left")
    right = np.searchsorted(hi_table, hi, side="right")
    todo = np.flatnonzero(left < right)
    while len(todo):
        mid = (left[todo] + right[todo]) // 2
        below = lo_table[mid] < lo[todo]
        left[todo[below]] = mid[below] + 1
        right[todo[~below]] = mid[~below]
        todo = todo[left[todo] < right[todo]]
    return left


def find_rows(hi_table: np.ndarray, lo_table: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Index of each ``(hi, lo)`` in a table sorted by ``(hi, lo)``; -1 where absent."""
    if len(hi_table) == 0:
        return np.full(len(hi), -1, dtype=np.int64)
    pos = np.minimum(_search_pairs(hi_table, lo_table, hi, lo), len(hi_table) - 1)
    hit = (hi_table[pos] == hi) & (lo_table[pos] == lo)
    return np.where(hit, pos, -1)


# ---------------------------------------------------------------- packed string matrices


def id_matrix(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Packed ``(hi, lo)`` keys -> an (n, 8) matrix of character ids (0 = padding)."""
    cols = []
    for k in range(MAX_PACKED):
        src = hi if k < 4 else lo
        cols.append(((src >> np.uint64(BITS * (3 - k % 4))) & np.uint64(0xFFFF)).astype(np.int64))
    return np.stack(cols, axis=1)


def pack_var(mat: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """uint64 code (as :func:`window_codes`) of ``mat[i, start[i]:start[i]+length[i]]``, length <= 4."""
    rows = np.arange(len(mat))
    code = np.zeros(len(mat), dtype=np.uint64)
    for j in range(4):
        take = length > j
        col = mat[rows, np.minimum(start + j, mat.shape[1] - 1)].astype(np.uint64)
        code = np.where(take, (code << np.uint64(BITS)) | col, code)
    return code


def lookup_var(tables: dict, codes: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Counts of codes of mixed lengths: ``tables[n]`` is looked up where ``length == n``."""
    out = np.zeros(len(codes), dtype=np.int64)
    for n in range(1, 5):
        m = length == n
        if m.any() and n in tables:
            out[m] = tables[n].lookup(codes[m])
    return out


def pack_matrix(mat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`id_matrix`: (candidates, 8) ids -> packed ``(hi, lo)``."""
    hi = np.zeros(len(mat), dtype=np.uint64)
    lo = np.zeros(len(mat), dtype=np.uint64)
    for k in range(MAX_PACKED):
        part = mat[:, k].astype(np.uint64) << np.uint64(BITS * (3 - k % 4))
        if k < 4:
            hi |= part
        else:
            lo |= part
    return hi, lo


# ---------------------------------------------------------------- membership


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class CodeSet:
    """A set of non-zero uint64 codes with vectorised membership (open addressing; 0 is
    never a member).

    ``contains`` costs about two array passes per probe round instead of the ~20
    random accesses of a binary search, which matters when every window of a
    shard is looked up (step 2 of discovery). Load factor <= 1/4.
    """

    def __init__(self, codes: np.ndarray):
        codes = np.asarray(codes, dtype=np.uint64)
        if len(codes) > 1 and not (codes[1:] > codes[:-1]).all():  # table keys are sorted and unique already
            codes = np.unique(codes)
        codes = codes[codes != 0]
        bits = max(4, int(np.ceil(np.log2(max(len(codes), 1) * 4))))
        self._shift = np.uint64(64 - bits)
        self._mask = np.uint64((1 << bits) - 1)
        self.table = np.zeros(1 << bits, dtype=np.uint64)
        self.size = len(codes)
        pending = codes
        slots = self._hash(pending)
        while len(pending):
            free = self.table[slots] == 0
            # Several pending codes may want the same free slot: the first wins.
            cand = np.flatnonzero(free)
            _, first = np.unique(slots[cand], return_index=True)
            won = cand[first]
            self.table[slots[won]] = pending[won]
            keep = np.ones(len(pending), dtype=bool)
            keep[won] = False
            pending, slots = pending[keep], (slots[keep] + np.uint64(1)) & self._mask

    def _hash(self, codes: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return (codes * _GOLDEN) >> self._shift

    def __len__(self) -> int:
        return self.size

    def contains(self, codes: np.ndarray) -> np.ndarray:
        """Boolean array: which ``codes`` are in the set."""
        codes = np.asarray(codes, dtype=np.uint64)
        if self.size == 0 or len(codes) == 0:
            return np.zeros(len(codes), dtype=bool)
        slots = self._hash(codes)
        value = self.table[slots]
        found = value == codes
        # Most codes are settled by the first probe (their slot is empty or holds
        # them): only the rest go on, so the first round needs no index arrays.
        active = np.flatnonzero((value != 0) & ~found)
        slots = (slots[active] + np.uint64(1)) & self._mask
        while len(active):
            value = self.table[slots]
            hit = value == codes[active]
            found[active[hit]] = True
            more = (value != 0) & ~hit
            active = active[more]
            slots = (slots[more] + np.uint64(1)) & self._mask
        # 0 marks an empty slot, so the search "finds" it: 0 is never a member.
        return found & (codes != 0)


# ---------------------------------------------------------------- segments (discovery step 2)


@dataclass
class SegmentStats:
    """Per-segment counts of the join step of new-word discovery, keyed by packed ``(hi, lo)``.

    ``hi``, ``lo``: the segments, sorted by ``(hi, lo)``; ``freq``: occurrences as one
    segment or as a pair of adjacent segments; ``unit``: occurrences as one segment only;
    ``docfreq``: texts containing it. The Han characters seen left (right) of the
    segments are stored compactly as sorted ``row << 16 | neighbour id`` keys
    (``row`` indexes ``hi``/``lo``) with their counts: 12 bytes per distinct
    (segment, neighbour) instead of 22, and shards merge as one sorted ``uint64``
    column.
    """

    hi: np.ndarray
    lo: np.ndarray
    freq: np.ndarray
    docfreq: np.ndarray
    unit: np.ndarray
    left_keys: np.ndarray
    left_counts: np.ndarray
    right_keys: np.ndarray
    right_counts: np.ndarray
    n_tokens: int = 0
    long: LongSegments | None = None  # segments of MAX_PACKED+1 .. MAX_LONG characters

    def __len__(self) -> int:
        return len(self.hi)

    @property
    def nbytes(self) -> int:
        arrays = (self.hi, self.lo, self.freq, self.docfreq, self.unit, self.left_keys, self.left_counts,
                  self.right_keys, self.right_counts)
        return sum(int(a.nbytes) for a in arrays) + (self.long.nbytes if self.long is not None else 0)


@dataclass
class LongSegments:
    """Segments of ``MAX_PACKED + 1`` .. ``MAX_LONG`` characters (not pairs): official names
    and formulas (巩固拓展脱贫攻坚成果, 国务院扶贫开发领导小组), too long for ``(hi, lo)``.
    Each is four ``uint64`` (``keys[:, 0:2]`` the first eight characters as ``(hi, lo)``,
    ``keys[:, 2:4]`` the rest), rows sorted and unique. The other columns mean what they
    mean in :class:`SegmentStats`; the neighbour keys are ``row << 16 | neighbour id``,
    sorted; every occurrence is one as a unit (there are no pairs), so there is no
    ``unit`` column. They are few (~2 % of the segment occurrences of the xwlb stories),
    so the lexicographic sorts of four columns cost little.
    """

    keys: np.ndarray
    freq: np.ndarray
    docfreq: np.ndarray
    left_keys: np.ndarray
    left_counts: np.ndarray
    right_keys: np.ndarray
    right_counts: np.ndarray

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def nbytes(self) -> int:
        return sum(int(getattr(self, k).nbytes) for k in ("keys", "freq", "docfreq", "left_keys", "left_counts",
                                                           "right_keys", "right_counts"))

    def id_matrix(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The character ids of the strings (of ``rows``, default all), one row each,
        0-padded to ``MAX_LONG``."""
        keys = self.keys if rows is None else self.keys[rows]
        return np.hstack([id_matrix(keys[:, 0], keys[:, 1]), id_matrix(keys[:, 2], keys[:, 3])])

    def words(self, rows: np.ndarray | None = None) -> list[str]:
        """The strings (of ``rows``, default all), in row order."""
        keys = self.keys if rows is None else self.keys[rows]
        heads = unpack_keys(keys[:, 0], keys[:, 1])
        return [h + t for h, t in zip(heads, unpack_keys(keys[:, 2], keys[:, 3]))]


def pack_long(ids: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, ...]:
    """Pack spans of at most ``MAX_LONG`` characters into four uint64 keys
    ``(hi, lo, hi2, lo2)``: the first eight characters as :func:`pack_spans` does, then
    the rest (0 where a span has no more than eight, without packing when none has)."""
    hi, lo = pack_spans(ids, starts, np.minimum(lengths, MAX_PACKED))
    if len(lengths) and int(lengths.max()) > MAX_PACKED:
        hi2, lo2 = pack_spans(ids, starts + MAX_PACKED, np.maximum(lengths - MAX_PACKED, 0))
    else:
        hi2, lo2 = np.zeros_like(hi), np.zeros_like(lo)
    return hi, lo, hi2, lo2


def _unique_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted unique rows of a (n, 4) key array and, for each input row, its row there."""
    order = np.lexsort(keys.T[::-1])
    ordered = keys[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    row = np.empty(len(keys), dtype=np.int64)
    row[order] = np.cumsum(first) - 1
    return ordered[first], row


def _long_segments(ids, doc, starts, lengths, code, floor) -> LongSegments:
    """The :class:`LongSegments` of the spans ``starts``/``lengths`` (each 9..MAX_LONG
    characters) of an encoded shard; ``floor`` as in :func:`count_segments`."""
    if floor is not None and 4 in floor[0] and len(starts):
        # A span occurs no more often than its first and last four characters.
        four, least = floor[0][4], floor[1]
        ok = (four.lookup(code[starts]) >= least) & (four.lookup(code[starts + lengths - 4]) >= least)
        starts, lengths = starts[ok], lengths[ok]
    keys, row = _unique_rows(np.stack(pack_long(ids, starts, lengths), axis=1))
    n = len(keys)
    freq = np.bincount(row, minlength=n).astype(np.int64)
    texts = np.unique((row.astype(np.uint64) << np.uint64(32)) | doc[starts].astype(np.uint64))
    docfreq = np.bincount((texts >> np.uint64(32)).astype(np.int64), minlength=n).astype(np.int64)
    sides = []
    for at in (starts - 1, starts + lengths):
        nb = np.where((at >= 0) & (at < len(ids)), ids[np.clip(at, 0, len(ids) - 1)], 0)
        m = nb > 0
        side_keys, cnt = unique_counts((row[m].astype(np.uint64) << np.uint64(16)) | nb[m].astype(np.uint64))
        sides += [side_keys, cnt.astype(np.int64)]
    return LongSegments(keys, freq, docfreq, *sides)


def merge_long(a: LongSegments | None, b: LongSegments | None) -> LongSegments | None:
    """Sum two :class:`LongSegments` of disjoint sets of texts (exact; either may be None)."""
    if a is None or b is None:
        return a if b is None else b
    keys, row = _unique_rows(np.concatenate([a.keys, b.keys]))
    row_a, row_b = row[: len(a)], row[len(a):]
    cols = []
    for k in ("freq", "docfreq"):
        col = np.zeros(len(keys), dtype=np.int64)
        col[row_a] += getattr(a, k)
        col[row_b] += getattr(b, k)  # rows are unique within each part
        cols.append(col)
    sides = []
    for side in ("left", "right"):
        # Both row maps are increasing, so the rewritten neighbour keys stay sorted.
        sides += merge_sorted(_rekey(getattr(a, side + "_keys"), row_a), getattr(a, side + "_counts"),
                              _rekey(getattr(b, side + "_keys"), row_b), getattr(b, side + "_counts"))
    return LongSegments(keys, *cols, *sides)


def joined_gaps(ids: np.ndarray, join: Sequence[dict], code: np.ndarray | None = None) -> np.ndarray:
    """Boolean per gap (between position i and i+1): joined by a cohesive n-gram.

    ``code``: :func:`dense_codes` of ``ids`` (n = 4), if already computed.
    """
    size = len(ids)
    if code is None:
        code = dense_codes(ids, 4)
    joined = np.zeros(max(size - 1, 0), dtype=bool)
    han = np.zeros(size + 3, dtype=bool)
    han[:size] = ids > 0
    for n in range(2, 5):
        # Only windows of n Han characters with a gap not joined yet can change
        # anything: for n = 3, 4 about half of the positions, so probing just
        # those (one compaction) beats probing all.
        ask = han[:size].copy()
        for k in range(1, n):
            ask &= han[k : k + size]
        if n > 2:
            open_gap = np.zeros(size, dtype=bool)
            for k in range(n - 1):
                open_gap[: max(size - 1 - k, 0)] |= ~joined[k:]
            ask &= open_gap
        ask = np.flatnonzero(ask)
        grams = code[ask] >> np.uint64(BITS * (4 - n))
        hit = np.zeros(len(ask), dtype=bool)
        for table in join:
            hit |= table[n].contains(grams)
        # An n-gram starting at s covers the gaps s .. s+n-2.
        for k in range(n - 1):
            joined[ask[hit] + k] = True
    return joined


def reachable(hi: np.ndarray, lo: np.ndarray, floor: tuple) -> np.ndarray:
    """Packed strings (2-8 characters) whose head and tail (up to 4 characters) were
    counted >= min_freq times: the others cannot occur min_freq times."""
    tables, min_freq = floor
    lengths = key_lengths(hi, lo)
    short = np.minimum(lengths, 4)
    # The head as an n-gram code (window_codes): the first up-to-4 characters are hi.
    head = hi >> (np.uint64(BITS) * (4 - short).astype(np.uint64))
    ok = lookup_var(tables, head, short) >= min_freq
    # A string of up to 4 characters is its own tail: look up only the longer ones.
    longer = np.flatnonzero(ok & (lengths > 4))
    tail = np.zeros(len(longer), dtype=np.uint64)
    for n in range(5, MAX_PACKED + 1):
        m = lengths[longer] == n
        tail[m] = key_suffix(hi[longer[m]], lo[longer[m]], n - 4)[0]
    ok[longer] = lookup_var(tables, tail, np.full(len(longer), 4)) >= min_freq
    return ok


# One-character nominal heads that close a compound of a 2+ character segment
# (脱贫|户, 摘帽|县, 示范|村, 护林|员): too frequent on their own for the PMI join.
HEAD_IDS = np.array([ord(c) - (HAN_FIRST - 1) for c in NOMINAL_HEADS], dtype=np.int64)


def _head_mask(m: np.ndarray) -> np.ndarray:
    """Mask of the first ``m`` characters (0 <= m <= 4) of a 4-character code."""
    return np.where(m > 0, np.uint64(0xFFFFFFFFFFFFFFFF) << (np.uint64(BITS) * (4 - m).astype(np.uint64)), np.uint64(0))


def count_segments(
    ids: np.ndarray,
    doc: np.ndarray,
    join: Sequence[dict],
    max_len: int,
    compounds: bool = True,
    floor: tuple | None = None,
    long_len: int = 0,
) -> SegmentStats:
    """Cut ``ids`` at the gaps no cohesive n-gram of ``join`` covers; count segments (and pairs).

    ``doc`` is the text index of every position (docfreq); ``floor`` = (tables, min_freq)
    drops spans whose head or tail up to 4 characters is rarer than min_freq. Spans of
    ``max_len`` (at most ``MAX_PACKED``) characters or fewer are counted on packed keys;
    with ``long_len`` > ``max_len``, longer segments (not pairs) up to ``long_len`` (at
    most ``MAX_LONG``) are counted on four keys (``SegmentStats.long``).
    """
    size = len(ids)
    han = ids > 0
    code = dense_codes(ids, 4)
    joined = joined_gaps(ids, join, code)
    prev_joined = np.zeros(size, dtype=bool)
    prev_joined[1:] = joined
    next_joined = np.zeros(size, dtype=bool)
    next_joined[:-1] = joined
    starts = np.flatnonzero(han & ~prev_joined)
    ends = np.flatnonzero(han & ~next_joined)  # inclusive
    lengths = ends - starts + 1
    n_tokens = len(starts)
    spans = [(starts, ends)]
    single = [np.ones(len(starts), dtype=bool)]
    if compounds:
        # Two adjacent segments of 2+ characters, or one of 2+ and a one-character
        # nominal head, also count as a candidate (扶贫|产业 -> 扶贫产业, 脱贫|户):
        # compositional domain terms whose parts are too frequent on their own for
        # the PMI join (discovery's module docstring, step 2b).
        adjacent = ends[:-1] + 1 == starts[1:]
        wide = (lengths[:-1] >= 2) & ((lengths[1:] >= 2) | np.isin(ids[starts[1:]], HEAD_IDS) & (lengths[1:] == 1))
        pair = adjacent & wide
        spans.append((starts[:-1][pair], ends[1:][pair]))
        single.append(np.zeros(int(pair.sum()), dtype=bool))
    starts = np.concatenate([sp[0] for sp in spans])
    ends = np.concatenate([sp[1] for sp in spans])
    single = np.concatenate(single)
    lengths = ends - starts + 1
    long = None
    if long_len > max_len:
        # Single segments only: pairs of adjacent segments past eight characters are
        # phrases more often than names, and counting them costs as much again.
        wide = (lengths > max_len) & (lengths <= min(long_len, MAX_LONG)) & single
        long = _long_segments(ids, doc, starts[wide], lengths[wide], code, floor)
    keep = (lengths >= 2) & (lengths <= max_len)
    starts, ends, lengths, single = starts[keep], ends[keep], lengths[keep], single[keep]
    # pack_spans(ids, starts, lengths), read from the 4-character codes at the start
    # and 4 characters on, cut to the span's length.
    hi = code[starts] & _head_mask(np.minimum(lengths, 4))
    lo = np.where(lengths > 4, code[np.minimum(starts + 4, size - 1)] & _head_mask(np.maximum(lengths - 4, 0)), 0)
    del code
    # Dense segment ids first, so that the three groupings below sort one uint64
    # each instead of lexsorting two or three columns.
    order = lexsort_pairs(hi, lo)
    shi, slo = hi[order], lo[order]
    del hi, lo
    first = np.ones(len(order), dtype=bool)
    first[1:] = (shi[1:] != shi[:-1]) | (slo[1:] != slo[:-1])
    sid = np.empty(len(order), dtype=np.int64)
    sid[order] = np.cumsum(first) - 1
    uhi, ulo = shi[first], slo[first]
    del shi, slo
    n_seg = len(uhi)
    freq = np.bincount(sid, minlength=n_seg).astype(np.int32)
    unit = np.bincount(sid[single], minlength=n_seg).astype(np.int32)
    # lexsort is stable: within one segment, occurrences stay in text order, so a
    # new text starts wherever the text index changes.
    sdoc = doc[starts][order]
    new_doc = first.copy()
    new_doc[1:] |= sdoc[1:] != sdoc[:-1]
    docfreq = np.bincount(sid[order][new_doc], minlength=n_seg).astype(np.int32)
    del order, sdoc, new_doc, first
    if floor is not None:
        # Tested on the distinct strings, not on every occurrence (a string is
        # reachable or not wherever it occurs): a few times fewer lookups.
        kept = reachable(uhi, ulo, floor)
        uhi, ulo, freq, unit, docfreq = uhi[kept], ulo[kept], freq[kept], unit[kept], docfreq[kept]
        occurs = kept[sid]
        sid = (np.cumsum(kept) - 1)[sid[occurs]]
        starts, ends = starts[occurs], ends[occurs]
    left_nb = np.where(starts > 0, ids[np.maximum(starts - 1, 0)], 0)
    right_nb = np.where(ends + 1 < size, ids[np.minimum(ends + 1, size - 1)], 0)
    sides = []
    for nb in (left_nb, right_nb):
        m = nb > 0
        keys, cnt = unique_counts((sid[m].astype(np.uint64) << np.uint64(16)) | nb[m].astype(np.uint64))
        sides += [keys, cnt.astype(np.int32)]
    return SegmentStats(uhi, ulo, freq, docfreq, unit, *sides, n_tokens=n_tokens, long=long)


def _merge_two(a: SegmentStats, b: SegmentStats) -> SegmentStats:
    """Sum two :class:`SegmentStats`: the segments of ``b`` are binary-searched in ``a`` and
    the new ones inserted (one pass over ``a``); the neighbour keys merge as sorted runs."""
    pos = _search_pairs(a.hi, a.lo, b.hi, b.lo)
    hit = pos < len(a.hi)
    hit[hit] = (a.hi[pos[hit]] == b.hi[hit]) & (a.lo[pos[hit]] == b.lo[hit])
    new, dest, from_a = _insertion(pos, hit, len(a.hi))
    # Final row of every segment of a and of b: both maps are increasing, so the
    # neighbour keys rewritten with them stay sorted.
    row_a = np.flatnonzero(from_a)
    row_b = np.empty(len(b.hi), dtype=np.int64)
    row_b[hit] = row_a[pos[hit]]
    row_b[new] = dest
    merged = [_interleave(getattr(a, k), getattr(b, k)[new], dest, from_a) for k in ("hi", "lo", "freq", "docfreq", "unit")]
    for col, k in zip(merged[2:], ("freq", "docfreq", "unit")):
        col[row_b[hit]] += getattr(b, k)[hit]
    sides = []
    for side in ("left", "right"):
        ka, kb = getattr(a, side + "_keys"), getattr(b, side + "_keys")
        sides += merge_sorted(_rekey(ka, row_a), getattr(a, side + "_counts"),
                              _rekey(kb, row_b), getattr(b, side + "_counts"))
    return SegmentStats(*merged, *sides, n_tokens=a.n_tokens + b.n_tokens, long=merge_long(a.long, b.long))


def _rekey(keys: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Neighbour keys ``row << 16 | id`` with every row replaced by ``rows[row]``."""
    return (rows[(keys >> np.uint64(16)).astype(np.intp)].astype(np.uint64) << np.uint64(16)) | (keys & np.uint64(0xFFFF))


def merge_segments(parts: Sequence[SegmentStats]) -> SegmentStats:
    """Sum several :class:`SegmentStats` into one (exact; the order of the parts does not matter)."""
    return _smallest_first(list(parts), _merge_two)
