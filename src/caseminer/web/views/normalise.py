"""Page 4: suggested merges with their evidence; accept, reject, edit; the thesaurus."""

from __future__ import annotations

from flask import Blueprint, render_template

from ...pipeline.events import last_event_id
from ...pipeline.normalise import core_frequencies, counts, list_suggestions, thesaurus
from .base import project

bp = Blueprint("normalise", __name__)


@bp.get("/normalise")
def normalise_page():
    p = project()
    return render_template("normalise.html", suggestions=list_suggestions(p), thesaurus=thesaurus(p),
                           frequencies=core_frequencies(p), counts=counts(p),
                           seen=last_event_id(p, "thesaurus."))
