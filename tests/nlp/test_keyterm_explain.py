"""Why a term is (or is not) a keyword of its case, feature by feature (fusion.explain_term,
nlp/keyterms/explain.py) on hand-built cases."""

import pytest

from caseminer.errors import InvalidInput
from caseminer.nlp.keyterms import KeywordSettings
from caseminer.nlp.keyterms.explain import FEATURE_WORDS, explain_lines, feature_words
from caseminer.nlp.keyterms.fusion import (FUSED_WEIGHTS, HAND_SET, TIE_BREAK, case_candidates, explain_term,
                                           extract_keywords, rank_case, score_parts)
from caseminer.nlp.tokens import Token
from caseminer.nlp.lexicon import jieba_tags

import jieba.posseg


def tokens_of(text: str) -> list[Token]:
    out, at = [], 0
    for piece in jieba.posseg.cut(text, HMM=False):
        out.append(Token(piece.word, piece.flag, at, at + len(piece.word)))
        at += len(piece.word)
    return out


TEXTS = {
    "a": "宁川县建设扶贫车间。扶贫车间吸纳贫困劳动力就业，扶贫车间带动增收。县里推行“防贫保险”，防贫保险覆盖全县。",
    "b": "山南村发展光伏扶贫。光伏扶贫电站收益分红到户，光伏扶贫让村集体增收。扶贫车间也办起来了。",
    "c": "河西镇推进易地扶贫搬迁。易地扶贫搬迁群众住进新房，易地扶贫搬迁后配套产业。防贫保险兜底。",
}


@pytest.fixture(scope="module")
def ranked_cases():
    tokens = {cid: tokens_of(t) for cid, t in TEXTS.items()}
    settings = KeywordSettings()
    per_case, corpus, never = case_candidates(tokens, settings=settings, stopwords=["县里"], lexicon=jieba_tags())
    return tokens, settings, per_case, corpus, never


@pytest.mark.parametrize("method", ["fused", "linear"])
def test_a_terms_shares_add_up_to_the_score_it_ranks_by(ranked_cases, method):
    tokens, settings, per_case, corpus, never = ranked_cases
    settings = KeywordSettings(method=method)
    for cid, cc in per_case.items():
        for term, score in rank_case(cc, corpus, settings, stopwords=never):
            told = explain_term(term, cc, corpus, settings, stopwords=never)
            assert told["score"] == score and told["eligible"] is None
            assert told["bias"] + sum(share for _, _, share in told["parts"]) == pytest.approx(score)
            names = [name for name, _, _ in told["parts"]]
            assert names[-1] == TIE_BREAK and set(HAND_SET) <= set(names)


def test_explain_agrees_with_the_keywords_extraction_chooses(ranked_cases):
    tokens, settings, per_case, corpus, never = ranked_cases
    chosen = extract_keywords(tokens, TEXTS, settings=settings, stopwords=["县里"], lexicon=jieba_tags())
    for cid, keywords in chosen.items():
        for k in keywords:
            told = explain_term(k.keyword, per_case[cid], corpus, settings, stopwords=never)
            assert told["keyword"] == k.rank and told["score"] == pytest.approx(k.weight, rel=1e-5)
            assert told["chosen"] == [x.keyword for x in keywords]


