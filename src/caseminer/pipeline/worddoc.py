"""The text of a Word 97-2003 document (.doc), read with olefile alone.

Case collections of Chinese agencies and older studies come as .doc; asking a researcher
to convert hundreds of them first loses an afternoon. The format is documented
([MS-DOC], Microsoft Open Specifications): the ``WordDocument`` stream opens with the File
Information Block (FIB), which gives the length of the main text (``ccpText``) and where
the piece table lies in the table stream (``fcClx``, ``lcbClx``); the piece table maps the
text's character positions to byte ranges of ``WordDocument``, each stored as UTF-16LE or,
"compressed", as one byte per character (cp1252). Chinese text is always UTF-16.

Only the main text is read (no headers, footnotes, comments or text boxes). Word's control
characters become plain text: a paragraph mark or line break a line break, a table cell's
end a tab and a row's end a line break (as :func:`caseminer.pipeline.readers.read_docx`
reads a table), a field's result is kept and its code dropped (``HYPERLINK "..."``), and
object anchors (pictures, footnote marks) are left out.

Raises :class:`DocFormatError` with what is wrong; the caller turns it into the import's
error (E209).
"""

from __future__ import annotations

import struct

__all__ = ["DocFormatError", "read_doc_text"]


class DocFormatError(ValueError):
    """Not a Word 97-2003 document we can read (why in the message)."""


_WORD_MAGIC = 0xA5EC
_OLD_WORD_MAGIC = (0xA5DC, 0xA5DB)  # Word 6 / 95, Word 2
_FIB_FLAGS = 0x0A
_ENCRYPTED = 0x0100
_WHICH_TABLE = 0x0200
_CLX_INDEX = 33  # fcClx / lcbClx: the 34th pair of FibRgFcLcb97


def read_doc_text(data: bytes) -> str:
    """The main text of the .doc file ``data`` as plain text (module docstring)."""
    import olefile

    # (olefile takes bytes shorter than a minimal OLE file for a file name: check the header here)
    if len(data) < olefile.MINIMAL_OLEFILE_SIZE or not data.startswith(olefile.MAGIC):
        raise DocFormatError(_other_format(data) or "it is not a Word 97-2003 file (no OLE compound file header; "
                             "a file renamed to .doc, or cut short)")
    try:
        with olefile.OleFileIO(data) as ole:
            if not ole.exists("WordDocument"):
                raise DocFormatError("it has no WordDocument stream (another Office file saved as .doc?)")
            word = ole.openstream("WordDocument").read()
            fib = _fib(word)
            table_name = "1Table" if fib["flags"] & _WHICH_TABLE else "0Table"
            if not ole.exists(table_name):
                raise DocFormatError(f"its table stream {table_name} is missing")
            table = ole.openstream(table_name).read()
        raw = _text_of_pieces(word, table, fib)
    except DocFormatError:
        raise
    except Exception as e:  # damaged bytes fail olefile and the parsing in many ways (OSError, ValueError ...)
        raise DocFormatError(f"the file is damaged or truncated ({type(e).__name__}: {e})") from None
    return _plain(raw[: fib["ccp_text"]])


def _other_format(data: bytes) -> str | None:
    """What a file named .doc really is, where it is a format the import reads under its own
    name or a common other one (web sites often serve a web page or an RTF file as .doc)."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"pk\x03\x04"):
        return "it is a Word 2007+ document (.docx) named .doc: rename it to .docx and import it again"
    if head.startswith(b"{\\rtf"):
        return "it is an RTF file named .doc: open it in Word or WPS and save it as .docx"
    if head.startswith((b"<html", b"<!doctype html", b"<?xml", b"mime-version")) or b"<html" in head:
        return ("it is a web page (HTML or MHTML) named .doc, as web sites often serve them: rename it to .html "
                "(or open it in Word and save it as .docx) and import it again")
    return None


def _fib(word: bytes) -> dict:
    if len(word) < 0x22:
        raise DocFormatError("its WordDocument stream is cut short")
    if struct.unpack_from("<H", word, 0)[0] in _OLD_WORD_MAGIC:
        raise DocFormatError("it is older than Word 97 (Word 6 or 95), which is not read; save it as .docx")
    if struct.unpack_from("<H", word, 0)[0] != _WORD_MAGIC:
        raise DocFormatError("its WordDocument stream does not start with a Word file header")
    flags = struct.unpack_from("<H", word, _FIB_FLAGS)[0]
    if flags & _ENCRYPTED:
        raise DocFormatError("it is protected by a password; open it in Word or WPS, remove the password "
                             "and save it again")
    at = 0x20
    csw = struct.unpack_from("<H", word, at)[0]
    at += 2 + 2 * csw
    cslw = struct.unpack_from("<H", word, at)[0]
    lw = at + 2
    ccp_text = struct.unpack_from("<i", word, lw + 3 * 4)[0]
    at = lw + 4 * cslw
    cb_rg_fc_lcb = struct.unpack_from("<H", word, at)[0]
    if cb_rg_fc_lcb <= _CLX_INDEX:
        raise DocFormatError("it is older than Word 97 (Word 6 or 95), which is not read; save it as .docx")
    fc_clx, lcb_clx = struct.unpack_from("<II", word, at + 2 + 8 * _CLX_INDEX)
    return {"flags": flags, "ccp_text": max(0, ccp_text), "fc_clx": fc_clx, "lcb_clx": lcb_clx}


def _text_of_pieces(word: bytes, table: bytes, fib: dict) -> str:
    clx = table[fib["fc_clx"]: fib["fc_clx"] + fib["lcb_clx"]]
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc: formatting of the pieces, skipped
        at += 3 + struct.unpack_from("<H", clx, at + 1)[0]
    if at >= len(clx) or clx[at] != 0x02:
        raise DocFormatError("its piece table is missing or damaged")
    lcb = struct.unpack_from("<I", clx, at + 1)[0]
    plc = clx[at + 5: at + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0:
        raise DocFormatError("its piece table is empty")
    cps = struct.unpack_from(f"<{n + 1}i", plc, 0)
    parts = []
    for k in range(n):
        start, end = cps[k], cps[k + 1]
        fc_value = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
        compressed = bool(fc_value & 0x40000000)
        fc = fc_value & 0x3FFFFFFF
        count = max(0, end - start)
        if compressed:
            parts.append(word[fc // 2: fc // 2 + count].decode("cp1252", errors="replace"))
        else:
            parts.append(word[fc: fc + 2 * count].decode("utf-16-le", errors="replace"))
    return "".join(parts)


# Control characters of Word's text and what the plain text holds for them.
_CONTROL = {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x0e": "\n", "\x1e": "-", "\x1f": "", "\xa0": " ",
            "\x01": "", "\x02": "", "\x03": "", "\x04": "", "\x05": "", "\x08": ""}


def _plain(raw: str) -> str:
    out: list[str] = []
    fields: list[bool] = []  # per open field: are we past its separator (in its result)?
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\x13":  # field begins: its code follows
            fields.append(False)
        elif ch == "\x14":  # field separator: its result follows
            if fields:
                fields[-1] = True
        elif ch == "\x15":  # field ends
            if fields:
                fields.pop()
        elif fields and not all(fields):
            pass  # inside a field's code
        elif ch == "\x07":  # end of a cell; a second one right after ends the row
            row_end = raw[i + 1: i + 2] == "\x07"
            out.append("\n" if row_end else "\t")
            i += row_end
        else:
            out.append(_CONTROL.get(ch, ch))
        i += 1
    return "".join(out).replace("\t\n", "\n")
