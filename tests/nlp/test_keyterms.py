"""Tests of caseminer.nlp.keyterms (term candidates, TF-IDF, TextRank, fused keywords).

Fixture cases are written for these tests (no corpus text). Tokens come from
jieba directly (dictionary only, HMM off), with the "discovered" words added
to jieba and tagged n_new, as the segmentation stage does.
"""

from __future__ import annotations

import json
import math
import random

import pytest

from caseminer.errors import InvalidInput, InvalidSetting
from caseminer.nlp.keyterms import (
    KeywordSettings,
    build_candidates,
    chunks,
    corpus_idf,
    extract_keywords,
    load_background_idf,
    pagerank,
    textrank,
    textrank_scores,
    tfidf,
)
from caseminer.nlp.keyterms.candidates import CandidateOptions, is_name_like, is_probable_name
from caseminer.nlp.keyterms.fusion import INSTITUTION_HEADS, _eligible, _select, build_corpus_stats, fused_features
from caseminer.nlp.stopwords import load_starter_list
from caseminer.nlp.tokens import Token

jieba = pytest.importorskip("jieba")
import jieba.posseg  # noqa: E402

NEW_WORDS = ["防贫预警", "以奖代补"]

CASES = {
    "jx": (
        "县里建设扶贫车间，扶贫车间吸纳贫困劳动力就近就业。"
        "发展特色产业，特色产业带动农户增收。扶贫车间实行以奖代补，凡大爷在扶贫车间上班。"
    ),
    "hb": (
        "河北建立防贫预警机制，防贫预警员定期走访。防贫预警覆盖低收入群体，"
        "对有返贫风险的群众及时帮扶。金融扶贫提供小额贷款，金融扶贫助力发展。"
    ),
    "gz": (
        "贵州推进易地扶贫搬迁，搬迁群众进入安置社区。安置社区配套扶贫车间，"
        "发展乡村旅游。乡村旅游带动就业，易地扶贫搬迁群众稳得住。"
    ),
    "sc": (
        "四川推行“一县一业”，发展特色产业。乡村旅游和电子商务结合，"
        "电子商务帮助农产品销售，金融扶贫支持合作社。"
    ),
    "nx": (
        "宁夏完成易地扶贫搬迁，移民新村建起扶贫车间。防贫预警系统覆盖全区，"
        "电子商务拓宽销路，移民新村发展庭院经济。"
    ),
}


@pytest.fixture(scope="module")
def tokenizer():
    jieba.setLogLevel(60)
    tk = jieba.Tokenizer()
    for w in NEW_WORDS:
        tk.add_word(w, 2000, "n_new")
    return jieba.posseg.POSTokenizer(tk)


def cut(tokenizer, text: str) -> list[Token]:
    out, pos = [], 0
    for pair in tokenizer.lcut(text, HMM=False):
        w, flag = pair.word, pair.flag
        out.append(Token(w, "n_new" if w in NEW_WORDS else flag, pos, pos + len(w)))
        pos += len(w)
    assert pos == len(text)
    return out


@pytest.fixture(scope="module")
def corpus(tokenizer):
    return {cid: cut(tokenizer, text) for cid, text in CASES.items()}


def run(corpus, **kw):
    kw.setdefault("stopwords", load_starter_list())
    kw.setdefault("background_idf", load_background_idf())
    return extract_keywords(corpus, CASES, **kw)


# --- candidates -------------------------------------------------------------------


@pytest.mark.parametrize("case,term", [("jx", "扶贫车间"), ("jx", "特色产业"), ("gz", "易地扶贫搬迁"), ("hb", "金融扶贫")])
def test_keyterms_candidates_rebuild_split_terms(corpus, case, term):
    per_case, df = build_candidates(corpus, stopwords=load_starter_list())
    assert per_case[case].freq[term] >= 2
    assert df[term] >= 1


@pytest.mark.parametrize("case,term", [("jx", "建设扶贫车间"), ("jx", "发展特色产业")])
def test_keyterms_candidates_never_start_with_a_stopword(corpus, case, term):
    per_case, _ = build_candidates(corpus, stopwords=["建设", "发展"])
    assert term not in per_case[case].freq


@pytest.mark.parametrize("case,term", [("jx", "扶贫"), ("jx", "车间")])
def test_keyterms_candidates_nested_parts_get_no_independent_count(corpus, case, term):
    per_case, _ = build_candidates(corpus, stopwords=load_starter_list())
    assert per_case[case].indep[term] == 0


@pytest.mark.parametrize("case,term", [("sc", "一县一业")])
def test_keyterms_candidates_quoted_term_is_a_unit(corpus, case, term):
    # 一 is a numeral (a chunk break), and the term occurs once: quotes make it one.
    per_case, _ = build_candidates(corpus, stopwords=load_starter_list())
    assert term in per_case[case].quoted and per_case[case].freq[term] == 1


def test_keyterms_candidates_never_end_with_an_attribute(tokenizer):
    # jieba lists 高质量 as a noun; it modifies the word after it and heads no term: neither
    # it nor a string ending with it (制造业高质量 of 制造业高质量发展) is a candidate.
    text = "推动制造业高质量发展。高质量发展取得新成效，制造业高质量发展迈上新台阶。高标准农田建设加快。"
    per_case, _ = build_candidates({"a": cut(tokenizer, text)}, stopwords=load_starter_list())
    terms = set(per_case["a"].freq)
    assert not {t for t in terms if t.endswith(("高质量", "高标准"))}
    assert "高标准农田" in terms


@pytest.mark.parametrize("phrase", ["贫困劳动力就近就业"])
def test_keyterms_candidates_one_off_phrases_are_not_terms(corpus, phrase):
    per_case, _ = build_candidates(corpus, stopwords=load_starter_list())
    assert phrase not in per_case["jx"].freq


def toks(*pairs):
    """Hand-built tokens from (word, tag) pairs, contiguous from offset 0."""
    out, pos = [], 0
    for word, tag in pairs:
        out.append(Token(word, tag, pos, pos + len(word)))
        pos += len(word)
    return out


WHOLE_PHRASE = [("完善", "v"), ("农业", "n"), ("社会化", "n"), ("服务体系", "n"), ("。", "x")]


@pytest.mark.parametrize("phrases,expected", [(True, True), (False, False)])
def test_keyterms_candidates_whole_noun_phrase_written_once_is_a_term(phrases, expected):
    # Issue 4: two thirds of the researchers' keywords occur once in their passage.
    per_case, _ = build_candidates({"a": toks(*WHOLE_PHRASE)}, stopwords=["完善"],
                                   options=CandidateOptions(phrases=phrases))
    assert ("农业社会化服务体系" in per_case["a"].freq) is expected
    assert "社会化服务体系" not in per_case["a"].freq  # not a whole phrase (opened by a noun)


@pytest.mark.parametrize(
    "pairs,term",
    [
        ([("特色", "n"), ("产业", "n"), ("带动", "v"), ("农户", "n"), ("。", "x")], "特色产业带动农户"),  # verb inside
        ([("县里", "s"), ("建设", "vn"), ("扶贫", "v"), ("车间", "n"), ("。", "x")], "县里建设"),  # vn with object
        ([("完善", "v"), ("联", "v"), ("农", "zg"), ("带", "v"), ("农", "zg"), ("机制", "n"), ("。", "x")], "农机制"),
    ],
)
def test_keyterms_candidates_clause_pieces_written_once_are_not_terms(pairs, term):
    per_case, _ = build_candidates({"a": toks(*pairs)}, stopwords=["完善"])
    assert term not in per_case["a"].freq


