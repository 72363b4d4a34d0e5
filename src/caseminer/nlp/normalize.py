"""Analysis text from original text, with an offset map back to the original.

Chinese case texts arrive messy: full-width digits and letters (２０２１), ASCII
punctuation used as Chinese punctuation ("脱贫攻坚,乡村振兴."), curly and straight
quotes mixed, several dash forms, ideographic spaces, and line breaks in the middle
of sentences where a PDF was copied. Every later stage works on one *analysis
text*; every span a researcher sees is shown in the *original* text. So
:func:`normalise` returns both the analysis text and an :class:`OffsetMap`.

Rules, in order (each documented because results depend on them):

1. NFKC per character: full-width digits/letters/punctuation to their canonical
   form (２０２１ -> 2021, Ａ -> A, ideographic space -> space). Characters whose
   NFKC form is longer than one character (e.g. ㈠, ½) are kept as they are, so that
   the map stays one-to-one per analysis character where possible.
2. Quotes and dashes unified: “ ” ‘ ’ " ' -> 「“」 「”」 style Chinese quotes
   “ ” and ‘ ’ (straight quotes alternate open/close within a paragraph); ―, —, –, ‒
   and the doubled form -> ——.
3. ASCII punctuation between Chinese characters (or after a Chinese character at
   the end of a line) is read as Chinese punctuation: , -> ，  . -> 。  ; -> ；
   : -> ：  ? -> ？  ! -> ！  ( ) -> （ ）. A '.' between digits (3.5) is a
   decimal point and stays.
4. Line breaks: a single line break inside a sentence (the line before it does
   not end in sentence-final punctuation and both sides are Chinese text) is
   removed, as is the white space around it; a blank line or a break after
   sentence-final punctuation marks a paragraph and is kept as one "\\n", as
   does every break of a source whose lines are paragraphs (a web page's blocks)
   and the break after a table's row. A run of spaces and tabs with a tab in it
   separates the cells of a table and is kept as one tab; other runs of spaces
   collapse to one space, and spaces between two Chinese characters are removed.
5. Traditional characters are *not* converted here (that changes words; it is
   an explicit import option, see :func:`to_simplified`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

_CJK_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
)

SENTENCE_END = "。！？；…!?;"
CLOSERS = "”’」』）)》】"
_ASCII_TO_CJK = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_KEEP_FULLWIDTH = set("，！？：；（）～")
_DASHES = {"―": "—", "‒": "—", "–": "—", "─": "—"}


def is_cjk(ch: str) -> bool:
    """True for a Han character (CJK unified ideographs and extensions)."""
    if not ch:
        return False
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def _is_cjk_or_cjk_punct(ch: str) -> bool:
    return is_cjk(ch) or ch in "，。；：？！、“”‘’（）《》【】—…「」『』"


@dataclass(frozen=True)
class OffsetMap:
    """Maps analysis-text offsets to original-text offsets.

    ``starts[i]`` is the original offset of analysis character ``i``;
    ``starts[len(analysis)]`` is ``len(original)`` (or the start of a part left out
    at the end of the original, such as a reference list). A span ``[a, b)`` of the
    analysis text corresponds to ``[to_original(a), to_original_end(b))`` in the
    original, which also covers any characters the normalisation removed inside it.
    """

    starts: tuple[int, ...]

    def to_original(self, index: int) -> int:
        return self.starts[index]

    def to_original_end(self, end: int) -> int:
        """Original end offset for an analysis span ending (exclusively) at ``end``."""
        if end == 0:
            return self.starts[0]
        # One past the original position of the last analysis character in the span.
        return self.starts[end - 1] + 1 if end < len(self.starts) else self.starts[-1]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original(start), self.to_original_end(end)

    def to_analysis(self, original_index: int) -> int:
        """The analysis offset of the first analysis character at or after an original offset
        (the end of the analysis text for an offset in a part left out at the end)."""
        return min(bisect.bisect_left(self.starts, original_index), len(self.starts) - 1)

    def span_to_analysis(self, start: int, end: int) -> tuple[int, int]:
        return self.to_analysis(start), self.to_analysis(end)

    def to_breakpoints(self) -> list[list[int]]:
        """Compact form for storage: ``[[i, shift], ...]`` where ``starts[k] = k + shift``
        from analysis index ``i`` up to the next breakpoint. Usually a handful of pairs."""
        points: list[list[int]] = []
        shift = None
        for i, start in enumerate(self.starts):
            if start - i != shift:
                shift = start - i
                points.append([i, shift])
        return points

    @classmethod
    def from_breakpoints(cls, points: list[list[int]], length: int) -> "OffsetMap":
        """Inverse of :meth:`to_breakpoints`; ``length`` is ``len(analysis text)``."""
        starts = []
        for k, (i, shift) in enumerate(points):
            stop = points[k + 1][0] if k + 1 < len(points) else length + 1
            starts.extend(range(i + shift, stop + shift))
        return cls(tuple(starts))


def left_out_spans(original: str, offsets: OffsetMap, text: str | None = None) -> list[tuple[int, int]]:
    """The runs of ``original`` that no analysis character comes from and that hold
    more than white space: what import left out as not content (a reference list, a
    PDF's page numbers and running heads, markup). Normalisation itself removes only white
    space, byte-order and zero-width marks. Given the analysis ``text``, a break or tab that
    stands for markup (``</td>``, ``<p>``: :mod:`caseminer.nlp.markup`) leaves the whole tag out."""
    covered = bytearray(len(original))
    for i, start in enumerate(offsets.starts[:-1]):
        if text is not None and text[i].isspace() and not original[start].isspace():
            continue  # a cell's or a line's end standing for a tag: the tag is not text
        covered[start] = 1
    out: list[tuple[int, int]] = []
    i, n = 0, len(original)
    while i < n:
        if covered[i]:
            i += 1
            continue
        j = i
        while j < n and not covered[j]:
            j += 1
        visible = [k for k in range(i, j) if not (original[k].isspace() or original[k] in _INVISIBLE)]
        if visible:  # the span of its text, without the white space around it
            out.append((visible[0], visible[-1] + 1))
        i = j
    return out


_INVISIBLE = "\ufeff\u200b"  # the byte-order mark and the zero-width space, which normalise drops


@dataclass(frozen=True)
class NormalisedText:
    text: str
    offsets: OffsetMap


def normalise(original: str, *, leave_out: Sequence[tuple[int, int]] = (), wrapped: bool = True,
              replace: Sequence[tuple[int, int, str]] = ()) -> NormalisedText:
    """Derive the analysis text of ``original`` with its offset map (rules above).

    ``leave_out``: ascending, disjoint spans ``(start, end)`` of the original that
    are not content (:mod:`caseminer.nlp.sections`: a reference list, the page
    numbers and running heads of a PDF); the analysis text skips them, and where
    the last runs to the end, the map ends at its start. ``replace``: ascending,
    disjoint spans ``(start, end, replacement)`` (:mod:`caseminer.nlp.markup`: a tag,
    a formula) that the analysis text holds ``replacement`` for, its characters mapped
    across the span; those inside a span left out are dropped. ``wrapped=False``: every
    line is a paragraph (a web page's blocks), never a wrap to join.
    """
    n = len(original)
    spans = _merged_edits(leave_out, replace)
    # Step 0: unify newlines, keeping a per-character origin list.
    chars: list[str] = []
    origin: list[int] = []
    i = 0
    skips = iter(spans)
    skip_from, skip_to, instead = next(skips, (n, n, ""))
    while i < n:
        ch = original[i]
        if i >= skip_from:
            last = len(instead) - 1
            for k, c in enumerate(instead):  # spread over the span: a search finds it there
                chars.append(_nfkc_char(c))
                origin.append(skip_from + (k * (skip_to - 1 - skip_from) // last if last else 0))
            i = max(i, skip_to)
            skip_from, skip_to, instead = next(skips, (n, n, ""))
            continue
        if ch == "\r":
            chars.append("\n")
            origin.append(i)
            if i + 1 < n and original[i + 1] == "\n":
                i += 1
        elif ch in "\u2028\u2029\x0b\x0c\x85":
            chars.append("\n")
            origin.append(i)
        elif ch == "\ufeff" or ch == "\u200b":
            pass  # BOM and zero-width space carry nothing
        else:
            chars.append(_nfkc_char(ch))
            origin.append(i)
        i += 1

    chars = [_DASHES.get(c, c) for c in chars]
    _convert_ascii_punctuation(chars)
    _convert_quotes(chars)
    chars, origin = _fold_whitespace(chars, origin, wrapped=wrapped)
    end = leave_out[-1][0] if leave_out and leave_out[-1][1] >= n else n
    return NormalisedText("".join(chars), OffsetMap(tuple(origin) + (end,)))


def _merged_edits(leave_out: Sequence[tuple[int, int]],
                  replace: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``leave_out`` (replaced by nothing) and the spans of ``replace`` outside them, ascending."""
    out = [(a, b, "") for a, b in leave_out]
    out += [(a, b, r) for a, b, r in replace if not any(a < y and x < b for x, y in leave_out)]
    return sorted(out)


def _nfkc_char(ch: str) -> str:
    if ch.isascii():
        return ch
    if ch in _KEEP_FULLWIDTH:
        return ch  # Chinese punctuation stays Chinese (NFKC would make it ASCII)
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        return ch
    if folded == "\u3000" or folded == "\xa0":
        return " "
    return folded


def _neighbour(chars: list[str], i: int, step: int, skip: str = " \t") -> str:
    j = i + step
    while 0 <= j < len(chars) and chars[j] in skip:
        j += step
    return chars[j] if 0 <= j < len(chars) else ""


def _convert_ascii_punctuation(chars: list[str]) -> None:
    for i, ch in enumerate(chars):
        if ch not in _ASCII_TO_CJK:
            continue
        before = _neighbour(chars, i, -1, " \t\n")
        after = _neighbour(chars, i, +1, " \t\n")
        if ch == "." and before.isdigit() and _neighbour(chars, i, +1, " \t\n").isdigit():
            continue  # decimal point, also when a PDF line break follows it ("2.\n3万户")
        if ch in "()":
            # Brackets turn Chinese when the content or the neighbours are Chinese.
            if _is_cjk_or_cjk_punct(before) or _is_cjk_or_cjk_punct(after):
                chars[i] = _ASCII_TO_CJK[ch]
            continue
        before_cjk = _is_cjk_or_cjk_punct(before) or before in CLOSERS or before.isdigit() and _cjk_run_before(chars, i)
        # After a Chinese character, "." or "," before a number still ends a clause
        # ("低保.2022年" is "低保。2022年"); only digit.digit is a decimal point.
        after_cjk = (_is_cjk_or_cjk_punct(after) or after in ("", "\n") or after in "“‘"
                     or (after.isdigit() and is_cjk(before)))
        if before_cjk and after_cjk and (is_cjk(before) or is_cjk(after) or before in CLOSERS or before.isdigit()):
            chars[i] = _ASCII_TO_CJK[ch]


def _cjk_run_before(chars: list[str], i: int) -> bool:
    """A digit run directly preceded by Chinese text (…共123户, …)."""
    j = i - 1
    while j >= 0 and chars[j].isdigit():
        j -= 1
    return j >= 0 and is_cjk(chars[j])


def _convert_quotes(chars: list[str]) -> None:
    open_double = True
    open_single = True
    for i, ch in enumerate(chars):
        if ch == "\n":
            open_double = open_single = True
        elif ch == '"':
            if _is_cjk_or_cjk_punct(_neighbour(chars, i, -1)) or _is_cjk_or_cjk_punct(_neighbour(chars, i, 1)):
                chars[i] = "“" if open_double else "”"
                open_double = not open_double
        elif ch == "“":
            open_double = False
        elif ch == "”":
            open_double = True
        elif ch == "'":
            if is_cjk(_neighbour(chars, i, -1)) or is_cjk(_neighbour(chars, i, 1)):
                chars[i] = "‘" if open_single else "’"
                open_single = not open_single


def _fold_whitespace(chars: list[str], origin: list[int], *, wrapped: bool = True) -> tuple[list[str], list[int]]:
    out: list[str] = []
    out_origin: list[int] = []
    typical = _typical_line_length(chars)
    line_start = 0
    i = 0
    n = len(chars)
    while i < n:
        ch = chars[i]
        if ch in " \t\n":
            j = i
            newlines = 0
            while j < n and chars[j] in " \t\n":
                newlines += chars[j] == "\n"
                j += 1
            prev = out[-1] if out else ""
            nxt = chars[j] if j < n else ""
            if not out or j == n:
                pass  # leading / trailing white space
            elif newlines >= 2 or (newlines == 1 and (not wrapped or _ends_paragraph(out[line_start:], nxt, typical))):
                out.append("\n")
                out_origin.append(origin[i + chars[i:j].index("\n")])
                line_start = len(out)
            elif newlines == 0 and "\t" in chars[i:j]:
                out.append("\t")  # a column of a table: cells stay apart
                out_origin.append(origin[i + chars[i:j].index("\t")])
            elif newlines == 1 or (_is_cjk_or_cjk_punct(prev) or _is_cjk_or_cjk_punct(nxt)):
                # A PDF line break inside a sentence, or spaces next to Chinese text.
                if newlines == 1 and prev.isascii() and prev.isalpha() and nxt.isascii() and nxt.isalnum():
                    out.append(" ")  # a break between two Latin words keeps a space
                    out_origin.append(origin[i])
            else:
                out.append(" ")
                out_origin.append(origin[i])
            i = j
            continue
        out.append(ch)
        out_origin.append(origin[i])
        i += 1
    return out, out_origin


_LIST_MARKER = re.compile(r"^(第[一二三四五六七八九十百]+[章节部分条]|[一二三四五六七八九十]+[、是]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[、.．])")


def _typical_line_length(chars: list[str]) -> int:
    """Median length of the non-empty lines: the wrap width of a PDF copy."""
    lengths = sorted(len(line) for line in "".join(chars).split("\n") if line.strip())
    return lengths[len(lengths) // 2] if lengths else 0


def _ends_paragraph(line: list[str], nxt: str, typical: int) -> bool:
    """Whether a single line break after ``line`` ends a paragraph.

    It does after sentence-final punctuation or a colon, after a table's row (cells
    apart by tabs), after a heading
    (a line that starts with a list marker such as 二、 or （一） and is short), and
    after a line clearly shorter than the document's typical line (the last line
    of a wrapped paragraph). Otherwise it is a wrap inside a sentence.
    """
    if not line or "\t" in line:  # a table's row is a line of its own
        return True
    prev = line[-1]
    if prev in SENTENCE_END or prev in CLOSERS or prev in "：:":
        return True
    text = "".join(line).strip()
    if _LIST_MARKER.match(text) and len(text) <= 30:
        return True
    if typical >= 20 and len(text) < 0.6 * typical and prev not in "，、":
        return True
    return False


#: Share of a text's Han characters that OpenCC t2s changes from which the text reads as
#: written in traditional characters (:func:`traditional_share`). Simplified texts stay
#: under 0.03 (乾 in 乾隆 is one t2s changes: a CCTV story about it reaches 0.025); the
#: 1954 government work report on Wikisource, in traditional characters, is at 0.29.
TRADITIONAL_SHARE = 0.1
_TRADITIONAL_SAMPLE = 2000
_NOT_HAN = re.compile("[^\u4e00-\u9fff]+")


def traditional_share(text: str) -> float:
    """Share of the Han characters of ``text`` that OpenCC's t2s table changes (at most the
    first 2,000, from its first 8,000 characters): high for a text written in traditional
    characters (:data:`TRADITIONAL_SHARE`)."""
    han = _NOT_HAN.sub("", text[: 4 * _TRADITIONAL_SAMPLE])[:_TRADITIONAL_SAMPLE]
    if not han:
        return 0.0
    simplified = to_simplified(han)
    return sum(a != b for a, b in zip(han, simplified)) / len(han)


def to_simplified(text: str) -> str:
    """Traditional -> simplified characters with OpenCC's t2s table (one char per char).

    Only characters whose conversion is a single character are replaced, so
    offsets do not move.
    """
    converter = _t2s()
    whole = converter.convert(text)
    if len(whole) == len(text):
        return whole
    out = []
    for ch in text:
        conv = converter.convert(ch) if is_cjk(ch) else ch
        out.append(conv if len(conv) == 1 else ch)
    return "".join(out)


@lru_cache(maxsize=1)
def _t2s():
    """OpenCC's t2s converter, built once (building it costs milliseconds per call)."""
    try:
        import opencc
    except ImportError as e:  # pragma: no cover - opencc is a declared dependency
        from ..errors import BackendMissing, fail

        raise fail(BackendMissing, "E304", name="t2s", package="opencc") from e
    return opencc.OpenCC("t2s")
