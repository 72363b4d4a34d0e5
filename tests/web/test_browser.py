"""The workbench in a real browser (issue 8): Debian's chromium driven by Playwright.

Open a case, accept and reject a keyword, select a passage and code it, add a keyword
by selection, drag a code in the tree, and see each change in the CLI's output. The
pages are photographed into the test's folder (or $CASEMINER_WEB_SHOTS if set).

Needs ``apt-get install chromium`` and ``pip install playwright`` (no browser download:
Playwright is pointed at /usr/bin/chromium).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CASEMINER_CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.exists():
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")

from web_fixtures import project_dir, project_template  # noqa: E402,F401 (fixtures)

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def served(project_dir):
    """The workbench on a free loopback port, in a thread."""
    from werkzeug.serving import make_server

    from caseminer.web.app import make_app

    server = make_server("127.0.0.1", 0, make_app(project_dir), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("CASEMINER_WEB_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser, served):
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.dialogs = []
    page.errors = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(served + "/")
    page.fill("#coder-input", "alice")
    with page.expect_navigation():
        page.click("#coder-form button[type=submit]")
    yield page
    context.close()


def snap(page, shots: Path, name: str) -> None:
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=str(shots / f"{name}.png"))


def cli_json(project_dir, *args) -> list[dict]:
    from click.testing import CliRunner

    from caseminer.cli import cli

    result = CliRunner().invoke(cli, ["-p", str(project_dir), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def keyword_status(page, keyword: str) -> str:
    return page.locator(f'#keywords-table tr[data-keyword="{keyword}"] td.status').inner_text()


SELECT_JS = """([needle]) => {
  const box = document.getElementById('casetext');
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const i = node.data.indexOf(needle);
    if (i >= 0) {
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + needle.length);
      const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
      box.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
      return true;
    }
  }
  return false;
}"""


def test_browser_review_and_code_a_case(page, served, project_dir, shots):
    assert "alice" in page.inner_text("#coder-form")
    snap(page, shots, "01-cases")
    page.click('a[href="/cases/jx_park"]')
    page.wait_for_selector("#casetext")
    snap(page, shots, "02-reader")

    # reject, then accept a keyword
    with page.expect_navigation():
        page.click('#keywords-table tr[data-keyword="产业扶贫"] form.reject button')
    assert keyword_status(page, "产业扶贫") == "已拒绝"
    with page.expect_navigation():
        page.click('#keywords-table tr[data-keyword="产业扶贫"] form.accept button')
    assert keyword_status(page, "产业扶贫") == "已接受"
    review = cli_json(project_dir, "review", "list", "--case", "jx_park")
    assert any(r["keyword"] == "产业扶贫" and r["status"] == "accepted" and r["decided_by"] == "alice"
               for r in review)

    # select a passage and code it
    assert page.evaluate(SELECT_JS, ["利益联结机制"])
    assert page.inner_text("#sel-text") == "利益联结机制"
    warning = next(c for c in cli_json(project_dir, "codebook", "list") if c["name"] == "防贫预警")
    page.select_option("#code-choice", warning["id"])
    snap(page, shots, "03-selection")
    with page.expect_navigation():
        page.click("#code-button")
    codings = cli_json(project_dir, "code", "list")
    coded = [c for c in codings if c["case_id"] == "jx_park" and c["coder"] == "alice"]
    assert [(c["code"], c["text"]) for c in coded] == [("防贫预警", "利益联结机制")]
    assert page.locator("#casetext .m-coding").count() >= 1

    # add a keyword by selecting it
    assert page.evaluate(SELECT_JS, ["合作社"])
    with page.expect_navigation():
        page.click("#keyword-button")
    assert keyword_status(page, "合作社") == "已添加"
    snap(page, shots, "04-reader-after")
    assert page.errors == [] and page.dialogs == []


def test_browser_drag_a_code_in_the_tree(page, served, project_dir, shots):
    page.goto(served + "/codebook")
    source = 'li.code[data-name="分级预警"] > .code-label'
    target = 'li.code[data-name="落实政策保障"] > .code-label'
    snap(page, shots, "05-codebook")
    with page.expect_navigation():
        page.drag_and_drop(source, target)
    codes = {c["name"]: c for c in cli_json(project_dir, "codebook", "list")}
    assert codes["分级预警"]["parent_id"] == codes["落实政策保障"]["id"]
    assert page.locator('li.code[data-name="落实政策保障"] li.code[data-name="分级预警"]').count() == 1
    snap(page, shots, "06-codebook-after-drag")
    assert page.errors == []


def test_browser_concurrent_edit_is_reported(page, browser, served, project_dir, shots):
    """Bob drags a code while Alice's page still shows the old version: Alice's drag is refused."""
    page.goto(served + "/codebook")
    other = browser.new_context()
    bob = other.new_page()
    bob.goto(served + "/codebook")
    bob.fill("#coder-input", "bob")
    with bob.expect_navigation():
        bob.click("#coder-form button[type=submit]")
    with bob.expect_navigation():
        bob.drag_and_drop('li.code[data-name="分级预警"] > .code-label', 'li.code[data-name="落实政策保障"] > .code-label')
    other.close()
    page.drag_and_drop('li.code[data-name="分级预警"] > .code-label', "#root-drop")
    page.wait_for_selector("#banner.conflict")
    assert "409" in page.inner_text("#banner")
    snap(page, shots, "07-conflict")
    codes = {c["name"]: c for c in cli_json(project_dir, "codebook", "list")}
    assert codes["分级预警"]["parent_id"] == codes["落实政策保障"]["id"]  # bob's move kept


def test_browser_hostile_case_runs_no_script(page, served, shots):
    page.goto(served + "/cases/evil")
    page.wait_for_selector("#casetext")
    assert "<script>alert(1)</script>" in page.inner_text("#casetext")
    assert page.locator("#casetext img").count() == 0
    page.goto(served + "/?q=alert")
    snap(page, shots, "08-hostile")
    assert page.dialogs == [] and page.errors == []


def test_browser_selection_offsets_survive_carriage_returns(page, served, project_dir):
    """gz_workshop has CRLF line ends, which the HTML parser would fold: the coded span
    must still be exactly the selected original text."""
    page.goto(served + "/cases/gz_workshop")
    assert page.evaluate(SELECT_JS, ["吸纳贫困劳动力"])
    workshop = next(c for c in cli_json(project_dir, "codebook", "list") if c["name"] == "扶贫车间")
    page.select_option("#code-choice", workshop["id"])
    with page.expect_navigation():
        page.click("#code-button")
    coded = [c for c in cli_json(project_dir, "code", "list") if c["case_id"] == "gz_workshop"]
    assert [c["text"] for c in coded] == ["吸纳贫困劳动力"]


def test_browser_says_why_a_term_is_a_keyword(page, served, project_dir, shots):
    from caseminer.pipeline.discover import discover_words
    from caseminer.pipeline.keywords import explain_keyword, extract_case_keywords
    from caseminer.pipeline.segment import segment_cases
    from caseminer.project import Project

    with Project.open(project_dir) as p:
        segment_cases(p)
        discover_words(p, overrides={"min_freq": 2})
        extract_case_keywords(p)
    first = cli_json(project_dir, "keywords", "--case", "gz_workshop", "--no-run")[0]["keyword"]
    page.goto(served + "/keywords#keyword-lists")
    page.click(f'button.explain-keyword-button[data-case="gz_workshop"][data-term="{first}"]')
    page.wait_for_selector("#explain-panel:not(.hidden)")
    lines = page.locator("#explain-lines li").all_inner_texts()
    assert page.inner_text("#explain-word") == first and page.inner_text("#explain-title") == "为何是关键词"
    with Project.open(project_dir) as p:  # the workbench's Chinese view: the library's Chinese sentences
        assert lines == explain_keyword(p, "gz_workshop", first, lang="zh")["lines"]
    assert lines[0].startswith(f"{first}是案例gz_workshop的第1个关键词")
    snap(page, shots, "10-why-this-keyword")
    assert page.errors == [] and page.dialogs == []


def test_browser_says_why_a_new_word_has_its_weight(page, served, project_dir, shots):
    from caseminer.pipeline.discover import discover_words, explain_word
    from caseminer.project import Project

    with Project.open(project_dir) as p:
        discover_words(p, overrides={"min_freq": 2})
    first = cli_json(project_dir, "discover", "--top", "1", "--no-run")[0]["word"]
    page.goto(served + "/keywords")
    page.click(f'#candidates-table tr[data-word="{first}"] button.explain-button')
    page.wait_for_selector("#explain-panel:not(.hidden)")
    lines = page.locator("#explain-lines li").all_inner_texts()
    assert page.inner_text("#explain-word") == first
    with Project.open(project_dir) as p:  # the workbench's Chinese view: the same sentences in Chinese
        assert lines == explain_word(p, first, lang="zh")["lines"]
    assert lines[0].startswith(f"{first}：在语料新词表中排第 1 位")
    snap(page, shots, "09-why-this-weight")
    assert page.errors == [] and page.dialogs == []


def test_browser_traces_why_a_word_is_not_listed(page, served, project_dir, shots):
    from caseminer.pipeline.corpus import case_texts
    from caseminer.pipeline.discover import discover_words, explain_word, list_candidates
    from caseminer.project import Project

    with Project.open(project_dir) as p:
        discover_words(p, overrides={"min_freq": 2})
        listed = {r["word"] for r in list_candidates(p)}
        texts = list(case_texts(p).values())
        # a string the texts repeat that the list does not hold, nor any listed string contains
        word = next(w for t in texts for w in (t[i:i + 3] for i in range(len(t) - 3))
                    if all("\u4e00" <= ch <= "\u9fff" for ch in w) and w not in listed
                    and sum(x.count(w) for x in texts) >= 2 and not any(w in x for x in listed)
                    and explain_word(p, w, trace=True).get("trace"))
    page.goto(served + "/keywords")
    page.fill("#why-not-word", word)
    page.click("#why-not-form button")
    page.wait_for_selector("#explain-panel:not(.hidden)")
    lines = page.locator("#explain-lines li").all_inner_texts()
    assert page.inner_text("#explain-word") == word and page.inner_text("#explain-title") == "逐步追踪"
    with Project.open(project_dir) as p:  # the workbench's Chinese view: the library's traced sentences
        assert lines == explain_word(p, word, trace=True, lang="zh")["lines"]
    assert any(line.startswith("按上一次运行的设置重新追踪") for line in lines)
    snap(page, shots, "11-why-not-listed")
    assert page.errors == [] and page.dialogs == []


def test_browser_downloads_the_review_workbook_and_brings_it_back_edited(page, served, project_dir, shots, tmp_path):
    # a reviewer who does not use the command line: the workbook from the files page, a
    # decision written in Excel (here openpyxl), the workbook uploaded through the same page
    import openpyxl
    from web_fixtures import fill_in_review_row

    page.click('a[href="/files"]')
    snap(page, shots, "12-files")
    with page.expect_download() as download:
        page.click('a[href="/files/download/review"]')
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "review.xlsx"
    workbook = openpyxl.load_workbook(saved)
    fill_in_review_row(workbook["review"], "gz_workshop", "扶贫车间", decision="rename", new_keyword="扶贫车间模式")
    edited = tmp_path / "审阅-已填写.xlsx"
    workbook.save(edited)
    page.set_input_files("#upload-review input[type=file]", str(edited))
    with page.expect_navigation():
        page.click("#upload-review button[type=submit]")
    assert "已应用工作表“review”中的 1 项决定" in page.inner_text("body")
    snap(page, shots, "13-files-uploaded")
    review = cli_json(project_dir, "review", "list", "--case", "gz_workshop")
    assert any(r["keyword"] == "扶贫车间模式" and r["decided_by"] == "alice" for r in review)
    assert page.errors == [] and page.dialogs == []


def test_browser_shows_the_report_written_from_the_files_page_with_its_styles(page, served, shots):
    page.click('a[href="/files"]')
    with page.expect_navigation():
        page.click('form[action="/files/report"] button[type=submit]')
    assert "报告已生成" in page.inner_text("body")
    with page.context.expect_page() as opened:
        page.click('a[href="/files/report/report.html"]')
    report = opened.value
    report.wait_for_load_state()
    # the report's own stylesheet applies (the workbench's 'self'-only policy would drop it)
    assert "caseminer CJK" in report.evaluate("getComputedStyle(document.body).fontFamily")
    snap(report, shots, "14-report")
    assert page.errors == [] and page.dialogs == []


def test_browser_runs_the_analysis_and_the_page_follows_it_to_its_end(page, served, project_dir, shots):
    page.click('a[href="/pipeline"]')
    with page.expect_navigation():  # the form is posted by app.js, which reloads the page
        page.click('form[action="/pipeline/run"] button[type=submit]')
    assert page.get_attribute("#analysis", "data-state") == "running"
    snap(page, shots, "15-analysis-running")
    # the page asks for the state every two seconds and reloads when the analysis ends
    page.wait_for_selector('#analysis[data-state="done"]', timeout=240_000)
    assert "分析已完成" in page.inner_text("#analysis")
    assert page.locator("#analysis-stages tr").count() == 6
    snap(page, shots, "16-analysis-done")
    extracted = [k for k in cli_json(project_dir, "review", "list") if k["rank"] is not None]
    assert {k["case_id"] for k in extracted} >= {"jx_park", "hn_insurance"}
    assert page.errors == [] and page.dialogs == []


def test_browser_imports_a_folder_of_cases_and_the_analysis_reads_them(page, served, project_dir, shots, tmp_path):
    # a folder chosen in the browser arrives as FOLDER/...: its metadata table is found and its
    # province folders read, as 'caseminer import FOLDER' reads them
    folder = tmp_path / "新案例"
    (folder / "贵州").mkdir(parents=True)
    (folder / "贵州" / "案例甲.txt").write_text("该县建设扶贫车间，吸纳贫困劳动力就近就业。", encoding="utf-8")
    (folder / "案例乙.txt").write_text("该村发展光伏扶贫，村集体经济稳定增收。", encoding="utf-8")
    (folder / "metadata.csv").write_text("file,year\n案例乙.txt,2021\n", encoding="utf-8")
    page.click('a[href="/files"]')
    page.set_input_files("#case-folder", str(folder))
    with page.expect_navigation():
        page.click("#upload-cases button[type=submit]")
    assert "已从 2 个文件导入 2 个案例。案例属性取自 新案例/metadata.csv：" in page.inner_text("body")
    snap(page, shots, "17-cases-added")
    cases = {c["id"]: c for c in cli_json(project_dir, "cases")}
    assert cases["案例甲"]["province"] == "贵州" and cases["案例乙"]["attributes"] == {"year": "2021"}
    assert page.errors == [] and page.dialogs == []


def test_browser_a_study_from_a_new_project_without_the_command_line(browser, tmp_path, demo_dir, shots):
    # README, "A study can be done in the browser after two commands": a new project, the
    # demo cases added as a folder (their metadata table in it), the analysis run, keywords and
    # the province statistics on their pages
    import shutil

    from werkzeug.serving import make_server

    from caseminer.project import Project
    from caseminer.web.app import make_app

    folder = tmp_path / "案例"
    shutil.copytree(demo_dir / "cases", folder)
    shutil.copy(demo_dir / "metadata.csv", folder / "metadata.csv")
    Project.create(tmp_path / "study").close()  # caseminer init study
    server = make_server("127.0.0.1", 0, make_app(tmp_path / "study"), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        page.fill("#coder-input", "alice")
        with page.expect_navigation():
            page.click("#coder-form button[type=submit]")
        page.click('a[href="/files"]')
        page.set_input_files("#case-folder", str(folder))
        with page.expect_navigation():
            page.click("#upload-cases button[type=submit]")
        assert "已从 30 个文件导入 30 个案例" in page.inner_text("body")
        page.click('a[href="/pipeline"]')
        with page.expect_navigation():
            page.click('form[action="/pipeline/run"] button[type=submit]')
        page.wait_for_selector('#analysis[data-state="done"]', timeout=300_000)
        assert "关键词 90 个" in page.inner_text("#analysis-stages")
        with page.expect_navigation():
            page.click('a[href="/keywords"]')
        assert page.locator("#keyword-lists-table tbody tr").count() == 90  # three per case
        with page.expect_navigation():
            page.click('a[href="/stats"]')
        assert "江西" in page.inner_text("body")
        snap(page, shots, "18-study-in-the-browser")
        assert errors == []
    finally:
        context.close()
        server.shutdown()
