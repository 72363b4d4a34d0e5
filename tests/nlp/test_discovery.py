"""Tests of caseminer.nlp.discovery on hand-built texts (issue 3).

All texts here are written for these tests (no corpus text is copied).
"""

from __future__ import annotations

import math
import os
import random
from dataclasses import replace

import numpy as np
import pytest

from caseminer.errors import InvalidInput, InvalidSetting
from caseminer.nlp import discovery as d
from caseminer.nlp.lexicon import Background, jieba_lexicon

SUBJECTS = ["县里", "镇上", "村民", "记者", "干部", "老人", "妇女", "孩子", "企业", "学校", "医生", "农户"]
VERBS = ["看到", "修好", "参观", "走进", "建起", "说起", "想到", "找到", "种下", "搬进"]
OBJECTS = ["新房", "公路", "果园", "大棚", "水渠", "学校", "医院", "广场", "茶园", "工厂", "小河", "菜地"]
TAILS = ["很高兴", "忙起来", "笑了", "有信心", "收入高", "变好了", "干劲足", "不容易"]


def _sentence(rng: random.Random, term: str | None) -> str:
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TAILS)]
    if term:
        # The term appears in different places, so with different neighbours.
        parts.insert(rng.choice([1, 3]) if rng.random() < 0.7 else 0, term)
    return "".join(parts) + rng.choice("，。")


def make_cases(seed: int = 0, n: int = 80, term: str = "扶贫车间") -> list[str]:
    rng = random.Random(seed)
    return ["".join(_sentence(rng, term if (i % 2 == 0 and j == 0) else None) for j in range(6)) for i in range(n)]


SMALL = d.DiscoverSettings(min_freq=3)


@pytest.fixture(scope="module")
def cases():
    return make_cases()


@pytest.fixture(scope="module")
def found(cases):
    return {c.word: c for c in d.discover(cases, SMALL, lexicon=jieba_lexicon())}


def test_discovery_finds_term_repeated_in_different_contexts(found):
    assert "扶贫车间" in found
    term = found["扶贫车间"]
    assert term.pos == "n_new" and not term.in_lexicon
    assert term.freq >= 10 and term.docfreq == term.freq  # once per case here
    assert term.weight > 10.83  # significant at p < 0.001


@pytest.mark.parametrize("fragment", ["扶贫车", "贫车间", "贫车", "车间扶"])
def test_discovery_drops_fragments_of_a_term(found, fragment):
    assert fragment not in found


def test_discovery_drops_a_piece_that_ends_inside_a_word_each_time():
    # 劳务输出专线, 劳务输出专列 and 劳务输出专车 once each: the join keeps 劳务输出专 (twice
    # or more) and cuts before 线 / 列 / 车, three neighbours, so the entropy test passes it.
    # Each time its last character makes a word with the next (专线, 专列, 专车): step 3e.
    rng = random.Random(3)
    terms = {0: "劳务输出专线", 2: "劳务输出专列", 4: "劳务输出专车"}
    cases = ["".join(_sentence(rng, terms.get(i) if j == 0 else None) for j in range(6)) for i in range(20)]
    settings = d.DiscoverSettings(min_freq=2)
    kept = {c.word for c in d.discover(cases, settings, lexicon=jieba_lexicon())}
    unfiltered = {c.word for c in d.discover(cases, replace(settings, max_crossing=2.0), lexicon=jieba_lexicon())}
    assert "劳务输出专" in unfiltered and "劳务输出专" not in kept
    assert unfiltered - kept == {"劳务输出专"}  # nothing else of these texts ends inside a word


def test_discovery_weight_is_stable_under_shuffling_of_cases(cases):
    base = d.discover(cases, SMALL, lexicon=jieba_lexicon())
    shuffled = list(cases)
    random.Random(7).shuffle(shuffled)
    again = d.discover(shuffled, SMALL, lexicon=jieba_lexicon())
    assert [(c.word, c.weight, c.freq, c.docfreq) for c in base] == [(c.word, c.weight, c.freq, c.docfreq) for c in again]


def test_discovery_parallel_shards_equal_one_process(cases):
    settings = d.DiscoverSettings(min_freq=3, shard_chars=1000)
    one = d.discover(cases, settings, n_jobs=1)
    two = d.discover(cases, settings, n_jobs=2)
    assert [(c.word, c.weight) for c in one] == [(c.word, c.weight) for c in two]


def test_discovery_merge_of_shards_equals_whole(cases):
    whole = d.count_shard(cases)
    merged = d.merge_stats([d.count_shard(cases[:30]), d.count_shard(cases[30:])])
    assert merged.n_chars == whole.n_chars and merged.n_texts == whole.n_texts == 80
    for n in range(1, 5):
        assert merged.tables[n].counts.tolist() == whole.tables[n].counts.tolist()


def test_discovery_in_case_lists_frequency_two_terms_alone():
    case = "扶贫车间建在村口，吸纳了三十多位留守妇女。县里又建了第二个扶贫车间，生产手套和玩具。"
    found = {c.word: c for c in d.discover_in_case(case, None, lexicon=jieba_lexicon())}
    assert list(found) == ["扶贫车间"]
    assert found["扶贫车间"].freq == 2 and found["扶贫车间"].docfreq == 1
    assert found["扶贫车间"].weight > 0


