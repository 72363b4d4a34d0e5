"""Page 5: the code tree (create, rename, move by drag and drop, merge, delete, undo),
the framework figure, and the codings of each code with their passages."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ...coding.codebook import code_version, load_codebook, resolve_code
from ...coding.codings import list_codings
from ...pipeline.events import last_event_id
from .. import render
from .base import project

bp = Blueprint("codebook", __name__)


def tree(codebook, colors: dict[str, str], versions: dict[str, int], counts: dict[str, int]) -> list[dict]:
    """Nested dicts for the template: code, colour, version, number of codings, children."""
    def node(code) -> dict:
        return {"code": code, "color": colors[code.id], "version": versions[code.id],
                "codings": counts.get(code.id, 0), "children": [node(c) for c in codebook.children(code.id)]}

    return [node(code) for code in codebook.roots()]


@bp.get("/codebook")
@bp.get("/codebook/<code_id>")
def codebook_page(code_id: str | None = None):
    p = project()
    codebook = load_codebook(p)
    colors = render.code_colors(codebook)
    versions = {code.id: code_version(p, code.id) for code in codebook}
    counts: dict[str, int] = {}
    for row in list_codings(p):
        counts[row.code_id] = counts.get(row.code_id, 0) + 1
    selected = resolve_code(p, code_id) if code_id else None
    codings = list_codings(p, code=selected.id, include_descendants=True) if selected else []
    figure = None
    figure_available = True
    if request.args.get("figure") == "1":
        figure, figure_available = _framework_figure(p)
    return render_template("codebook.html", tree=tree(codebook, colors, versions, counts),
                           codes=render.code_options(codebook), selected=selected, codings=codings,
                           colors=colors, figure=figure, figure_available=figure_available,
                           path=codebook.path(selected.id) if selected else [], seen=last_event_id(p, "code."))


def _framework_figure(p) -> tuple[str | None, bool]:
    try:
        from ...coding.framework import framework
        from ...report.framework import framework_figure
    except ImportError:
        return None, False
    from .stats import figure_url, new_figure_dir

    token, folder = new_figure_dir()
    paths = framework_figure(framework(p), folder / "framework")
    return figure_url(token, paths[0]), True
