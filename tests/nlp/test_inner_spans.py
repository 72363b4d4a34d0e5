"""Tests of discovery step 2d (caseminer.nlp.inner_spans) on hand-built texts (issue 3), and of
the cohesion floor its spans share with step 2b's compounds of a segment and a one-character head.

All texts here are written for these tests (no corpus text is copied).
"""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from caseminer.nlp import discovery as d
from caseminer.nlp import inner_spans
from caseminer.nlp import ngrams as ng
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


def _runs(cases):
    ids, doc = ng.encode(cases)
    return list(inner_spans.han_runs(ids, doc))


def _spans(cases, known=(), split=None, tags=None, min_freq=6):
    """Step 2d's spans of ``cases`` -> occurrences, as discovery counts them."""
    lexicon = jieba_lexicon()
    args = {"split": split or Background(lexicon).best_split, "tags": tags or jieba_tags(), "lexicon": lexicon}
    counts = inner_spans.count_spans(_runs(cases), **args)
    chosen = inner_spans.choose(counts, known=set(known), min_freq=min_freq)
    return {w: counts.freq[w] for w in chosen}


def test_a_term_written_only_inside_formulas_is_no_segment_candidate(stats):
    plain = {c.word for c in d.score(stats, SMALL, lexicon=jieba_lexicon())}
    assert "产业融合返贫" not in plain  # what step 2d is for


def test_inner_spans_find_the_term_in_its_frames():
    assert _spans(formula_cases())["产业融合返贫"] == 120  # every formula holds it


def test_inner_spans_skip_known_candidates():
    assert "产业融合返贫" not in _spans(formula_cases(), known={"产业融合返贫"})


def test_inner_spans_do_not_count_pieces_of_words():
    # a span starts and ends with whole words: never inside 融合 or 底线
    spans = _spans(formula_cases())
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

    counted = _spans(formula_cases(), split=split, tags={**jieba_tags(), "底": "n", "线": "n"})
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


def test_han_runs_keep_each_runs_text():
    runs = _runs(["扶贫车间, Plan B 建成。", "", "乡村振兴１２３示范"])
    assert runs == [(0, "扶贫车间"), (0, "建成"), (2, "乡村振兴"), (2, "示范")]
    # only the runs that hold a given position (the second pass reads those alone)
    ids, doc = ng.encode(["扶贫车间, Plan B 建成。", "", "乡村振兴１２３示范"])
    at = [i for i, x in enumerate(ids.tolist()) if x == ng.encode_ids(["建"])[0]]
    assert list(inner_spans.han_runs(ids, doc, np.array(at))) == [(0, "建成")]


def test_a_span_ending_in_a_common_verb_is_a_clause():
    # 纳入 (a verb the lexicon counts over a thousand times) closes a clause, not a term;
    # the term before it still counts
    cases = [_filler(random.Random(i)) + "，产业融合返贫群体纳入监测。" for i in range(12)]
    spans = _spans(cases)
    assert spans["产业融合返贫群体"] == 12
    assert not any(w.endswith("纳入") for w in spans)


def test_counts_do_not_depend_on_the_shards():
    cases = formula_cases(seed=3, n=60)
    lexicon = jieba_lexicon()
    args = {"split": Background(lexicon).best_split, "tags": jieba_tags(), "lexicon": lexicon}
    whole = inner_spans.count_spans(_runs(cases), **args)
    parts = []
    for k in range(0, 60, 7):  # shards of 7 texts, text indexes local to each
        parts.append(inner_spans.count_spans(_runs(cases[k:k + 7]), **args))
    merged = inner_spans.merge_counts(parts)
    assert merged.freq == whole.freq and merged.docfreq == whole.docfreq
    wanted = set(inner_spans.choose(whole, known=(), min_freq=6))
    left, right = inner_spans.span_neighbours(_runs(cases), wanted, **args)
    # a common verb on the left of the term is a boundary, its right neighbours are varied
    assert "产业融合返贫" not in left and set(right["产业融合返贫"]) == {"底", "现", "风"}
    # the whole stage, in one shard and process or in shards of about 1,000 characters over two
    stats = d.corpus_stats(cases, SMALL)
    plain = d.score(stats, SMALL, lexicon=lexicon)

    def listed(settings, jobs):
        found = d.weigh_topical([replace(c) for c in plain], cases, stats, settings, seeds=["返贫"], lexicon=lexicon,
                                termhood=None, n_jobs=jobs)
        return [(c.word, c.weight, c.freq, c.docfreq) for c in found]

    one = listed(SMALL, 1)
    assert "产业融合返贫" in [w for w, *_ in one]
    assert listed(replace(SMALL, shard_chars=1000), 2) == one


