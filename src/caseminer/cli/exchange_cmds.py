"""caseminer export qdpx, caseminer import qdpx, caseminer report."""

from __future__ import annotations

import click

from .context import CliContext


@click.group("export")
def export_group() -> None:
    """Export the project for other programs."""


@export_group.command("qdpx")
@click.argument("file", type=click.Path(dir_okay=False), required=False)
@click.option("--out", "out_file", type=click.Path(dir_okay=False),
              help="The .qdpx file to write (the same as FILE, as other commands name their output).")
@click.pass_obj
def export_qdpx(obj: CliContext, file: str | None, out_file: str | None) -> None:
    """Write the project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder.

    Example: caseminer export qdpx study.qdpx"""
    from ..exchange.project_io import export_project

    if (file is None) == (out_file is None):
        raise click.UsageError("Name the .qdpx file to write once: 'caseminer export qdpx study.qdpx' "
                               "(or --out study.qdpx).")
    file = file or out_file
    counts = export_project(obj.project, file)
    click.echo(f"Wrote {file}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


def import_qdpx(obj: CliContext, args: tuple[str, ...], coder: str | None = None) -> None:
    """`caseminer import qdpx FILE.qdpx` (dispatched from the import command)."""
    from ..exchange.project_io import import_project

    if len(args) != 1:
        raise click.UsageError("Usage: caseminer import qdpx FILE.qdpx")
    counts = import_project(obj.project, args[0], coder=obj.project.coder(coder))
    click.echo(f"Imported {args[0]}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


@click.command("report")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False),
              help="Folder for report.html, tables.xlsx, report.docx and the figures (default: the folder "
                   "report in the project, where 'caseminer run' writes it).")
@click.option("--by", default="province", show_default=True, help="Attribute for the comparison sections: province, region (东部/中部/西部/东北, read from the province), "
              "or any attribute of the cases.")
@click.option("--periods", default=None, metavar="SPEC",
              help="Group the numbers of --by (years) into periods: 2013-2015,2016-2020,2021- (ends included).")
@click.pass_obj
def report_cmd(obj: CliContext, out_dir: str | None, by: str, periods: str | None) -> None:
    """Write the report: report.html (self-contained), tables.xlsx and report.docx."""
    from ..report.collect import write_report

    paths = write_report(obj.project, out_dir or obj.project.path / "report", by=by, periods=periods)
    for kind, path in paths.items():
        click.echo(f"{kind:5} {path}")


COMMANDS = [export_group, report_cmd]
