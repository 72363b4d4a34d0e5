"""Keyword in context (KWIC): every occurrence of a term with a few characters either side.

A concordance line is what a researcher reads to judge whether a keyword means
what it seems to mean in this case; caseminer shows one next to every keyword
and review decision (issue 4).

References:
    Luhn, H. P. (1960). Key word-in-context index for technical literature.
    American Documentation 11(4), 288-295.
"""

from __future__ import annotations

from typing import NamedTuple

from ..errors import InvalidInput

__all__ = ["Concordance", "kwic", "one_line"]

# Line breaks inside a context would break one-line displays (CLI tables, the
# workbench's keyword list), so they are shown as a space.
_FLATTEN = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def one_line(context: str) -> str:
    """``context`` with its line breaks and tabs (a table's cells) shown as spaces."""
    return context.translate(_FLATTEN)


class Concordance(NamedTuple):
    """One occurrence of ``term``: ``text[start:end] == term``.

    ``left`` and ``right`` are up to ``width`` characters of context, line breaks
    shown as spaces. ``str(c)`` gives ``left【term】right``.
    """

    left: str
    term: str
    right: str
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.left}【{self.term}】{self.right}"


def kwic(text: str, term: str, width: int = 10, limit: int | None = None) -> list[Concordance]:
    """The occurrences of ``term`` in ``text``, in order, each with its context.

    Occurrences do not overlap (search resumes after each match), so
    ``len(kwic(text, term))`` is the term's frequency as ``str.count`` gives it.

    Args:
        text: the case's analysis text (offsets refer to it).
        term: the exact string to find; must be non-empty.
        width: characters of context on each side (>= 0).
        limit: stop after this many occurrences (None: all).

    Returns:
        A list of :class:`Concordance` (empty if ``term`` does not occur).

    Example::

        >>> [str(c) for c in kwic("建设扶贫车间，扶贫车间吸纳就业", "扶贫车间", width=2)]
        ['建设【扶贫车间】，扶', '间，【扶贫车间】吸纳']
    """
    if not isinstance(term, str) or not term:
        raise InvalidInput(
            f"kwic needs a non-empty term to look for, got {term!r}. "
            "Pass the keyword exactly as it appears in the text."
        )
    if not isinstance(width, int) or isinstance(width, bool) or width < 0:
        raise InvalidInput(f"kwic width must be a whole number >= 0, got {width!r}.")
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise InvalidInput(f"kwic limit must be None or a whole number >= 0, got {limit!r}.")
    out: list[Concordance] = []
    pos = text.find(term)
    while pos != -1 and (limit is None or len(out) < limit):
        end = pos + len(term)
        left = one_line(text[max(0, pos - width) : pos])
        right = one_line(text[end : end + width])
        out.append(Concordance(left, term, right, pos, end))
        pos = text.find(term, end)
    return out