@pytest.mark.parametrize(
    "pairs,term,expected",
    [
        # The object of a verb that introduces a measure, headed by a kind of measure: a name.
        ([("实施", "v"), ("稳", "a"), ("岗", "n"), ("扩容", "v"), ("提", "v"), ("质", "ng"), ("行动", "vn"),
          ("，", "x")], "稳岗扩容提质行动", True),
        ([("完善", "v"), ("联", "v"), ("农", "zg"), ("带", "v"), ("农", "zg"), ("富农", "nz"), ("机制", "n"),
          ("。", "x")], "联农带农富农机制", True),
        # Not introduced by such a verb, or not headed by a kind of measure: a clause.
        ([("企业", "n"), ("带动", "v"), ("农户", "n"), ("机制", "n"), ("。", "x")], "企业带动农户机制", False),
        ([("推进", "v"), ("特色产业", "n"), ("带动", "v"), ("农户", "n"), ("。", "x")], "特色产业带动农户", False),
    ],
)
def test_keyterms_candidates_named_measures_written_once_may_hold_verbs(pairs, term, expected):
    per_case, _ = build_candidates({"a": toks(*pairs)}, stopwords=["完善"])
    assert (term in per_case["a"].freq) is expected


@pytest.mark.parametrize("word", ["摆脱了贫困", "考察时指出", "让贫困群众", "乡亲们说"])
def test_keyterms_discovered_clause_pieces_break_chunks(word):
    assert chunks(toks((word, "n_new"))) == []


@pytest.mark.parametrize("pairs,name_like", [([("道德", "nr"), ("评议", "n")], False), ([("郭卫", "nr"), ("东家", "n")], True)])
def test_keyterms_common_words_tagged_as_names_start_terms(pairs, name_like):
    assert is_name_like(toks(*pairs)) is name_like


@pytest.mark.parametrize(
    "tokens,expected",
    [
        ([Token("扶贫", "v", 0, 2), Token("车间", "n", 2, 4), Token("，", "x", 4, 5), Token("产业", "n", 5, 7)],
         [["扶贫", "车间"], ["产业"]]),
        ([Token("我们", "r", 0, 2), Token("的", "uj", 2, 3), Token("产业", "n", 3, 5)], [["产业"]]),
        ([Token("产业", "n", 0, 2), Token("园", "zg", 3, 4)], [["产业"], ["园"]]),  # a gap splits
        # a measure word after a number counts the noun; no term starts with it (名干部)
        ([Token("300", "m", 0, 3), Token("名", "q", 3, 4), Token("干部", "n", 4, 6)], [["干部"]]),
        ([Token("五", "m", 0, 1), Token("户", "q", 1, 2), Token("贫困户", "n", 2, 5)], [["贫困户"]]),
    ],
)
def test_keyterms_chunks_cut_at_punctuation_function_words_and_gaps(tokens, expected):
    assert [[t.word for t in c] for c in chunks(tokens)] == expected


@pytest.mark.parametrize(
    "term,tags,expected",
    [("凡大爷", None, True), ("老唐", None, True), ("魏杰", {}, True), ("华溪村", {}, True), ("独龙江乡", {"独龙江": "ns"}, True),
     ("贫困村", {"贫困": "a"}, False), ("扶贫车间", {}, False), ("黄花", {"黄花": "n"}, False),
     # the region itself and organs of a place are no measures; a unit inside a term is no name
     ("自治区", {}, True), ("盟市", {}, True), ("乡村", {}, False), ("自治区党委", {}, True), ("省政府", {}, True), ("宁夏回族自治区人大", {}, True),
     ("县", {}, False), ("一县一业", {}, False), ("村民委员会", {"村民": "n"}, False),
     # a place inside a larger one; a county-level unit before a common noun is no place
     ("大同市云州区", {}, True), ("恩施州来凤县", {"来凤县": "nr"}, True),
     ("扶贫开发重点县", {"扶贫": "v", "开发": "v", "重点县": "n"}, False),
     ("示范县贫困村", {"示范": "v", "贫困村": "n", "贫困": "a"}, False),
     # rarer surnames: three characters, or a word the dictionary tags as a name; two
     # characters are too often terms (康养)
     ("栗战书", {}, True), ("俞正声", {"俞正声": "nr"}, True), ("康养", {}, False), ("康养村", {"康养": "n"}, False)],
)
def test_keyterms_probable_names(term, tags, expected):
    assert is_probable_name(term, tags) is expected


# --- extract_keywords ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["fused", "tfidf", "textrank"])
def test_keyterms_keywords_are_whole_terms_never_fragments(corpus, method):
    kws = run(corpus, settings=KeywordSettings(method=method))
    words = [k.keyword for k in kws["jx"]]
    assert "扶贫车间" in words
    assert "扶贫" not in words and "车间" not in words


@pytest.mark.parametrize(
    "case,term",
    [("hb", "防贫预警"), ("gz", "易地扶贫搬迁"), ("jx", "扶贫车间"), ("sc", "一县一业"), ("jx", "以奖代补")],
)
def test_keyterms_discovered_compound_and_quoted_terms_in_top3(corpus, case, term):
    assert term in [k.keyword for k in run(corpus)[case]]


@pytest.mark.parametrize("top", [1, 3, 5])
def test_keyterms_top_k(corpus, top):
    kws = run(corpus, settings=KeywordSettings(top=top))
    assert all(1 <= len(v) <= top for v in kws.values())
    assert [k.rank for k in kws["jx"]] == list(range(1, len(kws["jx"]) + 1))


@pytest.mark.parametrize("method", ["fused", "tfidf", "textrank"])
def test_keyterms_no_keyword_contains_another(corpus, method):
    # ... except a practice and its institution (防贫预警 / 防贫预警机制), see
    # test_keyterms_select_keeps_a_term_and_its_institution
    for kws in run(corpus, settings=KeywordSettings(method=method, top=5)).values():
        words = [k.keyword for k in kws]
        assert not any(a != b and a in b and b[len(a):] not in INSTITUTION_HEADS for a in words for b in words)


def test_keyterms_keyword_fields_offsets_and_context(corpus):
    for cid, kws in run(corpus).items():
        text = CASES[cid]
        for k in kws:
            assert text[k.start : k.end] == k.keyword
            assert text.find(k.keyword) == k.start  # first occurrence
            assert f"【{k.keyword}】" in k.context
            assert k.context.startswith(text[max(0, k.start - 10) : k.start])
            assert k.freq >= 1 and k.method == "fused"


@pytest.mark.parametrize("stop", [["扶贫车间"]])
def test_keyterms_stopwords_are_never_keywords(corpus, stop):
    kws = run(corpus, stopwords=load_starter_list() + stop, boundary_words=load_starter_list())
    assert all(k.keyword not in stop for v in kws.values() for k in v)


