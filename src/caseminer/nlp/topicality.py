"""Topicality: how much of a term's use falls in sentences about the corpus's topic.

A corpus of policy cases or of news selected by topic mixes two vocabularies: the
topic's own terms (扶贫车间, 易地扶贫搬迁, 驻村工作队) and the register the texts are
written in (高质量发展, 全面深化改革, 习近平总书记指出). Both are over-represented
against general language, so the G² weight of :mod:`.discovery` ranks them together,
by frequency. They differ in where they are used: a topic term sits in sentences that
speak of the topic; register phrases are spread over all sentences alike.

The topic is read from the corpus itself, not given: its *seeds* are the ``k`` base-
lexicon words with the largest discovery weight (the words this corpus over-uses most
against general language; on poverty-alleviation news 脱贫, 贫困人口, 贫困地区, 精准,
攻坚, 贫困户, 帮扶 ...). Lexicon words are used because their weight contrasts them with
their own general-language frequency, while new compounds are contrasted with the
product of their parts, which favours register collocations. A term occurrence is
*on topic* when its sentence (text between 。！？； and line ends) also holds a seed
occurrence, or (``window`` w) one of the w sentences before or after it in the same text
does: a story's sentence on land reform (落实“三权分置”) follows the one on its villages'
poverty; a term that contains a seed is on topic wherever it occurs.

:class:`Topic` counts, for each term, its occurrences, its on-topic occurrences and its
*closing* occurrences, those the text does not continue as more of a word (a boundary or a
function character such as 的, 和 follows; :mod:`.nesting` reads them).
Occurrences are substring matches of Han runs, counted shard by shard with numpy (map)
and summed (merge), so the counts do not depend on sharding. Pure functions: nothing here prints or touches disk.

Related measures: topic-sensitive keyness in corpus linguistics contrasts a term's
local contexts with the whole (e.g. Gries 2008 on dispersion; Heyer et al. 2006 on
co-occurrence significance); this is the simplest such contrast, chosen because it
needs no model and no background corpus.

References:
    Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora.
    International Journal of Corpus Linguistics 13(4).
    Heyer, G., Quasthoff, U. & Wittig, T. (2006). Text Mining: Wissensrohstoff Text. W3L.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import ngrams as ng
from .lexicon import FUNCTION_CHARACTERS

#: Characters that end a sentence (Chinese and ASCII) for the on-topic test.
SENTENCE_END = "。！？；!?;\n"
#: Ids of the function characters after which an occurrence closes (what follows is no
#: more of its word: :data:`.lexicon.FUNCTION_CHARACTERS`).
_CLOSING_IDS = np.array(sorted(ord(ch) - ng.HAN_FIRST + 1 for ch in FUNCTION_CHARACTERS if ng.is_han_text(ch)),
                        dtype=np.int64)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: one sortable key per (hi, lo, hi2, lo2)
_MIX2 = np.uint64(0xC2B2AE3D27D4EB4F)


class Targets:
    """Strings of 2..16 Han characters, looked up by packed window keys (the first eight
    characters, and the rest of a longer string, each as two ``uint64``)."""

    def __init__(self, words: Sequence[str]):
        self.words = list(words)
        usable = [(i, w) for i, w in enumerate(words) if 2 <= len(w) <= ng.MAX_LONG and ng.is_han_text(w)]
        self.by_len: dict[int, tuple] = {}
        if not usable:
            return
        index = np.array([i for i, _ in usable], dtype=np.int64)
        lengths = np.array([len(w) for _, w in usable], dtype=np.int64)
        ids, _ = ng.encode([w for _, w in usable])
        starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
        keys = ng.pack_long(ids, starts, lengths)
        first = (ids[starts].astype(np.uint64) << np.uint64(ng.BITS)) | ids[starts + 1].astype(np.uint64)
        # Which lengths start with each first bigram: one lookup per window filters
        # the windows worth packing, for all lengths at once.
        self.first, inverse = np.unique(first, return_inverse=True)
        self.length_mask = np.zeros(len(self.first), dtype=np.uint32)
        np.bitwise_or.at(self.length_mask, inverse.ravel(), (1 << lengths).astype(np.uint32))
        for length in np.unique(lengths).tolist():
            m = lengths == length
            h = _hash(*(k[m] for k in keys))
            order = np.argsort(h, kind="stable")
            self.by_len[length] = (h[order], *(k[m][order] for k in keys), index[m][order])

    def starts(self, ids: np.ndarray) -> np.ndarray:
        """The start of every occurrence of any of the strings in the encoded shard ``ids``
        (:func:`.ngrams.encode`), in no particular order."""
        return self.occurrences(ids)[0]

    def occurrences(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(starts, word_index)`` of every occurrence in the encoded shard ``ids``
        (:func:`.ngrams.encode`), in no particular order."""
        return self.find(ids, _run_ends(ids))

    def find(self, ids: np.ndarray, run_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(starts, word_index)`` of every occurrence in the encoded shard ``ids``."""
        out_s, out_w = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        codes, starts = ng.window_codes(ids, 2)
        if not self.by_len or len(codes) == 0:
            return out_s[0], out_w[0]
        pos = np.minimum(np.searchsorted(self.first, codes), len(self.first) - 1)
        mask = np.where(self.first[pos] == codes, self.length_mask[pos], 0)
        keep = mask > 0
        starts, mask = starts[keep], mask[keep]
        room = run_end[starts] - starts
        for length, (h, *table, index) in self.by_len.items():
            s = starts[((mask >> np.uint32(length)) & 1).astype(bool) & (room >= length)]
            if len(s) == 0:
                continue
            keys = ng.pack_long(ids, s, np.full(len(s), length, dtype=np.int64))
            key = _hash(*keys)
            j = np.minimum(np.searchsorted(h, key), len(h) - 1)
            hit = h[j] == key
            for mine, theirs in zip(keys, table):
                hit &= theirs[j] == mine
            out_s.append(s[hit])
            out_w.append(index[j[hit]])
        return np.concatenate(out_s), np.concatenate(out_w)


def _hash(hi: np.ndarray, lo: np.ndarray, hi2: np.ndarray, lo2: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return hi ^ (lo * _MIX) ^ ((hi2 ^ (lo2 * _MIX)) * _MIX2)


def seed_words(candidates: Sequence, k: int) -> list[str]:
    """The ``k`` lexicon words with the largest weight among ``candidates`` (objects with
    ``word``, ``weight`` and ``in_lexicon``): the corpus's topic (module docstring)."""
    known = sorted((c for c in candidates if c.in_lexicon and c.weight > 0), key=lambda c: (-c.weight, c.word))
    return [c.word for c in known[:k]]


class Topic:
    """The seeds and the terms to count, prepared once for all shards."""

    def __init__(self, words: Sequence[str], seeds: Sequence[str], window: int = 0):
        self.words = list(words)
        self.seeds = list(seeds)
        self.window = window
        self._lengths = np.array([len(w) for w in self.words], dtype=np.int64)
        self._words = Targets(self.words)
        self._seeds = Targets(self.seeds)

    def count(self, texts: Sequence[str]) -> tuple[np.ndarray, ...]:
        """Count the terms in one shard of ``texts``: ``(freq, on_topic_freq, closing_freq,
        docfreq, in_seed_sentence_freq)``, arrays aligned with ``words`` (``on_topic_freq``:
        the occurrences within ``window`` sentences of a seed's; ``docfreq``: the texts holding
        the term; the last, the occurrences in a seed's own sentence, which ``on_topic_freq``
        is with ``window`` 0); add the arrays of all shards to merge.

        Example::

            >>> topic = Topic(["扶贫车间"], ["贫困户"])
            >>> f, on, closing, docs, _ = topic.count(["扶贫车间建成。扶贫车间。", "扶贫车间吸纳贫困户就业。"])
            >>> f.tolist(), on.tolist(), closing.tolist(), docs.tolist()
            ([3], [1], [1], [2])
        """
        ids, doc, ends = ng.encode_marked(texts, SENTENCE_END)
        return self.count_encoded(ids, ends, doc)

    def count_encoded(self, ids: np.ndarray, ends: np.ndarray, doc: np.ndarray) -> tuple[np.ndarray, ...]:
        """:meth:`count` of a shard already encoded by :func:`.ngrams.encode_marked`
        with :data:`SENTENCE_END` (``ends``: the positions of sentence ends; ``doc``: the
        text of each position)."""
        n = len(self.words)
        if len(ids) == 0 or n == 0:
            return tuple(np.zeros(n, np.int64) for _ in range(5))
        sentence = _sentence_of(len(ids), ends)
        run_end = _run_ends(ids)
        seed_starts, _ = self._seeds.find(ids, run_end)
        on_sentence = np.zeros(int(sentence[-1]) + 1, dtype=bool)
        on_sentence[sentence[seed_starts]] = True
        near = _near(on_sentence, sentence, doc, self.window) if self.window else on_sentence
        starts, which = self._words.find(ids, run_end)
        on, own = near[sentence[starts]], on_sentence[sentence[starts]]
        # The run ends right after the occurrence, or a function character follows.
        after = starts + self._lengths[which]
        closing = after >= run_end[starts]
        inside = np.flatnonzero(~closing)
        closing[inside] = np.isin(ids[after[inside]], _CLOSING_IDS)
        held = np.unique(doc[starts] * n + which) % n  # each (text, term) once
        freq, on_freq, closing_freq, own_freq = (np.bincount(which[m], minlength=n).astype(np.int64)
                                                 for m in (slice(None), on, closing, own))
        return freq, on_freq, closing_freq, np.bincount(held, minlength=n).astype(np.int64), own_freq


def seed_company(seeds: Sequence[str], texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``seeds``: the sentences of ``texts`` that hold it, and those of them that
    hold another seed too, at a place that does not overlap it (贫困 inside 贫困人口 is no
    company; 脱贫 and 攻坚 in 脱贫攻坚 are). Add the arrays of all shards to merge.

    Whether the seeds make a topic: a topic's words are used together (脱贫, 贫困户, 帮扶
    share most of their sentences), while the words a genre over-uses everywhere (服务体系,
    依法行政, 城市更新 in all the provinces' work reports) each stand in their own.

    Example::

        >>> held, company = seed_company(["脱贫", "帮扶", "贫困"], ["脱贫靠帮扶。贫困户脱贫。帮扶。"])
        >>> held.tolist(), company.tolist()
        ([2, 2, 1], [2, 1, 1])
    """
    ids, _, ends = ng.encode_marked(texts, SENTENCE_END)
    return seed_company_encoded(Targets(seeds), len(seeds), ids, ends)


def seed_company_encoded(seeds: Targets, n_seeds: int, ids: np.ndarray,
                         ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`seed_company` of a shard encoded by :func:`.ngrams.encode_marked` with
    :data:`SENTENCE_END`, the seeds prepared as :class:`Targets`."""
    held, company = np.zeros(n_seeds, np.int64), np.zeros(n_seeds, np.int64)
    if len(ids) == 0 or n_seeds == 0:
        return held, company
    sentence = _sentence_of(len(ids), ends)
    starts, which = seeds.find(ids, _run_ends(ids))
    if len(starts) == 0:
        return held, company
    order = np.lexsort((starts, sentence[starts]))
    starts, which, sent = starts[order], which[order], sentence[starts[order]]
    lengths = np.array([len(w) for w in seeds.words], dtype=np.int64)[which]
    # each (sentence, seed) once for the sentences that hold it
    pairs = np.unique(sent * n_seeds + which)
    held += np.bincount(pairs % n_seeds, minlength=n_seeds)
    # only sentences with two different seeds can give company: read those one by one
    first = np.flatnonzero(np.r_[True, sent[1:] != sent[:-1]])
    last = np.r_[first[1:], len(sent)]
    for a, b in zip(first.tolist(), last.tolist()):
        if b - a < 2 or (which[a:b] == which[a]).all():
            continue
        occ = list(zip(starts[a:b].tolist(), (starts[a:b] + lengths[a:b]).tolist(), which[a:b].tolist()))
        kept = {w for s, e, w in occ
                if any(w2 != w and (e2 <= s or e <= s2) for s2, e2, w2 in occ)}
        for w in kept:
            company[w] += 1
    return held, company


def _sentence_of(size: int, ends: np.ndarray) -> np.ndarray:
    """The sentence of each of ``size`` positions, given the positions of the sentence ends."""
    at_end = np.zeros(size, dtype=np.int64)
    at_end[ends] = 1
    return np.cumsum(at_end)


def _near(on_sentence: np.ndarray, sentence: np.ndarray, doc: np.ndarray, window: int) -> np.ndarray:
    """The sentences within ``window`` sentences of one in ``on_sentence`` in the same text
    (``sentence`` and ``doc``: each position's sentence and text)."""
    # A text's end is a sentence end (texts are joined by line ends), so a sentence holds one
    # text's characters and, first, perhaps the line end before them: the larger index is its text.
    text_of = np.full(len(on_sentence), -1, dtype=np.int64)
    np.maximum.at(text_of, sentence, doc)
    near = on_sentence.copy()
    for k in range(1, window + 1):
        same = text_of[k:] == text_of[:-k]
        near[k:] |= on_sentence[:-k] & same  # after a sentence on topic
        near[:-k] |= on_sentence[k:] & same  # before one
    return near


def _run_ends(ids: np.ndarray) -> np.ndarray:
    """For every position, the index just past the Han run it belongs to."""
    size = len(ids)
    boundary = np.flatnonzero(ids == 0)
    if not len(boundary):  # one text of Han characters alone
        return np.full(size, size, dtype=np.int64)
    nxt = np.searchsorted(boundary, np.arange(size))
    return np.where(nxt < len(boundary), boundary[np.minimum(nxt, len(boundary) - 1)], size)
