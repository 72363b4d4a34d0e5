"""Sentences that take a discovery weight apart, or say why a string is not listed."""

import math
import re

import pytest

from caseminer.errors import InvalidInput

from caseminer.nlp.discovery_explain import explain_listed, explain_unlisted, weight_factors

SETTINGS = {"per_text_applied": True, "topic_power": 1.5, "termhood": 1.0, "semantic": 0.5, "semantic_case": 0.25,
            "termhood_model": "policy_zh"}


def _row(**changes):
    row = {"word": "以工代赈", "weight": 7.0, "freq": 12, "docfreq": 9, "in_lexicon": True, "expected": 0.1944,
           "topicality": 0.6923, "termhood": 0.3443, "kinship": -0.3387}
    row.update(changes)
    return row


def test_the_factors_multiply_to_the_weight_and_each_step_divides_out():
    f = weight_factors(_row(), SETTINGS, corpus=True)
    assert f["counted"] == 9  # each case once
    assert math.isclose(f["on_topic"], 9 * 0.6923**1.5)
    assert math.isclose(f["termhood_factor"], 0.3443)
    assert math.isclose(f["kinship_factor"], math.exp(0.5 * -0.3387))
    assert math.isclose(f["g2"] * f["termhood_factor"] * f["kinship_factor"], 7.0)
    # a case's list counts every occurrence, has no topic share, and step 7 at semantic_case
    f = weight_factors(_row(topicality=None), SETTINGS, corpus=False)
    assert f["counted"] == 12 and f["on_topic"] is None
    assert math.isclose(f["kinship_factor"], math.exp(0.25 * -0.3387))
    # more akin than the average, or steps 6-7 not applied: nothing divides out
    f = weight_factors(_row(kinship=1.2, termhood=None), SETTINGS, corpus=True)
    assert f["kinship_factor"] == 1.0 and f["termhood_factor"] == 1.0 and f["g2"] == 7.0
    # a negative weight is not scaled by steps 6-7, so it is step 5's
    f = weight_factors(_row(weight=-0.02, termhood=None, kinship=None), SETTINGS, corpus=True)
    assert f["g2"] == -0.02


def test_a_listed_string_is_told_step_by_step():
    lines = explain_listed(_row(), SETTINGS, rank=1273, listed=9181,
                           seeds=["脱贫", "扶贫", "贫困人口", "贫困地区", "精准", "攻坚"])
    text = "\n".join(lines)
    assert lines[0] == "以工代赈: rank 1273 of 9181 in the corpus list, weight 7.00."
    assert "It occurs 12 times in 9 case(s)." in text
    assert "The weight counts its occurrences as a word of the discovery's cut (steps 2 and 4; not those inside " \
           "a longer word unless that splits into it and another word): 12 times, in 9 case(s), each case counted " \
           "once: 9." in text
    assert "0.19 occurrences" in text and "a word of the base lexicon" in text
    assert "69% of its occurrences" in text and "脱贫, 扶贫, 贫困人口, 贫困地区, 精准 ..." in text
    assert "9 x 0.69^1.5 = 5.2" in text
    assert "x 0.34: its probability of being a term" in text
    assert "x 0.84 = exp(0.5 x -0.34)" in text
    assert lines[-1] == "= 7.00."
    g2 = float(text.split("against the expectation: ")[1].split(" ")[0])
    assert math.isclose(g2 * 0.3443 * math.exp(0.5 * -0.3387), 7.0, rel_tol=1e-3)
    # fewer occurrences than expected: no evidence, and nothing is scaled
    lines = explain_listed(_row(weight=-0.02, termhood=None, kinship=None, topicality=0.0), SETTINGS, rank=6882,
                           listed=9181)
    assert "fewer than expected" in lines[-1] and not any(line.startswith("x ") for line in lines)


