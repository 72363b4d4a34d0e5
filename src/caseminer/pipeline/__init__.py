"""The pipeline stages, in flow order, with what each needs.

Each stage declares the stages it reads from (``requires``) and the kinds of
manual decision that change its input (``decisions``: event-kind prefixes). From
these :func:`stage_status` tells whether a stage has run and whether it is out of
date: a stage is stale when a stage upstream of it (one it requires, or one that
stage requires, ...) ran after it, or a decision it or a stage upstream depends on was
made after it read its inputs (a review decision after the report leaves the report
stale). Each run records the last event of the log when its stage read its inputs
(``runs.events_seen``), so "after" is exact, even within a second.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import NotFound, fail
from ..project import BUILD_KEY, Project, caseminer_build, library_versions


@dataclass(frozen=True)
class Stage:
    name: str
    command: str
    requires: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    summary: str = ""


STAGES: tuple[Stage, ...] = (
    Stage("import", "import PATH", summary="cases read, normalised and stored"),
    Stage("segment", "segment", ("import",), ("lexicon.",), "words and POS tags per case"),
    Stage("discover", "discover", ("import",), (), "new-word candidates per corpus and case"),
    Stage("keywords", "keywords", ("segment", "discover"), ("stopword.", "lexicon."), "weighted keywords per case"),
    Stage("stats", "stats", ("keywords",), ("keyword.", "thesaurus."), "frequency tables and figures"),
    Stage("autocode", "code auto", ("segment",), ("code.", "thesaurus."), "codings proposed from the codebook"),
    Stage("report", "report --out DIR", ("stats",), (), "HTML, XLSX and DOCX report"),
)

STAGE_BY_NAME = {stage.name: stage for stage in STAGES}


@dataclass(frozen=True)
class StageStatus:
    stage: Stage
    last_run_id: int | None
    finished_at: str | None
    counts: str | None
    state: str  # "not run", "up to date", "out of date"
    # The newest attempt, if it failed after the last run that finished (when, and the
    # error): it changed nothing, so the state above still holds.
    failed_at: str | None = None
    failure: str = ""
    # The caseminer build its last run recorded (None: a run made before runs recorded it).
    build: str | None = None
    # Why it is out of date: the stage upstream that ran after it, or how many decisions of
    # which kind it has not read (:attr:`reason` says it, :meth:`reason_in` in either language).
    ran_after: str | None = None
    decisions_since: tuple[int, str] | None = None

    @property
    def reason(self) -> str:
        """Why the stage is out of date, in English ("" if it is not)."""
        return self.reason_in("en")

    def reason_in(self, lang: str = "en") -> str:
        """Why the stage is out of date in ``lang`` ("en" or "zh": the workbench, explanations
        in Chinese); "" if it is not."""
        zh = lang == "zh"
        if self.ran_after is not None:
            name = self.ran_after
            return f"{_STAGE_ZH.get(name, name)}在其后又运行过" if zh else f"{name} ran after it"
        if self.decisions_since is not None:
            count, kind = self.decisions_since
            if zh:
                return f"此后又有 {count} 项{_DECISION_ZH.get(kind, kind)}决定"
            return f"{count} {kind} decision(s) since"
        return ""

    @property
    def other_build(self) -> bool:
        """Its last run was made by another build of caseminer than the installed one: a
        changed rule or model may give other results; the run log says which build made it."""
        return self.last_run_id is not None and self.build != caseminer_build()


#: Chinese names of the stages and of the kinds of decision, for :meth:`StageStatus.reason_in`.
_STAGE_ZH = {"import": "导入", "segment": "分词", "discover": "新词发现", "keywords": "关键词提取", "stats": "统计",
             "autocode": "自动编码", "report": "报告"}
_DECISION_ZH = {"lexicon": "词典", "stopword": "停用词", "keyword": "关键词审阅", "thesaurus": "同义词表", "code": "编码"}


def stage_status(project: Project) -> list[StageStatus]:
    """The state of every stage, for ``caseminer status``."""
    last = {}
    for row in project.conn.execute(
        "SELECT stage, MAX(id) AS id FROM runs WHERE status='done' GROUP BY stage"
    ):
        last[row["stage"]] = row["id"]
    details = {
        row["id"]: row
        for row in project.conn.execute(
            "SELECT id, finished_at, counts, events_seen, versions FROM runs "
            f"WHERE id IN ({','.join('?' * len(last))})",
            tuple(last.values()),
        )
    } if last else {}
    failures = {
        row["stage"]: row
        for row in project.conn.execute(
            "SELECT id, stage, finished_at, counts FROM runs WHERE id IN "
            "(SELECT MAX(id) FROM runs WHERE status='failed' GROUP BY stage)")
        if row["stage"] in STAGE_BY_NAME
    }
    out = []
    for stage in STAGES:
        run_id = last.get(stage.name)
        failed = failures.get(stage.name)
        failed_fields = {}
        if failed is not None and failed["id"] > (run_id or 0):
            failed_fields = {"failed_at": failed["finished_at"],
                             "failure": json.loads(failed["counts"] or "{}").get("error", "")}
        if run_id is None:
            out.append(StageStatus(stage, None, None, None, "not run", **failed_fields))
            continue
        row = details[run_id]
        # Upstream at any distance: an import after a segmentation leaves keywords stale too.
        ran_after = next((required for required in sorted(_upstream(stage.name), key=lambda name: -last.get(name, 0))
                          if last.get(required, 0) > run_id), None)
        decisions_since: tuple[int, str] | None = None
        if ran_after is None:
            # The decisions the run has not seen: those after the last event it read, or,
            # for a run recorded before runs kept that, those after it finished (to the second).
            after = ("id > ?", row["events_seen"]) if row["events_seen"] is not None \
                else ("at > ?", row["finished_at"])
            for prefix in _decisions(stage.name):
                newer = project.conn.execute(
                    f"SELECT COUNT(*) FROM events WHERE kind LIKE ? AND {after[0]}", (prefix + "%", after[1])
                ).fetchone()[0]
                if newer:
                    decisions_since = (newer, prefix.rstrip("."))
                    break
        stale = ran_after is not None or decisions_since is not None
        out.append(StageStatus(stage, run_id, row["finished_at"], row["counts"],
                               "out of date" if stale else "up to date", **failed_fields,
                               build=json.loads(row["versions"] or "{}").get(BUILD_KEY),
                               ran_after=ran_after, decisions_since=decisions_since))
    return out


@dataclass(frozen=True)
class RunRecord:
    """One stage run as the project recorded it: how a result was made."""

    id: int
    stage: str
    status: str  # "done", "failed" (its error in counts["error"]), "running" (never closed)
    started_at: str
    finished_at: str | None
    coder: str | None
    settings: dict[str, Any]
    versions: dict[str, str]
    counts: dict[str, Any]

    @property
    def error(self) -> str:
        return str(self.counts.get("error", "")) if self.status == "failed" else ""


def run_history(project: Project, *, stage: str | None = None, limit: int | None = None) -> list[RunRecord]:
    """The project's stage runs, newest first (``stage``: one stage's; ``limit``: the
    newest ``limit``), each with its settings, library versions and counts or error."""
    sql, args = "SELECT * FROM runs", []
    if stage is not None:
        sql, args = sql + " WHERE stage = ?", [stage]
    sql += " ORDER BY id DESC"
    if limit is not None:
        sql, args = sql + " LIMIT ?", [*args, limit]
    return [_record(row) for row in project.conn.execute(sql, args)]


def run_record(project: Project, run_id: int) -> RunRecord:
    """One run (:class:`NotFound` if the project has none of that id)."""
    row = project.conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise fail(NotFound, "E307", run_id=run_id)
    return _record(row)


def _record(row) -> RunRecord:
    return RunRecord(row["id"], row["stage"], row["status"], row["started_at"], row["finished_at"], row["coder"],
                     json.loads(row["settings"] or "{}"), json.loads(row["versions"] or "{}"),
                     json.loads(row["counts"] or "{}"))


def _upstream(stage: str) -> set[str]:
    """Every stage ``stage`` reads from, directly or through another."""
    out: set[str] = set()
    for name in STAGE_BY_NAME[stage].requires:
        out |= {name} | _upstream(name)
    return out


def _decisions(stage: str) -> list[str]:
    """The kinds of decision (event-kind prefixes) that ``stage`` or a stage upstream depends on."""
    return sorted({prefix for name in _upstream(stage) | {stage} for prefix in STAGE_BY_NAME[name].decisions})


def reusable_run(project: Project, stage: str, settings: dict[str, Any], *,
                 ignore: tuple[str, ...] = ("n_jobs",)) -> int | None:
    """The id of ``stage``'s stored run if running it again with ``settings`` would store
    the same result, else None: it is up to date (:func:`stage_status`), it recorded
    these ``settings`` (``ignore``: names that change the speed only), and the versions
    it recorded (caseminer and its build, jieba, ...) are the installed ones; a run that
    recorded no build (made before runs did) is not reused. Lets a command that shows a
    stored result read it instead of running the whole corpus again."""
    row = project.last_run(stage)
    if row is None:
        return None
    state = next(s.state for s in stage_status(project) if s.stage.name == stage)
    # A run recorded before runs kept the last event they read is judged by times, kept to
    # the second: a decision in the second it finished may be newer.
    same_second = row["events_seen"] is None and any(
        project.conn.execute("SELECT 1 FROM events WHERE kind LIKE ? AND at = ?",
                             (prefix + "%", row["finished_at"])).fetchone()
        for prefix in _decisions(stage))
    if state != "up to date" or same_second:
        return None
    recorded = json.loads(row["settings"])
    if any(recorded.get(k) != v for k, v in settings.items() if k not in ignore):
        return None
    versions = json.loads(row["versions"])
    if BUILD_KEY not in versions:
        return None
    installed = library_versions(tuple(versions))
    return row["id"] if all(installed.get(k) == v for k, v in versions.items()) else None
