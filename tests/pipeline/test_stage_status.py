"""Stage status: a stage is out of date when anything upstream of it, at any distance,
ran or was decided after it; reusable_run adds settings and versions."""

import json

import pytest

from caseminer.pipeline import reusable_run, stage_status

LONG_AGO = "2000-01-01T00:00:00+00:00"


def _run(project, stage, settings=None):
    with project.run(stage, settings or {}) as run:
        pass
    return run.id


def _states(project):
    return {s.stage.name: s for s in stage_status(project)}


def _all_finished_long_ago(project):
    # Times are kept to the second; a decision made "after" a run must be later than it.
    with project.transaction() as conn:
        conn.execute("UPDATE runs SET finished_at = ?", (LONG_AGO,))


def test_stage_status_reads_runs_upstream_at_any_distance(empty_project):
    project = empty_project
    for stage in ("import", "segment", "discover", "keywords", "stats", "report"):
        _run(project, stage)
    states = _states(project)
    assert {n for n, s in states.items() if s.state == "up to date"} == {
        "import", "segment", "discover", "keywords", "stats", "report"}
    assert states["autocode"].state == "not run"
    _run(project, "import")  # a case came in: everything after import reads stale input
    states = _states(project)
    assert states["segment"].reason == "import ran after it"
    assert states["keywords"].state == "out of date" and states["keywords"].reason == "import ran after it"
    # in Chinese, for the workbench and the accounts written in Chinese
    assert (states["keywords"].reason_in("zh"), states["keywords"].reason_in("en")) == ("导入在其后又运行过",
                                                                                       "import ran after it")
    assert states["report"].state == "out of date"


def test_stage_status_reads_decisions_upstream(empty_project):
    project = empty_project
    for stage in ("import", "segment", "discover", "keywords", "stats", "report"):
        _run(project, stage)
    _all_finished_long_ago(project)
    project.record_event("keyword.accept", coder="t", target="c1", payload={"keyword": "扶贫车间"})
    states = _states(project)
    assert states["stats"].reason == "1 keyword decision(s) since"
    assert states["stats"].reason_in("zh") == "此后又有 1 项关键词审阅决定"
    assert states["report"].reason == "1 keyword decision(s) since"  # the report shows the stats
    assert states["keywords"].state == "up to date"  # review decisions do not change extraction


def test_reusable_run_needs_same_settings_and_versions(empty_project):
    project = empty_project
    _run(project, "import")
    run_id = _run(project, "discover", {"min_freq": 2, "n_jobs": 2})
    assert reusable_run(project, "discover", {"min_freq": 2, "n_jobs": 1}) == run_id  # n_jobs: speed only
    assert reusable_run(project, "discover", {"min_freq": 3}) is None
    with project.transaction() as conn:
        conn.execute("UPDATE runs SET versions = ? WHERE id = ?", ('{"caseminer": "0.0.1"}', run_id))
    assert reusable_run(project, "discover", {"min_freq": 2}) is None
    assert reusable_run(project, "keywords", {}) is None  # never ran


def test_status_sees_a_decision_in_the_runs_last_second(empty_project):
    project = empty_project
    for stage in ("import", "segment", "discover"):
        _run(project, stage)
    run_id = _run(project, "keywords")
    assert reusable_run(project, "keywords", {}) == run_id
    # Made in the same second the run finished: the run records the last event it read, so
    # status still tells the decision is newer.
    event = project.record_event("stopword.confirm", coder="t", payload={"term": "脱贫"})
    with project.transaction() as conn:
        conn.execute("UPDATE events SET at = (SELECT finished_at FROM runs WHERE id = ?) WHERE id = ?",
                     (run_id, event))
    assert _states(project)["keywords"].reason == "1 stopword decision(s) since"
    assert reusable_run(project, "keywords", {}) is None


