"""The project: one SQLite database plus a small settings file, in one folder.

``caseminer init DIR`` creates ``DIR/caseminer.sqlite`` and ``DIR/caseminer.toml``.
Every later command finds its project through ``--project DIR``, the
``CASEMINER_PROJECT`` variable, or the current directory, in that order
(:func:`find_project`).

All writes go through :meth:`Project.transaction`, so a failed import or a crash
mid-run leaves the project as it was; stages record themselves with
:meth:`Project.run`, which stores settings, versions, times and counts.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import getpass
import hashlib
import json
import os
import platform
import sqlite3
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator

from .errors import CaseminerError, ProjectError, ProjectNotFound, fail
from .store.migrations import migrate

DB_NAME = "caseminer.sqlite"
SETTINGS_NAME = "caseminer.toml"
ENV_VAR = "CASEMINER_PROJECT"

_DEFAULT_SETTINGS = """\
# caseminer project settings. Edit freely; delete this file to get the defaults back.

[project]
name = "{name}"

# Who makes manual decisions (review, coding) unless --coder is given.
# Every decision is stored with this name.
[review]
coder = "{coder}"
"""

_VERSIONED_PACKAGES = ("caseminer", "jieba", "numpy", "scipy", "opencc", "python-docx", "olefile", "pypdf", "openpyxl",
                       "xlrd")


def now() -> str:
    """UTC time as ISO 8601 with seconds, the one time format of the project."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def to_the_minute(timestamp: str | None) -> str:
    """A stored time (:func:`now`) as people read it in tables: ``2026-11-30 21:06``."""
    return (timestamp or "").replace("T", " ")[:16]


@dataclass(frozen=True)
class InputsRead:
    """When a stage read its inputs (:meth:`Project.inputs_read`): the time, which the run
    records as its start, and the newest event of the log then, so that status can tell
    the decisions the run saw from those made while it computed."""

    started_at: str
    events_seen: int


def failure_text(error: BaseException) -> str:
    """How a failed run records its error: caseminer's own message as it is (it says what
    to do), any other error with its type; an interruption by Ctrl-C has no message."""
    if isinstance(error, KeyboardInterrupt):
        return "interrupted (KeyboardInterrupt)"
    if isinstance(error, CaseminerError):
        return error.message
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


#: The key of :func:`caseminer_build` among a run's versions.
BUILD_KEY = "caseminer build"


