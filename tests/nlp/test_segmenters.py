"""Tests for caseminer.nlp.segmenters (issue 3: the segmentation stage)."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

from caseminer.errors import BackendMissing, InvalidSetting
from caseminer.nlp.segmenters import (
    NEW_WORD_TAG,
    SegmentSettings,
    make_segmenter,
    segment_many,
    segment_processes,
    split_sentences,
)
from caseminer.settings import resolve_jobs

pytest.importorskip("jieba")

# Our own text (not copied from any corpus), written to hit the known problems.
PARAGRAPH = (
    "我县坚持志智双扶，全力打赢脱贫攻坚战。到2020年底，建档立卡贫困户全部实现两不愁三保障！"
    "村集体经济采取以奖代补方式扶持扶贫车间，带动12月新增就业120万人次，增长3.5%。\n"
    "下一步怎么办？巩固脱贫攻坚成果，接续推进乡村振兴；防贫预警要早发现、早干预……"
    "“志智双扶”不是口号。 致富带头人说：以奖代补好！"
)
TERMS = ["脱贫攻坚战", "志智双扶", "两不愁三保障", "以奖代补"]
SENTENCE_PUNCT = set("。！？；…!?;\n\r")

BACKENDS = ["jieba"]
if importlib.util.find_spec("jieba_fast_dat") is not None:  # optional backend
    BACKENDS.append("jieba-fast")


@functools.lru_cache(maxsize=None)
def cached(backend="jieba", terms=(), **settings):
    """Segmenters are slow to build (jieba loads its dictionary): share them."""
    return make_segmenter(SegmentSettings(backend=backend, **settings), user_words=terms)


@pytest.fixture(scope="module", params=BACKENDS)
def lexicon_segmenter(request):
    return cached(request.param, tuple(TERMS))


@pytest.fixture(scope="module", params=BACKENDS)
def plain_segmenter(request):
    return cached(request.param)


def words(tokens):
    return [t.word for t in tokens]


@pytest.mark.parametrize("term", TERMS)
def test_segmenters_user_terms_kept_whole(lexicon_segmenter, term):
    tokens = lexicon_segmenter.tokenize(PARAGRAPH)
    hits = [t for t in tokens if t.word == term]
    assert len(hits) == PARAGRAPH.count(term)
    assert all(t.pos == NEW_WORD_TAG for t in hits)


@pytest.mark.parametrize("fragment", ["志智双", "奖代补", "扶以", "扶为"])
@pytest.mark.parametrize("hmm", [False, True])
def test_segmenters_no_invented_fragments_with_lexicon(fragment, hmm):
    seg = cached(BACKENDS[-1], tuple(TERMS), hmm=hmm)
    assert fragment not in words(seg.tokenize(PARAGRAPH))


@pytest.mark.parametrize("fragment", ["志智双", "奖代补"])
def test_segmenters_hmm_off_by_default_no_fragments(plain_segmenter, fragment):
    # jieba's HMM (hmm=True) makes these; the default must not.
    assert SegmentSettings().hmm is False
    assert fragment not in words(plain_segmenter.tokenize(PARAGRAPH))


@pytest.mark.parametrize("text, name", [("贫困户蒋桂英今年脱贫", "蒋桂英"), ("书记韦秀珍带领群众", "韦秀珍")])
def test_segmenters_guess_names_keeps_names(text, name):
    seg = cached(BACKENDS[-1], guess_names=True)
    assert (name, "nr") in [(t.word, t.pos) for t in seg.tokenize(text)]
    assert name not in words(cached(BACKENDS[-1]).tokenize(text))  # HMM off: split


@pytest.mark.parametrize("fragment", ["志智双", "奖代补"])
def test_segmenters_guess_names_drops_other_hmm_guesses(fragment):
    seg = cached(BACKENDS[-1], guess_names=True)
    assert fragment not in words(seg.tokenize(PARAGRAPH))
    assert fragment in words(cached(BACKENDS[-1], hmm=True).tokenize(PARAGRAPH))


def test_segmenters_mapping_tags_override(lexicon_segmenter):
    seg = make_segmenter(
        SegmentSettings(backend=lexicon_segmenter.name),
        user_words={"志智双扶": "nz", "以奖代补": None},
    )
    tags = {t.word: t.pos for t in seg.tokenize(PARAGRAPH)}
    assert tags["志智双扶"] == "nz"
    assert tags["以奖代补"] == NEW_WORD_TAG


@pytest.mark.parametrize(
    "text",
    [PARAGRAPH, "  前后有空格　和全角空格\t制表符\r\n新行。", "", "。。。", "abc 123", "３．５％和２０２１年"],
)
def test_segmenters_offsets_exact(lexicon_segmenter, text):
    tokens = lexicon_segmenter.tokenize(text)
    pos = 0
    for t in tokens:
        assert text[t.start : t.end] == t.word
        assert t.start >= pos and t.end > t.start
        assert text[pos : t.start].strip() == ""  # only white space is skipped
        assert not t.word.isspace()
        pos = t.end
    assert text[pos:].strip() == ""


def test_segmenters_no_token_crosses_sentence_punctuation(lexicon_segmenter):
    text = PARAGRAPH + "乡村振兴。振兴乡村！脱贫\n攻坚；扶贫…车间?产业!园;区"
    sentences = split_sentences(text)
    for t in lexicon_segmenter.tokenize(text):
        if set(t.word) & SENTENCE_PUNCT:
            assert set(t.word) <= SENTENCE_PUNCT
            continue
        assert any(s <= t.start and t.end <= e for s, e in sentences), t


def test_segmenters_line_break_splits_words(plain_segmenter):
    # "扶贫" is one dictionary word, but not across a line break
    assert "扶贫" not in words(plain_segmenter.tokenize("扶\n贫"))


@pytest.mark.parametrize("punct", ["，", "。", "！", "？", "；", "、", "：", "“", "”", "……", "(", "%"])
def test_segmenters_punctuation_tagged_x(plain_segmenter, punct):
    tokens = plain_segmenter.tokenize(f"扶贫{punct}车间")
    rest = [t for t in tokens if t.word not in ("扶贫", "车间")]
    assert rest and all(t.pos == "x" for t in rest)


@pytest.mark.parametrize(
    "text, word, pos",
    [
        ("到2020年底", "2020年", "t"),  # the year wins over the dictionary word 年底
        ("增长3.5%。", "3.5%", "m"),
        ("新增120万人", "120万", "m"),
        ("2021年12月31日", "2021年", "t"),
        ("2021年12月31日", "12月", "t"),
        ("2021年12月31日", "31日", "t"),
        ("增长１７．５％", "１７．５％", "m"),
    ],
)
def test_segmenters_numbers_kept_whole(plain_segmenter, text, word, pos):
    tokens = plain_segmenter.tokenize(text)
    assert (word, pos) in [(t.word, t.pos) for t in tokens]


@pytest.mark.parametrize("term", ["2021年度计划", "5G网络", "十四五"])
def test_segmenters_lexicon_words_with_digits_kept_whole(term):
    seg = cached(BACKENDS[-1], (term,))
    tokens = seg.tokenize(f"推进{term}，2021年完成。")
    assert (term, NEW_WORD_TAG) in [(t.word, t.pos) for t in tokens]
    assert ("2021年", "t") in [(t.word, t.pos) for t in tokens]


def test_segmenters_numbers_merge_can_be_turned_off():
    seg = cached(BACKENDS[-1], merge_numbers=False)
    assert "3.5%" not in words(seg.tokenize("增长3.5%。"))


@pytest.mark.parametrize("guess_names", [False, True])
def test_segmenters_pos_off_gives_empty_tags(guess_names):
    seg = cached(BACKENDS[-1], tuple(TERMS), pos=False, guess_names=guess_names)
    tokens = seg.tokenize(PARAGRAPH + "贫困户蒋桂英今年脱贫")
    assert tokens and {t.pos for t in tokens} == {""}
    # the same words as with tags
    tagged = cached(BACKENDS[-1], tuple(TERMS), guess_names=guess_names)
    assert words(tokens) == words(tagged.tokenize(PARAGRAPH + "贫困户蒋桂英今年脱贫"))


def test_segmenters_dictionary_pos_tags(plain_segmenter):
    tags = {t.word: t.pos for t in plain_segmenter.tokenize("我们巩固成果。")}
    assert tags == {"我们": "r", "巩固": "v", "成果": "n", "。": "x"}


def test_segmenters_unknown_backend_error():
    with pytest.raises(BackendMissing) as info:
        make_segmenter(SegmentSettings(backend="pkuseg"))
    assert info.value.code == "E303"
    assert str(info.value) == (
        "Unknown segmenter backend 'pkuseg'. Choose one of: 'jieba', 'jieba-fast'. "
        "caseminer never falls back to another segmenter silently."
    )


def test_segmenters_missing_package_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "jieba_fast_dat", None)  # import now fails
    with pytest.raises(BackendMissing) as info:
        make_segmenter(SegmentSettings(backend="jieba-fast"))
    assert info.value.code == "E304"
    assert str(info.value) == (
        "The segmenter backend 'jieba-fast' needs the package 'jieba-fast-dat', which "
        "is not installed. Install it with: pip install jieba-fast-dat"
    )


@pytest.mark.parametrize(
    "overrides",
    [{"hmm": "yes"}, {"user_word_boost": 0.5}, {"pos": 1}, {"backend": ""}],
)
def test_segmenters_invalid_settings(overrides):
    with pytest.raises(InvalidSetting) as info:
        make_segmenter(SegmentSettings(**overrides))
    assert info.value.code == "E301"
    assert "of segment must be" in str(info.value)


def test_segmenters_one_string_as_user_words_is_refused():
    with pytest.raises(InvalidSetting):
        make_segmenter(user_words="志智双扶")


def test_segmenters_unusable_user_word_reported(caplog):
    seg = make_segmenter(SegmentSettings(backend=BACKENDS[-1]), user_words=["两不愁、三保障", "志智双扶"])
    assert seg.unusable_words == ["两不愁、三保障"]
    assert "两不愁、三保障" in caplog.text
    assert "志智双扶" in words(seg.tokenize("志智双扶"))


def test_segmenters_instances_isolated_from_each_other_and_jieba():
    import jieba

    with_terms = cached("jieba", tuple(TERMS))
    without = cached("jieba")
    assert "志智双扶" in words(with_terms.tokenize("坚持志智双扶"))
    assert "志智双扶" not in words(without.tokenize("坚持志智双扶"))
    assert "志智双扶" not in jieba.lcut("坚持志智双扶", HMM=False)  # global default untouched


@pytest.mark.skipif(len(BACKENDS) < 2, reason="jieba-fast-dat not installed")
@pytest.mark.parametrize("user_words", [(), TERMS])
def test_segmenters_fast_backend_same_as_pure(user_words):
    pure = cached("jieba", tuple(user_words))
    fast = cached("jieba-fast", tuple(user_words))
    assert fast.tokenize(PARAGRAPH) == pure.tokenize(PARAGRAPH)


@pytest.mark.parametrize(
    "text, spans",
    [
        ("脱贫攻坚。乡村振兴！\n下一步", [(0, 5), (5, 10), (11, 14)]),
        ("他说：“好。”然后走了", [(0, 7), (7, 11)]),
        ("没有句号", [(0, 4)]),
        ("  ", []),
        ("。。a", [(0, 2), (2, 3)]),
        ("一……二？！三", [(0, 3), (3, 6), (6, 7)]),
    ],
)
def test_segmenters_split_sentences(text, spans):
    assert split_sentences(text) == spans


def test_segmenters_segment_many_matches_single_process():
    texts = [PARAGRAPH, "", "志智双扶。", PARAGRAPH[::-1], "以奖代补" * 3]
    settings = SegmentSettings(backend=BACKENDS[-1])  # the fastest to load in workers
    one = segment_many(texts, settings, TERMS, n_jobs=1)
    two = segment_many(texts, settings, TERMS, n_jobs=2, min_chars_per_process=1)
    assert one == two
    assert one[2][0].word == "志智双扶"


def test_segmenters_segment_many_bad_jobs():
    with pytest.raises(InvalidSetting):
        segment_many(["志智双扶"], n_jobs=0)
    with pytest.raises(InvalidSetting):
        segment_many(["志智双扶"], n_jobs=-2)


def test_segmenters_processes_only_where_they_pay():
    texts = ["扶" * 1000] * 10  # 10,000 characters
    assert segment_processes(texts, 4, min_chars_per_process=2500) == 4
    assert segment_processes(texts, 4, min_chars_per_process=4000) == 2
    assert segment_processes(texts, 4, min_chars_per_process=20_000) == 1
    assert segment_processes(texts[:1], 4, min_chars_per_process=1) == 1  # one text: nothing to share
    assert segment_processes(texts, -1, min_chars_per_process=1) == resolve_jobs(-1, "segment")


def _corpora() -> Path:
    root = Path(__file__).resolve().parents[2]
    return Path(os.environ.get("CASEMINER_CORPORA", root.parent / "shared" / "corpora"))


@pytest.mark.corpora
@pytest.mark.skipif(len(BACKENDS) < 2, reason="jieba-fast-dat not installed")
def test_segmenters_fast_same_as_pure_on_real_news():
    path = _corpora() / "xwlb-cctv-news" / "xwlb_poverty_subset.jsonl"
    if not path.exists():
        pytest.skip(f"corpus not found: {path} (set CASEMINER_CORPORA)")
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(150), f)]
    pure = cached("jieba", tuple(TERMS))
    fast = cached("jieba-fast", tuple(TERMS))
    for text in texts:
        assert fast.tokenize(text) == pure.tokenize(text)


@pytest.mark.parametrize("enabled", [True, False])
def test_segmenters_tokenize_restores_gc_state(plain_segmenter, enabled):
    import gc

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        plain_segmenter.tokenize(PARAGRAPH)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
