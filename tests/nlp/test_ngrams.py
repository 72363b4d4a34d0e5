"""Tests of caseminer.nlp.ngrams: exact counting, shard merging, packing, code sets."""

from __future__ import annotations

import random

import numpy as np
import pytest

from caseminer.nlp import ngrams as ng


def _python_counts(texts, n):
    import re
    from collections import Counter

    counts = Counter()
    for text in texts:
        for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]+", text):
            counts.update(run[i : i + n] for i in range(len(run) - n + 1))
    return counts


@pytest.mark.parametrize("text,expected", [("扶贫a扶贫", [1, 1, 0, 1, 1]), ("，村", [0, 1])])
def test_ngrams_encode_marks_non_han_as_boundary(text, expected):
    ids, doc = ng.encode([text])
    assert (ids > 0).astype(int).tolist() == expected
    assert doc.tolist() == [0] * len(text)


def test_ngrams_encode_separates_texts():
    ids, doc = ng.encode(["扶贫", "脱贫"])
    assert ids.tolist()[2] == 0  # the boundary between the two texts
    assert doc.tolist() == [0, 0, 0, 1, 1]
    tables = ng.count_ngrams(ids, 2)
    assert int(tables[2].lookup(np.array([ng.pack("贫脱")]))[0]) == 0


@pytest.mark.parametrize(
    "gram,count", [("扶贫", 3), ("贫扶", 1), ("扶", 3), ("扶贫扶", 1), ("贫，", 0), ("扶贫扶贫", 1)]
)
def test_ngrams_count_matches_hand_count(gram, count):
    ids, _ = ng.encode(["扶贫扶贫，扶贫"])
    tables = ng.count_ngrams(ids, 4)
    if not ng.is_han_text(gram):
        assert count == 0
        return
    assert int(tables[len(gram)].lookup(np.array([ng.pack(gram)]))[0]) == count


def test_ngrams_counts_equal_python_reference():
    rng = random.Random(3)
    alphabet = "扶贫脱攻坚乡村振兴产业，。的"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(5, 60))) for _ in range(50)]
    ids, _ = ng.encode(texts)
    for n in (1, 2, 3, 4):
        table = ng.count_ngrams(ids, 4)[n]
        expected = _python_counts(texts, n)
        got = dict(zip(table.keys.tolist(), table.counts.tolist()))
        assert got == {ng.pack(k): v for k, v in expected.items()}


def test_ngrams_merge_is_exact_and_order_free():
    rng = random.Random(5)
    alphabet = "精准扶贫建档立卡户，"
    texts = ["".join(rng.choice(alphabet) for _ in range(30)) for _ in range(40)]
    whole = ng.count_ngrams(ng.encode(texts)[0], 3)[3]
    parts = [ng.count_ngrams(ng.encode(texts[i : i + 7])[0], 3)[3] for i in range(0, 40, 7)]
    for order in (parts, parts[::-1]):
        merged = ng.merge_tables(order)
        assert merged.keys.tolist() == whole.keys.tolist()
        assert merged.counts.tolist() == whole.counts.tolist()


@pytest.mark.parametrize("word", ["扶", "扶贫", "建档立卡", "建档立卡贫困", "两不愁三保障户"[:8], "㐀乡村"])
def test_ngrams_pack_spans_roundtrip(word):
    hi, lo = ng.pack_string(word)
    assert ng.unpack_keys(np.array([hi], dtype=np.uint64), np.array([lo], dtype=np.uint64)) == [word]


def test_ngrams_codeset_membership_equals_python_set():
    rng = np.random.default_rng(0)
    keys = rng.integers(1, 2**40, 5000, dtype=np.uint64)
    query = np.concatenate([keys[:100], rng.integers(1, 2**40, 1000, dtype=np.uint64)])
    got = ng.CodeSet(keys).contains(query)
    expected = np.array([int(q) in set(keys.tolist()) for q in query])
    assert (got == expected).all() and got[:100].all()
    assert not ng.CodeSet(np.zeros(0, dtype=np.uint64)).contains(query).any()


