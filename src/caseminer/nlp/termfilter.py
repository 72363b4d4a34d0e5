"""Is a discovered string a term, or a piece of a clause?

Statistical discovery on one short case finds strings that recur twice, and some
of those are clause pieces rather than terms: 在内地贫困地区 (a preposition at the
edge), 落后的观念 (a particle inside), 新的, 没少, 有暴雨, 年年. A term a
researcher would write is a noun phrase or a named measure; this filter cuts the
string with the general lexicon (jieba's dictionary, HMM off) and rejects it when
its edges or inside carry function words. It is deliberately conservative: domain
terms ending in verbal nouns (防贫预警, 易地搬迁, 产业扶贫) pass.
"""

from __future__ import annotations

import re
from functools import lru_cache

# jieba/ICTCLAS tags of words that never start a term (conjunctions, particles,
# pronouns, adverbs, modal particles, interjections, onomatopoeia, localisers) ...
_BAD_START = {"c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "d", "y", "e", "o", "f"}
# ... and never end one (plus localisers: 在...上, ...中).
_BAD_END = {"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "d", "y", "e", "o"}
# Particles that make a string a phrase, wherever they are.
_PARTICLES = {"的", "了", "着", "过", "地", "得", "之", "所"}
# Light verbs that open clauses rather than terms (有暴雨, 是关键, 在村里).
# Prepositions are judged by this list rather than by their tag: 因 opens terms (因病致贫).
_LIGHT_VERBS = {"有", "是", "在", "要", "让", "把", "被", "给", "对", "向", "从", "将", "并", "也", "都", "还", "又",
                "就", "才", "很", "没", "不", "为", "与", "和", "跟", "同", "按", "据", "由", "于", "当", "自"}
# Units that follow a number: a string starting with one is the tail of "2021年…", "300户…".
_UNITS = {"年", "月", "日", "号", "户", "人", "元", "万", "亿", "个", "次", "家", "名", "项", "亩", "余", "多"}
_REDUPLICATION = re.compile(r"^(.)\1$|^(..)\2$")


@lru_cache(maxsize=1)
def _segmenter():
    # The project's own jieba set-up (isolated tokenizer, quiet cache), without the
    # number merging: a string is judged by its dictionary words.
    from .segmenters import SegmentSettings, make_segmenter

    return make_segmenter(SegmentSettings(pos=False, merge_numbers=False))


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    from .lexicon import jieba_tags

    return jieba_tags()


@lru_cache(maxsize=200_000)
def is_term_like(word: str) -> bool:
    """False for strings whose edges or inside are function words (see module docstring)."""
    if len(word) < 2 or _REDUPLICATION.match(word):
        return False
    if word[0] in _LIGHT_VERBS or word[-1] in _PARTICLES:
        return False
    tokens = [t.word for t in _segmenter().tokenize(word)]
    if len(tokens) == 1:
        return True
    if len(tokens) >= 3 and all(len(t) == 1 for t in tokens):
        return True  # a compact coined term (以奖代补, 志智双扶): no word structure to judge
    tags = _tags()
    if any(t in _PARTICLES for t in tokens):
        return False
    first, last = tags.get(tokens[0], ""), tags.get(tokens[-1], "")
    if first in _BAD_START or last in _BAD_END:
        return False
    if tokens[0] in _UNITS:
        return False  # the tail of a number or date: 年全县 (2021年全县), 户村民

    if first.startswith("nr") and last.startswith("v"):
        return False  # a person and a verb: a clause (…总书记来到)
    return True


# Tags of lexicon words that are never discoveries: places, persons, time words,
# pronouns, numerals, measure words, function words, localisers, place words.
_NOT_DISCOVERIES = {"ns", "nr", "nrfg", "nrt", "t", "tg", "r", "m", "mq", "q", "p", "c", "u", "d", "f", "s"}
#: A lexicon word this frequent in general language (jieba's dictionary counts) is
#: general vocabulary (发展 68,664, 推动 4,715), not a discovery; domain words that
#: jieba knows are rare there (合作社 379, 集体经济 189, 贫困户 115).
GENERAL_FREQUENCY = 500


def is_discovery(word: str, lexicon: dict[str, int], tags: dict[str, str] | None = None) -> bool:
    """A candidate worth listing: term-like, and if the base lexicon knows it, not a
    general-language word (frequent there, or a name, time word or function word)."""
    if not is_term_like(word):
        return False
    if word not in lexicon:
        return True
    tags = _tags() if tags is None else tags
    return lexicon[word] < GENERAL_FREQUENCY and tags.get(word) not in _NOT_DISCOVERIES
