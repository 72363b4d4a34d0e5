"""Page 2: one case, with keywords, discovered words and codings highlighted, and the
forms to review keywords, code passages and write memos."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ...coding.codebook import load_codebook
from ...coding.codings import list_codings
from ...coding.memos import list_memos
from ...errors import StageNotRun
from ...nlp.normalize import left_out_spans
from ...pipeline.corpus import get_case, search_cases
from ...pipeline.discover import list_candidates
from ...pipeline.events import last_event_id
from ...pipeline.review import keyword_table
from .. import render
from .base import project, t

bp = Blueprint("reader", __name__)

TOP_DISCOVERED = 20


@bp.get("/cases/<case_id>")
def case_page(case_id: str):
    p = project()
    case = get_case(p, case_id)
    seen = last_event_id(p, "keyword.")
    keywords = keyword_table(p).get(case.id, [])
    try:
        discovered = list_candidates(p, case_id=case.id, top=TOP_DISCOVERED, new_only=True)
    except StageNotRun:
        discovered = None
    codebook = load_codebook(p)
    colors = render.code_colors(codebook)
    codings = list_codings(p, case_id=case.id)

    marks: list[render.Mark] = []
    keyword_words = {row.keyword for row in keywords if row.active}
    for word in keyword_words:
        marks += [render.Mark(a, b, "kw", f"{t('keyword')}: {word}") for a, b in render.occurrences(case, word)]
    for cand in discovered or []:
        if cand["word"] not in keyword_words:
            marks += [render.Mark(a, b, "new", f"{t('discovered word')}: {cand['word']}")
                      for a, b in render.occurrences(case, cand["word"])]
    for row in codings:
        if row.start is not None:
            marks.append(render.Mark(row.start, row.end, "coding", f"{row.code} ({row.coder})",
                                     colors.get(row.code_id), row.id))
    left_out = left_out_spans(case.original_text, case.offsets, case.text)
    marks += [render.Mark(a, b, "out", t("Not analysed: a reference list, page number, running head or markup"))
              for a, b in left_out]
    query = (request.args.get("q") or "").strip()
    if query:
        for found, spans in search_cases(p, query):
            if found.id == case.id:
                marks += [render.Mark(a, b, "hit", query) for a, b in spans]
    return render_template(
        "reader.html", case=case, segments=render.segments(case.original_text, marks), keywords=keywords,
        seen=seen, discovered=discovered, codings=codings, colors=colors, codes=render.code_options(codebook),
        case_memos=list_memos(p, "case", case.id), left_out=bool(left_out),
        attributes={k: v for k, v in case.attributes.items() if k != "province"})
