"""Parts of a text that are not its content: a reference list, and the page furniture of a PDF.

A research paper imported as a case ends with its references, often followed by an
English title, abstract and author notes (together a third of the 34 ChinaXiv
papers' characters, more than half in some). Left in the analysis text, journal names (生态学报,
社会科学版) and the titles of cited works count as the case's words: they come
up in discovery and keywords. :func:`reference_list` finds that part so that import
can leave it out of the analysis text (the original keeps it).

Rules (a list is found only where both hold, so that case texts without one are
untouched):

1. A heading line: 参考文献 or 主要参考文献 (spaced out as 参 考 文 献 too; optionally
   with "(References)" and a colon), References or Bibliography, alone on its line
   (Markdown ``#`` allowed), or directly followed by a numbered first entry
   ("参考文献：[1] ...").
2. Entries after it: of the first non-empty lines below the heading, at least
   half, and at least two, read as references: a number in brackets or at the
   start ([1], ［2］, 3 李...), a document-type mark ([J], [M], [EB/OL]), a
   publication year in parentheses or after a comma (2019), (20l7) as OCR writes
   it, or "et al". A heading followed by one flattened line counts when that line
   holds two or more such marks.

The part runs from the heading to the end of the text, or to where the case's own
text resumes: a later heading of an appendix (附录, 附件, 附表, Appendix), or a
paragraph of Chinese prose (40 Han characters or more, ending with 。, no mark of
an entry) and the short heading line just above it, if any (a chapter of a report
that gives references chapter by chapter). A text with no Chinese before the heading
is only a reference list and keeps it: there is nothing else to analyse.

A PDF's text comes page by page, with what the layout repeats on every page: page
numbers (— 3 —, 第3页 共10页) and running heads and feet (the issuing office, the
document's short title). Between two pages they cut a sentence apart: 建立健全 at the
foot of one page, 防止返贫动态监测和帮扶机制 at the head of the next.
:func:`page_furniture` finds, at each page break, the lines to leave out so that
the analysis text reads on as the document does; normalisation then joins the
sentence (or keeps the paragraph break where the page ended one):

1. A page-number line: digits with dashes, 第 … 页, 共 … 页, a slash, or Page … of ….
2. A running head or foot: a line among the first or last two of a page which,
   with its digits ignored, stands there on at least half of the pages, and on
   two at least; it has at most 40 characters and does not end as a sentence or
   clause does. The first page's head is kept (it is the document's heading).
"""

from __future__ import annotations

import re