def test_an_unlisted_string_is_told_what_the_texts_and_the_list_show():
    rare = explain_unlisted("雨露计划", occurrences=3, cases=2, min_freq=5, listed=100)
    assert "3 times in 2 case(s)" in rare[1] and "needs 5 occurrences (min_freq)" in rare[2]
    assert rare[-1] == "To segment it whole and let keyword extraction use it anyway: caseminer lexicon add 雨露计划"
    piece = explain_unlisted("扶贫搬迁", occurrences=302, cases=197, min_freq=5, listed=100,
                             containers=[("易地扶贫搬迁", 17, 276), ("易地扶贫搬迁安置点", 268, 20)])
    text = "\n".join(piece)
    assert "91% of its occurrences are inside 易地扶贫搬迁 (rank 17): it is a piece" in text
    assert "7% of its occurrences are inside 易地扶贫搬迁安置点 (rank 268)." in text
    assert "Discovery dropped it on the way" not in text  # the fragment is the reason given
    assert piece[-1] == "If it is a term of its own all the same, to segment it whole and let keyword extraction " \
                        "use it anyway: caseminer lexicon add 扶贫搬迁"
    clause = explain_unlisted("习近平总书记", occurrences=1796, cases=808, min_freq=5,
                              listed=100, term_like=False)
    assert any("The term filter reads it as no term" in line for line in clause)
    # in a case's list: a two-character word of the dictionary that the corpus list does not lead with
    common = explain_unlisted("报销", case_id="A", occurrences=5, cases=0, min_freq=2, listed=5, term_like=False,
                              common_word=True)
    assert any(line.startswith("It is a two-character word of the dictionary, and a case's list holds those only "
                               "where the corpus list holds them among its first 1000 strings") for line in common)
    assert any(line.startswith("它是词典收录的双字词；案例新词表只列出语料新词表前 1000 位中的此类词")
               for line in explain_unlisted("报销", case_id="A", occurrences=5, cases=0, min_freq=2, listed=5,
                                            term_like=False, common_word=True, lang="zh"))
    other = explain_unlisted("厕所革命", occurrences=13, cases=7, min_freq=5, listed=100,
                             containers=[("农村厕所革命", 1984, 9)])
    assert any(line.startswith("Discovery dropped it on the way") for line in other)
    absent = explain_unlisted("不存在", case_id="A", occurrences=0, cases=0, min_freq=2, listed=5)
    assert absent[0] == "不存在 is not in case A's list (5 strings)."
    assert "do not hold it" in absent[1] and len(absent) == 2
    in_corpus = explain_unlisted("以工代赈", case_id="A", occurrences=1, cases=0, min_freq=2, listed=5,
                                 corpus_rank=1273)
    assert "The corpus list holds it at rank 1273" in in_corpus[1] and "This case's analysis text holds it once" \
        in in_corpus[2]
    elsewhere = explain_unlisted("以工代赈", case_id="A", occurrences=0, cases=0, min_freq=2, listed=5,
                                 corpus_rank=1273)
    assert len(elsewhere) == 2 and "do not hold it" in elsewhere[1]  # no case evidence to speak of


def test_the_occurrences_in_the_texts_and_the_weight_s_own_counts_are_told_apart():
    # The list shows the occurrences a reader counts (freq, docfreq); the weight counts those
    # as a word of the discovery's cut (weight_freq, weight_docfreq), which can be fewer.
    row = _row(weight_freq=10, weight_docfreq=8)
    f = weight_factors(row, SETTINGS, corpus=True)
    assert f["counted"] == 8
    text = "\n".join(explain_listed(row, SETTINGS, rank=1273, listed=9181))
    assert "It occurs 12 times in 9 case(s)." in text
    assert "another word): 10 times, in 8 case(s), each case counted once: 8." in text
    assert "8 x 0.69^1.5 = 4.6" in text
    # a case's list: every occurrence counts; said only where the two counts differ
    case = explain_listed(_row(weight_freq=2, topicality=None), SETTINGS, rank=3, listed=9, case_id="A")
    assert case[1] == "It occurs 12 times in this case." and case[2].endswith("another word): 2 times.")
    same = explain_listed(_row(weight_freq=12, topicality=None), SETTINGS, rank=3, listed=9, case_id="A")
    assert not any("The weight counts" in line for line in same)
    # without step 5 the weight's cases are a bound, and said to be one
    bound = explain_listed(_row(weight_docfreq=11, topicality=None), SETTINGS, rank=3, listed=9)
    assert bound[2].startswith("The weight counts its occurrences as a word of the discovery's cut with those "
                               "inside the longer words it sits in added, a bound (step 4;")
    assert bound[2].endswith(": 12 times, in 11 case(s), each case counted once: 11.")


