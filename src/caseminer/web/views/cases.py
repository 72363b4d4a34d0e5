"""Page 1: the cases, with attributes; filter by province, attribute or code; search the text."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ...coding.codebook import load_codebook
from ...coding.codings import list_codings
from ...pipeline.corpus import list_cases, search_cases
from .. import render
from .base import paged, project

bp = Blueprint("cases", __name__)

#: Cases listed on one page: the 2,962 stories of a news corpus made a page of 2.2 MB.
CASE_ROWS = 500


def case_filter() -> dict:
    """The filter of the request: province, attribute name=value, code, query."""
    return {"province": (request.args.get("province") or "").strip(),
            "attr": (request.args.get("attr") or "").strip(),
            "value": (request.args.get("value") or "").strip(),
            "code": (request.args.get("code") or "").strip(),
            "q": (request.args.get("q") or "").strip()}


def filtered_cases(f: dict) -> list[tuple]:
    """(case, hit spans) pairs for a filter, calling the corpus functions."""
    p = project()
    where = {}
    if f["province"]:
        where["province"] = f["province"]
    if f["attr"] and f["value"]:
        where[f["attr"]] = f["value"]
    if f["q"]:
        found = search_cases(p, f["q"], where=where)
    else:
        found = [(case, []) for case in list_cases(p, where=where)]
    if f["code"]:
        coded = {row.case_id for row in list_codings(p, code=f["code"], include_descendants=True)}
        found = [(case, spans) for case, spans in found if case.id in coded]
    return found


@bp.get("/")
def index():
    p = project()
    f = case_filter()
    found = filtered_cases(f)
    everything = list_cases(p)
    provinces = sorted({c.province for c in everything if c.province})
    attribute_names = sorted({name for c in everything for name in c.attributes if name != "province"})
    shown, page, pages, first_row = paged(found, CASE_ROWS)
    rows = []
    for case, spans in shown:
        snip = render.snippet(case.original_text, *spans[0]) if spans else None
        rows.append({"case": case, "hits": len(spans), "snippet": snip,
                     "attributes": {k: v for k, v in case.attributes.items() if k != "province"}})
    return render_template("cases.html", rows=rows, f=f, provinces=provinces, attribute_names=attribute_names,
                           codes=render.code_options(load_codebook(p)), total=len(everything), matched=len(found),
                           page=page, pages=pages, first_row=first_row)
