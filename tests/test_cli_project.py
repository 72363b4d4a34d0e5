"""CLI: init, project discovery, import, cases, show, status (full error texts)."""

import json
import os
import sqlite3

import pytest


def test_cli_init_and_project_lookup_order(cli, tmp_path, monkeypatch):
    result = cli("init", tmp_path / "p")
    assert result.exit_code == 0 and "Created a caseminer project" in result.output
    assert (tmp_path / "p" / "caseminer.sqlite").is_file() and (tmp_path / "p" / "caseminer.toml").is_file()
    again = cli("init", tmp_path / "p")
    assert again.exit_code == 1
    assert f"Error: {tmp_path / 'p'} already holds a caseminer project." in again.output
    # --project, then $CASEMINER_PROJECT, then the current directory.
    monkeypatch.setenv("CASEMINER_PROJECT", str(tmp_path / "p"))
    assert cli("status").exit_code == 0
    monkeypatch.delenv("CASEMINER_PROJECT")
    monkeypatch.chdir(tmp_path / "p")
    assert cli("status").exit_code == 0


def test_cli_no_project_error(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("CASEMINER_PROJECT", raising=False)
    monkeypatch.chdir(tmp_path)
    result = cli("cases")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: No caseminer project found (looked at {tmp_path} (the current directory)). Create one with "
        "'caseminer init DIR', or point to an existing one with --project DIR or the CASEMINER_PROJECT variable.\n")


def test_cli_out_dash_is_the_terminal(cli, tmp_path, demo_dir, monkeypatch):
    # '--out -' writes to standard output (no file named '-'); a workbook cannot go there
    cli("init", tmp_path / "p")
    cli("-p", tmp_path / "p", "import", demo_dir / "cases.jsonl")
    monkeypatch.chdir(tmp_path)
    csv_out = cli("-p", tmp_path / "p", "cases", "--format", "csv", "--out", "-")
    assert csv_out.exit_code == 0 and csv_out.output.splitlines()[0].startswith("id,title,province,")
    table = cli("-p", tmp_path / "p", "cases", "--out", "-")
    assert table.output.splitlines()[0].startswith("id\ttitle\tprovince")  # piped: tab-separated
    workbook = cli("-p", tmp_path / "p", "cases", "--format", "xlsx", "--out", "-")
    assert workbook.exit_code == 2 and "give --out a file name" in workbook.output
    assert not (tmp_path / "-").exists()


def test_the_terminal_table_shows_floats_to_four_digits_and_files_keep_all(capsys, tmp_path):
    from caseminer.cli.output import emit

    rows = [{"term": "防贫预警", "p_value": 3.7048313545416512e-09, "share": 0.2352941, "cases": 4, "flag": True}]
    columns = ["term", "p_value", "share", "cases", "flag"]
    emit(rows, columns, fmt="table", out=None, title="t")
    shown = capsys.readouterr().out
    assert "3.705e-09" in shown and "0.2353" in shown and "3.7048313545" not in shown and "True" in shown
    emit(rows, columns, fmt="csv", out=str(tmp_path / "t.csv"))
    assert "3.7048313545416512e-09,0.2352941,4,True" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig")


def test_cli_import_demo_and_list_json(cli, tmp_path, demo_dir):
    cli("init", tmp_path / "p")
    result = cli("-p", tmp_path / "p", "import", demo_dir / "cases", "--meta", demo_dir / "metadata.csv")
    assert result.exit_code == 0, result.output
    assert "Imported 30 case(s) from 30 file(s)." in result.output
    listed = json.loads(cli("-p", tmp_path / "p", "cases", "--format", "json").output)
    assert len(listed) == 30
    provinces = {c["province"] for c in listed}
    assert None not in provinces and len(provinces) >= 14
    assert "广西壮族自治区" not in provinces and "新疆兵团" in provinces
    assert all(c["attributes"]["dimension"] for c in listed)
    status = json.loads(cli("-p", tmp_path / "p", "status", "--format", "json").output)
    assert status["cases"] == 30
    assert status["stages"][0]["stage"] == "import" and status["stages"][0]["state"] == "up to date"


