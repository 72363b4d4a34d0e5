"""Parse untrusted XML (REFI-QDA files) without ever expanding or fetching anything.

Two passes, on purpose (issue 7):

1. ``defusedxml`` (expat) with ``forbid_dtd=True``: any ``<!DOCTYPE``, entity
   declaration or external reference is refused *before* anything is expanded, so a
   billion-laughs or XXE file costs nothing. Malformed XML is reported with its line
   and column.
2. ``lxml`` with a hardened parser (no DTD loading, no entity resolution, no network,
   no huge-tree mode) builds the tree we actually use, because lxml elements carry
   ``sourceline``: every later error message can name the line of the offending
   element.

The input size is capped before parsing. Schema validation uses ``xmlschema``
against the REFI-QDA XSDs shipped in ``caseminer/data/refi`` (loaded from local files,
never from the network).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree as DET
import xmlschema
from lxml import etree

from ..errors import ExchangeError

MB = 1024 * 1024
DEFAULT_MAX_XML_BYTES = 50 * MB
"""Default cap for one XML document (a .qdc file, or project.qde inside a .qdpx)."""


def read_xml_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_XML_BYTES) -> etree._Element:
    """Read and safely parse the XML file at ``path``; see :func:`parse_xml`."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ExchangeError(f"{path}: no such file. Check the path.", code="E501") from None
    _check_size(size, max_bytes, str(path))
    with path.open("rb") as fh:
        data = fh.read(max_bytes + 1)  # the file may have grown since stat()
    return parse_xml(data, source=str(path), max_bytes=max_bytes)


def parse_xml(
    data: bytes, *, source: str = "<xml>", max_bytes: int = DEFAULT_MAX_XML_BYTES
) -> etree._Element:
    """Parse ``data`` and return the root element (an lxml element with ``sourceline``).

    Raises :class:`ExchangeError` (E501) if the data is over ``max_bytes``, declares a
    DTD or entities, refers to external resources, or is not well-formed XML; the
    message names ``source`` and, for malformed XML, the line and column.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("parse_xml takes bytes; read files in binary mode")
    _check_size(len(data), max_bytes, source)
    try:
        DET.fromstring(bytes(data), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise ExchangeError(
            f"{source}: the file declares a DTD (<!DOCTYPE ...>). caseminer refuses DTDs "
            "and entities in exchange files because they can expand without limit or "
            "read local files. Export the file again from its program, without a DTD.",
            code="E501",
        ) from None
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as exc:
        raise ExchangeError(
            f"{source}: the file declares or references XML entities ({exc}). caseminer "
            "refuses them (they can expand without limit or read local files). Export "
            "the file again from its program.",
            code="E501",
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", ("?", "?"))
        raise ExchangeError(
            f"{source}, line {line}, column {column}: not well-formed XML "
            f"({_reason(exc)}). The file is damaged or not XML; export it again.",
            code="E501",
        ) from None
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        return etree.fromstring(bytes(data), parser)
    except etree.XMLSyntaxError as exc:  # pragma: no cover - expat accepted it already
        line, column = exc.position
        raise ExchangeError(
            f"{source}, line {line}, column {column}: not well-formed XML ({exc.msg}).",
            code="E501",
        ) from None


@functools.lru_cache(maxsize=4)
def load_schema(name: str) -> xmlschema.XMLSchema:
    """The shipped REFI-QDA schema ``name`` (``"Codebook.xsd"`` or ``"Project.xsd"``)."""
    ref = resources.files("caseminer").joinpath("data", "refi", name)
    with resources.as_file(ref) as xsd_path:
        # The XSDs import nothing; "sandbox" forbids xmlschema any read outside
        # their folder and any network access, should that ever change.
        return xmlschema.XMLSchema(
            str(xsd_path), base_url=str(Path(xsd_path).parent), allow="sandbox", defuse="always"
        )


def validate_against(root: etree._Element, schema_name: str, *, source: str) -> None:
    """Raise :class:`ExchangeError` naming the first schema violations (with lines)."""
    schema = load_schema(schema_name)
    problems = []
    # use_location_hints=False: an instance's xsi:schemaLocation is never followed.
    for error in schema.iter_errors(root, use_location_hints=False):
        line = getattr(error, "sourceline", None)
        if line is None and getattr(error, "elem", None) is not None:
            line = getattr(error.elem, "sourceline", None)
        where = f"line {line}" if line else (error.path or "?")
        problems.append(f"{where}: {error.reason or error.message}")
        if len(problems) == 5:
            break
    if problems:
        raise ExchangeError(
            f"{source} does not follow the REFI-QDA schema {schema_name}: "
            + "; ".join(problems)
            + ". Export the file again from its program, or fix these elements.",
            code="E501",
        )


def line_of(element: etree._Element) -> str:
    """``"line N"`` for an lxml element, for error messages."""
    line = getattr(element, "sourceline", None)
    return f"line {line}" if line else "unknown line"


def _check_size(size: int, max_bytes: int, source: str) -> None:
    if size > max_bytes:
        raise ExchangeError(
            f"{source}: {size / MB:.1f} MB is over the limit of {max_bytes / MB:.1f} MB "
            "for one XML document. If the file is genuine, raise the limit (max_bytes).",
            code="E501",
        )


def _reason(exc: ParseError) -> str:
    text = str(exc)
    # expat appends ": line X, column Y", which we already print in front.
    return text.split(": line ")[0] if ": line " in text else text
