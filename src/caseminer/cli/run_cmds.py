"""caseminer run: the main job."""

from __future__ import annotations

import click

from ..pipeline.run import run_pipeline


@click.command("run")
@click.argument("corpus", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--meta", type=click.Path(dir_okay=False, exists=True), default=None, help="Case attributes CSV/XLSX.")
@click.option("--text-field", default="text", show_default=True, help="Text column of tables.")
@click.option("--id-field", default="id", show_default=True, help="Id column of tables.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Project folder (created).")
def run_cmd(corpus: tuple[str, ...], meta: str | None, text_field: str, id_field: str, out: str) -> None:
    """Run the whole pipeline on CORPUS into the project in --out.

    Example: caseminer run examples/demo/cases --meta examples/demo/metadata.csv --out demo-project
    """
    summary = run_pipeline(list(corpus), out, meta=meta, text_field=text_field, id_field=id_field,
                           progress=lambda stage: click.echo(f"[{stage}]", err=True))
    click.echo(f"Project: {summary.project_dir}")
    for stage, result in summary.stages:
        click.echo(f"  {stage:<10} {result}")
    if summary.todo:
        click.echo("Waiting for a researcher:")
        for item in summary.todo:
            click.echo(f"  - {item}")


COMMANDS = [run_cmd]
