"""REFI-QDA codebook exchange (``.qdc``, namespace ``urn:QDA-XML:codebook:1.0``).

Mapping (issue 7), chosen so that other QDA programs (QualCoder, MAXQDA, ATLAS.ti,
NVivo) show a sensible tree and caseminer gets everything back:

* the code tree is the ``<Code>`` nesting; top-level codes are *selective*, their
  children *axial*, grandchildren *open* (deeper codes are free codes);
* ``guid`` is the code id (a non-GUID id is exported as a stable GUID plus an
  ``id:`` line, see below); ``color="#RRGGBB"``; ``isCodable="true"`` always;
* everything REFI-QDA has no attribute for is written as ``key: value`` lines at
  the end of ``<Description>``, after a blank line, e.g.::

      地方政府防返贫的监测与兜底措施。

      role: 基础
      terms: ["防贫预警", "返贫预警"]

  Keys: ``role``, ``level`` (only when it differs from the depth rule; ``free`` for
  none), ``memo``, ``terms``, ``id``. A value that spans lines, starts with a quote
  or bracket, or is a list, is JSON. Other programs simply show these lines.

Reading is strict: DTDs and entities are refused (see :mod:`.safe_xml`), the file is
validated against the REFI-QDA Codebook schema, and the resulting tree must pass
:meth:`Codebook.validate` (duplicate ids, duplicate names under one parent ...).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

from lxml import etree

from .. import __version__
from ..coding.model import Code, Codebook, default_level, is_guid, stable_guid
from ..errors import ExchangeError, InvalidInput
from .safe_archive import write_bytes_atomic
from .safe_xml import DEFAULT_MAX_XML_BYTES, line_of, parse_xml, read_xml_file, validate_against

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"caseminer {__version__}"

CODE_META_KEYS = ("id", "level", "role", "memo", "terms")
_META_LINE = re.compile(r"^([a-z][a-z0-9-]*): (.*)$")
_SHORT_RGB = re.compile(r"^#([0-9A-Fa-f])([0-9A-Fa-f])([0-9A-Fa-f])$")
# A harmless marker: appended when a description would otherwise be misread as
# carrying metadata lines of its own.
_GUARD_KEY = "caseminer"


# -- description metadata -----------------------------------------------------------


def join_meta(text: str, meta: Mapping[str, object]) -> str:
    """``text`` followed by a blank line and ``key: value`` lines for ``meta``.

    ``None`` values are skipped. Strings stay readable unless they span lines or
    could be mistaken for JSON; lists, and those strings, are JSON-encoded.
    """
    items = {k: v for k, v in meta.items() if v is not None}
    if not items and not split_meta(text, None)[1]:
        return text
    if not items:
        items = {_GUARD_KEY: "1"}
    lines = []
    for key, value in items.items():
        if isinstance(value, str):
            plain = (
                value == value.strip()
                and value != ""
                and "\n" not in value
                and "\r" not in value
                and value[0] not in "\"["
            )
            encoded = value if plain else json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            encoded = "true" if value else "false"
        elif isinstance(value, float):
            encoded = repr(value)
        elif isinstance(value, int):
            encoded = str(value)
        else:
            encoded = json.dumps(list(value), ensure_ascii=False)
        lines.append(f"{key}: {encoded}")
    block = "\n".join(lines)
    return f"{text}\n\n{block}" if text else block


def split_meta(text: str, keys: set[str] | None) -> tuple[str, dict[str, object]]:
    """Undo :func:`join_meta`: ``(text, meta)``; ``keys=None`` accepts any key.

    Only a final block of ``key: value`` lines preceded by a blank line (or making up
    the whole text) counts, so ordinary prose is left alone.
    """
    if not text:
        return "", {}
    lines = text.split("\n")
    allowed = None if keys is None else set(keys) | {_GUARD_KEY}

    def is_meta(line: str) -> bool:
        m = _META_LINE.match(line)
        return bool(m) and (allowed is None or m.group(1) in allowed)

    i = len(lines)
    while i > 0 and is_meta(lines[i - 1]):
        i -= 1
    if i == len(lines) or (i > 0 and lines[i - 1] != ""):
        return text, {}
    body = "\n".join(lines[: i - 1]) if i > 0 else ""
    meta: dict[str, object] = {}
    for line in lines[i:]:
        key, raw = _META_LINE.match(line).groups()
        if key == _GUARD_KEY:
            continue
        value: object = raw
        if raw[:1] in ("\"", "["):
            try:
                value = json.loads(raw)
            except ValueError:
                value = raw
        meta[key] = value
    return body, meta


# -- writing ------------------------------------------------------------------------


def export_guid(code: Code) -> str:
    """The GUID a code gets in REFI-QDA files (its id, or a stable GUID from it)."""
    return code.id if is_guid(code.id) else stable_guid("code-id", code.id)


def build_codes(
    parent: etree._Element,
    codebook: Codebook,
    ns: str,
    *,
    note_refs: Mapping[str, list[str]] | None = None,
) -> None:
    """Append the ``<Code>`` tree of ``codebook`` under ``parent`` (a ``<Codes>``).

    ``note_refs`` maps code ids to note GUIDs, written as ``<NoteRef>`` (project
    files only: the codebook schema has no NoteRef).
    """

    def add(element: etree._Element, code: Code, depth: int) -> None:
        attrs = {"guid": export_guid(code), "name": code.name, "isCodable": "true"}
        if code.color:
            attrs["color"] = code.color
        node = etree.SubElement(element, f"{{{ns}}}Code", attrs)
        level = code.level if code.level is not None else "free"
        meta = {
            "id": None if is_guid(code.id) else code.id,
            "level": None if code.level == default_level(depth) else level,
            "role": code.role,
            "memo": code.memo or None,
            "terms": list(code.terms) or None,
        }
        description = join_meta(code.description, meta)
        if description:
            _text_child(node, f"{{{ns}}}Description", description, f"code {code.name!r}")
        for guid in (note_refs or {}).get(code.id, []):
            etree.SubElement(node, f"{{{ns}}}NoteRef", {"targetGUID": guid})
        for child in codebook.children(code.id):
            add(node, child, depth + 1)

    for root in codebook.roots():
        add(parent, root, 0)


def codebook_to_qdc(codebook: Codebook) -> bytes:
    """The codebook as REFI-QDA ``.qdc`` bytes (UTF-8), validated against the schema."""
    codebook.validate()
    if not codebook.codes:
        raise InvalidInput(
            "The codebook has no codes; REFI-QDA needs at least one. Add a code first.",
            code="E401",
        )
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": ORIGIN}, nsmap={None: CODEBOOK_NS})
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    build_codes(codes, codebook, CODEBOOK_NS)
    data = xml_bytes(root)
    # A guard against our own bugs: never hand out a file other programs reject.
    validate_against(root, "Codebook.xsd", source="the exported codebook")
    return data


def write_qdc(path: str | Path, codebook: Codebook) -> None:
    """Write ``codebook`` to ``path`` as a REFI-QDA codebook (atomically)."""
    write_bytes_atomic(Path(path), codebook_to_qdc(codebook))


# -- reading ------------------------------------------------------------------------


def parse_codes(codes_element: etree._Element, ns: str, *, source: str) -> tuple[list[Code], dict]:
    """Codes from a ``<Codes>`` element, depth first; also ``{guid: code id}``.

    The order is the tree's depth-first order: siblings keep their order, which is
    all of a codebook's order that the nesting can carry.

    Levels follow the depth rule unless a ``level:`` line says otherwise.
    """
    codes: list[Code] = []
    guid_to_id: dict[str, str] = {}

    def visit(element: etree._Element, parent_id: str | None, depth: int) -> None:
        guid = element.get("guid")
        name = element.get("name")
        where = f"{source}, {line_of(element)}: <Code name={name!r}>"
        if not guid or not name:
            raise ExchangeError(
                f"{where} lacks a guid or a name. Every code needs both; export again.",
                code="E501",
            )
        desc_el = element.find(f"{{{ns}}}Description")
        description = (desc_el.text or "") if desc_el is not None else ""
        description, meta = split_meta(description, set(CODE_META_KEYS))
        level_word = meta.get("level")
        if level_word is None:
            level = default_level(depth)
        elif level_word == "free":
            level = None
        elif level_word in ("selective", "axial", "open"):
            level = level_word
        else:
            raise ExchangeError(
                f"{where}: the description says level {level_word!r}; use selective, "
                "axial, open or free.",
                code="E501",
            )
        terms = meta.get("terms") or []
        if isinstance(terms, str) or not all(isinstance(t, str) for t in terms):
            raise ExchangeError(
                f"{where}: the 'terms:' line must be a JSON list of strings.", code="E501"
            )
        code_id = str(meta["id"]) if meta.get("id") else guid
        color = element.get("color")
        if color and _SHORT_RGB.match(color):
            color = "#" + "".join(ch * 2 for ch in _SHORT_RGB.match(color).groups()).upper()
        code = Code(
            id=code_id,
            name=name,
            level=level,
            parent_id=parent_id,
            description=description,
            role=_opt_str(meta.get("role")) or role_from_text(name, description),
            color=color or None,
            memo=_opt_str(meta.get("memo")) or "",
            terms=tuple(terms),
        )
        if guid in guid_to_id:
            raise ExchangeError(
                f"{where}: the guid {guid} is used by two codes. Every code needs its own "
                "guid; the file is damaged.",
                code="E501",
            )
        guid_to_id[guid] = code_id
        codes.append(code)
        for child in element.findall(f"{{{ns}}}Code"):
            visit(child, code_id, depth + 1)

    for top in codes_element.findall(f"{{{ns}}}Code"):
        visit(top, None, 0)
    return codes, guid_to_id


_ROLE_WORDS = "基础|前提|关键|根本|重心|目标|核心|保障|动力|路径|手段"
_ROLE_IN_NAME = re.compile(rf"[（(]({_ROLE_WORDS})[)）]\s*$")
_ROLE_IN_TEXT = re.compile(rf"^\s*(?:(?:作用|角色|定位|role)\s*[:：]\s*)?({_ROLE_WORDS})\s*[。.]?\s*$", re.I)
_ROLE_LINE = re.compile(rf"(?:作用|角色|定位|role)\s*[:：]\s*({_ROLE_WORDS})", re.I)


def role_from_text(name: str, description: str) -> str | None:
    """A framework role written the way other tools' codebooks carry it: in brackets
    after the name (落实防贫保障（基础）), as the whole description (基础), or as a
    "作用：基础" / "role: 基础" line in it. None when there is none."""
    for pattern, text in ((_ROLE_IN_NAME, name), (_ROLE_IN_TEXT, description)):
        match = pattern.search(text or "")
        if match:
            return match.group(1)
    match = _ROLE_LINE.search(description or "")
    return match.group(1) if match else None


def qdc_to_codebook(
    data: bytes,
    *,
    source: str = "<codebook>",
    max_bytes: int = DEFAULT_MAX_XML_BYTES,
    validate: bool = True,
) -> Codebook:
    """Parse REFI-QDA codebook bytes into a validated :class:`Codebook`."""
    root = parse_xml(data, source=source, max_bytes=max_bytes)
    return _codebook_from_root(root, source=source, validate=validate)


def read_qdc(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_XML_BYTES, validate: bool = True
) -> Codebook:
    """Read a REFI-QDA ``.qdc`` file (at most ``max_bytes``, 50 MB by default)."""
    root = read_xml_file(path, max_bytes=max_bytes)
    return _codebook_from_root(root, source=str(path), validate=validate)


def _codebook_from_root(root, *, source: str, validate: bool) -> Codebook:
    expected = f"{{{CODEBOOK_NS}}}CodeBook"
    if root.tag != expected:
        raise ExchangeError(
            f"{source}: the root element is {root.tag!r}, not <CodeBook> in the namespace "
            f"{CODEBOOK_NS}. This is not a REFI-QDA codebook (a .qdpx project holds its "
            "codebook inside; use read_qdpx for it).",
            code="E501",
        )
    if validate:
        validate_against(root, "Codebook.xsd", source=source)
    codes_el = root.find(f"{{{CODEBOOK_NS}}}Codes")
    if codes_el is None:
        raise ExchangeError(f"{source}: no <Codes> element.", code="E501")
    codes, _ = parse_codes(codes_el, CODEBOOK_NS, source=source)
    return checked_codebook(codes, source=source)


def checked_codebook(codes: list[Code], *, source: str) -> Codebook:
    """Validate codes read from a file; tree errors become :class:`ExchangeError`."""
    try:
        return Codebook(tuple(codes)).validate(where=source)
    except InvalidInput as exc:
        raise ExchangeError(exc.message + " (in the imported file)", code="E501") from None


# -- small shared helpers -----------------------------------------------------------


def xml_bytes(root: etree._Element) -> bytes:
    """Serialise with the declaration most QDA programs write (double quotes)."""
    body = etree.tostring(root, encoding="utf-8", xml_declaration=False, pretty_print=True)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _text_child(parent: etree._Element, tag: str, text: str, what: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    try:
        element.text = text
    except ValueError:
        raise InvalidInput(
            f"The text of {what} holds control characters that XML cannot carry. "
            "Remove them (they are invisible; retype the text) and export again.",
            code="E401",
        ) from None
    return element