@functools.lru_cache(maxsize=1)
def caseminer_build() -> str:
    """A fingerprint of the caseminer that makes a result: the first 12 hex digits of a
    SHA-256 over the names and bytes of every file of the package (code, shipped models,
    word lists, templates).

    Why: the version number changes with a release only, and two builds of one version
    (a changed rule, a refitted model) can make different lists from the same cases; a
    run records both, so a number in a paper can be traced to the code that made it, and
    a stored run is reused only by the code that made it.
    """
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def library_versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Versions of Python, of caseminer (its number and :func:`caseminer_build`) and of
    the packages whose behaviour results depend on."""
    versions = {"python": platform.python_version(), BUILD_KEY: caseminer_build()}
    for name in _VERSIONED_PACKAGES + extra:
        if name in versions:
            continue
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


@dataclass
class Run:
    """A stage run in progress; stages fill ``counts`` before it closes."""

    id: int
    stage: str
    settings: dict[str, Any]
    counts: dict[str, Any]


class Project:
    """An open caseminer project. Use :func:`open_project` or :meth:`Project.create`."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self._depth = 0

    # -- creation and opening -------------------------------------------------

    @classmethod
    def create(cls, directory: str | os.PathLike, *, name: str | None = None, coder: str | None = None) -> "Project":
        directory = Path(directory)
        db_path = directory / DB_NAME
        if db_path.exists():
            raise fail(ProjectError, "E102", path=directory)
        directory.mkdir(parents=True, exist_ok=True)
        settings_path = directory / SETTINGS_NAME
        if not settings_path.exists():
            settings_path.write_text(
                _DEFAULT_SETTINGS.format(
                    name=_toml_escape(name or directory.resolve().name),
                    coder=_toml_escape(coder or _default_coder()),
                ),
                encoding="utf-8",
            )
        return cls.open(directory, create=True)

    @classmethod
    def open(cls, directory: str | os.PathLike, *, create: bool = False) -> "Project":
        directory = Path(directory)
        db_path = directory / DB_NAME
        if not create and not db_path.is_file():
            raise fail(ProjectNotFound, "E101", where=str(directory))
        conn = sqlite3.connect(db_path, isolation_level=None, timeout=30, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        try:
            migrate(conn, str(db_path))
        except sqlite3.DatabaseError as e:
            conn.close()
            raise fail(ProjectError, "E105", path=db_path, reason=e) from e
        except BaseException:
            conn.close()
            raise
        return cls(directory, conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def db_path(self) -> Path:
        return self.path / DB_NAME

    # -- settings -----------------------------------------------------------------

    def settings(self) -> dict[str, Any]:
        path = self.path / SETTINGS_NAME
        if not path.exists():
            return {}
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise fail(ProjectError, "E104", path=path, reason=e) from e

    def coder(self, explicit: str | None = None) -> str:
        """The name manual decisions are recorded under: --coder, else the settings."""
        if explicit and explicit.strip():
            return explicit.strip()
        configured = self.settings().get("review", {}).get("coder")
        return configured or _default_coder()

    # -- transactions and runs ----------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing writes. Nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    @contextlib.contextmanager
    def run(self, stage: str, settings: dict[str, Any] | None = None, *, coder: str | None = None,
            extra_versions: tuple[str, ...] = (), inputs: InputsRead | None = None) -> Iterator[Run]:
        """Record a stage run around its writes, in one transaction.

        If the body fails, its writes are rolled back and the run is recorded as
        failed (with the error), so ``caseminer status`` can say so. ``inputs``:
        :meth:`inputs_read` (or :meth:`attempt`), taken when the stage began to read its
        inputs. The run then starts when the stage did, not when it came to store its
        results, and a decision made while it computed is one it has not seen. By default
        both are taken now.
        """
        settings = dict(settings or {})
        versions = library_versions(extra_versions)
        settings_json = json.dumps(settings, ensure_ascii=False, sort_keys=True)
        versions_json = json.dumps(versions, sort_keys=True)
        started = inputs.started_at if inputs is not None else now()
        try:
            with self.transaction() as conn:
                events_seen = inputs.events_seen if inputs is not None else self.last_event_id()
                cur = conn.execute(
                    "INSERT INTO runs(stage, settings, versions, started_at, coder, events_seen) "
                    "VALUES (?,?,?,?,?,?)",
                    (stage, settings_json, versions_json, started, coder, events_seen),
                )
                run = Run(cur.lastrowid, stage, settings, {})
                yield run
                conn.execute(
                    "UPDATE runs SET finished_at=?, status='done', counts=? WHERE id=?",
                    (now(), json.dumps(run.counts, ensure_ascii=False, sort_keys=True), run.id),
                )
        except BaseException as e:
            # The stage's writes were rolled back; keep a trace of the failure.
            self._record_failure(e, stage, settings_json, versions_json, started, coder)
            raise

    @contextlib.contextmanager
    def attempt(self, stage: str, settings: dict[str, Any] | None = None) -> Iterator[InputsRead]:
        """A stage from the moment it reads its inputs to the end of its run.

        Yields :meth:`inputs_read`, for the stage to pass to :meth:`run` when it stores
        its results. If the stage crashes before that (while it reads or computes) or is
        interrupted, a failed run of ``stage`` with ``settings`` is recorded, as
        :meth:`run` records a failure of its writes, so ``caseminer status`` says the
        last attempt failed and why; nothing else is written. A refusal (a
        :class:`CaseminerError`: bad input, a stage not run yet) records nothing: its
        message has told the user what to fix, and the project stays exactly as it was.
        """
        inputs = self.inputs_read()
        try:
            yield inputs
        except CaseminerError:
            raise
        except BaseException as e:
            self._record_failure(e, stage, json.dumps(dict(settings or {}), ensure_ascii=False, sort_keys=True),
                                 json.dumps(library_versions(), sort_keys=True), inputs.started_at, None)
            raise

    def _record_failure(self, error: BaseException, stage: str, settings_json: str, versions_json: str,
                        started: str, coder: str | None) -> None:
        """Store a failed run, once per error (a run's failure also leaves its attempt), and
        not inside an outer transaction, which the error rolls back."""
        # The mark goes on the error itself: the project keeps no reference to it, nor to
        # the frames (and data) of its traceback.
        if self._depth or getattr(error, "_caseminer_run_recorded", False):
            return
        try:
            error._caseminer_run_recorded = True
        except AttributeError:  # an exception type without attributes: it may be recorded twice
            pass
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO runs(stage, settings, versions, started_at, finished_at, status, counts, coder) "
                "VALUES (?,?,?,?,?,'failed',?,?)",
                (stage, settings_json, versions_json, started, now(),
                 json.dumps({"error": failure_text(error)}, ensure_ascii=False), coder),
            )

    def last_run(self, stage: str) -> sqlite3.Row | None:
        return self.conn.execute(
            "SELECT * FROM runs WHERE stage=? AND status='done' ORDER BY id DESC LIMIT 1", (stage,)
        ).fetchone()

    # -- the event log --------------------------------------------------------------

    def last_event_id(self) -> int:
        """The id of the newest event of the log (0 if none)."""
        return self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]

    def inputs_read(self) -> InputsRead:
        """Mark the moment a stage begins to read its inputs; the stage passes the mark to
        :meth:`run` when it stores its results (the run's start, and the decisions it saw)."""
        return InputsRead(started_at=now(), events_seen=self.last_event_id())

    def record_event(self, kind: str, *, coder: str, target: str | None = None,
                     payload: dict[str, Any] | None = None, reason: str | None = None,
                     undoes: int | None = None) -> int:
        """Append a manual decision to the event log; returns its id."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO events(at, coder, kind, target, payload, reason, undoes) VALUES (?,?,?,?,?,?,?)",
                (now(), coder, kind, target, json.dumps(payload or {}, ensure_ascii=False, sort_keys=True),
                 reason, undoes),
            )
            if undoes is not None:
                conn.execute("UPDATE events SET undone_by=? WHERE id=?", (cur.lastrowid, undoes))
            return cur.lastrowid


def _default_coder() -> str:
    try:
        return getpass.getuser() or "researcher"
    except Exception:  # no user database entry (containers)
        return "researcher"


def _toml_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def find_project(explicit: str | os.PathLike | None = None, *, cwd: str | os.PathLike | None = None) -> Path:
    """Where the project is: ``explicit`` (--project), else $CASEMINER_PROJECT, else cwd."""
    if explicit:
        candidates = [("--project", Path(explicit))]
    elif os.environ.get(ENV_VAR):
        candidates = [(ENV_VAR, Path(os.environ[ENV_VAR]))]
    else:
        candidates = [("the current directory", Path(cwd or os.getcwd()))]
    label, path = candidates[0]
    if (path / DB_NAME).is_file():
        return path
    raise fail(ProjectNotFound, "E101", where=f"{path} ({label})")


def open_project(explicit: str | os.PathLike | None = None) -> Project:
    """Open the project found by :func:`find_project`."""
    return Project.open(find_project(explicit))
