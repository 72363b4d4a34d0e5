"""Reading REFI-QDA projects (``.qdpx``); the mapping is documented in :mod:`.refi_project`.

Every problem is an :class:`ExchangeError` naming the archive member, the element and
its line. Sources are read only from inside the archive (``internal://``); a project
that points to files elsewhere is refused rather than followed.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from lxml import etree

from ..coding.model import Code, Codebook, Coding, Memo, stable_guid
from ..errors import ExchangeError
from .refi_codebook import checked_codebook, parse_codes, split_meta
from .refi_project import (
    _N,
    _NOTE_KEYS,
    _PROJECT_KEYS,
    _SELECTION_KEYS,
    _SOURCE_KEYS,
    DEFAULT_MAX_QDE_BYTES,
    PROJECT_NS,
    CaseRecord,
    ProjectBundle,
)
from .safe_archive import ArchiveLimits, SafeZipReader
from .safe_xml import line_of, parse_xml, validate_against


def read_qdpx(
    path: str | Path,
    *,
    limits: ArchiveLimits = ArchiveLimits(),
    max_xml_bytes: int = DEFAULT_MAX_QDE_BYTES,
    validate: bool = True,
) -> ProjectBundle:
    """Read a REFI-QDA ``.qdpx`` project into a :class:`ProjectBundle`.

    ``validate=False`` skips the XSD check (for files from programs that bend the
    standard); the archive and XML safety checks always run. Raises
    :class:`ExchangeError` naming the file, element and line of any problem.
    """
    source = str(path)
    with SafeZipReader(path, limits=limits) as archive:
        if "project.qde" not in archive:
            raise ExchangeError(
                f"{source}: no project.qde in the archive, so this is not a REFI-QDA "
                "project. Export the project again as .qdpx.",
                code="E501",
            )
        where = f"{source}!project.qde"
        root = parse_xml(archive.read("project.qde", max_bytes=max_xml_bytes), source=where, max_bytes=max_xml_bytes)
        if root.tag != f"{_N}Project":
            raise ExchangeError(
                f"{where}: the root element is {root.tag!r}, not <Project> in the namespace "
                f"{PROJECT_NS}. The file is not a REFI-QDA project.",
                code="E501",
            )
        if validate:
            validate_against(root, "Project.xsd", source=where)
        return _read_project(root, archive, where)


def _read_project(root, archive: SafeZipReader, where: str) -> ProjectBundle:
    users: dict[str, str] = {}
    for user in root.iterfind(f"{_N}Users/{_N}User"):
        users[user.get("guid")] = user.get("name") or user.get("guid")

    def who(element) -> str:
        guid = element.get("creatingUser")
        return users.get(guid, guid) if guid else ""

    notes: dict[str, tuple[str, object]] = {}  # guid -> (text, element)
    for note in root.iterfind(f"{_N}Notes/{_N}Note"):
        notes[note.get("guid")] = (_source_text(note, archive, where), note)
    used_notes: set[str] = set()

    codes: list[Code] = []
    guid_to_code: dict[str, str] = {}
    memos: list[Memo] = []
    codes_el = root.find(f"{_N}CodeBook/{_N}Codes")
    project_desc, project_meta = split_meta(_child_text(root, "Description"), _PROJECT_KEYS)
    if codes_el is not None:
        codes, guid_to_code = parse_codes(codes_el, PROJECT_NS, source=where)
        for code_el in codes_el.iter(f"{_N}Code"):
            for ref in code_el.iterfind(f"{_N}NoteRef"):
                memos.append(_memo(ref, notes, used_notes, "code", guid_to_code[code_el.get("guid")], who, where))
    codebook = checked_codebook(codes, source=where)
    codebook = Codebook(
        codebook.codes,
        name=str(project_meta.get("codebook") or ""),
        description=str(project_meta.get("codebook-description") or ""),
    )

    variables = {
        v.get("guid"): (v.get("name"), v.get("typeOfVariable"))
        for v in root.iterfind(f"{_N}Variables/{_N}Variable")
    }
    source_cases: dict[str, list] = {}
    for case_el in root.iterfind(f"{_N}Cases/{_N}Case"):
        for ref in case_el.iterfind(f"{_N}SourceRef"):
            source_cases.setdefault(ref.get("targetGUID"), []).append(case_el)

    cases: list[CaseRecord] = []
    codings: list[Coding] = []
    seen_ids: set[str] = set()
    for src in root.iterfind(f"{_N}Sources/{_N}TextSource"):
        guid = src.get("guid")
        text = _source_text(src, archive, where)
        owners = source_cases.get(guid, [])
        _, meta = split_meta(_child_text(src, "Description"), _SOURCE_KEYS)
        if len(owners) == 1 and len(owners[0].findall(f"{_N}SourceRef")) == 1:
            case_id = owners[0].get("name") or owners[0].get("guid")
        else:  # a foreign project: a REFI case groups several sources, or none
            case_id = src.get("name") or guid
        if case_id in seen_ids:
            case_id = f"{case_id} ({guid[:8]})"
        seen_ids.add(case_id)
        attributes: dict = {}
        for owner in owners:
            for vv in owner.iterfind(f"{_N}VariableValue"):
                name, value = _read_variable(vv, variables, where)
                attributes.setdefault(name, value)
        for vv in src.iterfind(f"{_N}VariableValue"):
            name, value = _read_variable(vv, variables, where)
            attributes.setdefault(name, value)
        title = meta["title"] if "title" in meta else (src.get("name") or "")
        cases.append(CaseRecord(case_id, str(title), text, attributes))
        for sel in src.iterfind(f"{_N}PlainTextSelection"):
            codings.extend(_read_selection(sel, case_id, text, guid_to_code, notes, used_notes, who, where))
        for ref in src.iterfind(f"{_N}NoteRef"):
            memos.append(_memo(ref, notes, used_notes, "case", case_id, who, where))

    for ref in root.iterfind(f"{_N}NoteRef"):
        memos.append(_memo(ref, notes, used_notes, "project", None, who, where))
    for guid, (text, note) in notes.items():
        if guid not in used_notes:
            memos.append(_memo_from_note(guid, text, note, "project", None, who))
    # Memos come back in the order of <Notes>, which is the order they were written.
    order = {guid: i for i, guid in enumerate(notes)}
    memos.sort(key=lambda m: order.get(m.id, order.get(stable_guid("memo", m.id), len(order))))
    coders = list(dict.fromkeys(users.values()))
    return ProjectBundle(cases, codebook, codings, memos, coders, root.get("name") or "")


def _read_selection(sel, case_id, text, guid_to_code, notes, used_notes, who, where) -> list[Coding]:
    label = f"{where}, {line_of(sel)}: <PlainTextSelection>"
    try:
        start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
    except (TypeError, ValueError):
        raise ExchangeError(f"{label} has no valid startPosition/endPosition.", code="E501") from None
    if not 0 <= start <= end <= len(text):
        raise ExchangeError(
            f"{label} spans [{start}, {end}), outside the text of case {case_id!r} "
            f"({len(text)} characters). Positions count Unicode characters; the exporting "
            "program may count bytes or UTF-16 units instead.",
            code="E501",
        )
    _, meta = split_meta(_child_text(sel, "Description"), _SELECTION_KEYS)
    whole = meta.get("scope") == "case"
    score = meta.get("score")
    try:
        score = float(score) if score is not None else None
    except ValueError:
        raise ExchangeError(f"{label}: the score {score!r} is not a number.", code="E501") from None
    out = []
    for coding_el in sel.iterfind(f"{_N}Coding"):
        ref = coding_el.find(f"{_N}CodeRef")
        target = ref.get("targetGUID") if ref is not None else None
        if target not in guid_to_code:
            raise ExchangeError(
                f"{where}, {line_of(coding_el)}: the coding refers to the code {target!r}, "
                "which is not in the project's codebook. The file is damaged.",
                code="E501",
            )
        memo_texts = []
        for note_ref in [*coding_el.iterfind(f"{_N}NoteRef"), *sel.iterfind(f"{_N}NoteRef")]:
            note_guid = note_ref.get("targetGUID")
            if note_guid in notes:
                used_notes.add(note_guid)
                memo_texts.append(notes[note_guid][0])
        stamp = coding_el.get("creationDateTime") or sel.get("creationDateTime")
        out.append(
            Coding(
                case_id=case_id,
                code_id=guid_to_code[target],
                start=None if whole else start,
                end=None if whole else end,
                coder=who(coding_el) or who(sel),
                created_at=_datetime(stamp, coding_el, where),
                memo="\n\n".join(memo_texts),
                score=score,
                evidence=None if meta.get("evidence") is None else str(meta["evidence"]),
                id=str(meta["id"]) if meta.get("id") else coding_el.get("guid"),
            )
        )
    return out


def _memo(ref, notes, used_notes, target_type, target_id, who, where) -> Memo:
    guid = ref.get("targetGUID")
    if guid not in notes:
        raise ExchangeError(
            f"{where}, {line_of(ref)}: <NoteRef> points to the note {guid}, which is not in "
            "<Notes>. The file is damaged.",
            code="E501",
        )
    used_notes.add(guid)
    text, note = notes[guid]
    return _memo_from_note(guid, text, note, target_type, target_id, who)


def _memo_from_note(guid, text, note, target_type, target_id, who) -> Memo:
    _, meta = split_meta(_child_text(note, "Description"), _NOTE_KEYS)
    return Memo(
        id=str(meta["id"]) if meta.get("id") else guid,
        text=text,
        target_type=target_type,
        target_id=target_id,
        author=who(note) or None,
        created_at=_datetime(note.get("creationDateTime"), note, "project.qde"),
        title=note.get("name") or "",
    )


def _source_text(element, archive: SafeZipReader, where: str) -> str:
    """The plain text of a TextSource or Note: inline, or from ``internal://`` only."""
    inline = element.find(f"{_N}PlainTextContent")
    path = element.get("plainTextPath")
    if inline is not None:
        return inline.text or ""
    if not path:
        return ""
    label = f"{where}, {line_of(element)}"
    if not path.startswith("internal://"):
        raise ExchangeError(
            f"{label}: the source {element.get('name')!r} lives outside the archive "
            f"({path}). caseminer reads only sources packed into the .qdpx; export the "
            "project with its sources embedded.",
            code="E501",
        )
    member = "sources/" + path[len("internal://"):]
    data = archive.read(member)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExchangeError(
            f"{label}: the source {member} is not UTF-8 (byte {exc.start}). REFI-QDA plain "
            "text sources must be UTF-8.",
            code="E501",
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _read_variable(vv, variables, where: str) -> tuple[str, object]:
    ref = vv.find(f"{_N}VariableRef")
    target = ref.get("targetGUID") if ref is not None else None
    if target not in variables:
        raise ExchangeError(
            f"{where}, {line_of(vv)}: <VariableValue> refers to the variable {target!r}, "
            "which is not declared in <Variables>.",
            code="E501",
        )
    name, kind = variables[target]
    value_el = next((c for c in vv if c.tag != f"{_N}VariableRef"), None)
    if value_el is None:
        return name, None
    raw = (value_el.text or "").strip() if value_el.tag != f"{_N}TextValue" else value_el.text or ""
    tag = etree.QName(value_el).localname
    try:
        if tag == "BooleanValue":
            return name, raw in ("true", "1")
        if tag == "IntegerValue":
            return name, int(raw)
        if tag == "FloatValue":
            return name, float(raw)
        if tag == "DateValue":
            return name, date.fromisoformat(raw)
        if tag == "DateTimeValue":
            return name, datetime.fromisoformat(raw)
    except ValueError:
        raise ExchangeError(
            f"{where}, {line_of(value_el)}: {raw!r} is not a valid {tag} for {name!r}.",
            code="E501",
        ) from None
    return name, raw


def _datetime(value: str | None, element, where: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ExchangeError(
            f"{where}, {line_of(element)}: {value!r} is not a date and time "
            "(YYYY-MM-DDThh:mm:ss).",
            code="E501",
        ) from None


def _child_text(element, tag: str) -> str:
    child = element.find(f"{_N}{tag}")
    return (child.text or "") if child is not None else ""