def test_the_sentences_are_written_in_chinese_too_with_the_same_numbers():
    seeds = ["脱贫", "扶贫"]
    en = explain_listed(_row(), SETTINGS, rank=1273, listed=9181, seeds=seeds)
    zh = explain_listed(_row(), SETTINGS, rank=1273, listed=9181, seeds=seeds, lang="zh")
    assert len(zh) == len(en)
    assert zh[0] == "以工代赈：在语料新词表中排第 1273 位（共 9181 个），权重 7.00。"
    assert zh[1] == "共出现 12 次，见于 9 个案例。" and "每个案例只计一次：9 次" in zh[2] and "9 × 0.69^1.5 = 5.2" in zh[4]
    assert zh[-1] == "= 7.00。"
    number = re.compile(r"-?\d+(?:\.\d+)?")
    assert [sorted(number.findall(a)) for a in en[2:]] == [sorted(number.findall(b)) for b in zh[2:]]
    piece = explain_unlisted("扶贫搬迁", case_id="VIDE1", occurrences=302, cases=0, min_freq=2, listed=6,
                             containers=[("易地扶贫搬迁", 2, 276)], lang="zh")
    assert piece[0] == "扶贫搬迁 不在案例 VIDE1 的新词表中（共 6 个）。"
    assert "91% 位于 易地扶贫搬迁（第 2 位）之内：它是这个更长的串的片段" in piece[2]
    assert piece[-1].endswith("caseminer lexicon add 扶贫搬迁")
    with pytest.raises(InvalidInput, match="choose one of en, zh"):
        explain_listed(_row(), SETTINGS, rank=1, listed=1, lang="fr")


def test_the_first_reason_a_string_is_not_listed():
    from caseminer.nlp.discovery_explain import UNLISTED_REASONS, unlisted_reason

    piece = [("易地扶贫搬迁", 17, 276)]
    assert unlisted_reason(occurrences=0, min_freq=5, containers=piece, term_like=False) == "not in the texts"
    assert unlisted_reason(occurrences=3, min_freq=5, containers=piece, term_like=False) == "below min_freq"
    assert unlisted_reason(occurrences=302, min_freq=5, containers=piece, term_like=False) == \
        "piece of a listed string"
    assert unlisted_reason(occurrences=3000, min_freq=5, containers=piece, term_like=False) == "term filter"
    assert unlisted_reason(occurrences=3000, min_freq=5, containers=piece) == "dropped on the way"
    assert {unlisted_reason(occurrences=n, min_freq=5, containers=piece, term_like=t)
            for n in (0, 3, 302, 3000) for t in (True, False)} == set(UNLISTED_REASONS)


def test_a_corpus_of_a_few_cases_is_told_it_is_read_as_a_case():
    few = {**SETTINGS, "per_text_applied": False, "read_as_case": True}
    lines = explain_listed(_row(topicality=1.0), few, rank=1, listed=3, seeds=["亟待"])
    assert "It occurs 12 times in 9 case(s)." in lines
    assert "read as a case is: every occurrence counts, all of them on topic (step 5)." in lines[3]
    assert not any("hold a seed" in line for line in lines)


def test_a_case_list_says_its_floor_when_the_string_is_dropped():
    lines = explain_unlisted("防贫险", case_id="A", occurrences=3, cases=0, min_freq=2, listed=5,
                             case_floor=(10.83, 4))
    assert "A case's list holds only the strings whose weight reaches 10.83 (p < 0.001) or that the case writes " \
           "4 times" in lines[-2] and any(line.startswith("Discovery dropped it") for line in lines)
    known = explain_unlisted("以工代赈", case_id="A", occurrences=2, cases=0, min_freq=2, listed=0, corpus_rank=1273,
                             case_floor=(10.83, 4))
    assert known[1] == "The corpus list holds it at rank 1273; a case's list weighs the case's own evidence."
    assert "A case's list holds only" in known[-2]
    corpus = explain_unlisted("防贫险", occurrences=30, cases=3, min_freq=5, listed=5, case_floor=(10.83, 4))
    assert not any("A case's list" in line for line in corpus)


