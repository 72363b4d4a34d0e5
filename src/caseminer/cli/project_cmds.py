"""caseminer init, status."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from ..pipeline import STAGES, RunRecord, run_history, run_record, stage_status
from ..pipeline.corpus import corpus_summary
from ..project import Project, caseminer_build, to_the_minute
from .context import CliContext
from .output import emit, format_option


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", default=None, help="Project name (default: the folder name).")
@click.option("--coder", default=None, help="Default name for manual decisions (default: your user name).")
def init_cmd(directory: str, name: str | None, coder: str | None) -> None:
    """Create a project in DIRECTORY: caseminer.sqlite plus caseminer.toml.

    Example: caseminer init my-study
    """
    project = Project.create(directory, name=name, coder=coder)
    project.close()
    click.echo(f"Created a caseminer project in {directory}")
    click.echo(f"Next: caseminer -p {directory} import CASES_FOLDER --meta metadata.csv")


@click.command("status")
@click.option("--history", is_flag=True,
              help="List the stage runs instead, newest first: when each ran, and what it made or why it failed.")
@click.option("--stage", type=click.Choice([stage.name for stage in STAGES]), default=None,
              help="With --history: one stage's runs.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="With --history: the newest this many runs.")
@click.option("--run", "run_id", type=int, default=None,
              help="Print one run (an id of --history): its settings, library versions and counts.")
@format_option(choices=("table", "json"))
@click.pass_obj
def status_cmd(obj: CliContext, history: bool, stage: str | None, limit: int, run_id: int | None,
               fmt: str) -> None:
    """What is in the project and which stages are out of date.

    With --history, the log of stage runs; with --run ID, how one result was made.

    Examples: caseminer status; caseminer status --history --stage keywords; caseminer status --run 12
    """
    project = obj.project
    if run_id is not None:
        _show_run(run_record(project, run_id), fmt)
        return
    if history:
        runs = run_history(project, stage=stage, limit=limit)
        rows = [{"run": r.id, "stage": r.stage, "status": r.status, "started": to_the_minute(r.started_at),
                 "finished": to_the_minute(r.finished_at),
                 "made": _first_line(r.error or _counts_text(r.counts), limit=80)} for r in runs]
        emit(rows, ["run", "stage", "status", "started", "finished", "made"], fmt=fmt, out=None,
             json_value=[asdict(r) for r in runs])
        return
    summary = corpus_summary(project)
    n_cases, n_chars, provinces = summary["cases"], summary["characters"], summary["provinces"]
    rows = []
    for status in stage_status(project):
        note = status.reason or (f"run: caseminer {status.stage.command}" if status.state != "up to date" else "")
        if status.failed_at:
            # A failed attempt changed nothing, so the state holds; its error says what to do.
            note = " ".join(filter(None, [status.reason and f"{status.reason};",
                                          f"last attempt failed {to_the_minute(status.failed_at)}:",
                                          _first_line(status.failure)]))
        if status.other_build:
            # The state holds (nothing it read changed), but a newer caseminer may give other results.
            note = " ".join(filter(None, [note and f"{note};", "made by caseminer build",
                                          f"{status.build or 'unrecorded'} (installed: {caseminer_build()})"]))
        rows.append({
            "stage": status.stage.name,
            "state": status.state,
            "last run": to_the_minute(status.finished_at),
            "counts": json.loads(status.counts) if status.counts else {},
            "note": note,
            "last failure": {"at": status.failed_at, "error": status.failure} if status.failed_at else None,
            "build": status.build,
        })
    if fmt == "json":
        emit(rows, [], fmt="json", out=None, json_value={
            "project": str(project.path), "caseminer build": caseminer_build(), "cases": n_cases,
            "characters": n_chars, "provinces": provinces, "stages": rows})
        return
    click.echo(f"Project {project.path}: {n_cases} cases, {n_chars} characters, {provinces} provinces")
    for row in rows:
        row["counts"] = _counts_text(row["counts"])
    emit(rows, ["stage", "state", "last run", "counts", "note"], fmt="table", out=None)


def _show_run(run: RunRecord, fmt: str) -> None:
    if fmt == "json":
        emit([], [], fmt="json", out=None, json_value=asdict(run))
        return
    click.echo(f"Run {run.id}: {run.stage}, {run.status}; started {to_the_minute(run.started_at)}, "
               f"finished {to_the_minute(run.finished_at) or '-'}" + (f", by {run.coder}" if run.coder else ""))
    if run.error:
        click.echo(f"Error: {run.error}")
    for title, values in (("Settings", run.settings), ("Versions", run.versions), ("Counts", run.counts)):
        if values and not (title == "Counts" and run.error):
            click.echo(f"{title}:")
            for key, value in values.items():
                shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                click.echo(f"  {key} = {shown}")


def _counts_text(counts: dict) -> str:
    """A run's counts for a table cell: a list (the topic seeds) by its first three items;
    ``--run ID`` and ``--format json`` give them whole."""
    def shown(value):
        if not isinstance(value, list):
            return value
        return "、".join(map(str, value[:3])) + ("…" if len(value) > 3 else "")

    return " ".join(f"{k}={shown(v)}" for k, v in counts.items() if v not in (0, [], None))


def _first_line(text: str, limit: int = 100) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


COMMANDS = [init_cmd, status_cmd]
