"""Markup in imported texts: HTML tags and entities, Markdown images and links, LaTeX formulas.

Case texts converted from PDF by layout tools (MinerU, Marker, pandoc) arrive as Markdown with
tables in HTML (``<table><tr><td>指标</td><td>2016年</td>...``), figures as image links
(``![](images/3f...jpg)``) and formulas in LaTeX (``$5 0 \\mathrm { t } / ( \\mathrm { k m } ^ {
2 } )$``); web pages saved as text keep tags and entities (``&nbsp;``). None of it is the
case's language: read as text, a table's cells run together into one "sentence"
(国内生产总值74.4万亿农村贫困人口减少), and ``mathrm`` and ``td`` become words.

:func:`markup_spans` finds that markup and says what the analysis text holds in its place
(:func:`caseminer.nlp.normalize.normalise` applies it; the original text keeps everything):

* a table cell's end becomes a tab and a row's end or a block's (``</tr>``, ``<p>``, ``<br>``)
  a line break, as a Word table is read, so cells stay apart; other tags, HTML comments and
  image links are left out; an entity becomes its character (``&amp;`` -> ``&``);
* a Markdown link keeps its words and drops its address (``[扶贫政策](http://...)``), a
  heading its words and not its ``#``;
* a formula becomes plain text, as it reads (:func:`formula_text`: ``50t/(km²·a)``, ``42%``,
  ``93°28′``): spaces are no part of LaTeX's math, commands of symbols become the symbols,
  commands of fonts keep their argument. (The analysis text then folds compatibility
  characters as it does everywhere: km² reads km2 there.)

Only what cannot be prose counts as markup: a tag is ``<`` followed by the name of an HTML
element (``<5%`` and ``>240万`` stay), and a formula is ``$...$`` on one line (or ``$$...$$``)
holding a LaTeX command, a brace, ``^`` or ``_``, or only ASCII with no space inside either
dollar sign (``$F$``, ``$( T Q )$``; prices in dollars, ``$5和$6``, ``$5 and $6``, stay).
"""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["Markup", "formula_text", "markup_counts", "markup_spans"]


@dataclass(frozen=True)
class Markup:
    """A span ``[start, end)`` of the original and what the analysis text holds instead."""

    start: int
    end: int
    replacement: str
    kind: str  # "tag", "comment", "entity", "image", "link", "formula", "heading"


# Elements whose end separates cells of a table row, and those that end a line (block elements).
_CELL_TAGS = frozenset({"td", "th"})
_BLOCK_TAGS = frozenset("""
address article aside blockquote body br caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5
h6 header hr html li main nav ol p pre section table tbody tfoot thead title tr ul""".split())
_INLINE_TAGS = frozenset("""
a abbr b bdi bdo big cite code col colgroup del dfn em font head i img input ins kbd label mark meta
link q s samp script small span strike strong style sub sup svg time tt u var wbr""".split())
_HTML_TAGS = _CELL_TAGS | _BLOCK_TAGS | _INLINE_TAGS

_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# the contents of these are no text at all
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,30});")
_HEADING = re.compile(r"^#{1,6}[ \t]+(?=\S)", re.M)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|www\.|/|\./|#)[^)\s]*)(?:\s+\"[^\"\n]*\")?\)")
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$([^$\n]+?)\$(?!\$)")
_MATH_SIGN = re.compile(r"\\[A-Za-z%$&#_{}]|[{}^_]")
# ASCII only, no space inside either dollar sign: $F$, $( T Q )$
_PLAIN_MATH = re.compile(r"[\x21-\x7e][\x21-\x7e ]*[\x21-\x7e]|[\x21-\x7e]")


def markup_spans(text: str) -> list[Markup]:
    """The markup of ``text``, ascending and disjoint (module docstring)."""
    found: list[Markup] = []
    for m in _SCRIPT.finditer(text):
        found.append(Markup(m.start(), m.end(), "", "tag"))
    for m in _COMMENT.finditer(text):
        found.append(Markup(m.start(), m.end(), "", "comment"))
    for m in _DISPLAY_MATH.finditer(text):
        found.append(Markup(m.start(), m.end(), "\n" + formula_text(m.group(1)) + "\n", "formula"))
    for m in _INLINE_MATH.finditer(text):
        if _MATH_SIGN.search(m.group(1)) or _PLAIN_MATH.fullmatch(m.group(1)):
            found.append(Markup(m.start(), m.end(), formula_text(m.group(1)), "formula"))
    for m in _HEADING.finditer(text):
        found.append(Markup(m.start(), m.end(), "", "heading"))
    for m in _IMAGE.finditer(text):
        found.append(Markup(m.start(), m.end(), "", "image"))
    for m in _LINK.finditer(text):
        found.append(Markup(m.start(), m.start() + 1, "", "link"))  # "[" before the words
        found.append(Markup(m.end(1), m.end(), "", "link"))  # "](address)" after them
    for m in _TAG.finditer(text):
        name = m.group(1).lower()
        if name in _HTML_TAGS:
            found.append(Markup(m.start(), m.end(), _tag_replacement(name, m.group(0)), "tag"))
    for m in _ENTITY.finditer(text):
        char = html.unescape(m.group(0))
        if char != m.group(0):  # a known entity
            found.append(Markup(m.start(), m.end(), " " if char == "\xa0" else char, "entity"))
    # where two overlap, the kind of higher priority wins, then the earlier and longer span
    # (a formula in a tag's attribute, a link in a comment, $$...$$ over the $...$ inside it)
    found.sort(key=lambda s: (_PRIORITY[s.kind], s.start, -s.end))
    starts: list[int] = []  # of the spans kept, ascending; they are disjoint
    kept: list[Markup] = []
    for span in found:
        k = bisect.bisect_right(starts, span.start)
        if (k > 0 and kept[k - 1].end > span.start) or (k < len(kept) and kept[k].start < span.end):
            continue
        starts.insert(k, span.start)
        kept.insert(k, span)
    return kept