def test_ngrams_id_matrix_roundtrip_and_pack_var():
    words = ["扶贫", "乡村振兴", "建档立卡贫困户"]
    packed = [ng.pack_string(w) for w in words]
    hi = np.array([p[0] for p in packed], dtype=np.uint64)
    lo = np.array([p[1] for p in packed], dtype=np.uint64)
    mat = ng.id_matrix(hi, lo)
    assert (mat > 0).sum(axis=1).tolist() == [2, 4, 7]
    back_hi, back_lo = ng.pack_matrix(mat)
    assert back_hi.tolist() == hi.tolist() and back_lo.tolist() == lo.tolist()
    codes = ng.pack_var(mat, np.array([0, 2, 3]), np.array([2, 2, 4]))
    assert codes.tolist() == [ng.pack("扶贫"), ng.pack("振兴"), ng.pack("卡贫困户")]


def _segments(texts, join_words, long_len=0):
    ids, doc = ng.encode(texts)
    join = {n: ng.CodeSet(np.array([ng.pack(w) for w in join_words if len(w) == n], dtype=np.uint64)) for n in (2, 3, 4)}
    return ng.count_segments(ids, doc, [join], 8, long_len=long_len)


def test_ngrams_segments_count_units_pairs_and_texts():
    segs = _segments(["光伏扶贫，扶贫", "扶贫光伏扶贫"], ["光伏", "扶贫"])
    got = {w: (f, u, df) for w, f, u, df in zip(ng.unpack_keys(segs.hi, segs.lo), segs.freq, segs.unit, segs.docfreq)}
    assert got["扶贫"] == (4, 4, 2)
    assert got["光伏"] == (2, 2, 2)
    assert got["光伏扶贫"] == (2, 0, 2)  # only as a pair of adjacent segments
    assert got["扶贫光伏"] == (1, 0, 1)
    assert segs.n_tokens == 6


def test_ngrams_merge_segments_equals_one_pass():
    rng = random.Random(5)
    pieces = ["光伏", "扶贫", "车间", "产业", "村", "的"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) + rng.choice("，。") for _ in range(60)]
    joins = ["光伏", "扶贫", "车间", "产业"]
    whole = _segments(texts, joins)
    parts = ng.merge_segments([_segments(texts[:17], joins), _segments(texts[17:40], joins), _segments(texts[40:], joins)])
    for name in ("hi", "lo", "freq", "unit", "docfreq"):
        assert getattr(parts, name).tolist() == getattr(whole, name).tolist()
    assert parts.n_tokens == whole.n_tokens
    for name in ("left_keys", "left_counts", "right_keys", "right_counts"):
        assert getattr(parts, name).tolist() == getattr(whole, name).tolist()


def test_ngrams_long_segments_are_counted_as_strings():
    # 巩固|拓展|脱贫|攻坚|成果 joined: ten characters, past the packed keys.
    texts = ["巩固拓展脱贫攻坚成果，要巩固拓展脱贫攻坚成果。", "把巩固拓展脱贫攻坚成果放在突出位置"]
    joins = ["巩固", "固拓", "拓展", "展脱", "脱贫", "贫攻", "攻坚", "坚成", "成果"]
    assert _segments(texts, joins).long is None  # only when asked for
    long = _segments(texts, joins, long_len=16).long
    assert long.words() == ["巩固拓展脱贫攻坚成果"]
    assert (long.freq.tolist(), long.docfreq.tolist()) == ([3], [2])
    left = sorted(chr(int(k) & 0xFFFF) for k in long.left_keys)  # ids back to characters
    assert [chr(ord(c) + ng.HAN_FIRST - 1) for c in left] == ["把", "要"]
    assert long.id_matrix().shape == (1, ng.MAX_LONG)
    assert "".join(chr(int(i) + ng.HAN_FIRST - 1) for i in long.id_matrix()[0] if i) == "巩固拓展脱贫攻坚成果"


