"""Page 8: the pipeline: each stage's state (up to date, out of date, a failed attempt),
and the log of stage runs with the settings and library versions each result was made with."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, render_template, request

from ...pipeline import run_history, stage_status
from ...project import caseminer_build
from .. import i18n
from .base import WebError, coder, done, lang, project, said, t

bp = Blueprint("pipeline", __name__)

#: Runs the page lists, newest first (``?all=1`` lists every run).
SHOWN_RUNS = 50


@bp.get("/pipeline")
def pipeline_page():
    p = project()
    show_all = request.args.get("all") == "1"
    runs = run_history(p, limit=None if show_all else SHOWN_RUNS + 1)
    more = not show_all and len(runs) > SHOWN_RUNS
    return render_template("pipeline.html", stages=stage_status(p), runs=runs[:SHOWN_RUNS], more=more,
                           label=_label, build=caseminer_build(), analysis=_shown(_analysis().as_dict()),
                           as_json=lambda value: json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True))


@bp.post("/pipeline/run")
def run_analysis():
    """Analyse the project's cases again, in the background (`caseminer run --out PROJECT`)."""
    who = coder()
    analysis = _analysis()
    if not analysis.start(who):
        state = analysis.as_dict()
        raise WebError(t("The analysis is running already (started by {who} at {at}).").format(
            who=state["started_by"], at=state["started_at"]), 409)
    return done({"analysis": analysis.as_dict()}, message=t("The analysis started; this page shows its progress."))


@bp.get("/pipeline/run")
def analysis_state():
    state = _shown(_analysis().as_dict())
    return jsonify({"ok": True, **state, "stage_label": _label("stage", state["stage"]) if state["stage"] else None})


def _analysis():
    return current_app.config["ANALYSIS"]


def _shown(state: dict) -> dict:
    """The analysis's summary and error (the library's English) in the page's language."""
    return {**state, "error": said(state["error"]) if state["error"] else state["error"],
            "stages": [[stage, said(result)] for stage, result in state["stages"]],
            "todo": [said(item) for item in state["todo"]]}


def _label(kind: str, value: str) -> str:
    """A stage's or a run status's name in the page's language: the Chinese of "kind: value",
    or the bare identifier (the one the CLI prints) in English or when none is known."""
    key = f"{kind}: {value}"
    return i18n.ZH[key] if lang() == "zh" and key in i18n.ZH else value