def test_explain_says_why_a_term_is_left_out(ranked_cases):
    tokens, settings, per_case, corpus, never = ranked_cases
    cc = per_case["a"]
    # a stop-word, a piece never written on its own, a string the case does not hold
    assert explain_term("县里", cc, corpus, settings, stopwords=never)["eligible"] == "stop-word"
    assert explain_term("光伏扶贫", cc, corpus, settings, stopwords=never)["eligible"] == "not in the case"
    told = explain_term("车间", cc, corpus, settings, stopwords=never)
    assert told["eligible"] == "never on its own" and told["rank"] is None  # 扶贫车间, three times
    lines = explain_lines(told, "a")
    assert lines[0].startswith("车间 is no keyword candidate of case a:")
    assert lines[-1] == "To make it a keyword all the same: caseminer review add a 车间."
    # written in the text, but cut across its edges: the words the tokens cut it into are told
    told = {**explain_term("吸纳贫困", cc, corpus, settings, stopwords=never), "cut": ["吸纳", "贫困劳动力"]}
    assert told["eligible"] == "not in the case"
    assert explain_lines(told, "a")[1] == "Where it first occurs, the case is cut into the words 吸纳 | 贫困劳动力."
    told["cut_new"] = ["贫困劳动力"]
    assert explain_lines(told, "a")[1].endswith(" 贫困劳动力: a word of the discovery list, kept whole while keywords "
                                                "are built (caseminer discover --explain 贫困劳动力 tells how it was found).")
    assert explain_lines(told, "a", lang="zh")[1] == ("在它首次出现处，该案例被切分为 吸纳 | 贫困劳动力。贫困劳动力：新词表中的词，"
                                                      "构建关键词时保持完整（caseminer discover --explain 贫困劳动力 可说明其来历）。")
    # the case's text lacks it altogether: no advice to add it
    told = {**explain_term("不在文中", cc, corpus, settings, stopwords=never), "eligible": "not in the text"}
    assert len(explain_lines(told, "a")) == 1 and "does not hold it" in explain_lines(told, "a")[0]


def test_explain_names_the_keyword_a_term_was_passed_over_for(ranked_cases):
    tokens, settings, per_case, corpus, never = ranked_cases
    cc, settings = per_case["b"], KeywordSettings(top=10)
    ranked = [t for t, _ in rank_case(cc, corpus, settings, stopwords=never)]
    assert ranked.index("村集体") < ranked.index("集体") < 6  # 集体 ranks among the top, inside a keyword
    told = explain_term("集体", cc, corpus, settings, stopwords=never)
    assert told["keyword"] is None and told["skipped"] == ("overlaps", "村集体") and "村集体" in told["chosen"]
    lines = explain_lines(told, "b")
    assert lines[0].startswith(f"集体 is not among the 10 keywords of case b ({', '.join(told['chosen'])}); "
                               f"it ranks {ranked.index('集体') + 1} of ")
    assert lines[1] == "It was passed over: it is a piece or an extension of the keyword 村集体 (the keywords are " \
                       "different terms)."
    # a term ranked below the keywords is told the last keyword's score
    low = explain_term(ranked[-1], cc, corpus, KeywordSettings(), stopwords=never)
    assert low["skipped"] is None and explain_lines(low, "b")[1] == \
        f"The keywords rank above it: the last of them scores {low['last_score']:.3f}."


def test_sentences_in_both_languages_carry_the_same_numbers(ranked_cases):
    tokens, settings, per_case, corpus, never = ranked_cases
    cc = per_case["a"]
    term = rank_case(cc, corpus, settings, stopwords=never)[0][0]
    told = explain_term(term, cc, corpus, settings, stopwords=never)
    en, zh = explain_lines(told, "a"), explain_lines(told, "a", lang="zh")
    assert len(en) == len(zh)
    assert f"{told['bias']:.3f}" in en[1] and f"{told['bias']:.3f}" in zh[1]
    for e, z in zip(en[2:-2], zh[2:-2]):
        assert e.split()[0] == z.split()[0]  # each feature's share
    assert en[-2].startswith(f"= {told['score']:.3f}") and zh[-2].startswith(f"= {told['score']:.3f}")
    with pytest.raises(InvalidInput, match="No explanation in 'fr'"):
        explain_lines(told, "a", lang="fr")


