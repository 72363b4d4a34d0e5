"""The report's comparison sections on cases that cannot be compared by the attribute."""

import json

from caseminer.pipeline.corpus import import_cases
from caseminer.pipeline.stats import no_comparison


def _import(project, tmp_path, rows):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    import_cases(project, [path])


def test_report_says_why_there_is_no_comparison_by_province(empty_project, tmp_path):
    _import(empty_project, tmp_path, [{"id": f"c{i}", "text": f"第{i}个案例发展乡村旅游。", "year": str(2020 + i % 2)}
                                      for i in range(4)])
    note = " ".join(no_comparison(empty_project, "province"))
    assert note.startswith("无法按“province”分组比较：没有案例带有该属性。可改按其他属性比较：year（caseminer report --by "
                           "year）。 No comparison by province: no case has a value.")
    assert "import them again with --meta metadata.csv" in note
    assert "(year: 'caseminer report --by year')" in note  # an attribute that groups the cases
    assert no_comparison(empty_project, "year") is None


def test_an_attribute_of_provinces_is_named_first_and_running_numbers_last(empty_project, tmp_path):
    # A news corpus: no province column, but one of provinces from the titles, a running
    # number of the item and a source: the provinces come first, the number last.
    provinces = ["贵州省", "云南省", "贵州省", "甘肃省", "云南省", "贵州省"]
    _import(empty_project, tmp_path, [{"id": f"c{i}", "text": f"第{i}个案例发展乡村旅游。", "num": str(i % 3 + 1),
                                       "source": ["新闻联播", "晚间新闻"][i % 2],
                                       "province_from_title": provinces[i]} for i in range(6)])
    note = no_comparison(empty_project, "province")[1]
    assert "(province_from_title, source, num: 'caseminer report --by province_from_title')" in note


def test_report_no_comparison_within_one_province(empty_project, tmp_path):
    _import(empty_project, tmp_path, [{"id": f"c{i}", "text": f"第{i}个案例推进消费扶贫。", "province": "贵州"}
                                      for i in range(3)])
    note = " ".join(no_comparison(empty_project, "province"))
    assert "every case that has one has the same value (贵州)" in note and "所有案例同属“贵州”" in note
    assert "compare by another attribute with 'caseminer report --by NAME'" in note


def test_report_of_cases_without_provinces_has_no_heatmap(empty_project, tmp_path):
    from caseminer.pipeline import review
    from caseminer.report.collect import write_report

    _import(empty_project, tmp_path, [{"id": f"c{i}", "text": f"第{i}个案例发展乡村旅游，推进消费扶贫。"}
                                      for i in range(3)])
    for i in range(3):
        for keyword in ("乡村旅游", "消费扶贫"):
            review.decide(empty_project, f"c{i}", "add", keyword, coder="A")
    figures = tmp_path / "report" / "figures"
    figures.mkdir(parents=True)
    (figures / "heatmap.png").write_bytes(b"an earlier run's")  # with provinces, say
    html = write_report(empty_project, tmp_path / "report")["html"].read_text(encoding="utf-8")
    assert html.count("No comparison by province: no case has a value.") == 2  # keywords by province, specificity
    assert "热力图" not in html and "Co-occurrence" in html
    # no figure of one group ("missing") against itself in the folder either, nor an old one
    assert sorted(p.stem for p in figures.glob("*.png")) == ["network", "top_terms"]


def test_report_cli_writes_into_the_projects_report_folder_by_default(cli, empty_project, tmp_path):
    from caseminer.pipeline import review

    _import(empty_project, tmp_path, [{"id": f"c{i}", "text": f"第{i}个案例推进消费扶贫。", "province": "贵州"}
                                      for i in range(3)])
    for i in range(3):
        review.decide(empty_project, f"c{i}", "add", "消费扶贫", coder="A")
    result = cli("-p", empty_project.path, "report")
    assert result.exit_code == 0, result.output
    folder = empty_project.path / "report"
    assert f"html  {folder / 'report.html'}" in result.output
    assert {p.name for p in folder.iterdir()} >= {"report.html", "tables.xlsx", "report.docx", "figures"}


def test_stats_cli_says_why_a_comparison_is_empty(cli, empty_project, tmp_path):
    _import(empty_project, tmp_path, [{"id": f"c{i}", "text": f"第{i}个案例推进消费扶贫。", "year": "2021"}
                                      for i in range(3)])
    from caseminer.pipeline import review

    for i in range(3):
        review.decide(empty_project, f"c{i}", "add", "消费扶贫", coder="A")
    result = cli("-p", empty_project.path, "stats", "specificity", "--by", "year")
    assert result.exit_code == 0, result.output
    assert "Note: No comparison by year: every case that has one has the same value (2021)." in result.output
    assert "'caseminer stats specificity --by NAME'" in result.output


