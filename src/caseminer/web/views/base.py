"""Helpers every view uses: the project of the request, the coder, the error shape,
translation, and the answer to an action (JSON for scripts, a redirect for forms)."""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urlencode

from flask import current_app, flash, g, jsonify, redirect, render_template, request

from ...errors import (BackendMissing, CaseminerError, Conflict, InvalidInput, InvalidSetting, NotFound,
                       ProjectError, ProjectNotFound, StageNotRun)
from ...messages_zh import in_language
from ...project import Project
from .. import i18n

CODER_COOKIE = "caseminer_coder"
_CODER_BAD = re.compile(r"[\x00-\x1f\x7f<>\"'`;]")

# Messages the browser script shows itself (sent once per page, translated).
JS_STRINGS = ("Select a passage first.", "Choose a code first.", "Saved.", "Error", "Conflict",
              "Delete this code, its descendants and their codings?", "Reload")


class WebError(CaseminerError):
    """An error of the web layer itself (no catalogue code)."""

    code = None

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def project() -> Project:
    """The project of this request, opened on first use and closed at teardown."""
    if "project" not in g:
        g.project = Project.open(current_app.config["PROJECT_DIR"])
    return g.project


def lang() -> str:
    """The page's language ("zh" or "en")."""
    return g.get("lang", i18n.DEFAULT_LANG)


def t(text: str) -> str:
    return i18n.translate(text, lang())


def said(message: str) -> str:
    """A message of the library (an error, an import's note, a run's summary) in the page's
    language: :mod:`caseminer.messages_zh` reads it in Chinese where it knows it."""
    return in_language(message, lang())


def js_strings() -> dict[str, str]:
    return {s: t(s) for s in JS_STRINGS}


def lang_url(lang: str) -> str:
    args = request.args.to_dict()
    args["lang"] = lang
    return request.path + "?" + urlencode(args)


def clean_coder(name: str | None) -> str | None:
    name = (name or "").strip()
    if not name or len(name) > 40 or _CODER_BAD.search(name):
        return None
    return name


def read_coder_cookie() -> str | None:
    from urllib.parse import unquote

    return clean_coder(unquote(request.cookies.get(CODER_COOKIE, "")))


def coder() -> str:
    """The name every change is recorded with; asked once and kept in a cookie."""
    name = g.get("coder")
    if not name:
        raise WebError(t("Tell the workbench your name first (the form at the top of the page)."), 400)
    return name


def status_of(error: CaseminerError) -> int:
    if isinstance(error, WebError):
        return error.status
    if isinstance(error, (NotFound, ProjectNotFound)):
        return 404
    if isinstance(error, (Conflict, StageNotRun)):
        return 409
    if isinstance(error, (InvalidInput, InvalidSetting)):
        return 400
    if isinstance(error, (ProjectError, BackendMissing)):
        return 500
    return 400


def wants_json() -> bool:
    """JSON for scripts (and the /api/ routes), HTML for a browser's own navigation and form posts."""
    if request.is_json:
        return True
    html = request.accept_mimetypes["text/html"]
    js = request.accept_mimetypes["application/json"]
    if request.path.startswith("/api/"):
        return not html > js
    return js > html


def error_response(message: str, status: int, *, code: str | None = None):
    """The one JSON error shape, or an HTML page with the message in a banner."""
    if wants_json():
        response = jsonify({"ok": False, "error": message, "code": code, "status": status})
        response.status_code = status
        return response
    if request.method == "POST" and status in (400, 404, 409):
        flash(message, "error")
        return redirect(back_url())
    return render_template("error.html", message=message, status=status, code=code), status


def back_url() -> str:
    """Where a form post returns to: its ``next`` field if it is a local path, else the referring page."""
    target = request.values.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def param(name: str, default: Any = None, *, required: bool = False) -> Any:
    """A value from the JSON body, the form or the query string."""
    value = None
    if request.is_json:
        body = request.get_json(silent=True) or {}
        if isinstance(body, dict):
            value = body.get(name)
    if value is None:
        value = request.values.get(name)
    if value is None or value == "":
        if required:
            raise WebError(f"The field {name!r} is required.", 400)
        return default
    return value


def int_param(name: str, default: int | None = None, *, required: bool = False) -> int | None:
    value = param(name, None, required=required)
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise WebError(f"The field {name!r} must be a whole number; got {value!r}.", 400) from None


def paged(rows: list, per_page: int) -> tuple[list, int, int, int]:
    """The rows of the page the request asks for (``?page=N``, past the end: the last page),
    the page, the number of pages and the number of its first row (from 1)."""
    pages = max(1, math.ceil(len(rows) / per_page))
    page = min(max(1, int_param("page", 1)), pages)
    return rows[(page - 1) * per_page: page * per_page], page, pages, (page - 1) * per_page + 1


def done(data: dict | None = None, *, message: str | None = None):
    """The answer to a successful action: JSON ``{"ok": true, ...}`` or a redirect back."""
    if wants_json():
        return jsonify({"ok": True, **(data or {})})
    flash(message or t("Done."), "info")
    return redirect(back_url())