@pytest.mark.parametrize("domain", [["扶贫"]])
def test_keyterms_domain_stopwords_do_not_cut_terms(corpus, domain):
    # 扶贫 is no keyword, but 金融扶贫 still is one (domain words are no boundaries).
    starter = load_starter_list()
    kws = run(corpus, stopwords=starter + domain, boundary_words=starter)
    assert "金融扶贫" in [k.keyword for k in kws["hb"]]


def test_keyterms_boundary_words_are_no_keywords_however_the_tokens_cut_them():
    # 中国 | 特色 | 社会主义: no single token is the slogan, so the boundary cut cannot see it;
    # the whole string is still a word of the starter list and never a keyword (session 30).
    sentence = [("坚持", "v"), ("中国", "ns"), ("特色", "n"), ("社会主义", "n"), ("。", "x"),
                ("建设", "vn"), ("扶贫", "v"), ("车间", "n"), ("。", "x")]
    tokens = {c: toks(*sentence * 3) for c in "ab"}
    texts = {c: "".join(w for w, _ in sentence * 3) for c in "ab"}
    top, starter = KeywordSettings(top=10), load_starter_list()
    assert "中国特色社会主义" in starter
    without = extract_keywords(tokens, texts, settings=top, stopwords=[], boundary_words=["坚持", "建设"])
    assert [k.keyword for k in without["a"]] == ["扶贫车间", "中国特色社会主义"]
    kws = extract_keywords(tokens, texts, settings=top, stopwords=[], boundary_words=starter)
    assert [k.keyword for k in kws["a"]] == ["扶贫车间"]


def test_starter_list_names_no_numbered_measure_as_a_slogan():
    starter = set(load_starter_list())
    assert {"两个一百年", "中国特色社会主义", "国之大者"} <= starter
    assert not starter & {"五个一批", "两不愁三保障", "一县一业", "六个精准", "三变改革"}


@pytest.mark.parametrize("name", ["凡大爷"])
def test_keyterms_names_are_not_keywords_unless_asked(corpus, name):
    kws = run(corpus, settings=KeywordSettings(top=20))
    assert name not in [k.keyword for k in kws["jx"]]


def test_keyterms_discovery_method_uses_weights(corpus):
    kws = run(corpus, settings=KeywordSettings(method="discovery"),
              discovery_weights={"以奖代补": 50.0, "防贫预警": 10.0})
    assert kws["jx"][0].keyword == "以奖代补"
    assert kws["hb"][0].keyword == "防贫预警"


def test_keyterms_discovery_method_without_weights_is_an_error(corpus):
    with pytest.raises(InvalidInput, match="needs discovery weights"):
        run(corpus, settings=KeywordSettings(method="discovery"))


@pytest.mark.parametrize(
    "settings,name",
    [(KeywordSettings(top=0), "top"), (KeywordSettings(method="yake"), "method"),
     (KeywordSettings(window=1), "window")],
)
def test_keyterms_invalid_settings(corpus, settings, name):
    with pytest.raises(InvalidSetting, match=f"'{name}' setting of keywords"):
        run(corpus, settings=settings)


def test_keyterms_tokens_without_text_is_an_error(corpus):
    with pytest.raises(InvalidInput, match="no text"):
        extract_keywords(corpus, {"jx": CASES["jx"]})


def test_keyterms_results_are_deterministic(corpus):
    assert run(corpus) == run(corpus)


# --- the single algorithms -------------------------------------------------------------


@pytest.mark.parametrize("docfreq,n,term,expected", [({"a": 1, "b": 4}, 4, "a", 1.9163), ({"b": 4}, 4, "b", 1.0)])
def test_keyterms_corpus_idf_is_smoothed(docfreq, n, term, expected):
    assert corpus_idf(docfreq, n)[term] == pytest.approx(expected, abs=1e-4)


def test_keyterms_tfidf_over_tokens(corpus):
    top = tfidf(corpus["jx"], {"车间": 5.0, "扶贫": 1.0}, topn=2, stopwords=["的"])
    assert top[0][0] == "车间"


@pytest.mark.parametrize("seq", [["扶贫车间", "就业", "扶贫车间", "增收", "扶贫车间", "产业"]])
def test_keyterms_textrank_hub_wins_and_scores_sum_to_one(seq):
    scores = textrank_scores(seq, window_size=2)
    assert max(scores, key=scores.get) == "扶贫车间"
    assert sum(scores.values()) == pytest.approx(1.0)


def test_keyterms_textrank_runs_are_not_linked():
    scores = textrank_scores([["甲方", "乙方"], ["丙方", "丁方"]], window_size=5)
    assert scores["甲方"] == pytest.approx(scores["丙方"])


def test_keyterms_pagerank_rejects_bad_damping():
    with pytest.raises(InvalidInput, match="damping"):
        pagerank({"a": {}}, damping=1.0)


def test_keyterms_textrank_over_tokens(corpus):
    words = [w for w, _ in textrank(corpus["gz"], topn=3)]
    assert len(words) == 3 and all(len(w) >= 2 for w in words)


@pytest.mark.parametrize("term,generic", [("贫困群众", 1.0), ("人均纯收入", 1.0), ("扶贫车间", 0.0), ("政协委员", 1.0),
                                          ("浙江省委书记", 1.0), ("第一书记", 0.0), ("村支书", 0.0)])
def test_keyterms_generic_heads_name_no_measure(term, generic):
    cases = {"a": toks((term, "n_new"), ("。", "x"), (term, "n_new"))}
    per_case, df = build_candidates(cases)
    stats = build_corpus_stats(per_case, df)
    assert fused_features(term, per_case["a"], stats, {})["generic_head"] == generic


def test_keyterms_salience_prefers_terms_repeated_where_used():
    # 防贫预警 is repeated in the one case it occurs in; 乡村振兴战略 is
    # mentioned once in each of three cases (background of the domain).
    cases = {
        "a": toks(("防贫预警", "n_new"), ("，", "x"), ("防贫预警", "n_new"), ("，", "x"), ("乡村振兴战略", "n_new")),
        "b": toks(("乡村振兴战略", "n_new"), ("。", "x")),
        "c": toks(("乡村振兴战略", "n_new"), ("。", "x")),
    }
    per_case, df = build_candidates(cases)
    stats = build_corpus_stats(per_case, df)
    f = {t: fused_features(t, per_case["a"], stats, {}) for t in ("防贫预警", "乡村振兴战略")}
    assert f["防贫预警"]["salience"] == pytest.approx(0.75)
    assert f["乡村振兴战略"]["salience"] == pytest.approx(0.125)
    kws = extract_keywords(cases, {c: "".join(t.word for t in v) for c, v in cases.items()})
    assert [k.keyword for k in kws["a"]][0] == "防贫预警"


# --- real corpus (read only, never copied) ----------------------------------------------


@pytest.mark.corpora
def test_keyterms_on_real_stories(corpora):
    path = corpora / "xwlb-cctv-news" / "xwlb_poverty_subset.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found")
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    rows = random.Random(1).sample(rows, 25)
    tk = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    texts = {r["id"]: r["text"] for r in rows}
    toks = {}
    for cid, text in texts.items():
        out, pos = [], 0
        for p in tk.lcut(text, HMM=False):
            out.append(Token(p.word, p.flag, pos, pos + len(p.word)))
            pos += len(p.word)
        toks[cid] = out
    kws = extract_keywords(toks, texts, stopwords=load_starter_list())
    assert sum(len(v) for v in kws.values()) >= 60
    for cid, v in kws.items():
        words = [k.keyword for k in v]
        assert len(words) <= 3
        assert all(texts[cid][k.start : k.end] == k.keyword for k in v)
        assert not any(a != b and a in b for a in words for b in words)
        assert not set(words) & set(load_starter_list())