def test_discovery_in_case_lists_only_weights_above_the_floor(monkeypatch):
    # min_weight_case (default 10.83, the G² of p < 0.001) is a floor on the final weight:
    # a string seen twice whose weight stays below it is not listed; None keeps all.
    text = "扶贫车间建在村口。扶贫车间生产手套。大家说好。大家说好。"
    found = [d.Candidate(word="扶贫车间", weight=40.0, freq=2, docfreq=1, in_lexicon=False),
             d.Candidate(word="大家说好", weight=6.0, freq=2, docfreq=1, in_lexicon=False)]
    monkeypatch.setattr(d, "_score_segments", lambda *a, **k: [replace(c) for c in found])
    assert d.DiscoverSettings().min_weight_case == 10.83
    assert [c.word for c in d.discover_in_case(text)] == ["扶贫车间"]
    keep_all = d.DiscoverSettings(min_weight_case=None)
    assert [c.word for c in d.discover_in_case(text, None, keep_all)] == ["扶贫车间", "大家说好"]
    assert d.discover_in_case(text, None, d.DiscoverSettings(min_weight_case=100.0)) == []


def test_discovery_in_case_lists_a_string_the_case_repeats_below_the_floor(monkeypatch):
    # A string written case_keep_freq (4) times is listed at any positive weight: the
    # coined terms the termhood model doubts (防贫险) are what a case repeats.
    text = "防贫险。" * 4 + "大家说好。" * 2
    found = [d.Candidate(word="防贫险", weight=6.8, freq=4, docfreq=1, in_lexicon=False),
             d.Candidate(word="大家说好", weight=6.0, freq=2, docfreq=1, in_lexicon=False),
             d.Candidate(word="说好大家", weight=-3.0, freq=5, docfreq=1, in_lexicon=False)]
    monkeypatch.setattr(d, "_score_segments", lambda *a, **k: [replace(c) for c in found])
    assert [c.word for c in d.discover_in_case(text)] == ["防贫险"]
    assert d.discover_in_case(text, None, d.DiscoverSettings(case_keep_freq=5)) == []
    assert d.discover_in_case(text, None, d.DiscoverSettings(case_keep_freq=None)) == []


def test_discovery_in_case_floor_applies_after_termhood(monkeypatch):
    # Step 6 first scales the weight by P(term): the floor reads the scaled weight.
    text = "扶贫车间建在村口。扶贫车间生产手套。"
    monkeypatch.setattr(d, "_score_segments", lambda *a, **k: [
        d.Candidate(word="扶贫车间", weight=20.0, freq=2, docfreq=1, in_lexicon=False)])

    class Half:
        meta, needs_vectors = {}, False

        def probability(self, words, tags, vectors=None):
            return np.full(len(words), 0.5)

    assert [c.word for c in d.discover_in_case(text)] == ["扶贫车间"]
    assert d.discover_in_case(text, termhood=Half()) == []  # 20 * 0.5 = 10 < 10.83


def test_discovery_in_case_uses_corpus_context(cases):
    corpus = d.corpus_stats(cases, SMALL)
    case = "村里的扶贫车间开工了。扶贫车间生产手套。"
    words = [c.word for c in d.discover_in_case(case, corpus, SMALL, lexicon=jieba_lexicon())]
    assert "扶贫车间" in words


def test_discovery_in_case_finds_a_corpus_term_the_corpus_cut_swallows():
    # Demo case 10 writes 村卫生室 twice, once as 每个村卫生室至少: the demo corpus's n-grams
    # join that into one segment, so the corpus cut sees the term once. The case's own cut
    # sees it twice; it is listed when the corpus list holds it, and the own cut's other
    # strings are not.
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "examples" / "demo" / "cases"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    case = (folder / "10_yunnan_gonggongfuwu.txt").read_text(encoding="utf-8")
    settings = d.DiscoverSettings(min_freq=2, min_weight_case=None, case_keep_freq=None)
    stats = d.corpus_stats(texts, settings)
    lexicon = jieba_lexicon()
    before = {c.word for c in d.discover_in_case(case, stats, settings, lexicon=lexicon)}
    after = {c.word for c in d.discover_in_case(case, stats, settings, lexicon=lexicon, known={"村卫生室"})}
    assert "村卫生室" not in before
    assert after == before | {"村卫生室"}


