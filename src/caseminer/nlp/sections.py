"""Parts of a text that are not its content: the reference list of a paper or report.

A research paper imported as a case ends with its references (a fifth of the 34
ChinaXiv papers' characters, half in some), often followed by an English title,
abstract and author notes. Left in the analysis text, journal names (生态学报,
社会科学版) and the titles of cited works count as the case's words: they come
up in discovery and keywords. :func:`reference_list` finds that part so that import
can leave it out of the analysis text (the original keeps it).

Rules (a list is found only where both hold, so that case texts without one are
untouched):

1. A heading line: 参考文献 or 主要参考文献 (optionally with "(References)" and a
   colon), References or Bibliography, alone on its line (Markdown ``#`` allowed),
   or directly followed by a numbered first entry ("参考文献：[1] ...").
2. Entries after it: of the first non-empty lines below the heading, at least
   half, and at least two, read as references: a number in brackets or at the
   start ([1], ［2］, 3 李...), a document-type mark ([J], [M], [EB/OL]), a
   publication year in parentheses or after a comma (2019), (20l7) as OCR writes
   it, or "et al". A heading followed by one flattened line counts when that line
   holds two or more such marks.

The part runs from the heading to the end of the text, or to a later heading of
an appendix (附录, 附件, 附表, Appendix), whose content is the case's again.
"""

from __future__ import annotations

import re

_HEADING = re.compile(
    r"^[ \t#*]*(?:主要)?(?:参考文献|参考资料)[ \t]*(?:[（(][ \t]*references?[ \t]*[)）])?[ \t]*[:：]?[ \t]*"
    r"|^[ \t#*]*(?:references?|bibliography)[ \t]*[:：]?[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
_APPENDIX = re.compile(r"^[ \t#*]*(?:附\s*录|附\s*件|附\s*表|appendix)", re.IGNORECASE | re.MULTILINE)
# One mark is enough for a line to read as a reference.
_NUMBERED = re.compile(r"^\s*(?:[\[［【(（]\s*\d{1,3}\s*[\]］】」)）]|\d{1,3}(?![\d年月日%.．,，]))")
_MARKS = re.compile(
    r"[\[［]\s*(?:[JMCDNRSPZGA]|EB|DB|CP|OL|EB/OL|J/OL|M/OL|N/OL)\s*[\]］]"   # document type
    r"|[(（]\s*[12][0-9Oolz]{3}[a-z]?\s*[)）]"                               # (2019), (20l7)
    r"|[，,.．]\s*(?:19|20)\d{2}\s*[,，(（:：.．;；)]"                        # 地理研究，2015，
    r"|\bet\s*al\b|等\s*[.．]",
    re.IGNORECASE,
)
_FOLLOWING_LINES = 6
_MIN_ENTRIES = 2


def reference_list(original: str) -> tuple[int, int] | None:
    """The span ``(start, end)`` of ``original`` that is a reference list, or None.

    ``start`` is the start of the heading's line; ``end`` the start of a later
    appendix heading or ``len(original)``. The first heading whose lines read as
    references wins: a paper has one list, and a body sentence on references is
    not alone on its line.
    """
    for heading in _HEADING.finditer(original):
        line_end = original.find("\n", heading.end())
        line_end = len(original) if line_end < 0 else line_end
        rest_of_line = original[heading.end():line_end].strip()
        if rest_of_line and not _NUMBERED.match(rest_of_line):
            continue  # a sentence that begins with the word, not a heading
        if not _entries_follow(rest_of_line, original[line_end:]):
            continue
        start = heading.start()
        appendix = _APPENDIX.search(original, line_end)
        return start, appendix.start() if appendix else len(original)
    return None


def _entries_follow(rest_of_line: str, below: str) -> bool:
    lines = ([rest_of_line] if rest_of_line else []) + [
        line for line in below.split("\n") if _has_text(line)][:_FOLLOWING_LINES]
    lines = lines[:_FOLLOWING_LINES]
    if len(lines) == 1:
        return len(_MARKS.findall(lines[0])) + bool(_NUMBERED.match(lines[0])) >= _MIN_ENTRIES
    entries = sum(1 for line in lines if _is_entry(line))
    return entries >= _MIN_ENTRIES and entries * 2 >= len(lines)


def _is_entry(line: str) -> bool:
    return bool(_NUMBERED.match(line) or _MARKS.search(line))


def _has_text(line: str) -> bool:
    """False for blank lines and the remnants of a two-line heading: "(References)", "："."""
    stripped = line.strip(" \t#*:：()（）")
    return bool(stripped) and stripped.lower() not in ("references", "reference")