@pytest.mark.parametrize("docfreq, n_cases, expected", [(30, 30, 1.0), (15, 30, 0.0), (24, 30, 0.6), (9, 9, 0.0)])
def test_keyterms_ubiquity_penalises_terms_in_nearly_every_case(docfreq, n_cases, expected):
    from caseminer.nlp.keyterms.fusion import _ubiquity

    assert _ubiquity(docfreq, n_cases) == pytest.approx(expected)


# --- issue 4, second pass: candidates ------------------------------------------------
# Hand-built token streams (no corpus text); tags as jieba gives them.


def test_keyterms_discovered_word_with_a_content_word_at_its_edge_is_no_clause_piece():
    # 就 is a function character on its own (就能) but the start of 就业 here.
    cases = {"a": toks(("就业", "v"), ("。", "x"), ("实施", "v"), ("就业扶贫", "n_new"), ("。", "x"))}
    per_case, _ = build_candidates(cases)
    assert "就业扶贫" in per_case["a"].freq
    assert chunks(toks(("就能", "n_new"))) == []  # no content word 就能 in the corpus


@pytest.mark.parametrize(
    "word,domain,stop,vocabulary,expected",
    [
        ("生态环境治理", ["生态"], [], ["环境治理"], ["生态环境治理"]),  # a leading domain word modifies
        ("深度贫困地区脱贫攻坚", ["脱贫攻坚"], [], ["深度贫困地区"], ["深度贫困地区"]),  # a trailing one is cut
        ("基础设施建设", [], ["基础", "建设"], ["基础设施", "设施"], ["基础设施"]),  # first word of the corpus wins
        ("壮大村集体经济", [], [], ["村集体经济"], ["村集体经济"]),  # a verb introducing a measure is cut
    ],
)
def test_keyterms_stop_and_domain_words_cut_off_discovered_phrases(word, domain, stop, vocabulary, expected):
    from caseminer.nlp.keyterms.candidates import _strip_new_word

    pieces = _strip_new_word(Token(word, "n_new", 0, len(word)), frozenset(stop), 4, set(vocabulary), frozenset(domain))
    assert [p.word for p in pieces if p.pos == "n_new"] == expected


@pytest.mark.parametrize(
    "word,weights,expected",
    [
        # the remainder is a discovered word only, weaker than the whole: the stem of
        # 新发展理念 / 格局 / 阶段, no term; the whole stays
        ("新发展理念", {"新发展理念": 17.0, "新发展": 1.1}, ["新发展理念"]),
        # ... and a verb before it is still cut
        ("贯彻新发展理念", {"贯彻新发展理念": 20.0, "新发展": 1.1}, ["新发展理念"]),
        # a discovered remainder weighted above the whole is the term
        ("乡村产业发展", {"乡村产业发展": 16.0, "乡村产业": 427.0}, ["乡村产业"]),
        # a word of the lexicon remains (a token tagged otherwise somewhere): cut as before
        ("基础设施建设", {"基础设施建设": 110.0}, ["基础设施"]),
        # without the weights, the stop-word is cut
        ("新发展理念", None, ["新发展"]),
    ],
)
def test_keyterms_stop_word_is_cut_off_the_end_only_where_a_term_remains(word, weights, expected):
    from caseminer.nlp.keyterms.candidates import _CUT_TAG, _strip_new_word

    vocabulary = {"新发展": "n_new", "新发展理念": "n_new", "乡村产业": "n_new", "基础设施": "n",
                  "贯彻新发展理念": "n_new", "乡村产业发展": "n_new", "基础设施建设": "n_new"}
    stop = frozenset({"理念", "发展", "建设", "贯彻"})
    pieces = _strip_new_word(Token(word, "n_new", 0, len(word)), stop, 4, vocabulary, frozenset(), weights)
    assert [p.word for p in pieces if p.pos != _CUT_TAG] == expected


def test_keyterms_discovery_weights_keep_a_discovered_term_whole_in_every_case():
    # 新发展理念 in case a would be cut to 新发展, a discovered word of case b that
    # discovery weighs less: with the weights it stays whole
    cases = {"a": toks(("贯彻", "v"), ("新发展理念", "n_new"), ("。", "x")),
             "b": toks(("新发展", "n_new"), ("阶段", "n"), ("。", "x"))}
    plain, _ = build_candidates(cases, stopwords=["理念", "阶段"])
    weighed, _ = build_candidates(cases, stopwords=["理念", "阶段"], weights={"新发展理念": 17.0, "新发展": 1.1})
    assert "新发展" in plain["a"].freq and "新发展理念" not in plain["a"].freq
    assert "新发展理念" in weighed["a"].freq and "新发展" not in weighed["a"].freq


def test_keyterms_list_weights_decide_the_stem_rule_not_the_discovery_weights():
    # 大扶贫 is used on the topic more often than 大扶贫格局 (discovery_weights), but the list
    # weighs it less (list_weights): the keyword is the whole term. (Session 40 found it with
    # 新发展 / 新发展格局; 新发展 alone is no term since session 57.)
    case = toks(("构建", "v"), ("大扶贫格局", "n_new"), ("。", "x"), ("构建", "v"), ("大扶贫格局", "n_new"),
                ("。", "x"), ("取得", "v"), ("大扶贫", "n_new"), ("。", "x"))
    text = "".join(t.word for t in case)
    on_topic = {"大扶贫": 264.0, "大扶贫格局": 159.0}
    listed = {"大扶贫": 1.35, "大扶贫格局": 4.67}
    top = KeywordSettings(top=1)
    stem = extract_keywords({"a": case}, {"a": text}, settings=top, stopwords=["格局"], discovery_weights=on_topic)
    whole = extract_keywords({"a": case}, {"a": text}, settings=top, stopwords=["格局"], discovery_weights=on_topic,
                             list_weights=listed)
    assert [k.keyword for k in stem["a"]] == ["大扶贫"]
    assert [k.keyword for k in whole["a"]] == ["大扶贫格局"]


def test_keyterms_plus_joins_words_into_one_term():
    quoted = toks(("推行", "v"), ("“", "x"), ("互联网", "n"), ("+", "x"), ("扶贫", "v"), ("”", "x"), ("。", "x"))
    numbers = toks(("“", "x"), ("1", "m"), ("+", "x"), ("N", "eng"), ("”", "x"), ("模式", "n"))
    plain = toks(("龙头企业", "n"), ("+", "x"), ("合作社", "n"), ("，", "x"), ("龙头企业", "n"), ("+", "x"), ("合作社", "n"))
    per_case, _ = build_candidates({"q": quoted, "n": numbers, "p": plain})
    assert "互联网+扶贫" in per_case["q"].quoted and "互联网+扶贫" in per_case["q"].freq
    assert "1+N" not in per_case["n"].freq  # no Han characters: names nothing alone
    assert per_case["p"].indep["龙头企业+合作社"] == 2
    assert not any(t.startswith("+") or t.endswith("+") for cc in per_case.values() for t in cc.freq)