def test_report_works_a_keyword_score_only_while_the_keywords_are_up_to_date(empty_project, tmp_path):
    # the worked score ranks today's project: with a case imported since (not yet segmented),
    # the stored keywords are not today's, and the report leaves the example out (no error)
    from caseminer.pipeline.discover import discover_words
    from caseminer.pipeline.keywords import extract_case_keywords
    from caseminer.pipeline.segment import segment_cases
    from caseminer.report.collect import write_report

    _import(empty_project, tmp_path, [{"id": f"c{i}", "text": f"第{i}个县建设扶贫车间，扶贫车间吸纳就业。推进消费扶贫，"
                                       "消费扶贫带动增收。", "province": "贵州" if i % 2 else "江西"} for i in range(4)])
    segment_cases(empty_project)
    discover_words(empty_project)
    extract_case_keywords(empty_project)
    html = write_report(empty_project, tmp_path / "report")["html"].read_text(encoding="utf-8")
    assert "A worked keyword score: " in html
    extra = tmp_path / "extra.txt"
    extra.write_text("另一个案例推进产业扶贫。", encoding="utf-8")
    import_cases(empty_project, [extra])
    html = write_report(empty_project, tmp_path / "report2")["html"].read_text(encoding="utf-8")
    assert "A worked keyword score: " not in html


def _keyworded(project, tmp_path, rows, keywords=("乡村旅游", "消费扶贫")):
    from caseminer.pipeline import review

    _import(project, tmp_path, rows)
    for row in rows:
        for keyword in keywords:
            if keyword in row["text"]:
                review.decide(project, row["id"], "add", keyword, coder="A")


def test_cases_are_compared_by_region_read_from_their_provinces(empty_project, tmp_path):
    from caseminer.pipeline.corpus import attribute_names, case_attribute_values, derived_attribute
    from caseminer.pipeline.stats import stats_tables

    provinces = ["贵州省", "广东", "辽宁省", "河南", "云南", None]
    _keyworded(empty_project, tmp_path, [
        {"id": f"c{i}", "text": f"第{i}个案例发展乡村旅游。" + ("推进消费扶贫。" if i % 2 else ""),
         **({"province": p} if p else {})} for i, p in enumerate(provinces)])
    assert "region" in attribute_names(empty_project) and derived_attribute(empty_project, "region")
    assert case_attribute_values(empty_project, "region") == {
        "c0": "西部", "c1": "东部", "c2": "东北", "c3": "中部", "c4": "西部", "c5": None}
    rows = {(r["term"], r["region"]): (r["cases"], r["group_size"])
            for r in stats_tables(empty_project, by="region")["by_attribute"]}
    assert rows[("乡村旅游", "西部")] == (2, 2) and rows[("消费扶贫", "西部")] == (0, 2)
    assert rows[("消费扶贫", "东部")] == (1, 1) and rows[("消费扶贫", "东北")] == (0, 1)
    assert rows[("消费扶贫", "(missing)")] == (1, 1)


def test_a_region_of_the_cases_own_is_kept(empty_project, tmp_path):
    from caseminer.pipeline.corpus import case_attribute_values, derived_attribute

    _import(empty_project, tmp_path, [{"id": "c0", "text": "发展乡村旅游。", "province": "贵州", "region": "武陵山片区"},
                                      {"id": "c1", "text": "推进消费扶贫。", "province": "湖南"}])
    assert not derived_attribute(empty_project, "region")
    assert case_attribute_values(empty_project, "region") == {"c0": "武陵山片区", "c1": None}


def test_no_region_without_provinces(empty_project, tmp_path):
    import pytest

    from caseminer.errors import InvalidInput
    from caseminer.pipeline.corpus import attribute_names, case_attribute_values

    _import(empty_project, tmp_path, [{"id": "c0", "text": "发展乡村旅游。", "year": "2020"}])
    assert attribute_names(empty_project) == ["province", "year"]
    with pytest.raises(InvalidInput, match="No case has an attribute 'region'. Attributes in this project: province, year"):
        case_attribute_values(empty_project, "region")