def test_ngrams_merge_long_segments_equals_one_pass():
    rng = random.Random(9)
    pieces = ["巩固拓展脱贫攻坚成果", "乡村振兴", "有效衔接", "的", "同"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(2, 6))) + rng.choice("，。") for _ in range(80)]
    joins = [w[i:i + 2] for w in pieces if len(w) > 1 for i in range(len(w) - 1)]
    whole = _segments(texts, joins, long_len=16)
    parts = ng.merge_segments([_segments(texts[:23], joins, 16), _segments(texts[23:51], joins, 16),
                               _segments(texts[51:], joins, 16)])
    assert len(whole.long) > 0
    assert parts.long.words() == whole.long.words()
    for name in ("keys", "freq", "docfreq", "left_keys", "left_counts", "right_keys", "right_counts"):
        assert getattr(parts.long, name).tolist() == getattr(whole.long, name).tolist()


# ---------------------------------------------------------------- fast paths of discovery (E5 speed work)


@pytest.mark.parametrize("dtype,top", [(np.uint32, 2**31), (np.uint64, 2**48), (np.uint64, 2**64 - 1), (np.uint64, 3)])
def test_ngrams_radix_sorts_equal_numpy(dtype, top):
    rng = np.random.default_rng(7)
    for n in (0, 1, 2, 1000, 20000):
        codes = rng.integers(0, top, n, dtype=dtype, endpoint=True)
        assert np.array_equal(ng.radix_sort(codes), np.sort(codes))
        assert np.array_equal(ng.radix_argsort(codes), np.argsort(codes, kind="stable"))
        keys, counts = ng.unique_counts(codes)
        want_keys, want_counts = np.unique(codes, return_counts=True)
        assert np.array_equal(keys, want_keys) and np.array_equal(counts, want_counts) and keys.dtype == dtype


def test_ngrams_lexsort_pairs_equals_lexsort():
    rng = np.random.default_rng(8)
    for n in (0, 1, 3000):
        hi = rng.integers(0, 40, n).astype(np.uint64) << np.uint64(33)
        lo = np.where(rng.random(n) < 0.3, rng.integers(0, 2**63, n, dtype=np.uint64), 0).astype(np.uint64)
        assert np.array_equal(ng.lexsort_pairs(hi, lo), np.lexsort((lo, hi)))


@pytest.mark.parametrize("sizes", [(3000, 2500), (3000, 100), (100, 3000), (0, 50), (50, 0)])
def test_ngrams_merge_sorted_both_ways_equal_a_dict_sum(sizes):
    rng = np.random.default_rng(9)
    a, b = (np.unique(rng.integers(1, 6000, n)).astype(np.uint64) for n in sizes)
    ca, cb = (rng.integers(1, 9, len(k)).astype(np.int32) for k in (a, b))
    keys, counts = ng.merge_sorted(a, ca, b, cb)
    want: dict = {}
    for k, c in zip(np.concatenate([a, b]).tolist(), np.concatenate([ca, cb]).tolist()):
        want[k] = want.get(k, 0) + c
    assert keys.tolist() == sorted(want) and counts.tolist() == [want[k] for k in sorted(want)]
    assert keys.dtype == np.uint64 and counts.dtype == np.int32


def test_ngrams_pack_strings_and_key_pieces():
    words = ["扶贫", "精准扶贫", "建档立卡贫困户", "两不愁三保障户", "乡", "A股", "", "一二三四五六七八九"]
    hi, lo, ok = ng.pack_strings(words)
    assert ok.tolist() == [True] * 5 + [False] * 3
    assert ng.unpack_keys(hi[ok], lo[ok]) == words[:5]
    assert ng.key_lengths(hi, lo).tolist() == [2, 4, 7, 7, 1, 0, 0, 0]
    for w, h, l_ in zip(words[:4], hi, lo):
        for k in range(1, len(w)):
            assert ng.unpack_keys(*ng.key_prefix(h[None], l_[None], k)) == [w[:k]]
            assert ng.unpack_keys(*ng.key_suffix(h[None], l_[None], k)) == [w[k:]]
    table = ng.StringTable(words + ["扶贫"])
    assert sorted(table.words) == sorted(words[:5]) and len(table) == 5
    q_hi, q_lo, _ = ng.pack_strings(["乡", "脱贫", "建档立卡贫困户"])
    rows = table.rows(q_hi, q_lo)
    assert [table.words[r] if r >= 0 else None for r in rows.tolist()] == ["乡", None, "建档立卡贫困户"]
    assert not ng.StringTable([]).contains(q_hi, q_lo).any()