def test_discovery_in_case_counts_a_corpus_term_that_both_cuts_glue_to_its_neighbours():
    # The case writes 防贫保险 six times, each time inside a longer string it repeats
    # (实施|防贫保险|工程, 强化|防贫保险|兜底, 防贫保险|取得): both cuts keep those whole, so
    # the term is no segment of its own. As a string of the corpus list it is a candidate
    # with the case's six occurrences; a piece of it (防贫保, always before 险) is not, and
    # strings outside the corpus list are not added.
    case = ("县里决定实施防贫保险工程。乡里也要实施防贫保险工程。各村强化防贫保险兜底，干部强化防贫保险兜底。"
            "一年来防贫保险取得实效，两年来防贫保险取得实效。")
    settings = d.DiscoverSettings(min_freq=2, min_weight_case=None, case_keep_freq=None)
    stats = d.corpus_stats([case], settings)
    lexicon = jieba_lexicon()
    before = {c.word: c for c in d.discover_in_case(case, stats, settings, lexicon=lexicon)}
    known = d.KnownStrings(["防贫保险", "防贫保", "脱贫攻坚"])
    assert len(known) == 3 and "防贫保" in known and set(known) == {"防贫保险", "防贫保", "脱贫攻坚"}
    after = {c.word: c for c in d.discover_in_case(case, stats, settings, lexicon=lexicon, known=known)}
    assert "防贫保险" not in before
    assert set(after) == set(before) | {"防贫保险"}
    assert after["防贫保险"].freq == 6 and after["防贫保险"].docfreq == 1
    assert after["防贫保险"].weight > max(c.weight for c in before.values())
    # only the strings the corpus list ranks high enough are added (the stage: its top 1000)
    unranked = d.KnownStrings(["防贫保险", "防贫保", "脱贫攻坚"], addable=["脱贫攻坚"])
    assert {c.word for c in d.discover_in_case(case, stats, settings, lexicon=lexicon, known=unranked)} == set(before)
    # a plain collection of strings works as well
    assert {c.word for c in d.discover_in_case(case, stats, settings, lexicon=lexicon,
                                               known={"防贫保险", "防贫保"})} == set(after)


def test_discovery_counts_every_occurrence_in_a_corpus_of_few_texts(monkeypatch):
    # Per-text counting caps a count at the number of texts: in a corpus of one text a
    # term it repeats would count once, as a rare word written twice does.
    settings = d.DiscoverSettings()
    assert not d.counts_each_text_once(settings, d.FEW_TEXTS - 1)
    assert d.counts_each_text_once(settings, d.FEW_TEXTS)
    assert not d.counts_each_text_once(replace(settings, per_text=False), 1000)
    rng = random.Random(3)
    text = "".join(_sentence(rng, "扶贫车间" if i % 3 == 0 else None) for i in range(60))
    plain = d.DiscoverSettings(min_freq=2, topic_seeds=0)
    every = {c.word: c for c in d.discover([text], plain, lexicon=jieba_lexicon())}["扶贫车间"]
    monkeypatch.setattr(d, "FEW_TEXTS", 1)
    once = {c.word: c for c in d.discover([text], plain, lexicon=jieba_lexicon())}["扶贫车间"]
    assert every.freq == once.freq > 2 and every.docfreq == 1
    assert every.weight > 5 * once.weight


def test_discovery_general_word_sinks_below_domain_term():
    # 工作 is frequent in general language (jieba), 扶贫车间 is not: per occurrence
    # in the texts, the domain term must weigh more, and 工作 must be expected more.
    rng = random.Random(1)
    texts = []
    for i in range(60):
        texts.append("".join(_sentence(rng, "扶贫车间" if i % 2 else "工作") for _ in range(3)))
    found = {c.word: c for c in d.discover(texts, SMALL, lexicon=jieba_lexicon())}
    term, general = found["扶贫车间"], found["工作"]
    # The corpus-level weight counts each text once (per_text).
    assert term.weight / min(term.freq, term.docfreq) > general.weight / min(general.freq, general.docfreq)
    # General language expects 工作 (jieba: P(工作)) far more often than 扶贫车间 (P(扶贫) P(车间)).
    assert general.expected > 0.1 and general.expected / general.freq > 1e4 * term.expected / term.freq
    assert found["工作"].in_lexicon and not found["扶贫车间"].in_lexicon


@pytest.mark.parametrize(
    "f,expected,total",
    [(10, 1.0, 1000.0), (2, 0.01, 2000.0), (1, 5.0, 100.0)],
)
def test_discovery_signed_g2_matches_hand_computation(f, expected, total):
    g2 = 2 * (f * math.log(f / expected) + (total - f) * math.log((total - f) / (total - expected)))
    sign = 1 if f >= expected else -1
    got = d._signed_g2(np.array([f]), np.array([expected]), total)[0]
    assert got == pytest.approx(sign * g2, rel=1e-9)


def test_discovery_background_split_of_new_compound():
    lex = {"精准": 50, "扶贫": 30, "精": 5, "准": 5, "扶": 5, "贫": 5}
    bg = Background(lex)
    assert bg.best_split("精准扶贫") == ("精准", "扶贫")
    assert bg.log_prob("精准扶贫") == pytest.approx(math.log(50 / 100) + math.log(30 / 100))


def test_discovery_jieba_lexicon_is_read_from_the_package():
    lex = jieba_lexicon()
    assert lex["扶贫"] == 717 and "精准扶贫" not in lex


@pytest.mark.parametrize(
    "name,value",
    [
        ("min_freq", 0),
        ("min_freq", "5"),
        ("min_freq_case", 0),
        ("max_len", 1),
        ("max_len", 17),
        ("join_pmi", -1.0),
        ("join_min_freq", 0),
        ("min_entropy", -0.5),
        ("max_crossing", -0.1),
        ("top", 0),
        ("n_jobs", 0),
        ("shard_chars", 10),
        ("compounds", "yes"),
        ("compound_min_freq", 0),
        ("per_text", "no"),
        ("count_nested", 1),
        ("min_weight", float("nan")),
        ("min_weight_case", "high"),
        ("case_keep_freq", 0),
    ],
)
def test_discovery_bad_setting_is_a_clear_error(name, value):
    with pytest.raises(InvalidSetting) as info:
        d.discover(["扶贫车间"], d.DiscoverSettings(**{name: value}))
    message = str(info.value)
    assert f"'{name}' setting of discover" in message and repr(value) in message