def test_report_says_how_regions_are_made_and_points_to_them_from_thin_provinces(empty_project, tmp_path):
    from caseminer.report.collect import collect_report

    provinces = ["贵州", "贵州", "广东", "广东", "云南", "河南"]
    _keyworded(empty_project, tmp_path, [
        {"id": f"c{i}", "text": f"第{i}个案例发展乡村旅游。" + ("推进消费扶贫。" if i % 2 else ""), "province": p}
        for i, p in enumerate(provinces)])

    def comparison(by):
        report = collect_report(empty_project, tmp_path / f"fig_{by}", by=by)
        return next(s for s in report.sections if s.id == "by_province")

    by_province = comparison("province")
    assert by_province.paragraphs == [
        "各省平均只有 1.5 个案例，单省的检验难以显著；可按四大地区比较：caseminer report --by region。"
        " The provinces hold 1.5 cases each on average, too few for a test of one province to find much; "
        "compare the four regions with 'caseminer report --by region'."]
    by_region = comparison("region")
    assert by_region.title_zh == "关键词 × 地区" and by_region.tables[0].columns[1].zh == "地区"
    assert by_region.paragraphs[0].startswith("地区由省份推出：国家统计局的东部、中部、西部、东北四大地区")
    assert {r["region"] for r in by_region.tables[0].rows} == {"西部", "东部", "中部"}


def test_keywords_are_read_along_the_years_in_stats_figures_and_report(empty_project, tmp_path):
    from caseminer.pipeline.stats import stats_figures, stats_tables
    from caseminer.report.collect import collect_report

    years = ["2019", "2019", "2020", "2021", "2021", "2022"]
    _keyworded(empty_project, tmp_path, [
        {"id": f"c{i}", "text": f"第{i}个案例" + ("发展乡村旅游。" if i < 4 else "") + ("推进消费扶贫。" if i > 1 else ""),
         "province": "贵州" if i % 2 else "云南", "year": y} for i, y in enumerate(years)])
    rows = stats_tables(empty_project, by="year")["emergence"]
    assert rows == [
        {"term": "乡村旅游", "first": "2019", "last": "2021", "groups_with": 3, "groups": 4, "cases": 4,
         "peak": "2019", "peak_share": 1.0},
        {"term": "消费扶贫", "first": "2020", "last": "2022", "groups_with": 3, "groups": 4, "cases": 4,
         "peak": "2020", "peak_share": 1.0},
    ]
    assert stats_tables(empty_project, by="province")["emergence"] == []

    folder = tmp_path / "figures"
    assert "trend" in [name for name, _png, _svg in stats_figures(empty_project, folder, by="year")]
    assert (folder / "trend.png").is_file() and not (folder / "group_comparison.png").exists()
    stats_figures(empty_project, folder, by="province")  # provinces: no order, and no stale figure
    assert not (folder / "trend.png").exists() and (folder / "group_comparison.png").is_file()

    section = next(s for s in collect_report(empty_project, tmp_path / "fig", by="year").sections
                   if s.id == "by_province")
    table = next(t for t in section.tables if t.id == "emergence")
    assert table.title_zh == "关键词的首现与峰值（按年份）" and [r["term"] for r in table.rows] == ["乡村旅游", "消费扶贫"]
    assert [f.id for f in section.figures] == ["heatmap", "trend"]  # years: no dot plot of one row per year


def test_cli_emergence_by_an_attribute_without_order_says_why(empty_project, tmp_path, cli):
    _keyworded(empty_project, tmp_path, [{"id": f"c{i}", "text": f"第{i}个案例发展乡村旅游。", "province": p}
                                         for i, p in enumerate(["贵州", "云南"])])
    result = cli("-p", empty_project.path, "stats", "emergence")
    assert result.exit_code == 0, result.output
    assert "the values of province are not all numbers (such as years)" in result.output


def test_provinces_and_regions_are_listed_as_the_yearbooks_list_them(empty_project, tmp_path):
    from caseminer.pipeline.stats import stats_tables

    _keyworded(empty_project, tmp_path, [
        {"id": f"c{i}", "text": f"第{i}个案例发展乡村旅游。", "province": p}
        for i, p in enumerate(["云南", "上海", "北京", "辽宁", "河南"])])

    def groups(by):
        return list(dict.fromkeys(r[by] for r in stats_tables(empty_project, by=by)["by_attribute"]))

    assert groups("province") == ["北京", "辽宁", "上海", "河南", "云南"]  # code point: 上海, 云南, 北京 ...
    assert groups("region") == ["东部", "中部", "西部", "东北"]


