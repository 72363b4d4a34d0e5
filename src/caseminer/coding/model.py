"""Plain data for grounded-theory coding: codes, the codebook tree, codings, memos.

Vocabulary (STYLE.md, lesson 7): a *code* is a node of the codebook; its *level* is
the grounded-theory category (``selective`` > ``axial`` > ``open``) or ``None`` for a
free code; a *coding* is one application of a code to a case, either to a character
span ``[start, end)`` (Python ``str`` indices, that is Unicode code points) or to the
whole case (``start = end = None``); a *memo* is a researcher's note.

Everything here is a frozen dataclass with no I/O. :meth:`Codebook.validate` is the
one place that checks the tree (ids, cycles, names, levels, colours), so the YAML and
REFI-QDA readers only have to build a :class:`Codebook` and call it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from ..errors import InvalidInput, NotFound

LEVELS = ("selective", "axial", "open")
"""The grounded-theory levels, from the most abstract down."""

ROLES = ("基础", "前提", "关键", "根本", "重心", "目标")
"""Roles of the reference study's six-in-one framework; any other string is allowed."""

_RANK = {"selective": 3, "axial": 2, "open": 1}
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_GUID = re.compile(
    r"^(\{)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?(1)\})$"
)

# A fixed namespace so that ids derived from names are the same on every machine and
# every run (the built-in codebook, coders and cases in a REFI-QDA export).
CASEMINER_NAMESPACE = uuid.UUID("6f1c2a4e-3b7d-5e80-9a21-c4d5e6f70812")


def new_guid() -> str:
    """A fresh random GUID (upper case, as most QDA programs write them)."""
    return str(uuid.uuid4()).upper()


def stable_guid(*parts: str) -> str:
    """A GUID derived from ``parts``: the same input always gives the same GUID.

    >>> stable_guid("code", "落实防贫保障") == stable_guid("code", "落实防贫保障")
    True
    """
    return str(uuid.uuid5(CASEMINER_NAMESPACE, "\x1f".join(parts))).upper()


def is_guid(value: object) -> bool:
    """True if ``value`` is a GUID as REFI-QDA's ``GUIDType`` accepts it."""
    return isinstance(value, str) and bool(_GUID.match(value))


@dataclass(frozen=True)
class Code:
    """One code of a codebook.

    ``terms`` are words that evidence the code in a text (used by auto-coding);
    ``role`` is the code's place in a framework (基础, 前提, ... or free text).
    """

    id: str
    name: str
    level: str | None = None
    parent_id: str | None = None
    description: str = ""
    role: str | None = None
    color: str | None = None
    memo: str = ""
    terms: tuple[str, ...] = ()

    def __post_init__(self):
        # Accept any iterable of terms but store a tuple, so a Code stays immutable.
        if not isinstance(self.terms, tuple):
            object.__setattr__(self, "terms", tuple(self.terms))


@dataclass(frozen=True)
class Coding:
    """One code applied to one case by one coder.

    ``start``/``end`` are code-point offsets into the case's original text
    (``text[start:end]``); both ``None`` means the whole case. ``score`` and
    ``evidence`` are filled by automatic coding (confidence and the matched words).
    """

    case_id: str
    code_id: str
    start: int | None
    end: int | None
    coder: str
    created_at: datetime | None = None
    memo: str = ""
    score: float | None = None
    evidence: str | None = None
    id: str | None = None

    def __post_init__(self):
        if (self.start is None) != (self.end is None):
            raise InvalidInput(
                f"Coding of code {self.code_id!r} in case {self.case_id!r}: start and "
                f"end must both be set (a span) or both be None (the whole case); got "
                f"start={self.start!r}, end={self.end!r}.",
                code="E401",
            )
        if self.start is not None:
            if not (isinstance(self.start, int) and isinstance(self.end, int)):
                raise InvalidInput(
                    f"Coding of code {self.code_id!r} in case {self.case_id!r}: start and "
                    f"end must be integers; got {self.start!r}, {self.end!r}.",
                    code="E401",
                )
            if self.start < 0 or self.end < self.start:
                raise InvalidInput(
                    f"Coding of code {self.code_id!r} in case {self.case_id!r}: the span "
                    f"[{self.start}, {self.end}) is not valid; it needs 0 <= start <= end.",
                    code="E401",
                )

    @property
    def whole_case(self) -> bool:
        """True if the coding applies to the whole case rather than a span."""
        return self.start is None


