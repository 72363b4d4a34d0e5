"""The discovery stage on the demo corpus: step 6 (termhood) applies where the corpus has a
topic, in the corpus list and the case lists, and the run records it and its model."""

import json

from caseminer.pipeline.corpus import import_cases
from caseminer.pipeline.discover import discover_words, list_candidates


def test_discover_stage_records_termhood_and_stores_each_probability(demo_dir, empty_project):
    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    counts = discover_words(project, overrides={"min_freq": 2})
    run = project.last_run("discover")
    settings = json.loads(run["settings"])
    assert counts["topic_seeds"], "the demo cases share a topic"
    assert counts["termhood"] == "policy_zh" and settings["termhood_applied"] is True
    assert settings["termhood_model_meta"]["fitted_on"]  # what the model was fitted on, for the report
    rows = list_candidates(project)
    assert all(0.0 < r["termhood"] < 1.0 for r in rows)
    case_id = project.conn.execute("SELECT id FROM cases ORDER BY id LIMIT 1").fetchone()[0]
    assert all(r["termhood"] is not None for r in list_candidates(project, case_id=case_id))

    counts = discover_words(project, overrides={"min_freq": 2, "termhood": 0})
    assert counts["termhood"] is None and json.loads(project.last_run("discover")["settings"])["termhood_applied"] is False
    assert all(r["termhood"] is None for r in list_candidates(project))
