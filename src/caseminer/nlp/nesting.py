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
default threshold of 0.9; 易地扶贫 (94 %) and 扶贫搬迁 (91 %) do not. A name in a
scope is no container: 脱贫攻坚楷模 is written after 全国 every time in the xwlb poverty
stories, and is a name all the same (``in_scope``; discovery's scopes are
``lexicon.SCOPE_QUALIFIERS``).

A second kind of fragment varies what follows it: an attribute cut off its head. A
string that ends with an adjective or a distinguishing word (建档立卡|贫困, 农村|贫困,
非|贫困) and that the texts continue as more of a word nearly every time (建档立卡贫困户,
建档立卡贫困人口, 建档立卡贫困家庭 ...: 273 occurrences in the xwlb poverty stories, none
closing) is the modifier of several terms, not one. :func:`headless` finds those from
the strings' occurrence counts and their *closing* counts (occurrences followed by a
boundary or a function character, :class:`.topicality.Topic`). A term that ends with an
attribute but is also written on its own (深度贫困: 22 of its 414 occurrences close)
stays.

Pure functions: nothing here touches disk.

Reference:
    Frantzi, K., Ananiadou, S. & Mima, H. (2000). Automatic recognition of multi-word
    terms: the C-value/NC-value method. International Journal on Digital Libraries 3(2).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..errors import InvalidInput, InvalidSetting

#: A candidate with at least this share of its occurrences inside one longer
#: candidate is a fragment of it.
FRAGMENT_SHARE = 0.9
#: A string ending with an attribute that closes (is not continued as more of a word) in
#: less than this share of its occurrences, of ``HEADLESS_MIN_COUNT`` or more, is cut off
#: its head (:func:`headless`).
HEADLESS_CLOSING = 0.03
HEADLESS_MIN_COUNT = 4


def container_shares(words: Sequence[str], counts: Sequence[int],
                     in_scope: Callable[[str, str], bool] | None = None) -> list[tuple[float, str | None]]:
    """For each ``words[i]``, the largest share ``counts[j] / counts[i]`` over the
    longer ``words[j]`` that contain it, and that container (``(0.0, None)`` if none).
    A container that ends with the word and for which ``in_scope(container, word)`` holds
    is not counted: it is the same name in a scope (全国|脱贫攻坚楷模).

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
                if in_scope is not None and start + length == n and in_scope(outer, outer[start:]):
                    continue  # the name in a scope: 全国|脱贫攻坚楷模
                share = min(1.0, counts[j] / counts[i])
                if share > best[i][0]:
                    best[i] = (share, outer)
    return best


def fragments(words: Sequence[str], counts: Sequence[int], threshold: float = FRAGMENT_SHARE,
              in_scope: Callable[[str, str], bool] | None = None) -> set[str]:
    """The ``words`` that are fragments: at least ``threshold`` of their occurrences
    lie inside one longer word of ``words`` (module docstring), not counting the word
    in a scope (``in_scope``, :func:`container_shares`)."""
    if not 0.0 < threshold <= 1.0:
        raise InvalidSetting(f"The fragment threshold must be a share in (0, 1], got {threshold}. "
                             f"The default is {FRAGMENT_SHARE}.")
    shares = container_shares(words, counts, in_scope)
    return {w for w, (share, _) in zip(words, shares) if share >= threshold}


def headless(words: Sequence[str], counts: Sequence[int], closing: Sequence[int],
             ends_with_attribute: Callable[[str], bool]) -> set[str]:
    """The ``words`` that are attributes cut off their head (module docstring): seen
    ``HEADLESS_MIN_COUNT`` times or more, closing in less than ``HEADLESS_CLOSING`` of
    them, and ending with an attribute (``ends_with_attribute``, a predicate on the string).

    >>> sorted(headless(["建档立卡贫困", "深度贫困", "扶贫车间"], [273, 414, 90], [0, 22, 1],
    ...                 lambda w: w.endswith("贫困")))
    ['建档立卡贫困']
    """
    if not len(words) == len(counts) == len(closing):
        raise InvalidInput(f"headless needs one count and one closing count per word, got {len(words)} words, "
                           f"{len(counts)} counts and {len(closing)} closing counts.")
    return {w for w, n, c in zip(words, counts, closing)
            if n >= HEADLESS_MIN_COUNT and c < HEADLESS_CLOSING * n and ends_with_attribute(w)}
