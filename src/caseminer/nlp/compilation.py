"""One document that holds many cases: a compilation (案例汇编) cut at its case headings.

Case collections reach researchers as one Word file or PDF (典型案例汇编, a book of
cases): 案例一 …, 案例二 …, each with its own title and body. A heading line starts a
case and becomes its title; the case runs to the next heading. What comes before the
first heading (a preface, 目录) is no case, and neither is a heading with no body after
it (an entry of the table of contents, 案例一 ……… 3): both are left out and reported.

A pure function of the text: the pieces are spans of it, so offsets into each case's
original text are offsets into the document shifted by the piece's start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["CASE_HEADINGS", "Piece", "heading_pattern", "split_compilation"]

#: The preset ``cases``: lines that open with 案例 and its number, as compilations number
#: their cases (案例一, 案例 12, 【案例3】, 典型案例之五, 案例二十一：...).
CASE_HEADINGS = (r"^[ \t\u3000]*[【\[（(]?[ \t\u3000]*(?:典型)?案例[ \t\u3000]*之?[ \t\u3000]*"
                 r"(?:[0-9０-９]{1,3}|[一二三四五六七八九十百零〇两]{1,4})"
                 r"(?:[ \t\u3000]*[】\]）)]|(?=[:：.．、 \t\u3000]|$))")
#: Least characters of Chinese or letters a case's body needs after its heading; a shorter
#: one is an entry of a table of contents (案例一 宁川县…… 3).
MIN_BODY_CHARS = 20


class Piece(NamedTuple):
    """One case of a compilation: ``text[start:end]`` of the document, its heading line as
    ``title`` and the 1-based ``line`` the heading is on."""

    start: int
    end: int
    title: str
    line: int


def heading_pattern(spec: str) -> re.Pattern[str]:
    """The compiled pattern of ``--split-at``: ``cases`` (:data:`CASE_HEADINGS`) or a regular
    expression a heading line starts with. Raises ``re.error`` for a bad expression."""
    return re.compile(CASE_HEADINGS if spec == "cases" else spec, re.MULTILINE)


def split_compilation(text: str, pattern: re.Pattern[str],
                      skip: Sequence[tuple[int, int]] = ()) -> tuple[list[Piece], list[tuple[int, int]]]:
    """``(pieces, left_out)``: the cases of ``text`` cut at the lines ``pattern`` matches at
    their start, and the spans left out (before the first heading; headings with too short a
    body). No heading at all: no pieces, nothing left out. A match inside one of the ``skip``
    spans is no heading: a PDF's running heads (案例三 临湍县…… atop every page of the case).

    Example::

        >>> text = "目录\\n案例一 甲县 …… 3\\n案例一：甲县\\n甲县建设扶贫车间，带动农户就业增收，成效明显。\\n"
        >>> pieces, left = split_compilation(text, heading_pattern("cases"))
        >>> [(p.title, p.line) for p in pieces], left
        ([('案例一：甲县', 3)], [(0, 15)])
    """
    starts = []
    for m in pattern.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start:m.start()].strip():  # the pattern matched inside a line
            continue
        if any(a <= m.start() < b for a, b in skip):
            continue
        if not starts or starts[-1] != line_start:
            starts.append(line_start)
    if not starts:
        return [], []
    pieces, left_out = [], []
    if text[:starts[0]].strip():
        left_out.append((0, starts[0]))
    bounds = [*starts, len(text)]
    for start, end in zip(bounds, bounds[1:]):
        line_end = text.find("\n", start, end)
        line_end = end if line_end < 0 else line_end
        title = text[start:line_end].strip()
        if _content_chars(text[line_end:end]) < MIN_BODY_CHARS:  # 案例一 宁川县…… 3 in the 目录
            left_out.append((start, end))
            continue
        pieces.append(Piece(start, end, title, text.count("\n", 0, start) + 1))
    return pieces, _merged(left_out)


_CONTENT = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]")


def _content_chars(s: str) -> int:
    return len(_CONTENT.findall(s))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out
