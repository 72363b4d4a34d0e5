"""The main job: `caseminer run` on the demo corpus, the report it writes, re-running,
and the REFI-QDA round trip of the resulting project."""

import json
import re
from html.parser import HTMLParser

import pytest

from caseminer.pipeline.corpus import get_case
from caseminer.project import Project


class _Sections(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.scripts, self.external = set(), 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if (attrs.get(key) or "").startswith(("http://", "https://", "//")):
                self.external.append(attrs[key])


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory):
    from click.testing import CliRunner

    from caseminer.cli import cli
    from conftest import DEMO

    if not (DEMO / "cases").is_dir():
        pytest.skip("demo corpus not present")
    out = tmp_path_factory.mktemp("run") / "demo-project"
    result = CliRunner().invoke(cli, ["run", str(DEMO / "cases"), "--meta", str(DEMO / "metadata.csv"),
                                      "--example", "poverty-six-dimensions", "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out, result.output


def test_run_summary_lists_stages_and_decisions(demo_project):
    out, output = demo_project
    for stage in ("import", "segment", "discover", "keywords", "normalise", "codebook", "code auto", "stats",
                  "report"):
        assert f"  {stage}" in output
    assert "Waiting for a researcher:" in output and "await review" in output
    assert "words of the shipped starter list" in output and "caseminer stopwords starter" in output


def test_run_summary_reads_in_chinese_for_the_workbench(demo_project):
    from caseminer.messages_zh import to_chinese
    from test_messages_zh import english_left

    _, output = demo_project
    results = dict(re.findall(r"^  (segment|discover|keywords|normalise|codebook|code auto|stats) +(.+)$", output, re.M))
    todo = re.findall(r"^  - (.+)$", output, re.M)
    assert len(results) == 7 and len(todo) >= 5
    for text in [*results.values(), *todo]:
        zh = to_chinese(text)
        assert zh != text and not english_left(zh), (text, zh)


def test_run_report_has_every_section(demo_project):
    out, _ = demo_project
    html = (out / "report" / "report.html").read_text(encoding="utf-8")
    parser = _Sections()
    parser.feed(html)
    for section in ("summary", "newwords", "newwords_by_case", "core_keywords", "by_province", "specificity",
                    "cooccurrence", "coding_table", "framework", "exemplars", "saturation", "methods"):
        assert any(section in i for i in parser.ids), section
    assert parser.scripts == 0 and parser.external == []
    assert "关键词 × 省份" in html and "关键词 × province" not in html  # the attribute named in Chinese too
    assert "jieba" in html and "Fisher" in html  # the methods state settings and versions
    from caseminer.project import caseminer_build

    assert f"(build {caseminer_build()}; Python" in html  # ... and the build of caseminer that made them
    assert "runs of two to four whole dictionary words" in html  # step 2d, which the demo's topic turns on
    assert "as their cuts fall between words, a minimum internal PMI of 0.5" in html  # ... and its settings
    assert "(0.5 for a word and a one-character head such as" in html  # a compound of step 2b: 扶贫|日
    assert "A word of scope left of a run (世界 全区 全县" in html  # step 2d's scopes, as the run recorded them
    # the fused score's trees (their checksum) and the hand-set weights the run used
    assert "boosted regression trees" in html and "sha256=" in html and "ubiquity=-6.0" in html
    # the trees' constraints, as the fit recorded them (the report escapes the apostrophe)
    assert "8 features can only raise a term&#x27;s score (discovery, introduced, lead, log_tf" in html
    assert "6 can only lower it (bare_verb, common_parts" in html
    assert "starter list (policy_zh.txt: generic policy words" in html  # boundary words, from the first run
    assert "no researcher released any of them" in html
    assert "ends or starts inside a word of the lexicon in 95%" in html  # discovery's step 3e
    assert "had a cosine of at least 0.93" in html  # how the merges were proposed: the meaning check

    project = Project.open(out)
    counts = json.loads(project.last_run("discover")["counts"])
    project.close()
    seeds = counts["topic_seeds"]  # the topic of the corpus list is recorded and reported
    assert seeds and "、".join(seeds) in html
    # a worked weight: the first new word's, step by step, in both languages
    assert "权重示例（caseminer discover --explain）：" in html and "A worked weight: " in html
    assert re.search(r"A worked weight: \S+: rank \d+ of \d+ in the corpus list, weight [\d.]+\.", html)
    # a worked keyword score: the first case's first keyword, feature by feature, in both languages
    assert "关键词得分示例（caseminer keywords --explain）：" in html
    assert re.search(r"A worked keyword score: \S+ is keyword 1 of 3 of case \S+ \(method fused\)", html)


def test_run_report_xlsx_and_docx_open(demo_project):
    import docx
    import openpyxl

    out, _ = demo_project
    workbook = openpyxl.load_workbook(out / "report" / "tables.xlsx")
    assert {"core_keywords", "coding_table", "specificity"} <= set(workbook.sheetnames)
    sheet = workbook["core_keywords"]
    assert sheet.cell(1, 1).value == "核心关键词" and sheet.cell(2, 1).value == "Core keyword"
    document = docx.Document(str(out / "report" / "report.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("Framework" in h for h in headings) and len(document.tables) >= 8


def test_run_again_continues_without_duplicates(demo_project):
    from click.testing import CliRunner

    from caseminer.cli import cli
    from conftest import DEMO

    out, _ = demo_project
    with Project.open(out) as project:
        before = project.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
        codes = project.conn.execute("SELECT COUNT(*) FROM codes").fetchone()[0]
    result = CliRunner().invoke(cli, ["run", str(DEMO / "cases"), "--meta", str(DEMO / "metadata.csv"),
                                      "--example", "poverty-six-dimensions", "--out", str(out), "--no-report"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "0 new case(s), 30 already present" in result.output
    assert "already imported (98 codes)" in result.output
    with Project.open(out) as project:
        assert project.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == before
        assert project.conn.execute("SELECT COUNT(*) FROM codes").fetchone()[0] == codes


def test_run_without_a_corpus_analyses_the_project_s_cases_again(demo_project, tmp_path):
    # after a lexicon word is accepted, every stage after the import runs again on the cases
    # the project holds, and the automatic coding with them (the project was coded before)
    import shutil

    from click.testing import CliRunner

    from caseminer.cli import cli

    out = tmp_path / "again"
    shutil.copytree(demo_project[0], out)
    runner = CliRunner()
    assert runner.invoke(cli, ["-p", str(out), "lexicon", "add", "扶贫车间模式"]).exit_code == 0
    with Project.open(out) as project:
        runs = dict(project.conn.execute("SELECT stage, COUNT(*) FROM runs GROUP BY stage").fetchall())
    result = runner.invoke(cli, ["run", "--out", str(out), "--no-report"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "  import" not in result.output and "  codebook" not in result.output
    assert "segment    " in result.output and "domain lexicon 1 words" in result.output
    assert re.search(r"code auto +\d+ automatic coding", result.output)
    with Project.open(out) as project:
        after = dict(project.conn.execute("SELECT stage, COUNT(*) FROM runs GROUP BY stage").fetchall())
        semantic = [json.loads(r[0]).get("semantic") for r in project.conn.execute(
            "SELECT settings FROM runs WHERE stage = 'autocode' ORDER BY id")]
    assert after["import"] == runs["import"] and after["report"] == runs["report"]
    for stage in ("segment", "discover", "keywords", "autocode", "stats"):
        assert after[stage] == runs[stage] + 1, stage
    assert semantic[-1] == semantic[-2]  # coded again as before
    # no corpus and no project: an error, and no project is made for it
    empty = runner.invoke(cli, ["run", "--out", str(tmp_path / "none")])
    assert empty.exit_code == 1 and "Nothing to analyse: the project" in empty.output
    assert not (tmp_path / "none").exists()


def test_run_takes_a_coding_table_as_its_codebook(demo_project, tmp_path):
    # the table a paper prints (caseminer codebook export --format xlsx), read as codebook import
    # reads it (run read any codebook but a .qdc as YAML)
    from click.testing import CliRunner

    from caseminer.cli import cli
    from conftest import DEMO

    runner = CliRunner()
    table = tmp_path / "编码表.xlsx"
    exported = runner.invoke(cli, ["-p", str(demo_project[0]), "codebook", "export", "--format", "xlsx",
                                   "--out", str(table)])
    assert exported.exit_code == 0, exported.output
    result = runner.invoke(cli, ["run", str(DEMO / "cases"), "--meta", str(DEMO / "metadata.csv"), "--codebook",
                                 str(table), "--out", str(tmp_path / "p"), "--no-report"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert re.search(r"codebook +imported \d+ codes from .*编码表.xlsx", result.output)
    assert re.search(r"code auto +[1-9]\d* automatic coding", result.output)
    again = runner.invoke(cli, ["run", "--codebook", str(table), "--out", str(tmp_path / "p"), "--no-report"])
    assert again.exit_code == 0 and "编码表.xlsx already imported" in again.output


def test_run_autocode_rankings_json_shape(demo_project, cli):
    out, _ = demo_project
    result = cli("-p", out, "code", "auto", "--rankings-only", "--level", "selective", "--format", "json")
    records = json.loads(result.output)
    assert len(records) == 30
    first = records[0]
    assert set(first) == {"case_id", "ranking"} and len(first["ranking"]) == 6
    scores = [item["score"] for item in first["ranking"]]
    assert scores == sorted(scores, reverse=True)


def test_run_qdpx_round_trip_loses_nothing(demo_project, tmp_path, cli):
    out, _ = demo_project
    cli("-p", out, "code", "add", "01_jiangxi_sanseyujing", "防贫预警", "--quote", "三色预警", "--occurrence", "1",
        "--memo", "典型做法", "--coder", "张三")
    cli("-p", out, "memo", "add", "case", "02_henan_fangpinxian", "值得对比", "--coder", "李四")
    assert cli("-p", out, "export", "qdpx", tmp_path / "p.qdpx").exit_code == 0
    cli("init", tmp_path / "copy")
    result = cli("-p", tmp_path / "copy", "import", "qdpx", tmp_path / "p.qdpx")
    assert result.exit_code == 0, result.output

    def dump(path):
        with Project.open(path) as project:
            conn = project.conn
            cases = conn.execute("SELECT id, title, province, original_text FROM cases ORDER BY id").fetchall()
            codes = conn.execute("SELECT id, name, level, parent_id, role, color FROM codes ORDER BY id").fetchall()
            codings = conn.execute("SELECT case_id, code_id, start_char, end_char, coder, memo, score, evidence "
                                   "FROM codings ORDER BY case_id, code_id, coder, start_char").fetchall()
            memos = conn.execute("SELECT target_kind, target_id, text, coder FROM memos ORDER BY id").fetchall()
            return [list(map(tuple, rows)) for rows in (cases, codes, codings, memos)]

    original, copy = dump(out), dump(tmp_path / "copy")
    assert original[0] == copy[0]
    assert original[1] == copy[1]
    assert original[2] == copy[2]
    assert original[3] == copy[3]
    # the file alone, as a researcher types it, is the same import; beside case files it is named
    cli("init", tmp_path / "again")
    result = cli("-p", tmp_path / "again", "import", tmp_path / "p.qdpx")
    assert result.exit_code == 0 and result.output.startswith(f"Imported {tmp_path / 'p.qdpx'}: 30 cases"), result.output
    assert dump(tmp_path / "again") == copy
    (tmp_path / "case.txt").write_text("发展乡村旅游。", encoding="utf-8")
    result = cli("-p", tmp_path / "again", "import", tmp_path / "p.qdpx", tmp_path / "case.txt")
    assert result.exit_code == 1 and "It is a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder): import it on " \
        "its own with 'caseminer import qdpx FILE.qdpx'." in result.output


def test_export_qdpx_takes_the_file_as_argument_or_out_once(demo_project, tmp_path, cli):
    out, _ = demo_project
    assert cli("-p", out, "export", "qdpx", "--out", tmp_path / "a.qdpx").exit_code == 0
    assert (tmp_path / "a.qdpx").stat().st_size > 0
    for args in ((), (tmp_path / "b.qdpx", "--out", tmp_path / "c.qdpx")):
        result = cli("-p", out, "export", "qdpx", *args)
        assert result.exit_code == 2 and "Name the .qdpx file to write once" in result.output
    assert not (tmp_path / "b.qdpx").exists() and not (tmp_path / "c.qdpx").exists()


def test_run_reports_a_case_in_traditional_characters_and_simplifies_on_request(tmp_path, cli):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "trad.txt").write_text("我們縣發展鄉村產業，農村貧困人口顯著減少，經濟穩定增長。" * 3, encoding="utf-8")
    (folder / "simp.txt").write_text("我们县发展乡村旅游，带动群众增收，扶贫车间吸纳就业。" * 3, encoding="utf-8")
    result = cli("run", folder, "--no-report", "--out", tmp_path / "p")
    assert result.exit_code == 0, result.output
    assert "1 case(s) are written in traditional characters (share of their Han characters: trad" in result.output
    assert "stats      " in result.output and "no comparison by province;" in result.output  # no metadata
    assert "No comparison by province: no case has a value." in result.output
    result = cli("run", folder, "--no-report", "--simplify", "--out", tmp_path / "q")
    assert result.exit_code == 0 and "traditional characters" not in result.output
    with Project.open(tmp_path / "q") as project:
        assert get_case(project, "trad").text.startswith("我们县发展乡村产业")
