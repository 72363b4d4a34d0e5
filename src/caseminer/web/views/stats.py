"""Page 6: the tables and figures of the statistics stage, with a province filter.

Figures are drawn into a folder owned by the app (a fresh sub-folder with a random
name per drawing) and served only by names matching strict patterns.
"""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_from_directory

from ...pipeline.corpus import attribute_names, list_cases
from .base import project

bp = Blueprint("stats", __name__)

_TOKEN = re.compile(r"^[0-9a-f]{16}$")
_NAME = re.compile(r"^[a-z0-9_]{1,40}\.(png|svg)$")
KEEP_DRAWINGS = 20
ROWS_SHOWN = 200


def new_figure_dir() -> tuple[str, Path]:
    """A fresh folder for one drawing, inside the app's own figure folder."""
    root = Path(current_app.config["FIGURE_DIR"])
    old = sorted((d for d in root.iterdir() if d.is_dir()), key=lambda d: d.stat().st_mtime)
    for stale in old[:-KEEP_DRAWINGS] if len(old) > KEEP_DRAWINGS else []:
        shutil.rmtree(stale, ignore_errors=True)
    token = secrets.token_hex(8)
    folder = root / token
    folder.mkdir()
    return token, folder


def figure_url(token: str, path: Path) -> str | None:
    name = Path(path).name
    return f"/figures/{token}/{name}" if _NAME.match(name) else None


@bp.get("/figures/<token>/<name>")
def figure(token: str, name: str):
    if not _TOKEN.match(token) or not _NAME.match(name):
        abort(404)
    return send_from_directory(Path(current_app.config["FIGURE_DIR"]) / token, name)


@bp.get("/stats")
def stats_page():
    p = project()
    by = (request.args.get("by") or "province").strip()
    source = request.args.get("source") or "keywords"
    province = (request.args.get("province") or "").strip()
    periods = (request.args.get("periods") or "").strip() or None  # years into periods: 2016-2020,2021-
    everything = list_cases(p)
    provinces = sorted({c.province for c in everything if c.province})
    groupings = grouping_names(p)
    try:
        from ...pipeline.stats import no_comparison, stats_figures, stats_tables
    except ImportError:  # the statistics stage is not in this version
        return render_template("stats.html", available=False, tables={}, figures=[], by=by, source=source,
                               province=province, provinces=provinces, groupings=groupings, periods=periods)
    tables = stats_tables(p, by=by, source=source, periods=periods)
    if province:
        allowed = {c.id for c in list_cases(p, where={"province": province})}
        tables = {name: [r for r in rows if _keeps(r, by, province, allowed)] for name, rows in tables.items()}
    figures = []
    if request.args.get("figures") == "1":
        token, folder = new_figure_dir()
        for name, png, _svg in stats_figures(p, folder, by=by, source=source, periods=periods):
            url = figure_url(token, png)
            if url:
                figures.append({"name": name, "url": url, "svg": figure_url(token, _svg)})
    shown = {name: rows[:ROWS_SHOWN] for name, rows in tables.items()}
    # fewer than two groups: the comparison tables are empty or one group against itself
    no_groups = no_comparison(p, by, command="caseminer stats", periods=periods)
    return render_template("stats.html", available=True, tables=shown, sizes={k: len(v) for k, v in tables.items()},
                           figures=figures, by=by, source=source, province=province, provinces=provinces,
                           groupings=groupings, no_groups=no_groups, periods=periods)


def _keeps(row: dict, by: str, province: str, allowed: set[str]) -> bool:
    """The province filter: rows of one group (by province) or of the province's cases."""
    if "case_id" in row:
        return row["case_id"] in allowed
    if by == "province" and by in row:
        return row[by] == province
    return True


def grouping_names(p) -> list[str]:
    """What the cases may be compared by: province first, then their other attributes."""
    return ["province"] + [name for name in attribute_names(p) if name != "province"]
