"""The project's domain lexicon: words segmentation must keep whole.

Words come from accepted discoveries and from user word lists. Each addition and
removal is an event (``lexicon.add`` / ``lexicon.remove``); the current lexicon is
the fold of the active events, so removals can be undone and every word says who
added it and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import InvalidInput, fail
from ..pipeline.events import active_events
from ..project import Project

_WORD = re.compile(r"^[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9·]{2,20}$")


@dataclass(frozen=True)
class LexiconEntry:
    word: str
    pos: str
    source: str
    added_by: str
    added_at: str
    reason: str | None


def current_lexicon(project: Project) -> dict[str, LexiconEntry]:
    """word -> entry, from the active lexicon events in order."""
    lexicon: dict[str, LexiconEntry] = {}
    for event in active_events(project, "lexicon."):
        for word in event.payload.get("words", []):
            if event.kind == "lexicon.add":
                lexicon[word] = LexiconEntry(word, event.payload.get("pos", "n_new"), event.payload.get("source", "user"),
                                             event.coder, event.at, event.reason)
            elif event.kind == "lexicon.remove":
                lexicon.pop(word, None)
    return lexicon


def validate_words(words: Iterable[str], *, where: str = "the word list") -> list[str]:
    """Strip, de-duplicate and check words (2-20 Han characters, letters or digits)."""
    out: list[str] = []
    for number, word in enumerate(words, start=1):
        word = word.strip()
        if not word or word.startswith("#"):
            continue
        word = word.split()[0]  # jieba-style "word freq pos" lines: keep the word
        if not _WORD.match(word):
            raise fail(InvalidInput, "E201", path=where,
                       what=f"entry {number} ({word!r}) is not a word of 2-20 Chinese characters, letters or digits",
                       fix="Remove spaces and punctuation from the entry.")
        if word not in out:
            out.append(word)
    return out


def add_words(project: Project, words: Iterable[str], *, coder: str, source: str = "user",
              pos: str = "n_new", reason: str | None = None) -> list[str]:
    """Add words to the lexicon (one event); returns the words that were new."""
    words = validate_words(words)
    present = current_lexicon(project)
    new = [w for w in words if w not in present]
    if new:
        project.record_event("lexicon.add", coder=coder, target=None,
                             payload={"words": new, "source": source, "pos": pos}, reason=reason)
    return new


def remove_words(project: Project, words: Iterable[str], *, coder: str, reason: str | None = None) -> list[str]:
    """Remove words from the lexicon (one event); returns the words that were there."""
    present = current_lexicon(project)
    words = [w.strip() for w in words if w.strip()]
    missing = [w for w in words if w not in present]
    if missing:
        raise InvalidInput(f"Not in the lexicon: {', '.join(missing)}. See the lexicon with 'caseminer lexicon list'.")
    project.record_event("lexicon.remove", coder=coder, payload={"words": words}, reason=reason)
    return words


#: Headings of a word list's column in a workbook (its first row, not a word of the list).
WORD_HEADINGS = frozenset({"词", "词语", "词条", "术语", "新词", "关键词", "word", "words", "term", "terms", "keyword"})


def read_word_file(path: str | Path) -> list[str]:
    """A user word list: one word per line (jieba user-dict lines accepted), # comments; or
    a workbook (.xlsx, .xls, .et, .ods) whose first sheet's first column holds the words,
    under a heading such as 词语 or word if it has one."""
    from . import spreadsheets
    from .readers import decode_bytes

    path = Path(path)
    if not path.is_file():
        raise fail(InvalidInput, "E215", path=path)
    if path.suffix.lower() in spreadsheets.SUFFIXES:
        cells = ["" if not row or row[0] is None else str(row[0]) for row in spreadsheets.first_sheet(path).rows]
        if cells and cells[0].strip().lower() in WORD_HEADINGS:
            cells[0] = ""
        return validate_words(cells, where=f"{path}, first column")
    text, _ = decode_bytes(path.read_bytes(), str(path))
    return validate_words(text.splitlines(), where=str(path))
