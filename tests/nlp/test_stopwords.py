"""Tests of caseminer.nlp.stopwords (domain stop-word proposals, starter list)."""

from __future__ import annotations

import pytest

from caseminer.errors import InvalidInput, InvalidSetting, NotFound
from caseminer.nlp.stopwords import (
    StopwordProposal,
    load_starter_list,
    parse_stopword_text,
    propose_domain_stopwords,
    read_stopword_file,
)

# Five made-up cases: 脱贫攻坚 in all, 建档立卡贫困户 in four, 扶贫车间 in two.
CASES = {
    "c1": {"脱贫攻坚", "建档立卡贫困户", "扶贫车间"},
    "c2": {"脱贫攻坚", "建档立卡贫困户", "扶贫车间", "乡村旅游"},
    "c3": {"脱贫攻坚", "建档立卡贫困户", "消费扶贫"},
    "c4": {"脱贫攻坚", "建档立卡贫困户", "防贫预警"},
    "c5": {"脱贫攻坚", "以奖代补"},
}


@pytest.mark.parametrize(
    "min_share,min_cases,expected",
    [
        (0.8, 3, ["建档立卡贫困户", "脱贫攻坚"]),
        (1.0, 3, ["脱贫攻坚"]),
        (0.4, 3, ["建档立卡贫困户", "脱贫攻坚"]),  # 扶贫车间: 2 cases < min_cases
        (0.4, 2, ["建档立卡贫困户", "脱贫攻坚", "扶贫车间"]),
    ],
)
def test_stopwords_propose_by_share(min_share, min_cases, expected):
    got = propose_domain_stopwords(CASES, min_share=min_share, min_cases=min_cases)
    assert sorted(p.term for p in got) == sorted(expected)


@pytest.mark.parametrize("cases", [CASES])
def test_stopwords_proposals_carry_share_and_count_most_widespread_first(cases):
    got = propose_domain_stopwords(cases, min_share=0.8)
    assert got[0] == StopwordProposal("脱贫攻坚", 1.0, 5)
    assert got[1] == StopwordProposal("建档立卡贫困户", 0.8, 4)


@pytest.mark.parametrize("exclude", [["脱贫攻坚"]])
def test_stopwords_exclude_rejected_terms(exclude):
    got = propose_domain_stopwords(CASES, min_share=0.8, exclude=exclude)
    assert [p.term for p in got] == ["建档立卡贫困户"]


@pytest.mark.parametrize("min_cases", [6])
def test_stopwords_min_cases_guards_tiny_corpora(min_cases):
    assert propose_domain_stopwords(CASES, min_share=0.5, min_cases=min_cases) == []


@pytest.mark.parametrize("cases", [{"a": ["脱贫攻坚", "脱贫攻坚"], "b": ["脱贫攻坚"], "c": ["乡村旅游"]}])
def test_stopwords_repeats_within_a_case_count_once(cases):
    got = propose_domain_stopwords(cases, min_share=0.5, min_cases=1)
    assert got == [StopwordProposal("脱贫攻坚", 2 / 3, 2)]


@pytest.mark.parametrize("cases", [{}])
def test_stopwords_empty_corpus_proposes_nothing(cases):
    assert propose_domain_stopwords(cases) == []


@pytest.mark.parametrize("bad", [{"a": "脱贫攻坚"}])
def test_stopwords_rejects_a_bare_string_per_case(bad):
    with pytest.raises(InvalidInput, match="collection of terms"):
        propose_domain_stopwords(bad)


@pytest.mark.parametrize("share", [0.0, 1.5, "high"])
def test_stopwords_invalid_share_is_a_setting_error(share):
    with pytest.raises(InvalidSetting, match="'min_share' setting of stopwords"):
        propose_domain_stopwords(CASES, min_share=share)


@pytest.mark.parametrize("word", ["工作", "推进", "加强", "进一步", "情况", "的"])
def test_stopwords_starter_list_has_generic_policy_words(word):
    assert word in load_starter_list()


@pytest.mark.parametrize("term", ["脱贫攻坚", "扶贫车间", "服务", "机制", "产业"])
def test_stopwords_starter_list_spares_domain_terms_and_term_heads(term):
    # Domain stop-words are proposed per corpus; heads (服务) must not cut terms.
    assert term not in load_starter_list()


def test_stopwords_starter_list_is_clean():
    words = load_starter_list()
    assert 150 <= len(words) <= 400
    assert len(words) == len(set(words))
    assert all(w == w.strip() and "#" not in w for w in words)


@pytest.mark.parametrize(
    "text,expected",
    [("# header\n工作\n推进  # inline\n\n工作\n", ["工作", "推进"]), ("\ufeff", [])],
)
def test_stopwords_parse_skips_comments_blanks_and_repeats(text, expected):
    assert parse_stopword_text(text.lstrip("\ufeff")) == expected


def test_stopwords_read_file(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("# my list\n脱贫攻坚\n建档立卡贫困户\n", encoding="utf-8")
    assert read_stopword_file(path) == ["脱贫攻坚", "建档立卡贫困户"]


def test_stopwords_read_missing_file(tmp_path):
    with pytest.raises(NotFound, match="does not exist"):
        read_stopword_file(tmp_path / "none.txt")


def test_stopwords_read_non_utf8_file(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("脱贫攻坚\n".encode("gbk"))
    with pytest.raises(InvalidInput, match="UTF-8"):
        read_stopword_file(path)


def test_terms_by_case_finds_what_reading_every_text_for_every_term_finds():
    import random

    from caseminer.nlp.stopwords import terms_by_case

    rng = random.Random(54)
    alphabet = "脱贫攻坚扶贫车间产业易地搬迁，。A1"
    texts = {f"c{i}": "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for i in range(40)}
    terms = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(300)} | {"", "脱贫攻坚"}
    found = terms_by_case(texts, terms)
    assert found == {case_id: {t for t in terms if t in text} for case_id, text in texts.items()}
    assert any(found.values()) and not all(len(v) == len(terms) for v in found.values())  # neither none nor all
    assert terms_by_case({}, terms) == {} and terms_by_case(texts, []) == {c: set() for c in texts}
