"""Tests of discovery step 2d (caseminer.nlp.inner_spans) on hand-built texts (issue 3).

All texts here are written for these tests (no corpus text is copied).
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from caseminer.nlp import discovery as d
from caseminer.nlp import inner_spans
from caseminer.nlp.lexicon import Background, jieba_lexicon, jieba_tags

SUBJECTS = ["县里", "镇上", "村民", "记者", "干部", "老人", "妇女", "孩子", "企业", "学校"]
VERBS = ["看到", "修好", "参观", "走进", "建起", "说起", "想到", "找到", "种下", "搬进"]
OBJECTS = ["新房", "公路", "果园", "大棚", "水渠", "广场", "茶园", "工厂", "小河", "菜地"]
# A term written only inside formulas, each time in another frame: a common verb on its
# left (发生, 防止), and different words or an end on its right.
FRAMES = ["确保不发生产业融合返贫", "坚决防止产业融合返贫底线", "守住不发生产业融合返贫的底线",
          "严防发生产业融合返贫现象", "防止产业融合返贫风险"]


def _filler(rng: random.Random) -> str:
    return rng.choice(SUBJECTS) + rng.choice(VERBS) + rng.choice(OBJECTS)


def formula_cases(seed: int = 0, n: int = 120) -> list[str]:
    rng = random.Random(seed)
    return ["，".join([_filler(rng), FRAMES[i % len(FRAMES)], _filler(rng)]) + "。" for i in range(n)]


SMALL = d.DiscoverSettings(min_freq=3)


@pytest.fixture(scope="module")
def stats():
    return d.corpus_stats(formula_cases(), SMALL)


def _spans(stats, known=()):
    lexicon = jieba_lexicon()
    spans = inner_spans.inner_spans(
        stats.segments, split=Background(lexicon).best_split, tags=jieba_tags(), lexicon=lexicon,
        known=set(known), n_texts=stats.n_texts, min_freq=6, stop_chars=d.STOP_FIRST | d.STOP_LAST)
    return {} if spans is None else dict(zip(spans.words(), spans.freq.tolist()))


def test_a_term_written_only_inside_formulas_is_no_segment_candidate(stats):
    plain = {c.word for c in d.score(stats, SMALL, lexicon=jieba_lexicon())}
    assert "产业融合返贫" not in plain  # what step 2d is for


def test_inner_spans_find_the_term_in_its_frames(stats):
    spans = _spans(stats)
    assert spans.get("产业融合返贫", 0) >= 100  # every formula holds it


def test_inner_spans_skip_known_candidates(stats):
    assert "产业融合返贫" not in _spans(stats, known={"产业融合返贫"})


def test_inner_spans_do_not_count_pieces_of_words(stats):
    # a span starts and ends with whole words: never inside 融合 or 底线
    spans = _spans(stats)
    assert not any(s.endswith("底") or s.startswith("合") for s in spans)
    # Where a one-character content word follows, the span is a piece of a longer word and
    # that occurrence does not count: split 底线 into 底|线, and the frame 坚决防止…底线 (a
    # fifth of the cases) no longer counts for the term, while 守住…的底线 (的 a particle) does.
    lexicon = jieba_lexicon()
    model = Background(lexicon)

    def split(word):
        parts = []
        for part in model.best_split(word):
            parts += list(part) if part == "底线" else [part]
        return parts

    pieces = inner_spans.inner_spans(
        stats.segments, split=split, tags={**jieba_tags(), "底": "n", "线": "n"}, lexicon=lexicon, known=set(),
        n_texts=stats.n_texts, min_freq=6, stop_chars=d.STOP_FIRST | d.STOP_LAST)
    counted = dict(zip(pieces.words(), pieces.freq.tolist()))
    assert spans["产业融合返贫"] == 120  # all five frames
    assert counted["产业融合返贫"] == 120 - 24  # the 24 cases of 坚决防止…底线 no longer count


def test_step_2d_adds_the_term_and_not_its_frames():
    cases = formula_cases()
    lexicon = jieba_lexicon()
    stats = d.corpus_stats(cases, SMALL)
    plain = d.score(stats, SMALL, lexicon=lexicon)
    seeds = ["返贫"]  # the topic of these texts
    on = {c.word: c for c in d.weigh_topical([*plain], cases, stats, SMALL, seeds=seeds, lexicon=lexicon,
                                              termhood=None)}
    off = {c.word for c in d.weigh_topical([*plain], cases, stats, replace(SMALL, inner_spans=False), seeds=seeds,
                                           lexicon=lexicon)}
    assert "产业融合返贫" in on and "产业融合返贫" not in off
    term = on["产业融合返贫"]
    assert term.weight > 10.83 and term.left_entropy >= inner_spans.MIN_ENTROPY
    # the term outweighs any span that keeps a frame's verb (the verb phrase is no term)
    phrases = [on[w] for w in ("发生产业融合返贫", "防止产业融合返贫") if w in on]
    assert all(p.weight < term.weight for p in phrases)


def test_step_2d_needs_the_lexicon():
    cases = formula_cases()
    stats = d.corpus_stats(cases, SMALL)
    plain = d.score(stats, SMALL, lexicon=jieba_lexicon())
    found = {c.word for c in d.weigh_topical([*plain], cases, stats, SMALL, seeds=["返贫"])}
    assert "产业融合返贫" not in found  # without a lexicon there are no words to span
