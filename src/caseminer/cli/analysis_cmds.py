"""caseminer stats, agreement, saturation, framework."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..coding import framework as fw
from ..coding.agreement_stage import agreement_report, disagreements, human_coders
from ..pipeline import stats as st
from .context import CliContext
from .output import emit, format_option, out_option

TABLES = ("frequency", "incidence", "by", "crosstab", "specificity", "cooccurrence", "emergence")
_TABLE_KEYS = {"frequency": "case_frequency", "incidence": "incidence", "by": "by_attribute", "crosstab": "crosstab",
               "specificity": "specificity", "cooccurrence": "cooccurrence", "emergence": "emergence"}


@click.command("stats")
@click.argument("table", type=click.Choice(TABLES), default="frequency")
@click.option("--by", default="province", show_default=True, help="Case attribute to compare: province, region (东部/中部/西部/东北, read from the province), year, ...")
@click.option("--periods", default=None, metavar="SPEC",
              help="Group the numbers of --by (years) into periods: 2013-2015,2016-2020,2021- (ends included).")
@click.option("--source", type=click.Choice(st.SOURCES), default="keywords", show_default=True,
              help="keywords: reviewed core keywords; text: core keywords in the text; codes: codings.")
@click.option("--level", type=click.Choice(["open", "axial", "selective"]), default=None,
              help="With --source codes: count codes at this level.")
@click.option("--min-cases", type=int, default=2, show_default=True, help="Specificity: test terms in >= N cases.")
@click.option("--alpha", type=float, default=0.05, show_default=True, help="Specificity: false discovery rate.")
@click.option("--significant", is_flag=True, help="Specificity: only cells with q <= alpha.")
@click.option("--top", type=int, default=None, help="Show only the first N rows.")
@click.option("--export", "export_dir", type=click.Path(file_okay=False), default=None,
              help="Also write every table (CSV, XLSX), the GraphML network and the figures (PNG, SVG) here.")
@click.option("--graphml", type=click.Path(dir_okay=False), default=None, help="Write the co-occurrence network here.")
@format_option()
@out_option()
@click.pass_obj
def stats_cmd(obj: CliContext, table, by, periods, source, level, min_cases, alpha, significant, top, export_dir, graphml,
              fmt, out) -> None:
    """Frequency statistics: case frequency, keyword x province (long, or wide: crosstab),
    specificity, co-occurrence, and emergence (each keyword's first, last and peak year, with --by year).

    Example: caseminer stats specificity --by province --significant
    """
    project = obj.project
    settings = st.StatsSettings(by=by, source=source, level=level, min_cases=min_cases, alpha=alpha, periods=periods)
    if export_dir:
        result = st.run_stats(project, out_dir=export_dir, settings=settings)
        tables = result["tables"]
        click.echo(f"Wrote {len(result['files'])} files to {export_dir}", err=True)
    else:
        tables = st.run_stats(project, settings=settings)["tables"]
    if graphml:
        from ..analysis.cooccurrence import cooccurrence, to_graphml
        from ..analysis.frequency import case_frequency

        inc = st.incidence(project, settings)
        to_graphml(cooccurrence(inc), case_frequency(inc), graphml)
        click.echo(f"Wrote the co-occurrence network to {graphml}", err=True)
    rows = tables[_TABLE_KEYS[table]]
    if table == "specificity" and significant:
        rows = [r for r in rows if r["significant"]]
    if top:
        rows = rows[:top]
    columns = list(rows[0]) if rows else ["(no rows)"]
    if table == "specificity" and fmt == "table":
        columns = ["term", by, "observed", "expected", "share_in_group", "share_elsewhere", "g2", "p_value",
                   "q_value", "direction", "low_expected"]
    # the case frequency, incidence and co-occurrence tables do not compare groups: no "by"
    grouped = table in ("by", "crosstab", "specificity", "emergence")
    emit(rows, columns, fmt=fmt, out=out, title=f"{table} ({source}" + (f", by {by})" if grouped else ")"))
    if table == "crosstab" and fmt == "table" and len(columns) > 8:
        click.echo(f"Note: the crosstab has {len(columns)} columns, more than a terminal shows; read it in Excel: "
                   f"caseminer stats crosstab --by {by} --format xlsx --out crosstab.xlsx", err=True)
    if grouped and periods and (outside := st.outside_periods(project, by, periods)):
        click.echo(f"Note: {outside} case(s) have a {by} in none of the periods {periods}: they count as missing.",
                   err=True)
    if grouped and (reason := st.no_comparison(project, by, command=f"caseminer stats {table}", periods=periods)):
        click.echo(f"Note: {reason[1]}", err=True)
    elif table == "emergence" and not rows:
        click.echo(f"Note: the values of {by} are not all numbers (such as years), so the keywords have no "
                   "order to be read along; give the cases a year ('caseminer stats emergence --by year').", err=True)


@click.command("agreement")
@click.option("--coders", default=None,
              help="Comma-separated coder names, e.g. A,B (default: every coder who coded by hand; "
                   "'caseminer-auto' names the automatic coding).")
@click.option("--level", type=click.Choice(["open", "axial", "selective"]), default=None,
              help="Roll codings up to this level before comparing (default: as coded).")
@click.option("--unit", type=click.Choice(["case", "span"]), default="case", show_default=True,
              help="case: is the code in the case? span: character-level overlap of the coded passages.")
@click.option("--disagreements", "show_disagreements", is_flag=True, help="List the passages where coders differ.")
@format_option()
@out_option()
@click.pass_obj
def agreement_cmd(obj: CliContext, coders, level, unit, show_disagreements, fmt, out) -> None:
    """Inter-coder agreement: percent agreement, Cohen's kappa, Krippendorff's alpha, per code."""
    if coders is None:
        coder_list = human_coders(obj.project)
        if len(coder_list) < 2:
            raise click.UsageError(
                f"Agreement compares two coders or more; {len(coder_list)} coded by hand "
                f"({', '.join(coder_list) or 'none'}). Give two with --coders A,B ('caseminer-auto' names the "
                "automatic coding, to compare a coder with it).")
        click.echo(f"Coders who coded by hand: {', '.join(coder_list)} (choose with --coders).", err=True)
    else:
        coder_list = [c.strip() for c in coders.split(",")]
    if show_disagreements:
        rows = disagreements(obj.project, coders=coder_list, level=level)
        flat = [{"case_id": r["case_id"], "code": r["code"], "kind": r["kind"],
                 **{c: " | ".join(r["passages"][c]) for c in coder_list}} for r in rows]
        emit(flat, ["case_id", "code", "kind", *coder_list], fmt=fmt, out=out, title="disagreements", json_value=rows)
        return
    report = agreement_report(obj.project, coders=coder_list, level=level, unit=unit)
    rows = [report["overall"]] + report["per_code"]
    if fmt == "table":
        click.echo(f"{report['unit']}-level agreement of {', '.join(report['coders'])} on {report['cases']} case(s)"
                   + (f", codes rolled up to {level}" if level else ""))
    emit(rows, list(rows[0]), fmt=fmt, out=out, title="agreement", json_value=report)


@click.command("saturation")
@click.option("--level", type=click.Choice(["open", "axial", "selective"]), default="open", show_default=True)
@click.option("--order", type=click.Choice(["given", "random"]), default="given", show_default=True)
@click.option("--permutations", type=int, default=20, show_default=True)
@click.option("--heldback", "heldback_share", type=float, default=0.2, show_default=True,
              help="Share of cases held back for the check.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--coders", default=None, help="Only these coders' codings (comma-separated).")
@click.option("--figure", "figure", type=click.Path(dir_okay=False), default=None,
              help="Write the saturation figure (PATH.png and PATH.svg; give the path without suffix).")
@format_option()
@out_option()
@click.pass_obj
def saturation_cmd(obj: CliContext, level, order, permutations, heldback_share, seed, coders, figure, fmt, out) -> None:
    """Theoretical saturation: new codes as cases are added, and the held-back check."""
    result = fw.saturation(obj.project, level=level, order=order, permutations=permutations, seed=seed,
                           heldback_share=heldback_share, coders=coders.split(",") if coders else None)
    if figure:
        from ..report.framework import saturation_figure

        paths = saturation_figure(result, figure)
        click.echo(f"Wrote {paths.png} and {paths.svg}", err=True)
    held = result["heldback"]
    if fmt == "table":
        click.echo(f"{result['total_codes']} {level} codes in {result['cases']} coded cases. Held-back check "
                   f"({len(held['cases'])} cases): {len(held['new_codes'])} new code(s), share {held['new_share']:.1%}"
                   f" -> {'saturated' if held['saturated'] else 'not saturated'} (tolerance {held['tolerance']:.0%}).")
    emit(result["curve"], list(result["curve"][0]), fmt=fmt, out=out, title="saturation", json_value=result)


@click.command("framework")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write the framework figure, the coding table and the exemplars here.")
@click.option("--per-code", type=int, default=3, show_default=True, help="Exemplary cases per selective code.")
@format_option(choices=("table", "json"))
@click.pass_obj
def framework_cmd(obj: CliContext, out_dir, per_code, fmt) -> None:
    """The framework of selective codes (roles), the coding table and exemplary cases."""
    project = obj.project
    table = fw.coding_table(project)
    examples = fw.exemplars(project, per_code=per_code)
    frame = fw.framework(project)
    if out_dir:
        from ..report.framework import framework_figure
        from ..report.sheets import write_xlsx

        Path(out_dir).mkdir(parents=True, exist_ok=True)
        paths = framework_figure(frame, Path(out_dir) / "framework")
        write_xlsx({"coding_table": (list(table[0]) if table else ["(empty)"], table),
                    "exemplars": (list(examples[0]) if examples else ["(empty)"], examples)},
                   Path(out_dir) / "framework.xlsx")
        click.echo(f"Wrote {paths.png}, {paths.svg} and framework.xlsx to {out_dir}", err=True)
    if fmt == "json":
        click.echo(json.dumps({"framework": frame, "coding_table": table, "exemplars": examples},
                              ensure_ascii=False, indent=2))
        return
    emit(table, ["selective", "role", "axial", "open", "cases_selective", "cases_axial"], fmt="table", out=None,
         title="coding table")
    emit(examples, ["code", "role", "case_id", "province", "strength", "quote"], fmt="table", out=None,
         title="exemplars")


COMMANDS = [stats_cmd, agreement_cmd, saturation_cmd, framework_cmd]