@dataclass(frozen=True)
class Memo:
    """A researcher's note on the project, a case or a code.

    ``target_type`` is ``"project"``, ``"case"`` or ``"code"``; ``target_id`` is the
    case id or code id (``None`` for the project). Memos on a single coding live in
    :attr:`Coding.memo`.
    """

    id: str
    text: str
    target_type: str = "project"
    target_id: str | None = None
    author: str | None = None
    created_at: datetime | None = None
    title: str = ""

    def __post_init__(self):
        if self.target_type not in ("project", "case", "code"):
            raise InvalidInput(
                f"Memo {self.id!r}: target_type must be 'project', 'case' or 'code'; "
                f"got {self.target_type!r}.",
                code="E401",
            )
        if (self.target_type == "project") != (self.target_id is None):
            raise InvalidInput(
                f"Memo {self.id!r}: a {self.target_type} memo "
                + ("takes no target_id." if self.target_type == "project" else "needs a target_id."),
                code="E401",
            )


@dataclass(frozen=True)
class Codebook:
    """A tree of codes (a forest: several roots are allowed).

    Order matters and is kept: ``codes`` is the order in which codes are shown and
    exported. Build it freely, then call :meth:`validate` before trusting it.
    """

    codes: tuple[Code, ...] = ()
    name: str = ""
    description: str = ""
    _by_id: dict = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        if not isinstance(self.codes, tuple):
            object.__setattr__(self, "codes", tuple(self.codes))
        by_id: dict[str, Code] = {}
        for code in self.codes:
            by_id.setdefault(code.id, code)
        object.__setattr__(self, "_by_id", by_id)

    # -- lookups ------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    def get(self, code_id: str) -> Code:
        """The code with id ``code_id``; :class:`NotFound` if there is none."""
        try:
            return self._by_id[code_id]
        except KeyError:
            raise NotFound(
                f"No code with id {code_id!r} in codebook {self.name or '(unnamed)'}. "
                "List the codes with Codebook.walk() or 'caseminer codes'.",
                code="E401",
            ) from None

    def children(self, code_id: str | None) -> list[Code]:
        """The direct children of ``code_id`` in codebook order (``None``: the roots)."""
        return [c for c in self.codes if c.parent_id == code_id]

    def roots(self) -> list[Code]:
        """The codes without a parent, in codebook order."""
        return self.children(None)

    def find(self, name: str) -> list[Code]:
        """All codes called ``name`` (names are unique only under one parent)."""
        return [c for c in self.codes if c.name == name]

    def by_name(self, name: str, *, parent_id: object = ...) -> Code:
        """The one code called ``name`` (optionally under ``parent_id``; ``None`` = root).

        Raises :class:`NotFound` if there is none and :class:`InvalidInput` if the
        name is ambiguous (then pass ``parent_id``).
        """
        found = [c for c in self.find(name) if parent_id is ... or c.parent_id == parent_id]
        if not found:
            raise NotFound(
                f"No code named {name!r} in codebook {self.name or '(unnamed)'}. Check the "
                "spelling, or add the code first.",
                code="E401",
            )
        if len(found) > 1:
            paths = ["/".join(c.name for c in self.path(f.id)) for f in found]
            raise InvalidInput(
                f"The code name {name!r} is ambiguous: {', '.join(paths)}. Pass the "
                "parent to choose one.",
                code="E401",
            )
        return found[0]

    def path(self, code_id: str) -> list[Code]:
        """The codes from the root down to ``code_id`` (assumes a validated tree)."""
        chain: list[Code] = []
        seen: set[str] = set()
        current: str | None = code_id
        while current is not None and current not in seen:
            seen.add(current)
            code = self.get(current)
            chain.append(code)
            current = code.parent_id
        return chain[::-1]

    def descendants(self, code_id: str) -> list[Code]:
        """All codes below ``code_id``, depth first."""
        out: list[Code] = []
        for child in self.children(code_id):
            out.append(child)
            out.extend(self.descendants(child.id))
        return out

    def walk(self) -> Iterator[tuple[int, Code]]:
        """``(depth, code)`` pairs, depth first from the roots (depth 0 = root)."""
        stack = [(0, c) for c in reversed(self.roots())]
        while stack:
            depth, code = stack.pop()
            yield depth, code
            stack.extend((depth + 1, c) for c in reversed(self.children(code.id)))

    def counts(self) -> dict[str | None, int]:
        """How many codes there are per level (``None``: free codes)."""
        out: dict[str | None, int] = {}
        for code in self.codes:
            out[code.level] = out.get(code.level, 0) + 1
        return out

    # -- validation ---------------------------------------------------------------

    def validate(self, *, where: str = "codebook") -> Codebook:
        """Check the tree and return ``self``; raise :class:`InvalidInput` otherwise.

        Rejected: empty or duplicate ids, empty names, unknown parents, cycles, two
        codes with the same name under the same parent, an unknown level, a child
        whose level is not below its parent's (selective > axial > open; free codes,
        level ``None``, may sit anywhere) and colours that are not ``#RRGGBB``.
        """
        ids: dict[str, Code] = {}
        for code in self.codes:
            label = f"{where}: code {code.name!r}"
            if not isinstance(code.id, str) or not code.id.strip():
                raise _invalid(f"{label} has no id. Give every code an id (a GUID).")
            if code.id in ids:
                raise _invalid(
                    f"{where}: the id {code.id!r} is used by both {ids[code.id].name!r} and "
                    f"{code.name!r}. Give every code its own id."
                )
            ids[code.id] = code
            if not isinstance(code.name, str) or not code.name.strip():
                raise _invalid(f"{where}: the code with id {code.id!r} has no name. Name it.")
            if code.name != code.name.strip():
                raise _invalid(
                    f"{label} starts or ends with white space. Remove the spaces."
                )
            if code.level is not None and code.level not in _RANK:
                raise _invalid(
                    f"{label} has the level {code.level!r}. Use one of selective, axial, "
                    "open, or leave the level empty for a free code."
                )
            if code.color is not None and not (
                isinstance(code.color, str) and _COLOR.match(code.color)
            ):
                raise _invalid(
                    f"{label} has the colour {code.color!r}. Write colours as #RRGGBB, "
                    "for example #C0392B."
                )
            if code.parent_id == code.id:
                raise _invalid(f"{label} is its own parent. Choose another parent.")
        for code in self.codes:
            if code.parent_id is not None and code.parent_id not in ids:
                raise _invalid(
                    f"{where}: code {code.name!r} names the parent id {code.parent_id!r}, "
                    "which is not in the codebook. Add the parent or clear parent_id."
                )
        self._check_cycles(ids, where)
        seen_names: dict[tuple[str | None, str], Code] = {}
        for code in self.codes:
            key = (code.parent_id, code.name)
            if key in seen_names:
                under = (
                    f"under {ids[code.parent_id].name!r}" if code.parent_id else "at the top level"
                )
                raise _invalid(
                    f"{where}: two codes are named {code.name!r} {under}. Merge them or "
                    "rename one."
                )
            seen_names[key] = code
            parent = ids.get(code.parent_id) if code.parent_id else None
            if (
                parent is not None
                and parent.level is not None
                and code.level is not None
                and _RANK[code.level] >= _RANK[parent.level]
            ):
                raise _invalid(
                    f"{where}: code {code.name!r} ({code.level}) sits under "
                    f"{parent.name!r} ({parent.level}), but a child's level must be below "
                    "its parent's (selective > axial > open). Move the code or change "
                    "its level."
                )
        return self

    @staticmethod
    def _check_cycles(ids: dict[str, Code], where: str) -> None:
        state: dict[str, int] = {}  # 1 = on the current chain, 2 = known to reach a root
        for start in ids:
            chain: list[str] = []
            current: str | None = start
            while current is not None and state.get(current) != 2:
                if state.get(current) == 1:
                    loop = chain[chain.index(current):] + [current]
                    names = " -> ".join(ids[i].name for i in loop)
                    raise _invalid(
                        f"{where}: the codes form a cycle ({names}). A code cannot be its "
                        "own ancestor; give one of them another parent."
                    )
                state[current] = 1
                chain.append(current)
                current = ids[current].parent_id
            for item in chain:
                state[item] = 2

    # -- building -----------------------------------------------------------------

    def replace_codes(self, codes: Iterable[Code]) -> Codebook:
        """A copy of this codebook (same name, description) with other codes."""
        return Codebook(tuple(codes), name=self.name, description=self.description)


def default_level(depth: int) -> str | None:
    """The level implied by the depth in the tree: 0 selective, 1 axial, 2 open."""
    return LEVELS[depth] if depth < len(LEVELS) else None


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, code="E401")