def test_keyterms_yi_x_dai_y_scheme_is_a_term_and_single_character_pairs_are_not():
    stream = [("推行", "v"), ("以", "p"), ("奖", "n"), ("代", "v"), ("补", "v"), ("，", "x"),
              ("防", "v"), ("贫", "a"), ("预警", "vn"), ("，", "x")]
    per_case, _ = build_candidates({"a": toks(*stream), "b": toks(*stream)})
    assert per_case["a"].indep["以奖代补"] == 1
    assert "奖代补" not in per_case["a"].freq
    assert "防贫" not in per_case["a"].freq  # 防/贫: two single characters, a piece of an unknown word
    assert "防贫预警" in per_case["a"].freq
    assert chunks(toks(("以", "p"), ("此", "r"), ("为", "p"))) == []  # the preposition still breaks


def test_keyterms_measure_introducing_verbs_start_no_term_and_mark_their_object():
    stream = [("建成", "v"), ("扶贫", "v"), ("车间", "n"), ("，", "x"), ("建成", "v"), ("了", "ul"), ("扶贫", "v"),
              ("车间", "n"), ("。", "x")]
    per_case, _ = build_candidates({"a": toks(*stream), "b": toks(*stream)})
    cc = per_case["a"]
    assert "建成扶贫" not in cc.freq and "建成扶贫车间" not in cc.freq
    assert cc.indep["扶贫车间"] == 2
    assert cc.introduced["扶贫车间"] == 2  # 了 between verb and object is skipped
    assert cc.lead_end == 15  # the first sentence ends at the first 。


def test_keyterms_verb_with_object_claims_no_nested_occurrence():
    # 享受 (a verb, but none of the measure-introducing ones) + a term of four
    # or more characters: a clause; 大病补充保险 keeps its own count.
    stream = [("享受", "v"), ("大病", "n"), ("补充", "v"), ("保险", "n"), ("。", "x")] * 2
    per_case, _ = build_candidates({"a": toks(*stream)})
    cc = per_case["a"]
    assert cc.freq["享受大病补充保险"] == 2
    assert cc.indep["大病补充保险"] == 2


@pytest.mark.parametrize("others,claimed", [(["易地扶贫搬迁"], True), (["易地扶贫"] * 4, False)])
def test_keyterms_cover_seen_once_claims_a_part_mostly_seen_inside_it(others, claimed):
    # 易地扶贫搬迁 occurs once in case a and in other cases too. If 易地扶贫 is
    # mostly seen inside it, its occurrence there is not its own.
    whole = [("易地", "n"), ("扶贫", "v"), ("搬迁", "v"), ("。", "x")]
    cases = {"a": toks(*whole)}
    for k, term in enumerate(others):
        cases[f"o{k}"] = toks(*(whole if term == "易地扶贫搬迁" else whole[:2]), ("。", "x"))
    per_case, _ = build_candidates(cases)
    assert (per_case["a"].indep["易地扶贫"] == 0) is claimed


@pytest.mark.parametrize("term,tags,expected", [("积分超市", {"超市": "v"}, False), ("幸福社区", {"社区": "n"}, True)])
def test_keyterms_common_word_ending_in_a_place_character_is_no_name(term, tags, expected):
    assert is_probable_name(term, tags) is expected


# --- issue 4, second pass: features --------------------------------------------------


def _features(cases, case, term, lexicon=None):
    per_case, df = build_candidates(cases)
    stats = build_corpus_stats(per_case, df, lexicon=lexicon)
    return fused_features(term, per_case[case], stats, {})


def test_keyterms_measure_head_introduced_and_lead_features():
    cases = {"a": toks(("实施", "v"), ("整村托管", "n_new"), ("。", "x"), ("整村托管", "n_new"), ("带动", "v"),
                       ("利益联结机制", "n_new"), ("。", "x"), ("利益联结机制", "n_new"), ("。", "x"))}
    f1, f2 = _features(cases, "a", "整村托管"), _features(cases, "a", "利益联结机制")
    assert (f1["introduced"], f1["lead"], f1["measure_head"]) == (1.0, 1.0, 0.0)
    assert (f2["introduced"], f2["lead"], f2["measure_head"]) == (0.0, 0.0, 1.0)


def test_keyterms_common_parts_marks_combinations_of_commonplace_words():
    # 扶贫 and 资金 are in all ten cases, 芙蓉 in one.
    common = [("扶贫", "v"), ("，", "x"), ("资金", "n"), ("，", "x"), ("扶贫资金", "n_new"), ("。", "x")]
    cases = {c: toks(*common) for c in "bcdefghij"}
    cases["a"] = toks(*common, ("芙蓉", "n"), ("学校", "n"), ("。", "x"), ("芙蓉", "n"), ("学校", "n"))
    assert _features(cases, "a", "扶贫资金")["common_parts"] == pytest.approx(1.0)  # split into 扶贫 + 资金
    assert _features(cases, "a", "芙蓉学校")["common_parts"] == pytest.approx(0.1)
    # below ten cases a share of cases says nothing: 0, as case_share
    few = {c: cases[c] for c in "abcd"}
    assert _features(few, "a", "扶贫资金")["common_parts"] == 0.0


def test_keyterms_bare_verb_and_verb_object_features():
    lexicon = {"帮扶": "v", "加入": "v", "扶贫": "v", "合作社": "n", "车间": "n"}
    common = [("扶贫", "v"), ("，", "x"), ("扶贫", "v"), ("车间", "n"), ("。", "x")]
    cases = {c: toks(*common) for c in "abcdefghij"}
    cases["a"] = toks(*common, ("加入", "v"), ("合作社", "n"), ("，", "x"), ("加入", "v"), ("合作社", "n"), ("，", "x"),
                      ("帮扶", "v"), ("。", "x"), ("帮扶", "v"))
    assert _features(cases, "a", "帮扶", lexicon)["bare_verb"] == 1.0
    assert _features(cases, "a", "加入合作社", lexicon)["verb_object"] == pytest.approx(0.5)  # 加入: 1 case of 10
    assert _features(cases, "a", "扶贫车间", lexicon)["verb_object"] == 0.0  # 扶贫: in every case, a domain verb


def test_keyterms_stripped_discovered_word_keeps_its_corpus_tag():
    # 全面展开 (discovered) loses 全面; 展开 is a verb elsewhere in the corpus, so
    # it opens the noun phrase 职业教育扶贫, a term although written once.
    cases = {
        "a": toks(("全面展开", "n_new"), ("职业", "n"), ("教育扶贫", "n_new"), ("。", "x")),
        "b": toks(("展开", "v"), ("调研", "vn"), ("。", "x")),
    }
    per_case, _ = build_candidates(cases, stopwords=["全面"])
    assert "职业教育扶贫" in per_case["a"].freq
    assert "展开职业教育扶贫" not in per_case["a"].freq


# --- selection of the top K: wholes and institutions ---------------------------------