def test_cli_import_jsonl_and_show(cli, tmp_path, demo_dir):
    cli("init", tmp_path / "p")
    result = cli("-p", tmp_path / "p", "import", demo_dir / "cases.jsonl")
    assert result.exit_code == 0, result.output
    csv_out = cli("-p", tmp_path / "p", "cases", "--format", "csv").output.splitlines()
    assert csv_out[0].startswith("id,title,province,") and len(csv_out) == 31
    shown = json.loads(cli("-p", tmp_path / "p", "show", "demo-01", "--format", "json").output)
    assert shown["id"] == "demo-01" and shown["text"]


def test_cli_import_says_which_reference_lists_it_left_out(cli, tmp_path):
    cli("init", tmp_path / "p")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "paper.md").write_text(
        "搬迁群众的就业靠扶贫车间。\n\n参考文献\n[1] 王某.易地搬迁[J].农村经济,2019.\n[2] 张某.后续帮扶[M].2021.\n",
        encoding="utf-8")
    result = cli("-p", tmp_path / "p", "import", tmp_path / "c")
    assert result.exit_code == 0, result.output
    assert ("Left the reference list out of the analysis text of 1 case(s) (52 characters: headed 参考文献 or "
            "References and followed by entries); the original text keeps it.") in result.output
    assert "农村经济" not in cli("-p", tmp_path / "p", "show", "paper", "--analysis").output
    shown = cli("-p", tmp_path / "p", "show", "paper").output
    assert "农村经济" in shown
    assert ("not analysed: characters 15-66 of the original (51 in all: a reference list, page numbers or running "
            "heads, markup such as HTML tags and images; --analysis shows what was analysed)") in shown
    assert json.loads(cli("-p", tmp_path / "p", "show", "paper", "--format", "json").output)["not_analysed"] == [[15, 66]]


def test_cli_import_names_the_scanned_pages_it_passed_over(cli, tmp_path):
    cli("init", tmp_path / "p")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "ok.txt").write_text("发展乡村旅游。", encoding="utf-8")
    (tmp_path / "c" / "page-2.tif").write_bytes(b"II*\0")
    result = cli("-p", tmp_path / "p", "import", tmp_path / "c")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"Passed over 1 file(s) in the folder(s) that are no documents caseminer reads (1 .tif), e.g. "
        f"{tmp_path / 'c' / 'page-2.tif'}. An image of a scanned page holds no text to read: run it through OCR "
        "(文字识别, e.g. in WPS or Acrobat), save the text as .txt or .docx and import that.")


def test_cli_import_failure_exit_code_and_message(cli, tmp_path):
    cli("init", tmp_path / "p")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "empty.txt").write_bytes(b"")
    (tmp_path / "c" / "ok.txt").write_text("发展乡村旅游。", encoding="utf-8")
    result = cli("-p", tmp_path / "p", "import", tmp_path / "c")
    assert result.exit_code == 1
    assert result.output == (
        "Error: 1 of 2 file(s) could not be imported; nothing was written.\n"
        f"- {tmp_path / 'c' / 'empty.txt'} is empty. Remove it from the folder or give it text, then import again.\n"
        "Fix these files, or give --skip-bad to import the others and list the bad ones.\n")
    skipped = cli("-p", tmp_path / "p", "import", tmp_path / "c", "--skip-bad")
    assert skipped.exit_code == 1 and "Imported 1 case(s)" in skipped.output


def test_cli_run_that_imports_no_case_says_why_before_any_stage(cli, tmp_path):
    # under --skip-bad every table of the folder failed; the run went on and said "segment
    # needs cases first. Run 'caseminer import PATH'", the import's problem unnamed
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "t.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "c" / "README.md").write_text("数据说明", encoding="utf-8")
    result = cli("run", tmp_path / "c", "--out", tmp_path / "p", "--skip-bad")
    assert result.exit_code == 1
    assert (f"Error: Nothing to analyse: no case was imported from {tmp_path / 'c'}, and the project holds none. "
            f"1 file(s) or row(s) could not be imported:\n- {tmp_path / 'c' / 't.csv'}: no column named 'text'"
            ) in result.output
    assert "segment" not in result.output.split("Error:")[1]
    (tmp_path / "e.csv").write_text("text,id\n", encoding="utf-8")
    result = cli("run", tmp_path / "e.csv", "--out", tmp_path / "p")
    assert result.exit_code == 1 and "The files given hold no case text (a table without rows?)" in result.output
    # with cases from before, a run that imports nothing new goes on
    (tmp_path / "ok.txt").write_text("发展乡村旅游。" * 5, encoding="utf-8")
    cli("-p", tmp_path / "p", "import", tmp_path / "ok.txt")
    result = cli("run", tmp_path / "c", "--out", tmp_path / "p", "--skip-bad", "--no-report")
    assert "Nothing to analyse" not in result.output