@pytest.mark.parametrize("texts", ["扶贫车间", [1, 2], ["ok", None]])
def test_discovery_bad_texts_are_a_clear_error(texts):
    with pytest.raises(InvalidInput, match="discover"):
        d.discover(texts)


def test_discovery_score_needs_segments():
    with pytest.raises(InvalidInput, match="segments"):
        d.score(d.count_shard(["扶贫车间"]))


def test_discovery_top_limits_the_list(cases):
    assert len(d.discover(cases, d.DiscoverSettings(min_freq=3, top=3))) == 3


@pytest.mark.corpora
@pytest.mark.slow
def test_discovery_finds_domain_terms_on_real_poverty_stories():
    import json

    root = os.environ.get(
        "CASEMINER_CORPORA", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "corpora")
    )
    path = os.path.join(root, "xwlb-cctv-news", "xwlb_poverty_subset.jsonl")
    if not os.path.exists(path):
        pytest.skip(f"real corpus not found at {path} (set CASEMINER_CORPORA)")
    with open(path, encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for _, line in zip(range(600), handle)]
    top = [c.word for c in d.discover(texts, lexicon=jieba_lexicon())[:100]]
    assert {"扶贫", "脱贫", "精准扶贫"} <= set(top)
    assert "村振兴" not in top and "档立卡" not in top


def _pair_texts(n_pairs: int, n_texts: int = 24) -> list[str]:
    # 光伏 and 扶贫 each stand alone in many texts; the pair 光伏扶贫 occurs n_pairs times.
    rng = random.Random(3)
    texts = []
    for i in range(n_texts):
        parts = [_sentence(rng, "光伏"), _sentence(rng, "扶贫"), _sentence(rng, None)]
        if i < n_pairs:
            parts.append(_sentence(rng, "光伏扶贫"))
        texts.append("".join(parts))
    return texts


def test_discovery_rare_compound_needs_the_compound_floor():
    texts = _pair_texts(4)
    stats = d.corpus_stats(texts, SMALL)
    segs = stats.segments
    words = dict(zip(d.ng.unpack_keys(segs.hi, segs.lo), zip(segs.freq.tolist(), segs.unit.tolist())))
    freq, unit = words["光伏扶贫"]
    assert freq == 4 and unit < freq  # counted as a pair of segments, not as one segment
    default = {c.word for c in d.score(stats, SMALL, lexicon=jieba_lexicon())}
    assert d.compound_floor(SMALL) == 5  # 1.6 * min_freq, rounded up
    assert "光伏扶贫" not in default  # 4 < 5
    loose = d.DiscoverSettings(min_freq=3, compound_min_freq=3)
    assert "光伏扶贫" in {c.word for c in d.score(stats, loose, lexicon=jieba_lexicon())}
    again = d.corpus_stats(_pair_texts(6), SMALL)
    assert "光伏扶贫" in {c.word for c in d.score(again, SMALL, lexicon=jieba_lexicon())}


def test_discovery_weight_counts_each_text_once(cases):
    stats = d.corpus_stats(cases, SMALL)
    spread = {c.word: c for c in d.score(stats, SMALL, lexicon=jieba_lexicon())}["扶贫车间"]
    rng = random.Random(11)
    others = ["".join(_sentence(rng, None) for _ in range(3)) for _ in range(40)]
    burst = d.corpus_stats(others + ["".join(_sentence(rng, "扶贫车间") for _ in range(12))], SMALL)
    one = {c.word: c for c in d.score(burst, SMALL, lexicon=jieba_lexicon())}
    by_tokens = {c.word: c for c in d.score(burst, d.DiscoverSettings(min_freq=3, per_text=False), lexicon=jieba_lexicon())}
    assert one["扶贫车间"].docfreq == 1 and one["扶贫车间"].freq >= 12
    # One text: counted once (G² of f = 1), far below the weight by tokens (f = 12).
    total = float(burst.segments.n_tokens)
    once = d._signed_g2(np.array([1]), np.array([one["扶贫车间"].expected]), total)[0]
    assert one["扶贫车间"].weight == pytest.approx(once, abs=1e-3)
    assert by_tokens["扶贫车间"].weight > 10 * one["扶贫车间"].weight
    assert spread.weight > 10.83 and spread.docfreq == spread.freq


def test_discovery_expectation_of_a_compound_of_words_is_general_language():
    from caseminer.nlp import measures

    lexicon = jieba_lexicon()
    total = math.log(sum(lexicon.values()))
    words = ["旅游扶贫", "扶贫车"]
    # Text counts of the pieces at every cut (ln counts): large, as in a poverty corpus.
    left = np.full((2, 7), np.nan)
    right = np.full((2, 7), np.nan)
    left[:, :3] = math.log(5000)
    right[:, :3] = math.log(5000)
    logq = measures.log_expectation(words, np.array([0, 1]), left, right, math.log(10**6), lexicon, total)
    expect = math.log(lexicon["旅游"]) + math.log(lexicon["扶贫"]) - 2 * total
    assert logq[0] == pytest.approx(expect)  # the texts' rate of 扶贫 does not raise q
    # 扶贫|车 leaves two lexicon words too (车 is one); a cut into non-words would use text rates.
    assert logq[1] == pytest.approx(math.log(lexicon["扶贫"]) + math.log(lexicon["车"]) - 2 * total)
    fragment = measures.log_expectation(["贫车间"], np.array([0]), left[:1], right[:1], math.log(10**6), {}, total)
    assert fragment[0] == pytest.approx(2 * (math.log(5000) - math.log(10**6)))


