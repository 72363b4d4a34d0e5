"""Presentation helpers: highlighted case text, code colours, KWIC snippets.

The case reader shows the *original* text cut into segments at every highlight
boundary. Each segment is rendered as ``<span data-o=START>`` holding exactly
``original_text[START:END]`` (escaped by Jinja), so the browser script can turn a
selection back into original offsets: START + the code points before the caret.
A carriage return would be turned into a line feed by the HTML parser, shifting the
offsets, so every ``\\r`` becomes its own empty segment.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ..nlp.kwic import kwic, one_line

PALETTE = ("#E74C3C", "#3498DB", "#2ECC71", "#F39C12", "#9B59B6", "#1ABC9C", "#E67E22", "#34495E",
           "#D35400", "#16A085", "#C0392B", "#2980B9", "#27AE60", "#8E44AD", "#F1C40F", "#7F8C8D")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # kw | new | coding | hit | out (not analysed)
    label: str = ""
    color: str | None = None
    ref: str | int | None = None


@dataclass
class Segment:
    start: int
    text: str
    marks: list[Mark] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return sorted({m.kind for m in self.marks})

    @property
    def classes(self) -> str:
        kinds = self.kinds
        out = [f"m-{k}" for k in kinds]
        if sum(1 for m in self.marks if m.kind == "coding") > 1:
            out.append("m-multi")
        return " ".join(out)

    @property
    def color(self) -> str | None:
        codings = [m for m in self.marks if m.kind == "coding" and m.color]
        return codings[-1].color if codings else None

    @property
    def title(self) -> str:
        return " · ".join(dict.fromkeys(m.label for m in self.marks if m.label))

    @property
    def coding_ids(self) -> str:
        return " ".join(str(m.ref) for m in self.marks if m.kind == "coding")

    @property
    def is_cr(self) -> bool:
        return self.text == "\r"


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """Cut ``text`` at every mark boundary (and around every ``\\r``)."""
    n = len(text)
    marks = [m for m in marks if 0 <= m.start < m.end <= n]
    points = {0, n}
    for m in marks:
        points.update((m.start, m.end))
    for i, ch in enumerate(text):
        if ch == "\r":
            points.update((i, i + 1))
    ordered = sorted(points)
    by_start = sorted(marks, key=lambda m: (m.start, -m.end))
    out = []
    for a, b in zip(ordered, ordered[1:]):
        active = [m for m in by_start if m.start <= a and m.end >= b]
        out.append(Segment(a, text[a:b], active))
    return out


def occurrences(case, term: str) -> list[tuple[int, int]]:
    """Where ``term`` occurs in the case's analysis text, as original-text spans."""
    if not term:
        return []
    return [case.offsets.span_to_original(hit.start, hit.end) for hit in kwic(case.text, term, width=0)]


def code_colors(codebook) -> dict[str, str]:
    """A colour per code: its own if it has a valid one, else one of the palette chosen
    by the code's id, so that a code keeps its colour when the tree changes."""
    out = {}
    for code in codebook:
        if code.color and _HEX.match(code.color):
            out[code.id] = code.color
        else:
            digest = hashlib.sha1(code.id.encode("utf-8")).digest()
            out[code.id] = PALETTE[int.from_bytes(digest[:4], "big") % len(PALETTE)]
    return out


def snippet(text: str, start: int, end: int, width: int = 30) -> tuple[str, str, str]:
    """(left, hit, right) around a span, line breaks shown as spaces."""
    return (one_line(text[max(0, start - width):start]), one_line(text[start:end]),
            one_line(text[end:end + width]))


def code_options(codebook) -> list[dict]:
    """The codebook as an indented list for <select> elements and the tree."""
    return [{"id": code.id, "name": code.name, "depth": depth, "level": code.level or "free"}
            for depth, code in codebook.walk()]
