"""Domain stop-words: proposed from the corpus, confirmed by a researcher, then applied.

Terms that occur in nearly every case (the reference study removed 脱贫攻坚 and
建档立卡贫困户) carry no distinguishing meaning for keywords. :func:`propose`
measures the share of cases each discovered term occurs in; nothing is applied
until a researcher confirms it (event ``stopword.confirm``).

The shipped starter list for Chinese policy texts (generic policy verbs, empty
nouns, slogans ...) is the keyword stage's list of boundary words from the first
run: its words never start or end a term and are never keywords. It is never
applied silently: :func:`starter_list` shows each word and how the next run
applies it, the run records the list and the words released, and the report
states both. A researcher releases a word by rejecting it as a stop-word (event
``stopword.reject``): it may then be a keyword and no longer cuts terms.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InvalidInput, StageNotRun, fail
from ..nlp.discovery import FEW_TEXTS
from ..nlp.stopwords import (StopwordSettings, load_starter_list, propose_domain_stopwords, stands_as_word,
                             starter_sections, terms_by_case)
from ..settings import validate
from ..project import Project
from .corpus import case_texts
from .events import active_events
from .lexicon import validate_words
from .segment import case_tokens


@dataclass(frozen=True)
class StopwordState:
    term: str
    status: str  # confirmed | rejected
    source: str
    decided_by: str
    decided_at: str
    reason: str | None


def stopword_states(project: Project) -> dict[str, StopwordState]:
    states: dict[str, StopwordState] = {}
    for event in active_events(project, "stopword."):
        status = {"stopword.confirm": "confirmed", "stopword.reject": "rejected"}.get(event.kind)
        for term in event.payload.get("terms", []):
            if status is None:  # stopword.remove
                states.pop(term, None)
            else:
                states[term] = StopwordState(term, status, event.payload.get("source", "user"), event.coder,
                                             event.at, event.reason)
    return states


def confirmed_stopwords(project: Project) -> set[str]:
    """The stop-words keyword extraction applies."""
    return {t for t, s in stopword_states(project).items() if s.status == "confirmed"}


def boundary_words(project: Project) -> tuple[list[str], list[str]]:
    """The starter list's words the keyword stage uses as boundary words, and the ones
    a researcher released by rejecting them as stop-words; both in list order."""
    rejected = {t for t, s in stopword_states(project).items() if s.status == "rejected"}
    words = load_starter_list()
    return [w for w in words if w not in rejected], [w for w in words if w in rejected]


def starter_list(project: Project) -> list[dict]:
    """Every word of the shipped starter list: its section of the list, how the next
    keyword run applies it (``boundary`` or ``released``), and the researcher's
    stop-word decision on it, if any (who, when, why)."""
    states = stopword_states(project)
    rows = []
    for term, section in starter_sections().items():
        state = states.get(term)
        rows.append({"term": term, "section": section,
                     "applied": "released" if state and state.status == "rejected" else "boundary",
                     "status": state.status if state else "", "decided_by": state.decided_by if state else "",
                     "decided_at": state.decided_at if state else "", "reason": state.reason if state else ""})
    return rows


def releasable_starter_words() -> list[str]:
    """The starter list's words a decision can name: two characters or more (a
    one-character function word, 的 or 和, always cuts terms)."""
    return [w for w in load_starter_list() if len(w) >= 2]


#: The fewest cases a proposed stop-word occurs in (discovery's ``FEW_TEXTS``). Why: in a
#: corpus of a few cases, a term in nearly every one is the subject they share, not noise:
#: five annual reports of Shanghai (2020-2024) share 421 of the 577 strings of their
#: discovery list in four or five reports (长三角一体化发展, 城市精细化管理, 虹桥国际开放枢纽).
MIN_CASES = FEW_TEXTS


def propose(project: Project, *, min_share: float = 0.8, min_cases: int = MIN_CASES) -> list[dict]:
    """Terms of the corpus discovery list found in at least ``min_share`` of the cases and in
    at least ``min_cases`` cases, with the share; terms already decided are marked, not
    hidden. A term is proposed only where it stands as a word of the segmentation in
    ``min_cases`` cases (:func:`~caseminer.nlp.stopwords.stands_as_word`): a piece of longer
    words (共产 of 共产党) is not. Needs the segmentation (StageNotRun before it)."""
    return proposals_and_widest(project, min_share=min_share, min_cases=min_cases)[0]


def proposals_and_widest(project: Project, *, min_share: float = 0.8, min_cases: int = MIN_CASES,
                         widest: int = 5) -> tuple[list[dict], list[dict]]:
    """:func:`propose`, and where it proposes nothing, the ``widest`` terms found in the most
    cases below ``min_share`` (what a lower share would propose), in the same shape; one
    pass over the texts for both."""
    from .discover import list_candidates

    validate(StopwordSettings(min_share=min_share, min_cases=min_cases), "stopwords")  # before any reading
    texts = case_texts(project)
    terms = [c["word"] for c in list_candidates(project, top=3000)]
    cases_terms = terms_by_case(texts, terms)
    states = stopword_states(project)
    # one case is the least share there is: every term in min_cases cases, most widespread first
    spread = propose_domain_stopwords(cases_terms, min_share=1 / max(1, len(cases_terms)), min_cases=min_cases)
    standing = _Standing(project, texts)
    kept = []
    for p in spread:  # most widespread first: the proposals, then what a lower share would propose
        if p.share < min_share and (len(kept) >= widest or (kept and kept[0].share >= min_share)):
            break
        if standing.in_cases(p.term, cases_terms, min_cases):
            kept.append(p)
    rows = [{"term": p.term, "share": round(p.share, 3), "cases": p.cases,
             "state": states[p.term].status if p.term in states else "proposed"} for p in kept]
    proposed = [row for row, p in zip(rows, kept) if p.share >= min_share]
    return proposed, ([] if proposed else rows[:widest])


class _Standing:
    """Whether a term stands as a word in enough cases, reading each case's tokens once and
    only where asked (a widespread word is settled by its first few cases)."""

    def __init__(self, project: Project, texts: dict[str, str]):
        if project.last_run("segment") is None:
            raise fail(StageNotRun, "E302", stage="stopwords", requires="segmentation", command="segment")
        self.project, self.texts, self.boundaries = project, texts, {}

    def in_cases(self, term: str, cases_terms: dict[str, set[str]], needed: int) -> bool:
        found = 0
        for case_id, terms in cases_terms.items():
            if term in terms and stands_as_word(term, self.texts[case_id], self._boundaries(case_id)):
                found += 1
                if found >= needed:
                    return True
        return False

    def _boundaries(self, case_id: str) -> set[int]:
        if case_id not in self.boundaries:
            tokens = case_tokens(self.project, case_id).get(case_id, [])
            self.boundaries[case_id] = {t.start for t in tokens} | {t.end for t in tokens}
        return self.boundaries[case_id]


def decide(project: Project, terms: list[str], action: str, *, coder: str, source: str = "user",
           reason: str | None = None) -> int:
    """``action``: confirm, reject or remove; one event for all ``terms``."""
    if action not in ("confirm", "reject", "remove"):
        raise InvalidInput(f"Unknown stop-word action {action!r}. Choose one of: confirm, reject, remove.")
    words = validate_words(terms, where="the stop-word list")
    return project.record_event(f"stopword.{action}", coder=coder, payload={"terms": words, "source": source},
                                reason=reason)