def test_keyterms_select_merges_overlapping_parts_into_the_whole():
    # 电子商务 and 商务平台 are two readings of 电子商务平台, a candidate of the case
    ranked = [("电子商务", 3.0), ("商务平台", 2.9), ("光伏电站", 2.0), ("电子商务平台", 1.0), ("茶叶", 0.5)]
    # the whole takes the place and score of the part chosen first: weights fall with rank
    assert _select(ranked, 3) == [("电子商务平台", 3.0), ("光伏电站", 2.0), ("茶叶", 0.5)]
    # no such whole among the candidates: both parts stay
    ranked = [("电子商务", 3.0), ("商务平台", 2.9), ("光伏电站", 2.0)]
    assert [t for t, _ in _select(ranked, 3)] == ["电子商务", "商务平台", "光伏电站"]


def test_keyterms_select_joins_parts_the_case_writes_as_one_term():
    # the whole is no candidate (written = the case's account of it): the keyword is the whole
    ranked = [("扶贫领域作风", 3.0), ("光伏电站", 2.5), ("作风问题专项治理", 2.4), ("茶叶", 0.5)]
    wholes = {("扶贫领域作风", "作风问题专项治理"): "扶贫领域作风问题专项治理"}
    skipped: dict = {}
    picked = _select(ranked, 3, skipped, written=lambda a, b: wholes.get((a, b)))
    assert picked == [("扶贫领域作风问题专项治理", 3.0), ("光伏电站", 2.5), ("茶叶", 0.5)]
    assert skipped["扶贫领域作风"] == skipped["作风问题专项治理"] == ("merged", "扶贫领域作风问题专项治理")
    # not written together: both halves stay
    assert [t for t, _ in _select(ranked, 3, written=lambda a, b: None)] == ["扶贫领域作风", "光伏电站", "作风问题专项治理"]


WHOLE_TEXT = "纪委开展扶贫领域作风问题专项治理。扶贫领域作风问题专项治理查处干部十人。"


def _case_of(spans):
    from caseminer.nlp.keyterms.candidates import CaseCandidates
    cc = CaseCandidates()
    for s, e, t in spans:
        cc.freq[t] += 1
    cc.sequence = sorted(spans)
    return cc


class _NoNames:
    @staticmethod
    def is_name(term):
        return False

    @staticmethod
    def names_a_body(term):
        return False


@pytest.mark.parametrize("extra,expected", [
    ([], "扶贫领域作风问题专项治理"),
    # one half also stands apart: the other is still only a piece of the whole
    ([(40, 48, "作风问题专项治理")], "扶贫领域作风问题专项治理"),
    # both halves stand apart too: two terms of the case, not one
    ([(40, 48, "作风问题专项治理"), (50, 56, "扶贫领域作风")], None),
    # the whole is a candidate kept out by a rule of its own (here: written as a candidate)
    ([(4, 16, "扶贫领域作风问题专项治理")], None),
])
def test_keyterms_written_whole(extra, expected):
    from caseminer.nlp.keyterms.fusion import _written_whole
    spans = [(4, 10, "扶贫领域作风"), (8, 16, "作风问题专项治理"), (17, 23, "扶贫领域作风"), (21, 29, "作风问题专项治理")]
    cc = _case_of(spans + extra)
    assert WHOLE_TEXT[4:16] == WHOLE_TEXT[17:29] == "扶贫领域作风问题专项治理"
    assert _written_whole("扶贫领域作风", "作风问题专项治理", cc, _NoNames(), KeywordSettings()) == expected
    assert _written_whole("作风问题专项治理", "扶贫领域作风", cc, _NoNames(), KeywordSettings()) == expected


def test_keyterms_written_whole_needs_an_overlap_read_one_way():
    from caseminer.nlp.keyterms.fusion import _written_whole
    # side by side (no shared characters): a phrase of two terms, not one term
    assert _written_whole("光伏电站", "收益分红", _case_of([(0, 4, "光伏电站"), (4, 8, "收益分红")]),
                          _NoNames(), KeywordSettings()) is None
    # the two overlap by different characters in two places: no one whole
    cc = _case_of([(0, 4, "产业扶贫"), (2, 6, "扶贫产业"), (10, 14, "产业扶贫"), (8, 12, "扶贫产业")])
    assert _written_whole("产业扶贫", "扶贫产业", cc, _NoNames(), KeywordSettings()) is None


def test_keyterms_joined_parts_are_named_in_the_order_the_whole_writes_them():
    from caseminer.nlp.keyterms.fusion import _joined_parts
    whole = "扶贫领域作风问题专项治理"
    skipped = {"作风问题专项治理": ("merged", whole), "茶叶": ("overlaps", "茶叶产业"),
               "扶贫领域作风": ("merged", whole), "光伏": ("merged", "光伏电站")}
    assert _joined_parts(whole, skipped) == ["扶贫领域作风", "作风问题专项治理"]


def test_keyterms_extraction_joins_halves_into_the_written_whole(tokenizer):
    # 扶贫领域作风 and 作风问题专项治理 recur across cases; case a writes them as one name,
    # twelve characters, longer than max_len allows a candidate to be
    texts = {
        "a": WHOLE_TEXT + "各地光伏电站带动增收，光伏电站收益分红。",
        "b": "省里部署作风问题专项治理，作风问题专项治理覆盖全省。茶叶产业带动就业。",
        "c": "县里检查扶贫领域作风，扶贫领域作风明显好转。发展茶叶产业。",
        "d": "乡村旅游带动就业，乡村旅游收入增加。光伏电站建成发电。",
    }
    tokens = {cid: cut(tokenizer, t) for cid, t in texts.items()}
    settings = KeywordSettings(max_len=10)
    kws = extract_keywords(tokens, texts, settings=settings, stopwords=load_starter_list(),
                           background_idf=load_background_idf())
    first = kws["a"][0]
    assert (first.keyword, first.freq, first.start, first.end) == ("扶贫领域作风问题专项治理", 2, 4, 16)
    assert "【扶贫领域作风问题专项治理】" in first.context
    assert [k.keyword for k in kws["b"]][0] == "作风问题专项治理"  # written alone there: no whole
    from caseminer.nlp.keyterms.explain import explain_lines, strongest_parts
    from caseminer.nlp.keyterms.fusion import case_candidates, explain_terms
    per_case, corpus, never = case_candidates(tokens, settings=settings, stopwords=load_starter_list(),
                                              background_idf=load_background_idf())
    cc = per_case["a"]
    assert {"扶贫领域作风", "作风问题专项治理"} <= set(cc.freq) and "扶贫领域作风问题专项治理" not in cc.freq
    told = explain_terms(["扶贫领域作风问题专项治理", "扶贫领域作风"], cc, corpus, settings, stopwords=never)
    whole, half = told["扶贫领域作风问题专项治理"], told["扶贫领域作风"]
    assert whole["keyword"] == 1 and whole["score"] == pytest.approx(first.weight, rel=1e-5)
    assert whole["eligible"] is None and whole["rank"] is None  # a keyword, though no candidate
    assert whole["joined"] == ["扶贫领域作风", "作风问题专项治理"]  # in the order the whole writes them
    assert half["skipped"] == ("merged", "扶贫领域作风问题专项治理")
    line = explain_lines(whole, "a")[0]
    assert line.startswith("扶贫领域作风问题专项治理 is keyword 1 of 3 of case a") and "扶贫领域作风" in line
    assert explain_lines(whole, "a", lang="zh")[0].startswith("扶贫领域作风问题专项治理是案例 a 的第 1 个关键词")
    assert strongest_parts(whole, "en").endswith(", written as one term") and "连写为一词" in strongest_parts(whole)
    # many cases at once, mapped over shards in worker processes: the same accounts
    from caseminer.nlp.keyterms.fusion import explain_cases
    wanted = {cid: [k.keyword for k in ks] + ["光伏电站"] for cid, ks in kws.items()}
    for n_jobs in (1, 2):
        many = explain_cases(wanted, per_case, corpus, settings, stopwords=never, n_jobs=n_jobs)
        assert set(many) == set(wanted)
        for cid, terms in wanted.items():
            assert many[cid] == explain_terms(terms, per_case[cid], corpus, settings, stopwords=never)


