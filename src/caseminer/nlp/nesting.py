"""Fragments: candidates that are almost always part of one longer candidate.

A formula that a corpus repeats (易地扶贫搬迁, 决战决胜脱贫攻坚) leaves its pieces
behind as candidates of their own (易地扶贫, 扶贫搬迁, 决胜脱贫攻坚): they are as
cohesive as the formula and, cut out of it, often have varied neighbours, yet they
are no terms. What gives them away is where they occur: nearly every occurrence
lies inside the same longer string. The measure is the C-value idea (Frantzi,
Ananiadou & Mima 2000) reduced to its sharpest case: the share of a string's
occurrences that fall inside its most frequent longer candidate, from occurrence
counts of the strings themselves (substring counts, so that an occurrence inside
the container counts for both). A term used on its own as well (小康社会 inside
全面建成小康社会 89 % of the time, 专项扶贫 inside 专项扶贫资金 80 %) stays below the
default threshold of 0.9; 易地扶贫 (94 %) and 扶贫搬迁 (91 %) do not.

Pure functions: nothing here touches disk.

Reference:
    Frantzi, K., Ananiadou, S. & Mima, H. (2000). Automatic recognition of multi-word
    terms: the C-value/NC-value method. International Journal on Digital Libraries 3(2).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import InvalidInput, InvalidSetting

#: A candidate with at least this share of its occurrences inside one longer
#: candidate is a fragment of it.
FRAGMENT_SHARE = 0.9


def container_shares(words: Sequence[str], counts: Sequence[int]) -> list[tuple[float, str | None]]:
    """For each ``words[i]``, the largest share ``counts[j] / counts[i]`` over the
    longer ``words[j]`` that contain it, and that container (``(0.0, None)`` if none).

    ``counts`` are occurrence counts of the strings themselves (substring counts), so
    a container never occurs more often than what it contains; shares are capped at 1.
    """
    if len(words) != len(counts):
        raise InvalidInput(f"container_shares needs one count per word, got {len(words)} words and "
                           f"{len(counts)} counts. Pass the counts in the order of the words.")
    index = {w: i for i, w in enumerate(words)}
    best: list[tuple[float, str | None]] = [(0.0, None)] * len(words)
    for j, outer in enumerate(words):
        if counts[j] <= 0:
            continue
        n = len(outer)
        # Every proper substring of 2+ characters that is itself a candidate.
        for length in range(2, n):
            for start in range(n - length + 1):
                i = index.get(outer[start : start + length])
                if i is None or counts[i] <= 0:
                    continue
                share = min(1.0, counts[j] / counts[i])
                if share > best[i][0]:
                    best[i] = (share, outer)
    return best


def fragments(words: Sequence[str], counts: Sequence[int], threshold: float = FRAGMENT_SHARE) -> set[str]:
    """The ``words`` that are fragments: at least ``threshold`` of their occurrences
    lie inside one longer word of ``words`` (module docstring)."""
    if not 0.0 < threshold <= 1.0:
        raise InvalidSetting(f"The fragment threshold must be a share in (0, 1], got {threshold}. "
                             f"The default is {FRAGMENT_SHARE}.")
    return {w for w, (share, _) in zip(words, container_shares(words, counts)) if share >= threshold}