def test_discovery_nested_counts_need_a_word_as_remainder():
    from caseminer.nlp import measures

    containers = ["农村人居环境", "乡村振兴", "人居环境整治", "人居环境好"]
    extra_f, extra_d = measures.nested_counts(
        containers, np.array([7, 50, 23, 4]), np.array([6, 40, 20, 4]), ["人居环境", "村振兴"], {"农村": 1, "整治": 1}
    )
    # 农村|人居环境 and 人居环境|整治 count; 人居环境|好 leaves one character; 乡|村振兴 likewise.
    assert extra_f.tolist() == [30, 0] and extra_d.tolist() == [26, 0]


def test_discovery_count_nested_is_a_setting(cases):
    stats = d.corpus_stats(cases, SMALL)
    on = {c.word: c for c in d.score(stats, SMALL, lexicon=jieba_lexicon())}
    off = {c.word: c for c in d.score(stats, d.DiscoverSettings(min_freq=3, count_nested=False), lexicon=jieba_lexicon())}
    assert set(on) == set(off)
    assert all(on[w].freq >= off[w].freq and on[w].docfreq <= stats.n_texts for w in on)


def test_discovery_compound_with_one_character_head():
    # 脱贫 is everywhere, so the PMI join never glues 户 to it; the compound step pairs
    # it with a one-character nominal head (户), not with any character (人).
    from caseminer.nlp import ngrams as ng

    ids, doc = ng.encode(["脱贫户增收。脱贫户多。", "脱贫人少。"])
    empty = ng.CodeSet(np.zeros(0, dtype=np.uint64))
    join = [{2: ng.CodeSet(np.array([ng.pack("脱贫"), ng.pack("增收")], dtype=np.uint64)), 3: empty, 4: empty}]
    segs = ng.count_segments(ids, doc, join, max_len=8)
    found = dict(zip(ng.unpack_keys(segs.hi, segs.lo), segs.freq.tolist()))
    assert found["脱贫户"] == 2 and found["脱贫"] == 3
    assert "脱贫人" not in found


# ---------------------------------------------------------------- vectorised scoring = the string-level loops


def _log_expectation_loop(words, left_log, right_log, log_n, lexicon, log_total):
    """The per-string definition of measures.log_expectation (module docstring, step 4)."""

    def lex(piece):
        f = lexicon.get(piece)
        return math.log(f) - log_total if f and f > 0 else -math.inf

    out = []
    for i, w in enumerate(words):
        best = lex(w)
        pieces = [(lex(w[:k]), lex(w[k:])) for k in range(1, len(w))]
        cuts = [a + b for a, b in pieces if a > -math.inf and b > -math.inf]
        if cuts:
            best = max(best, max(cuts))
        else:
            for k, (a, b) in enumerate(pieces):
                best = max(best, max(left_log[i, k] - log_n, a) + max(right_log[i, k] - log_n, b))
        out.append(best)
    return out


def _nested_counts_loop(containers, freq, docfreq, kept, lexicon):
    pos = {w: j for j, w in enumerate(kept)}
    extra_f, extra_d = [0] * len(kept), [0] * len(kept)
    for w, f, df in zip(containers, freq, docfreq):
        hit = set()
        for k in range(2, len(w) - 1):
            a, b = w[:k], w[k:]
            if a in pos and (b in pos or b in lexicon):
                hit.add(pos[a])
            if b in pos and (a in pos or a in lexicon):
                hit.add(pos[b])
        for j in hit:
            extra_f[j] += f
            extra_d[j] += df
    return extra_f, extra_d


def _random_words(rng, alphabet, n, lengths=(2, 8)):
    return list(dict.fromkeys("".join(rng.choice(alphabet) for _ in range(rng.randint(*lengths))) for _ in range(n)))


def test_discovery_log_expectation_equals_the_string_loop():
    from caseminer.nlp import measures

    rng = random.Random(12)
    alphabet = "扶贫脱攻坚乡村振兴产业车间"
    words = _random_words(rng, alphabet, 400)
    lexicon = {w: rng.choice([0, 1, 3, 50, 700]) for w in _random_words(rng, alphabet, 300, (1, 4))}
    log_total = math.log(sum(lexicon.values()))
    left = np.array([[math.log(rng.randint(1, 900)) for _ in range(7)] for _ in words])
    right = np.array([[math.log(rng.randint(1, 900)) for _ in range(7)] for _ in words])
    got = measures.log_expectation(words, np.arange(len(words)), left, right, math.log(10**5), lexicon, log_total)
    assert got.tolist() == _log_expectation_loop(words, left, right, math.log(10**5), lexicon, log_total)
    # The string path of the long segments (step 2c) computes the same.
    strings = measures.log_expectation_strings(words, left, right, math.log(10**5), lexicon, log_total)
    assert strings.tolist() == got.tolist()
    with pytest.raises(ValueError, match="Han"):
        measures.log_expectation(["A股"], np.array([0]), left[:1], right[:1], 1.0, lexicon, log_total)


