"""REFI-QDA project exchange (``.qdpx``): a zip with ``project.qde`` and ``sources/``.

How caseminer data maps to the standard (issue 7). Round trips lose nothing:

* **Coders** are ``<Users><User guid name/>``; the GUID is derived from the name, and
  every coding, selection and note names its coder in ``creatingUser``.
* **Codebook**: ``<CodeBook><Codes>`` with the same mapping as a ``.qdc`` file (see
  :mod:`.refi_codebook`); memos *about* a code are ``<Note>`` s referenced by a
  ``<NoteRef>`` inside the ``<Code>``. The codebook's own name and description are
  ``codebook:`` / ``codebook-description:`` lines in the project ``<Description>``.
* **Cases**: each case is a ``<TextSource plainTextPath="internal://<guid>.txt">``
  whose original text is ``sources/<guid>.txt`` (UTF-8, no BOM, line ends kept as
  they are, because offsets depend on them), plus a REFI ``<Case name="<case id>">``
  that points to it with ``<SourceRef>`` and carries the attributes as
  ``<VariableValue>`` s. Each attribute is declared once in ``<Variables>``; its type
  is Boolean, Integer, Float (ints and floats mixed), Date, DateTime or Text (mixed
  types are written as text). ``None`` values are left out.
* **Codings** are ``<PlainTextSelection startPosition endPosition>`` with one
  ``<Coding><CodeRef targetGUID/></Coding>`` each. Positions are **Unicode code
  points**, i.e. Python ``str`` indices, so a character outside the Basic
  Multilingual Plane (``𠀀``) counts as one; programs that count UTF-16 units would
  shift after such a character. A **whole-case coding** is a selection over the whole
  text with a ``scope: case`` line in its ``<Description>``: other programs see the
  full text coded, caseminer gets ``start = end = None`` back (we prefer this to the
  standard's case-level ``<CodeRef>``, which cannot carry a coder or a time).
  ``score`` and ``evidence`` are ``score:``/``evidence:`` lines in the same
  description; a coding's memo is a ``<Note>`` referenced from its ``<Coding>``.
* **Memos** are ``<Notes><Note>`` with the text as ``<PlainTextContent>``; a project
  memo is referenced from the project, a case memo from its ``<TextSource>``, a code
  memo from its ``<Code>``. Unreferenced notes come back as project memos.

Reading is defensive: the archive is checked by :mod:`.safe_archive`, the XML by
:mod:`.safe_xml` and the REFI-QDA Project schema, sources outside the archive
(``relative://``, ``file://``) are refused rather than fetched, and every offset is
checked against its text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from lxml import etree

from ..coding.model import Codebook, Coding, Memo, is_guid, stable_guid
from ..errors import InvalidInput
from .refi_codebook import (
    ORIGIN,
    build_codes,
    export_guid,
    join_meta,
    xml_bytes,
)
from .safe_archive import MB, write_zip
from .safe_xml import validate_against

PROJECT_NS = "urn:QDA-XML:project:1.0"
DEFAULT_MAX_QDE_BYTES = 200 * MB
_N = f"{{{PROJECT_NS}}}"
_SELECTION_KEYS = {"scope", "score", "evidence", "id"}
_NOTE_KEYS = {"id"}
_SOURCE_KEYS = {"title"}
_PROJECT_KEYS = {"codebook", "codebook-description"}


@dataclass(frozen=True)
class CaseRecord:
    """A case as exchanged: id, title, original text and attributes (province ...)."""

    id: str
    title: str
    text: str
    attributes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ProjectBundle:
    """Everything a ``.qdpx`` file carries for caseminer."""

    cases: list[CaseRecord]
    codebook: Codebook
    codings: list[Coding]
    memos: list[Memo]
    coders: list[str]
    project_name: str = ""


# -- writing ------------------------------------------------------------------------


def write_qdpx(
    path: str | Path,
    *,
    cases: Sequence[CaseRecord],
    codebook: Codebook,
    codings: Iterable[Coding] = (),
    memos: Iterable[Memo] = (),
    coders: Iterable[str] = (),
    project_name: str = "caseminer project",
) -> None:
    """Write a REFI-QDA project to ``path`` (atomically).

    Coders used by codings or memos but missing from ``coders`` are added after
    them. Raises :class:`InvalidInput` for inconsistent input (a coding of an unknown
    case or code, a span past the end of its text, duplicate case ids ...).
    """
    members = build_qdpx_members(
        cases=cases,
        codebook=codebook,
        codings=codings,
        memos=memos,
        coders=coders,
        project_name=project_name,
    )
    write_zip(path, members)


def build_qdpx_members(
    *, cases, codebook, codings=(), memos=(), coders=(), project_name="caseminer project"
) -> list[tuple[str, bytes]]:
    """The ``(name, bytes)`` members of the ``.qdpx`` zip (``project.qde`` first)."""
    cases = list(cases)
    codings = list(codings)
    memos = list(memos)
    codebook.validate()
    by_case = _check_cases(cases)
    _check_codings(codings, by_case, codebook)
    _check_memos(memos, by_case, codebook)

    user_names: list[str] = []
    for name in [*coders, *(c.coder for c in codings), *(m.author for m in memos)]:
        if name and name not in user_names:
            user_names.append(name)
    users = {name: stable_guid("user", name) for name in user_names}

    root = etree.Element(f"{_N}Project", nsmap={None: PROJECT_NS})
    _set(root, "name", project_name, "the project name")
    root.set("origin", ORIGIN)
    if user_names:
        root.set("creatingUserGUID", users[user_names[0]])
        users_el = etree.SubElement(root, f"{_N}Users")
        for name in user_names:
            etree.SubElement(users_el, f"{_N}User", {"guid": users[name]}).set("name", name)

    notes: list[tuple[str, Memo | None, str, Coding | None]] = []  # (guid, memo, text, coding)
    code_notes: dict[str, list[str]] = {}
    case_notes: dict[str, list[str]] = {}
    project_notes: list[str] = []
    for memo in memos:
        guid = memo.id if is_guid(memo.id) else stable_guid("memo", memo.id)
        notes.append((guid, memo, memo.text, None))
        if memo.target_type == "code":
            code_notes.setdefault(memo.target_id, []).append(guid)
        elif memo.target_type == "case":
            case_notes.setdefault(memo.target_id, []).append(guid)
        else:
            project_notes.append(guid)

    if codebook.codes:
        book = etree.SubElement(root, f"{_N}CodeBook")
        build_codes(etree.SubElement(book, f"{_N}Codes"), codebook, PROJECT_NS, note_refs=code_notes)

    variables = _variable_types(cases)
    if variables:
        vars_el = etree.SubElement(root, f"{_N}Variables")
        for name, kind in variables.items():
            var = etree.SubElement(vars_el, f"{_N}Variable", {"guid": stable_guid("variable", name)})
            _set(var, "name", name, f"the attribute name {name!r}")
            var.set("typeOfVariable", kind)

    members: list[tuple[str, bytes]] = []
    if cases:
        cases_el = etree.SubElement(root, f"{_N}Cases")
        sources_el = etree.Element(f"{_N}Sources")  # appended after <Cases>
        codings_by_case: dict[str, list[tuple[int, Coding]]] = {}
        for index, coding in enumerate(codings):
            codings_by_case.setdefault(coding.case_id, []).append((index, coding))
        for case in cases:
            source_guid = stable_guid("source", case.id)
            case_el = etree.SubElement(cases_el, f"{_N}Case", {"guid": stable_guid("case", case.id)})
            _set(case_el, "name", case.id, f"the id of case {case.id!r}")
            for name, value in case.attributes.items():
                if value is None:
                    continue
                _variable_value(case_el, name, value, variables[name], case.id)
            etree.SubElement(case_el, f"{_N}SourceRef", {"targetGUID": source_guid})

            src = etree.SubElement(
                sources_el,
                f"{_N}TextSource",
                {"guid": source_guid, "plainTextPath": f"internal://{source_guid}.txt"},
            )
            _set(src, "name", case.title or case.id, f"the title of case {case.id!r}")
            desc = join_meta("", {"title": "" if not case.title else None})
            if desc:
                _text(src, "Description", desc, f"case {case.id!r}")
            for index, coding in codings_by_case.get(case.id, []):
                _selection(src, coding, index, case, codebook, users, notes)
            for guid in case_notes.get(case.id, []):
                etree.SubElement(src, f"{_N}NoteRef", {"targetGUID": guid})
            members.append((f"sources/{source_guid}.txt", case.text.encode("utf-8")))
        root.append(sources_el)

    if notes:
        notes_el = etree.SubElement(root, f"{_N}Notes")
        for guid, memo, text, coding in notes:
            note = etree.SubElement(notes_el, f"{_N}Note", {"guid": guid})
            author = memo.author if memo else coding.coder
            when = memo.created_at if memo else coding.created_at
            if memo and memo.title:
                _set(note, "name", memo.title, f"the title of memo {memo.id!r}")
            if author:
                note.set("creatingUser", users[author])
            if when is not None:
                note.set("creationDateTime", when.isoformat())
            meta = {"id": memo.id if memo and not is_guid(memo.id) else None}
            desc = join_meta("", meta)
            if desc:
                _text(note, "Description", desc, f"memo {guid}")
            _text(note, "PlainTextContent", text, f"memo {guid}")

    project_meta = {
        "codebook": codebook.name or None,
        "codebook-description": codebook.description or None,
    }
    desc = join_meta("", project_meta)
    if desc:
        _text(root, "Description", desc, "the project description")
    for guid in project_notes:
        etree.SubElement(root, f"{_N}NoteRef", {"targetGUID": guid})

    validate_against(root, "Project.xsd", source="the exported project")
    return [("project.qde", xml_bytes(root)), *members]


def _selection(src, coding: Coding, index: int, case: CaseRecord, codebook, users, notes) -> None:
    whole = coding.start is None
    start, end = (0, len(case.text)) if whole else (coding.start, coding.end)
    coding_guid = coding.id if coding.id and is_guid(coding.id) else None
    if coding_guid is None:
        stamp = coding.created_at.isoformat() if coding.created_at else ""
        coding_guid = stable_guid(
            "coding", case.id, coding.code_id, str(start), str(end), coding.coder, stamp,
            str(index), coding.id or "",
        )
    sel = etree.SubElement(
        src,
        f"{_N}PlainTextSelection",
        {
            "guid": stable_guid("selection", coding_guid),
            "startPosition": str(start),
            "endPosition": str(end),
        },
    )
    label = case.text[start:end][:40]
    if label:
        _set(sel, "name", label, f"the text of a coding in case {case.id!r}")
    if coding.coder:
        sel.set("creatingUser", users[coding.coder])
    if coding.created_at is not None:
        sel.set("creationDateTime", coding.created_at.isoformat())
    meta = {
        "scope": "case" if whole else None,
        "score": coding.score,
        "evidence": coding.evidence,
        "id": coding.id if coding.id and not is_guid(coding.id) else None,
    }
    desc = join_meta("", meta)
    if desc:
        _text(sel, "Description", desc, f"a coding in case {case.id!r}")
    coding_el = etree.SubElement(sel, f"{_N}Coding", {"guid": coding_guid})
    if coding.coder:
        coding_el.set("creatingUser", users[coding.coder])
    if coding.created_at is not None:
        coding_el.set("creationDateTime", coding.created_at.isoformat())
    code = codebook.get(coding.code_id)
    etree.SubElement(coding_el, f"{_N}CodeRef", {"targetGUID": export_guid(code)})
    if coding.memo:
        note_guid = stable_guid("coding-memo", coding_guid)
        notes.append((note_guid, None, coding.memo, coding))
        etree.SubElement(coding_el, f"{_N}NoteRef", {"targetGUID": note_guid})


def _check_cases(cases: list[CaseRecord]) -> dict[str, CaseRecord]:
    by_case: dict[str, CaseRecord] = {}
    for case in cases:
        if not isinstance(case.id, str) or not case.id:
            raise InvalidInput(f"A case has the id {case.id!r}; every case needs a text id.", code="E401")
        if case.id in by_case:
            raise InvalidInput(
                f"The case id {case.id!r} is used twice. Give every case its own id.", code="E401"
            )
        by_case[case.id] = case
    return by_case


def _check_codings(codings: list[Coding], by_case, codebook: Codebook) -> None:
    for coding in codings:
        what = f"The coding of code {coding.code_id!r} in case {coding.case_id!r} by {coding.coder!r}"
        if coding.case_id not in by_case:
            raise InvalidInput(f"{what} names a case that is not exported. Add the case.", code="E401")
        if coding.code_id not in codebook:
            raise InvalidInput(f"{what} names a code that is not in the codebook.", code="E401")
        if coding.end is not None and coding.end > len(by_case[coding.case_id].text):
            raise InvalidInput(
                f"{what} ends at {coding.end}, past the end of the text "
                f"({len(by_case[coding.case_id].text)} characters). Fix the span.",
                code="E401",
            )


def _check_memos(memos: list[Memo], by_case, codebook: Codebook) -> None:
    seen: set[str] = set()
    for memo in memos:
        if memo.id in seen:
            raise InvalidInput(f"The memo id {memo.id!r} is used twice.", code="E401")
        seen.add(memo.id)
        if memo.target_type == "case" and memo.target_id not in by_case:
            raise InvalidInput(
                f"Memo {memo.id!r} is about case {memo.target_id!r}, which is not exported.",
                code="E401",
            )
        if memo.target_type == "code" and memo.target_id not in codebook:
            raise InvalidInput(
                f"Memo {memo.id!r} is about code {memo.target_id!r}, which is not in the "
                "codebook.",
                code="E401",
            )


def _variable_types(cases: list[CaseRecord]) -> dict[str, str]:
    """REFI-QDA type per attribute name, in first-seen order."""
    kinds: dict[str, set[str]] = {}
    for case in cases:
        for name, value in case.attributes.items():
            if not isinstance(name, str) or not name:
                raise InvalidInput(
                    f"Case {case.id!r} has an attribute named {name!r}; names must be text.",
                    code="E401",
                )
            bucket = kinds.setdefault(name, set())
            if value is None:
                continue
            if isinstance(value, bool):
                bucket.add("Boolean")
            elif isinstance(value, int):
                bucket.add("Integer")
            elif isinstance(value, float):
                bucket.add("Float")
            elif isinstance(value, datetime):
                bucket.add("DateTime")
            elif isinstance(value, date):
                bucket.add("Date")
            else:
                bucket.add("Text")
    out = {}
    for name, bucket in kinds.items():
        if len(bucket) == 1:
            out[name] = next(iter(bucket))
        elif bucket == {"Integer", "Float"}:
            out[name] = "Float"
        else:
            out[name] = "Text"
    return out


def _variable_value(case_el, name: str, value, kind: str, case_id: str) -> None:
    vv = etree.SubElement(case_el, f"{_N}VariableValue")
    etree.SubElement(vv, f"{_N}VariableRef", {"targetGUID": stable_guid("variable", name)})
    if kind == "Boolean":
        text = "true" if value else "false"
    elif kind == "Integer":
        text = str(value)
    elif kind == "Float":
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidInput(
                f"Case {case_id!r}: the attribute {name!r} is {value!r}, which REFI-QDA "
                "cannot store. Use a finite number or leave it empty.",
                code="E401",
            )
        # xsd:decimal has no exponent; the shortest repr keeps the float exact.
        text = format(Decimal(repr(float(value))), "f")
    elif kind in ("Date", "DateTime"):
        text = value.isoformat()
    else:
        text = str(value)
    _text(vv, f"{kind}Value", text, f"attribute {name!r} of case {case_id!r}")


def _set(element, attr: str, value: str, what: str) -> None:
    try:
        element.set(attr, value)
    except (ValueError, TypeError):
        raise InvalidInput(
            f"{what} ({value!r}) holds characters XML cannot carry (control characters). "
            "Remove them and export again.",
            code="E401",
        ) from None


def _text(parent, tag: str, text: str, what: str):
    element = etree.SubElement(parent, tag if tag.startswith("{") else f"{_N}{tag}")
    try:
        element.text = text
    except (ValueError, TypeError):
        raise InvalidInput(
            f"The text of {what} holds characters XML cannot carry (control characters). "
            "Remove them and export again.",
            code="E401",
        ) from None
    return element


# The reader lives in its own module (size budget); it is re-exported here so that
# both halves of the format are importable from one place.
from .refi_project_read import read_qdpx  # noqa: E402

__all__ = ["CaseRecord", "ProjectBundle", "PROJECT_NS", "build_qdpx_members", "read_qdpx", "write_qdpx"]
