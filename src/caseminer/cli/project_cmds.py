"""caseminer init, status."""

from __future__ import annotations

import json

import click

from ..pipeline import stage_status
from ..pipeline.corpus import corpus_summary
from ..project import Project
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
@format_option(choices=("table", "json"))
@click.pass_obj
def status_cmd(obj: CliContext, fmt: str) -> None:
    """What is in the project and which stages are out of date."""
    project = obj.project
    summary = corpus_summary(project)
    n_cases, n_chars, provinces = summary["cases"], summary["characters"], summary["provinces"]
    rows = []
    for status in stage_status(project):
        note = status.reason or (f"run: caseminer {status.stage.command}" if status.state != "up to date" else "")
        if status.failed_at:
            # A failed attempt changed nothing, so the state holds; its error says what to do.
            note = " ".join(filter(None, [status.reason and f"{status.reason};",
                                          f"last attempt failed {_minute(status.failed_at)}:",
                                          _first_line(status.failure)]))
        rows.append({
            "stage": status.stage.name,
            "state": status.state,
            "last run": _minute(status.finished_at),
            "counts": json.loads(status.counts) if status.counts else {},
            "note": note,
            "last failure": {"at": status.failed_at, "error": status.failure} if status.failed_at else None,
        })
    if fmt == "json":
        emit(rows, [], fmt="json", out=None, json_value={
            "project": str(project.path), "cases": n_cases, "characters": n_chars, "provinces": provinces,
            "stages": rows})
        return
    click.echo(f"Project {project.path}: {n_cases} cases, {n_chars} characters, {provinces} provinces")
    for row in rows:
        row["counts"] = " ".join(f"{k}={'、'.join(map(str, v)) if isinstance(v, list) else v}"
                                 for k, v in row["counts"].items() if v not in (0, [], None))
    emit(rows, ["stage", "state", "last run", "counts", "note"], fmt="table", out=None)


def _minute(timestamp: str | None) -> str:
    return (timestamp or "").replace("T", " ")[:16]


def _first_line(text: str, limit: int = 100) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


COMMANDS = [init_cmd, status_cmd]