def test_keyterms_explain_a_keyword_that_is_a_candidate_whole_of_two_higher_terms():
    from caseminer.nlp.keyterms.explain import explain_lines
    told = {"term": "电子商务平台", "method": "fused", "top": 3, "ranked": 5, "keyword": 1, "rank": 4, "score": 1.0,
            "eligible": None, "chosen": ["电子商务平台", "光伏电站", "茶叶"], "skipped": None, "freq": 2, "indep": 2,
            "joined": ["电子商务", "商务平台"], "joined_ranks": [1, 2], "keyword_score": 3.0, "last_score": 0.5}
    first = explain_lines(told, "a")[0]
    assert first.startswith("电子商务平台 is keyword 1 of 3 of case a")
    assert "电子商务 + 商务平台 (ranks 1, 2)" in first and "score of the first, 3.000" in first
    assert "On its own it ranks 4 of the case's 5 eligible terms, score 1.000." in first
    zh = explain_lines(told, "a", lang="zh")[0]
    assert "电子商务与商务平台（排第1、2）" in zh and "得分 3.000" in zh and "排第4，得分 1.000" in zh


def test_keyterms_stored_weights_fall_with_rank_where_two_terms_join(monkeypatch):
    # the stage's keywords of a case whose two top terms join into a whole that ranks low on its own
    from caseminer.nlp.keyterms import fusion
    from caseminer.nlp.keyterms.candidates import CaseCandidates

    text = "电子商务平台带动销售，光伏电站和茶叶增收。"
    cc = CaseCandidates()
    for term in ("电子商务", "商务平台", "电子商务平台", "光伏电站", "茶叶"):
        at = text.index(term)
        cc.first[term], cc.freq[term] = (at, at + len(term)), 1
    ranked = [("电子商务", 3.0), ("商务平台", 2.9), ("光伏电站", 2.0), ("电子商务平台", 1.0), ("茶叶", 0.5)]
    monkeypatch.setattr(fusion, "rank_case", lambda *a, **k: ranked)
    kws = fusion._case_keywords("a", cc, text, None, KeywordSettings(top=3), (), None)
    assert [(k.keyword, k.weight) for k in kws] == [("电子商务平台", 3.0), ("光伏电站", 2.0), ("茶叶", 0.5)]
    assert kws[0].context.startswith("【电子商务平台】")


def test_keyterms_select_keeps_a_term_and_its_institution():
    ranked = [("山林管护", 3.0), ("山林管护制度", 2.9), ("管护", 2.5), ("光伏电站", 2.0)]
    assert [t for t, _ in _select(ranked, 3)] == ["山林管护", "山林管护制度", "光伏电站"]
    # other extensions are still skipped (a plan restates its measure)
    ranked = [("山林管护", 3.0), ("山林管护行动", 2.9), ("光伏电站", 2.0)]
    assert [t for t, _ in _select(ranked, 3)] == ["山林管护", "光伏电站"]
    assert {"制度", "机制", "工程"} <= set(INSTITUTION_HEADS)


def test_keyterms_select_skips_the_other_form_of_a_chosen_term():
    # one term written two ways takes one slot: the form ranked first stays
    ranked = [("易地扶贫搬迁", 3.0), ("易地搬迁", 2.9), ("光伏电站", 2.0), ("茶叶", 0.5)]
    assert [t for t, _ in _select(ranked, 3)] == ["易地扶贫搬迁", "光伏电站", "茶叶"]
    ranked = [("人大制度", 3.0), ("人民代表大会制度", 2.9), ("少先队员", 2.5), ("少先队辅导员", 2.0)]
    assert [t for t, _ in _select(ranked, 3)] == ["人大制度", "少先队员", "少先队辅导员"]  # other head: two terms


@pytest.mark.parametrize("a,b,expected", [
    ("易地搬迁", "易地扶贫搬迁", True), ("美疾控中心", "美国疾控中心", True), ("巴解组织", "巴勒斯坦解放组织", True),
    ("少先队员", "少先队辅导员", False),  # another head (队员 / 导员)
    ("网络扶贫", "网络公益扶贫联盟", False), ("乡村产业", "乡村振兴补助资金用于产业", False),  # far more than a form
    ("乡村旅游", "乡村旅游示范村", False),  # a substring: the fragment rule's, not this one's
    ("抗疫", "抗击疫情", False),  # two characters: too little to tell
])
def test_keyterms_short_form(a, b, expected):
    from caseminer.nlp.keyterms.fusion import _short_form

    assert _short_form(a, b) is expected and _short_form(b, a) is expected


@pytest.mark.parametrize(
    "term,tags,expected",
    [("青禾县", {"青禾县": "nr", "青禾": "nr"}, True), ("青禾州", {"青禾": "nrt"}, True),
     ("五星红旗", {"五星红旗": "nr", "红旗": "nr"}, False), ("小康村", {"小康村": "nr", "小康": "nr"}, False),
     ("示范县", {"示范": "vn"}, False)],
)
def test_keyterms_county_tagged_as_a_person_is_a_place(term, tags, expected):
    # jieba's dictionary tags many counties as persons' names; villages and
    # towns with such tags are mostly common nouns
    assert is_probable_name(term, tags) is expected


def test_keyterms_fused_weights_match_their_documentation():
    # the weights in use are the ones the module docstring states, term by term
    import re

    from caseminer.nlp.keyterms import fusion

    documented = {
        name: float(sign.replace(" ", "") + value)
        for sign, value, name in re.findall(r"^\s+([+-])\s+(\d+(?:\.\d+)?)\s+\*\s+(\w+)", fusion.__doc__, re.M)
    }
    # the first term is written "1.5 * ln(1 + independent frequency ...)"
    first = re.search(r"^\s+(\d+(?:\.\d+)?)\s+\*\s+ln\(1 \+ independent frequency", fusion.__doc__, re.M)
    documented["log_tf"] = float(first.group(1))
    assert documented == fusion.FUSED_WEIGHTS


def test_keyterms_case_share_counts_from_ten_cases():
    from caseminer.nlp.keyterms.fusion import _case_share

    assert _case_share(3, 5) == 0.0  # a handful of cases: shares say little
    assert _case_share(5, 20) == 0.25


