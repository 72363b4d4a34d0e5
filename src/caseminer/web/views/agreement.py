"""Page 7: the coders' agreement per code, and the passages where they disagree."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ...coding.codings import coders as list_coders
from .base import project, t

bp = Blueprint("agreement", __name__)


@bp.get("/agreement")
def agreement_page():
    p = project()
    known = list_coders(p)
    chosen = [c for c in request.args.getlist("coders") if c in known]
    unit = request.args.get("unit") if request.args.get("unit") in ("case", "span") else "case"
    level = request.args.get("level") if request.args.get("level") in ("open", "axial", "selective") else None
    context = {"known": known, "chosen": chosen, "unit": unit, "level": level, "report": None,
               "disagreements": [], "available": True, "message": None}
    try:
        from ...coding.agreement_stage import agreement_report, disagreements
    except ImportError:
        context["available"] = False
        return render_template("agreement.html", **context)
    if len(chosen) < 2:
        context["message"] = t("Choose at least two coders.")
    else:
        context["report"] = agreement_report(p, coders=chosen, level=level, unit=unit)
        context["disagreements"] = disagreements(p, coders=chosen, level=level)
    return render_template("agreement.html", **context)
