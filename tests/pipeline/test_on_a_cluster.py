"""Segmentation and discovery of a project on a Dask cluster (two worker processes on
this machine, reached by its scheduler's address as a remote cluster would be): the same
tokens and lists as on this machine, and the run records where the work ran."""

from __future__ import annotations

import json
import sys

import pytest

from caseminer.errors import BackendMissing, InvalidInput
from caseminer.pipeline.cluster import connected, dask_client
from caseminer.pipeline.corpus import import_cases
from caseminer.pipeline.discover import discover_words, list_candidates

distributed = pytest.importorskip("distributed")

# Shards of 5,000 characters: the demo corpus makes several. The form-only termhood model
# and no kinship keep the test short (the embedding model is not what is tested here).
FAST = {"min_freq": 2, "shard_chars": 5000, "termhood_model": "policy_zh_form", "semantic": 0}


@pytest.fixture(scope="module")
def scheduler():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=40) as cluster:
        yield cluster.scheduler_address


def _lists(project) -> dict:
    scopes = [r[0] for r in project.conn.execute("SELECT DISTINCT scope FROM candidates ORDER BY scope")]
    return {scope: [(r["word"], r["weight"], r["freq"], r["docfreq"])
                    for r in list_candidates(project, case_id=None if scope == "*" else scope)]
            for scope in scopes}


def test_discovery_on_a_cluster_stores_the_same_lists(demo_dir, empty_project, scheduler):
    project = empty_project
    import_cases(project, [demo_dir / "cases"], meta=demo_dir / "metadata.csv")
    discover_words(project, overrides=FAST)
    here = _lists(project)
    assert json.loads(project.last_run("discover")["settings"])["ran_on"] == "this machine, 1 process"
    discover_words(project, overrides={**FAST, "n_jobs": 2})
    assert _lists(project) == here
    assert json.loads(project.last_run("discover")["settings"])["ran_on"] == "this machine, 2 processes"
    with distributed.Client(scheduler) as client:
        discover_words(project, overrides=FAST, executor=client)
    assert _lists(project) == here and len(here) > 1 and here["*"]
    ran_on = json.loads(project.last_run("discover")["settings"])["ran_on"]
    assert ran_on == f"dask {scheduler} (2 workers)"


def test_cli_segment_discover_and_keywords_take_a_scheduler(cli, tmp_path, demo_dir, scheduler):
    p = tmp_path / "p"
    cli("init", p)
    cli("-p", p, "import", demo_dir / "cases", "--meta", demo_dir / "metadata.csv")
    assert cli("-p", p, "segment", "--jobs", "1").exit_code == 0
    here = tmp_path / "corpus-list.csv"
    from caseminer.pipeline.segment import case_tokens
    from caseminer.project import Project

    with Project.open(p) as project:
        tokens_here = case_tokens(project)
    result = cli("-p", p, "segment", "--scheduler", scheduler)
    assert result.exit_code == 0, result.output
    with Project.open(p) as project:
        assert case_tokens(project) == tokens_here
        assert json.loads(project.last_run("segment")["settings"])["ran_on"].startswith(f"dask {scheduler}")
    result = cli("-p", p, "discover", "--scheduler", scheduler, "--semantic", "0",
                 "--termhood-model", "policy_zh_form", "--top", "5", "--format", "csv", "--out", here)
    assert result.exit_code == 0, result.output
    assert here.read_text(encoding="utf-8-sig").startswith("word,")
    keywords = {}
    for where in (("--jobs", "1"), ("--jobs", "2"), ("--scheduler", scheduler)):
        result = cli("-p", p, "keywords", "--rerun", *where, "--format", "json")
        assert result.exit_code == 0, result.output
        keywords[where] = json.loads(result.stdout)
        with Project.open(p) as project:
            ran_on = json.loads(project.last_run("keywords")["settings"])["ran_on"]
        assert ran_on == {"1": "this machine, 1 process", "2": "this machine, 2 processes"}.get(where[1], ran_on)
    assert ran_on.startswith(f"dask {scheduler}")
    first, *others = keywords.values()
    assert first and all(other == first for other in others)


def test_cli_with_no_scheduler_at_the_address_says_how_to_start_one(cli, tmp_path, demo_dir):
    p = tmp_path / "p"
    cli("init", p)
    cli("-p", p, "import", demo_dir / "cases")
    result = cli("-p", p, "segment", "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 1
    assert "No Dask scheduler answered at tcp://127.0.0.1:9" in result.output and "dask scheduler" in result.output
    from caseminer.project import Project

    with Project.open(p) as project:
        assert project.last_run("segment") is None  # nothing was run, nothing recorded


def test_without_distributed_the_scheduler_option_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(BackendMissing) as info:
        dask_client("tcp://127.0.0.1:8786")
    assert info.value.code == "E309" and "pip install 'caseminer[dask]'" in str(info.value)


def test_no_scheduler_at_the_address_is_a_clear_error():
    with pytest.raises(InvalidInput) as info:
        with connected("tcp://127.0.0.1:9", timeout=1):
            pass
    assert info.value.code == "E310" and "tcp://127.0.0.1:9" in str(info.value) and "dask scheduler" in str(info.value)


def test_connected_to_no_address_is_this_machine():
    with connected(None) as executor:
        assert executor is None
