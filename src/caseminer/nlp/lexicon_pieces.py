"""Pieces of known words: candidates the texts write only inside longer words of the base lexicon.

Step 5 drops a candidate that nearly always lies inside one longer *candidate*
(:mod:`.nesting`). A string can also lie inside several longer words that the base
lexicon already knows, none of them a candidate of its own: 斯坦 inside 巴基斯坦,
巴勒斯坦, 哈萨克斯坦 and 乌兹别克斯坦 (311 occurrences in 4,000 CCTV stories, every one
inside one of them), 委书记 inside 省委书记, 县委书记 and 党委书记, 共产 inside 中国共产党
and 共产主义, 水县 inside 柞水县 and 曲水县. Discovery's own cut splits those words where
their characters part ways, so the piece is counted, and no single container holds
90 % of it: 斯坦 was first in two stories' own lists. Such a string is no new word: the
lexicon's longer words are the words. A string the texts also write on their own keeps
every occurrence that no longer lexicon word covers, and stays.

An occurrence is inside a longer word when a word of the lexicon that starts at or before
it and ends at or after it, and is not the string itself, covers it. Read in six projects
(2,962 poverty stories, 4,000 general CCTV stories, the provincial and national government
work reports, Shanghai's reports, the Party congress reports), the 85 strings this finds
among their listed candidates are no domain-list term and no reader's keyword; those the
helpers had judged were labelled fragment, general word or register phrase.

Pure functions over texts and encoded shards: nothing here touches disk.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from . import ngrams as ng
from .topicality import Targets

#: A candidate with at least this share of its occurrences inside longer lexicon words
#: is a piece of them (the share of :data:`.nesting.FRAGMENT_SHARE`).
PIECE_SHARE = 0.9


class Containers:
    """The words of ``lexicon`` (frequency above 0) that can hold a piece: three Han
    characters or more. Build it once per lexicon (jieba's: 222,000 words, 0.5 s)."""

    def __init__(self, lexicon: Mapping[str, int]):
        words = [w for w, f in lexicon.items() if f > 0 and len(w) >= 3 and ng.is_han_text(w)]
        self.targets = Targets(words)
        self.lengths = np.array([len(w) for w in words], dtype=np.int64)


class PieceCounter:
    """The occurrences of ``words`` and those inside a longer word of ``known``
    (:class:`Containers`), counted a shard at a time; add the shards' arrays to merge."""

    def __init__(self, words: Sequence[str], known: Containers):
        self.words = list(words)
        self._lengths = np.array([len(w) for w in self.words], dtype=np.int64)
        self._words, self._known = Targets(self.words), known

    def count(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(occurrences, inside)`` of each word in ``texts``, arrays aligned with ``words``.

        >>> from caseminer.nlp.lexicon_pieces import Containers, PieceCounter
        >>> counter = PieceCounter(["斯坦", "扶贫"], Containers({"巴基斯坦": 3, "哈萨克斯坦": 2, "扶贫办": 1}))
        >>> n, inside = counter.count(["巴基斯坦和哈萨克斯坦", "斯坦。扶贫办、扶贫车间"])
        >>> n.tolist(), inside.tolist()
        ([3, 2], [2, 1])
        """
        return self.count_encoded(ng.encode(texts)[0])

    def count_encoded(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`count` of a shard already encoded by :func:`.ngrams.encode`."""
        n = len(self.words)
        if len(ids) == 0 or n == 0:
            return np.zeros(n, np.int64), np.zeros(n, np.int64)
        # the end of the longest known word from each position, and the farthest end of a
        # known word starting before it
        starts, which = self._known.targets.occurrences(ids)
        longest = np.arange(len(ids), dtype=np.int64)
        np.maximum.at(longest, starts, starts + self._known.lengths[which])
        before = np.concatenate([[0], np.maximum.accumulate(longest)[:-1]])
        at, word = self._words.occurrences(ids)
        end = at + self._lengths[word]
        inside = (before[at] >= end) | (longest[at] > end)
        return (np.bincount(word, minlength=n).astype(np.int64),
                np.bincount(word[inside], minlength=n).astype(np.int64))


def pieces(words: Sequence[str], occurrences: Sequence[int], inside: Sequence[int],
           share: float = PIECE_SHARE) -> set[str]:
    """The ``words`` whose occurrences lie inside longer lexicon words in at least ``share``
    of them (the counts of :class:`PieceCounter`, summed over the shards).

    >>> sorted(pieces(["斯坦", "贫困户"], [311, 900], [311, 12]))
    ['斯坦']
    """
    return {w for w, n, k in zip(words, occurrences, inside) if n and k >= share * n}