def test_cli_import_failure_counts_rows_of_a_table(cli, tmp_path):
    cli("init", tmp_path / "p")
    rows = [{"id": "a", "text": "发展乡村旅游。"}, {"id": "b", "text": ""}, {"id": "c"}]
    (tmp_path / "cases.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows),
                                          encoding="utf-8")
    result = cli("-p", tmp_path / "p", "import", tmp_path / "cases.jsonl")
    assert result.exit_code == 1
    assert result.output.startswith("Error: 2 problem(s) in 1 of 1 file(s) stopped the import; nothing was written.\n")
    assert "line 2: the case has no text" in result.output and "line 3: the case has no text" in result.output


def test_cli_show_unknown_case(cli, tmp_path):
    cli("init", tmp_path / "p")
    result = cli("-p", tmp_path / "p", "show", "nope")
    assert result.exit_code == 1
    assert result.output == "Error: No case with id 'nope' in this project. List the ids with 'caseminer cases'.\n"


@pytest.mark.parametrize("command", ["init", "import", "cases", "show", "status"])
def test_cli_every_command_has_help(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_cli_choices_are_the_library_ones():
    # the CLI lists its choices by hand (no library import at start-up); they must stay the library's
    from caseminer.cli.text_cmds import discover_cmd, keywords_cmd
    from caseminer.nlp.keyterms import METHODS
    from caseminer.nlp.termhood import MODELS

    def choices(command, name):
        return tuple(next(p for p in command.params if p.name == name).type.choices)

    assert choices(keywords_cmd, "method") == METHODS
    assert set(choices(discover_cmd, "termhood_model")) == set(MODELS)


def _demo_project(cli, tmp_path, demo_dir):
    """A project of the demo's cases and metadata, made with the CLI."""
    project = tmp_path / "p"
    cli("init", project)
    assert cli("-p", project, "import", demo_dir / "cases", "--meta", demo_dir / "metadata.csv").exit_code == 0
    return project


def test_cli_discover_case_list_floor(cli, tmp_path, demo_dir):
    # A case's list holds the words whose weight reaches --case-min-weight (default 10.83).
    project = _demo_project(cli, tmp_path, demo_dir)
    case = json.loads(cli("-p", project, "cases", "--format", "json").output)[0]["id"]
    result = cli("-p", project, "discover", "--case", case, "--format", "json", "--case-min-weight", "0")
    assert result.exit_code == 0, result.output
    everything = json.loads(result.stdout)
    result = cli("-p", project, "discover", "--case", case, "--format", "json")
    default = json.loads(result.stdout)
    assert [r["word"] for r in default] == [r["word"] for r in everything
                                            if r["weight"] >= 10.83 or (r["freq"] >= 4 and r["weight"] > 0)]
    assert len(default) < len(everything)
    result = cli("-p", project, "discover", "--case", case, "--case-min-weight", "x")
    assert result.exit_code == 2 and "'x' is not a valid float" in result.output


def test_cli_discover_says_why_a_case_list_is_empty(cli, tmp_path, demo_dir):
    project = tmp_path / "p"
    cli("init", project)
    (tmp_path / "walk.txt").write_text("周末天气晴朗，一家人去公园散步，看见湖边的柳树发了新芽。", encoding="utf-8")
    assert cli("-p", project, "import", demo_dir / "cases", tmp_path / "walk.txt").exit_code == 0
    result = cli("-p", project, "discover", "--case", "walk", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert ("Case walk's list is empty: no string of it passes the case list's tests, 2 occurrences or more, and "
            "a weight of 10.83 (G², p < 0.001) against general language or 4 repeats in the case") in result.stderr
    assert "caseminer discover --case walk --explain WORD" in result.stderr
    demo_case = json.loads(cli("-p", project, "cases", "--format", "json").output)[0]["id"]
    assert "is empty" not in cli("-p", project, "discover", "--case", demo_case, "--no-run").stderr
    result = cli("-p", project, "discover", "--case", "walk", "--case-min-weight", "20")
    assert "2 occurrences or more, and a weight of 20 (G²) against general language or 4 repeats" in result.stderr


def test_cli_discover_reads_an_up_to_date_run(cli, tmp_path, demo_dir):
    # Viewing a list (the corpus's or one case's) reads the stored run while nothing it
    # depends on changed: no second run of the whole corpus per list a researcher reads.
    project = _demo_project(cli, tmp_path, demo_dir)
    cases = [c["id"] for c in json.loads(cli("-p", project, "cases", "--format", "json").output)]

    def discover_runs():
        with sqlite3.connect(project / "caseminer.sqlite") as conn:
            return conn.execute("SELECT MAX(id) FROM runs WHERE stage='discover' AND status='done'").fetchone()[0]

    assert cli("-p", project, "discover", "--top", "3").exit_code == 0
    first = discover_runs()
    result = cli("-p", project, "discover", "--case", cases[0], "--format", "json")
    assert result.exit_code == 0, result.output
    assert discover_runs() == first and "are up to date" in result.stderr and json.loads(result.stdout)
    stored = cli("-p", project, "discover", "--top", "20", "--format", "csv")
    assert discover_runs() == first and "are up to date" in stored.stderr
    rerun = cli("-p", project, "discover", "--top", "20", "--format", "csv", "--rerun")
    assert discover_runs() > first and "are up to date" not in rerun.stderr and rerun.stdout == stored.stdout
    first = discover_runs()
    # a run made by another build of caseminer (its code or shipped models changed) is not reused
    with sqlite3.connect(project / "caseminer.sqlite") as conn:
        conn.execute("UPDATE runs SET versions = json_set(versions, '$.\"caseminer build\"', '000000000000') "
                     "WHERE id = ?", (first,))
    assert "are up to date" not in cli("-p", project, "discover").stderr and discover_runs() > first
    first = discover_runs()
    # other settings than the stored run's: it runs again, and again when a case came in since
    assert cli("-p", project, "discover", "--case", cases[0], "--min-freq", "3").exit_code == 0
    second = discover_runs()
    assert second != first
    assert "are up to date" not in cli("-p", project, "discover", "--case", cases[0]).stderr
    third = discover_runs()
    assert third != second
    extra = tmp_path / "extra.txt"
    extra.write_text("这是另一个案例。产业扶贫带动脱贫。产业扶贫带动增收。", encoding="utf-8")
    assert cli("-p", project, "import", extra).exit_code == 0
    assert "are up to date" not in cli("-p", project, "discover", "--case", cases[0]).stderr
    assert discover_runs() != third


def test_cli_keywords_case_reads_an_up_to_date_run(cli, tmp_path, demo_dir):
    project = _demo_project(cli, tmp_path, demo_dir)
    case = json.loads(cli("-p", project, "cases", "--format", "json").output)[0]["id"]
    for stage in ("segment", "discover", "keywords"):
        assert cli("-p", project, stage).exit_code == 0

    def keyword_runs():
        with sqlite3.connect(project / "caseminer.sqlite") as conn:
            return conn.execute("SELECT COUNT(*) FROM runs WHERE stage='keywords'").fetchone()[0]

    result = cli("-p", project, "keywords", "--case", case, "--format", "json")
    shown = json.loads(result.stdout)
    assert keyword_runs() == 1 and "are up to date" in result.stderr and {r["case_id"] for r in shown} == {case}
    # a stop-word confirmed since changes what extraction gives: it runs again
    assert cli("-p", project, "stopwords", "confirm", shown[0]["keyword"]).exit_code == 0
    result = cli("-p", project, "keywords", "--case", case, "--format", "json")
    assert keyword_runs() == 2 and "are up to date" not in result.stderr
    assert shown[0]["keyword"] not in [r["keyword"] for r in json.loads(result.stdout)]
    # so do other settings, and a discovery run since (keywords read its list)
    assert cli("-p", project, "keywords", "--case", case, "--top", "5").exit_code == 0 and keyword_runs() == 3
    assert cli("-p", project, "discover", "--rerun").exit_code == 0
    assert cli("-p", project, "keywords", "--case", case, "--top", "5").exit_code == 0 and keyword_runs() == 4
    # all cases' keywords are read from an up-to-date run too, unless --rerun
    result = cli("-p", project, "keywords", "--top", "5", "--format", "json")
    assert keyword_runs() == 4 and "are up to date" in result.stderr and len({r["case_id"] for r in
                                                                              json.loads(result.stdout)}) > 1
    assert cli("-p", project, "keywords", "--top", "5", "--rerun").exit_code == 0 and keyword_runs() == 5
    # a case imported since, not yet segmented: the stored keywords are not shown as current
    extra = tmp_path / "extra.txt"
    extra.write_text("另一个案例。产业扶贫带动脱贫。", encoding="utf-8")
    assert cli("-p", project, "import", extra).exit_code == 0
    result = cli("-p", project, "keywords", "--case", case, "--top", "5")
    assert result.exit_code == 1 and "are up to date" not in result.output and "segment" in result.output


def test_cli_unknown_case_is_an_error_before_any_run(cli, tmp_path, demo_dir):
    project = _demo_project(cli, tmp_path, demo_dir)
    for command in (["discover"], ["keywords"], ["review", "list"], ["review", "history"], ["code", "list"]):
        result = cli("-p", project, *command, "--case", "no-such-case")
        assert result.exit_code == 1 and "No case with id 'no-such-case'" in result.output
    status = json.loads(cli("-p", project, "status", "--format", "json").output)["stages"]
    assert all(s["state"] == "not run" for s in status if s["stage"] in ("discover", "keywords"))


def test_cli_discover_says_a_corpus_of_few_cases_is_read_as_a_case(cli, tmp_path, demo_dir):
    # A project of one case has no topic to speak of: the CLI says how its list was weighed
    # instead of naming the words that case repeats as the corpus's topic.
    project = tmp_path / "p"
    cli("init", project)
    assert cli("-p", project, "import", demo_dir / "cases" / "21_jiangxi_chanyeyuan.txt").exit_code == 0
    result = cli("-p", project, "discover", "--top", "3")
    assert result.exit_code == 0, result.output
    assert "fewer than 10 cases is read as a case is" in result.output
    assert "Topic of the corpus list" not in result.output
    assert "扶贫产业园" in result.output


def test_cli_discover_says_when_the_seeds_are_no_topic(cli, tmp_path, demo_dir):
    project = _demo_project(cli, tmp_path, demo_dir)
    result = cli("-p", project, "discover", "--top", "3", "--topic-min-cohesion", "0.99")
    assert result.exit_code == 0, result.output
    assert "are no topic: on average a sentence that holds one holds another in" in result.output
    assert "Every occurrence counts as on topic" in result.output
    assert "Topic of the corpus list" not in result.output
    result = cli("-p", project, "discover", "--top", "3", "--topic-min-cohesion", "2")
    assert result.exit_code == 1 and "topic_min_cohesion" in result.output


def test_cli_discover_says_when_the_corpus_keeps_to_a_subject(cli, tmp_path, demo_dir, monkeypatch):
    from caseminer.nlp import discovery

    project = _demo_project(cli, tmp_path, demo_dir)
    monkeypatch.setattr(discovery, "SEED_MIN_RATIO", 1e12)  # no seeds: the demo's nouns show its subject
    result = cli("-p", project, "discover", "--top", "3")
    assert result.exit_code == 0, result.output
    assert "No words are over-used enough to make a topic, but the corpus keeps to one subject (" in result.output
    assert "Every occurrence counts as on topic, times each word's probability of being a term" in result.output
    monkeypatch.setattr(discovery, "SUBJECT_MIN_RATIO_SMALL", 1e12)  # the demo is a small corpus
    result = cli("-p", project, "discover", "--top", "3", "--rerun")
    assert "No topic words found: the corpus list is weighted by plain log-likelihood." in result.output


def test_cli_discover_semantic_option(cli, tmp_path, demo_dir):
    # --semantic sets step 7's strength (0: off), and a bad value names the setting
    project = _demo_project(cli, tmp_path, demo_dir)
    result = cli("-p", project, "discover", "--semantic", "0", "--top", "3")
    assert result.exit_code == 0, result.output
    assert "lowered for words unlike" not in result.output
    result = cli("-p", project, "discover", "--top", "3")
    assert result.exit_code == 0 and "lowered for words unlike the list's leading terms" in result.output
    result = cli("-p", project, "discover", "--semantic", "-1")
    assert result.exit_code != 0 and "semantic" in result.output


def test_cli_jobs_default_and_bad_values(cli, tmp_path, demo_dir):
    """--jobs defaults to one process per CPU (recorded as the processes used) and
    rejects 0 and numbers below -1 with the setting's message, before any work."""
    cli("init", tmp_path / "p")
    assert cli("-p", tmp_path / "p", "import", demo_dir / "cases").exit_code == 0
    for command in ("segment", "discover"):
        bad = cli("-p", tmp_path / "p", command, "--jobs", "0")
        assert bad.exit_code == 1
        assert (f"The 'n_jobs' setting of {command} must be an integer in the range [1, 64], or -1 for one "
                "per CPU. Got 0 instead.") in bad.output
    assert "must be an integer in the range [1, 64]" in cli("run", demo_dir / "cases", "-j", "-2",
                                                           "--out", tmp_path / "r").output
    assert not (tmp_path / "r").exists()
    result = cli("-p", tmp_path / "p", "segment")
    assert result.exit_code == 0, result.output
    from caseminer.project import Project
    from caseminer.settings import resolve_jobs

    project = Project.open(tmp_path / "p")
    try:
        recorded = json.loads(project.last_run("segment")["settings"])
    finally:
        project.close()
    # 30 short cases: one process does it (segmenters.MIN_CHARS_PER_PROCESS), whatever the CPUs.
    assert recorded["n_jobs"] == 1
    # Discovery is given one process per CPU by default (it works in one below a shard).
    assert cli("-p", tmp_path / "p", "discover", "--top", "1").exit_code == 0
    project = Project.open(tmp_path / "p")
    try:
        recorded = json.loads(project.last_run("discover")["settings"])
    finally:
        project.close()
    assert recorded["n_jobs"] == resolve_jobs(-1, "discover") == min(os.cpu_count() or 1, 64)


def test_cli_version_names_the_build(cli):
    from caseminer import __version__
    from caseminer.project import caseminer_build

    result = cli("--version")
    assert result.exit_code == 0 and result.output.strip() == f"caseminer {__version__} (build {caseminer_build()})"


def test_cli_discover_explain_prints_the_steps_or_json(cli, tmp_path, demo_dir):
    project = _demo_project(cli, tmp_path, demo_dir)
    result = cli("-p", project, "discover", "--explain", "扶贫")
    assert result.exit_code == 1 and "Explaining a word needs new-word discovery first. Run 'caseminer discover'" in result.output
    assert cli("-p", project, "discover", "--top", "3").exit_code == 0
    first = json.loads(cli("-p", project, "discover", "--top", "1", "--format", "json").stdout)[0]["word"]
    result = cli("-p", project, "discover", "--explain", first)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{first}: rank 1 of ") and "(step 4;" in result.stdout
    data = json.loads(cli("-p", project, "discover", "--explain", first, "--format", "json").stdout)
    assert data["listed"] and data["rank"] == 1 and data["lines"][0] == result.stdout.splitlines()[0]
    result = cli("-p", project, "discover", "--explain", first, "--rerun")
    assert result.exit_code == 2 and "--explain reads the stored lists and runs nothing" in result.output
    csv_out = tmp_path / "why.csv"
    assert cli("-p", project, "discover", "--explain", "不在文中的串", "--format", "csv", "--out", csv_out).exit_code == 0
    assert "do not hold it" in csv_out.read_text(encoding="utf-8-sig")


def test_cli_keywords_explain_prints_the_features_or_json(cli, tmp_path, demo_dir):
    project = _demo_project(cli, tmp_path, demo_dir)
    case = json.loads(cli("-p", project, "cases", "--format", "json").output)[0]["id"]
    result = cli("-p", project, "keywords", "--explain", "扶贫", "--case", case)
    assert result.exit_code == 1 and "Explaining a keyword needs keyword extraction first" in result.output
    for stage in ("segment", "discover", "keywords"):
        assert cli("-p", project, stage).exit_code == 0
    first = json.loads(cli("-p", project, "keywords", "--case", case, "--format", "json").stdout)[0]
    result = cli("-p", project, "keywords", "--explain", first["keyword"], "--case", case)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{first['keyword']} is keyword 1 of 3 of case {case} (method fused)")
    assert f"= {first['weight']:.3f}" in result.stdout
    data = json.loads(cli("-p", project, "keywords", "--explain", first["keyword"], "--case", case,
                          "--format", "json").stdout)
    assert data["keyword"] == 1 and data["lines"][0] == result.stdout.splitlines()[0]
    assert {"feature", "value", "share"} == set(data["parts"][0])
    result = cli("-p", project, "keywords", "--explain", first["keyword"])
    assert result.exit_code == 2 and "--explain needs the case" in result.output
    result = cli("-p", project, "keywords", "--explain", first["keyword"], "--case", case, "--top", "5")
    assert result.exit_code == 2 and "ranks with the stored run's settings: leave out --top" in result.output
    result = cli("-p", project, "keywords", "--explain", first["keyword"], "--case", case, "--keep-names")
    assert result.exit_code == 2 and "leave out --keep-names" in result.output
    result = cli("-p", project, "keywords", "--explain", first["keyword"], "--case", case, "--rerun")
    assert result.exit_code == 2 and "stores nothing" in result.output
    result = cli("-p", project, "keywords", "--explain", first["keyword"], "--case", "nope")
    assert result.exit_code == 1 and "No case with id 'nope'" in result.output
    # names allowed: a run of its own, its settings recorded
    assert cli("-p", project, "keywords", "--keep-names").exit_code == 0
    from caseminer.project import Project

    with Project.open(project) as opened:
        assert json.loads(opened.last_run("keywords")["settings"])["keep_names"] is True
    assert cli("-p", project, "keywords").exit_code == 0  # and back
    # in Chinese, as the workbench says it; --lang only with --explain
    result = cli("-p", project, "keywords", "--explain", first["keyword"], "--case", case, "--lang", "zh")
    assert result.stdout.startswith(f"{first['keyword']}是案例{case}的第1个关键词")
    result = cli("-p", project, "discover", "--explain", first["keyword"], "--lang", "zh")
    assert result.exit_code == 0 and "新词表" in result.stdout.splitlines()[0]
    for stage in ("keywords", "discover"):
        result = cli("-p", project, stage, "--lang", "zh")
        assert result.exit_code == 2 and "give it with --explain" in result.output
    # the review workbook's "why" column: filled while the keywords are up to date, else said to be empty
    result = cli("-p", project, "review", "export", "--out", tmp_path / "r.xlsx")
    assert result.exit_code == 0 and "'why' column is empty" not in result.output
    assert cli("-p", project, "discover", "--rerun").exit_code == 0
    result = cli("-p", project, "review", "export", "--out", tmp_path / "r2.xlsx")
    assert "The 'why' column is empty: the stored keywords are out of date: run caseminer keywords again." \
        in result.stderr


@pytest.mark.parametrize("encoding, read_as, expected", [("gbk", "gb18030", "G² 五个中心 •"), ("cp936", "gb18030", "G² 五个中心 •"),
                                                          ("latin-1", "latin-1", "G² ???? ?")])
def test_output_to_a_file_on_a_chinese_windows_does_not_stop_at_a_character_gbk_lacks(monkeypatch, encoding, read_as,
                                                                                     expected):
    # A Chinese Windows writes output sent to a file or a pipe in GBK, which has no G²: the
    # command stopped with UnicodeEncodeError halfway through `discover --explain WORD > out.txt`.
    import io
    import sys

    from caseminer.cli import _robust_streams

    streams = {name: io.TextIOWrapper(io.BytesIO(), encoding=encoding) for name in ("stdout", "stderr")}
    for name, stream in streams.items():
        monkeypatch.setattr(sys, name, stream)
    _robust_streams()
    for stream in streams.values():
        stream.write("G² 五个中心 •")
        stream.flush()
        assert stream.buffer.getvalue().decode(read_as) == expected
    if read_as == "gb18030":  # what GBK has is written as GBK writes it: the output reads as before
        assert "五个中心".encode("gbk") in streams["stdout"].buffer.getvalue()