def test_status_of_a_run_recorded_before_runs_kept_their_last_event(empty_project):
    project = empty_project
    for stage in ("import", "segment", "discover"):
        _run(project, stage)
    run_id = _run(project, "keywords")
    _all_finished_long_ago(project)
    with project.transaction() as conn:
        conn.execute("UPDATE runs SET events_seen = NULL")  # as a project of an older caseminer
    assert reusable_run(project, "keywords", {}) == run_id
    event = project.record_event("stopword.confirm", coder="t", payload={"term": "脱贫"})
    with project.transaction() as conn:
        conn.execute("UPDATE events SET at = ? WHERE id = ?", (LONG_AGO, event))
    assert _states(project)["keywords"].state == "up to date"  # times cannot tell within a second
    assert reusable_run(project, "keywords", {}) is None  # reuse is on the safe side
    with project.transaction() as conn:
        conn.execute("UPDATE events SET at = ? WHERE id = ?", ("2001-01-01T00:00:00+00:00", event))
    assert _states(project)["keywords"].reason == "1 stopword decision(s) since"


def _one_case_and_segmentation_that(project, monkeypatch, meanwhile):
    """A project of one imported case whose segmentation calls ``meanwhile()`` after it
    computes and before it stores; returns the real ``segment_many`` to put back."""
    from caseminer.pipeline import segment as segment_stage
    from caseminer.pipeline.corpus import import_cases

    path = project.path / "cases.csv"
    path.write_text("id,text\na,县里建设扶贫车间，扶贫车间吸纳就业。\n", encoding="utf-8")
    import_cases(project, [path])
    real = segment_stage.segment_many

    def segment_then(*args, **kwargs):
        tokens = real(*args, **kwargs)
        meanwhile()
        return tokens

    monkeypatch.setattr(segment_stage, "segment_many", segment_then)
    return real


def test_a_decision_made_while_a_stage_computes_is_one_it_has_not_seen(empty_project, monkeypatch):
    from caseminer.pipeline import segment as segment_stage

    project = empty_project
    real = _one_case_and_segmentation_that(
        project, monkeypatch, lambda: project.record_event("lexicon.add", coder="t", payload={"word": "扶贫车间"}))
    segment_stage.segment_cases(project)
    assert _states(project)["segment"].reason == "1 lexicon decision(s) since"
    monkeypatch.setattr(segment_stage, "segment_many", real)
    segment_stage.segment_cases(project)
    assert _states(project)["segment"].state == "up to date"


def test_a_run_starts_when_its_stage_reads_its_inputs_not_when_it_stores(empty_project, monkeypatch):
    import caseminer.project as project_module
    from caseminer.pipeline import segment as segment_stage

    project = empty_project
    clock = ["2030-01-01T08:00:00+00:00"]
    _one_case_and_segmentation_that(project, monkeypatch, lambda: clock.__setitem__(0, "2030-01-01T09:00:00+00:00"))
    monkeypatch.setattr(project_module, "now", lambda: clock[0])  # after the import: only segmentation reads it
    segment_stage.segment_cases(project)
    run = project.last_run("segment")
    assert (run["started_at"], run["finished_at"]) == ("2030-01-01T08:00:00+00:00", "2030-01-01T09:00:00+00:00")


def _failed_runs(project):
    return [dict(r) for r in project.conn.execute("SELECT * FROM runs WHERE status='failed' ORDER BY id")]


