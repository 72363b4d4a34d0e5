"""Statistics stage: frequencies by province (or any attribute), specificity,
co-occurrence, and their figures (the study's step 7, computed and tested).

The terms counted come from one of three sources (``source``):

- ``keywords`` (default, the study's measure): a case counts for a core keyword when
  the keyword is one of its reviewed keywords (variants mapped through the thesaurus);
- ``text``: a case counts when the core keyword or any of its variants occurs in its
  analysis text (counts are occurrences);
- ``codes``: a case counts for a code when it has a coding of that code or of any code
  below it, at the chosen ``level`` (open, axial, selective).

The algorithms live in :mod:`caseminer.analysis` (sparse matrices throughout) and the
figures in :mod:`caseminer.report.figures`; this module only assembles their inputs
from the project and records the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ..analysis.cooccurrence import cooccurrence, to_graphml
from ..analysis.frequency import Incidence, build_incidence, by_attribute, case_frequency
from ..analysis.specificity import specificity
from ..analysis.trend import emergence, parse_periods, period_values
from ..errors import StageNotRun, fail
from ..project import Project
from ..settings import Interval, Optional_, Options, Text, as_dict, validate
from .corpus import attribute_names, attribute_order, case_attribute_values, case_texts

SOURCES = ("keywords", "text", "codes")


@dataclass(frozen=True)
class StatsSettings:
    by: str = "province"
    source: str = "keywords"
    level: str | None = None  # for source="codes": open | axial | selective (None: every code)
    min_cases: int = 2  # specificity: test terms in at least this many cases
    alpha: float = 0.05  # specificity: FDR level
    min_pair_count: int = 1  # co-occurrence: least cases with both terms
    top_pairs: int | None = None
    periods: str | None = None  # group the numbers of ``by`` (years) into periods: "2016-2020,2021-2025"

    CONSTRAINTS: ClassVar[dict] = {
        "by": Text(),
        "source": Options(SOURCES),
        "level": Optional_(Options(("open", "axial", "selective"))),
        "min_cases": Interval(int, 1),
        "alpha": Interval(float, 0, 1, closed="neither"),
        "min_pair_count": Interval(int, 1),
        "top_pairs": Optional_(Interval(int, 1)),
        "periods": Optional_(Text()),
    }


def incidence(project: Project, settings: StatsSettings) -> Incidence:
    """The case x term count matrix for ``settings.source`` (every case is a row)."""
    case_ids = list(case_texts(project))
    if settings.source == "keywords":
        from .normalise import core_keyword_table

        if project.last_run("keywords") is None and not project.conn.execute(
                "SELECT 1 FROM events WHERE kind LIKE 'keyword.%' LIMIT 1").fetchone():
            raise fail(StageNotRun, "E302", stage="stats", requires="keywords", command="keywords")
        table = core_keyword_table(project)
        case_terms = {case_id: {core: 1 for core in table.get(case_id, [])} for case_id in case_ids}
    elif settings.source == "text":
        case_terms = _text_counts(project)
    else:
        case_terms = _code_counts(project, settings.level)
    return build_incidence(case_terms, case_ids=case_ids)


def _text_counts(project: Project) -> dict[str, dict[str, int]]:
    from .normalise import core_frequencies, thesaurus

    cores = [row["core_keyword"] for row in core_frequencies(project)]
    if not cores:
        raise fail(StageNotRun, "E302", stage="stats --source text", requires="core keywords", command="keywords")
    variants: dict[str, set[str]] = {core: {core} for core in cores}
    for variant, core in thesaurus(project).items():
        variants.setdefault(core, {core}).add(variant)
    out: dict[str, dict[str, int]] = {}
    for case_id, text in case_texts(project).items():
        counts = {}
        for core, forms in variants.items():
            n = sum(text.count(form) for form in forms)
            if n:
                counts[core] = n
        out[case_id] = counts
    return out


def _code_counts(project: Project, level: str | None) -> dict[str, dict[str, int]]:
    from ..coding.codebook import load_codebook

    codebook = load_codebook(project)
    if not len(codebook):
        raise fail(StageNotRun, "E302", stage="stats --source codes", requires="a codebook",
                   command="codebook import FILE")

    def counted_as(code_id: str) -> str | None:
        path = codebook.path(code_id)
        if level is None:
            return path[-1].name
        for code in path:
            if code.level == level:
                return code.name
        return None

    out: dict[str, dict[str, int]] = {case_id: {} for case_id in case_texts(project)}
    for r in project.conn.execute("SELECT case_id, code_id FROM codings"):
        name = counted_as(r["code_id"])
        if name is not None:
            out[r["case_id"]][name] = out[r["case_id"]].get(name, 0) + 1
    return out


def grouping(project: Project, settings: StatsSettings) -> tuple[dict[str, str | None], list[str] | None]:
    """Each case's group by ``settings.by`` (its period where ``settings.periods`` is given) and
    the order to list the groups in (:func:`caseminer.pipeline.corpus.attribute_order`, or the
    periods')."""
    if settings.periods is None:
        return case_attribute_values(project, settings.by), attribute_order(settings.by)
    _values, grouped, periods = _in_periods(project, settings.by, settings.periods)
    return grouped, [p.label for p in periods]


def _in_periods(project: Project, by: str, spec: str):
    """The cases' values of ``by``, their periods of ``spec`` and the periods."""
    values = case_attribute_values(project, by)
    periods = parse_periods(spec)
    return values, period_values(values, periods, attribute=by), periods


def outside_periods(project: Project, by: str, periods: str) -> int:
    """How many cases have a value of ``by`` that falls in none of ``periods`` (they count as
    missing, with the cases that have no value)."""
    values, grouped, _periods = _in_periods(project, by, periods)
    return sum(1 for case_id, value in values.items() if value not in (None, "") and grouped[case_id] is None)


def stats_tables(project: Project, *, settings: StatsSettings | None = None, **overrides: Any) -> dict[str, list[dict]]:
    """Every statistics table as rows of dicts:

    ``case_frequency`` (term, cases, share), ``incidence`` (long form: case_id, term,
    count), ``by_attribute`` (term, group, cases, group_size, share), ``crosstab`` (the same
    counts wide, as a paper prints them: term, cases, then a column per group), ``specificity``
    (see :class:`caseminer.analysis.specificity.SpecificityRow`), ``cooccurrence``
    (a, b, count, jaccard, pmi, npmi), ``emergence`` (term, first, last, groups_with, groups,
    cases, peak, peak_share: the term read along the groups where they are numbers, such as
    years; empty otherwise, see :mod:`caseminer.analysis.trend`).
    """
    settings = validate(settings or StatsSettings(**overrides), "stats")
    attributes, order = grouping(project, settings)  # a bad --periods fails before the counting
    inc = incidence(project, settings)
    freq = case_frequency(inc)
    cross = by_attribute(inc, attributes, measure="cases", order=order)
    spec = specificity(inc, attributes, min_cases=settings.min_cases, alpha=settings.alpha)
    pairs = cooccurrence(inc, min_count=settings.min_pair_count, top=settings.top_pairs)
    return {
        "case_frequency": [{"term": r.term, "cases": r.n_cases, "share": round(r.share, 4)} for r in freq],
        "incidence": [{"case_id": c, "term": t, "count": n} for c, t, n in inc.long_rows()],
        "by_attribute": [{"term": r.term, settings.by: r.group, "cases": r.value, "group_size": r.group_size,
                          "share": round(r.share, 4)} for r in cross.rows()],
        "crosstab": _crosstab(cross),
        "specificity": [_spec_row(r, settings.by) for r in spec],
        "cooccurrence": [{"a": p.a, "b": p.b, "count": p.count, "jaccard": round(p.jaccard, 4),
                          "pmi": round(p.pmi, 4), "npmi": round(p.npmi, 4)} for p in pairs],
        "emergence": [{"term": r.term, "first": r.first, "last": r.last, "groups_with": r.groups_with,
                       "groups": r.groups, "cases": r.cases, "peak": r.peak, "peak_share": round(r.peak_share, 4)}
                      for r in emergence(cross)],
    }


def _crosstab(cross) -> list[dict]:
    """The term x group counts wide: a row per term (most cases first), its cases in all, then
    a column per group in the table's order (a group named like a fixed column is marked)."""
    keys = [f"{g} (group)" if g in ("term", "cases") else g for g in cross.groups]
    totals = cross.values.sum(axis=1)
    order = sorted(range(len(cross.terms)), key=lambda i: (-int(totals[i]), cross.terms[i]))
    return [{"term": cross.terms[i], "cases": int(totals[i]),
             **{key: int(cross.values[i, j]) for j, key in enumerate(keys)}} for i in order]


def no_comparison(project: Project, by: str, command: str = "caseminer report",
                  periods: str | None = None) -> tuple[str, str] | None:
    """Why the cases cannot be compared by ``by`` (fewer than two values among them, or
    fewer than two of the ``periods`` holding a case) and what to do, naming attributes that
    could serve (with ``command --by NAME``), in Chinese and English; None when they can."""
    values = case_attribute_values(project, by) if periods is None else _in_periods(project, by, periods)[1]
    groups = sorted({v for v in values.values() if v not in (None, "")})
    if len(groups) >= 2:
        return None
    if periods is not None:
        return (f"无法按“{by}”的时期分组比较：{'所有案例同属“' + groups[0] + '”' if groups else '没有案例落在这些时期中'}。",
                f"No comparison by periods of {by}: "
                f"{'every case with a value is in ' + groups[0] if groups else 'no case falls in these periods'}. "
                f"Give periods that split the cases' values of {by} (caseminer stats by --by {by} shows them).")
    # the attributes whose groups hold more than one case, or years (a case a year can be read
    # as a trend: the government work reports of one province), most likely a comparison first
    others = []
    for name in attribute_names(project):
        if name != by:
            known = [v for v in case_attribute_values(project, name).values() if v not in (None, "")]
            if 2 <= len(set(known)) < len(known) or (len(set(known)) >= 2 and _years(known)):
                others.append((_comparison_rank(set(known)), name))
    others = [name for _rank, name in sorted(others)]
    zh_what = f"所有案例同属“{groups[0]}”" if groups else "没有案例带有该属性"
    en_what = f"every case that has one has the same value ({groups[0]})" if groups else "no case has a value"
    hint = (f"compare by another attribute ({', '.join(others)}: '{command} --by {others[0]}')"
            if others else f"compare by another attribute with '{command} --by NAME'")
    zh_hint = f"可改按其他属性比较：{'、'.join(others)}（{command} --by {others[0]}）。" if others else ""
    return (f"无法按“{by}”分组比较：{zh_what}。{zh_hint}",
            f"No comparison by {by}: {en_what}. Give the cases this attribute (import them again with --meta "
            f"metadata.csv: a column of their ids or file names and one named {by}) or {hint}.")


def _years(values: list) -> bool:
    """True when every value is a year (an integer from 1900 to 2100)."""
    return all(str(v).strip().isdigit() and 1900 <= int(str(v).strip()) <= 2100 for v in values)


def _comparison_rank(values: set) -> tuple[bool, bool, int]:
    """How unlikely a comparison by an attribute with these values is meant, for sorting:
    provinces first (the study's comparison: a column such as province_from_title), then
    attributes of words before numbers (a running number or a count makes no groups), then
    the fewest groups."""
    from ..nlp.provinces import normalise_province

    provinces = sum(normalise_province(str(v)).canonical is not None for v in values)
    numbers = sum(str(v).replace(".", "", 1).lstrip("-").isdigit() for v in values)
    return provinces < 0.8 * len(values), numbers > 0.8 * len(values), len(values)


def _spec_row(r, by: str) -> dict:
    return {"term": r.term, by: r.group, "observed": r.observed, "expected": round(r.expected, 3),
            "group_size": r.group_size, "term_cases": r.term_cases, "share_in_group": round(r.share_in_group, 4),
            "share_elsewhere": round(r.share_elsewhere, 4), "odds_ratio": round(r.odds_ratio, 3),
            "g2": round(r.g2, 3), "p_value": r.p_value, "q_value": r.q_value, "significant": r.significant,
            "low_expected": r.low_expected, "direction": r.direction}


def stats_figures(project: Project, out_dir: str | Path, *, settings: StatsSettings | None = None,
                  **overrides: Any) -> list[tuple[str, Path, Path]]:
    """Draw the figures (PNG 300 dpi + SVG) into ``out_dir``: top terms, term x group
    heatmap, co-occurrence network, and group comparison, or where the groups are numbers such
    as years the terms along them (trend) in its place; those of groups only where the cases
    can be compared by ``by`` (:func:`no_comparison`). Returns (name, png, svg)."""
    from ..analysis.trend import ordered_groups
    from ..report.figures import plot_group_comparison, plot_heatmap, plot_network, plot_top_terms, plot_trend

    settings = validate(settings or StatsSettings(**overrides), "stats")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    attributes, order = grouping(project, settings)
    inc = incidence(project, settings)
    freq = case_frequency(inc)
    if not freq:
        return []
    cross = by_attribute(inc, attributes, measure="cases", order=order)
    pairs = cooccurrence(inc, min_count=settings.min_pair_count, top=settings.top_pairs)
    what = {"keywords": "核心关键词 core keywords", "text": "核心关键词（文本） core keywords in text",
            "codes": "编码 codes"}[settings.source]
    figures = [("top_terms", plot_top_terms(freq, out_dir / "top_terms", title=f"{what}: 案例数 cases"))]
    # one group (or none, "missing") drawn against itself says nothing
    groups = no_comparison(project, settings.by, periods=settings.periods) is None
    if groups:
        figures.append(("heatmap", plot_heatmap(cross, out_dir / "heatmap", title=f"{what} × {settings.by}")))
    if pairs:
        figures.append(("network", plot_network(pairs, freq, out_dir / "network", title=f"{what}: 共现 co-occurrence")))
    if groups and ordered_groups(cross):  # years: the same shares on a time axis, in place of a dot plot
        figures.append(("trend", plot_trend(cross, out_dir / "trend", title=f"{what}: {settings.by}")))
    elif groups:
        figures.append(("group_comparison", plot_group_comparison(cross, out_dir / "group_comparison",
                                                                 title=f"{what}: {settings.by}")))
    drawn = {name for name, _paths in figures}
    for name in ("heatmap", "group_comparison", "trend"):  # an earlier run's would be taken for this one's
        if name not in drawn:
            for suffix in (".png", ".svg"):
                (out_dir / (name + suffix)).unlink(missing_ok=True)
    return [(name, Path(paths.png), Path(paths.svg)) for name, paths in figures]


def run_stats(project: Project, *, out_dir: str | Path | None = None, figures: bool = True,
              settings: StatsSettings | None = None, **overrides: Any) -> dict[str, Any]:
    """Compute the tables (and figures, CSV and GraphML files when ``out_dir`` is
    given) and record the run with its settings and counts."""
    from ..report.sheets import write_xlsx

    settings = validate(settings or StatsSettings(**overrides), "stats")
    with project.attempt("stats", as_dict(settings)) as inputs:  # before the keyword table and thesaurus are read
        tables = stats_tables(project, settings=settings)
        written: list[str] = []
        with project.run("stats", as_dict(settings), extra_versions=("matplotlib",), inputs=inputs) as run:
            if out_dir is not None:
                out = Path(out_dir)
                out.mkdir(parents=True, exist_ok=True)
                for name, rows in tables.items():
                    path = out / f"{name}.csv"
                    _write_csv(rows, path)
                    written.append(str(path))
                inc = incidence(project, settings)
                pairs = cooccurrence(inc, min_count=settings.min_pair_count, top=settings.top_pairs)
                graphml = to_graphml(pairs, case_frequency(inc), out / "cooccurrence.graphml")
                written.append(str(graphml))
                write_xlsx({name: (list(rows[0]) if rows else ["(empty)"], rows) for name, rows in tables.items()},
                           out / "stats.xlsx")
                written.append(str(out / "stats.xlsx"))
                if figures:
                    for _name, png, svg in stats_figures(project, out / "figures", settings=settings):
                        written += [str(png), str(svg)]
            run.counts.update({"terms": len(tables["case_frequency"]),
                               "significant_cells": sum(1 for r in tables["specificity"] if r["significant"]),
                               "pairs": len(tables["cooccurrence"]), "files": len(written)})
    return {"tables": tables, "files": written, "run_id": run.id}


def _write_csv(rows: list[dict], path: Path) -> None:
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        if not rows:
            f.write("")
            return
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
