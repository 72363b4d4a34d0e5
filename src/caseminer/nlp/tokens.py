"""The token: the unit every text stage after segmentation works on."""

from __future__ import annotations

from typing import NamedTuple


class Token(NamedTuple):
    """One word of a case's analysis text.

    ``start`` and ``end`` are character offsets (Python ``str`` indices) into the
    case's *analysis* text; ``caseminer.nlp.normalize.OffsetMap`` maps them back to
    the original text. ``pos`` is an ICTCLAS-style tag as jieba gives it; words from
    the project's discovered lexicon are tagged ``n_new`` (as NLPIR did).
    """

    word: str
    pos: str
    start: int
    end: int
