"""How often strings occur in texts, and in how many: the ``freq`` and ``docfreq`` a list shows.

Discovery weighs its own counts (occurrences as a word of its cut, :mod:`.discovery`
step 4), which differ from what a researcher counts with Find: 新型城镇化 may be a word
of the cut twice in a report that writes it eight times. The lists show the count a
reader can check: the positions where the string starts in the texts (overlapping
occurrences count, as 哈哈 twice in 哈哈哈; for terms the two counts are the same) and
the number of texts holding it.

Strings of 2-16 Han characters are found by packed window keys
(:class:`.topicality.Targets`, vectorised: no Python loop per character), ``chunk_chars``
characters of text at a time, so memory stays bounded on any corpus; other strings
(one character, digits, Latin letters) with ``str.find``. A pure function.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from . import ngrams as ng
from .topicality import Targets

#: Characters of text read at a time (about 40 bytes of arrays per character).
CHUNK_CHARS = 2_000_000


def count_occurrences(texts: Sequence[str], words: Sequence[str], *,
                      chunk_chars: int = CHUNK_CHARS) -> tuple[np.ndarray, np.ndarray]:
    """``(freq, docfreq)``: for each of ``words``, the number of positions where it starts
    in ``texts`` and the number of texts holding it (int64 arrays in the order of ``words``;
    an empty string occurs nowhere).

    Example::

        >>> freq, docfreq = count_occurrences(["脱贫攻坚，脱贫", "攻坚战"], ["脱贫", "攻坚", "脱贫攻坚战"])
        >>> freq.tolist(), docfreq.tolist()
        ([2, 2, 0], [1, 2, 0])
    """
    unique = sorted(set(words))
    freq = np.zeros(len(unique), dtype=np.int64)
    docfreq = np.zeros(len(unique), dtype=np.int64)
    packed = [i for i, w in enumerate(unique) if 2 <= len(w) <= ng.MAX_LONG and ng.is_han_text(w)]
    if packed and texts:
        targets = Targets([unique[i] for i in packed])
        rows = np.array(packed, dtype=np.int64)
        for chunk in _chunks(texts, chunk_chars):
            ids, doc = ng.encode(chunk)
            starts, which = targets.occurrences(ids)
            freq[rows] += np.bincount(which, minlength=len(packed))
            held = np.unique(doc[starts] * len(packed) + which)  # each (text, string) once
            docfreq[rows] += np.bincount(held % len(packed), minlength=len(packed))
    for i in sorted(set(range(len(unique))) - set(packed)):  # no packed key stands for these
        if unique[i]:
            held = [_find_all(text, unique[i]) for text in texts if unique[i] in text]
            freq[i], docfreq[i] = sum(held), len(held)
    index = {w: i for i, w in enumerate(unique)}
    back = np.array([index[w] for w in words], dtype=np.int64)
    return freq[back], docfreq[back]


def count_in_text(text: str, words: Sequence[str]) -> list[int]:
    """The number of positions where each of ``words`` starts in one ``text`` (as
    :func:`count_occurrences` counts them): a case's list, a few strings in one text."""
    return [_find_all(text, w) if w else 0 for w in words]


def _chunks(texts: Sequence[str], chunk_chars: int) -> Iterator[Sequence[str]]:
    start, size = 0, 0
    for i, text in enumerate(texts):
        size += len(text) + 1
        if size >= chunk_chars:
            yield texts[start : i + 1]
            start, size = i + 1, 0
    if start < len(texts):
        yield texts[start:]


def _find_all(text: str, word: str) -> int:
    n, at = 0, text.find(word)
    while at >= 0:
        n += 1
        at = text.find(word, at + 1)
    return n