def test_discovery_nested_counts_equal_the_string_loop():
    from caseminer.nlp import measures

    rng = random.Random(13)
    alphabet = "扶贫脱攻坚乡村振兴"
    containers = _random_words(rng, alphabet, 600, (4, 8))
    kept = _random_words(rng, alphabet, 300, (2, 5))
    lexicon = {w: 1 for w in _random_words(rng, alphabet, 200, (2, 4))}
    freq = [rng.randint(2, 50) for _ in containers]
    docfreq = [rng.randint(1, f) for f in freq]
    extra_f, extra_d = measures.nested_counts(containers, np.array(freq), np.array(docfreq), kept, lexicon)
    want_f, want_d = _nested_counts_loop(containers, freq, docfreq, kept, lexicon)
    assert extra_f.tolist() == want_f and extra_d.tolist() == want_d and sum(want_f) > 0


def test_discovery_function_edge_finds_proper_pieces():
    from caseminer.nlp import ngrams as ng

    function = {"所有", "我们", "一个"}
    words = ["所有贫困户", "贫困户我们", "扶贫一个户", "所有", "我们好", "扶贫车间", "一个一个"]
    hi, lo, _ = ng.pack_strings(words)
    got = d._function_edge(hi, lo, ng.StringTable(function))
    want = [any(w[:k] in function or w[-k:] in function for k in range(2, len(w))) for w in words]
    assert got.tolist() == want == [True, True, False, False, True, False, True]


def test_discovery_nested_counts_without_any_hit():
    from caseminer.nlp import measures

    extra_f, extra_d = measures.nested_counts(["扶贫车间", "乡村振兴"], np.array([3, 4]), np.array([1, 2]), ["光伏"], {})
    assert extra_f.tolist() == [0] and extra_d.tolist() == [0]


def test_discovery_no_texts_is_a_clear_error():
    with pytest.raises(InvalidInput, match="no texts"):
        d.discover([])


def test_discovery_step5_drops_pieces_of_a_repeated_formula(cases):
    # 易地扶贫 occurs only inside 易地扶贫搬迁 here: a piece of the formula, not a term;
    # 扶贫车间 also occurs on its own and stays.
    texts = [t + "易地扶贫搬迁群众进了扶贫车间。" if i % 2 else t + "扶贫车间招工。" for i, t in enumerate(cases)]
    stats = d.corpus_stats(texts, SMALL)
    mk = lambda w: d.Candidate(word=w, weight=100.0, freq=40, docfreq=40, in_lexicon=False, expected=0.01)  # noqa: E731
    out = d.weigh_topical([mk("易地扶贫搬迁"), mk("易地扶贫"), mk("扶贫车间")], texts, stats, SMALL, seeds=["群众"])
    assert [c.word for c in out if c.word != "扶贫车间"] == ["易地扶贫搬迁"]
    assert "扶贫车间" in {c.word for c in out}


def test_discovery_step5_reads_a_corpus_of_few_texts_as_a_case(monkeypatch):
    # Below FEW_TEXTS texts the "seeds" are whatever lexicon words the texts repeat: no
    # occurrence is discounted as off topic, and the weight is step 4's G² of every occurrence.
    from caseminer.nlp import measures

    texts = ["群众进了扶贫车间。扶贫车间招工。县里开会。", "扶贫车间招工。群众致富。"]
    stats = d.corpus_stats(texts, SMALL)
    mk = lambda: d.Candidate(word="扶贫车间", weight=0.0, freq=4, docfreq=2, in_lexicon=False, expected=0.01)  # noqa: E731
    # the seed's sentence alone, a topic though one seed keeps no company
    plain = replace(SMALL, termhood=0, semantic=0, inner_spans=False, topic_window=0, topic_min_cohesion=0)
    (few,) = d.weigh_topical([mk()], texts, stats, plain, seeds=["群众"])
    total = float(stats.segments.n_tokens)
    assert few.topicality == 1.0
    # the candidate's count (4) is bounded by the texts, which hold it three times in two
    assert (few.freq, few.docfreq) == (3, 2)
    assert few.weight == pytest.approx(float(measures.signed_g2(np.array([3.0]), np.array([0.01]), total)[0]), abs=1e-3)
    monkeypatch.setattr(d, "FEW_TEXTS", 1)  # read as a corpus: one of its three occurrences is on topic
    (many,) = d.weigh_topical([mk()], texts, stats, plain, seeds=["群众"])
    assert many.topicality == pytest.approx(1 / 3, abs=1e-4) and many.weight < few.weight


def test_discovery_case_floor():
    settings = d.DiscoverSettings()
    mk = lambda w, f: d.Candidate(word="扶贫车间", weight=w, freq=f, docfreq=1, in_lexicon=False)  # noqa: E731
    assert d.reaches_case_floor(mk(10.83, 2), settings)  # the G² of p < 0.001
    assert not d.reaches_case_floor(mk(10.8, 3), settings)
    assert d.reaches_case_floor(mk(0.5, 4), settings)  # written four times, at a positive weight
    assert not d.reaches_case_floor(mk(-0.5, 9), settings)
    assert d.reaches_case_floor(mk(-0.5, 2), replace(settings, min_weight_case=None))


