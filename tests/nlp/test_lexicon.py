"""The background model's segmentation (``lexicon.Background``): the reach table that bounds
its search must never change a split."""

import math
import random

import pytest

from caseminer.nlp.lexicon import Background, jieba_lexicon, word_reach


def reference_split(lexicon, text, max_word_len):
    """The exhaustive maximum-probability split, every substring of up to ``max_word_len``
    characters looked up at every end (the solver before the reach table)."""
    total = sum(f for f in lexicon.values() if f > 0)
    log_total = math.log(total)
    best = [(-math.inf, -1)] * (len(text) + 1)
    best[0] = (0.0, 0)
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - max_word_len), end):
            if best[start][0] == -math.inf:
                continue
            word = text[start:end]
            freq = lexicon.get(word)
            if freq is None or freq <= 0:
                if len(word) != 1:
                    continue
                lp = math.log(0.5) - log_total
            else:
                lp = math.log(freq) - log_total
            if best[start][0] + lp > best[end][0]:
                best[end] = (best[start][0] + lp, start)
    pieces, end = [], len(text)
    while end > 0:
        pieces.append(text[best[end][1]:end])
        end = best[end][1]
    return best[len(text)][0], tuple(reversed(pieces))


@pytest.mark.parametrize("max_word_len", [2, 3, 8, 20])
def test_background_split_equals_the_exhaustive_search(max_word_len):
    rng = random.Random(7)
    alphabet = "甲乙丙丁戊己"
    lexicon = {}
    for _ in range(120):
        word = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7)))
        # equal frequencies make ties, which both must break the same way
        lexicon[word] = rng.choice([0, 1, 3, 3, 10, 50])
    model = Background(lexicon, max_word_len=max_word_len)
    for _ in range(300):
        text = "".join(rng.choice(alphabet + "庚") for _ in range(rng.randint(1, 30)))
        score, split = reference_split(lexicon, text, max_word_len)
        assert model.best_split(text) == split, text
        assert model.log_prob(text) == score


def test_background_split_with_jiebas_longest_words():
    lexicon = jieba_lexicon()
    longest = max(map(len, lexicon))
    model = Background(lexicon, max_word_len=longest)
    texts = ["第九届全国人民代表大会常务委员会审议了扶贫开发工作的报告",
             "外交部驻香港特别行政区特派员公署举行招待会",
             "建档立卡贫困户通过光伏扶贫电站增加了收入",
             "村里的合作社带动八十七户脱贫"]
    for text in texts:
        assert model.best_split(text) == reference_split(lexicon, text, longest)[1]
    assert "第九届全国人民代表大会常务委员会" in model.best_split(texts[0])


def test_word_reach_reads_listed_words_only_and_follows_a_new_lexicon():
    lexicon = {"扶贫": 5, "扶贫开发": 3, "扶贫攻坚战": 0, "贫": 2}
    reach = word_reach(lexicon)
    # a word of frequency 0 (a prefix entry) is no word; one character reaches no further
    assert reach == {"扶贫": 4}
    lexicon["扶贫攻坚战略"] = 1  # grown: read again
    assert word_reach(lexicon)["扶贫"] == 6
    other = {"脱贫摘帽": 4}
    assert word_reach(other) == {"脱贫": 4}
