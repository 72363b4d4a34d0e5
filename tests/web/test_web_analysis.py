"""The analysis started from the workbench's pipeline page: every stage after the import
on the project's cases, in a process of its own, its progress and its end on the page."""

from __future__ import annotations

import re
import time

from web_fixtures import alice, app, bob, make_coder, project_dir, project_template  # noqa: F401 (fixtures)

from caseminer.project import Project

JSON = {"Accept": "application/json"}


def wait_for_end(coder, seconds=240):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = coder.get("/pipeline/run").get_json()
        if state["state"] != "running":
            return state
        time.sleep(0.5)
    raise AssertionError("the analysis did not end")


def runs(project_dir):
    with Project.open(project_dir) as p:
        return dict(p.conn.execute("SELECT stage, COUNT(*) FROM runs WHERE status = 'done' GROUP BY stage"))


def test_the_pipeline_page_runs_the_analysis_in_the_background_and_shows_how_it_ended(alice, bob, project_dir):
    assert alice.get("/pipeline/run").get_json()["state"] == "idle"
    before = runs(project_dir)
    started = alice.post("/pipeline/run", headers=JSON).get_json()
    assert started["ok"] and started["analysis"]["state"] == "running"
    assert started["analysis"]["started_by"] == "alice"
    # one analysis at a time: a second one is refused, naming who started the first
    again = bob.post("/pipeline/run", headers=JSON)
    assert again.status_code == 409 and "alice" in again.get_json()["error"]
    page = alice.get("/pipeline").get_data(as_text=True)
    assert 'data-state="running"' in page and "分析正在运行" in page and " disabled" in page
    state = wait_for_end(alice)
    assert state["state"] == "done", state
    assert [stage for stage, _ in state["stages"]] == ["segment", "discover", "keywords", "normalise", "stats",
                                                      "report"]
    # the summary in the page's language: every stage's result and what waits, in Chinese
    assert any(re.match(r"\d+ 个关键词待审阅：在“新词与关键词”页审阅", item) for item in state["todo"]), state["todo"]
    assert all(re.search("[\u4e00-\u9fff]", text) for text in [*state["todo"], *(r for s, r in state["stages"][:-1])])
    assert "Accept discovered words" not in str(state) and "tokens, domain lexicon" not in str(state)
    english = alice.get("/pipeline/run?lang=en").get_json()
    assert any(re.match(r"\d+ keyword\(s\) await review", item) for item in english["todo"])
    alice.get("/pipeline?lang=zh")
    after = runs(project_dir)
    assert after.get("import") == before.get("import")  # nothing imported
    for stage in ("segment", "discover", "keywords", "stats", "report"):
        assert after[stage] == before.get(stage, 0) + 1, stage
    page = alice.get("/pipeline").get_data(as_text=True)
    assert "分析已完成" in page and 'id="analysis-stages"' in page and "新词发现" in page
    assert re.search(r"分析已完成（\d{4}-\d\d-\d\d \d\d:\d\d，alice 启动）。", page)
    assert alice.get("/files").get_data(as_text=True).count('href="/files/report/') == 3


def test_an_analysis_that_fails_says_why_on_the_page(make_coder, tmp_path):
    from caseminer.web.app import make_app
    from web_fixtures import Coder

    empty = tmp_path / "empty"
    Project.create(empty, coder="setup").close()
    carol = Coder(make_app(empty, secret="s"), "carol")
    assert carol.post("/pipeline/run", headers=JSON).get_json()["ok"]
    state = wait_for_end(carol)
    assert state["state"] == "failed" and state["error"].startswith(f"没有可分析的内容：项目 {empty} 中没有案例。")
    page = carol.get("/pipeline").get_data(as_text=True)
    assert re.search(r"分析失败（[\d: -]+）：没有可分析的内容：项目 ", page)
    assert carol.get("/pipeline/run?lang=en").get_json()["error"].startswith("Nothing to analyse: the project")


def test_starting_the_analysis_needs_a_coder_and_the_token(make_coder, alice):
    assert make_coder(None).post("/pipeline/run", headers=JSON).status_code == 400
    assert alice.post("/pipeline/run", token=False, headers=JSON).status_code == 403
    assert alice.get("/pipeline/run").get_json()["state"] == "idle"