def test_crosstab_gives_each_keyword_s_cases_per_group_wide(empty_project, tmp_path, cli):
    from caseminer.pipeline.stats import stats_tables
    from caseminer.report.collect import collect_report

    _keyworded(empty_project, tmp_path, [
        {"id": f"c{i}", "text": f"第{i}个案例发展乡村旅游。" + ("推进消费扶贫。" if i != 1 else ""), "province": p}
        for i, p in enumerate(["云南", "云南", "北京", "北京", "北京"])])
    assert stats_tables(empty_project)["crosstab"] == [
        {"term": "乡村旅游", "cases": 5, "北京": 3, "云南": 2},
        {"term": "消费扶贫", "cases": 4, "北京": 3, "云南": 1}]
    section = next(s for s in collect_report(empty_project, tmp_path / "fig").sections if s.id == "by_province")
    table = next(t for t in section.tables if t.id == "crosstab")
    assert [(c.key, c.zh, c.en) for c in table.columns] == [
        ("term", "核心关键词", "Core keyword"), ("cases", "合计", "All"), ("北京", "北京", "n=3"), ("云南", "云南", "n=2")]
    result = cli("-p", empty_project.path, "stats", "crosstab", "--format", "csv")
    assert result.output.splitlines()[:2] == ["term,cases,北京,云南", "乡村旅游,5,3,2"]


def test_years_grouped_into_periods_in_stats_and_report(empty_project, tmp_path, cli):
    import json as json_

    from caseminer.pipeline.stats import no_comparison, run_stats, stats_tables
    from caseminer.report.collect import write_report

    years = ["2014", "2015", "2017", "2019", "2022", "2012"]
    _keyworded(empty_project, tmp_path, [
        {"id": f"c{i}", "text": f"第{i}个案例" + ("发展乡村旅游。" if i < 3 else "推进消费扶贫。"), "year": y}
        for i, y in enumerate(years)])
    periods = "2013-2015,2016-2020,2021-"
    rows = stats_tables(empty_project, by="year", periods=periods)
    assert rows["crosstab"] == [  # 2012 is in no period: missing
        {"term": "乡村旅游", "cases": 3, "2013–2015": 2, "2016–2020": 1, "2021–": 0, "(missing)": 0},
        {"term": "消费扶贫", "cases": 3, "2013–2015": 0, "2016–2020": 1, "2021–": 1, "(missing)": 1}]
    assert list(rows["crosstab"][0]) == ["term", "cases", "2013–2015", "2016–2020", "2021–", "(missing)"]
    assert rows["emergence"] == []  # periods are no numbers to read a term along
    assert no_comparison(empty_project, "year", periods="2013-2015,2016-2020") is None
    note = no_comparison(empty_project, "year", periods="2030-")
    assert note[1].startswith("No comparison by periods of year: no case falls in these periods.")

    run_stats(empty_project, by="year", periods=periods)
    settings = empty_project.conn.execute("SELECT settings FROM runs WHERE stage='stats' AND status='done'").fetchone()
    assert json_.loads(settings[0])["periods"] == periods
    html = write_report(empty_project, tmp_path / "rep", by="year", periods=periods)["html"].read_text(encoding="utf-8")
    assert "按年份分为时期：2013–2015、2016–2020、2021–（含首尾）；不在任何时期中的案例（1 个）计入缺失。" in html
    assert "the 1 case(s) outside every period count as missing" in html and "关键词 × 年份（时期）" in html
    result = cli("-p", empty_project.path, "stats", "by", "--by", "year", "--periods", periods)
    assert "Note: 1 case(s) have a year in none of the periods 2013-2015,2016-2020,2021-" in result.stderr

    result = cli("-p", empty_project.path, "stats", "by", "--by", "year", "--periods", "2016-2014")
    assert result.exit_code != 0 and "The period '2016-2014' ends before it starts." in result.output
    # the report fails too, rather than leave out its comparison sections with a note
    result = cli("-p", empty_project.path, "report", "--by", "year", "--periods", "2016-2014", "--out", tmp_path / "r2")
    assert result.exit_code != 0 and "The period '2016-2014' ends before it starts." in result.output
    result = cli("-p", empty_project.path, "report", "--by", "yaer", "--out", tmp_path / "r3")
    assert result.exit_code != 0 and "No case has an attribute 'yaer'." in result.output


def test_a_year_a_case_is_named_as_a_comparison(empty_project, tmp_path):
    # One province's government work reports, one a year: no comparison by province, but the
    # keywords can be read along the years (a trend), though every year holds a single case.
    _import(empty_project, tmp_path, [{"id": f"r{year}", "text": f"{year}年推进城市更新。", "province": "上海市",
                                       "year": year, "num": i + 1} for i, year in enumerate(range(2020, 2025))])
    note = no_comparison(empty_project, "province")[1]
    assert note.endswith("or compare by another attribute (year: 'caseminer report --by year').")
    assert no_comparison(empty_project, "province")[0] == ("无法按“province”分组比较：所有案例同属“上海”。可改按其他属性比较："
                                                          "year（caseminer report --by year）。")
    assert no_comparison(empty_project, "year") is None