def test_the_listed_strings_a_word_sits_inside_most_frequent_first():
    from caseminer.nlp.discovery_explain import containers_of

    counts = {"易地扶贫搬迁": 276, "易地扶贫搬迁安置点": 20, "扶贫搬迁": 302, "扶贫": 4000}
    listed = ["扶贫", "易地扶贫搬迁安置点", "扶贫搬迁", "易地扶贫搬迁"]
    assert containers_of("扶贫搬迁", listed, counts.__getitem__) == [("易地扶贫搬迁", 4, 276),
                                                                ("易地扶贫搬迁安置点", 2, 20)]


def _trace(**changes):
    from caseminer.nlp.discovery_trace import Route, WordTrace

    trace = WordTrace("帮扶责任人", step="step 3", occurrences=12, cases=9, min_freq=5, compound_floor=8,
                      cuts=["落实|[帮扶|责任|人]，避免"], unit=None, pair=None, topical=True,
                      routes=[Route("segment", 0, 8, "pair", failed=["count"]),
                              Route("span", 12, 8, "span", failed=["entropy", "cohesion"], parts=["帮扶", "责任人"],
                                    measures={"cohesion": 0.31, "left_entropy": 0.42, "right_entropy": 1.9,
                                              "min_entropy": 1.0, "min_cohesion": 0.5})])
    for key, value in changes.items():
        setattr(trace, key, value)
    return trace


def test_a_trace_says_each_way_in_and_the_tests_with_their_floors():
    from caseminer.nlp.discovery_explain import explain_trace

    lines = explain_trace(_trace(), {"max_crossing": 0.95})
    assert lines[0].startswith("Traced again") and "落实|[帮扶|责任|人]，避免" in lines[1]
    assert "As one segment it stands fewer than 5 times" in lines[2] and "needs 5 as one segment" in lines[2] \
        and "or 8 in all" in lines[2]
    assert lines[3] == "As a run of whole dictionary words (step 2d: 帮扶|责任人) it stands 12 times; a run needs 8 " \
                       "(compound_min_freq)."
    assert "branching entropy left 0.42 / right 1.90, below 1.00" in lines[4] and "cohesion 0.31 below 0.50" in lines[4]
    assert lines[-1] == "So step 3 drops it, by the tests above."
    zh = explain_trace(_trace(), {}, lang="zh")
    assert len(zh) == len(lines) and "左/右邻接熵 0.42 / 1.90" in zh[4] and zh[-1] == "因此第 3 步按以上检验去掉了它。"


def test_a_trace_names_the_step_that_dropped_the_string():
    from caseminer.nlp.discovery_explain import explain_trace

    fragment = explain_trace(_trace(step="step 5 fragment", routes=[], container="驻村帮扶责任人", share=0.93), {})
    assert fragment[-1].startswith("It passes steps 2-4, but 93% of its occurrences lie inside 驻村帮扶责任人")
    piece = explain_trace(_trace(step="step 5 piece", routes=[], container="共产党、中国共产党", share=1.0), {})
    assert piece[-1] == ("It passes steps 2-4, but 100% of its occurrences lie inside longer words of the base "
                         "lexicon (共产党、中国共产党): from 90% on, step 5 drops such a piece of known words.")
    assert "基础词典的更长词语（共产党、中国共产党）" in explain_trace(
        _trace(step="step 5 piece", routes=[], container="共产党、中国共产党", share=1.0), {}, lang="zh")[-1]
    headless = explain_trace(_trace(step="step 5 headless", routes=[], closing=0.01), {})
    assert "only 1% of its occurrences close" in headless[-1] and "below 3%" in headless[-1]
    assert explain_trace(_trace(step="kept", routes=[]), {})[-1].startswith("It passes every step and the term filter")
    assert explain_trace(_trace(step="step 2", topical=False, routes=[]), {})[-2].startswith("The corpus has no topic")
    assert explain_trace(_trace(step="not a string discovery counts"), {"max_len": 16})[-1] == \
        "Discovery counts strings of 2 to 16 Han characters, and this is not one."


