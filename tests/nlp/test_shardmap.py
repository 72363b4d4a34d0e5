"""The map over shards on an executor (:mod:`caseminer.nlp.shardmap`): a thread or
process pool, and a real Dask cluster of two worker processes on this machine. The
stages' results must not depend on where their shards ran."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from caseminer.errors import InvalidInput, InvalidSetting
from caseminer.nlp import discovery as d
from caseminer.nlp import shardmap
from caseminer.nlp.lexicon import jieba_lexicon
from caseminer.nlp.keyterms import extract_keywords, load_background_idf
from caseminer.nlp.lexicon import jieba_tags
from caseminer.nlp.segmenters import SegmentSettings, segment_many
from caseminer.nlp.stopwords import load_starter_list

from test_discovery import LONG_TERM, make_cases  # (tests/nlp is on the path: pytest prepends it)


def _scaled(shared, item):
    return shared["factor"] * item


def _fails_on_three(ran, item):
    ran.append(item)
    if item == 3:
        raise ValueError("shard 3 is bad")
    time.sleep(0.05)
    return item


def test_map_unordered_runs_every_item_with_the_shared_state():
    with ThreadPoolExecutor(2) as executor:
        got = list(shardmap.map_unordered(_scaled, {"factor": 3}, range(20), executor))
    assert sorted(got) == [3 * i for i in range(20)]


def test_map_unordered_draws_items_only_as_tasks_finish():
    drawn = []
    lock = threading.Lock()

    def items():
        for i in range(30):
            with lock:
                drawn.append(i)
            yield i

    with ThreadPoolExecutor(2) as executor:
        results = shardmap.map_unordered(_scaled, {"factor": 1}, items(), executor, window=3)
        first = next(results)
        # three in flight, and one more drawn as the first finished
        assert first in range(4) and len(drawn) == 4
        assert sorted([first, *results]) == list(range(30))


def test_map_unordered_raises_a_task_error_and_cancels_the_rest():
    ran = []
    with ThreadPoolExecutor(1) as executor:
        with pytest.raises(ValueError, match="shard 3 is bad"):
            list(shardmap.map_unordered(_fails_on_three, ran, range(50), executor, window=4))
    # one worker, four in flight: the error comes back by the time the fifth or so has
    # started; the tasks still waiting were cancelled, and no more were drawn
    assert 3 in ran and len(ran) < 10


def test_an_object_that_cannot_run_a_map_is_refused_before_any_work():
    with pytest.raises(InvalidInput) as info:
        d.discover(["扶贫车间"] * 3, executor="tcp://127.0.0.1:8786")
    assert info.value.code == "E308" and "str" in str(info.value) and "ProcessPoolExecutor" in str(info.value)
    with pytest.raises(InvalidInput):
        segment_many(["扶贫车间"], executor=object())


def test_where_the_map_ran():
    assert shardmap.where(None, 1) == "this machine, 1 process"
    assert shardmap.where(None, 2) == "this machine, 2 processes"
    with ThreadPoolExecutor(1) as executor:
        assert shardmap.where(executor, 1) == "ThreadPoolExecutor"


def test_chunks_are_contiguous_and_cover_everything():
    assert shardmap.chunks(list(range(10)), 4) == [[0, 1, 2], [3, 4, 5], [6, 7], [8, 9]]
    assert shardmap.chunks([1, 2], 8) == [[1], [2]]
    assert shardmap.chunks([], 3) == []


def test_discovery_uses_at_most_one_process_per_shard():
    texts = ["扶贫车间" * 150] * 5  # 600 characters each: shards of 2, 2 and 1 texts at 1,000
    assert d.local_processes(texts, d.DiscoverSettings(n_jobs=4, shard_chars=1000)) == 3
    assert d.local_processes(texts, d.DiscoverSettings(n_jobs=2, shard_chars=1000)) == 2
    assert d.local_processes(texts, d.DiscoverSettings(n_jobs=4)) == 1


def _key(found):
    return [(c.word, c.weight, c.freq, c.docfreq, c.topicality) for c in found]


# Shards of 1,000 characters: the 80 made-up cases make a dozen, and every pass (the
# counts, the segments, step 2d's spans, step 5's topic) runs over them.
SHARDED = d.DiscoverSettings(min_freq=3, shard_chars=1000)


@pytest.fixture(scope="module")
def long_cases():
    return make_cases(seed=3, term=LONG_TERM)


@pytest.fixture(scope="module")
def in_process(long_cases):
    return d.discover(long_cases, SHARDED, lexicon=jieba_lexicon(), n_jobs=1)


def test_discovery_on_a_process_pool_equals_one_process(long_cases, in_process):
    assert any(c.span for c in in_process) or any(c.topicality is not None for c in in_process)
    with ProcessPoolExecutor(2) as executor:  # every pass's state is pickled, not inherited
        pooled = d.discover(long_cases, SHARDED, lexicon=jieba_lexicon(), executor=executor)
    assert _key(pooled) == _key(in_process)


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        yield client


def test_discovery_on_a_dask_cluster_equals_one_process(long_cases, in_process, dask_cluster):
    on_dask = d.discover(long_cases, SHARDED, lexicon=jieba_lexicon(), executor=dask_cluster)
    assert _key(on_dask) == _key(in_process)
    assert LONG_TERM in {c.word for c in on_dask}
    # nothing is left behind on the cluster: the shared state of each pass is released. The
    # client's release messages reach the scheduler asynchronously, so it may still list the
    # last pass's keys for a moment (a check right away failed once in CI).
    deadline = time.monotonic() + 30
    while dask_cluster.who_has() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not dask_cluster.who_has()
    assert shardmap.describe(dask_cluster).startswith("dask tcp://127.0.0.1:")


def test_segmentation_on_a_dask_cluster_equals_one_process(long_cases, dask_cluster):
    settings = SegmentSettings(backend="jieba")
    words = {LONG_TERM: "n_new", "扶贫车间": "n_new"}
    one = segment_many(long_cases, settings, words, n_jobs=1)
    on_dask = segment_many(long_cases, settings, words, executor=dask_cluster)
    assert on_dask == one
    assert any(t.word == LONG_TERM and t.pos == "n_new" for tokens in on_dask for t in tokens)
    # other words, another segmenter: a worker builds it again, it does not reuse the last
    fewer = segment_many(long_cases, settings, {}, executor=dask_cluster)
    assert fewer == segment_many(long_cases, settings, {}, n_jobs=1) != one


@pytest.fixture(scope="module")
def demo_cases():
    from conftest import DEMO

    paths = sorted((DEMO / "cases").glob("*.txt"))
    if not paths:
        pytest.skip("demo corpus not present")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in paths}
    tokens = segment_many(list(texts.values()), SegmentSettings(backend="jieba"))
    return dict(zip(texts, tokens)), texts


def _keywords(demo_cases, **where):
    tokens, texts = demo_cases
    return extract_keywords(tokens, texts, stopwords=load_starter_list(), background_idf=load_background_idf(),
                            lexicon=jieba_tags(), **where)


def test_keywords_do_not_depend_on_where_the_cases_were_scored(demo_cases, dask_cluster):
    one = _keywords(demo_cases)
    assert list(one) == list(demo_cases[1]) and sum(map(len, one.values())) == 3 * len(one)
    assert _keywords(demo_cases, n_jobs=2) == one  # forked workers
    with ProcessPoolExecutor(2) as executor:  # the shared corpus statistics pickled
        assert _keywords(demo_cases, executor=executor) == one
    assert _keywords(demo_cases, executor=dask_cluster) == one


def test_keywords_bad_jobs_or_executor_is_a_clear_error(demo_cases):
    with pytest.raises(InvalidSetting, match="n_jobs"):
        _keywords(demo_cases, n_jobs=0)
    with pytest.raises(InvalidInput, match="keywords"):
        _keywords(demo_cases, executor=4)
