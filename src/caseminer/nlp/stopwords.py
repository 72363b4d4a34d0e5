"""Domain stop-words: terms that occur in nearly every case and so distinguish none.

The reference study removed 脱贫攻坚 and 建档立卡贫困户 before picking keywords:
they are in almost every case of a poverty-alleviation corpus, and no general
stop-word list has them (issue 4). caseminer proposes such terms from the corpus
itself, each with the share of cases it occurs in; the researcher confirms or
edits the list, the project stores it, and keyword extraction applies it.

A shipped *starter list* of generic policy words, function words and slogans
(``caseminer/data/stopwords/policy_zh.txt``) is read by :func:`load_starter_list`
and applied only where the caller passes it; :func:`starter_sections` gives each
word the section of the file it is listed in.

References:
    Luhn, H. P. (1958). The automatic creation of literature abstracts. IBM
    Journal of Research and Development 2(2), 159-165 (very common words carry
    no distinguishing information).
    Spärck Jones, K. (1972). A statistical interpretation of term specificity
    and its application in retrieval. Journal of Documentation 28(1), 11-21
    (a term in every document has zero inverse document frequency).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from ..errors import InvalidInput, NotFound
from ..settings import Interval, validate

__all__ = [
    "StopwordProposal",
    "StopwordSettings",
    "load_starter_list",
    "starter_list_record",
    "starter_sections",
    "parse_stopword_sections",
    "parse_stopword_text",
    "propose_domain_stopwords",
    "read_stopword_file",
    "stands_as_word",
    "terms_by_case",
    "union",
]

log = logging.getLogger(__name__)

STARTER_LIST = "policy_zh.txt"

# Below this many cases a share of cases says little (1 of 2 cases is 50 %);
# proposals are still made but a warning is logged.
_FEW_CASES = 5


class StopwordProposal(NamedTuple):
    """A proposed domain stop-word: ``term`` occurs in ``cases`` cases, ``share`` of all."""

    term: str
    share: float
    cases: int


@dataclass(frozen=True)
class StopwordSettings:
    """Settings of the domain stop-word proposal.

    min_share: propose a term found in at least this share of cases (0.8: in
        four cases out of five or more).
    min_cases: and in at least this many cases (guards tiny corpora).
    min_len: shortest term, in characters, worth proposing.
    """

    min_share: float = 0.8
    min_cases: int = 3
    min_len: int = 2

    CONSTRAINTS: ClassVar[dict[str, Any]] = {
        "min_share": Interval(float, 0.0, 1.0, closed="right"),
        "min_cases": Interval(int, 1),
        "min_len": Interval(int, 1),
    }


def propose_domain_stopwords(
    cases_terms: Mapping[str, Collection[str]],
    *,
    min_share: float = 0.8,
    min_cases: int = 3,
    min_len: int = 2,
    exclude: Collection[str] = (),
) -> list[StopwordProposal]:
    """Terms present in at least ``min_share`` of the cases, most widespread first.

    Args:
        cases_terms: case id -> the terms found in that case (the segmented
            words, keyword candidates or discovered words of the case; repeats
            within a case count once).
        min_share: the lowest share of cases, in (0, 1].
        min_cases: the lowest number of cases.
        min_len: the shortest term in characters.
        exclude: terms never to propose (e.g. ones the researcher already
            rejected as stop-words).

    Returns:
        :class:`StopwordProposal` items sorted by share (descending), then
        longer terms first, then term. Nothing is applied here.

    Example::

        >>> cases = {"a": ["脱贫攻坚", "扶贫车间"], "b": ["脱贫攻坚", "乡村旅游"],
        ...          "c": ["脱贫攻坚", "消费扶贫"]}
        >>> propose_domain_stopwords(cases, min_share=0.9)
        [StopwordProposal(term='脱贫攻坚', share=1.0, cases=3)]
    """
    settings = validate(
        StopwordSettings(min_share=min_share, min_cases=min_cases, min_len=min_len), "stopwords"
    )
    if not isinstance(cases_terms, Mapping):
        raise InvalidInput(
            "propose_domain_stopwords needs a mapping case id -> terms, got "
            f"{type(cases_terms).__name__}. Build it as {{case_id: set_of_terms}}."
        )
    n = len(cases_terms)
    if n == 0:
        return []
    if n < _FEW_CASES:
        log.warning(
            "only %d case(s): shares of cases are rough; confirm each proposal by reading", n
        )
    docfreq: Counter[str] = Counter()
    for terms in cases_terms.values():
        if isinstance(terms, str):  # a bare string would count its characters
            raise InvalidInput(
                "Each case must map to a collection of terms, not one string "
                f"({terms[:20]!r}...). Segment the text first."
            )
        docfreq.update({t for t in terms if isinstance(t, str)})
    excluded = set(exclude)
    out = [
        StopwordProposal(term, count / n, count)
        for term, count in docfreq.items()
        if count / n >= settings.min_share
        and count >= settings.min_cases
        and len(term) >= settings.min_len
        and term not in excluded
        and not term.isspace()
    ]
    out.sort(key=lambda p: (-p.share, -len(p.term), p.term))
    return out


def terms_by_case(texts: Mapping[str, str], terms: Iterable[str]) -> dict[str, set[str]]:
    """case id -> the ``terms`` written in its text, as ``{t for t in terms if t in text}``
    gives for each text (the input of :func:`propose_domain_stopwords` from a discovery list).

    Why not that: it reads every text once per term, 9 s for the 3,000 terms of a discovery
    list in 2,962 stories (2.5 M characters), on every load of the workbench's keyword page.
    A term is only in a text that holds all its pairs of adjacent characters: an index of the
    texts by the pairs the terms have narrows each term to a few texts, and only those are
    read (1 s).

    >>> found = terms_by_case({"a": "推进脱贫攻坚", "b": "攻坚克难"}, ["脱贫攻坚", "攻坚", "克难", "贫"])
    >>> {case_id: sorted(terms) for case_id, terms in found.items()}
    {'a': ['攻坚', '脱贫攻坚', '贫'], 'b': ['克难', '攻坚']}
    """
    terms = list(dict.fromkeys(terms))
    ids = list(texts)
    wanted = {term[i:i + 2] for term in terms for i in range(len(term) - 1)}
    holding: dict[str, list[int]] = {}
    for k, case_id in enumerate(ids):
        text = texts[case_id]
        for pair in set(map(str.__add__, text, text[1:])) & wanted:
            holding.setdefault(pair, []).append(k)
    postings = {pair: set(cases) for pair, cases in holding.items()}
    every = set(range(len(ids)))
    found: dict[str, set[str]] = {case_id: set() for case_id in ids}
    for term in terms:
        pairs = sorted((postings.get(term[i:i + 2], set()) for i in range(len(term) - 1)), key=len)
        candidates = pairs[0].intersection(*pairs[1:]) if pairs else every  # one character: read all
        for k in candidates:
            if term in texts[ids[k]]:
                found[ids[k]].add(term)
    return found


def stands_as_word(term: str, text: str, boundaries: Collection[int]) -> bool:
    """Whether ``term`` stands as a word in ``text`` at least once: an occurrence that starts
    and ends where the text's segmentation puts a word boundary (``boundaries``: the offsets
    of its tokens' starts and ends).

    Why: a term found only inside longer words is a piece of them, and as a stop-word it would
    never act, since keyword extraction reads words. 共产 is in 14 of the 16 reports of the
    Party congresses (1921-2022), always inside 共产党, 共产主义 or 中国共产党; 斯坦 is in 152
    of 4,000 CCTV stories, always inside 巴基斯坦 or 哈萨克斯坦. Both were proposed.

    >>> stands_as_word("共产", "中国共产党", {0, 5})
    False
    >>> stands_as_word("脱贫攻坚", "打赢脱贫攻坚战，巩固脱贫攻坚成果", {0, 2, 7, 8, 10, 14, 16})
    True
    """
    at = text.find(term)
    while at >= 0:
        if at in boundaries and at + len(term) in boundaries:
            return True
        at = text.find(term, at + 1)
    return False


def parse_stopword_text(text: str) -> list[str]:
    """Words of a stop-word list: one per line, ``#`` comments and blanks ignored.

    Order is kept and repeats are dropped.

    >>> parse_stopword_text("# generic\\n工作\\n推进  # verb\\n\\n工作\\n")
    ['工作', '推进']
    """
    seen: dict[str, None] = {}
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            seen.setdefault(word, None)
    return list(seen)


# A section heading of a stop-word list file: "# --- generic policy verbs -----".
_SECTION = re.compile(r"#\s*---\s*(.*?)\s*-*\s*$")


def parse_stopword_sections(text: str) -> dict[str, str]:
    """Each word of a stop-word list with the section heading it is listed under
    (``# --- name ---``; "" before the first heading), in file order.

    >>> parse_stopword_sections("# --- verbs ---\\n推进\\n# --- nouns ---\\n工作\\n推进\\n")
    {'推进': 'verbs', '工作': 'nouns'}
    """
    section = ""
    out: dict[str, str] = {}
    for line in text.splitlines():
        heading = _SECTION.match(line.strip())
        if heading:
            section = heading.group(1)
            continue
        word = line.split("#", 1)[0].strip()
        if word:
            out.setdefault(word, section)
    return out


def read_stopword_file(path: str | Path) -> list[str]:
    """Read a stop-word list file (UTF-8, the format of :func:`parse_stopword_text`)."""
    path = Path(path)
    if not path.exists():
        raise NotFound(
            f"The stop-word list {path} does not exist. Check the path, or start from "
            "the shipped list (caseminer.nlp.stopwords.load_starter_list())."
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path}: cannot decode the stop-word list as UTF-8 (byte {exc.start}). "
            "Save it as UTF-8 in your editor, one word per line."
        ) from None
    return parse_stopword_text(text)


def load_starter_list() -> list[str]:
    """The shipped starter list of generic Chinese policy words and function words.

    About 340 words (工作, 推进, 全面, 进一步, 情况, 的 ..., and slogans of the
    political register such as 两个一百年) that are never a keyword on their own.
    The keyword stage uses them as boundary words from the first run (they never
    start or end a term, nor are they keywords; the run records the list with
    :func:`starter_list_record`, the report states it). A researcher sees them
    with ``caseminer stopwords starter`` and releases a word by rejecting it as a
    stop-word (``caseminer stopwords reject WORD``, a recorded decision).

    >>> "工作" in load_starter_list()
    True
    """
    return parse_stopword_text(_starter_bytes().decode("utf-8"))


def starter_list_record() -> dict[str, Any]:
    """What a run that used the starter list records: its file, size and checksum."""
    data = _starter_bytes()
    return {"list": STARTER_LIST, "words": len(parse_stopword_text(data.decode("utf-8"))),
            "sha256": hashlib.sha256(data).hexdigest()}


def starter_sections() -> dict[str, str]:
    """Each word of the starter list with its section (generic policy verbs, empty
    nouns, news framing, function words, slogans of the political register ...)."""
    return parse_stopword_sections(_starter_bytes().decode("utf-8"))


@functools.lru_cache(maxsize=1)  # package data: read once per process, not per stage or page
def _starter_bytes() -> bytes:
    resource = resources.files("caseminer").joinpath("data", "stopwords", STARTER_LIST)
    try:
        return resource.read_bytes()
    except FileNotFoundError:  # pragma: no cover - a broken installation
        raise NotFound(
            f"The starter stop-word list data/stopwords/{STARTER_LIST} is missing from the "
            "caseminer installation. Reinstall caseminer ('pip install --force-reinstall caseminer')."
        ) from None


def union(*lists: Iterable[str]) -> list[str]:
    """Several stop-word lists as one, first occurrence order, no repeats."""
    seen: dict[str, None] = {}
    for words in lists:
        for w in words:
            seen.setdefault(w, None)
    return list(seen)