def test_discovery_in_case_drops_pieces_of_a_repeated_formula(monkeypatch):
    # The case writes 防返贫 only inside 防返贫监测: the per-case list keeps the whole.
    text = "县里建立防返贫监测平台。防返贫监测覆盖全县。防返贫监测员入户。"
    pieces = [d.Candidate(word=w, weight=50.0, freq=3, docfreq=1, in_lexicon=False) for w in ("防返贫监测", "防返贫")]
    monkeypatch.setattr(d, "_score_segments", lambda *a, **k: list(pieces))
    assert [c.word for c in d.discover_in_case(text, None, SMALL)] == ["防返贫监测"]


def test_discovery_lexicon_models_are_built_once_per_lexicon():
    # Per-case lists score every case with the same lexicon: its packed form is reused.
    lexicon = {"扶贫": 10, "车间": 5}
    first = d._lexicon_models(lexicon, 8)
    assert d._lexicon_models(lexicon, 8)[1] is first[1]
    # step 3e's two-character words come from the same lexicon and are kept beside its models
    codes = d._two_char_codes(lexicon)
    assert d._two_char_codes(lexicon) is codes and len(codes) == 2
    assert d._lexicon_models(lexicon, 8)[1] is first[1]
    other = dict(lexicon, 产业=3)
    assert d._lexicon_models(other, 8)[1] is not first[1]


# ---------------------------------------------------------------- candidates of 9-16 characters

LONG_TERM = "易地搬迁后续扶持工程"  # ten characters: past the packed keys of eight


@pytest.fixture(scope="module")
def long_cases():
    return make_cases(seed=3, term=LONG_TERM)


def test_discovery_finds_a_long_term_whole(long_cases):
    found = {c.word: c for c in d.discover(long_cases, SMALL, lexicon=jieba_lexicon())}
    term = found[LONG_TERM]
    assert not term.in_lexicon and term.freq >= 10 and term.weight > 10.83
    # Its pieces are no candidates of their own: they never stand alone.
    assert not {w for w in found if w != LONG_TERM and w in LONG_TERM and len(w) >= 4}


def test_discovery_long_terms_follow_max_len(long_cases):
    short = d.discover(long_cases, d.DiscoverSettings(min_freq=3, max_len=8), lexicon=jieba_lexicon())
    assert all(len(c.word) <= 8 for c in short)
    assert LONG_TERM not in {c.word for c in short}


def test_discovery_long_terms_do_not_depend_on_shards_or_jobs(long_cases):
    one = d.discover(long_cases, SMALL, lexicon=jieba_lexicon())
    two = d.discover(long_cases, d.DiscoverSettings(min_freq=3, shard_chars=1000), lexicon=jieba_lexicon(), n_jobs=2)
    assert [(c.word, c.weight, c.freq, c.docfreq) for c in one] == [(c.word, c.weight, c.freq, c.docfreq) for c in two]


def test_discovery_in_case_finds_a_long_term_seen_twice():
    text = (f"县里启动{LONG_TERM}，三百户搬迁群众受益。记者走进安置社区，"
            f"看到{LONG_TERM}让群众稳得住。")
    found = {c.word for c in d.discover_in_case(text, lexicon=jieba_lexicon())}
    assert LONG_TERM in found


# Made-up case: 建档立卡贫困 is written six times, each time before another head.
HEADS = ("镇里为建档立卡贫困家庭落实帮扶措施。建档立卡贫困学生得到资助，建档立卡贫困劳动力参加培训。"
         "建档立卡贫困残疾人领到补贴，建档立卡贫困老人住进新房，建档立卡贫困群众搬进安置点。"
         "村里还建起了扶贫车间，扶贫车间吸纳了三十多人就业。")


def test_discovery_in_case_drops_an_attribute_cut_off_its_heads(monkeypatch):
    # its neighbours vary (家庭, 学生, 劳动力 ...), so only where it stands tells: never
    # closing a word, it is the modifier of six terms, not a term (nesting.headless)
    assert [c.word for c in d.discover_in_case(HEADS, None, lexicon=jieba_lexicon())] == ["扶贫车间"]
    monkeypatch.setattr(d.nesting, "headless", lambda *args: set())
    assert [c.word for c in d.discover_in_case(HEADS, None, lexicon=jieba_lexicon())] == ["建档立卡贫困", "扶贫车间"]
    assert d._ends_with_attribute("建档立卡贫困") and not d._ends_with_attribute("扶贫车间")
    assert not d._ends_with_attribute("贫困")  # one word of the dictionary: a unit


def test_branching_entropy_of_one_neighbour_is_zero_not_below():
    # One neighbour every time: ln(22) - 22 ln(22) / 22 rounds to -4e-16, which a test at
    # min_entropy 0 (the test off) would read as below it (discover --explain --trace relies on it).
    from collections import Counter

    from caseminer.nlp import inner_spans, measures

    counts = inner_spans.SpanCounts(Counter({"拓展脱贫": 22}), Counter({"拓展脱贫": 20}))
    segs = inner_spans.as_long_segments(["拓展脱贫"], counts, {}, {"拓展脱贫": Counter({"攻": 22})})
    assert measures.side_entropy(segs, "right").tolist() == [0.0]
    # no neighbour seen: every occurrence at a boundary, each a distinct neighbour
    assert measures.side_entropy(segs, "left").tolist() == pytest.approx([math.log(22)])