def test_feature_words_cover_every_feature_in_both_languages():
    features = set(FUSED_WEIGHTS) | {TIE_BREAK}
    assert set(FEATURE_WORDS["en"]) == set(FEATURE_WORDS["zh"]) == features
    assert feature_words("quoted", 1.0, 2) == "written in quotation marks: yes"
    assert feature_words("case_share", 0.25, 2, "zh") == "出现在项目 25% 的案例中"
    assert feature_words("log_tf", 1.0986, 2) == "written on its own 2 time(s) in the case (ln(1 + f) = 1.10)"
    # the keyword table's freq counts the occurrences inside longer terms too: the account says so
    assert feature_words("log_tf", 1.0986, 2, "en", freq=3) == (
        "written on its own 2 of its 3 times in the case, the others inside longer terms (ln(1 + f) = 1.10)")
    assert feature_words("log_tf", 1.0986, 2, "zh", freq=3) == (
        "在本案例中共出现 3 次，其中独立出现 2 次，其余在更长的词中（ln(1 + f) = 1.10）")
    assert feature_words("log_tf", 1.0986, 2, "zh", freq=2) == "在本案例中独立出现 2 次（ln(1 + f) = 1.10）"


def test_shares_of_cases_in_a_small_project_are_said_to_be_not_counted(ranked_cases):
    # a project of one report: its terms are in "100%" of the cases, the features hold 0 (counted
    # from ten cases on), and "in 0% of the project's cases" would say the opposite of the truth
    tokens, settings, per_case, corpus, never = ranked_cases
    assert corpus.n_cases == 3
    cc = per_case["a"]
    told = explain_term(rank_case(cc, corpus, settings, stopwords=never)[0][0], cc, corpus, settings, stopwords=never)
    assert told["n_cases"] == 3
    shown = {name: value for name, value, _ in told["parts"]}
    assert shown["case_share"] == 0.0 and shown["common_parts"] == 0.0
    text = "\n".join(explain_lines(told, "a"))
    assert "its share of the project's cases: not counted in 3 case(s) (from 10 on)" in text
    assert "how common its words are (commonplace parts): not counted in 3 case(s)" in text
    assert "of the project's cases\n" not in text and "in 0% of" not in text
    assert "项目只有 3 个案例，不计（10 个案例起计）" in "\n".join(explain_lines(told, "a", lang="zh"))
    # from ten cases on the share is said as it is
    assert feature_words("case_share", 0.25, 2, n_cases=12) == "in 25% of the project's cases"


def test_one_score_methods_are_not_taken_apart():
    with pytest.raises(InvalidInput, match="only 'fused' and 'linear'"):
        score_parts({}, "tfidf")


def test_strongest_parts_name_the_three_largest_moves(ranked_cases):
    from caseminer.nlp.keyterms.explain import strongest_parts

    tokens, settings, per_case, corpus, never = ranked_cases
    cc = per_case["a"]
    term = rank_case(cc, corpus, settings, stopwords=never)[0][0]
    told = explain_term(term, cc, corpus, settings, stopwords=never)
    top = sorted(told["parts"], key=lambda p: -abs(p[2]))[:3]
    line = strongest_parts(told)
    assert line.split("；") == [f"{'+' if s >= 0 else '-'}{abs(s):.2f} {feature_words(n, v, told['indep'], 'zh', n_cases=3)}"
                               for n, v, s in top]
    assert strongest_parts(told, "en", n=1).startswith(f"{'+' if top[0][2] >= 0 else '-'}{abs(top[0][2]):.2f} ")
    assert strongest_parts(explain_term("县里", cc, corpus, settings, stopwords=never)) == ""


def test_organisations_the_lexicon_names_are_names_unless_names_are_kept():
    texts = {**TEXTS, "d": "海关总署派工作组驻村。海关总署帮助合作社出口茶叶，海关总署还开展消费帮扶。高山茶园带动增收。"}
    tokens = {cid: tokens_of(t) for cid, t in texts.items()}
    told = {}
    for keep in (False, True):
        settings = KeywordSettings(keep_names=keep, top=10)
        per_case, corpus, never = case_candidates(tokens, settings=settings, lexicon=jieba_tags())
        told[keep] = explain_term("海关总署", per_case["d"], corpus, settings, stopwords=never)
        assert ("海关总署" in [k.keyword for k in extract_keywords(tokens, texts, settings=settings,
                                                              lexicon=jieba_tags())["d"]]) is keep
    assert told[False]["eligible"] == "name" and told[True]["eligible"] is None
    assert "an organisation the lexicon names" in explain_lines(told[False], "d")[0]
