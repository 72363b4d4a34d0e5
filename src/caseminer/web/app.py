"""The workbench application: ``make_app(project_dir)`` builds a Flask app (issue 8).

The web layer only translates between people and library functions: it opens the
project per request, calls one library function per action with the coder's name,
renders the result and maps :class:`~caseminer.errors.CaseminerError` to one JSON
error shape ``{"ok": false, "error": ..., "code": ..., "status": ...}`` (or a banner on
HTML pages). No SQL and no algorithm lives here.

Safety rules kept here, in one place:

- Jinja2 autoescaping is on and case text is never marked safe;
- every state-changing request carries the session's CSRF token (form field
  ``csrf_token`` or header ``X-CSRF-Token``) and, when the browser says where it
  comes from (Origin/Referer), comes from this host; otherwise 403;
- files are served only from the package's static folder and the app's own figure
  folder, by Flask's ``send_from_directory`` and names matched by a strict regex.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import tempfile
import weakref
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, g, request, send_file, session
from werkzeug.exceptions import HTTPException

from ..errors import CaseminerError
from ..project import Project, to_the_minute
from . import i18n
from .analysis import Analysis
from .views import agreement, api, base, cases, codebook, files, keywords, normalise, pipeline, reader, stats

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
MB = 1024 * 1024
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LANG_COOKIE = "caseminer_lang"
COOKIE_AGE = 3600 * 24 * 365


def make_app(project_dir: str | os.PathLike, *, secret: str | None = None,
             trusted_hosts: list[str] | None = None) -> Flask:
    """The workbench for the project in ``project_dir`` (which must exist).

    ``secret`` signs the session cookie (a random one by default, so sessions end
    when the server stops). ``trusted_hosts`` limits the Host header a request may
    carry (``caseminer serve`` passes the loopback names, against DNS rebinding).
    Example::

        app = make_app("myproject")
        client = app.test_client()
        client.get("/api/cases").get_json()
    """
    project_dir = Path(project_dir).resolve()
    Project.open(project_dir).close()  # fail now (ProjectNotFound) rather than on every request
    app = Flask("caseminer.web", root_path=str(HERE), static_folder="static", template_folder="templates")
    app.config.update(
        SECRET_KEY=secret or secrets.token_hex(32),
        PROJECT_DIR=project_dir,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        MAX_CONTENT_LENGTH=2 * MB,  # the files page's uploads: files.UPLOAD_MB
        JSON_AS_ASCII=False,
        TRUSTED_HOSTS=trusted_hosts,
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.config["ANALYSIS"] = Analysis(project_dir)  # the analysis started from the pipeline page
    figure_dir = Path(tempfile.mkdtemp(prefix="caseminer-web-"))
    app.config["FIGURE_DIR"] = figure_dir
    weakref.finalize(app, shutil.rmtree, figure_dir, True)

    @app.before_request
    def _before():
        g.lang = i18n.normalise_lang(request.args.get("lang") or request.cookies.get(LANG_COOKIE))
        g.coder = base.read_coder_cookie()
        if request.endpoint in files.UPLOAD_ENDPOINTS:  # before the token check reads the form
            request.max_content_length = files.UPLOAD_MB * MB
            request.max_form_parts = files.MAX_CASE_FILES + 10  # a folder's files, and the form's own fields
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(24)
        if request.method in UNSAFE_METHODS and not _same_origin_with_token():
            return base.error_response(base.t("The request was refused: it did not come from this workbench "
                                              "(missing or wrong security token). Reload the page and try again."),
                                       403)
        return None

    @app.after_request
    def _after(response):
        if request.args.get("lang") in i18n.LANGS:
            response.set_cookie(LANG_COOKIE, request.args["lang"], max_age=COOKIE_AGE, samesite="Strict")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # Everything is served by the app itself: no CDN, no inline script.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; font-src 'self'; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
        return response

    @app.teardown_appcontext
    def _close(_exc):
        project = g.pop("project", None)
        if project is not None:
            project.close()

    app.add_template_filter(to_the_minute, "minute")

    @app.context_processor
    def _template_vars():
        return {"_": base.t, "lang": base.lang(), "coder": g.get("coder"),
                "csrf_token": session.get("csrf", ""), "js_strings": base.js_strings(),
                "project_name": project_dir.name, "lang_url": base.lang_url}

    @app.errorhandler(CaseminerError)
    def _caseminer_error(error: CaseminerError):
        # E000 is the base class's placeholder: an uncatalogued message has no code (null).
        code = error.code if error.code and error.code != "E000" else None
        return base.error_response(base.said(error.message), base.status_of(error), code=code)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        messages = {404: "Not found.", 405: "Method not allowed.", 400: "Bad request."}
        if error.code == 413:  # the files sent are over the limit of the request
            upload = request.endpoint in files.UPLOAD_ENDPOINTS
            limit = files.UPLOAD_MB if upload else app.config["MAX_CONTENT_LENGTH"] // MB
            return base.error_response(base.t("The files sent are larger than the workbench takes at once ({mb} MB); "
                                              "import a large corpus with 'caseminer import FOLDER'.").format(mb=limit),
                                       413)
        return base.error_response(base.t(messages.get(error.code, error.name)), error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unexpected error in the workbench")
        return base.error_response(base.t("Internal error; see the server log."), 500)

    @app.get("/font/sans.otf")
    def _font():
        # The CJK font the figures use, so the interface reads the same on a machine without
        # Chinese system fonts. A fixed path from the font package, never from the request.
        try:
            import pylopdf_fonts_zh_cn
        except ImportError:
            return base.error_response(base.t("Not found."), 404)
        return send_file(pylopdf_fonts_zh_cn.sans_path(), mimetype="font/otf", max_age=30 * 24 * 3600)

    for module in (cases, reader, keywords, normalise, codebook, stats, agreement, pipeline, files, api):
        app.register_blueprint(module.bp)
    return app


def _same_origin_with_token() -> bool:
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token") or ""
    if not sent or not secrets.compare_digest(str(sent), str(session.get("csrf", ""))):
        return False
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if source and source != "null":
        return urlsplit(source).netloc == request.host
    return source is None