def test_ngrams_dense_codes_hold_every_window():
    ids, _ = ng.encode(["扶贫a脱贫攻坚", "乡村"])
    code = ng.dense_codes(ids, 4)
    for n in (2, 3, 4):
        codes, starts = ng.window_codes(ids, n)
        assert (code[starts] >> np.uint64(16 * (4 - n))).tolist() == codes.tolist()


def test_ngrams_codeset_never_holds_zero():
    assert not ng.CodeSet(np.array([5, 7], dtype=np.uint64)).contains(np.zeros(3, dtype=np.uint64)).any()
    assert not ng.CodeSet(np.zeros(0, dtype=np.uint64)).contains(np.zeros(3, dtype=np.uint64)).any()


def test_ngrams_joined_gaps_equal_python_reference():
    rng = random.Random(4)
    alphabet = "扶贫脱攻坚乡村振兴，"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(30)]
    words = {"扶贫", "脱贫", "攻坚", "乡村", "贫攻坚", "村振兴", "脱贫攻坚", "乡村振兴", "坚乡"}
    join = {n: ng.CodeSet(np.array([ng.pack(w) for w in words if len(w) == n], dtype=np.uint64)) for n in (2, 3, 4)}
    ids, _ = ng.encode(texts)
    flat = "\n".join(texts)
    want = [any(flat[s : s + n] in words for n in (2, 3, 4) for s in range(max(0, i - n + 2), i + 1))
            for i in range(len(flat) - 1)]
    assert ng.joined_gaps(ids, [join]).tolist() == want


def test_ngrams_segment_floor_drops_only_unreachable_strings():
    rng = random.Random(6)
    pieces = ["光伏", "扶贫", "车间", "产业", "村", "的", "示范", "基地"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) + rng.choice("，。") for _ in range(80)]
    joins = ["光伏", "扶贫", "车间", "产业", "示范", "基地"]
    ids, doc = ng.encode(texts)
    join = {n: ng.CodeSet(np.array([ng.pack(w) for w in joins if len(w) == n], dtype=np.uint64)) for n in (2, 3, 4)}
    tables = ng.count_ngrams(ids, 4)
    full = ng.count_segments(ids, doc, [join], 8)
    floored = ng.count_segments(ids, doc, [join], 8, floor=(tables, 6))

    def count(s):
        return int(tables[len(s)].lookup(np.array([ng.pack(s)]))[0])

    words = ng.unpack_keys(full.hi, full.lo)
    reach = [count(w[:4]) >= 6 and count(w[-4:]) >= 6 for w in words]
    assert ng.unpack_keys(floored.hi, floored.lo) == [w for w, r in zip(words, reach) if r]
    assert any(reach) and not all(reach)
    keep = np.array(reach)
    for name in ("freq", "unit", "docfreq"):
        assert getattr(floored, name).tolist() == getattr(full, name)[keep].tolist()
    # Neighbour keys: the rows renumbered, the counts those of the kept strings.
    new_row = np.cumsum(keep) - 1
    for side in ("left", "right"):
        keys, counts = getattr(full, side + "_keys"), getattr(full, side + "_counts")
        rows = (keys >> np.uint64(16)).astype(np.intp)
        kept = keep[rows]
        want = (new_row[rows[kept]].astype(np.uint64) << np.uint64(16)) | (keys[kept] & np.uint64(0xFFFF))
        assert getattr(floored, side + "_keys").tolist() == want.tolist()
        assert getattr(floored, side + "_counts").tolist() == counts[kept].tolist()


@pytest.mark.parametrize("text", ["", "扶", "扶贫", "扶贫车", "a扶贫", "扶贫车间"])
def test_ngrams_joined_gaps_of_tiny_shards(text):
    words = {"扶贫", "贫车", "扶贫车", "扶贫车间"}
    join = {n: ng.CodeSet(np.array([ng.pack(w) for w in words if len(w) == n], dtype=np.uint64)) for n in (2, 3, 4)}
    ids, _ = ng.encode([text])
    want = [any(text[s : s + n] in words for n in (2, 3, 4) for s in range(max(0, i - n + 2), i + 1))
            for i in range(len(text) - 1)]
    assert ng.joined_gaps(ids, [join]).tolist() == want
