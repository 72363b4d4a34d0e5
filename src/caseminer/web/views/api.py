"""The JSON API: reads (``GET /api/...``) and every change (``POST /api/...``).

Each change calls one library function with ``coder=`` the name from the cookie, and
the state the person saw (a code's ``version``, the last event id of a kind) so that
a concurrent edit of the same item is refused with 409 instead of overwriting it.
Form posts without JavaScript get a redirect back with a banner instead of JSON.
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, make_response, redirect
from urllib.parse import quote

from ...coding import codebook as cb
from ...coding import codings as cg
from ...coding import memos as mm
from ...errors import Conflict, StageNotRun
from ...nlp.kwic import kwic
from ...pipeline import lexicon, normalise, review, stopwords
from ...pipeline.corpus import get_case, list_cases
from ...pipeline.discover import explain_word, list_candidates
from ...pipeline.keywords import explain_keyword
from ...pipeline.events import event as recorded_event
from ...pipeline.events import last_event_id, refuse_if_decided_since
from .base import (CODER_COOKIE, WebError, back_url, clean_coder, coder, done, int_param, param, project, t,
                   wants_json)
from .cases import case_filter, filtered_cases

bp = Blueprint("api", __name__, url_prefix="/api")

KWIC_LIMIT = 200


# -- the coder ------------------------------------------------------------------------


@bp.post("/coder")
def set_coder():
    name = clean_coder(param("name"))
    if name is None:
        raise WebError(t("A name of 1 to 40 characters, please."), 400)
    response = make_response(jsonify({"ok": True, "coder": name}) if wants_json() else redirect(back_url()))
    response.set_cookie(CODER_COOKIE, quote(name), max_age=3600 * 24 * 365, samesite="Strict")
    return response


# -- reads ----------------------------------------------------------------------------


@bp.get("/cases")
def cases_json():
    rows = []
    for case, spans in filtered_cases(case_filter()):
        rows.append({**case.as_dict(), "hits": [list(s) for s in spans]})
    return jsonify({"ok": True, "cases": rows})


@bp.get("/cases/<case_id>")
def case_json(case_id: str):
    p = project()
    case = get_case(p, case_id)
    return jsonify({"ok": True, "case": case.as_dict(with_text=True),
                    "keywords": [r.as_dict() for r in review.keyword_table(p).get(case.id, [])],
                    "codings": [r.as_dict() for r in cg.list_codings(p, case_id=case.id)],
                    "memos": [m.as_dict() for m in mm.list_memos(p, "case", case.id)],
                    "seen": last_event_id(p, "keyword.")})


@bp.get("/codebook")
def codebook_json():
    p = project()
    codebook = cb.load_codebook(p)
    codes = [{"id": c.id, "name": c.name, "level": c.level, "parent_id": c.parent_id, "role": c.role,
              "color": c.color, "version": cb.code_version(p, c.id)} for c in codebook]
    return jsonify({"ok": True, "codes": codes})


@bp.get("/codings")
def codings_json():
    p = project()
    rows = cg.list_codings(p, case_id=param("case"), code=param("code"), coder=param("coder"))
    return jsonify({"ok": True, "codings": [r.as_dict() for r in rows]})


@bp.get("/keywords")
def keywords_json():
    p = project()
    table = review.keyword_table(p)
    case_id = param("case")
    if case_id is not None:
        get_case(p, case_id)
        table = {case_id: table.get(case_id, [])}
    rows = [r.as_dict() for rows in table.values() for r in rows]
    return jsonify({"ok": True, "keywords": rows, "seen": last_event_id(p, "keyword.")})


@bp.get("/candidates")
def candidates_json():
    p = project()
    rows = list_candidates(p, case_id=param("case"), top=int_param("top", 500),
                           new_only=param("new_only") in ("1", "true", True))
    return jsonify({"ok": True, "candidates": rows})


@bp.get("/explain")
def explain_json():
    """Why a word has its discovery weight, or why it is not listed (``discover --explain``);
    with ``trace=1``, an unlisted word is followed through the steps again (``--trace``), in
    this process (a server's threads are no place to fork counting processes from)."""
    word = (param("word", required=True) or "").strip()
    trace = param("trace") in ("1", "true")
    return jsonify({"ok": True, **explain_word(project(), word, case_id=param("case"), lang=g.lang, trace=trace,
                                               n_jobs=1 if trace else None)})


@bp.get("/keyword-explain")
def keyword_explain_json():
    """Why a term is (or is not) a keyword of a case, feature by feature (``keywords --explain``)."""
    term = (param("term", required=True) or "").strip()
    case_id = param("case", required=True)
    return jsonify({"ok": True, **explain_keyword(project(), case_id, term, lang=g.lang)})


@bp.get("/kwic")
def kwic_json():
    """Keyword in context over all cases (analysis text), at most KWIC_LIMIT lines."""
    term = (param("term", required=True) or "").strip()
    width = min(max(int_param("width", 15) or 15, 0), 60)
    lines = []
    for case in list_cases(project()):
        for hit in kwic(case.text, term, width=width):
            lines.append({"case_id": case.id, "left": hit.left, "term": hit.term, "right": hit.right})
            if len(lines) >= KWIC_LIMIT:
                return jsonify({"ok": True, "term": term, "lines": lines, "truncated": True})
    return jsonify({"ok": True, "term": term, "lines": lines, "truncated": False})


@bp.get("/suggestions")
def suggestions_json():
    p = project()
    rows = [{"variant": s.variant, "core": s.core, "score": s.score, "why": s.why, "evidence": s.evidence,
             "state": s.state}
            for s in normalise.list_suggestions(p)]
    return jsonify({"ok": True, "suggestions": rows, "thesaurus": normalise.thesaurus(p),
                    "seen": last_event_id(p, "thesaurus.")})


@bp.get("/memos")
def memos_json():
    rows = mm.list_memos(project(), param("kind"), param("target"))
    return jsonify({"ok": True, "memos": [m.as_dict() for m in rows]})


# -- keyword review -------------------------------------------------------------------


@bp.post("/keywords/decide")
def keyword_decide():
    """accept / reject / rename / add; ``add`` takes the keyword or a selected span
    (``start``/``end`` in original offsets, mapped to the analysis text)."""
    p = project()
    case_id = param("case_id", required=True)
    action = param("action", required=True)
    keyword = param("keyword")
    start, end = int_param("start"), int_param("end")
    if action == "add" and not keyword and start is not None and end is not None:
        case = get_case(p, case_id)
        if not 0 <= start < end <= len(case.original_text):
            raise WebError(f"The selection {start}:{end} is outside case {case_id}.", 400)
        a, b = case.offsets.span_to_analysis(start, end)
        keyword = case.text[a:b].strip()
    event_id = review.decide(p, case_id, action, keyword or "", coder=coder(), new=param("new"),
                             reason=param("reason"), seen_event_id=int_param("seen"))
    # an added phrase is stored as the case writes it (５Ｇ基站 -> 5G基站): say which
    stored = recorded_event(p, event_id).payload.get("keyword", keyword)
    return done({"event": event_id, "keyword": stored, "seen": last_event_id(p, "keyword.")})


def _refuse_stale_undo(prefix: str) -> None:
    """Undo takes back the latest change by anyone: refuse it when the page that asks
    is older than that change (it could be someone else's, unseen)."""
    seen = int_param("seen")
    if seen is not None and last_event_id(project(), prefix) != seen:
        raise Conflict(f"{t('Someone else changed this meanwhile; reload to see it.')} "
                       "(The latest change is not the one your page shows; nothing was undone.)")


@bp.post("/keywords/undo")
def keyword_undo():
    _refuse_stale_undo("keyword.")
    event = review.undo_review(project(), coder=coder())
    return done({"undid": event.id})


# -- lexicon and stop-words ----------------------------------------------------------


def _terms() -> list[str]:
    value = param("words") or param("terms") or param("word") or param("term") or ""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [w for w in str(value).replace("，", ",").replace("\n", ",").split(",") if w.strip()]


def _refuse_if_changed(prefix: str, seen: int | None, terms: list[str], fields: tuple[str, ...]) -> None:
    """Conflict if someone decided on one of ``terms`` after the page was loaded;
    callers hold ``project().transaction()`` so the check and the write are atomic."""
    refuse_if_decided_since(project(), prefix, seen, terms, fields)


@bp.post("/lexicon/add")
def lexicon_add():
    words = _terms()
    with project().transaction():
        _refuse_if_changed("lexicon.", int_param("seen"), words, ("words",))
        added = lexicon.add_words(project(), words, coder=coder(), source="discovered", reason=param("reason"))
    return done({"added": added})


@bp.post("/lexicon/remove")
def lexicon_remove():
    words = _terms()
    with project().transaction():
        _refuse_if_changed("lexicon.", int_param("seen"), words, ("words",))
        removed = lexicon.remove_words(project(), words, coder=coder(), reason=param("reason"))
    return done({"removed": removed})


@bp.post("/stopwords/decide")
def stopword_decide():
    action = param("action", "confirm")
    if action not in ("confirm", "reject", "remove"):
        raise WebError(f"Unknown stop-word action {action!r}: confirm, reject or remove.", 400)
    terms = _terms()
    with project().transaction():
        _refuse_if_changed("stopword.", int_param("seen"), terms, ("terms",))
        event_id = stopwords.decide(project(), terms, action, coder=coder(), reason=param("reason"))
    return done({"event": event_id})


# -- normalisation --------------------------------------------------------------------


@bp.post("/normalise/merge")
def normalise_merge():
    variant, core = param("variant", required=True), param("core", required=True)
    with project().transaction():
        _refuse_if_changed("thesaurus.", int_param("seen"), [variant], ("variant",))
        event_id = normalise.merge(project(), variant, core, coder=coder(), reason=param("reason"))
    return done({"event": event_id})


@bp.post("/normalise/reject")
def normalise_reject():
    variant, core = param("variant", required=True), param("core", required=True)
    with project().transaction():
        _refuse_if_changed("thesaurus.", int_param("seen"), [variant], ("variant",))
        event_id = normalise.reject(project(), variant, core, coder=coder(), reason=param("reason"))
    return done({"event": event_id})


@bp.post("/normalise/unmerge")
def normalise_unmerge():
    variant = param("variant", required=True)
    with project().transaction():
        _refuse_if_changed("thesaurus.", int_param("seen"), [variant], ("variant",))
        event_id = normalise.unmerge(project(), variant, coder=coder(), reason=param("reason"))
    return done({"event": event_id})


# -- codebook -------------------------------------------------------------------------


def _code_json(code) -> dict:
    return {"id": code.id, "name": code.name, "level": code.level, "parent_id": code.parent_id,
            "version": cb.code_version(project(), code.id)}


@bp.post("/codes")
def code_create():
    level = param("level")
    code = cb.create_code(project(), param("name", ""), coder=coder(), parent=param("parent"),
                          level=None if level in (None, "", "auto") else (None if level == "free" else level),
                          role=param("role"), color=param("color"), description=param("description", ""))
    return done({"code": _code_json(code)})


@bp.post("/codes/<code_id>/rename")
def code_rename(code_id: str):
    code = cb.rename_code(project(), code_id, param("name", ""), coder=coder(),
                          expected_version=int_param("version"))
    return done({"code": _code_json(code)})


@bp.post("/codes/<code_id>/move")
def code_move(code_id: str):
    code = cb.move_code(project(), code_id, param("parent") or None, coder=coder(),
                        expected_version=int_param("version"))
    return done({"code": _code_json(code)})


@bp.post("/codes/<code_id>/delete")
def code_delete(code_id: str):
    result = cb.delete_code(project(), code_id, coder=coder(), expected_version=int_param("version"))
    return done(result)


@bp.post("/codes/merge")
def code_merge():
    result = cb.merge_codes(project(), param("source", required=True), param("target", required=True),
                            coder=coder(), reason=param("reason"))
    return done(result)


@bp.post("/codes/undo")
def code_undo():
    _refuse_stale_undo("code.")
    event = cb.undo_codebook(project(), coder=coder())
    return done({"undid": event.id})


# -- codings and memos ----------------------------------------------------------------


@bp.post("/codings")
def coding_add():
    start, end = int_param("start"), int_param("end")
    whole = param("whole_case") in ("1", "true", True)
    span = None if whole else (start, end)
    if not whole and (start is None or end is None):
        raise WebError(t("Select a passage first."), 400)
    coding_id = cg.add_coding(project(), param("case_id", required=True), param("code_id", required=True),
                              coder=coder(), span=span, whole_case=whole, memo=param("memo", ""))
    return done({"coding": coding_id})


@bp.post("/codings/<int:coding_id>/delete")
def coding_delete(coding_id: int):
    cg.delete_coding(project(), coding_id, coder=coder(), expected_version=int_param("version"))
    return done({"deleted": coding_id})


@bp.post("/codings/<int:coding_id>/memo")
def coding_memo(coding_id: int):
    cg.set_coding_memo(project(), coding_id, param("memo", ""), coder=coder(), expected_version=int_param("version"))
    return done({"coding": coding_id})


@bp.post("/memos")
def memo_add():
    memo_id = mm.add_memo(project(), param("target_kind", required=True), param("target_id"), param("text", ""),
                          coder=coder())
    return done({"memo": memo_id})


@bp.post("/memos/<int:memo_id>")
def memo_update(memo_id: int):
    mm.update_memo(project(), memo_id, param("text", ""), coder=coder(), expected_version=int_param("version"))
    return done({"memo": memo_id})


@bp.get("/stopwords")
def stopwords_json():
    p = project()
    try:
        proposals = stopwords.propose(p)
    except StageNotRun:
        proposals = []
    states = {term: s.status for term, s in stopwords.stopword_states(p).items()}
    return jsonify({"ok": True, "proposals": proposals, "states": states, "seen": last_event_id(p, "stopword.")})