def test_a_trace_replaces_the_steps_where_a_string_may_have_gone():
    plain = explain_unlisted("帮扶责任人", occurrences=12, cases=9, min_freq=5, listed=100,
                             containers=[("驻村帮扶责任人", 40, 11)])
    assert any("at one of these steps" in line for line in plain) or any("a piece of" in line for line in plain)
    traced = explain_unlisted("帮扶责任人", occurrences=12, cases=9, min_freq=5, listed=100,
                              containers=[("驻村帮扶责任人", 40, 11)], trace=["TRACE"])
    assert "TRACE" in traced and not any("at one of these steps" in line or "piece of that" in line for line in traced)
    assert any("92% of its occurrences are inside 驻村帮扶责任人 (rank 40)." == line for line in traced)


def test_a_trace_of_a_corpus_of_a_few_cases_names_its_floor():
    from caseminer.nlp.discovery_explain import explain_trace

    lines = explain_trace(_trace(step="kept", routes=[], few_texts=True), {"min_weight_case": 10.83,
                                                                          "case_keep_freq": 4})
    assert "reaches 10.83 or that the corpus repeats 4 times" in lines[-1]


def test_a_case_trace_says_the_weight_against_the_case_floor():
    from caseminer.nlp.discovery_trace import WordTrace
    from caseminer.nlp.discovery_explain import explain_trace

    settings = {"min_weight_case": 10.83, "case_keep_freq": 4}
    trace = WordTrace("防贫监测", step="case floor", occurrences=2, cases=1, min_freq=2, case=True, weight=9.34,
                      cuts=["开展[防贫监测]，"])
    lines = explain_trace(trace, settings)
    assert lines[1].startswith("The case's cut (with its own n-grams and the corpus's, step 2)")
    assert lines[-1] == ("Steps 2-5 keep it in this case, with a weight of 9.34 before steps 6-7 from 2 times: below "
                         "the case floor (10.83, the log-likelihood of p < 0.001, or 4 occurrences at a positive weight).")
    assert not any("no topic" in line for line in lines)
    later = explain_trace(WordTrace("分级预警", step="steps 6-7", occurrences=2, case=True, weight=71.99,
                                    termhood=0.1228), settings)
    assert "its probability of being a term, 0.12 as the corpus list reads it" in later[-1] and \
        later[-1].endswith("took it below 10.83.")
    assert "（语料新词表中为 0.12）" in explain_trace(WordTrace("分级预警", step="steps 6-7", case=True, weight=71.99,
                                                          termhood=0.1228), settings, lang="zh")[-1]
    steps = explain_trace(WordTrace("脱贫攻坚", step="case steps 2-5", occurrences=2, case=True, min_freq=2), settings)
    assert steps[-1].startswith("In this case it is no candidate after steps 2-5")


def test_the_topic_sentence_names_the_window_a_run_read():
    seeds = ["脱贫", "扶贫"]
    window = {**SETTINGS, "topic_window": 1, "topic_power": 2.5}
    text = "\n".join(explain_listed(_row(), window, rank=1, listed=9, seeds=seeds))
    assert "in sentences that hold a seed of the corpus's topic (脱贫, 扶贫) or within 1 sentence(s) of one;" in text
    assert "9 x 0.69^2.5 = 3.6" in text
    zh = "\n".join(explain_listed(_row(), window, rank=1, listed=9, seeds=seeds, lang="zh"))
    assert "的句子中或与之相距不超过 1 句；" in zh
    # a run recorded before the window was a setting read the seeds' sentences alone
    old = "\n".join(explain_listed(_row(), SETTINGS, rank=1, listed=9, seeds=seeds))
    assert "(脱贫, 扶贫); the weight counts" in old and "within" not in old
