"""The lexical side of auto-coding: each code's evidence terms and the scan of a text.

Split from :mod:`caseminer.coding.autocode` (which documents the whole method): the
code table (names cleaned, the codebook's terms, the shipped related terms, thesaurus
variants, two-character pieces of names), a leftmost-longest scan of a text for all
terms, and gapped-name matches (防贫预警 finds 防贫监测预警).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InvalidInput

LEVELS = ("selective", "axial", "open")

# Source weights of lexical evidence (why: a code's own name and its listed terms are
# direct evidence; a gapped name is nearly as good; a single piece of a name, e.g.
# 预警 of 防贫预警, is a weak hint).
SOURCE_WEIGHTS = {"name": 1.0, "term": 1.0, "related": 1.0, "thesaurus": 1.0, "gapped": 0.8}
_GAP = r"[^。！？!?；;，,\n]{0,3}"


@dataclass(frozen=True)
class CodeSpec:
    """One code as auto-coding needs it.

    ``level`` is ``selective``, ``axial``, ``open`` or ``None`` (inferred from the
    depth: roots selective, leaves open, the rest axial).
    """

    id: str
    name: str
    level: str | None = None
    parent_id: str | None = None
    description: str = ""
    terms: tuple[str, ...] = ()



@lru_cache(maxsize=8)
def load_related_terms(source: str = "builtin") -> dict[str, tuple[str, ...]]:
    """Related terms by code name: ``builtin``, ``none`` or a YAML file path."""
    import yaml

    if source == "none":
        return {}
    if source == "builtin":
        text = resources.files("caseminer").joinpath("data", "autocode", "related_terms.yaml")
        text = text.read_text(encoding="utf-8")
        where = "the built-in related_terms.yaml"
    else:
        path = Path(source)
        if not path.is_file():
            raise InvalidInput(
                f"The related_terms file {source!r} does not exist. Give a YAML file "
                "with 'terms: {code name: [term, ...]}', or 'builtin' or 'none'.",
                code="E201",
            )
        text, where = path.read_text(encoding="utf-8"), str(path)
    data = yaml.safe_load(text) or {}
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, dict):
        raise InvalidInput(
            f"{where}: expected a mapping 'terms: {{code name: [term, ...]}}' at the top "
            "level. Fix the file (see the header of the built-in one).",
            code="E201",
        )
    out = {}
    for name, items in terms.items():
        if not isinstance(items, list) or not all(isinstance(t, str) for t in items):
            raise InvalidInput(
                f"{where}: the entry {name!r} must be a list of terms (strings). "
                "Write it as 名称: [词一, 词二].",
                code="E201",
            )
        out[str(name)] = tuple(t.strip() for t in items if t.strip())
    return out



# -- the code table ---------------------------------------------------------------


def _resolve_levels(codes: Sequence[CodeSpec]) -> dict[str, str]:
    """Level of every code; ``None`` levels inferred from the tree."""
    ids = {c.id for c in codes}
    if len(ids) != len(codes):
        raise InvalidInput("The codebook has duplicate code ids; give every code its own id.",
                           code="E401")
    kids = defaultdict(list)
    for c in codes:
        if c.parent_id is not None and c.parent_id not in ids:
            raise InvalidInput(
                f"Code {c.name!r} names a parent {c.parent_id!r} that is not in the "
                "codebook. Import the whole codebook, or make the code a top-level code.",
                code="E401",
            )
        kids[c.parent_id].append(c.id)
    levels = {}
    for c in codes:
        if c.level in LEVELS:
            levels[c.id] = c.level
        elif c.level is None:
            levels[c.id] = ("selective" if c.parent_id is None
                            else "open" if not kids.get(c.id) else "axial")
        else:
            raise InvalidInput(
                f"Code {c.name!r} has level {c.level!r}; use selective, axial, open or none.",
                code="E401",
            )
    return levels


_NUMBERING = re.compile(r"^(?:[0-9０-９]+(?:[.．][0-9０-９]+)*[.．、)）]?|[一二三四五六七八九十]+[、.．]"
                        r"|[(（][0-9一二三四五六七八九十]+[)）])\s*")
_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")


def clean_name(name: str) -> str:
    """A code name as it can occur in a text: without numbering, bracketed notes
    (roles such as （基础）) and spaces.

    >>> clean_name("1.1 实施动态监测"), clean_name("落实防贫保障（基础）")
    ('实施动态监测', '落实防贫保障')
    """
    cleaned = _BRACKETS.sub("", _NUMBERING.sub("", name.strip()))
    cleaned = re.sub(r"\s+", "", cleaned)
    return cleaned or name.strip()


def _name_pieces(name: str) -> list[str]:
    """Two-character pieces of a 4+ character name (防贫预警 -> 防贫, 预警;
    乡村振兴衔接 -> 乡村, 振兴, 衔接; 5 characters: 2 + 3)."""
    if len(name) < 4 or not re.fullmatch(r"[\u4e00-\u9fff]+", name):
        return []
    n = len(name)
    cuts = list(range(0, n - (n % 2), 2))
    pieces = [name[i : i + 2] for i in cuts]
    if n % 2:
        pieces[-1] = pieces[-1] + name[-1]
    return pieces


def _code_terms(code: CodeSpec, related: Mapping[str, tuple[str, ...]],
                thesaurus: Mapping[str, str]) -> dict[str, str]:
    """term -> source for one code (name, term, related, thesaurus)."""
    name = clean_name(code.name)
    terms: dict[str, str] = {name: "name"}
    for t in code.terms:
        terms.setdefault(t, "term")
    for t in related.get(name, ()):
        terms.setdefault(t, "related")
    cores = defaultdict(list)
    for variant, core in thesaurus.items():
        cores[core].append(variant)
    for t in list(terms):
        for variant in cores.get(t, ()):
            terms.setdefault(variant, "thesaurus")
    if name in thesaurus:
        terms.setdefault(thesaurus[name], "thesaurus")
    return {t: s for t, s in terms.items() if len(t) >= 2}


@dataclass
class _Table:
    codes: list[CodeSpec]
    levels: dict[str, str]
    ancestors: dict[str, list[str]]  # code id -> itself and its ancestors
    term_codes: dict[str, list[tuple[int, str, float]]]  # term -> (code idx, source, weight)
    by_first: dict[str, list[str]]  # first char -> terms, longest first
    gapped: list[tuple[re.Pattern, int]]  # (pattern, code idx)
    descriptors: list[str]


def _build_table(codes: Sequence[CodeSpec], thesaurus: Mapping[str, str],
                 s: Any) -> _Table:
    codes = list(codes)
    levels = _resolve_levels(codes)
    related = load_related_terms(s.related_terms)
    index = {c.id: i for i, c in enumerate(codes)}
    parent = {c.id: c.parent_id for c in codes}
    ancestors = {}
    for c in codes:
        chain, cur = [], c.id
        while cur is not None and cur not in chain:
            chain.append(cur)
            cur = parent[cur]
        ancestors[c.id] = chain
    listing: dict[str, list[tuple[int, str]]] = defaultdict(list)
    descriptors = []
    for i, c in enumerate(codes):
        terms = _code_terms(c, related, thesaurus)
        for t, src in terms.items():
            listing[t].append((i, src))
        name = clean_name(c.name)
        extra = [t for t in terms if t != name][: s.descriptor_terms]
        desc = name + ("：" + "、".join(extra) if extra else "")
        if c.description and not extra:
            desc += "：" + c.description[:60]
        descriptors.append(desc)
    if s.part_weight > 0:
        for i, c in enumerate(codes):
            for piece in _name_pieces(clean_name(c.name)):
                if piece not in listing or all(src == "part" for _, src in listing[piece]):
                    listing[piece].append((i, "part"))
    term_codes = {}
    for t, items in listing.items():
        share = 1.0 / len({i for i, _ in items})
        term_codes[t] = [
            (i, src, share * (s.part_weight if src == "part" else SOURCE_WEIGHTS[src]))
            for i, src in items
        ]
    by_first: dict[str, list[str]] = defaultdict(list)
    for t in term_codes:
        by_first[t[0]].append(t)
    for lst in by_first.values():
        lst.sort(key=len, reverse=True)
    gapped = []
    for i, c in enumerate(codes):
        pieces = _name_pieces(clean_name(c.name))
        if len(pieces) >= 2:
            pat = re.compile(_GAP.join(re.escape(p) for p in pieces))
            gapped.append((pat, i))
    del index
    return _Table(codes, levels, ancestors, term_codes, dict(by_first), gapped, descriptors)


# -- lexical evidence ---------------------------------------------------------------


def _scan(text: str, table: _Table) -> list[tuple[str, int, int]]:
    """Leftmost-longest matches of all terms: ``(term, start, end)``."""
    out, i, n = [], 0, len(text)
    while i < n:
        for t in table.by_first.get(text[i], ()):
            if text.startswith(t, i):
                out.append((t, i, i + len(t)))
                i += len(t)
                break
        else:
            i += 1
    return out


def _gapped_matches(text: str, table: _Table, taken: list[tuple[str, int, int]]):
    """Gapped-name matches (防贫监测预警 for 防贫预警) not already found exactly."""
    exact = {(s, e) for _, s, e in taken}
    out = []
    for pat, i in table.gapped:
        name = clean_name(table.codes[i].name)
        for m in pat.finditer(text):
            if m.group(0) != name and (m.start(), m.end()) not in exact:
                out.append((i, m.start(), m.end()))
    return out
