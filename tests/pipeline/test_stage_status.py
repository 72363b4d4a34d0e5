"""Stage status: a stage is out of date when anything upstream of it, at any distance,
ran or was decided after it; reusable_run adds settings and versions."""

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
    assert states["report"].state == "out of date"


def test_stage_status_reads_decisions_upstream(empty_project):
    project = empty_project
    for stage in ("import", "segment", "discover", "keywords", "stats", "report"):
        _run(project, stage)
    _all_finished_long_ago(project)
    project.record_event("keyword.accept", coder="t", target="c1", payload={"keyword": "扶贫车间"})
    states = _states(project)
    assert states["stats"].reason == "1 keyword decision(s) since"
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


def test_reusable_run_refuses_a_decision_in_the_runs_last_second(empty_project):
    project = empty_project
    for stage in ("import", "segment", "discover"):
        _run(project, stage)
    run_id = _run(project, "keywords")
    _all_finished_long_ago(project)
    assert reusable_run(project, "keywords", {}) == run_id
    event = project.record_event("stopword.confirm", coder="t", payload={"term": "脱贫"})
    with project.transaction() as conn:
        conn.execute("UPDATE events SET at = ? WHERE id = ?", (LONG_AGO, event))
    assert _states(project)["keywords"].state == "up to date"  # status cannot tell within a second
    assert reusable_run(project, "keywords", {}) is None  # reuse is on the safe side
