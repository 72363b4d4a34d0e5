"""caseminer run: the main job."""

from __future__ import annotations

import click

from ..pipeline.run import run_pipeline
from ..pipeline.cluster import connected
from .output import case_layout_options, jobs_option, scheduler_option


@click.command("run")
@click.argument("corpus", nargs=-1, type=click.Path(exists=True))
@click.option("--meta", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Case attributes CSV/XLSX/XLS/ODS (it may sit in the folder of the cases; without "
                   "--meta, the one table there whose rows name the files is read so).")
@case_layout_options
@click.option("--text-field", default="text", show_default=True,
              help="Text column of tables; with the default, a column named text, 正文, 全文, 内容 or full_text that "
                   "holds the texts.")
@click.option("--id-field", default="id", show_default=True, help="Id column of tables; with the default, a column named id, 编号 or 案例编号.")
@click.option("--codebook", type=click.Path(dir_okay=False, exists=True), default=None,
              help="A codebook (.qdc, .yaml or a coding table: .xlsx, .xls, .et, .ods, .csv) to auto-code the "
                   "cases with.")
@click.option("--example", default=None, help="A built-in codebook instead, e.g. poverty-six-dimensions.")
@click.option("--semantic", is_flag=True, help="Auto-coding also uses the offline embedding model (slower).")
@jobs_option()
@scheduler_option()
@click.option("--no-report", is_flag=True, help="Skip the report.")
@click.option("--skip-bad", is_flag=True, help="Import the good files and rows when some are bad (they are listed).")
@click.option("--simplify", is_flag=True, help="Convert traditional characters in the analysis text (OpenCC t2s).")
@click.option("--keep-references", is_flag=True,
              help="Analyse reference lists (参考文献, References) too; by default they are left out of the "
                   "analysis text (the original keeps them).")
@click.option("--keep-markup", is_flag=True,
              help="Analyse HTML tags, LaTeX formulas and Markdown images as text; by default table cells stay "
                   "apart, formulas read as plain text and the rest is left out of the analysis text (the "
                   "original keeps it).")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Project folder (created).")
def run_cmd(corpus, meta, split_at, ids_from_folders, province_from_title, text_field, id_field, codebook, example, semantic, n_jobs, scheduler, no_report, skip_bad,
            simplify, keep_references, keep_markup, out) -> None:
    """Run the whole pipeline on CORPUS into the project in --out: import, segment,
    discover, keywords, stop-word proposals, merge suggestions, auto-coding (with a
    codebook), statistics and the report. Re-running continues where it left off; without
    CORPUS, the project's cases are analysed again (after lexicon words were accepted or
    stop-words confirmed), and a project coded automatically before is coded again.

    Example: caseminer run examples/demo/cases --meta examples/demo/metadata.csv --example poverty-six-dimensions --out demo-project
    """
    if codebook and example:
        raise click.UsageError("Give --codebook or --example, not both.")
    with connected(scheduler) as executor:
        summary = run_pipeline(list(corpus), out, meta=meta, text_field=text_field, id_field=id_field,
                               codebook=codebook, example=example, semantic=semantic, n_jobs=n_jobs,
                               report=not no_report, skip_bad=skip_bad, simplify=simplify,
                               keep_references=keep_references, keep_markup=keep_markup,
                               ids_from_folders=ids_from_folders, split_at=split_at,
                               province_from_title=province_from_title, executor=executor,
                               progress=lambda stage: click.echo(f"[{stage}] ...", err=True))
    click.echo(f"Project: {summary.project_dir}")
    for stage, result in summary.stages:
        click.echo(f"  {stage:<10} {result}")
    if summary.todo:
        click.echo("Waiting for a researcher:")
        for item in summary.todo:
            click.echo(f"  - {item}")
    if summary.report_files:
        click.echo(f"Open the report: {summary.report_files['html']}")


COMMANDS = [run_cmd]