def _talks(n: int = 12) -> list[str]:
    countries = ["吉尔吉斯斯坦", "巴基斯坦", "哈萨克斯坦", "乌兹别克斯坦", "塔吉克斯坦", "土库曼斯坦", "巴勒斯坦"]
    texts = []
    for i in range(n):
        a, b, c = (countries[(i + k) % 7] for k in (0, 2, 4))
        texts.append(f"{a}总统会见了来自{b}的代表团。双方表示，{a}愿同{b}和{c}加强合作。{c}外长说，{b}和{a}"
                     f"是好邻居。第{i + 1}次会谈在{a}首都举行，{c}和{b}的企业签署了协议。")
    return texts


def test_a_piece_of_words_the_lexicon_knows_is_no_candidate_of_a_case(monkeypatch):
    # The cut of these talks parts 吉尔吉|斯斯坦, so 吉尔吉 is counted; jieba's dictionary knows
    # 吉尔吉斯斯坦, which holds every occurrence of it: a piece of a known word, no new word.
    from caseminer.nlp import lexicon_pieces

    texts = _talks()
    lexicon = jieba_lexicon()
    stats = d.corpus_stats(texts, d.DiscoverSettings())
    n, inside = lexicon_pieces.PieceCounter(["吉尔吉", "双方表示"], d._containers(lexicon)).count(texts)
    assert n.tolist() == [sum(t.count("吉尔吉") for t in texts), 12] and inside.tolist() == [n[0], 0]
    listed = [c.word for c in d.discover_in_case(texts[0], stats, lexicon=lexicon)]
    assert "吉尔吉" not in listed
    monkeypatch.setattr(lexicon_pieces, "pieces", lambda *args, **kwargs: set())  # the test off
    assert "吉尔吉" in [c.word for c in d.discover_in_case(texts[0], stats, lexicon=lexicon)]


def test_the_pieces_of_known_words_go_where_step_5_runs(monkeypatch):
    # In a corpus with a topic, step 5 drops the pieces of the corpus list too: the same
    # talks with a topic seeded by hand (weigh_topical's seeds).
    from caseminer.nlp import lexicon_pieces

    texts = _talks(24)
    lexicon = jieba_lexicon()
    settings = d.DiscoverSettings(termhood=0, semantic=0, inner_spans=False)
    stats = d.corpus_stats(texts, settings)
    ranked = d.score(stats, settings, lexicon=lexicon)
    assert "吉尔吉" in [c.word for c in ranked]
    kept = d.weigh_topical([replace(c) for c in ranked], texts, stats, settings, seeds=["合作"], lexicon=lexicon)
    assert "吉尔吉" not in [c.word for c in kept] and "双方表示" in [c.word for c in kept]
    monkeypatch.setattr(lexicon_pieces, "pieces", lambda *args, **kwargs: set())
    again = d.weigh_topical([replace(c) for c in ranked], texts, stats, settings, seeds=["合作"], lexicon=lexicon)
    assert "吉尔吉" in [c.word for c in again]


@pytest.mark.corpora
@pytest.mark.slow
def test_discovery_reads_a_subject_without_seeds_in_real_stories_on_farming():
    # CCTV's stories on farming (as benchmarks/discovery_genres.py selects them) over-use no
    # word 100 times, but nouns of farming 30 times (15 in a study's 117 of them); CCTV's stories at large
    # only the register's verbs.
    import glob
    import json

    root = os.environ.get(
        "CASEMINER_CORPORA", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "corpora")
    )
    folder = os.path.join(root, "xwlb-cctv-news")
    files = sorted(glob.glob(os.path.join(folder, "xwlb_20*.jsonl")))
    if not files:
        pytest.skip(f"real corpus not found at {folder} (set CASEMINER_CORPORA)")
    with open(os.path.join(folder, "xwlb_poverty_subset.jsonl"), encoding="utf-8") as handle:
        poverty = {json.loads(line)["id"] for line in handle}
    stories = []
    for name in files:
        with open(name, encoding="utf-8") as handle:
            stories += [r["text"] for r in map(json.loads, handle) if r["id"] not in poverty]
    farming_words = "农业 农村 农民 三农 乡村 粮食 耕地 种粮 农产品 农田".split()
    farming = [t for t in stories if sum(t.count(w) for w in farming_words) >= 4]
    random.Random(8).shuffle(farming)
    random.Random(8).shuffle(stories)
    lexicon = jieba_lexicon()
    read = {}
    samples = {"farming": farming[:2000], "all": stories[:2000],
               # a study's size: 117 stories, whose nouns reach 15 times their expectation, not 30
               "farming 117": farming[:117], "farming 117 more": farming[700:817],
               "all 117": stories[:117], "all 500": stories[:500]}
    for name, texts in samples.items():
        settings = d.DiscoverSettings(min_freq=2)
        stats = d.corpus_stats(texts, settings)
        ranked = d.score(stats, settings, lexicon=lexicon)
        read[name] = d.topic_seeds(ranked, stats, settings), d.subject_words(ranked, stats, settings)
    for name in ("farming", "farming 117", "farming 117 more"):
        assert read[name][0] == [] and {"农业", "粮食", "乡村"} <= set(read[name][1]), name
    assert read["all"] == read["all 117"] == read["all 500"] == ([], [])