def test_jiebas_own_cut_gives_the_lexicons_words():
    # the pipeline cuts the texts with jieba's cut of its dictionary (faster); it must give
    # the words of the lexicon's most probable segmentation, which step 2d is defined on
    from caseminer.nlp.segmenters import dictionary_words

    model = Background(jieba_lexicon(), max_word_len=16)  # as step 2d builds it: the longest words
    for _, run in _runs(formula_cases(n=10) + ["巩固拓展脱贫攻坚成果同乡村振兴有效衔接", "实施乡村建设行动",
                                               "联合国粮食及农业组织向中国青少年发展基金会捐款"]):
        assert dictionary_words(run) == list(model.best_split(run))


# A topical corpus: its topic word (扶贫) in most sentences, a word of the term (社会, 日) in one
# sentence of each text, and the term (社会扶贫, 扶贫日) in a third of the texts, each time in
# another frame.
TOPIC_SENTENCES = ["扶贫干部{}", "{}扶贫项目", "产业扶贫让{}", "扶贫资金修好{}", "{}靠扶贫致富"]
SOCIETY_SENTENCES = ["{}关心社会", "社会各界走进{}", "全社会支持{}"]
SOCIETY_FRAMES = ["动员社会扶贫力量", "社会扶贫网上线", "开展社会扶贫", "社会扶贫，", "汇聚社会扶贫合力", "社会扶贫与{}"]
DAY_SENTENCES = ["日前{}", "{}每日开放", "节日里{}", "{}日夜赶工"]
DAY_FRAMES = ["迎来扶贫日", "扶贫日前夕", "在扶贫日", "扶贫日，", "第七个扶贫日", "扶贫日到来"]