def test_a_stage_that_fails_while_it_computes_records_the_failed_attempt(empty_project, monkeypatch):
    from caseminer.pipeline import segment as segment_stage

    project = empty_project
    real = _one_case_and_segmentation_that(project, monkeypatch, lambda: None)
    segment_stage.segment_cases(project)
    tokens_before = project.conn.execute("SELECT case_id, run_id, tokens FROM tokens").fetchall()

    def crash(*args, **kwargs):
        raise MemoryError("out of memory in shard 2")

    monkeypatch.setattr(segment_stage, "segment_many", crash)
    with pytest.raises(MemoryError):
        segment_stage.segment_cases(project, overrides={"hmm": True})
    [failed] = _failed_runs(project)
    assert failed["stage"] == "segment" and '"hmm": true' in failed["settings"]
    assert "MemoryError: out of memory in shard 2" in failed["counts"] and failed["started_at"] <= failed["finished_at"]
    # nothing else changed: the earlier run's tokens stand, and status says both
    assert project.conn.execute("SELECT case_id, run_id, tokens FROM tokens").fetchall() == tokens_before
    status = _states(project)["segment"]
    assert status.state == "up to date" and status.failed_at == failed["finished_at"]
    assert status.failure == "MemoryError: out of memory in shard 2"
    # an interruption (Ctrl-C) is one too; a run that finishes since clears the note
    monkeypatch.setattr(segment_stage, "segment_many", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        segment_stage.segment_cases(project)
    assert _states(project)["segment"].failure == "interrupted (KeyboardInterrupt)"
    monkeypatch.setattr(segment_stage, "segment_many", real)
    segment_stage.segment_cases(project)
    assert _states(project)["segment"].failed_at is None and len(_failed_runs(project)) == 2


def test_a_failure_while_a_run_stores_is_recorded_once(empty_project, monkeypatch):
    from caseminer.pipeline import segment as segment_stage

    project = empty_project
    _one_case_and_segmentation_that(project, monkeypatch, lambda: None)
    monkeypatch.setattr(segment_stage, "encode_tokens", lambda tokens: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        segment_stage.segment_cases(project)
    [failed] = _failed_runs(project)
    assert "ZeroDivisionError" in failed["counts"] and '"lexicon_words"' in failed["settings"]  # the run's record
    assert project.conn.execute("SELECT COUNT(*) FROM tokens").fetchone()[0] == 0
    status = _states(project)["segment"]
    assert status.state == "not run" and status.failure.startswith("ZeroDivisionError")


def test_a_refusal_is_no_failed_attempt(empty_project):
    from caseminer.errors import StageNotRun
    from caseminer.pipeline.keywords import extract_case_keywords

    with pytest.raises(StageNotRun):  # keywords before discovery: the message says what to run
        extract_case_keywords(empty_project)
    assert _failed_runs(empty_project) == [] and _states(empty_project)["keywords"].failed_at is None


def test_cli_status_says_the_last_attempt_failed(cli, tmp_path, monkeypatch):
    from caseminer.pipeline import segment as segment_stage

    project = tmp_path / "p"
    cli("init", project)
    cases = tmp_path / "cases.csv"
    cases.write_text("id,text\na,县里建设扶贫车间，扶贫车间吸纳就业。\n", encoding="utf-8")
    assert cli("-p", project, "import", cases).exit_code == 0

    def crash(*args, **kwargs):
        raise RuntimeError("worker process died")

    monkeypatch.setattr(segment_stage, "segment_many", crash)
    with pytest.raises(RuntimeError):  # the in-process runner lets a crash through
        cli("-p", project, "segment")
    table = cli("-p", project, "status").output  # its note column wraps
    assert "last attempt failed" in " ".join(line.split("│")[-2].strip() for line in table.splitlines()
                                             if line.count("│") > 2)
    [stage] = [s for s in json.loads(cli("-p", project, "status", "--format", "json").output)["stages"]
               if s["stage"] == "segment"]
    assert stage["state"] == "not run" and stage["note"].startswith("last attempt failed ")
    assert stage["last failure"]["error"] == "RuntimeError: worker process died"
    # the log of runs, newest first, and one run's settings and versions
    failed, imported = json.loads(cli("-p", project, "status", "--history", "--format", "json").output)
    assert (failed["stage"], failed["status"], imported["stage"], imported["status"]) == \
        ("segment", "failed", "import", "done")
    assert failed["counts"] == {"error": "RuntimeError: worker process died"} and failed["settings"]["hmm"] is False
    assert [r["stage"] for r in json.loads(cli("-p", project, "status", "--history", "--stage", "import",
                                                "--format", "json").output)] == ["import"]
    shown = cli("-p", project, "status", "--run", str(imported["id"])).output
    assert "Run 1: import, done" in shown and "imported = 1" in shown and "jieba = " in shown
    missing = cli("-p", project, "status", "--run", "99")
    assert missing.exit_code != 0 and "No run with id 99" in missing.output + (missing.stderr or "")


def test_a_project_of_an_older_caseminer_is_migrated_and_its_runs_judged_by_time(tmp_path):
    import sqlite3

    from caseminer.project import DB_NAME, Project
    from caseminer.store.migrations import _statements
    from caseminer.store.schema import MIGRATIONS

    Project.create(tmp_path / "p").conn.close()
    db = tmp_path / "p" / DB_NAME
    db.unlink()
    conn = sqlite3.connect(db)  # the schema before runs kept the last event they read
    for _name, sql in MIGRATIONS[:-1]:
        for statement in _statements(sql):
            conn.execute(statement)
    conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (str(len(MIGRATIONS) - 1),))
    conn.execute("INSERT INTO runs(stage, started_at, finished_at, status) VALUES ('import', ?, ?, 'done')",
                 (LONG_AGO, LONG_AGO))
    conn.commit()
    conn.close()
    project = Project.open(tmp_path / "p")
    assert project.last_run("import")["events_seen"] is None
    _run(project, "segment")
    assert project.last_run("segment")["events_seen"] == 0
    assert _states(project)["segment"].state == "up to date"


def test_every_run_records_the_caseminer_build_that_made_it(empty_project, cli, tmp_path):
    # The version number alone (0.1.0) does not tell two builds apart; the build does, and a
    # stored run made by another build is neither reused nor shown without saying so.
    from caseminer.project import BUILD_KEY, caseminer_build, library_versions

    build = caseminer_build()
    assert len(build) == 12 and int(build, 16) >= 0 and library_versions()[BUILD_KEY] == build
    project = empty_project
    run_id = _run(project, "import", {"files": 1})
    versions = json.loads(project.conn.execute("SELECT versions FROM runs WHERE id = ?", (run_id,)).fetchone()[0])
    assert versions[BUILD_KEY] == build and versions["caseminer"]
    assert reusable_run(project, "import", {"files": 1}) == run_id
    status = _states(project)["import"]
    assert status.build == build and not status.other_build
    with project.transaction() as conn:
        conn.execute("UPDATE runs SET versions = json_set(versions, '$.\"caseminer build\"', 'abcdefabcdef')")
    assert reusable_run(project, "import", {"files": 1}) is None
    assert _states(project)["import"].other_build and _states(project)["import"].state == "up to date"
    with project.transaction() as conn:  # a run recorded before runs recorded their build
        conn.execute("UPDATE runs SET versions = json_remove(versions, '$.\"caseminer build\"')")
    assert reusable_run(project, "import", {"files": 1}) is None and _states(project)["import"].build is None
    # caseminer status says which build made a result
    folder = tmp_path / "p"
    cli("init", folder)
    cases = tmp_path / "cases.csv"
    cases.write_text("id,text\na,县里建设扶贫车间，扶贫车间吸纳就业。\n", encoding="utf-8")
    assert cli("-p", folder, "import", cases).exit_code == 0
    shown = json.loads(cli("-p", folder, "status", "--format", "json").output)
    assert shown["caseminer build"] == build and shown["stages"][0]["build"] == build
    assert "made by" not in shown["stages"][0]["note"]
    import sqlite3

    with sqlite3.connect(folder / "caseminer.sqlite") as conn:
        conn.execute("UPDATE runs SET versions = json_set(versions, '$.\"caseminer build\"', 'abcdefabcdef')")
    [imported] = [s for s in json.loads(cli("-p", folder, "status", "--format", "json").output)["stages"]
                  if s["stage"] == "import"]
    assert imported["note"] == f"made by caseminer build abcdefabcdef (installed: {build})"


def test_the_methods_say_when_stages_ran_with_different_builds(empty_project):
    from caseminer.project import caseminer_build
    from caseminer.report.collect import _methods

    project = empty_project
    _run(project, "import")
    _run(project, "segment", {"backend": "jieba"})
    assert f"(build {caseminer_build()}; Python" in _methods(project)[0]
    with project.transaction() as conn:
        conn.execute("UPDATE runs SET versions = json_set(versions, '$.\"caseminer build\"', 'abcdefabcdef') "
                     "WHERE stage = 'import'")
    first = _methods(project)[0]
    builds = ", ".join(sorted(["abcdefabcdef", caseminer_build()]))
    assert "(build " not in first and f"its stages ran with 2 builds of caseminer ({builds})" in first
