"""Keyword stage: the top-K weighted keywords of every case (the study's steps 3-4).

Reads the tokens (segmentation with the domain lexicon), the corpus discovery
list and its weights and the confirmed domain stop-words, calls
:func:`caseminer.nlp.keyterms.extract_keywords` (methods and the default fusion
are documented there) and stores the keywords of the latest run. Researchers'
decisions on keywords live in the event log (:mod:`caseminer.pipeline.review`)
and survive re-running this stage.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from ..errors import InvalidInput, StageNotRun, fail
from ..nlp import shardmap
from ..nlp.keyterms import FUSED_WEIGHTS, KeywordSettings, extract_keywords, load_background_idf
from ..nlp.keyterms.explain import explain_lines, stale_keywords, strongest_parts
from ..nlp.keyterms.candidates import NAME_POS
from ..nlp.keyterms.fusion import HAND_SET, case_candidates, explain_cases, explain_term
from ..nlp.keyterms.trees import load_fused_trees
from ..nlp.lexicon import jieba_tags
from ..nlp.segmenters import NEW_WORD_TAG
from ..nlp.stopwords import starter_list_record
from ..project import Project
from ..settings import as_dict, build, resolve_jobs
from . import StageStatus, reusable_run, stage_status
from .corpus import case_texts, require_case
from .segment import case_tokens, segment_with
from .stopwords import boundary_words, confirmed_stopwords


#: Discovered words up to this many characters are kept whole when the cases are cut for
#: keywords. Longer ones (official names and formulas of 9-16 characters, 巩固拓展脱贫攻坚成果)
#: would swallow the terms inside them: kept whole too, they lowered the development
#: gold's hit rate 0.540 -> 0.525 (held back 0.481 -> 0.457; ``keywords_eval.py --cli``).
WHOLE_WORD_MAX_LEN = 8


def kept_whole(candidate: dict) -> bool:
    """Whether a row of the stored corpus list (:func:`.discover.list_candidates`) is kept
    whole when the cases are cut for keywords: a new word of up to ``WHOLE_WORD_MAX_LEN``
    characters that is no run of dictionary words of discovery's step 2d (``span``).
    Keyword extraction reads no such run, neither whole nor by its weight: kept whole they
    swallow the terms inside them (贫困地区基础设施), and the held-out golds' hit rates fell
    0.49 -> 0.47 (xwlb32) and 0.29 -> 0.26 (blind24); whole no more but weighted, xwlb32
    0.46 (``benchmarks/keywords_eval.py --cli``, session 10)."""
    return not candidate["in_lexicon"] and len(candidate["word"]) <= WHOLE_WORD_MAX_LEN \
        and not candidate.get("span", False)


def discovery_weights_for_keywords(listed: list[dict]) -> dict[str, float]:
    """The discovery weights keyword extraction reads: the top 5000 of the stored corpus
    list (rows of :func:`.discover.list_candidates`) without the runs of step 2d (see
    :func:`kept_whole`), each at its on-topic weight where step 5 ran (the power-1 weight
    the fused score was fitted on; the list's own order discounts off-topic use more: with
    those weights the held-back hit rate fell 0.488 -> 0.465,
    ``benchmarks/keywords_eval.py``), else at its weight."""
    out = {}
    for c in [c for c in listed if not c.get("span", False)][:5000]:
        on_topic = c.get("on_topic_weight")
        out[c["word"]] = float(c["weight"] if on_topic is None else on_topic)
    return out


def list_weights_for_keywords(listed: list[dict]) -> dict[str, float]:
    """The corpus list's own weights (its final order, step 7's), every row but the runs of
    step 2d: they decide whether a stop-word is cut off the end of a discovered word when
    the cases are cut for keywords (:func:`..nlp.keyterms.candidates.build_candidates`,
    ``weights``). Not the on-topic weights the fused score reads
    (:func:`discovery_weights_for_keywords`): those count how often a string is used on the
    topic, and a stem used in many terms is used more than any of them (新发展, on-topic
    weight 264, against 新发展格局's 159); the list's weights also read whether the string is
    a term (step 6: 1.35 against 4.67), so 新发展格局 stays whole. On the 2,962 poverty stories
    新发展 was the keyword of 26 stories and is of none now; the golds' hit rates are unchanged
    (``benchmarks/README.md``, session 40)."""
    return {c["word"]: float(c["weight"]) for c in listed if not c.get("span", False)}


# How a run names the background IDF it read (jieba's table), in its settings.
BACKGROUND_IDF = "jieba idf.txt"


def _weights_of(method: str) -> dict[str, float] | None:
    """The linear weights a run of ``method`` reads: all of them, or for ``fused`` the
    hand-set ones its trees leave to them."""
    if method == "linear":
        return dict(FUSED_WEIGHTS)
    return {k: FUSED_WEIGHTS[k] for k in HAND_SET} if method == "fused" else None


def current_run(project: Project, overrides: dict[str, Any] | None = None, *,
                discovered_words: bool = True) -> int | None:
    """The id of the stored keyword run if ``extract_case_keywords(project,
    overrides=overrides, discovered_words=discovered_words)`` would store the same
    keywords (:func:`caseminer.pipeline.reusable_run`: no import, segmentation, discovery,
    stop-word or lexicon decision since, same settings and versions), else None."""
    settings = build(KeywordSettings, "keywords", overrides)
    return reusable_run(project, "keywords", {**as_dict(settings), "background_idf": BACKGROUND_IDF,
                                              "discovered_words": discovered_words})


def extract_case_keywords(project: Project, *, settings: KeywordSettings | None = None,
                          overrides: dict[str, Any] | None = None, background: bool = True,
                          discovered_words: bool = True, n_jobs: int = 1, executor: object = None) -> dict[str, int]:
    """Extract and store the keywords of every case; returns counts.

    The shipped starter list (generic policy words, news framing, slogans of the
    political register) cuts term boundaries (发展 never starts a term), and its
    entries are never keywords themselves (两个一百年), except the words a
    researcher released by rejecting them as stop-words; the run records the list
    and the released words as ``boundary_words``. Domain stop-words apply only
    once a researcher confirmed them. Confirmed stop-words are never keywords,
    but they do not cut terms: confirming 扶贫 keeps 金融扶贫 (cutting at them, as this
    stage did before, lowered the development gold's hit rate 0.552 -> 0.418).

    ``discovered_words`` (default): keywords are built from the cases cut with the
    project lexicon *and* the new words of the stored corpus discovery list (the
    term-filtered list ``caseminer discover`` shows; up to ``WHOLE_WORD_MAX_LEN``
    characters), so that a discovered term
    (低收入人口, 扶贫产业园) is a candidate whole before anyone has reviewed the list;
    the segmentation stage's stored tokens are left as they are (they use accepted
    words only). Measured on the development gold (``benchmarks/keywords_eval.py
    --cli``): keyword hit rate 0.42 -> 0.49 with no researcher decision. False: the
    stored tokens alone. The run records which, and how many words were added.

    The cut and the two maps over the cases (their candidates, then their scores) run in
    ``n_jobs`` worker processes, or on ``executor`` (a ``dask.distributed`` client, a
    ``concurrent.futures`` executor); the keywords are the same, and the run records
    where they were made (``ran_on``).
    """
    settings = settings or build(KeywordSettings, "keywords", overrides)
    with project.attempt("keywords", as_dict(settings)) as inputs:  # before the lexicon and stop-words are read
        shardmap.check_executor(executor, "keywords")
        n_jobs = resolve_jobs(n_jobs, "keywords")
        given = _stage_inputs(project, discovered_words=discovered_words, n_jobs=n_jobs, executor=executor)
        stopwords, released = given["stopwords"], given["released"]
        keywords = extract_keywords(given["tokens"], given["texts"], settings=settings,
                                    discovery_weights=given["weights"], list_weights=given["list_weights"],
                                    stopwords=stopwords, background_idf=load_background_idf() if background else None,
                                    boundary_words=given["boundary"], lexicon=jieba_tags(), n_jobs=n_jobs,
                                    executor=executor)
        record = {**as_dict(settings), "background_idf": BACKGROUND_IDF if background else None,
                  "stopwords": len(stopwords), "boundary_words": {**starter_list_record(), "released": released},
                  "discovered_words": discovered_words, "discovered_words_whole": given["whole"],
                  "discovered_words_max_len": WHOLE_WORD_MAX_LEN,
                  "ran_on": shardmap.where(executor, n_jobs),
                  # the weights and trees change between versions when they are refitted: a run
                  # states its own (the fused trees add the hand-set features at their weights)
                  "fused_weights": _weights_of(settings.method),
                  "fused_trees": load_fused_trees().record() if settings.method == "fused" else None}
        with project.run("keywords", record, inputs=inputs) as run:
            project.conn.execute("DELETE FROM keywords")
            project.conn.executemany(
                "INSERT INTO keywords(case_id, keyword, rank, weight, freq, method, context, start_char, end_char, "
                "run_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
                ((case_id, k.keyword, k.rank, float(k.weight), int(k.freq), k.method, k.context, k.start, k.end, run.id)
                 for case_id, rows in keywords.items() for k in rows),
            )
            run.counts.update({"cases": len(keywords), "keywords": sum(len(v) for v in keywords.values()),
                               "distinct": len({k.keyword for rows in keywords.values() for k in rows})})
    return run.counts


def _stage_inputs(project: Project, *, discovered_words: bool, n_jobs: int = 1, executor: object = None,
                  stage: str = "keywords") -> dict[str, Any]:
    """What the keyword stage reads from the project (:func:`extract_case_keywords`): the
    cases' tokens (cut again with the discovered words kept whole, with
    ``discovered_words``), their texts, the discovery weights, the confirmed stop-words and
    the boundary words (with those a researcher released)."""
    if project.last_run("discover") is None:
        raise fail(StageNotRun, "E302", stage=stage, requires="new-word discovery", command="discover")
    tokens = case_tokens(project)
    texts = case_texts(project)
    missing = [case_id for case_id in texts if case_id not in tokens]
    if missing:
        raise fail(StageNotRun, "E302", stage=stage, requires=f"segmentation of {len(missing)} new case(s)",
                   command="segment")
    from .discover import list_candidates

    listed = list_candidates(project)
    new_words = {c["word"]: NEW_WORD_TAG for c in listed if kept_whole(c)} if discovered_words else {}
    if new_words:
        tokens = segment_with(project, texts, new_words, n_jobs=n_jobs, executor=executor)
    boundary, released = boundary_words(project)
    return {"tokens": tokens, "texts": texts, "weights": discovery_weights_for_keywords(listed),
            "list_weights": list_weights_for_keywords(listed),
            "whole": len(new_words), "stopwords": confirmed_stopwords(project), "boundary": set(boundary),
            "released": released}


def explain_keyword(project: Project, case_id: str, term: str, *, lang: str = "en", n_jobs: int = 1,
                    executor: object = None) -> dict[str, Any]:
    """Why ``term`` is (or is not) a keyword of ``case_id`` in the stored keyword run, and
    where its score comes from (:func:`caseminer.nlp.keyterms.fusion.explain_term`, in
    sentences by :mod:`caseminer.nlp.keyterms.explain`, English or Chinese): a dict with
    ``term``, ``case_id``, ``run_id``, ``keyword`` (its rank among the case's keywords, or
    None), ``rank`` (among the case's eligible terms), ``score``, ``parts`` (dicts of
    ``feature``, ``value`` and ``share``, for the fused and linear methods; empty for the
    others), ``bias`` and ``lines``.

    The account ranks the case again as the stage does, with the stored run's settings, over
    all cases (a term's share of cases and its IDF are the project's): it stores nothing,
    and for a project whose keywords are up to date it gives the stored scores. Where they
    are out of date, a last sentence says so. The cases are cut and their candidates
    counted on ``n_jobs`` processes or on a Dask ``executor``, as the stage does (the account
    is the same for any)."""
    return keyword_account(project, case_id, term, n_jobs=n_jobs, executor=executor).as_dict(lang)


@dataclass(frozen=True)
class KeywordAccount:
    """What :func:`keyword_account` found: the run, :func:`explain_term`'s result, and the
    keyword stage's status where its stored keywords are out of date (None if they are not:
    its ``reason_in`` says why, in either language)."""

    case_id: str
    run_id: int
    told: dict[str, Any]
    stale: StageStatus | None

    def lines(self, lang: str = "en") -> list[str]:
        """The account in sentences, in ``lang`` ("en" or "zh")."""
        lines = explain_lines(self.told, self.case_id, lang)
        return lines if self.stale is None else [*lines, stale_keywords(self.stale.reason_in(lang), lang)]

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        told = self.told
        return {"case_id": self.case_id, "run_id": self.run_id,
                **{k: told.get(k) for k in ("term", "keyword", "rank", "score", "bias")},
                "parts": [{"feature": f, "value": v, "share": c} for f, v, c in told.get("parts") or ()],
                "lines": self.lines(lang)}


#: The inputs of the last account of an up-to-date keyword run (:func:`keyword_account`), by
#: project directory, run id and the time the run finished: one project's, at most.
_RANKED: dict[str, Any] = {}


def keyword_account(project: Project, case_id: str, term: str, *, n_jobs: int = 1,
                    executor: object = None) -> KeywordAccount:
    """The account of :func:`explain_keyword`, before it is put in sentences (the report
    writes it in two languages from one ranking)."""
    if not term.strip():
        raise InvalidInput("Give the term to explain, e.g. caseminer keywords --explain 扶贫车间 --case c01.")
    run = project.last_run("keywords")
    if run is None:
        raise fail(StageNotRun, "E302", stage="Explaining a keyword", requires="keyword extraction",
                   command="keywords")
    require_case(project, case_id)
    settings, given, per_case, corpus, never = _ranked(project, run, n_jobs, executor)
    told = explain_term(term, per_case[case_id], corpus, settings, stopwords=never,
                        discovery_weights=given["weights"])
    text = given["texts"][case_id]
    if term not in text:
        told["eligible"] = "not in the text"
    elif told["eligible"] == "not in the case":
        # how the tokens the keywords are built from cut its first occurrence
        start = text.index(term)
        cut = [t for t in given["tokens"][case_id] if t.start < start + len(term) and t.end > start]
        told["cut"] = [t.word for t in cut]
        told["cut_new"] = [t.word for t in cut if t.pos == NEW_WORD_TAG]
        if not settings.keep_names and len(cut) == 1 and cut[0].word == term and cut[0].pos in NAME_POS:
            told["eligible"] = "name"  # one word the lexicon tags a name: no candidate, as names are not
    status = next(s for s in stage_status(project) if s.stage.name == "keywords")
    return KeywordAccount(case_id, run["id"], told, status if status.state == "out of date" else None)


def _ranked(project: Project, run, n_jobs: int = 1, executor: object = None) -> tuple:
    """The stored run's settings and what ranking a case reads (the stage's inputs, every
    case's candidates, the project statistics, the words that are never keywords), computed
    as the stage computes them; an up-to-date run's are kept for the next account: the
    workbench's "why this keyword" on case after case ranks the project once, not once a click."""
    stored = json.loads(run["settings"])
    # the run's record also holds what it read (stop-words, trees ...): its settings are the fields
    settings = build(KeywordSettings, "keywords", {f.name: stored[f.name] for f in fields(KeywordSettings)
                                                   if f.name in stored})
    current = ((str(project.path), run["id"], run["finished_at"])
               if reusable_run(project, "keywords", {}) == run["id"] else None)
    if current is not None and _RANKED.get("key") == current:
        return (settings, *_RANKED["ranked"])
    given = _stage_inputs(project, discovered_words=stored.get("discovered_words", True), n_jobs=n_jobs,
                          executor=executor, stage="Explaining a keyword")
    per_case, corpus, never = case_candidates(
        given["tokens"], settings=settings, discovery_weights=given["weights"], list_weights=given["list_weights"],
        stopwords=given["stopwords"], background_idf=load_background_idf() if stored.get("background_idf") else None,
        boundary_words=given["boundary"], lexicon=jieba_tags(), n_jobs=n_jobs, executor=executor)
    _RANKED.clear()
    if current is not None:
        _RANKED.update(key=current, ranked=(given, per_case, corpus, never))
    return settings, given, per_case, corpus, never