def topical_cases(sentences: list[str], frames: list[str], n: int = 120) -> list[str]:
    rng = random.Random(0)
    cases = []
    for i in range(n):
        parts = [_filler(rng)]
        parts += [rng.choice(TOPIC_SENTENCES).format(rng.choice(OBJECTS)) for _ in range(4)]
        parts.append(rng.choice(sentences).format(rng.choice(OBJECTS)))
        if i % 3 == 0:
            parts.append(frames[(i // 3) % len(frames)].format(rng.choice(OBJECTS)))
        cases.append("，".join(parts) + "。")
    return cases


def _cohesion(word: str, cases: list[str], stats) -> float:
    """Step 3c's cohesion of ``word`` over all its occurrences in ``cases``."""
    from caseminer.nlp import measures

    hi, lo, _ = ng.pack_strings([word])
    mat = ng.id_matrix(hi, lo)
    occurrences = sum(case.count(word) for case in cases)
    return measures.cohesion(mat, (mat > 0).sum(axis=1), np.array([occurrences]), stats.tables, stats.n_chars)[0][0]


def test_a_span_needs_half_the_cohesion_of_a_segment():
    cases = topical_cases(SOCIETY_SENTENCES, SOCIETY_FRAMES)
    lexicon = jieba_lexicon()
    stats = d.corpus_stats(cases, SMALL)
    # The topic word is everywhere, so the PMI between 社会 and 扶贫 is low: below what a
    # segment needs, above half of it.
    cohesion = _cohesion("社会扶贫", cases, stats)
    assert SMALL.min_cohesion * inner_spans.MIN_COHESION_SHARE <= cohesion < SMALL.min_cohesion
    plain = d.score(stats, SMALL, lexicon=lexicon)
    assert "社会扶贫" not in {c.word for c in plain}  # no segment candidate: its cohesion is too low
    found = {c.word: c for c in d.weigh_topical([*plain], cases, stats, SMALL, seeds=["扶贫"], lexicon=lexicon)}
    assert "社会扶贫" in found and found["社会扶贫"].span  # step 2d's span, whole words
    assert inner_spans.strict(SMALL).min_cohesion == SMALL.min_cohesion * inner_spans.MIN_COHESION_SHARE
    # a user's stricter cohesion holds for spans too, by the same share
    stricter = replace(SMALL, min_cohesion=2 * cohesion / inner_spans.MIN_COHESION_SHARE)
    again = d.weigh_topical([*d.score(stats, stricter, lexicon=lexicon)], cases, stats, stricter, seeds=["扶贫"],
                            lexicon=lexicon)
    assert "社会扶贫" not in {c.word for c in again}


def test_a_segment_and_its_one_character_head_need_half_the_cohesion():
    from caseminer.nlp.lexicon import NOMINAL_HEADS

    cases = topical_cases(DAY_SENTENCES, DAY_FRAMES)
    stats = d.corpus_stats(cases, SMALL)
    cohesion = _cohesion("扶贫日", cases, stats)
    assert "日" in NOMINAL_HEADS
    assert SMALL.min_cohesion * inner_spans.MIN_COHESION_SHARE <= cohesion < SMALL.min_cohesion
    found = {c.word: c for c in d.score(stats, SMALL, lexicon=jieba_lexicon())}
    assert "扶贫日" in found and found["扶贫日"].cohesion < SMALL.min_cohesion  # 扶贫|日, a compound of step 2b
    # the whole floor holds where the user asks for twice the cohesion
    stricter = replace(SMALL, min_cohesion=2 * cohesion / inner_spans.MIN_COHESION_SHARE)
    assert "扶贫日" not in {c.word for c in d.score(stats, stricter, lexicon=jieba_lexicon())}


# A name written after the same scope every time (全国), in varied sentences, and a name
# of two words and a one-character head (…节), both made up for this test.
SCOPE_FRAMES = ["全国产业融合楷模{}", "{}获全国产业融合楷模称号", "表彰全国产业融合楷模", "全国产业融合楷模，",
                "学习全国产业融合楷模", "全国产业融合楷模与{}"]
FESTIVAL_FRAMES = ["迎来产业融合节", "产业融合节前夕", "在产业融合节", "产业融合节，", "第七个产业融合节",
                   "产业融合节到来"]


def test_a_scope_left_of_a_span_is_a_boundary():
    cases = topical_cases(SOCIETY_SENTENCES, SCOPE_FRAMES)
    lexicon = jieba_lexicon()
    args = {"split": Background(lexicon).best_split, "tags": jieba_tags(), "lexicon": lexicon}
    left, _ = inner_spans.span_neighbours(_runs(cases), {"产业融合楷模"}, **args)
    # 全国 is no neighbour: each occurrence after it is distinct, as at punctuation
    assert "产业融合楷模" not in left
    stats = d.corpus_stats(cases, SMALL)
    found = {c.word: c for c in d.weigh_topical([*d.score(stats, SMALL, lexicon=lexicon)], cases, stats, SMALL,
                                                 seeds=["扶贫"], lexicon=lexicon)}
    # listed, although always inside 全国产业融合楷模: a name in a scope is no fragment of it
    assert "产业融合楷模" in found and found["产业融合楷模"].left_entropy >= inner_spans.MIN_ENTROPY


def test_a_span_may_end_in_a_one_character_head():
    cases = topical_cases(SOCIETY_SENTENCES, FESTIVAL_FRAMES)
    spans = _spans(cases)
    assert spans["产业融合节"] == 40  # 产业|融合|节, a third of the 120 texts
    assert "融合节" not in spans  # one word and a head make a word of three characters: a segment's
    lexicon = jieba_lexicon()
    stats = d.corpus_stats(cases, SMALL)
    found = {c.word for c in d.weigh_topical([*d.score(stats, SMALL, lexicon=lexicon)], cases, stats, SMALL,
                                             seeds=["扶贫"], lexicon=lexicon)}
    assert "产业融合节" in found