_HEADING = re.compile(
    r"^[ \t#*]*(?:主要)?(?:参[ \t\u3000]*考[ \t\u3000]*(?:文[ \t\u3000]*献|资[ \t\u3000]*料))"
    r"[ \t]*(?:[（(][ \t]*references?[ \t]*[)）])?[ \t]*[:：]?[ \t]*"
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
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PROSE_HAN = 40
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
        if not _HAN.search(original, 0, heading.start()):
            return None  # a text that is only a reference list: nothing else to analyse
        return heading.start(), _list_end(original, line_end)
    return None


def _list_end(original: str, after: int) -> int:
    """Where the case's own text resumes after a reference list begun before ``after``."""
    appendix = _APPENDIX.search(original, after)
    stop = appendix.start() if appendix else len(original)
    previous: tuple[int, str] | None = None  # the last non-blank line: (start, text)
    position = after + 1
    while position < stop:
        line_end = original.find("\n", position)
        line_end = stop if line_end < 0 or line_end > stop else line_end
        line = original[position:line_end].strip()
        if line:
            if _is_prose(line):
                heading = previous is not None and len(previous[1]) <= 30 and not _is_entry(previous[1])
                return previous[0] if heading else position
            previous = (position, line)
        position = line_end + 1
    return stop


def _is_prose(line: str) -> bool:
    return line.endswith("。") and len(_HAN.findall(line)) >= _PROSE_HAN and not _is_entry(line)


def _entries_follow(rest_of_line: str, below: str) -> bool:
    lines = (([rest_of_line] if rest_of_line else []) + [
        line for line in below.split("\n") if _has_text(line)])[:_FOLLOWING_LINES]
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


_PAGE_NUMBER = re.compile(
    r"^[\s\-—–─_·•|]*(?:第\s*)?[0-9０-９]{1,4}\s*页?"
    r"(?:\s*(?:[/／]|共|of)\s*[0-9０-９]{1,4}\s*页?)?[\s\-—–─_·•|]*$"
    r"|^\s*page\s+[0-9]{1,4}(?:\s+of\s+[0-9]{1,4})?\s*$",
    re.IGNORECASE,
)
_EDGE_LINES = 2
_RUNNING_MAX_CHARS = 40
_SENTENCE_PUNCTUATION = "。！？；，、….!?;,"  # a running head is no sentence; a repeated sentence is content


def page_furniture(pages: list[str], joiner: str = "\n\n") -> list[tuple[int, int]]:
    """Spans of ``joiner.join(pages)`` to leave out of the analysis text: at each page
    break, the page numbers and running heads and feet around it and all but one of
    the line breaks (so that a sentence cut by the break reads on); at the start and
    end of the document, its page numbers and running lines.

    Spans are in ascending order and do not overlap.
    """
    running = _running_lines(pages)
    spans: list[tuple[int, int]] = []
    offset = 0
    previous_end: int | None = None  # end of the previous page's last content line, in the joined text
    for number, page in enumerate(pages):
        lines = _lines(page)
        first, last = _content_bounds(lines, running, first_page=number == 0)
        if first is None:  # nothing but furniture (or blank): the whole page goes
            spans.append((offset if previous_end is None else previous_end, offset + len(page)))
            if previous_end is not None:
                previous_end = offset + len(page)
        else:
            content_start = offset + lines[first][0]
            content_end = offset + lines[last][1]
            if previous_end is None:
                if content_start > offset:
                    spans.append((offset, content_start))
            elif content_start > previous_end + 1:
                spans.append((previous_end + 1, content_start))  # one line break stays
            previous_end = content_end
        offset += len(page) + len(joiner)
    total = offset - len(joiner) if pages else 0
    if previous_end is not None and previous_end < total:
        spans.append((previous_end, total))
    return merged_spans(spans)


def _lines(page: str) -> list[tuple[int, int, str]]:
    """(start, end, stripped text) of every non-blank line of a page."""
    out = []
    start = 0
    for raw in page.split("\n"):
        end = start + len(raw)
        if raw.strip():
            out.append((start, end, raw.strip()))
        start = end + 1
    return out


def _shape(line: str) -> str:
    return re.sub(r"[0-9０-９]+", "#", re.sub(r"\s+", "", line))


def _running_lines(pages: list[str]) -> set[str]:
    """Shapes of the lines that stand among the first or last lines of most pages."""
    seen: dict[str, int] = {}
    for page in pages:
        lines = _lines(page)
        edges = {_shape(text) for _s, _e, text in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]
                 if len(text) <= _RUNNING_MAX_CHARS and text[-1] not in _SENTENCE_PUNCTUATION}
        for shape in edges:
            seen[shape] = seen.get(shape, 0) + 1
    needed = max(2, (len(pages) + 1) // 2)
    return {shape for shape, count in seen.items() if count >= needed}


def _is_furniture(text: str, running: set[str]) -> bool:
    return bool(_PAGE_NUMBER.match(text)) or _shape(text) in running


def _content_bounds(lines, running: set[str], *, first_page: bool) -> tuple[int | None, int | None]:
    """Indexes of a page's first and last content lines (None, None: no content)."""
    first, last = 0, len(lines) - 1
    while first <= last and first < _EDGE_LINES and (
            _PAGE_NUMBER.match(lines[first][2]) or (not first_page and _shape(lines[first][2]) in running)):
        first += 1
    while last >= first and last >= len(lines) - _EDGE_LINES and _is_furniture(lines[last][2], running):
        last -= 1
    return (first, last) if first <= last else (None, None)


def merged_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` sorted, with overlapping and touching ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
