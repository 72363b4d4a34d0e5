"""The occurrences a list shows: what a reader counts with Find in the texts."""

import random

from caseminer.nlp.occurrences import count_in_text, count_occurrences


def _find_all(text: str, word: str) -> int:
    n, at = 0, text.find(word)
    while word and at >= 0:
        n += 1
        at = text.find(word, at + 1)
    return n


def _reference(texts, words):
    freq = [sum(_find_all(t, w) for t in texts) for w in words]
    docfreq = [sum(bool(w) and w in t for t in texts) for w in words]
    return freq, docfreq


def test_occurrences_are_positions_in_the_texts_and_the_texts_that_hold_them():
    texts = ["脱贫攻坚，脱贫。", "打赢脱贫攻坚战", "哈哈哈", ""]
    words = ["脱贫", "脱贫攻坚战", "哈哈", "攻坚", "战", "不存在", ""]
    freq, docfreq = count_occurrences(texts, words)
    # overlapping occurrences count (哈哈 twice in 哈哈哈); a string is never found across
    # two texts; an empty string occurs nowhere
    assert freq.tolist() == [3, 1, 2, 2, 1, 0, 0]
    assert docfreq.tolist() == [2, 1, 1, 2, 1, 0, 0]
    assert count_in_text("哈哈哈", ["哈哈", "哈", ""]) == [2, 3, 0]


def test_occurrences_equal_a_search_on_random_texts_whatever_the_chunks():
    rng = random.Random(7)
    alphabet = "脱贫攻坚战乡村振兴产业扶"
    texts = ["".join(rng.choice(alphabet + "，a1") for _ in range(rng.randint(0, 80))) for _ in range(200)]
    words = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 18))) for _ in range(300)})
    # strings of 9-16 characters taken from the texts (the long path), strings with digits or
    # Latin letters (the search path), and a string given twice
    words += [t[2:14] for t in texts[:40] if len(t) > 14] + ["a1", "1脱", "脱贫", "脱贫"]
    expected = _reference(texts, words)
    for chunk_chars in (10, 300, 10**6):
        freq, docfreq = count_occurrences(texts, words, chunk_chars=chunk_chars)
        assert (freq.tolist(), docfreq.tolist()) == expected
    assert any(f > 0 for f, w in zip(expected[0], words) if len(w) > 8)