_PRIORITY = {"tag": 0, "comment": 0, "formula": 1, "image": 2, "link": 3, "entity": 4, "heading": 5}


def _tag_replacement(name: str, tag: str) -> str:
    closing = tag.startswith("</")
    if name in _CELL_TAGS:
        return "\t" if closing else ""
    if name in _BLOCK_TAGS:
        return "\n"
    return ""


def markup_counts(spans: list[Markup]) -> Counter:
    """How many spans of each kind (a link counts once, not by its two parts)."""
    counts = Counter(span.kind for span in spans)
    if counts["link"]:
        counts["link"] //= 2
    return +counts


# LaTeX commands that stand for a character.
_SYMBOLS = {
    "%": "%", "$": "$", "&": "&", "#": "#", "_": "_", "{": "{", "}": "}", ",": "", ";": "", "!": "", ":": "",
    " ": "", "circ": "°", "degree": "°", "prime": "′", "cdot": "·", "times": "×",
    "div": "÷", "pm": "±", "mp": "∓", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "leqslant": "≤",
    "geqslant": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "~", "simeq": "≃", "equiv": "≡", "propto": "∝",
    "infty": "∞", "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "leftrightarrow": "↔",
    "ldots": "…", "cdots": "…", "dots": "…", "sqrt": "√", "sum": "∑", "prod": "∏", "int": "∫", "partial": "∂",
    "nabla": "∇", "in": "∈", "notin": "∉", "subset": "⊂", "cup": "∪", "cap": "∩", "forall": "∀", "exists": "∃",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ",
    "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ",
    "Omega": "Ω", "ln": "ln", "log": "log", "exp": "exp", "max": "max", "min": "min", "lim": "lim",
}
_COMMAND = re.compile(r"\\([A-Za-z]+|.?)", re.S)
# an environment's frame, and an array's or a table's column layout: no text
_ENVIRONMENT = re.compile(r"\\(?:begin\s*\{\s*(?:array|tabular)\s*\}\s*\{[^{}]*\}|(?:begin|end)\s*\{[^{}]*\})")
_SUPERSCRIPT = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
_SIMPLE_SUPERSCRIPT = re.compile(r"\^\s*(?:\{\s*([0-9+\-](?:\s*[0-9])*)\s*\}|([0-9]))")
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_SPACE_COMMANDS = re.compile(r"\\(?:quad|qquad)\b")
_OPERATOR = re.compile(r"[-+*/·×]|\\[A-Za-z]")


def formula_text(latex: str) -> str:
    """A LaTeX formula as plain text, as it reads: ``5 0 \\mathrm { t } / ( \\mathrm { k m } ^ { 2 } )``
    -> ``50t/(km²)``; ``42 \\%`` -> ``42%``; ``\\frac { a } { b }`` -> ``a/b``. Font and text
    commands keep their argument, other unknown commands are dropped, spaces go (they are
    no part of math mode, nor is ``~``) except those of ``\\quad``."""
    s = _ENVIRONMENT.sub("", latex)
    s = _SIMPLE_SUPERSCRIPT.sub(lambda m: re.sub(r"\s", "", m.group(1) or m.group(2)).translate(_SUPERSCRIPT),
                                s)
    for _ in range(3):  # nested fractions, innermost first
        s = _FRAC.sub(lambda m: "/".join(f"({part})" if _OPERATOR.search(part) else part for part in m.groups()), s)
    s = _SPACE_COMMANDS.sub("\x00", s)
    s = _COMMAND.sub(lambda m: _SYMBOLS.get(m.group(1), ""), s)
    s = re.sub(r"[{}^_~\s]", "", s).replace("\x00", " ")
    return re.sub(r" {2,}", " ", s).strip()
