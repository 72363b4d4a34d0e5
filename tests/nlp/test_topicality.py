"""Topicality (discovery step 5): on hand-built texts written for these tests."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from caseminer.errors import InvalidSetting
from caseminer.nlp import discovery as d
from caseminer.nlp import shardmap
from caseminer.nlp.lexicon import jieba_lexicon
from caseminer.nlp.topicality import Topic, seed_company, seed_words


def test_topic_counts_occurrences_on_and_off_topic():
    topic = Topic(["扶贫车间", "高质量发展", "车间"], ["贫困户"])
    freq, on, *_ = topic.count([
        "扶贫车间吸纳贫困户就业。会议强调高质量发展。",
        "高质量发展取得成效！扶贫车间里贫困户有了收入；扶贫车间又扩建了",
    ])
    assert freq.tolist() == [3, 2, 3]  # substrings count: 车间 inside 扶贫车间
    assert on.tolist() == [2, 0, 2]


def test_topic_term_containing_a_seed_is_always_on_topic():
    freq, on, *_ = Topic(["贫困户脱贫"], ["贫困户"]).count(["全村贫困户脱贫。"])
    assert freq.tolist() == on.tolist() == [1]


def test_topic_counts_do_not_depend_on_sharding():
    rng = random.Random(3)
    pieces = ["扶贫车间", "贫困户", "高质量发展", "会议", "召开", "。", "，", "全面深化改革", "村民"]
    texts = ["".join(rng.choice(pieces) for _ in range(40)) for _ in range(30)]
    topic = Topic(["扶贫车间", "高质量发展", "全面深化改革"], ["贫困户"])
    whole = topic.count(texts)
    parts = [topic.count(texts[i:i + 7]) for i in range(0, len(texts), 7)]
    for k in range(5):  # freq, on topic, closing, docfreq, in a seed's sentence
        assert whole[k].tolist() == np.sum([p[k] for p in parts], axis=0).tolist()


def test_topic_ignores_words_it_cannot_pack():
    freq, on, *_ = Topic(["扶贫", "x", "一二三四五六七八九"], ["扶贫"]).count(["扶贫。"])
    assert freq.tolist() == [1, 0, 0]


def test_topic_seeds_are_the_strongest_lexicon_words():
    cands = [d.Candidate("扶贫车间", 90.0, 5, 5, False), d.Candidate("脱贫", 80.0, 9, 9, True),
             d.Candidate("贫困户", 70.0, 9, 9, True), d.Candidate("发展", -3.0, 9, 9, True)]
    assert seed_words(cands, 5) == ["脱贫", "贫困户"]


SUBJECTS = ["县里", "镇上", "村民", "记者", "干部", "老人", "妇女", "企业", "学校", "农户"]
VERBS = ["看到", "修好", "参观", "走进", "建起", "说起", "找到", "种下"]
OBJECTS = ["新房", "公路", "果园", "大棚", "水渠", "医院", "广场", "茶园", "工厂", "菜地"]


def _sentence(rng: random.Random, *terms: str) -> str:
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
    for term in terms:
        parts.insert(rng.randrange(len(parts) + 1), term)
    return "".join(parts) + "。"


def _corpus(seed: int = 0) -> list[str]:
    """Topic sentences hold 贫困户 (the seed) and 扶贫车间; register sentences hold 高质量发展."""
    rng = random.Random(seed)
    texts = []
    for i in range(80):
        sentences = [_sentence(rng, "贫困户") for _ in range(3)]
        sentences += [_sentence(rng, "贫困户", "扶贫车间")] if i % 3 == 0 else []
        sentences += [_sentence(rng, "高质量发展") for _ in range(2)] if i % 2 else [_sentence(rng)]
        rng.shuffle(sentences)
        texts.append("".join(sentences))
    return texts


#: Step 5 with the one seed of :func:`_corpus`, 贫困户: one seed keeps no company
#: (:func:`caseminer.nlp.discovery.seed_cohesion`), so it is a topic only with that test off.
ONE_SEED = {"min_freq": 3, "topic_seeds": 1, "topic_min_cohesion": 0, "termhood": 0}


def test_weigh_topical_sinks_register_below_topic_terms():
    texts = _corpus()
    # step 5 alone, on the seed's sentences alone (register sentences sit next to them here)
    settings = d.DiscoverSettings(**ONE_SEED, topic_window=0)
    plain = {c.word: c for c in d.discover(texts, d.DiscoverSettings(min_freq=3, topic_seeds=0), lexicon=jieba_lexicon())}
    found = {c.word: c for c in d.discover(texts, settings, lexicon=jieba_lexicon())}
    assert plain["高质量发展"].weight > plain["扶贫车间"].weight  # more frequent, so first without step 5
    # used only on topic: step 5 takes nothing off the weight of its count...
    assert found["扶贫车间"].topicality == 1.0 and found["扶贫车间"].weight == found["扶贫车间"].on_topic_weight
    # ...which its pass bounds by the texts (27 occurrences in 27 texts; step 4's sums give 36)
    held = sum("扶贫车间" in t for t in texts)
    assert (found["扶贫车间"].freq, found["扶贫车间"].docfreq) == (held, held) == (27, 27)
    assert plain["扶贫车间"].freq > held
    assert found["高质量发展"].topicality == 0.0 and found["高质量发展"].weight <= 0
    assert plain["高质量发展"].topicality is None


def test_topic_window_counts_the_sentences_next_to_a_seeds_within_its_text():
    texts = ["贫困户增收。村里落实三权分置。三权分置。三权分置。", "三权分置好。", "三权分置好", "贫困户。"]
    on = {w: Topic(["三权分置"], ["贫困户"], window=w).count(texts)[1].tolist() for w in (0, 1, 2)}
    # the sentence after the seed's, then two; never the next text's (a text's end ends a sentence)
    assert on == {0: [0], 1: [1], 2: [2]}
    with pytest.raises(InvalidSetting, match="topic_window"):
        d.discover(["扶贫车间"], d.DiscoverSettings(topic_window=-1))


def test_topic_window_lets_register_next_to_the_topic_count_but_the_power_keeps_it_down():
    texts = _corpus()
    found = {c.word: c for c in d.discover(texts, d.DiscoverSettings(**ONE_SEED), lexicon=jieba_lexicon())}
    assert d.DiscoverSettings().topic_window == 1
    assert 0 < found["高质量发展"].topicality < 1 and found["扶贫车间"].topicality == 1.0
    assert found["高质量发展"].weight < found["扶贫车间"].weight / 2
    # keyword extraction still reads the power-1 weight of the seeds' own sentences
    own = {c.word: c for c in d.discover(texts, d.DiscoverSettings(**ONE_SEED, topic_window=0, topic_power=1.0),
                                         lexicon=jieba_lexicon())}
    assert found["高质量发展"].on_topic_weight == own["高质量发展"].weight <= 0


def test_weigh_topical_is_stable_under_shuffling_and_jobs():
    texts = _corpus(1)
    settings = d.DiscoverSettings(min_freq=3, shard_chars=1000)
    base = d.discover(texts, settings, lexicon=jieba_lexicon())
    shuffled = list(texts)
    random.Random(5).shuffle(shuffled)
    again = d.discover(shuffled, settings, lexicon=jieba_lexicon(), n_jobs=2)
    assert [(c.word, c.weight, c.topicality) for c in base] == [(c.word, c.weight, c.topicality) for c in again]


def test_discovery_without_fork_runs_in_one_process_with_a_warning(monkeypatch, caplog):
    # Windows cannot fork: n_jobs > 1 must still give the same list, and say why it used one process.
    texts = _corpus(1)
    settings = d.DiscoverSettings(min_freq=3, shard_chars=1000)
    base = d.discover(texts, settings, lexicon=jieba_lexicon())
    monkeypatch.setattr(shardmap, "CAN_FORK", False)
    monkeypatch.setattr(shardmap.multiprocessing, "get_context", None)  # any pool would fail now
    shardmap.warn_no_fork.cache_clear()
    with caplog.at_level("WARNING", logger=shardmap.__name__):
        again = d.discover(texts, settings, lexicon=jieba_lexicon(), n_jobs=2)
    assert [(c.word, c.weight) for c in again] == [(c.word, c.weight) for c in base]
    assert [r.getMessage() for r in caplog.records] == [
        "n_jobs=2: discovery's worker processes are forked, and this platform cannot fork; "
        "discovery runs in one process (the results are the same)."]


@pytest.mark.parametrize("value", [-1, 1.5, "10"])
def test_topic_seeds_setting_is_checked(value):
    with pytest.raises(InvalidSetting, match="topic_seeds"):
        d.discover(["扶贫车间"], d.DiscoverSettings(topic_seeds=value))


def test_weigh_topical_leaves_a_corpus_without_topic_alone():
    # One sentence per text from pools of ten words each: no word is in a fifth of the texts.
    rng = random.Random(2)
    texts = [_sentence(rng) for _ in range(300)]
    settings = d.DiscoverSettings(min_freq=3)
    plain = d.discover(texts, d.DiscoverSettings(min_freq=3, topic_seeds=0), lexicon=jieba_lexicon())
    found = d.discover(texts, settings, lexicon=jieba_lexicon())
    assert found and all(c.topicality is None for c in found)
    assert [(c.word, c.weight) for c in found] == [(c.word, c.weight) for c in plain]


def test_weigh_topical_power_discounts_a_term_half_off_topic():
    # 扶贫车间 sits in a topic sentence in every third text and in a register sentence in
    # every sixth: part of its use is off topic, and the power decides how much that costs.
    texts = _corpus(3)
    rng = random.Random(4)
    texts = [t + (_sentence(rng, "扶贫车间") if i % 6 == 0 else "") for i, t in enumerate(texts)]
    import numpy as np

    from caseminer.nlp import measures

    weights = {}
    for power in (1.0, 1.5, 2.0):
        settings = d.DiscoverSettings(**ONE_SEED, topic_power=power, topic_window=0)
        found = {c.word: c for c in d.discover(texts, settings, lexicon=jieba_lexicon())}
        term = found["扶贫车间"]
        assert 0.0 < term.topicality < 1.0
        count = min(term.freq, term.docfreq)
        total = float(d.corpus_stats(texts, settings).segments.n_tokens)
        expected = measures.signed_g2(np.array([count * term.topicality**power]), np.array([term.expected]), total)[0]
        assert term.weight == pytest.approx(expected, rel=1e-3)  # topicality is rounded to 4 places
        weights[power] = term.weight
        # The on-topic weight is the power-1 weight whatever the list's power.
        assert term.on_topic_weight == pytest.approx(weights.get(1.0, term.weight), abs=1e-4)
    assert weights[1.0] > weights[1.5] > weights[2.0]


@pytest.mark.parametrize("value", [-0.5, "1.5", 11.0])
def test_topic_power_setting_is_checked(value):
    with pytest.raises(InvalidSetting, match="topic_power"):
        d.discover(["扶贫车间"], d.DiscoverSettings(topic_power=value))


def test_topic_counts_words_of_nine_to_sixteen_characters():
    words = ["巩固拓展脱贫攻坚成果", "巩固拓展脱贫攻坚成果同乡村振兴", "脱贫攻坚"]
    texts = ["巩固拓展脱贫攻坚成果同乡村振兴有效衔接。贫困户巩固拓展脱贫攻坚成果。", "脱贫攻坚。"]
    freq, on, _, docs, _ = Topic(words, ["贫困户"]).count(texts)
    assert freq.tolist() == [2, 1, 3]
    assert on.tolist() == [1, 0, 1]
    assert docs.tolist() == [1, 1, 2]


def test_topic_seeds_leave_out_set_phrases_of_the_register():
    # A corpus of one genre (all the provinces' work reports) over-uses its register in
    # every text: 全面落实 is a lexicon word there, but no word of a topic.
    stats = d.NgramStats(n_texts=10)
    cands = [d.Candidate("全面落实", 500.0, 90, 10, True, expected=0.1),
             d.Candidate("贫困户", 400.0, 90, 10, True, expected=0.1)]
    assert d.topic_seeds(cands, stats, tags={"全面落实": "l", "贫困户": "n"}) == ["贫困户"]


def test_topic_counts_the_occurrences_that_close():
    # closing: the text's Han run ends right after the occurrence, or a function character
    # follows (的, 和, 、 ...); 建档立卡贫困 is always continued as more of a word.
    topic = Topic(["扶贫车间", "建档立卡贫困", "车间"], [])
    _, _, closing, *_ = topic.count(["扶贫车间建成。建档立卡贫困户的扶贫车间和车间",
                                 "建档立卡贫困人口，扶贫车间"])
    assert closing.tolist() == [2, 0, 3]


def test_seed_company_needs_another_seed_at_another_place():
    # 贫困 inside 贫困户 is the same place, no company; 脱贫 and 攻坚 side by side are
    held, company = seed_company(["脱贫", "攻坚", "贫困", "贫困户"],
                                 ["脱贫攻坚。贫困户增收；贫困户脱贫！", "攻坚", "攻坚克难。贫困"])
    assert held.tolist() == [2, 3, 3, 2]
    assert company.tolist() == [2, 1, 1, 1]


def test_seed_company_does_not_depend_on_sharding():
    rng = random.Random(5)
    pieces = ["脱贫", "贫困户", "帮扶", "会议", "召开", "。", "，", "贫困", "村民", "攻坚"]
    texts = ["".join(rng.choice(pieces) for _ in range(40)) for _ in range(30)]
    seeds = ["脱贫", "贫困户", "帮扶", "贫困"]
    whole = seed_company(seeds, texts)
    parts = [seed_company(seeds, texts[i:i + 7]) for i in range(0, len(texts), 7)]
    for k in range(2):
        assert whole[k].tolist() == np.sum([p[k] for p in parts], axis=0).tolist()
    assert d.seed_cohesion(texts, seeds, d.DiscoverSettings(shard_chars=1000)) == pytest.approx(
        float(np.mean(whole[1] / whole[0])))


def _genre(seed: int = 0) -> list[str]:
    """Reports of one genre: four over-used words, each in sentences of its own, and a term
    (扶贫车间) that stands apart from all four."""
    rng = random.Random(seed)
    words = ["服务体系", "依法行政", "城市更新", "传统产业"]
    texts = []
    for i in range(40):
        sentences = [_sentence(rng, w) for w in words]
        sentences += [_sentence(rng, "扶贫车间") for _ in range(2)] if i % 2 else [_sentence(rng)]
        rng.shuffle(sentences)
        texts.append("".join(sentences))
    return texts


def test_seeds_that_keep_no_company_are_no_topic():
    texts = _genre()
    seeds = ["服务体系", "依法行政", "城市更新", "传统产业"]
    assert d.seed_cohesion(texts, seeds) == 0.0
    # the pieces of a topic share their sentences
    assert d.seed_cohesion(_corpus(), ["贫困户", "扶贫车间"]) == pytest.approx(0.5 * (27 / 267 + 1.0), abs=0.01)
    settings = d.DiscoverSettings(min_freq=3, termhood=0, semantic=0, topic_window=0)
    stats = d.corpus_stats(texts, settings)
    ranked = d.score(stats, settings, lexicon=jieba_lexicon())  # steps 5-7 weigh them in place
    weighed = {c.word: c for c in d.weigh_topical([replace(c) for c in ranked], texts, stats, settings, seeds=seeds)}
    # every occurrence is on topic: 扶贫车间, in no seed's sentence, keeps its weight
    assert weighed["扶贫车间"].topicality == 1.0
    assert weighed["扶贫车间"].weight == weighed["扶贫车间"].on_topic_weight > 10.83
    # with the test off the seeds are a topic, and 扶贫车间 is never on it
    forced = {c.word: c for c in d.weigh_topical(ranked, texts, stats, replace(settings, topic_min_cohesion=0),
                                                 seeds=seeds)}
    assert forced["扶贫车间"].topicality == 0.0 and forced["扶贫车间"].weight <= 0


@pytest.mark.parametrize("value", [-0.1, 1.5, "0.3"])
def test_topic_min_cohesion_setting_is_checked(value):
    with pytest.raises(InvalidSetting, match="topic_min_cohesion"):
        d.discover(["扶贫车间"], d.DiscoverSettings(topic_min_cohesion=value))


def _overused(word: str, ratio: float, share: float, weight: float = 50.0) -> d.Candidate:
    """A lexicon word in ``share`` of 100 texts at ``ratio`` times its expectation."""
    return d.Candidate(word, weight, int(10 * ratio), int(100 * share), True, expected=10.0)


def test_subject_words_are_nouns_over_used_below_the_seeds_line():
    stats = d.NgramStats(n_texts=100, n_chars=d.SMALL_CORPUS_CHARS)  # a corpus of 2,000 stories: the line is 30
    farming = [_overused("农业", 35, 1.0, 90), _overused("粮食", 33, 0.56, 80), _overused("乡村", 72, 0.36, 70),
               _overused("推进", 45, 0.65, 95)]  # a verb of the register: no subject word
    assert d.topic_seeds(farming, stats) == []  # none reaches 100 times its expectation
    assert d.subject_words(farming, stats) == ["农业", "粮食", "乡村"]
    # too rare (in less than a fifth of the texts), too little over-used, or too few
    assert d.subject_words([*farming[:2], _overused("乡村", 72, 0.1)], stats) == []
    assert d.subject_words([*farming[:2], _overused("乡村", 20, 0.5)], stats) == []
    # all of CCTV's news over-uses the register's verbs alone
    news = [_overused("推动", 51, 0.45), _overused("推进", 41, 0.4), _overused("创新", 37, 0.32)]
    assert d.subject_words(news, stats) == []
    assert d.subject_words(farming, stats, d.DiscoverSettings(topic_seeds=0)) == []
    assert d.subject_words(farming, stats, d.DiscoverSettings(topic_seeds=2)) == []  # fewer than 3 kept


def test_a_small_corpus_keeps_to_a_subject_at_a_lower_line():
    # a study's 117 stories on farming: every word's ratio is lower than in 2,000 of them
    farming = [_overused("农产品", 65, 0.23, 90), _overused("乡村", 47, 0.33, 80), _overused("粮食", 27, 0.65, 70),
               _overused("农业", 21, 1.0, 60), _overused("提升", 34, 0.4, 95)]
    large, small = (d.NgramStats(n_texts=100, n_chars=n) for n in (d.SMALL_CORPUS_CHARS, d.SMALL_CORPUS_CHARS - 1))
    assert d.subject_min_ratio(large.n_chars) == d.SUBJECT_MIN_RATIO == 30
    assert d.subject_min_ratio(small.n_chars) == d.SUBJECT_MIN_RATIO_SMALL == 15
    assert d.subject_words(farming, large) == []  # two nouns at 30
    assert d.subject_words(farming, small) == ["农产品", "乡村", "粮食", "农业"]
    # random samples of CCTV's news: their nouns stay far below 15 (全面 12, 全国 3.8, 经济 3.8)
    news = [_overused("全面", 12, 0.3), _overused("全国", 3.8, 0.4), _overused("经济", 3.8, 0.35)]
    assert d.subject_words(news, small) == []


def test_a_corpus_without_seeds_but_with_a_subject_is_read_as_a_genre():
    # a genre's four words each in its own sentences, 扶贫车间 apart from them; no seeds passed
    texts = _genre()
    settings = d.DiscoverSettings(min_freq=3, termhood=0, semantic=0)
    stats = d.corpus_stats(texts, settings)
    ranked = d.score(stats, settings, lexicon=jieba_lexicon())
    alone = d.weigh_topical([replace(c) for c in ranked], texts, stats, settings, seeds=[], subject=[])
    assert [(c.word, c.weight, c.topicality) for c in alone] == [(c.word, c.weight, c.topicality) for c in ranked]
    read = {c.word: c for c in d.weigh_topical([replace(c) for c in ranked], texts, stats, settings, seeds=[],
                                               subject=["服务体系", "城市更新", "传统产业"])}
    # every occurrence is on topic
    assert read["扶贫车间"].topicality == 1.0
    assert read["扶贫车间"].weight == read["扶贫车间"].on_topic_weight > 10.83
    # as the subject's words are read only as evidence, not as seeds, the result is the
    # genre's: the same as seeds that keep no company
    genre = {c.word: c for c in d.weigh_topical([replace(c) for c in ranked], texts, stats, settings,
                                                seeds=["服务体系", "依法行政", "城市更新", "传统产业"])}
    assert {w: c.weight for w, c in read.items()} == {w: c.weight for w, c in genre.items()}