def why_not_reasons(project: Project) -> str | None:
    """Why :func:`keyword_reasons` gives none (a sentence with what to do), or None if it does."""
    run = project.last_run("keywords")
    if run is None:
        return "no keyword run yet: run caseminer keywords"
    if reusable_run(project, "keywords", {}) != run["id"]:
        return "the stored keywords are out of date: run caseminer keywords again"
    method = json.loads(run["settings"]).get("method")
    if method not in ("fused", "linear"):
        return f"the method {method!r} is one score, not a sum of features"
    return None


def keyword_reasons(project: Project, keywords: Mapping[str, Sequence[str]], *,
                    lang: str = "zh", n_jobs: int = 1) -> dict[tuple[str, str], str] | None:
    """For each case's ``keywords`` (case id -> terms), the features that moved its score
    most, on one line (:func:`caseminer.nlp.keyterms.explain.strongest_parts`: the review
    workbook's "why" column); None where the stored keyword run is not up to date (its
    scores are no longer today's project's) or its method is one score (tfidf, textrank,
    discovery). ``n_jobs`` processes rank the project (the reasons are the same for any)."""
    if why_not_reasons(project) is not None:
        return None
    settings, given, per_case, corpus, never = _ranked(project, project.last_run("keywords"), n_jobs)
    told = explain_cases(keywords, per_case, corpus, settings, stopwords=never, discovery_weights=given["weights"],
                         n_jobs=n_jobs)
    return {(case_id, t): strongest_parts(of_case[t], lang) for case_id, of_case in told.items() for t in of_case}
