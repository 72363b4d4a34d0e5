"""Page 3: the new-word table and the keyword lists, with KWIC, lexicon and stop-words."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ...errors import StageNotRun
from ...pipeline.corpus import corpus_summary
from ...pipeline.discover import list_candidates
from ...pipeline.events import last_event_id
from ...pipeline.lexicon import current_lexicon
from ...pipeline.review import keyword_table
from ...pipeline.stopwords import MIN_CASES, proposals_and_widest, starter_list, stopword_states
from .base import paged, project

bp = Blueprint("keywords", __name__)

TOP = 500
#: Rows of the keyword lists on one page.
KEYWORD_ROWS = 300


@bp.get("/keywords")
def keywords_page():
    p = project()
    new_only = request.args.get("new_only") == "1"
    status = request.args.get("status") or ""
    try:
        candidates = list_candidates(p, top=TOP, new_only=new_only)
    except StageNotRun:
        candidates = None
    try:
        proposals, widest = proposals_and_widest(p)
    except StageNotRun:  # no discovery, or no segmentation (a proposal must stand as a word)
        proposals = widest = None
    unsegmented = candidates is not None and p.last_run("segment") is None
    states = stopword_states(p)
    query = (request.args.get("q") or "").strip()
    rows = [row for rows in keyword_table(p).values() for row in rows if (not status or row.status == status)
            and (not query or query in row.keyword or query in row.case_id)]
    # a page at a time: the keywords of thousands of cases, each row with its buttons, made a
    # page of 15 MB that a browser takes seconds to lay out
    shown, page, pages, first_row = paged(rows, KEYWORD_ROWS)
    return render_template(
        "keywords.html", candidates=candidates, proposals=proposals, keyword_rows=shown, status=status,
        query=query, page=page, pages=pages, first_row=first_row, total_rows=len(rows),
        widest=widest, new_only=new_only, lexicon=current_lexicon(p), stopwords=states, starter=starter_list(p),
        seen_keyword=last_event_id(p, "keyword."), seen_lexicon=last_event_id(p, "lexicon."),
        seen_stopword=last_event_id(p, "stopword."), few_cases=corpus_summary(p)["cases"] < MIN_CASES,
        min_cases=MIN_CASES, unsegmented=unsegmented)