def test_keyterms_terms_shared_by_many_cases_rank_below_the_case_own(tokenizer, monkeypatch):
    from caseminer.nlp.keyterms import fusion

    texts = {f"c{i:02d}": ("特色产业：茶叶。特色产业：蔬菜。" if i < 5 else "某县修路，道路通到村口。")
             for i in range(12)}
    texts["c00"] += "特色产业：水果。推行光伏扶贫，光伏扶贫带动增收。"
    corpus = {cid: cut(tokenizer, text) for cid, text in texts.items()}

    def top(weights, method="linear"):
        monkeypatch.setattr(fusion, "FUSED_WEIGHTS", weights)
        return [k.keyword for k in extract_keywords(corpus, texts, settings=KeywordSettings(method=method),
                                                    background_idf=load_background_idf())["c00"]]

    assert top(fusion.FUSED_WEIGHTS)[0] == "光伏扶贫"
    # It is the share of cases that puts the case's own measure first.
    assert top({**fusion.FUSED_WEIGHTS, "case_share": 0.0})[0] == "特色产业"
    assert top(fusion.FUSED_WEIGHTS, "fused")[0] == "光伏扶贫"  # the trees learnt it too


@pytest.mark.parametrize("term, expected", [("karst", True), ("Stephens", True), ("McEwen", True), ("DeLong", True),
                                            ("NDVI", False), ("PPP", False), ("PhD", False), ("DiD", False),
                                            ("DID模型", False), ("O2O", False)])
def test_keyterms_english_prose_words_are_no_keywords(term, expected):
    from caseminer.nlp.keyterms.fusion import _prose_word

    assert _prose_word(term) is expected



def test_keywords_are_no_clause_pieces(tokenizer):
    # "在新时代上开新局" twice: 上开新局 is a quoted, recurring unit, but the term filter
    # reads it as a clause piece (在……上开新局), so it is never a keyword.
    texts = {"a": "县里在新时代“上开新局”，扶贫车间吸纳就业。大家在新征程“上开新局”，扶贫车间再扩建。",
             "b": "村里建起扶贫车间，扶贫车间带动就业。"}
    tokens = {cid: cut(tokenizer, text) for cid, text in texts.items()}
    found = extract_keywords(tokens, texts, stopwords=load_starter_list(), settings=KeywordSettings(top=5))
    assert "扶贫车间" in [k.keyword for k in found["a"]]
    assert all(k.keyword != "上开新局" for rows in found.values() for k in rows)


def test_keyterms_candidates_count_occurrences_continued_as_more_of_a_noun_phrase():
    stream = [("平遥", "a"), ("国际", "n"), ("摄影展", "n"), ("开幕", "v"), ("。", "x"),
              ("平遥", "a"), ("国际", "n"), ("摄影", "n"), ("大展", "vn"), ("，", "x"),
              ("扶贫", "v"), ("车间", "n"), ("工作", "vn"), ("，", "x"), ("扶贫", "v"), ("车间", "n"), ("工人", "n")]
    per_case, _ = build_candidates({"a": toks(*stream)}, stopwords=["工作"])
    cc = per_case["a"]
    assert cc.freq["平遥国际"] == 2 and cc.continued["平遥国际"] == 2  # 摄影展, 摄影: nouns
    assert cc.continued["平遥国际摄影展"] == 0  # a verb follows
    # a boundary word (工作) closes a term; a noun (工人) continues it
    assert cc.freq["扶贫车间"] == 2 and cc.continued["扶贫车间"] == 1


def test_keyterms_modifier_never_closed_is_no_keyword(tokenizer):
    # 平遥国际 recurs in case a, always as the modifier of a longer name (摄影展, 摄影大展);
    # 扶贫车间 is followed by a noun in case b only, and the project closes it elsewhere.
    texts = {"a": "平遥国际摄影展开幕。平遥国际摄影大展吸引游客，游客走进扶贫车间。",
             "b": "扶贫车间工人增收，扶贫车间工人就业。",
             "c": "村里建起扶贫车间，扶贫车间带动就业。"}
    tokens = {cid: cut(tokenizer, text) for cid, text in texts.items()}
    per_case, df = build_candidates(tokens)
    corpus = build_corpus_stats(per_case, df)
    assert corpus.continued["平遥国际"] == (2, 2)
    assert corpus.continued["扶贫车间"] == (5, 2)
    eligible = {cid: _eligible(cc, corpus, KeywordSettings(), ()) for cid, cc in per_case.items()}
    assert "平遥国际" in per_case["a"].indep and "平遥国际" not in eligible["a"]
    assert "扶贫车间" in eligible["b"] and "扶贫车间" in eligible["c"]
    found = extract_keywords(tokens, texts, stopwords=load_starter_list(), settings=KeywordSettings(top=5))
    assert "平遥国际" not in [k.keyword for k in found["a"]]


def test_keyterms_sparse_counts_only_in_long_cases():
    from caseminer.nlp.keyterms.fusion import CHARS_PER_MENTION, _sparse

    assert _sparse(1, 1200, 30) == 0.0 and _sparse(1, CHARS_PER_MENTION, 30) == 0.0  # once is normal in a story
    assert _sparse(1, 4 * CHARS_PER_MENTION, 30) == pytest.approx(math.log(4))  # once in 20,000 characters
    assert _sparse(2, 4 * CHARS_PER_MENTION, 30) == pytest.approx(math.log(2))
    assert _sparse(4, 4 * CHARS_PER_MENTION, 30) == 0.0 and _sparse(9, 4 * CHARS_PER_MENTION, 30) == 0.0
    assert _sparse(1, 0, 30) == 0.0
    assert _sparse(1, 4 * CHARS_PER_MENTION, 9) == 0.0  # no share of cases to hold back what every case repeats


def test_keyterms_a_long_case_is_keyed_by_what_recurs_through_it(tokenizer, monkeypatch):
    # In a long report a programme named once in quotation marks is mentioned in passing;
    # the measure the report returns to is its keyword. In a short case the same quote leads.
    from caseminer.nlp.keyterms import fusion

    filler = "".join(f"{i}，{i * 7}；" for i in range(3000))  # text with no term in it
    long_text = "实施“五防机制”。" + "".join(filler[j * 7000:(j + 1) * 7000] + "推进消费帮扶，带动增收。"
                                          for j in range(3))
    texts = {"long": long_text, "short": "实施“五防机制”。推进消费帮扶。"}
    texts.update({f"other{i}": f"某县第{i}个村修建道路。" for i in range(8)})  # 10 cases: sparse counts
    assert len(texts["long"]) > 4 * fusion.CHARS_PER_MENTION
    corpus = {cid: cut(tokenizer, text) for cid, text in texts.items()}

    def ranking(weights, method="linear"):
        monkeypatch.setattr(fusion, "FUSED_WEIGHTS", weights)
        return {cid: [k.keyword for k in kws]
                for cid, kws in extract_keywords(corpus, texts, settings=KeywordSettings(method=method),
                                                 background_idf=load_background_idf()).items()}

    # in the linear sum it is ``sparse`` that turns the long case's ranking
    shipped, without = ranking(fusion.FUSED_WEIGHTS), ranking({**fusion.FUSED_WEIGHTS, "sparse": 0.0})
    assert without["long"][0] == "五防机制" and shipped["long"][0] == "消费帮扶"
    assert shipped["short"][0] == without["short"][0] == "五防机制"
    # the fused trees add it at the same weight: the long case is keyed by what recurs through it
    fused = ranking(fusion.FUSED_WEIGHTS, "fused")
    assert fused["long"][0] == "消费帮扶" and set(fused["short"][:2]) == {"五防机制", "消费帮扶"}
